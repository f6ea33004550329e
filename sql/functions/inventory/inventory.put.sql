-- inventory.put: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- Adds p_qty (>= 0) and p_value to the on-hand stripes of (item, location,
-- lot): to a stripe nobody holds, else a new stripe, else (all 16 held) the
-- session's own stripe, waiting for it. Returns the stripe. See
-- 050_inventory.sql for why stripes.
CREATE OR REPLACE FUNCTION inventory.put(p_client_id integer, p_item_id integer, p_location_id integer, p_lot_id integer, p_qty numeric, p_value numeric)
 RETURNS smallint
 LANGUAGE plpgsql
AS $function$
DECLARE
	v_base integer := pg_backend_pid() % 16;
	v_stripe smallint;
	i integer;
BEGIN
	SELECT stripe INTO v_stripe FROM inventory.stock
	WHERE client_id = p_client_id AND item_id = p_item_id AND location_id = p_location_id
	  AND lot_id IS NOT DISTINCT FROM p_lot_id
	ORDER BY (stripe + 16 - v_base) % 16
	LIMIT 1 FOR UPDATE SKIP LOCKED;
	IF NOT FOUND THEN
		FOR i IN 0 .. 15 LOOP
			INSERT INTO inventory.stock (client_id, item_id, location_id, lot_id, stripe, qty,
						     value)
			VALUES (p_client_id, p_item_id, p_location_id, p_lot_id, (v_base + i) % 16, p_qty,
				p_value)
			ON CONFLICT DO NOTHING
			RETURNING stripe INTO v_stripe;
			IF v_stripe IS NOT NULL THEN
				RETURN v_stripe;
			END IF;
		END LOOP;
		v_stripe := v_base;
	END IF;
	UPDATE inventory.stock SET qty = qty + p_qty, value = value + p_value
	WHERE client_id = p_client_id AND item_id = p_item_id AND location_id = p_location_id
	  AND lot_id IS NOT DISTINCT FROM p_lot_id AND stripe = v_stripe;
	RETURN v_stripe;
END
$function$;
ALTER FUNCTION inventory.put(integer,integer,integer,integer,numeric,numeric) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION inventory.put(integer,integer,integer,integer,numeric,numeric) FROM PUBLIC;

