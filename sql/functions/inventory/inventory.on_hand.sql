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
	WITH b AS (SELECT core.client_id_of(p_client) AS cid, coalesce(p_as_of, current_date) AS d,
			  date_trunc('year', coalesce(p_as_of, current_date)::timestamp)::date AS y,
			  date_trunc('month', coalesce(p_as_of, current_date)::timestamp)::date AS m),
	x AS (
		SELECT s.item_id, s.location_id, s.qty, s.value FROM inventory.sums s, b
		WHERE s.client_id = b.cid AND s.grain = 'y' AND s.bucket < b.y
		UNION ALL
		SELECT s.item_id, s.location_id, s.qty, s.value FROM inventory.sums s, b
		WHERE s.client_id = b.cid AND s.grain = 'm' AND s.bucket >= b.y AND s.bucket < b.m
		UNION ALL
		SELECT s.item_id, s.location_id, s.qty, s.value FROM inventory.sums s, b
		WHERE s.client_id = b.cid AND s.grain = 'd' AND s.bucket >= b.m AND s.bucket <= b.d),
	t AS (SELECT item_id, location_id, sum(qty) AS qty, sum(value) AS value FROM x
	      GROUP BY item_id, location_id)
	SELECT i.code, i.description, l.code, i.base_unit, trim_scale(t.qty), t.value
	FROM t
	CROSS JOIN b
	JOIN inventory.items i ON i.client_id = b.cid AND i.item_id = t.item_id
	JOIN inventory.locations l ON l.client_id = b.cid AND l.location_id = t.location_id
	WHERE t.qty <> 0 OR t.value <> 0
	ORDER BY i.code, l.code
$function$;
ALTER FUNCTION inventory.on_hand(text,date) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION inventory.on_hand(text,date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION inventory.on_hand(text,date) TO bd_clerk, bd_accountant, bd_supervisor;
