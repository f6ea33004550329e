-- inventory.unit_set: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- A conversion: one p_unit of the item is p_factor base units (BOX = 12).
CREATE OR REPLACE FUNCTION inventory.unit_set(p_client text, p_item text, p_unit text, p_factor numeric)
 RETURNS void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'inventory', 'core', 'pg_temp'
AS $function$
DECLARE
	cid integer;
	i inventory.items;
	v_unit text := upper(btrim(coalesce(p_unit, '')));
BEGIN
	PERFORM core.require_role('accountant', 'supervisor');
	cid := core.client_id_of(p_client);
	i := inventory.item_of(cid, p_item);
	IF v_unit !~ '^[A-Z0-9]{1,8}$' OR p_factor IS NULL OR p_factor <= 0 THEN
		RAISE EXCEPTION 'A unit is 1-8 letters or digits with a positive number of base units'
			USING ERRCODE = 'BD001';
	END IF;
	IF v_unit = i.base_unit AND p_factor <> 1 THEN
		RAISE EXCEPTION 'The base unit % is 1 %', i.base_unit, i.base_unit USING ERRCODE = 'BD001';
	END IF;
	INSERT INTO inventory.units (client_id, item_id, unit, factor)
	VALUES (cid, i.item_id, v_unit, p_factor)
	ON CONFLICT (client_id, item_id, unit) DO UPDATE SET factor = EXCLUDED.factor;
END
$function$;
ALTER FUNCTION inventory.unit_set(text,text,text,numeric) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION inventory.unit_set(text,text,text,numeric) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION inventory.unit_set(text,text,text,numeric) TO bd_accountant, bd_supervisor;

