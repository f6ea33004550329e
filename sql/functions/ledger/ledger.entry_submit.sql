-- ledger.entry_submit: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION ledger.entry_submit(p_client text, p_entry_id bigint, p_key text DEFAULT NULL::text)
 RETURNS void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'ledger', 'core', 'pg_temp'
AS $function$
DECLARE
	cid integer;
	e ledger.entries;
BEGIN
	PERFORM core.require_role('accountant');
	cid := core.client_id_of(p_client);
	IF core.idem_begin(cid, p_key) IS NOT NULL THEN
		RETURN;
	END IF;
	e := ledger.entry_for_update(cid, p_entry_id);
	IF e.status <> 'draft' THEN
		RAISE EXCEPTION 'Entry % is already %', p_entry_id, e.status USING ERRCODE = 'BD003';
	END IF;
	IF e.maker <> session_user THEN
		RAISE EXCEPTION 'Only % may submit this draft', e.maker USING ERRCODE = 'BD002';
	END IF;
	UPDATE ledger.entries SET status = 'submitted'
	WHERE client_id = cid AND entry_id = p_entry_id;
	PERFORM core.idem_end(cid, p_key, 'null');
	PERFORM ledger.notify_approvals(cid);
END
$function$;
ALTER FUNCTION ledger.entry_submit(text,bigint,text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION ledger.entry_submit(text,bigint,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ledger.entry_submit(text,bigint,text) TO bd_accountant;
GRANT EXECUTE ON FUNCTION ledger.entry_submit(text,bigint,text) TO bd_supervisor;
