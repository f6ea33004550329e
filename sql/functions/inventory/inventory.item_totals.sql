-- inventory.item_totals: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- The item's quantity and value on hand now, all locations (committed and
-- this transaction's).
CREATE OR REPLACE FUNCTION inventory.item_totals(p_client_id integer, p_item_id integer, OUT qty numeric, OUT value numeric)
 RETURNS record
 LANGUAGE sql
 STABLE
AS $function$
	SELECT coalesce(sum(s.qty), 0), coalesce(sum(s.value), 0)
	FROM inventory.stock s WHERE s.client_id = p_client_id AND s.item_id = p_item_id
$function$;
ALTER FUNCTION inventory.item_totals(integer,integer) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION inventory.item_totals(integer,integer) FROM PUBLIC;

