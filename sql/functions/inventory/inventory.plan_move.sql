-- inventory.plan_move: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- The legs a move's lines make (before costing): inbound +, outbound -; a
-- transfer is an outbound and an inbound leg of the same value; an outbound
-- line of a lot item without a lot takes the lots first to expire (FEFO).
CREATE OR REPLACE FUNCTION inventory.plan_move(p_client_id integer, p_move inventory.moves)
 RETURNS inventory.leg_plan[]
 LANGUAGE plpgsql
AS $function$
DECLARE
	ln inventory.move_lines;
	it inventory.items;
	v_plan inventory.leg_plan[] := '{}';
	v_pieces inventory.leg_plan[];
	v_left numeric;
	v_val numeric;
	v_cost numeric;
	p inventory.leg_plan;
	r record;
BEGIN
	FOR ln IN SELECT * FROM inventory.move_lines
		  WHERE client_id = p_client_id AND move_id = p_move.move_id ORDER BY line_no LOOP
		SELECT * INTO STRICT it FROM inventory.items
		WHERE client_id = p_client_id AND item_id = ln.item_id;
		IF p_move.kind IN ('receipt', 'return')
		   OR (p_move.kind IN ('adjustment', 'count') AND ln.qty_base > 0) THEN
			v_plan := v_plan || ROW(ln.line_no, ln.item_id, ln.location_id, ln.lot_id,
						abs(ln.qty_base), NULL, ln.unit_cost, ln.serial,
						NULL)::inventory.leg_plan;
			CONTINUE;
		END IF;
		-- outbound (or a transfer's out leg): the lots it takes
		v_pieces := '{}';
		IF it.lots AND ln.lot_id IS NULL THEN
			v_left := abs(ln.qty_base);
			FOR r IN SELECT s.lot_id, sum(s.qty) AS q
				 FROM inventory.stock s
				 JOIN inventory.lots lo ON lo.client_id = s.client_id AND lo.lot_id = s.lot_id
				 WHERE s.client_id = p_client_id AND s.item_id = ln.item_id
				   AND s.location_id = ln.location_id AND s.lot_id IS NOT NULL
				 GROUP BY s.lot_id, lo.expiry HAVING sum(s.qty) > 0
				 ORDER BY lo.expiry NULLS LAST, s.lot_id LOOP
				EXIT WHEN v_left <= 0;
				v_pieces := v_pieces || ROW(ln.line_no, ln.item_id, ln.location_id, r.lot_id,
							    -least(r.q, v_left), NULL, NULL, ln.serial,
							    NULL)::inventory.leg_plan;
				v_left := v_left - least(r.q, v_left);
			END LOOP;
			IF v_left > 0 THEN
				RAISE EXCEPTION 'Not enough % at %: % short in its lots', it.code,
					(SELECT code FROM inventory.locations
					 WHERE client_id = p_client_id AND location_id = ln.location_id),
					trim_scale(v_left) USING ERRCODE = 'BD003';
			END IF;
		ELSE
			v_pieces := ARRAY[ROW(ln.line_no, ln.item_id, ln.location_id, ln.lot_id,
					      -abs(ln.qty_base), NULL, NULL, ln.serial,
					      NULL)::inventory.leg_plan];
		END IF;
		IF p_move.kind <> 'transfer' THEN
			v_plan := v_plan || v_pieces;
			CONTINUE;
		END IF;
		v_cost := inventory.unit_cost_now(p_client_id, ln.item_id);
		FOREACH p IN ARRAY v_pieces LOOP
			v_val := round(-p.qty * v_cost, 2);
			p.value := -v_val;
			v_plan := v_plan || p;
			p.location_id := ln.to_location_id;
			p.qty := -p.qty;
			p.value := v_val;
			v_plan := v_plan || p;
		END LOOP;
	END LOOP;
	RETURN v_plan;
END
$function$;
ALTER FUNCTION inventory.plan_move(integer,inventory.moves) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION inventory.plan_move(integer,inventory.moves) FROM PUBLIC;

