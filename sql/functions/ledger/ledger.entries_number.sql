-- ledger.entries_number: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION ledger.entries_number()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'ledger', 'pg_temp'
AS $function$
BEGIN
	NEW.entry_no := ledger.entry_no_next(NEW.client_id, NEW.journal, NEW.fiscal_year);
	RETURN NEW;
END
$function$;
ALTER FUNCTION ledger.entries_number() OWNER TO bd_owner;
REVOKE ALL ON FUNCTION ledger.entries_number() FROM PUBLIC;
