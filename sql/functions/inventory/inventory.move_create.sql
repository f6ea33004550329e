-- inventory.move_create: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- Keys a stock move and posts it, or leaves it waiting for approval when
-- its value is above the client's limit. p_kind: receipt, issue, transfer,
-- adjustment (a reason; signed quantities), return. p_lines: [{"item": code
-- or barcode, "qty", "unit" (default: the barcode's or the base unit),
-- "location", "to_location" (transfer), "lot", "expiry", "serial",
-- "unit_cost" (receipt: per unit keyed)}]. Clerks, accountants,
-- supervisors. Returns "Move N posted" or "Move N waits for approval".
-- A receipt, issue, adjustment or return of moving-average items without
-- lots or serials, under the approval limit, is posted by
-- inventory.post_simple (086); every other move, and any line with an
-- error, goes through the loop below, plan_move and apply_legs.
CREATE OR REPLACE FUNCTION inventory.move_create(p_client text, p_kind text, p_date date, p_reference text, p_reason text, p_lines jsonb)
 RETURNS text
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'inventory', 'ledger', 'core', 'pg_temp'
AS $function$
DECLARE
	cid integer;
	s inventory.settings;
	m inventory.moves;
	x record;
	it inventory.items;
	lo inventory.locations;
	v_to integer;
	v_lot integer;
	v_unit text;
	v_factor numeric;
	v_qty numeric;
	v_cost numeric;
	v_estimate numeric := 0;
	v_items integer[] := '{}';
	v_rows inventory.move_lines[] := '{}';
	v_row inventory.move_lines;
	v_kind text := lower(btrim(coalesce(p_kind, '')));
	n integer;
	v_posted text;
BEGIN
	-- An operator of these roles assigned to the active client, in one
	-- statement (086: the checks of core.require_role and core.client_id_of,
	-- five calls and six statements); anyone else through those functions,
	-- which say why, or let a superuser in.
	IF current_setting('transaction_isolation') = 'read committed' THEN
		SELECT c.client_id INTO cid
		FROM core.operator_access a
		JOIN core.clients c ON c.code = upper(btrim(p_client)) AND c.client_id = ANY (a.clients)
		WHERE a.login = session_user AND a.role IN ('clerk', 'accountant', 'supervisor')
		  AND pg_has_role(session_user, 'bd_' || a.role, 'MEMBER') AND c.active;
	END IF;
	IF cid IS NULL THEN
		PERFORM core.require_role('clerk', 'accountant', 'supervisor');
		cid := core.client_id_of(p_client);
	END IF;
	s := inventory.settings_of(cid);
	IF v_kind NOT IN ('receipt', 'issue', 'transfer', 'adjustment', 'return') THEN
		RAISE EXCEPTION 'A stock move is a receipt, issue, transfer, adjustment or return'
			USING ERRCODE = 'BD001';
	END IF;
	IF p_date IS NULL OR NOT isfinite(p_date) THEN
		RAISE EXCEPTION 'The move needs a real date' USING ERRCODE = 'BD001';
	END IF;
	IF length(coalesce(p_reference, '')) > 40 OR p_reference ~ '[[:cntrl:]]' THEN
		RAISE EXCEPTION 'The reference is at most 40 printable characters' USING ERRCODE = 'BD001';
	END IF;
	IF length(coalesce(p_reason, '')) > 200 OR p_reason ~ '[[:cntrl:]]' THEN
		RAISE EXCEPTION 'The reason is at most 200 printable characters' USING ERRCODE = 'BD001';
	END IF;
	IF v_kind = 'adjustment' AND btrim(coalesce(p_reason, '')) = '' THEN
		RAISE EXCEPTION 'An adjustment needs a reason' USING ERRCODE = 'BD001';
	END IF;
	IF jsonb_typeof(p_lines) IS DISTINCT FROM 'array' OR jsonb_array_length(p_lines) = 0 THEN
		RAISE EXCEPTION 'The move needs at least one line' USING ERRCODE = 'BD001';
	END IF;
	IF jsonb_array_length(p_lines) > 500 THEN
		RAISE EXCEPTION 'A move has at most 500 lines' USING ERRCODE = 'BD001';
	END IF;
	-- the everyday move in about twenty statements (086); NULL: not one
	v_posted := inventory.post_simple(cid, s, v_kind, p_date, p_reference, p_reason, p_lines);
	IF v_posted IS NOT NULL THEN
		RETURN v_posted;
	END IF;
	FOR x IN SELECT e.v, e.n::integer AS n FROM jsonb_array_elements(p_lines) WITH ORDINALITY e(v, n) LOOP
		BEGIN
			it := inventory.item_of(cid, x.v ->> 'item');
			IF NOT it.active THEN
				RAISE EXCEPTION 'item % is inactive', it.code USING ERRCODE = 'BD001';
			END IF;
			lo := inventory.location_of(cid, x.v ->> 'location');
			v_unit := upper(btrim(coalesce(x.v ->> 'unit', '')));
			IF v_unit = '' THEN
				SELECT coalesce(b.unit, it.base_unit) INTO v_unit FROM inventory.barcodes b
				WHERE b.client_id = cid AND b.barcode = btrim(x.v ->> 'item');
				v_unit := coalesce(v_unit, it.base_unit);
			END IF;
			SELECT factor INTO v_factor FROM inventory.units
			WHERE client_id = cid AND item_id = it.item_id AND unit = v_unit;
			IF NOT FOUND THEN
				RAISE EXCEPTION 'item % has no unit %', it.code, v_unit USING ERRCODE = 'BD004';
			END IF;
			IF btrim(coalesce(x.v ->> 'qty', '')) !~ '^-?[0-9]{1,12}(\.[0-9]{1,4})?$' THEN
				RAISE EXCEPTION 'the quantity must be a number' USING ERRCODE = 'BD001';
			END IF;
			v_qty := (x.v ->> 'qty')::numeric;
			IF v_qty = 0 OR (v_qty < 0 AND v_kind <> 'adjustment') THEN
				RAISE EXCEPTION 'the quantity must be more than 0%',
					CASE WHEN v_kind = 'adjustment' THEN ' or less (a loss)' ELSE '' END
					USING ERRCODE = 'BD001';
			END IF;
			v_cost := NULL;
			IF nullif(btrim(coalesce(x.v ->> 'unit_cost', '')), '') IS NOT NULL THEN
				IF btrim(x.v ->> 'unit_cost') !~ '^[0-9]{1,12}(\.[0-9]{1,6})?$' THEN
					RAISE EXCEPTION 'the unit cost must be a number, 0 or more'
						USING ERRCODE = 'BD001';
				END IF;
				v_cost := (x.v ->> 'unit_cost')::numeric / v_factor;
			ELSIF v_kind = 'receipt' THEN
				RAISE EXCEPTION 'a receipt line needs its unit cost' USING ERRCODE = 'BD001';
			END IF;
			v_to := NULL;
			IF v_kind = 'transfer' THEN
				v_to := (inventory.location_of(cid, x.v ->> 'to_location')).location_id;
				IF v_to = lo.location_id THEN
					RAISE EXCEPTION 'a transfer goes to another location' USING ERRCODE = 'BD001';
				END IF;
			END IF;
			v_lot := NULL;
			IF nullif(btrim(coalesce(x.v ->> 'lot', '')), '') IS NOT NULL THEN
				IF NOT it.lots THEN
					RAISE EXCEPTION 'item % has no lots', it.code USING ERRCODE = 'BD001';
				END IF;
				IF btrim(x.v ->> 'lot') !~ '^[0-9A-Za-z][0-9A-Za-z._/-]{0,29}$' THEN
					RAISE EXCEPTION 'lot "%" must be 1-30 letters, digits or . _ / -',
						x.v ->> 'lot' USING ERRCODE = 'BD001';
				END IF;
				IF v_kind IN ('receipt', 'return') OR v_qty > 0 AND v_kind = 'adjustment' THEN
					INSERT INTO inventory.lots (client_id, item_id, lot, expiry)
					VALUES (cid, it.item_id, btrim(x.v ->> 'lot'),
						nullif(btrim(coalesce(x.v ->> 'expiry', '')), '')::date)
					ON CONFLICT (client_id, item_id, lot) DO NOTHING;
				END IF;
				SELECT lot_id INTO v_lot FROM inventory.lots
				WHERE client_id = cid AND item_id = it.item_id AND lot = btrim(x.v ->> 'lot');
				IF NOT FOUND THEN
					RAISE EXCEPTION 'item % has no lot %', it.code, x.v ->> 'lot'
						USING ERRCODE = 'BD004';
				END IF;
			ELSIF it.lots AND (v_kind IN ('receipt', 'return')
					   OR v_qty > 0 AND v_kind = 'adjustment') THEN
				RAISE EXCEPTION 'item % is kept by lot: say which lot', it.code
					USING ERRCODE = 'BD001';
			END IF;
			IF it.serials THEN
				IF v_qty * v_factor NOT IN (1, -1)
				   OR nullif(btrim(coalesce(x.v ->> 'serial', '')), '') IS NULL THEN
					RAISE EXCEPTION 'item % has serial numbers: one unit and its serial a line',
						it.code USING ERRCODE = 'BD001';
				END IF;
				IF btrim(x.v ->> 'serial') !~ '^[0-9A-Za-z][0-9A-Za-z._/-]{0,39}$' THEN
					RAISE EXCEPTION 'serial "%" must be 1-40 letters, digits or . _ / -',
						x.v ->> 'serial' USING ERRCODE = 'BD001';
				END IF;
			ELSIF nullif(btrim(coalesce(x.v ->> 'serial', '')), '') IS NOT NULL THEN
				RAISE EXCEPTION 'item % has no serial numbers', it.code USING ERRCODE = 'BD001';
			END IF;
		EXCEPTION WHEN SQLSTATE 'BD001' OR SQLSTATE 'BD003' OR SQLSTATE 'BD004'
			       OR invalid_datetime_format OR datetime_field_overflow THEN
			DECLARE
				v_msg text;
				v_state text;
			BEGIN
				GET STACKED DIAGNOSTICS v_msg = MESSAGE_TEXT, v_state = RETURNED_SQLSTATE;
				IF v_state LIKE '22%' THEN
					v_msg := 'the expiry must be a date (YYYY-MM-DD)';
					v_state := 'BD001';
				END IF;
				RAISE EXCEPTION 'Line %: %', x.n, v_msg USING ERRCODE = v_state;
			END;
		END;
		v_row := ROW(cid, 0, x.n, it.item_id, lo.location_id, v_to, v_lot,
			     nullif(btrim(coalesce(x.v ->> 'serial', '')), ''), v_qty, v_unit,
			     v_qty * v_factor, v_cost)::inventory.move_lines;
		v_rows := v_rows || v_row;
		v_items := v_items || it.item_id;
		-- the estimate is for the approval limit only (posting sets the value)
		IF s.approval_above IS NOT NULL THEN
			v_estimate := v_estimate + abs(v_qty * v_factor)
				* coalesce(v_cost, inventory.unit_cost_now(cid, it.item_id));
		END IF;
	END LOOP;
	PERFORM inventory.lock_items(cid, v_items, p_date);
	INSERT INTO inventory.moves (client_id, kind, move_date, reference, reason, status, maker,
				     value)
	VALUES (cid, v_kind, p_date, btrim(coalesce(p_reference, '')), btrim(coalesce(p_reason, '')),
		'submitted', session_user, round(v_estimate, 2))
	RETURNING * INTO m;
	INSERT INTO inventory.move_lines
	SELECT r.client_id, m.move_id, r.line_no, r.item_id, r.location_id, r.to_location_id,
	       r.lot_id, r.serial, r.qty, r.unit, r.qty_base, r.unit_cost
	FROM unnest(v_rows) r;
	IF s.approval_above IS NOT NULL AND round(v_estimate, 2) > s.approval_above THEN
		PERFORM ledger.open_period(cid, p_date, false);
		PERFORM core.notify_client(cid, 'approvals');
		RETURN format('Move %s waits for approval (value %s over %s)', m.move_id,
			      round(v_estimate, 2), s.approval_above);
	END IF;
	m := inventory.apply_legs(cid, m.move_id, inventory.plan_move(cid, m),
				  'inventory:' || session_user, NULL);
	RETURN format('Move %s posted', m.move_id);
END
$function$;
ALTER FUNCTION inventory.move_create(text,text,date,text,text,jsonb) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION inventory.move_create(text,text,date,text,text,jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION inventory.move_create(text,text,date,text,text,jsonb) TO bd_clerk, bd_accountant, bd_supervisor;

