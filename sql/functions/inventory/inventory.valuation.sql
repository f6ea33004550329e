-- inventory.valuation: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- Stock value per item as of a date (NULL: today): quantity, value, unit
-- cost, method.
CREATE OR REPLACE FUNCTION inventory.valuation(p_client text, p_as_of date DEFAULT NULL)
 RETURNS TABLE(item text, description text, method text, unit text, qty numeric, value numeric, unit_cost numeric)
 LANGUAGE sql
 STABLE
 SET search_path TO 'pg_catalog', 'inventory', 'core', 'pg_temp'
AS $function$
	SELECT o.item, min(o.description),
	       min(coalesce(i.valuation, s.valuation)), min(o.unit), sum(o.qty), sum(o.value),
	       CASE WHEN sum(o.qty) > 0 THEN round(sum(o.value) / sum(o.qty), 4) END
	FROM inventory.on_hand(p_client, p_as_of) o
	JOIN inventory.items i ON i.client_id = core.client_id_of(p_client) AND i.code = o.item
	JOIN inventory.settings s ON s.client_id = i.client_id
	GROUP BY o.item
	ORDER BY o.item
$function$;
ALTER FUNCTION inventory.valuation(text,date) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION inventory.valuation(text,date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION inventory.valuation(text,date) TO bd_accountant, bd_supervisor;

