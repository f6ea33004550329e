-- inventory.revalue: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- After a move dated before a FIFO item's latest move: rebuilds the item's
-- layers on hand from the newest inbound units back and posts the
-- difference as one revaluation move, dated the item's latest leg. Bounded
-- by the layers on hand, never the history; set based (see
-- 074_inventory_speed.sql). Called for FIFO items only
-- (inventory.lock_items returns no other): a moving-average item is never
-- revalued.
--
-- Why moving average is not replayed (081_inventory_bounded.sql): costing
-- every later issue again with the rounded average is a sequential
-- recurrence over all the item's later legs, and the backdated quantity
-- changes every later point, so its work is the item's later history: 532
-- ms of backend CPU for a receipt a year back into 100,000 moves (goal 50
-- ms). Measured before choosing (2026-12-07): the replay loop alone, in
-- plpgsql over arrays, 196 ms CPU with numeric and 130 ms with bigint
-- minor units, and rewriting 75,000 legs' costs 260 ms; no window function
-- reproduces the per-issue rounding, and a window limited to the open
-- period is still unbounded (a period can hold the 100,000 moves) and would
-- give one move two rules. So moving average follows the convention of
-- SAP's moving average price and Odoo's AVCO: a posted move keeps its cost
-- (posted moves never change), a backdated move enters its quantity and
-- value at its date and is costed, like any move posted now, from the
-- item's average as it stands now, which it then changes for the moves
-- posted after it. The work is that of a move of today; the stock value as
-- of every date is still the sum of the legs to that date, which is what
-- the ledger holds (db.test_inventory). What it does not give: the issues
-- dated after a backdated receipt keep the average they were posted at, so
-- the item's value as of those dates is not what it would have been had the
-- receipt been keyed on time; the difference stays in the stock until the
-- item's later issues take it (README, Inventory, Costing).
CREATE OR REPLACE FUNCTION inventory.revalue(p_client_id integer, p_item_id integer, p_move inventory.moves, p_maker text, p_approver text)
 RETURNS numeric
 LANGUAGE plpgsql
AS $function$
DECLARE
	v_delta numeric := 0;
	v_date date;
	v_t record;
	v_new numeric;
	v_n integer;
	v_have numeric;
	v_got integer;
	v_loc integer;
	v_stripe smallint;
	v_id bigint;
	v_entry bigint;
	v_seq bigint;
BEGIN
	IF inventory.method_of(p_client_id, p_item_id) IS DISTINCT FROM 'fifo' THEN
		RETURN 0;
	END IF;
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
	PERFORM inventory.legs_add(p_client_id, v_id, v_date, v_seq, false, ARRAY[0], ARRAY[p_item_id],
				   ARRAY[v_loc], ARRAY[NULL::integer], ARRAY[v_stripe], ARRAY[0::numeric],
				   ARRAY[v_delta]);
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

