-- inventory.below_minimum: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- Items at or below their minimum at a location, with what brings them to
-- their maximum: the reorder list, and the supervisor board's stock alert
-- (a move that leaves an item at or below its minimum notifies the client's
-- queue channel, on which the board re-reads). Row security applies.
CREATE OR REPLACE VIEW inventory.below_minimum
WITH (security_invoker = true) AS
	SELECT c.code AS client, i.code AS item, i.description, l.code AS location,
	       i.base_unit AS unit, trim_scale(coalesce(q.qty, 0)) AS on_hand,
	       trim_scale(li.min_qty) AS min_qty, trim_scale(li.max_qty) AS max_qty,
	       trim_scale(li.max_qty - coalesce(q.qty, 0)) AS suggest
	FROM inventory.limits li
	JOIN core.clients c ON c.client_id = li.client_id
	JOIN inventory.items i ON i.client_id = li.client_id AND i.item_id = li.item_id
	JOIN inventory.locations l ON l.client_id = li.client_id AND l.location_id = li.location_id
	LEFT JOIN LATERAL (SELECT sum(s.qty) AS qty FROM inventory.stock s
			   WHERE s.client_id = li.client_id AND s.item_id = li.item_id
			     AND s.location_id = li.location_id) q ON true
	WHERE i.active AND coalesce(q.qty, 0) <= li.min_qty;
ALTER VIEW inventory.below_minimum OWNER TO bd_owner;
REVOKE ALL ON inventory.below_minimum FROM PUBLIC;
GRANT SELECT ON inventory.below_minimum TO bd_clerk, bd_accountant, bd_supervisor;
