-- inventory.revalue: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- After a backdated move of an item: costs what it affects again (FIFO:
-- the layers on hand rebuilt from the newest inbound units back; moving
-- average: the item's costed legs from the move's date on, in date order)
-- and posts the difference as one revaluation move, dated the latest leg it
-- changed (FIFO: the item's latest leg). Bounded by the item's layers on
-- hand (FIFO) or its legs after the date (average), never the history; set
-- based (see 074_inventory_speed.sql).
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
	v_n integer;
	v_have numeric;
	v_got integer;
	v_loc integer;
	v_stripe smallint;
	v_id bigint;
	v_entry bigint;
	v_seq bigint;
	i integer;
	k integer := 0;
	a_move bigint[];
	a_leg integer[];
	a_date date[];
	a_qty numeric[];
	a_cost numeric[];
	v_moves bigint[] := '{}';
	v_legs integer[] := '{}';
	v_costs numeric[] := '{}';
BEGIN
	IF inventory.method_of(p_client_id, p_item_id) = 'fifo' THEN
		PERFORM 1 FROM inventory.layers
		WHERE client_id = p_client_id AND item_id = p_item_id AND qty_left > 0
		ORDER BY layer_date, seq, layer_id FOR UPDATE;
		v_t := inventory.item_totals(p_client_id, p_item_id);
		-- the newest layers that hold the quantity on hand: the open ones
		-- and the few older ones that cover what the move added (read four
		-- times as many until they do, or there are no more)
		SELECT count(*) + 8 INTO v_n FROM inventory.layers
		WHERE client_id = p_client_id AND item_id = p_item_id AND qty_left > 0;
		LOOP
			SELECT coalesce(sum(x.qty_in), 0), count(*) INTO v_have, v_got
			FROM (SELECT qty_in FROM inventory.layers
			      WHERE client_id = p_client_id AND item_id = p_item_id
			      ORDER BY layer_date DESC, seq DESC, layer_id DESC LIMIT v_n) x;
			EXIT WHEN v_have >= v_t.qty OR v_got < v_n;
			v_n := v_n * 4;
		END LOOP;
		-- each keeps what the newer ones leave of the quantity on hand
		WITH newest AS (
			SELECT layer_id, qty_in, qty_left, unit_cost, layer_date, seq,
			       sum(qty_in) OVER (ORDER BY layer_date DESC, seq DESC, layer_id DESC) AS upto
			FROM (SELECT layer_id, qty_in, qty_left, unit_cost, layer_date, seq
			      FROM inventory.layers
			      WHERE client_id = p_client_id AND item_id = p_item_id
			      ORDER BY layer_date DESC, seq DESC, layer_id DESC LIMIT v_n) x),
		keep AS (
			SELECT layer_id, qty_left, unit_cost,
			       least(qty_in, greatest(v_t.qty - (upto - qty_in), 0)) AS keep
			FROM newest),
		-- (each UPDATE in WITH runs once, to completion, read or not)
		upd AS (
			UPDATE inventory.layers l SET qty_left = k.keep
			FROM keep k
			WHERE l.client_id = p_client_id AND l.layer_id = k.layer_id
			  AND k.keep <> k.qty_left
			RETURNING 1),
		oldest AS (
			SELECT layer_date, seq, layer_id FROM newest
			ORDER BY layer_date, seq, layer_id LIMIT 1),
		-- older layers than those are used up
		gone AS (
			UPDATE inventory.layers o SET qty_left = 0
			FROM oldest
			WHERE o.client_id = p_client_id AND o.item_id = p_item_id AND o.qty_left > 0
			  AND (o.layer_date, o.seq, o.layer_id)
			      < (oldest.layer_date, oldest.seq, oldest.layer_id)
			RETURNING 1)
		SELECT coalesce(sum(keep * unit_cost), 0) INTO v_new FROM keep;
		v_delta := round(v_new, 2) - v_t.value;
		SELECT max(move_date) INTO v_date FROM inventory.legs
		WHERE client_id = p_client_id AND item_id = p_item_id;
	ELSE
		-- the item's costed legs from the date on, in order, read once (each
		-- aggregate's sort finds its input sorted by the subquery already)
		SELECT array_agg(x.move_id ORDER BY x.move_date, x.seq, x.leg_no),
		       array_agg(x.leg_no ORDER BY x.move_date, x.seq, x.leg_no),
		       array_agg(x.move_date ORDER BY x.move_date, x.seq, x.leg_no),
		       array_agg(x.qty ORDER BY x.move_date, x.seq, x.leg_no),
		       array_agg(x.cost ORDER BY x.move_date, x.seq, x.leg_no),
		       coalesce(sum(x.qty), 0), coalesce(sum(x.cost), 0)
		INTO a_move, a_leg, a_date, a_qty, a_cost, v_q, v_v
		FROM (SELECT g.move_id, g.leg_no, g.move_date, g.seq, g.qty, g.cost
		      FROM inventory.legs g
		      WHERE g.client_id = p_client_id AND g.item_id = p_item_id
			AND g.move_date >= p_move.move_date AND g.costed
		      ORDER BY g.move_date, g.seq, g.leg_no) x;
		-- the item as it stood before the date
		v_t := inventory.item_totals(p_client_id, p_item_id);
		v_q := v_t.qty - v_q;
		v_v := v_t.value - v_v;
		FOR i IN 1 .. coalesce(array_length(a_qty, 1), 0) LOOP
			IF a_qty[i] > 0 OR v_q <= 0 THEN
				v_new := a_cost[i];
			ELSIF v_q + a_qty[i] <= 0 THEN
				v_new := -v_v;
			ELSE
				v_new := -round(-a_qty[i] * v_v / v_q, 2);
			END IF;
			v_q := v_q + a_qty[i];
			v_v := v_v + v_new;
			IF v_new <> a_cost[i] THEN
				k := k + 1;
				v_moves[k] := a_move[i];
				v_legs[k] := a_leg[i];
				v_costs[k] := v_new;
				v_delta := v_delta + v_new - a_cost[i];
				v_date := greatest(v_date, a_date[i]);
			END IF;
		END LOOP;
		-- one statement for the legs whose cost changed
		IF k > 0 THEN
			UPDATE inventory.legs g SET cost = c.cost
			FROM unnest(v_moves, v_legs, v_costs) AS c(move_id, leg_no, cost)
			WHERE g.client_id = p_client_id AND g.move_id = c.move_id
			  AND g.leg_no = c.leg_no;
		END IF;
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
				    lot_id, move_date, seq, qty, value, cost, costed)
	VALUES (p_client_id, v_id, 1, 0, p_item_id, v_loc, NULL, v_date, v_seq, 0, v_delta, v_delta,
		false);
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

