-- ledger.entry_update: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION ledger.entry_update(p_client text, p_entry_id bigint, p_journal text, p_date date, p_reference text, p_description text, p_lines jsonb)
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
	e := ledger.entry_for_update(cid, p_entry_id);
	IF e.status <> 'draft' THEN
		RAISE EXCEPTION 'Entry % is % and cannot be edited', p_entry_id, e.status
			USING ERRCODE = 'BD002';
	END IF;
	IF e.maker <> session_user THEN
		RAISE EXCEPTION 'Only % may edit this draft', e.maker USING ERRCODE = 'BD002';
	END IF;
	PERFORM ledger.check_header(p_reference, p_description);
	PERFORM ledger.open_period(cid, p_date, false);
	IF NOT EXISTS (SELECT 1 FROM ledger.journals
		       WHERE client_id = cid AND journal = upper(btrim(p_journal))) THEN
		RAISE EXCEPTION 'No journal %', coalesce(p_journal, '(none)') USING ERRCODE = 'BD004';
	END IF;
	UPDATE ledger.entries
	SET journal = upper(btrim(p_journal)), entry_date = p_date,
	    reference = coalesce(btrim(p_reference), ''),
	    description = coalesce(btrim(p_description), '')
	WHERE client_id = cid AND entry_id = p_entry_id;
	PERFORM ledger.put_lines(cid, p_entry_id, p_lines);
END
$function$;
ALTER FUNCTION ledger.entry_update(text,bigint,text,date,text,text,jsonb) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION ledger.entry_update(text,bigint,text,date,text,text,jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ledger.entry_update(text,bigint,text,date,text,text,jsonb) TO bd_accountant;
GRANT EXECUTE ON FUNCTION ledger.entry_update(text,bigint,text,date,text,text,jsonb) TO bd_supervisor;
