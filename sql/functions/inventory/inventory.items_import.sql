-- inventory.items_import: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- Imports items from a CSV file the client read (src/base/csv.c) and sent as
-- rows: [{"line": n, "code": .., "description": .., "unit": .., "category":
-- .., "valuation": .., "barcode": .., "min": .., "max": .., "location": ..}].
-- All or nothing: the first bad row refuses the file as "FILE:LINE: reason"
-- and nothing is imported. Returns the number of rows imported.
CREATE OR REPLACE FUNCTION inventory.items_import(p_client text, p_file text, p_rows jsonb)
 RETURNS integer
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'inventory', 'core', 'pg_temp'
AS $function$
DECLARE
	cid integer;
	r jsonb;
	n integer := 0;
	v_line text;
	v_id integer;
	i inventory.items;
	l inventory.locations;
	v_msg text;
BEGIN
	PERFORM core.require_role('accountant', 'supervisor');
	cid := core.client_id_of(p_client);
	IF jsonb_typeof(p_rows) IS DISTINCT FROM 'array' THEN
		RAISE EXCEPTION '%: no rows', p_file USING ERRCODE = 'BD001';
	END IF;
	FOR r IN SELECT x FROM jsonb_array_elements(p_rows) x LOOP
		v_line := coalesce(r ->> 'line', '?');
		BEGIN
			IF EXISTS (SELECT 1 FROM jsonb_array_elements(p_rows) y
				   WHERE y ->> 'code' = r ->> 'code'
				     AND (y ->> 'line')::int < (r ->> 'line')::int) THEN
				RAISE EXCEPTION 'item % is on an earlier line too', r ->> 'code'
					USING ERRCODE = 'BD003';
			END IF;
			v_id := inventory.item_put(cid, r ->> 'code', r ->> 'description', r ->> 'unit',
				coalesce(r ->> 'category', ''), r ->> 'valuation', false, false, true);
			SELECT * INTO STRICT i FROM inventory.items WHERE client_id = cid AND item_id = v_id;
			IF nullif(btrim(coalesce(r ->> 'barcode', '')), '') IS NOT NULL THEN
				PERFORM inventory.barcode_put(cid, i, r ->> 'barcode', NULL);
			END IF;
			IF nullif(btrim(coalesce(r ->> 'min', '')), '') IS NOT NULL
			   OR nullif(btrim(coalesce(r ->> 'max', '')), '') IS NOT NULL THEN
				l := inventory.location_of(cid, coalesce(r ->> 'location', ''));
				IF btrim(coalesce(r ->> 'min', '')) !~ '^[0-9]+(\.[0-9]+)?$'
				   OR btrim(coalesce(r ->> 'max', '')) !~ '^[0-9]+(\.[0-9]+)?$'
				   OR (r ->> 'max')::numeric < (r ->> 'min')::numeric THEN
					RAISE EXCEPTION 'min and max are numbers, max at least min'
						USING ERRCODE = 'BD001';
				END IF;
				INSERT INTO inventory.limits (client_id, item_id, location_id, min_qty, max_qty)
				VALUES (cid, v_id, l.location_id, (r ->> 'min')::numeric, (r ->> 'max')::numeric)
				ON CONFLICT (client_id, item_id, location_id)
				DO UPDATE SET min_qty = EXCLUDED.min_qty, max_qty = EXCLUDED.max_qty;
			END IF;
		EXCEPTION WHEN SQLSTATE 'BD001' OR SQLSTATE 'BD002' OR SQLSTATE 'BD003'
			       OR SQLSTATE 'BD004' THEN
			GET STACKED DIAGNOSTICS v_msg = MESSAGE_TEXT;
			RAISE EXCEPTION '%:%: %', p_file, v_line, v_msg USING ERRCODE = 'BD001';
		END;
		n := n + 1;
	END LOOP;
	RETURN n;
END
$function$;
ALTER FUNCTION inventory.items_import(text,text,jsonb) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION inventory.items_import(text,text,jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION inventory.items_import(text,text,jsonb) TO bd_accountant, bd_supervisor;
