-- inventory.revalue: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- After a backdated move of an item: costs what it affects again (FIFO:
-- the layers on hand rebuilt from the newest inbound units back; moving
-- average: the item's legs from the move's date on, in date order) and
-- posts the difference as one revaluation move, dated the latest leg it
-- changed (FIFO: the item's latest leg). Bounded by the item's layers on
-- hand (FIFO) or its legs after the date (average), never the history.
CREATE OR REPLACE FUNCTION inventory.revalue(p_client_id integer, p_item_id integer, p_move inventory.moves, p_maker text, p_approver text)
 RETURNS numeric
 LANGUAGE plpgsql
AS $function$
DECLARE
	v_delta numeric := 0;
	v_date date;
	v_t record;
	v_q numeric;
	v_v numeric;
	v_new numeric;
	v_left numeric;
	v_keep numeric;
	v_last bigint;
	v_loc integer;
	v_stripe smallint;
	v_id bigint;
	v_entry bigint;
	v_seq bigint;
	l record;
	v_moves bigint[] := '{}';
	v_legs integer[] := '{}';
	v_costs numeric[] := '{}';
BEGIN
	v_t := inventory.item_totals(p_client_id, p_item_id);
	IF inventory.method_of(p_client_id, p_item_id) = 'fifo' THEN
		PERFORM 1 FROM inventory.layers
		WHERE client_id = p_client_id AND item_id = p_item_id AND qty_left > 0
		ORDER BY layer_date, seq, layer_id FOR UPDATE;
		v_t := inventory.item_totals(p_client_id, p_item_id);
		v_left := v_t.qty;
		v_new := 0;
		FOR l IN SELECT layer_id, qty_in, qty_left, unit_cost FROM inventory.layers
			 WHERE client_id = p_client_id AND item_id = p_item_id
			 ORDER BY layer_date DESC, seq DESC, layer_id DESC FOR UPDATE LOOP
			v_keep := least(l.qty_in, v_left);
			IF v_keep <> l.qty_left THEN
				UPDATE inventory.layers SET qty_left = v_keep
				WHERE client_id = p_client_id AND layer_id = l.layer_id;
			END IF;
			v_new := v_new + v_keep * l.unit_cost;
			v_left := v_left - v_keep;
			v_last := l.layer_id;
			EXIT WHEN v_left <= 0;
		END LOOP;
		-- older layers than the last one kept are used up
		UPDATE inventory.layers o SET qty_left = 0
		FROM inventory.layers k
		WHERE o.client_id = p_client_id AND o.item_id = p_item_id AND o.qty_left > 0
		  AND k.client_id = p_client_id AND k.layer_id = v_last
		  AND (o.layer_date, o.seq, o.layer_id) < (k.layer_date, k.seq, k.layer_id);
		v_delta := round(v_new, 2) - v_t.value;
		SELECT max(move_date) INTO v_date FROM inventory.legs
		WHERE client_id = p_client_id AND item_id = p_item_id;
	ELSE
		SELECT coalesce(sum(g.qty), 0), coalesce(sum(g.cost), 0) INTO v_q, v_v
		FROM inventory.legs g
		JOIN inventory.moves mv ON mv.client_id = g.client_id AND mv.move_id = g.move_id
		WHERE g.client_id = p_client_id AND g.item_id = p_item_id
		  AND g.move_date >= p_move.move_date AND mv.kind NOT IN ('revaluation', 'transfer');
		-- the item as it stood before the date
		v_q := v_t.qty - v_q;
		v_v := v_t.value - v_v;
		FOR l IN SELECT g.move_id, g.leg_no, g.move_date, g.qty, g.cost
			 FROM inventory.legs g
			 JOIN inventory.moves mv ON mv.client_id = g.client_id AND mv.move_id = g.move_id
			 WHERE g.client_id = p_client_id AND g.item_id = p_item_id
			   AND g.move_date >= p_move.move_date
			   AND mv.kind NOT IN ('revaluation', 'transfer')
			 ORDER BY g.move_date, g.seq, g.leg_no LOOP
			IF l.qty > 0 OR v_q <= 0 THEN
				v_new := l.cost;
			ELSIF v_q + l.qty <= 0 THEN
				v_new := -v_v;
			ELSE
				v_new := -round(-l.qty * v_v / v_q, 2);
			END IF;
			v_q := v_q + l.qty;
			v_v := v_v + v_new;
			IF v_new <> l.cost THEN
				v_moves := v_moves || l.move_id;
				v_legs := v_legs || l.leg_no;
				v_costs := v_costs || v_new;
				v_delta := v_delta + v_new - l.cost;
				v_date := greatest(v_date, l.move_date);
			END IF;
		END LOOP;
		-- one statement for the legs whose cost changed
		UPDATE inventory.legs g SET cost = c.cost
		FROM unnest(v_moves, v_legs, v_costs) AS c(move_id, leg_no, cost)
		WHERE g.client_id = p_client_id AND g.move_id = c.move_id AND g.leg_no = c.leg_no;
	END IF;
	IF v_delta = 0 THEN
		RETURN 0;
	END IF;
	SELECT location_id INTO v_loc FROM inventory.legs
	WHERE client_id = p_client_id AND move_id = p_move.move_id AND item_id = p_item_id
	ORDER BY leg_no LIMIT 1;
	v_seq := nextval('inventory.post_seq');
	INSERT INTO inventory.moves (client_id, kind, move_date, reference, reason, status, maker)
	VALUES (p_client_id, 'revaluation', v_date, 'Move ' || p_move.move_id,
		'Revaluation after backdated move ' || p_move.move_id, 'submitted', p_move.maker)
	RETURNING move_id INTO v_id;
	v_stripe := inventory.put(p_client_id, p_item_id, v_loc, NULL, 0, v_delta);
	INSERT INTO inventory.legs (client_id, move_id, leg_no, line_no, item_id, location_id,
				    lot_id, move_date, seq, qty, value, cost)
	VALUES (p_client_id, v_id, 1, 0, p_item_id, v_loc, NULL, v_date, v_seq, 0, v_delta, v_delta);
	PERFORM inventory.add_sums(p_client_id, jsonb_build_array(jsonb_build_object(
		'item_id', p_item_id, 'location_id', v_loc, 'd', v_date, 'stripe', v_stripe,
		'qty', 0, 'value', v_delta)));
	v_entry := inventory.post_ledger(p_client_id, v_id, 'revaluation', v_date,
					 'Move ' || p_move.move_id, v_delta, p_maker);
	UPDATE inventory.moves
	SET status = 'posted', seq = v_seq, posted_at = now(), value = v_delta, entry_id = v_entry,
	    approver = p_approver
	WHERE client_id = p_client_id AND move_id = v_id;
	RETURN v_delta;
END
$function$;
ALTER FUNCTION inventory.revalue(integer,integer,inventory.moves,text,text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION inventory.revalue(integer,integer,inventory.moves,text,text) FROM PUBLIC;

