-- inventory.method_of: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- PL/pgSQL, not SQL: a SQL function with a FROM is not inlined and is
-- planned again at every call (0.16 ms of an issue's 3.7, 082).
CREATE OR REPLACE FUNCTION inventory.method_of(p_client_id integer, p_item_id integer)
 RETURNS text
 LANGUAGE plpgsql
 STABLE
AS $function$
BEGIN
	RETURN (SELECT coalesce(i.valuation, s.valuation)
		FROM inventory.items i
		JOIN inventory.settings s ON s.client_id = i.client_id
		WHERE i.client_id = p_client_id AND i.item_id = p_item_id);
END
$function$;
ALTER FUNCTION inventory.method_of(integer,integer) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION inventory.method_of(integer,integer) FROM PUBLIC;

