-- inventory.leg_stock: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- The stock change of one leg costed from what it says or from the item as
-- it stands, for every posting (inventory.apply_legs, inventory.post_simple):
-- an inbound leg (p_qty > 0) at p_value, else its quantity at p_unit_cost,
-- else at the item's unit cost now, put on a stripe (inventory.put); an
-- outbound moving-average leg (p_qty < 0) at its share of the item's value
-- as it stands before the leg (all of it when the leg takes the last units;
-- 081), taken from a stripe in the same update as the quantity
-- (inventory.take, 082). Returns the stripe written and the leg's value
-- (negative out). FIFO and valued outbound legs are apply_legs' own.
CREATE OR REPLACE FUNCTION inventory.leg_stock(p_client_id integer, p_item_id integer, p_location_id integer, p_lot_id integer, p_qty numeric, p_value numeric, p_unit_cost numeric, OUT stripe smallint, OUT value numeric)
 RETURNS record
 LANGUAGE plpgsql
AS $function$
DECLARE
	v_t record;
BEGIN
	IF p_qty > 0 THEN
		value := coalesce(p_value, round(p_qty * coalesce(p_unit_cost,
			inventory.unit_cost_now(p_client_id, p_item_id)), 2));
		stripe := inventory.put(p_client_id, p_item_id, p_location_id, p_lot_id, p_qty, value);
		RETURN;
	END IF;
	v_t := inventory.item_totals(p_client_id, p_item_id);
	IF v_t.qty + p_qty <= 0 THEN
		value := -v_t.value;
	ELSE
		value := -round(-p_qty * v_t.value / v_t.qty, 2);
	END IF;
	stripe := inventory.take(p_client_id, p_item_id, p_location_id, p_lot_id, -p_qty, -value);
END
$function$;
ALTER FUNCTION inventory.leg_stock(integer,integer,integer,integer,numeric,numeric,numeric) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION inventory.leg_stock(integer,integer,integer,integer,numeric,numeric,numeric) FROM PUBLIC;
