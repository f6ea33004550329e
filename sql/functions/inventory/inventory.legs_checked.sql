-- inventory.legs_checked: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- After a move's stock changes, for every posting (inventory.apply_legs,
-- inventory.post_simple), with its legs (p_items, p_locs, p_qtys; out
-- negative): when p_backdated, each item and location it takes from
-- checked once against the days after p_date with all the move takes there
-- (inventory.check_as_of; 086: checked leg by leg, two lines of 3 passed a
-- day that had 5); then whether an outbound leg left an item at or below
-- its minimum at the location (the supervisor board's alert: the caller
-- notifies the client's queue channel when true).
CREATE OR REPLACE FUNCTION inventory.legs_checked(p_client_id integer, p_date date, p_backdated boolean, p_items integer[], p_locs integer[], p_qtys numeric[])
 RETURNS boolean
 LANGUAGE plpgsql
AS $function$
DECLARE
	v_t record;
BEGIN
	IF p_backdated THEN
		FOR v_t IN SELECT l.item_id, l.location_id, -sum(l.qty) AS qty
			   FROM unnest(p_items, p_locs, p_qtys) l(item_id, location_id, qty)
			   GROUP BY l.item_id, l.location_id HAVING sum(l.qty) < 0
			   ORDER BY l.item_id, l.location_id LOOP
			PERFORM inventory.check_as_of(p_client_id, v_t.item_id, v_t.location_id, p_date,
						      v_t.qty);
		END LOOP;
	END IF;
	RETURN EXISTS (
		SELECT 1 FROM unnest(p_items, p_locs, p_qtys) l(item_id, location_id, qty)
		CROSS JOIN LATERAL (
			SELECT li.min_qty FROM inventory.limits li
			WHERE li.client_id = p_client_id AND li.item_id = l.item_id
			  AND li.location_id = l.location_id) li
		WHERE l.qty < 0
		  AND (SELECT coalesce(sum(s.qty), 0) FROM inventory.stock s
		       WHERE s.client_id = p_client_id AND s.item_id = l.item_id
			 AND s.location_id = l.location_id) <= li.min_qty);
END
$function$;
ALTER FUNCTION inventory.legs_checked(integer,date,boolean,integer[],integer[],numeric[]) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION inventory.legs_checked(integer,date,boolean,integer[],integer[],numeric[]) FROM PUBLIC;
