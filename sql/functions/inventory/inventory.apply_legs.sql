-- inventory.apply_legs: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- Posts a move: applies its planned legs to stock (item, location, lot
-- order; see 050_inventory.sql), costs each, records the legs and sums,
-- marks the move posted, posts its ledger entry (maker p_maker), revalues
-- the FIFO items it backdates and signals a fall below a minimum. Returns
-- the move as posted (inventory.post_simple posts the everyday move in
-- fewer statements, 086). A moving-average leg, backdated or not, is costed
-- from the item's average as it stands now (081_inventory_bounded.sql).
CREATE OR REPLACE FUNCTION inventory.apply_legs(p_client_id integer, p_move_id bigint, p_plan inventory.leg_plan[], p_maker text, p_approver text)
 RETURNS inventory.moves
 LANGUAGE plpgsql
AS $function$
DECLARE
	m inventory.moves;
	p inventory.leg_plan;
	v_seq bigint := nextval('inventory.post_seq');
	v_back integer[];
	v_method text;
	v_stripe smallint;
	v_value numeric;
	v_total numeric := 0;
	v_s record;
	v_leg integer := 0;
	v_lines integer[] := '{}';
	v_items integer[] := '{}';
	v_locs integer[] := '{}';
	v_lots integer[] := '{}';
	v_stripes smallint[] := '{}';
	v_qtys numeric[] := '{}';
	v_values numeric[] := '{}';
	v_entry bigint;
	v_low boolean := false;
	v_item integer;
	v_n integer;
