-- inventory.count_submit: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- A blind cycle count at a location: what the counter saw, without being
-- shown what the system holds. p_lines: [{"item": code or barcode, "lot",
-- "qty"}]. It waits for a second person (kind 'inventory.count'), whose
-- approval turns the differences into a count move. Returns the message.
CREATE OR REPLACE FUNCTION inventory.count_submit(p_client text, p_location text, p_date date, p_lines jsonb)
 RETURNS text
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'inventory', 'ledger', 'core', 'pg_temp'
AS $function$
DECLARE
	cid integer;
	lo inventory.locations;
	it inventory.items;
	v_id bigint;
	v_lot integer;
	x record;
BEGIN
	PERFORM core.require_role('clerk', 'accountant', 'supervisor');
	cid := core.client_id_of(p_client);
	PERFORM inventory.settings_of(cid);
	lo := inventory.location_of(cid, p_location);
	IF p_date IS NULL OR NOT isfinite(p_date) THEN
		RAISE EXCEPTION 'The count needs a real date' USING ERRCODE = 'BD001';
	END IF;
	PERFORM ledger.open_period(cid, p_date, false);
	IF jsonb_typeof(p_lines) IS DISTINCT FROM 'array' OR jsonb_array_length(p_lines) = 0 THEN
		RAISE EXCEPTION 'The count needs at least one line' USING ERRCODE = 'BD001';
	END IF;
	INSERT INTO inventory.counts (client_id, location_id, count_date, status)
	VALUES (cid, lo.location_id, p_date, 'submitted')
	RETURNING count_id INTO v_id;
	FOR x IN SELECT e.v, e.n::integer AS n FROM jsonb_array_elements(p_lines) WITH ORDINALITY e(v, n) LOOP
		BEGIN
			it := inventory.item_of(cid, x.v ->> 'item');
			IF btrim(coalesce(x.v ->> 'qty', '')) !~ '^[0-9]{1,12}(\.[0-9]{1,4})?$' THEN
				RAISE EXCEPTION 'the quantity counted must be a number, 0 or more'
					USING ERRCODE = 'BD001';
			END IF;
			v_lot := NULL;
			IF it.lots THEN
				SELECT lot_id INTO v_lot FROM inventory.lots
				WHERE client_id = cid AND item_id = it.item_id
				  AND lot = btrim(coalesce(x.v ->> 'lot', ''));
				IF NOT FOUND THEN
					RAISE EXCEPTION 'item % is kept by lot: say which of its lots',
						it.code USING ERRCODE = 'BD001';
				END IF;
			END IF;
			INSERT INTO inventory.count_lines (client_id, count_id, line_no, item_id, lot_id,
							   counted)
			VALUES (cid, v_id, x.n, it.item_id, v_lot, (x.v ->> 'qty')::numeric);
		EXCEPTION WHEN unique_violation THEN
			RAISE EXCEPTION 'Line %: item % is counted on an earlier line', x.n, it.code
				USING ERRCODE = 'BD003';
		WHEN SQLSTATE 'BD001' OR SQLSTATE 'BD004' THEN
			DECLARE
				v_msg text;
				v_state text;
			BEGIN
				GET STACKED DIAGNOSTICS v_msg = MESSAGE_TEXT, v_state = RETURNED_SQLSTATE;
				RAISE EXCEPTION 'Line %: %', x.n, v_msg USING ERRCODE = v_state;
			END;
		END;
	END LOOP;
	PERFORM core.notify_client(cid, 'approvals');
	RETURN format('Count %s waits for approval', v_id);
END
$function$;
ALTER FUNCTION inventory.count_submit(text,text,date,jsonb) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION inventory.count_submit(text,text,date,jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION inventory.count_submit(text,text,date,jsonb) TO bd_clerk, bd_accountant, bd_supervisor;

