-- inventory.item_of: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- An item of the client by code, or by barcode (internal).
CREATE OR REPLACE FUNCTION inventory.item_of(p_client_id integer, p_code text)
 RETURNS inventory.items
 LANGUAGE plpgsql
 STABLE
AS $function$
DECLARE
	i inventory.items;
BEGIN
	SELECT * INTO i FROM inventory.items
	WHERE client_id = p_client_id AND code = btrim(p_code);
	IF NOT FOUND THEN
		SELECT it.* INTO i FROM inventory.barcodes b
		JOIN inventory.items it ON it.client_id = b.client_id AND it.item_id = b.item_id
		WHERE b.client_id = p_client_id AND b.barcode = btrim(p_code);
	END IF;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'No item % (code or barcode)', coalesce(p_code, '(none)')
			USING ERRCODE = 'BD004';
	END IF;
	RETURN i;
END
$function$;
ALTER FUNCTION inventory.item_of(integer,text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION inventory.item_of(integer,text) FROM PUBLIC;

