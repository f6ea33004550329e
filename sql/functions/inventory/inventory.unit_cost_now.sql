-- inventory.unit_cost_now: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- What one more unit in costs when no cost is given (a return, a found
-- unit): the average on hand, else the last inbound layer's or leg's cost.
CREATE OR REPLACE FUNCTION inventory.unit_cost_now(p_client_id integer, p_item_id integer)
 RETURNS numeric
 LANGUAGE plpgsql
 STABLE
AS $function$
DECLARE
	t record;
	c numeric;
BEGIN
	t := inventory.item_totals(p_client_id, p_item_id);
	IF t.qty > 0 THEN
		RETURN t.value / t.qty;
	END IF;
	SELECT l.value / l.qty INTO c FROM inventory.legs l
	WHERE l.client_id = p_client_id AND l.item_id = p_item_id AND l.qty > 0
	ORDER BY l.move_date DESC, l.seq DESC LIMIT 1;
	RETURN coalesce(c, 0);
END
$function$;
ALTER FUNCTION inventory.unit_cost_now(integer,integer) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION inventory.unit_cost_now(integer,integer) FROM PUBLIC;