BEGIN
	SELECT * INTO STRICT m FROM inventory.moves WHERE client_id = p_client_id AND move_id = p_move_id;
	v_back := inventory.lock_items(p_client_id,
		(SELECT array_agg(x.item_id) FROM unnest(p_plan) x), m.move_date);
	-- The other items of outbound legs dated before a later move at their
	-- location, locked now in item order, before any stock (086).
	PERFORM inventory.lock_backdated(p_client_id, m.move_date,
		ARRAY(SELECT x.item_id FROM unnest(p_plan) x WHERE x.qty < 0),
		ARRAY(SELECT x.location_id FROM unnest(p_plan) x WHERE x.qty < 0), v_back);
	FOR p IN SELECT * FROM unnest(p_plan) x
		 ORDER BY x.item_id, x.location_id, x.lot_id NULLS FIRST, x.qty LOOP
		v_method := inventory.method_of(p_client_id, p.item_id);
		IF p.qty > 0 THEN
			v_s := inventory.leg_stock(p_client_id, p.item_id, p.location_id, p.lot_id, p.qty,
						   p.value, p.unit_cost);
			v_stripe := v_s.stripe;
			v_value := v_s.value;
			IF v_method = 'fifo' AND m.kind <> 'transfer' THEN
				INSERT INTO inventory.layers (client_id, item_id, move_id, layer_date, seq,
							      qty_in, qty_left, unit_cost)
				VALUES (p_client_id, p.item_id, m.move_id, m.move_date, v_seq, p.qty, p.qty,
					v_value / p.qty);
			END IF;
			IF p.serial IS NOT NULL THEN
				INSERT INTO inventory.serials AS s (client_id, item_id, serial, location_id)
				VALUES (p_client_id, p.item_id, p.serial, p.location_id)
				ON CONFLICT (client_id, item_id, serial) DO UPDATE
				SET location_id = EXCLUDED.location_id WHERE s.location_id IS NULL;
				GET DIAGNOSTICS v_n = ROW_COUNT;
				IF v_n = 0 THEN
					RAISE EXCEPTION 'Serial % of item % is in stock already', p.serial,
						(SELECT code FROM inventory.items
						 WHERE client_id = p_client_id AND item_id = p.item_id)
						USING ERRCODE = 'BD003';
				END IF;
			END IF;
		ELSIF p.qty < 0 AND p.value IS NULL AND v_method IS DISTINCT FROM 'fifo' THEN
			-- moving average: the leg takes its share of the item's value
			v_s := inventory.leg_stock(p_client_id, p.item_id, p.location_id, p.lot_id, p.qty,
						   NULL, NULL);
			v_stripe := v_s.stripe;
			v_value := v_s.value;
		ELSIF p.qty < 0 THEN
			v_stripe := inventory.take(p_client_id, p.item_id, p.location_id, p.lot_id, -p.qty, 0);
			IF p.value IS NOT NULL THEN
				v_value := p.value;
				IF p.layer_move IS NOT NULL AND v_method = 'fifo' THEN
					UPDATE inventory.layers
					SET qty_in = qty_in + p.qty, qty_left = qty_left + p.qty
					WHERE client_id = p_client_id AND item_id = p.item_id
					  AND move_id = p.layer_move AND qty_left >= -p.qty;
					GET DIAGNOSTICS v_n = ROW_COUNT;
					IF v_n = 0 THEN
						RAISE EXCEPTION 'The goods of move % were issued since; adjust the stock instead of reversing it',
							p.layer_move USING ERRCODE = 'BD003';
					END IF;
				END IF;
			ELSE
				v_value := -inventory.fifo_consume(p_client_id, p.item_id, -p.qty);
			END IF;
			UPDATE inventory.stock SET value = value + v_value
			WHERE client_id = p_client_id AND item_id = p.item_id
			  AND location_id = p.location_id AND lot_id IS NOT DISTINCT FROM p.lot_id
			  AND stripe = v_stripe;
		END IF;
		IF p.qty < 0 THEN
			IF p.serial IS NOT NULL THEN
				UPDATE inventory.serials SET location_id = NULL
				WHERE client_id = p_client_id AND item_id = p.item_id AND serial = p.serial
				  AND location_id = p.location_id;
				GET DIAGNOSTICS v_n = ROW_COUNT;
				IF v_n = 0 THEN
					RAISE EXCEPTION 'Serial % is not in stock at %', p.serial,
						(SELECT code FROM inventory.locations
						 WHERE client_id = p_client_id AND location_id = p.location_id)
						USING ERRCODE = 'BD003';
				END IF;
			END IF;
		ELSIF coalesce(p.qty, 0) = 0 THEN
			CONTINUE;
		END IF;
		v_leg := v_leg + 1;
		v_lines := v_lines || p.line_no;
		v_items := v_items || p.item_id;
		v_locs := v_locs || p.location_id;
		v_lots := v_lots || p.lot_id;
		v_stripes := v_stripes || v_stripe;
		v_qtys := v_qtys || p.qty;
		v_values := v_values || v_value;
		v_total := v_total + v_value;
	END LOOP;
	IF v_leg = 0 THEN
		RAISE EXCEPTION 'The move has no quantity to post' USING ERRCODE = 'BD001';
	END IF;
	-- backdated outbound legs against the days after their date, and the
	-- stock alert; then the legs and their sums
	v_low := inventory.legs_checked(p_client_id, m.move_date, true, v_items, v_locs, v_qtys);
	PERFORM inventory.legs_add(p_client_id, m.move_id, m.move_date, v_seq, m.kind <> 'transfer',
				   v_lines, v_items, v_locs, v_lots, v_stripes, v_qtys, v_values);
	v_entry := inventory.post_ledger(p_client_id, m.move_id, m.kind, m.move_date, m.reference,
					 v_total, p_maker);
	UPDATE inventory.moves
	SET status = 'posted', seq = v_seq, posted_at = now(), value = v_total, entry_id = v_entry,
	    approver = p_approver
	WHERE client_id = p_client_id AND move_id = m.move_id
	RETURNING * INTO m;
	FOREACH v_item IN ARRAY v_back LOOP
		PERFORM inventory.revalue(p_client_id, v_item, m, p_maker, p_approver);
	END LOOP;
	IF v_low THEN
		PERFORM core.notify_client(p_client_id, 'queue');
	END IF;
	RETURN m;
END
$function$;
ALTER FUNCTION inventory.apply_legs(integer,bigint,inventory.leg_plan[],text,text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION inventory.apply_legs(integer,bigint,inventory.leg_plan[],text,text) FROM PUBLIC;
