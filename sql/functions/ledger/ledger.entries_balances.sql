-- ledger.entries_balances: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION ledger.entries_balances()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'ledger', 'pg_temp'
AS $function$
BEGIN
	PERFORM ledger.balances_add(NEW.client_id, NEW.entry_id, NEW.entry_date);
	RETURN NEW;
END
$function$;
ALTER FUNCTION ledger.entries_balances() OWNER TO bd_owner;
REVOKE ALL ON FUNCTION ledger.entries_balances() FROM PUBLIC;
