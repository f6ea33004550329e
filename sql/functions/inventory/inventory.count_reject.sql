-- inventory.count_reject: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
CREATE OR REPLACE FUNCTION inventory.count_reject(p_client text, p_id bigint, p_version bigint, p_reason text)
 RETURNS void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'inventory', 'core', 'pg_temp'
AS $function$
DECLARE
	cid integer;
	k inventory.counts;
BEGIN
	PERFORM core.require_role('accountant', 'supervisor');
	cid := core.client_id_of(p_client);
	SELECT * INTO k FROM inventory.counts WHERE client_id = cid AND count_id = p_id FOR UPDATE;
	IF NOT FOUND OR k.status <> 'submitted' THEN
		RAISE EXCEPTION 'Stock count % is not waiting for approval', p_id USING ERRCODE = 'BD003';
	END IF;
	PERFORM core.approval_check(format('Stock count %s', p_id), p_version, k.version);
	IF nullif(btrim(coalesce(p_reason, '')), '') IS NULL THEN
		RAISE EXCEPTION 'Say why you reject it: the counter sees the reason' USING ERRCODE = 'BD001';
	END IF;
	UPDATE inventory.counts SET status = 'rejected', reject_reason = left(btrim(p_reason), 200),
				    approver = session_user, decided_at = now(), version = version + 1
	WHERE client_id = cid AND count_id = p_id;
	PERFORM core.notify_client(cid, 'approvals');
END
$function$;
ALTER FUNCTION inventory.count_reject(text,bigint,bigint,text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION inventory.count_reject(text,bigint,bigint,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION inventory.count_reject(text,bigint,bigint,text) TO bd_accountant, bd_supervisor;

