-- inventory.stock_value: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- The client's whole stock value as of a date (NULL: today).
CREATE OR REPLACE FUNCTION inventory.stock_value(p_client text, p_as_of date DEFAULT NULL)
 RETURNS numeric
 LANGUAGE sql
 STABLE
 SET search_path TO 'pg_catalog', 'inventory', 'core', 'pg_temp'
AS $function$
	-- three index range scans of the client's value sums (074): the years
	-- before the date's year, its year's months before its month, its
	-- month's days to it; a few slots per bucket, whatever the moves
	WITH b AS (SELECT core.client_id_of(p_client) AS cid, coalesce(p_as_of, current_date) AS d,
			  date_trunc('year', coalesce(p_as_of, current_date)::timestamp)::date AS y,
			  date_trunc('month', coalesce(p_as_of, current_date)::timestamp)::date AS m)
	SELECT coalesce(sum(v), 0) FROM (
		SELECT s.value AS v FROM inventory.value_sums s, b
		WHERE s.client_id = b.cid AND s.grain = 'y' AND s.bucket < b.y
		UNION ALL
		SELECT s.value FROM inventory.value_sums s, b
		WHERE s.client_id = b.cid AND s.grain = 'm' AND s.bucket >= b.y AND s.bucket < b.m
		UNION ALL
		SELECT s.value FROM inventory.value_sums s, b
		WHERE s.client_id = b.cid AND s.grain = 'd' AND s.bucket >= b.m AND s.bucket <= b.d) x
$function$;
ALTER FUNCTION inventory.stock_value(text,date) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION inventory.stock_value(text,date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION inventory.stock_value(text,date) TO bd_accountant, bd_supervisor;
