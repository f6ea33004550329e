-- inventory.barcode_put: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
CREATE OR REPLACE FUNCTION inventory.barcode_put(p_client_id integer, p_item inventory.items, p_barcode text, p_unit text)
 RETURNS void
 LANGUAGE plpgsql
AS $function$
DECLARE
	v_code text := btrim(coalesce(p_barcode, ''));
	v_unit text := nullif(upper(btrim(coalesce(p_unit, ''))), '');
	v_other text;
BEGIN
	IF NOT inventory.barcode_ok(v_code) THEN
		RAISE EXCEPTION 'Barcode % is not a valid EAN-13 or UPC-A (check digit)', v_code
			USING ERRCODE = 'BD001';
	END IF;
	IF v_unit IS NOT NULL AND NOT EXISTS (SELECT 1 FROM inventory.units
		WHERE client_id = p_client_id AND item_id = p_item.item_id AND unit = v_unit) THEN
		RAISE EXCEPTION 'Item % has no unit %', p_item.code, v_unit USING ERRCODE = 'BD004';
	END IF;
	SELECT i.code INTO v_other FROM inventory.barcodes b
	JOIN inventory.items i ON i.client_id = b.client_id AND i.item_id = b.item_id
	WHERE b.client_id = p_client_id AND b.barcode = v_code AND b.item_id <> p_item.item_id;
	IF FOUND THEN
		RAISE EXCEPTION 'Barcode % is item %''s', v_code, v_other USING ERRCODE = 'BD003';
	END IF;
	INSERT INTO inventory.barcodes (client_id, barcode, item_id, unit)
	VALUES (p_client_id, v_code, p_item.item_id, v_unit)
	ON CONFLICT (client_id, barcode) DO UPDATE SET unit = EXCLUDED.unit;
END
$function$;
ALTER FUNCTION inventory.barcode_put(integer,inventory.items,text,text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION inventory.barcode_put(integer,inventory.items,text,text) FROM PUBLIC;

