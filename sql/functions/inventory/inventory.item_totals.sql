-- inventory.item_totals: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- The item's quantity and value on hand now, all locations (committed and
-- this transaction's). PL/pgSQL for its cached plan (see method_of).
CREATE OR REPLACE FUNCTION inventory.item_totals(p_client_id integer, p_item_id integer, OUT qty numeric, OUT value numeric)
 RETURNS record
 LANGUAGE plpgsql
 STABLE
AS $function$
BEGIN
	SELECT coalesce(sum(s.qty), 0), coalesce(sum(s.value), 0) INTO qty, value
	FROM inventory.stock s WHERE s.client_id = p_client_id AND s.item_id = p_item_id;
END
$function$;
ALTER FUNCTION inventory.item_totals(integer,integer) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION inventory.item_totals(integer,integer) FROM PUBLIC;

