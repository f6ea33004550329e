-- inventory.move_reject: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
CREATE OR REPLACE FUNCTION inventory.move_reject(p_client text, p_id bigint, p_version bigint, p_reason text)
 RETURNS void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'inventory', 'core', 'pg_temp'
AS $function$
DECLARE
	cid integer;
	m inventory.moves;
BEGIN
	PERFORM core.require_role('accountant', 'supervisor');
	cid := core.client_id_of(p_client);
	SELECT * INTO m FROM inventory.moves WHERE client_id = cid AND move_id = p_id FOR UPDATE;
	IF NOT FOUND OR m.status <> 'submitted' THEN
		RAISE EXCEPTION 'Stock move % is not waiting for approval', p_id USING ERRCODE = 'BD003';
	END IF;
	PERFORM core.approval_check(format('Stock move %s', p_id), p_version, m.version);
	IF nullif(btrim(coalesce(p_reason, '')), '') IS NULL THEN
		RAISE EXCEPTION 'Say why you reject it: the maker sees the reason' USING ERRCODE = 'BD001';
	END IF;
	UPDATE inventory.moves SET status = 'rejected', reject_reason = left(btrim(p_reason), 200),
				   approver = session_user
	WHERE client_id = cid AND move_id = p_id;
	PERFORM core.notify_client(cid, 'approvals');
END
$function$;
ALTER FUNCTION inventory.move_reject(text,bigint,bigint,text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION inventory.move_reject(text,bigint,bigint,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION inventory.move_reject(text,bigint,bigint,text) TO bd_accountant, bd_supervisor;

