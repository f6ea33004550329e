-- inventory.settings_of: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- The client's inventory settings (internal; the caller resolved cid).
CREATE OR REPLACE FUNCTION inventory.settings_of(p_client_id integer)
 RETURNS inventory.settings
 LANGUAGE plpgsql
 STABLE
AS $function$
DECLARE
	s inventory.settings;
BEGIN
	SELECT * INTO s FROM inventory.settings WHERE client_id = p_client_id;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'Inventory is not set up for this client: an accountant sets its accounts first (inventory settings)'
			USING ERRCODE = 'BD004';
	END IF;
	RETURN s;
END
$function$;
ALTER FUNCTION inventory.settings_of(integer) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION inventory.settings_of(integer) FROM PUBLIC;

