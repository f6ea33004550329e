-- inventory.method_of: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
CREATE OR REPLACE FUNCTION inventory.method_of(p_client_id integer, p_item_id integer)
 RETURNS text
 LANGUAGE sql
 STABLE
AS $function$
	SELECT coalesce(i.valuation, s.valuation)
	FROM inventory.items i
	JOIN inventory.settings s ON s.client_id = i.client_id
	WHERE i.client_id = p_client_id AND i.item_id = p_item_id
$function$;
ALTER FUNCTION inventory.method_of(integer,integer) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION inventory.method_of(integer,integer) FROM PUBLIC;

