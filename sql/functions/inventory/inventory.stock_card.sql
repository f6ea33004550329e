-- inventory.stock_card: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- An item's legs in date order with running quantity and value (all
-- locations, or one), revaluations included.
CREATE OR REPLACE FUNCTION inventory.stock_card(p_client text, p_item text, p_location text DEFAULT NULL)
 RETURNS TABLE(move_date date, move_id bigint, kind text, reference text, location text, lot text, qty numeric, value numeric, run_qty numeric, run_value numeric)
 LANGUAGE sql
 STABLE
 SET search_path TO 'pg_catalog', 'inventory', 'core', 'pg_temp'
AS $function$
	SELECT g.move_date, g.move_id, m.kind, m.reference, l.code, coalesce(lo.lot, ''),
	       trim_scale(g.qty), g.value,
	       trim_scale(sum(g.qty) OVER w), sum(g.value) OVER w
	FROM inventory.legs g
	JOIN inventory.items i ON i.client_id = g.client_id AND i.item_id = g.item_id
	JOIN inventory.moves m ON m.client_id = g.client_id AND m.move_id = g.move_id
	JOIN inventory.locations l ON l.client_id = g.client_id AND l.location_id = g.location_id
	LEFT JOIN inventory.lots lo ON lo.client_id = g.client_id AND lo.lot_id = g.lot_id
	WHERE g.client_id = core.client_id_of(p_client)
	  AND (i.code = btrim(p_item)
	       OR i.item_id = (SELECT b.item_id FROM inventory.barcodes b
			       WHERE b.client_id = g.client_id AND b.barcode = btrim(p_item)))
	  AND (nullif(btrim(coalesce(p_location, '')), '') IS NULL OR l.code = btrim(p_location))
	WINDOW w AS (ORDER BY g.move_date, g.seq, g.leg_no)
	ORDER BY g.move_date, g.seq, g.leg_no
$function$;
ALTER FUNCTION inventory.stock_card(text,text,text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION inventory.stock_card(text,text,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION inventory.stock_card(text,text,text) TO bd_clerk, bd_accountant, bd_supervisor;

