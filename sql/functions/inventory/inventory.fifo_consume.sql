-- inventory.fifo_consume: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- Consumes p_qty from the item's oldest FIFO layers and returns their
-- value (rounded to the cent). First the oldest layers no concurrent issue
-- is consuming (SKIP LOCKED), in a subtransaction rolled back (so its locks
-- go) when they do not hold enough; then the oldest layers in order,
-- waiting for them.
CREATE OR REPLACE FUNCTION inventory.fifo_consume(p_client_id integer, p_item_id integer, p_qty numeric)
 RETURNS numeric
 LANGUAGE plpgsql
AS $function$
DECLARE
	v_left numeric;
	v_value numeric;
	v_take numeric;
	l record;
BEGIN
	BEGIN
		v_left := p_qty;
		v_value := 0;
		FOR l IN SELECT layer_id, qty_left, unit_cost FROM inventory.layers
			 WHERE client_id = p_client_id AND item_id = p_item_id AND qty_left > 0
			 ORDER BY layer_date, seq, layer_id
			 FOR UPDATE SKIP LOCKED LOOP
			v_take := least(l.qty_left, v_left);
			UPDATE inventory.layers SET qty_left = qty_left - v_take
			WHERE client_id = p_client_id AND layer_id = l.layer_id;
			v_value := v_value + v_take * l.unit_cost;
			v_left := v_left - v_take;
			EXIT WHEN v_left <= 0;
		END LOOP;
		IF v_left > 0 THEN
			RAISE EXCEPTION USING ERRCODE = 'BDF10';
		END IF;
		RETURN round(v_value, 2);
	EXCEPTION WHEN SQLSTATE 'BDF10' THEN
		NULL;
	END;
	v_left := p_qty;
	v_value := 0;
	FOR l IN SELECT layer_id, qty_left, unit_cost FROM inventory.layers
		 WHERE client_id = p_client_id AND item_id = p_item_id AND qty_left > 0
		 ORDER BY layer_date, seq, layer_id
		 FOR UPDATE LOOP
		v_take := least(l.qty_left, v_left);
		UPDATE inventory.layers SET qty_left = qty_left - v_take
		WHERE client_id = p_client_id AND layer_id = l.layer_id;
		v_value := v_value + v_take * l.unit_cost;
		v_left := v_left - v_take;
		EXIT WHEN v_left <= 0;
	END LOOP;
	IF v_left > 0 THEN
		RAISE EXCEPTION 'The cost layers of item % hold less than its stock', p_item_id
			USING ERRCODE = 'BD003';
	END IF;
	RETURN round(v_value, 2);
END
$function$;
ALTER FUNCTION inventory.fifo_consume(integer,integer,numeric) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION inventory.fifo_consume(integer,integer,numeric) FROM PUBLIC;

