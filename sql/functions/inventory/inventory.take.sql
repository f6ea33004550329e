-- inventory.take: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- Takes p_qty (> 0) and p_value from the on-hand stripes of (item,
-- location, lot), or refuses when they hold less: one free stripe holding
-- enough (SKIP LOCKED), else wait for one that holds enough, else every
-- stripe in stripe order. Returns a stripe it took from. The stripe taken
-- from alone (fast path) gives half of what it keeps to a new stripe while
-- there are fewer than 16 (inventory.split).
CREATE OR REPLACE FUNCTION inventory.take(p_client_id integer, p_item_id integer, p_location_id integer, p_lot_id integer, p_qty numeric, p_value numeric)
 RETURNS smallint
 LANGUAGE plpgsql
AS $function$
DECLARE
	v_base integer := pg_backend_pid() % 16;
	v_stripe smallint;
	v_first smallint;
	v_total numeric;
	v_left numeric := p_qty;
	v_value numeric := p_value;
	r record;
BEGIN
	LOOP
		SELECT stripe INTO v_stripe FROM inventory.stock
		WHERE client_id = p_client_id AND item_id = p_item_id AND location_id = p_location_id
		  AND lot_id IS NOT DISTINCT FROM p_lot_id AND qty >= p_qty
		ORDER BY (stripe + 16 - v_base) % 16
		LIMIT 1 FOR UPDATE SKIP LOCKED;
		IF NOT FOUND THEN
			-- held by others: wait for one that holds enough, then look again
			SELECT stripe INTO v_stripe FROM inventory.stock
			WHERE client_id = p_client_id AND item_id = p_item_id
			  AND location_id = p_location_id AND lot_id IS NOT DISTINCT FROM p_lot_id
			  AND qty >= p_qty
			ORDER BY (stripe + 16 - v_base) % 16
			LIMIT 1;
			IF FOUND THEN
				PERFORM 1 FROM inventory.stock
				WHERE client_id = p_client_id AND item_id = p_item_id
				  AND location_id = p_location_id AND lot_id IS NOT DISTINCT FROM p_lot_id
				  AND stripe = v_stripe AND qty >= p_qty
				FOR UPDATE;
				IF NOT FOUND THEN
					CONTINUE;
				END IF;
			END IF;
		END IF;
		IF v_stripe IS NOT NULL THEN
			UPDATE inventory.stock SET qty = qty - p_qty, value = value - p_value
			WHERE client_id = p_client_id AND item_id = p_item_id
			  AND location_id = p_location_id AND lot_id IS NOT DISTINCT FROM p_lot_id
			  AND stripe = v_stripe
			RETURNING qty, value INTO r;
			-- Spread a big stripe: half of what is left goes to a new
			-- stripe (up to 16), so the next issues find free ones. A
			-- receipt lands on one stripe; after a few issues its stock
			-- is on many.
			IF r.qty >= 2 * p_qty AND (SELECT count(*) FROM inventory.stock
				WHERE client_id = p_client_id AND item_id = p_item_id
				  AND location_id = p_location_id
				  AND lot_id IS NOT DISTINCT FROM p_lot_id) < 16 THEN
				PERFORM inventory.split(p_client_id, p_item_id, p_location_id, p_lot_id,
							v_stripe, trunc(r.qty / 2, 4),
							round(r.value * trunc(r.qty / 2, 4) / r.qty, 2));
			END IF;
			RETURN v_stripe;
		END IF;
		EXIT;
	END LOOP;
	-- no stripe holds enough alone: all of them, in stripe order
	SELECT sum(qty) INTO v_total FROM (
		SELECT qty FROM inventory.stock
		WHERE client_id = p_client_id AND item_id = p_item_id AND location_id = p_location_id
		  AND lot_id IS NOT DISTINCT FROM p_lot_id
		ORDER BY stripe FOR UPDATE) s;
	IF coalesce(v_total, 0) < p_qty THEN
		RAISE EXCEPTION 'Not enough % at %: % on hand, % to take',
			(SELECT code FROM inventory.items WHERE client_id = p_client_id AND item_id = p_item_id)
			|| coalesce(' lot ' || (SELECT lot FROM inventory.lots
						WHERE client_id = p_client_id AND lot_id = p_lot_id), ''),
			(SELECT code FROM inventory.locations
			 WHERE client_id = p_client_id AND location_id = p_location_id),
			trim_scale(coalesce(v_total, 0)), trim_scale(p_qty)
			USING ERRCODE = 'BD003';
	END IF;
	FOR r IN SELECT stripe, qty FROM inventory.stock
		 WHERE client_id = p_client_id AND item_id = p_item_id
		   AND location_id = p_location_id AND lot_id IS NOT DISTINCT FROM p_lot_id AND qty > 0
		 ORDER BY qty DESC, stripe LOOP
		EXIT WHEN v_left <= 0;
		UPDATE inventory.stock SET qty = qty - least(r.qty, v_left), value = value - v_value
		WHERE client_id = p_client_id AND item_id = p_item_id AND location_id = p_location_id
		  AND lot_id IS NOT DISTINCT FROM p_lot_id AND stripe = r.stripe;
		v_left := v_left - least(r.qty, v_left);
		v_value := 0;
		v_first := coalesce(v_first, r.stripe);
	END LOOP;
	RETURN v_first;
END
$function$;
ALTER FUNCTION inventory.take(integer,integer,integer,integer,numeric,numeric) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION inventory.take(integer,integer,integer,integer,numeric,numeric) FROM PUBLIC;

