-- ledger.entries_dates: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION ledger.entries_dates()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'ledger', 'pg_temp'
AS $function$
BEGIN
	UPDATE ledger.lines SET entry_date = NEW.entry_date
	WHERE client_id = NEW.client_id AND entry_id = NEW.entry_id;
	RETURN NULL;
END
$function$;
ALTER FUNCTION ledger.entries_dates() OWNER TO bd_owner;
REVOKE ALL ON FUNCTION ledger.entries_dates() FROM PUBLIC;
