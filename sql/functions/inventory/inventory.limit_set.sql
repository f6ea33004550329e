-- inventory.limit_set: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- Minimum and maximum of an item at a location (the reorder list's).
CREATE OR REPLACE FUNCTION inventory.limit_set(p_client text, p_item text, p_location text, p_min numeric, p_max numeric)
 RETURNS void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'inventory', 'core', 'pg_temp'
AS $function$
DECLARE
	cid integer;
	i inventory.items;
	l inventory.locations;
BEGIN
	PERFORM core.require_role('accountant', 'supervisor');
	cid := core.client_id_of(p_client);
	i := inventory.item_of(cid, p_item);
	l := inventory.location_of(cid, p_location);
	IF p_min IS NULL OR p_max IS NULL OR p_min < 0 OR p_max < p_min THEN
		RAISE EXCEPTION 'The minimum is 0 or more and the maximum at least the minimum'
			USING ERRCODE = 'BD001';
	END IF;
	INSERT INTO inventory.limits (client_id, item_id, location_id, min_qty, max_qty)
	VALUES (cid, i.item_id, l.location_id, p_min, p_max)
	ON CONFLICT (client_id, item_id, location_id)
	DO UPDATE SET min_qty = EXCLUDED.min_qty, max_qty = EXCLUDED.max_qty;
END
$function$;
ALTER FUNCTION inventory.limit_set(text,text,text,numeric,numeric) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION inventory.limit_set(text,text,text,numeric,numeric) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION inventory.limit_set(text,text,text,numeric,numeric) TO bd_accountant, bd_supervisor;

