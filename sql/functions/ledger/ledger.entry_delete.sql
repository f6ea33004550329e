-- ledger.entry_delete: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION ledger.entry_delete(p_client text, p_entry_id bigint)
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
	IF e.maker <> session_user THEN
		RAISE EXCEPTION 'Only % may delete this draft', e.maker USING ERRCODE = 'BD002';
	END IF;
	DELETE FROM ledger.entries WHERE client_id = cid AND entry_id = p_entry_id;
END
$function$;
ALTER FUNCTION ledger.entry_delete(text,bigint) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION ledger.entry_delete(text,bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ledger.entry_delete(text,bigint) TO bd_accountant;
GRANT EXECUTE ON FUNCTION ledger.entry_delete(text,bigint) TO bd_supervisor;
