-- inventory.on_hand: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- Quantity and value on hand per item and location as of a date (NULL:
-- today), from the day, month and year sums (a few rows per item and
-- location, never the moves).
CREATE OR REPLACE FUNCTION inventory.on_hand(p_client text, p_as_of date DEFAULT NULL)
 RETURNS TABLE(item text, description text, location text, unit text, qty numeric, value numeric)
 LANGUAGE sql
 STABLE
 SET search_path TO 'pg_catalog', 'inventory', 'core', 'pg_temp'
AS $function$
	WITH d AS (SELECT coalesce(p_as_of, current_date) AS d),
	b AS (SELECT d.d, date_trunc('year', d.d::timestamp)::date AS y,
		     date_trunc('month', d.d::timestamp)::date AS m FROM d),
	s AS (
		SELECT s.item_id, s.location_id, sum(s.qty) AS qty, sum(s.value) AS value
		FROM inventory.sums s, b
		WHERE s.client_id = core.client_id_of(p_client)
		  AND ((s.grain = 'y' AND s.bucket < b.y)
		       OR (s.grain = 'm' AND s.bucket >= b.y AND s.bucket < b.m)
		       OR (s.grain = 'd' AND s.bucket >= b.m AND s.bucket <= b.d))
		GROUP BY s.item_id, s.location_id)
	SELECT i.code, i.description, l.code, i.base_unit, trim_scale(s.qty), s.value
	FROM s
	JOIN inventory.items i ON i.client_id = core.client_id_of(p_client) AND i.item_id = s.item_id
	JOIN inventory.locations l ON l.client_id = i.client_id AND l.location_id = s.location_id
	WHERE s.qty <> 0 OR s.value <> 0
	ORDER BY i.code, l.code
$function$;
ALTER FUNCTION inventory.on_hand(text,date) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION inventory.on_hand(text,date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION inventory.on_hand(text,date) TO bd_clerk, bd_accountant, bd_supervisor;

