-- ledger.entry_for_update: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION ledger.entry_for_update(p_client_id integer, p_entry_id bigint)
 RETURNS ledger.entries
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'ledger', 'pg_temp'
AS $function$
DECLARE
	e ledger.entries;
BEGIN
	SELECT * INTO e FROM ledger.entries
	WHERE client_id = p_client_id AND entry_id = p_entry_id FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'No entry %', p_entry_id USING ERRCODE = 'BD004';
	END IF;
	RETURN e;
END
$function$;
ALTER FUNCTION ledger.entry_for_update(integer,bigint) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION ledger.entry_for_update(integer,bigint) FROM PUBLIC;
