-- inventory.item_put: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- item_save's work (internal; also the CSV import's), each field checked
-- with a message naming it.
CREATE OR REPLACE FUNCTION inventory.item_put(p_client_id integer, p_code text, p_description text, p_base_unit text, p_category text, p_valuation text, p_lots boolean, p_serials boolean, p_active boolean)
 RETURNS integer
 LANGUAGE plpgsql
AS $function$
DECLARE
	v_code text := btrim(coalesce(p_code, ''));
	v_unit text := upper(btrim(coalesce(p_base_unit, '')));
	v_val text := nullif(lower(btrim(coalesce(p_valuation, ''))), '');
	v_id integer;
	v_old inventory.items;
BEGIN
	IF v_code !~ '^[0-9A-Za-z][0-9A-Za-z._/-]{0,29}$' THEN
		RAISE EXCEPTION 'Item code "%" must be 1-30 letters, digits or . _ / -', v_code
			USING ERRCODE = 'BD001';
	END IF;
	IF btrim(coalesce(p_description, '')) = '' OR length(p_description) > 120
	   OR p_description ~ '[[:cntrl:]]' THEN
		RAISE EXCEPTION 'Item % needs a description of at most 120 characters', v_code
			USING ERRCODE = 'BD001';
	END IF;
	IF v_unit !~ '^[A-Z0-9]{1,8}$' THEN
		RAISE EXCEPTION 'Item %: the base unit must be 1-8 letters or digits (EA, KG)', v_code
			USING ERRCODE = 'BD001';
	END IF;
	IF v_val IS NOT NULL AND v_val NOT IN ('average', 'fifo') THEN
		RAISE EXCEPTION 'Item %: the valuation method is average, fifo or empty (the client''s)',
			v_code USING ERRCODE = 'BD001';
	END IF;
	IF length(coalesce(p_category, '')) > 40 OR p_category ~ '[[:cntrl:]]' THEN
		RAISE EXCEPTION 'Item %: the category is at most 40 characters', v_code
			USING ERRCODE = 'BD001';
	END IF;
	SELECT * INTO v_old FROM inventory.items WHERE client_id = p_client_id AND code = v_code
	FOR UPDATE;
	IF FOUND THEN
		IF v_old.base_unit <> v_unit AND EXISTS (SELECT 1 FROM inventory.move_lines
			WHERE client_id = p_client_id AND item_id = v_old.item_id) THEN
			RAISE EXCEPTION 'Item % has moves: its base unit stays %', v_code, v_old.base_unit
				USING ERRCODE = 'BD002';
		END IF;
		IF (v_old.lots <> coalesce(p_lots, false) OR v_old.serials <> coalesce(p_serials, false)
		    OR v_old.valuation IS DISTINCT FROM v_val)
		   AND EXISTS (SELECT 1 FROM inventory.move_lines
			       WHERE client_id = p_client_id AND item_id = v_old.item_id) THEN
			RAISE EXCEPTION 'Item % has moves: its valuation, lots and serials stay as they are',
				v_code USING ERRCODE = 'BD002';
		END IF;
		UPDATE inventory.items
		SET description = btrim(p_description), base_unit = v_unit,
		    category = btrim(coalesce(p_category, '')), valuation = v_val,
		    lots = coalesce(p_lots, false), serials = coalesce(p_serials, false),
		    active = coalesce(p_active, true)
		WHERE client_id = p_client_id AND item_id = v_old.item_id;
		RETURN v_old.item_id;
	END IF;
	INSERT INTO inventory.items (client_id, code, description, base_unit, category, valuation,
				     lots, serials, active)
	VALUES (p_client_id, v_code, btrim(p_description), v_unit, btrim(coalesce(p_category, '')),
		v_val, coalesce(p_lots, false), coalesce(p_serials, false), coalesce(p_active, true))
	RETURNING item_id INTO v_id;
	INSERT INTO inventory.units (client_id, item_id, unit, factor)
	VALUES (p_client_id, v_id, v_unit, 1);
	RETURN v_id;
END
$function$;
ALTER FUNCTION inventory.item_put(integer,text,text,text,text,text,boolean,boolean,boolean) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION inventory.item_put(integer,text,text,text,text,text,boolean,boolean,boolean) FROM PUBLIC;

