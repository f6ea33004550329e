-- inventory.barcode_add: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- Adds a barcode (EAN-13 or UPC-A, check digit verified) to an item, for
-- its base unit or another of its units.
CREATE OR REPLACE FUNCTION inventory.barcode_add(p_client text, p_item text, p_barcode text, p_unit text DEFAULT NULL)
 RETURNS void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'inventory', 'core', 'pg_temp'
AS $function$
DECLARE
	cid integer;
	i inventory.items;
BEGIN
	PERFORM core.require_role('accountant', 'supervisor');
	cid := core.client_id_of(p_client);
	i := inventory.item_of(cid, p_item);
	PERFORM inventory.barcode_put(cid, i, p_barcode, p_unit);
END
$function$;
ALTER FUNCTION inventory.barcode_add(text,text,text,text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION inventory.barcode_add(text,text,text,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION inventory.barcode_add(text,text,text,text) TO bd_accountant, bd_supervisor;

