-- ledger.entries_number: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION ledger.entries_number()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'ledger', 'pg_temp'
AS $function$
BEGIN
	INSERT INTO ledger.journal_counters AS c (client_id, journal, fiscal_year, last_no)
	VALUES (NEW.client_id, NEW.journal, NEW.fiscal_year, 1)
	ON CONFLICT (client_id, journal, fiscal_year) DO UPDATE SET last_no = c.last_no + 1
	RETURNING c.last_no INTO NEW.entry_no;
	RETURN NEW;
END
$function$;
ALTER FUNCTION ledger.entries_number() OWNER TO bd_owner;
REVOKE ALL ON FUNCTION ledger.entries_number() FROM PUBLIC;
