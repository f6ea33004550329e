-- inventory.split: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- Moves p_qty and p_value from stripe p_from (which the caller holds) to a
-- new stripe of the same item, location and lot, the first stripe number
-- from the session's own that does not exist yet. A number another
-- transaction is creating at the same moment waits for it (it holds no lock
-- this one needs: see 050_inventory.sql); when all 16 exist nothing moves.
CREATE OR REPLACE FUNCTION inventory.split(p_client_id integer, p_item_id integer, p_location_id integer, p_lot_id integer, p_from smallint, p_qty numeric, p_value numeric)
 RETURNS void
 LANGUAGE plpgsql
AS $function$
DECLARE
	v_base integer := pg_backend_pid() % 16;
	v_new smallint;
	i integer;
BEGIN
	FOR i IN 0 .. 15 LOOP
		CONTINUE WHEN EXISTS (SELECT 1 FROM inventory.stock
			WHERE client_id = p_client_id AND item_id = p_item_id
			  AND location_id = p_location_id AND lot_id IS NOT DISTINCT FROM p_lot_id
			  AND stripe = (v_base + i) % 16);
		INSERT INTO inventory.stock (client_id, item_id, location_id, lot_id, stripe, qty, value)
		VALUES (p_client_id, p_item_id, p_location_id, p_lot_id, (v_base + i) % 16, p_qty,
			p_value)
		ON CONFLICT DO NOTHING
		RETURNING stripe INTO v_new;
		EXIT WHEN v_new IS NOT NULL;
	END LOOP;
	IF v_new IS NOT NULL THEN
		UPDATE inventory.stock SET qty = qty - p_qty, value = value - p_value
		WHERE client_id = p_client_id AND item_id = p_item_id AND location_id = p_location_id
		  AND lot_id IS NOT DISTINCT FROM p_lot_id AND stripe = p_from;
	END IF;
END
$function$;
ALTER FUNCTION inventory.split(integer,integer,integer,integer,smallint,numeric,numeric) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION inventory.split(integer,integer,integer,integer,smallint,numeric,numeric) FROM PUBLIC;
