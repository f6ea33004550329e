-- inventory.location_of: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
CREATE OR REPLACE FUNCTION inventory.location_of(p_client_id integer, p_code text)
 RETURNS inventory.locations
 LANGUAGE plpgsql
 STABLE
AS $function$
DECLARE
	l inventory.locations;
BEGIN
	SELECT * INTO l FROM inventory.locations
	WHERE client_id = p_client_id AND code = btrim(p_code);
	IF NOT FOUND THEN
		RAISE EXCEPTION 'No location %', coalesce(p_code, '(none)') USING ERRCODE = 'BD004';
	END IF;
	RETURN l;
END
$function$;
ALTER FUNCTION inventory.location_of(integer,text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION inventory.location_of(integer,text) FROM PUBLIC;

