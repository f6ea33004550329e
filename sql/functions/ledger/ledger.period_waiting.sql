-- ledger.period_waiting: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- Per period of the client (fiscal year p_year, NULL: all), how many
-- entries wait for approval: keyed ones in ledger.entries and those of
-- import batches, staged in ledger.import_lines (087), which operators do
-- not read directly. For the period list (ledger.period_list).

CREATE OR REPLACE FUNCTION ledger.period_waiting(p_client text, p_year integer)
 RETURNS TABLE(fiscal_year smallint, period_no smallint, waiting bigint)
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'ledger', 'core', 'pg_temp'
 SET enable_nestloop TO 'off'
AS $function$
DECLARE
	cid integer;
BEGIN
	PERFORM core.require_role('accountant', 'supervisor');
	cid := core.client_id_of(p_client);
	RETURN QUERY
	SELECT p.fiscal_year, p.period_no,
	       (SELECT count(*) FROM ledger.entries e
		WHERE e.client_id = p.client_id AND e.fiscal_year = p.fiscal_year
		  AND e.period_no = p.period_no AND e.status = 'submitted')
	       + ledger.import_waiting(cid, p.start_date, p.end_date)
	FROM ledger.periods p
	WHERE p.client_id = cid AND (p_year IS NULL OR p.fiscal_year = p_year);
END
$function$;
ALTER FUNCTION ledger.period_waiting(text,integer) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION ledger.period_waiting(text,integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ledger.period_waiting(text,integer) TO bd_accountant;
GRANT EXECUTE ON FUNCTION ledger.period_waiting(text,integer) TO bd_supervisor;
