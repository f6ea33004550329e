-- inventory.post_simple: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- The one-call path of inventory.move_create (086) for the everyday move:
-- a receipt, issue, adjustment or return whose every line is a valid line
-- of an active moving-average item without lots or serial numbers, and
-- whose value needs no approval. It posts the move in about twenty statements
-- where the general path (plan_move, apply_legs, post_from_source) takes
-- about fifty-five (both besides the triggers' own): the lines resolved in
-- one query (items by code or barcode, locations, units), the move written
-- once as posted (no second write, no guard trigger), its lines in one
-- INSERT, its legs and sums by inventory.legs_add, and the ledger entry
-- last, in one statement (ledger.post_source_lines, 089), so the journal
-- counter its numbering takes is held only until the commit.
-- Every guarantee is the general path's and comes from the same code
-- (089): each leg's stock and cost by inventory.leg_stock (the stripes of
-- inventory.put and inventory.take for stock never negative, the
-- moving-average share of the item's totals as they stand, 081), the
-- backdated items locked by inventory.lock_backdated, checked and the
-- stock alert by inventory.legs_checked, the legs and sums written by
-- inventory.legs_add, the ledger's triggers for the open period, balance
-- and numbering. What is this function's own: the lines resolved in one
-- query and the move written once, posted.
--
-- Returns NULL having written nothing when the move is not such a move (a
-- line with an error, a lot, a serial, a FIFO item, a value above the
-- approval limit): the general path then posts it or says what is wrong,
-- with its messages. The caller (move_create) has checked the caller's role
-- and client, the header and that p_lines is an array of 1 to 500 lines.
CREATE OR REPLACE FUNCTION inventory.post_simple(p_client_id integer, p_settings inventory.settings, p_kind text, p_date date, p_reference text, p_reason text, p_lines jsonb)
 RETURNS text
 LANGUAGE plpgsql
AS $function$
DECLARE
	v_ok boolean;
	v_rows inventory.move_lines[];
	v_estimate numeric;
	v_move bigint;
	v_seq bigint;
	v_entry bigint;
	v_backdated integer := 0;
	r record;
	v_s record;
	v_total numeric := 0;
	v_lines integer[] := '{}';
	v_items integer[] := '{}';
	v_locs integer[] := '{}';
	v_stripes smallint[] := '{}';
	v_qtys numeric[] := '{}';
	v_values numeric[] := '{}';
	v_low boolean := false;
BEGIN
	IF p_kind NOT IN ('receipt', 'issue', 'adjustment', 'return') THEN
		RETURN NULL;
	END IF;
	-- Every line resolved in one statement; ok: the line is valid (the
	-- checks of move_create's loop) and simple.
	SELECT bool_and(l.ok) AND count(*) = jsonb_array_length(p_lines),
	       array_agg(ROW(p_client_id, 0, l.n, l.item_id, l.location_id, NULL, NULL, NULL, l.qty,
			     l.unit, l.qty * l.factor, l.cost)::inventory.move_lines ORDER BY l.n),
	       sum(CASE WHEN p_settings.approval_above IS NOT NULL AND l.ok THEN
			abs(l.qty * l.factor)
			* coalesce(l.cost, inventory.unit_cost_now(p_client_id, l.item_id)) END)
	INTO v_ok, v_rows, v_estimate
	FROM (SELECT e.n::integer AS n, it.item_id, lo.location_id, u.unit, u.factor, q.qty,
		     q.cost_text::numeric / u.factor AS cost,
		     (it.item_id IS NOT NULL AND it.active AND NOT it.lots AND NOT it.serials
		      AND coalesce(it.valuation, p_settings.valuation) = 'average'
		      AND lo.location_id IS NOT NULL AND u.factor IS NOT NULL
		      AND q.qty IS NOT NULL AND q.qty <> 0 AND (q.qty > 0 OR p_kind = 'adjustment')
		      AND q.cost_ok AND (q.cost_text IS NOT NULL OR p_kind <> 'receipt')
		      AND nullif(btrim(coalesce(e.v ->> 'lot', '')), '') IS NULL
		      AND nullif(btrim(coalesce(e.v ->> 'serial', '')), '') IS NULL) AS ok
	      FROM jsonb_array_elements(p_lines) WITH ORDINALITY e(v, n)
	      CROSS JOIN LATERAL (
		SELECT CASE WHEN btrim(coalesce(e.v ->> 'qty', '')) ~ '^-?[0-9]{1,12}(\.[0-9]{1,4})?$'
			    THEN (e.v ->> 'qty')::numeric END AS qty,
		       CASE WHEN btrim(e.v ->> 'unit_cost') ~ '^[0-9]{1,12}(\.[0-9]{1,6})?$'
			    THEN btrim(e.v ->> 'unit_cost') END AS cost_text,
		       nullif(btrim(coalesce(e.v ->> 'unit_cost', '')), '') IS NULL
		       OR btrim(e.v ->> 'unit_cost') ~ '^[0-9]{1,12}(\.[0-9]{1,6})?$' AS cost_ok) q
	      LEFT JOIN LATERAL (
		(SELECT i.* FROM inventory.items i
		 WHERE i.client_id = p_client_id AND i.code = btrim(e.v ->> 'item'))
		UNION ALL
		(SELECT i.* FROM inventory.barcodes b
		 JOIN inventory.items i ON i.client_id = b.client_id AND i.item_id = b.item_id
		 WHERE b.client_id = p_client_id AND b.barcode = btrim(e.v ->> 'item'))
		LIMIT 1) it ON true
	      LEFT JOIN LATERAL (
		SELECT lc.location_id FROM inventory.locations lc
		WHERE lc.client_id = p_client_id AND lc.code = btrim(e.v ->> 'location')) lo ON true
	      LEFT JOIN LATERAL (
		SELECT un.unit, un.factor FROM inventory.units un
		WHERE un.client_id = p_client_id AND un.item_id = it.item_id
		  AND un.unit = coalesce(nullif(upper(btrim(coalesce(e.v ->> 'unit', ''))), ''),
					 (SELECT coalesce(b.unit, it.base_unit) FROM inventory.barcodes b
					  WHERE b.client_id = p_client_id
					    AND b.barcode = btrim(e.v ->> 'item')),
					 it.base_unit)) u ON true) l;
	IF NOT coalesce(v_ok, false)
	   OR round(v_estimate, 2) > p_settings.approval_above THEN
		RETURN NULL;
	END IF;

	v_seq := nextval('inventory.post_seq');
	v_move := nextval('inventory.moves_move_id_seq');
	-- The items of outbound legs dated before a later move at their
	-- location locked now, in item order, before any stock (086)
	IF p_kind <> 'receipt' AND p_kind <> 'return' THEN
		v_backdated := inventory.lock_backdated(p_client_id, p_date,
			ARRAY(SELECT x.item_id FROM unnest(v_rows) x
			      WHERE p_kind = 'issue' OR x.qty_base < 0),
			ARRAY(SELECT x.location_id FROM unnest(v_rows) x
			      WHERE p_kind = 'issue' OR x.qty_base < 0), NULL);
	END IF;
	-- The legs in (item, location, quantity) order, as apply_legs, each
	-- costed and put or taken by the same function (inventory.leg_stock)
	FOR r IN SELECT x.line_no, x.item_id, x.location_id, x.unit_cost,
			CASE WHEN p_kind = 'issue' THEN -x.qty_base ELSE x.qty_base END AS qty
		 FROM unnest(v_rows) x
		 ORDER BY x.item_id, x.location_id, 5 LOOP
		v_s := inventory.leg_stock(p_client_id, r.item_id, r.location_id, NULL, r.qty, NULL,
					   r.unit_cost);
		v_lines := v_lines || r.line_no;
		v_items := v_items || r.item_id;
		v_locs := v_locs || r.location_id;
		v_stripes := v_stripes || v_s.stripe;
		v_qtys := v_qtys || r.qty;
		v_values := v_values || v_s.value;
		v_total := v_total + v_s.value;
	END LOOP;
	v_low := inventory.legs_checked(p_client_id, p_date, v_backdated > 0, v_items, v_locs, v_qtys);

	IF v_total <> 0 THEN
		v_entry := nextval('ledger.entries_entry_id_seq');
	END IF;
	INSERT INTO inventory.moves (client_id, move_id, kind, move_date, reference, reason, status,
				     maker, posted_at, seq, value, entry_id)
	OVERRIDING SYSTEM VALUE
	VALUES (p_client_id, v_move, p_kind, p_date, btrim(coalesce(p_reference, '')),
		btrim(coalesce(p_reason, '')), 'posted', session_user, now(), v_seq, v_total, v_entry);
	INSERT INTO inventory.move_lines
	SELECT x.client_id, v_move, x.line_no, x.item_id, x.location_id, x.to_location_id,
	       x.lot_id, x.serial, x.qty, x.unit, x.qty_base, x.unit_cost
	FROM unnest(v_rows) x;
	PERFORM inventory.legs_add(p_client_id, v_move, p_date, v_seq, true, v_lines, v_items, v_locs,
				   array_fill(NULL::integer, ARRAY[cardinality(v_lines)]), v_stripes,
				   v_qtys, v_values);
	-- last: the ledger entry (or, with no value, the open period check)
	PERFORM inventory.post_ledger(p_client_id, v_move, p_kind, p_date,
				      btrim(coalesce(p_reference, '')), v_total,
				      'inventory:' || session_user, v_entry);
	IF v_low THEN
		PERFORM core.notify_client(p_client_id, 'queue');
	END IF;
	RETURN format('Move %s posted', v_move);
END
$function$;
ALTER FUNCTION inventory.post_simple(integer,inventory.settings,text,date,text,text,jsonb) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION inventory.post_simple(integer,inventory.settings,text,date,text,text,jsonb) FROM PUBLIC;
