-- ledger.period_close: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION ledger.period_close(p_client text, p_year integer, p_period integer)
 RETURNS void
 LANGUAGE sql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'ledger', 'pg_temp'
AS $function$ SELECT ledger.period_set_state(p_client, p_year, p_period, 'closed'); $function$;
ALTER FUNCTION ledger.period_close(text,integer,integer) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION ledger.period_close(text,integer,integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ledger.period_close(text,integer,integer) TO bd_accountant;
GRANT EXECUTE ON FUNCTION ledger.period_close(text,integer,integer) TO bd_supervisor;
