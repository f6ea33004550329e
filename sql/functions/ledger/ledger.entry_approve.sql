-- ledger.entry_approve: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION ledger.entry_approve(p_client text, p_entry_id bigint, p_version bigint)
 RETURNS text
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'ledger', 'core', 'pg_temp'
AS $function$
DECLARE
	cid integer;
	e ledger.entries;
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
	IF e.maker = session_user THEN
		RAISE EXCEPTION 'You cannot approve your own entry: another accountant must'
			USING ERRCODE = 'BD002';
	END IF;
	UPDATE ledger.entries SET status = 'posted'
	WHERE client_id = cid AND entry_id = p_entry_id
	RETURNING * INTO e;
	PERFORM ledger.notify_approvals(cid);
	RETURN format('%s-%s-%s', e.journal, e.fiscal_year, lpad(e.entry_no::text, 6, '0'));
END
$function$;
ALTER FUNCTION ledger.entry_approve(text,bigint,bigint) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION ledger.entry_approve(text,bigint,bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ledger.entry_approve(text,bigint,bigint) TO bd_accountant;
GRANT EXECUTE ON FUNCTION ledger.entry_approve(text,bigint,bigint) TO bd_supervisor;
