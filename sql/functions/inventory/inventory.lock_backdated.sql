-- inventory.lock_backdated: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- Before a move takes any stock (inventory.apply_legs, inventory.post_simple):
-- the items of its outbound legs (p_items at p_locs) dated before a later
-- move at their location, locked FOR NO KEY UPDATE in item order, except
-- p_except (FIFO items lock_items locked FOR UPDATE already, and every move
-- takes those before these). Two such moves of an item then see each
-- other's quantities in check_as_of, and no move waits for an item while
-- holding its stripes (086). Returns how many it locked: 0, no leg is
-- backdated.
CREATE OR REPLACE FUNCTION inventory.lock_backdated(p_client_id integer, p_date date, p_items integer[], p_locs integer[], p_except integer[])
 RETURNS integer
 LANGUAGE plpgsql
AS $function$
DECLARE
	v_n integer;
BEGIN
	PERFORM 1 FROM inventory.items i
	WHERE i.client_id = p_client_id AND i.item_id <> ALL (coalesce(p_except, '{}'))
	  AND i.item_id IN (
		SELECT x.item_id FROM unnest(p_items, p_locs) x(item_id, location_id)
		WHERE EXISTS (SELECT 1 FROM inventory.sums s
			      WHERE s.client_id = p_client_id AND s.item_id = x.item_id
				AND s.grain = 'd' AND s.bucket > p_date
				AND s.location_id = x.location_id))
	ORDER BY i.item_id
	FOR NO KEY UPDATE;
	GET DIAGNOSTICS v_n = ROW_COUNT;
	RETURN v_n;
END
$function$;
ALTER FUNCTION inventory.lock_backdated(integer,date,integer[],integer[],integer[]) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION inventory.lock_backdated(integer,date,integer[],integer[],integer[]) FROM PUBLIC;
