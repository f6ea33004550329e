-- ledger.import_reject: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- Rejects a whole import batch with a reason the maker sees (the maker may
-- withdraw it without one): its staged lines (ledger.import_lines, 087)
-- go, never having been in the books; the batch stays with its reason
-- (the approvals registry's reject function of kind ledger.import).

CREATE OR REPLACE FUNCTION ledger.import_reject(p_client text, p_id bigint, p_version bigint, p_reason text)
 RETURNS void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'ledger', 'core', 'pg_temp'
AS $function$
DECLARE
	cid integer;
	b ledger.import_batches;
	v_reason text := nullif(btrim(p_reason), '');
BEGIN
	PERFORM core.require_role('accountant', 'supervisor');
	cid := core.client_id_of(p_client);
	SELECT * INTO b FROM ledger.import_batches
	WHERE client_id = cid AND batch_id = p_id FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'No import %', p_id USING ERRCODE = 'BD004';
	END IF;
	IF b.status <> 'submitted' THEN
		RAISE EXCEPTION 'Import % is %, not waiting for approval', p_id, b.status
			USING ERRCODE = 'BD003';
	END IF;
	PERFORM core.approval_check(format('Import %s', p_id), p_version, b.version);
	IF b.maker <> session_user AND v_reason IS NULL THEN
		RAISE EXCEPTION 'Say why you reject it: the maker sees the reason' USING ERRCODE = 'BD001';
	END IF;
	IF length(v_reason) > 200 THEN
		RAISE EXCEPTION 'A reason is at most 200 characters' USING ERRCODE = 'BD001';
	END IF;
	PERFORM core.plain_text(v_reason, 'A reason');
	DELETE FROM ledger.import_lines s WHERE s.batch_id = p_id;
	UPDATE ledger.import_batches
	SET status = 'rejected', approver = CASE WHEN maker <> session_user THEN session_user END,
	    decided_at = now(), reason = coalesce(v_reason, 'withdrawn by its maker'),
	    version = version + 1
	WHERE client_id = cid AND batch_id = p_id;
	PERFORM ledger.notify_approvals(cid);
END
$function$;
ALTER FUNCTION ledger.import_reject(text,bigint,bigint,text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION ledger.import_reject(text,bigint,bigint,text) FROM PUBLIC;
