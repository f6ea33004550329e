-- inventory.lock_items: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- Before a move touches its items: each FIFO item whose moves include a
-- later date than p_date is locked FOR UPDATE (its layers are rebuilt,
-- inventory.revalue; see 050_inventory.sql), in item order. Returns those
-- items. A moving-average item is not: a backdated move costs it as a move
-- of today would and changes nothing posted (081_inventory_bounded.sql).
CREATE OR REPLACE FUNCTION inventory.lock_items(p_client_id integer, p_items integer[], p_date date)
 RETURNS integer[]
 LANGUAGE plpgsql
AS $function$
DECLARE
	v_item integer;
	v_back integer[] := '{}';
BEGIN
	FOR v_item IN SELECT DISTINCT x FROM unnest(p_items) x ORDER BY x LOOP
		IF EXISTS (SELECT 1 FROM inventory.legs
			   WHERE client_id = p_client_id AND item_id = v_item AND move_date > p_date)
		   AND inventory.method_of(p_client_id, v_item) = 'fifo' THEN
			PERFORM 1 FROM inventory.items
			WHERE client_id = p_client_id AND item_id = v_item FOR UPDATE;
			v_back := v_back || v_item;
		END IF;
	END LOOP;
	RETURN v_back;
END
$function$;
ALTER FUNCTION inventory.lock_items(integer,integer[],date) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION inventory.lock_items(integer,integer[],date) FROM PUBLIC;

