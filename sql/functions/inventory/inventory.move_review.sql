-- inventory.move_review: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- One stock move as its checker sees it (Show in the approvals inbox):
-- the header on every row (kind, date, reference, reason, maker, status,
-- value when keyed) and its lines as keyed, each with its unit cost (the
-- keyed cost of a receipt, else the item's cost now) and value. Accountants
-- and supervisors, who approve moves; row security keeps to their clients
-- (core.client_id_of refuses another client). Definer: the cost now reads
-- the item's stock and layers.
CREATE OR REPLACE FUNCTION inventory.move_review(p_client text, p_move bigint)
 RETURNS TABLE(move_id bigint, kind text, move_date date, reference text, reason text, maker text, status text, total numeric, line_no integer, item text, description text, qty numeric, unit text, location text, to_location text, lot text, unit_cost numeric, value numeric)
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'inventory', 'core', 'pg_temp'
AS $function$
	SELECT m.move_id, m.kind, m.move_date, m.reference, m.reason, m.maker, m.status, m.value,
	       l.line_no, i.code, i.description, trim_scale(l.qty), l.unit, lo.code,
	       coalesce(tl.code, ''), coalesce(lt.lot, ''),
	       trim_scale(round(c.cost * l.qty_base / nullif(l.qty, 0), 4)),
	       round(abs(l.qty_base) * c.cost, 2)
	FROM inventory.moves m
	JOIN inventory.move_lines l ON l.client_id = m.client_id AND l.move_id = m.move_id
	JOIN inventory.items i ON i.client_id = l.client_id AND i.item_id = l.item_id
	JOIN inventory.locations lo ON lo.client_id = l.client_id AND lo.location_id = l.location_id
	LEFT JOIN inventory.locations tl ON tl.client_id = l.client_id
					AND tl.location_id = l.to_location_id
	LEFT JOIN inventory.lots lt ON lt.client_id = l.client_id AND lt.lot_id = l.lot_id
	CROSS JOIN LATERAL (SELECT coalesce(l.unit_cost,
					    inventory.unit_cost_now(l.client_id, l.item_id)) AS cost) c
	WHERE m.client_id = core.client_id_of(p_client) AND m.move_id = p_move
	  AND (core.my_role() IN ('accountant', 'supervisor') OR core.is_superuser())
	ORDER BY l.line_no
$function$;
ALTER FUNCTION inventory.move_review(text,bigint) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION inventory.move_review(text,bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION inventory.move_review(text,bigint) TO bd_accountant, bd_supervisor;
