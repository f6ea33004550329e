-- inventory.item_save: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- Adds or changes an item (by code). valuation NULL: the client's method.
-- Accountants and supervisors. Returns the item's id.
CREATE OR REPLACE FUNCTION inventory.item_save(p_client text, p_code text, p_description text, p_base_unit text, p_category text DEFAULT '', p_valuation text DEFAULT NULL, p_lots boolean DEFAULT false, p_serials boolean DEFAULT false, p_active boolean DEFAULT true)
 RETURNS integer
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'inventory', 'core', 'pg_temp'
AS $function$
DECLARE
	cid integer;
	v_id integer;
BEGIN
	PERFORM core.require_role('accountant', 'supervisor');
	cid := core.client_id_of(p_client);
	RETURN inventory.item_put(cid, p_code, p_description, p_base_unit, p_category,
				  p_valuation, p_lots, p_serials, p_active);
END
$function$;
ALTER FUNCTION inventory.item_save(text,text,text,text,text,text,boolean,boolean,boolean) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION inventory.item_save(text,text,text,text,text,text,boolean,boolean,boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION inventory.item_save(text,text,text,text,text,text,boolean,boolean,boolean) TO bd_accountant, bd_supervisor;

