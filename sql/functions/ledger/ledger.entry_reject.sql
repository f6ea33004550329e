-- ledger.entry_reject: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION ledger.entry_reject(p_client text, p_entry_id bigint, p_version bigint, p_reason text)
 RETURNS void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'ledger', 'core', 'pg_temp'
AS $function$
DECLARE
	cid integer;
	e ledger.entries;
	v_reason text := nullif(btrim(p_reason), '');
BEGIN
	PERFORM core.require_role('accountant', 'supervisor');
	cid := core.client_id_of(p_client);
	e := ledger.entry_for_update(cid, p_entry_id);
	IF e.status <> 'submitted' THEN
		RAISE EXCEPTION 'Entry % is %, not waiting for approval', p_entry_id, e.status
			USING ERRCODE = 'BD003';
	END IF;
	PERFORM core.approval_check(format('Entry %s', p_entry_id), p_version, e.version);
	IF e.batch_id IS NOT NULL THEN
		RAISE EXCEPTION 'Entry % is part of import %: the import is decided whole', p_entry_id,
			e.batch_id USING ERRCODE = 'BD002';
	END IF;
	IF e.maker <> session_user AND v_reason IS NULL THEN
		RAISE EXCEPTION 'Say why you reject it: the maker sees the reason'
			USING ERRCODE = 'BD001';
	END IF;
	IF length(v_reason) > 200 THEN
		RAISE EXCEPTION 'A reason is at most 200 characters' USING ERRCODE = 'BD001';
	END IF;
	PERFORM core.plain_text(v_reason, 'A reason');
	UPDATE ledger.entries
	SET status = 'draft', rejected_by = session_user, rejected_at = now(),
	    rejected_reason = coalesce(v_reason, 'withdrawn by its maker')
	WHERE client_id = cid AND entry_id = p_entry_id;
	PERFORM ledger.notify_approvals(cid);
END
$function$;
ALTER FUNCTION ledger.entry_reject(text,bigint,bigint,text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION ledger.entry_reject(text,bigint,bigint,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ledger.entry_reject(text,bigint,bigint,text) TO bd_accountant;
GRANT EXECUTE ON FUNCTION ledger.entry_reject(text,bigint,bigint,text) TO bd_supervisor;
