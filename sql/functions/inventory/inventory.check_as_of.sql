-- inventory.check_as_of: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- An outbound leg of p_qty dated p_date before the item's later moves at
-- the location (a backdated issue, transfer, loss or reversal) must find the
-- quantity on every day from its date on: issued before the receipt that
-- supplied it, the stock card would run negative on those days although the
-- stock now is enough. Refused with the first day short and how many
-- (082). Bounded: the quantity the day before is three index range scans of
-- the item's year, month and day sums (inventory.sums, 074), and the days
-- after are the item's day sums from that date on (one row per day with a
-- move, per stripe), not its moves. The caller has locked the item row
-- (FOR NO KEY UPDATE: inserts referring to it do not wait) before taking
-- any stock, in item order, so two backdated outbound moves of the item see
-- each other's quantities without a deadlock (086: this function locked it
-- after the leg's stripes). Called by inventory.apply_legs and
-- inventory.post_simple once the move's stock is taken, so a move short
-- now gets that message first, once per item and location with the
-- move's whole quantity there.
CREATE OR REPLACE FUNCTION inventory.check_as_of(p_client_id integer, p_item_id integer, p_location_id integer, p_date date, p_qty numeric)
 RETURNS void
 LANGUAGE plpgsql
AS $function$
DECLARE
	v_before numeric;
	v_day date;
	v_low numeric;
BEGIN
	IF NOT EXISTS (SELECT 1 FROM inventory.sums s
		       WHERE s.client_id = p_client_id AND s.item_id = p_item_id AND s.grain = 'd'
			 AND s.bucket > p_date AND s.location_id = p_location_id) THEN
		RETURN; -- nothing later at the location: the stock now is the test
	END IF;
	SELECT coalesce(sum(s.qty), 0) INTO v_before
	FROM inventory.sums s
	WHERE s.client_id = p_client_id AND s.item_id = p_item_id AND s.location_id = p_location_id
	  AND ((s.grain = 'y' AND s.bucket < date_trunc('year', p_date::timestamp)::date)
	       OR (s.grain = 'm' AND s.bucket >= date_trunc('year', p_date::timestamp)::date
		   AND s.bucket < date_trunc('month', p_date::timestamp)::date)
	       OR (s.grain = 'd' AND s.bucket >= date_trunc('month', p_date::timestamp)::date
		   AND s.bucket < p_date));
	SELECT x.bucket, x.run INTO v_day, v_low
	FROM (SELECT u.bucket, v_before + sum(sum(u.qty)) OVER (ORDER BY u.bucket) AS run
	      FROM (SELECT s.bucket, s.qty FROM inventory.sums s
		    WHERE s.client_id = p_client_id AND s.item_id = p_item_id AND s.grain = 'd'
		      AND s.bucket >= p_date AND s.location_id = p_location_id
		    UNION ALL
		    SELECT p_date, 0) u -- the leg's own day, moves on it or not
	      GROUP BY u.bucket) x
	ORDER BY x.run, x.bucket
	LIMIT 1;
	IF v_low < p_qty THEN
		RAISE EXCEPTION 'Not enough % at % on %: % on hand that day, % to take (% short); date it on or after the receipt that brings it',
			(SELECT code FROM inventory.items WHERE client_id = p_client_id AND item_id = p_item_id),
			(SELECT code FROM inventory.locations
			 WHERE client_id = p_client_id AND location_id = p_location_id),
			v_day, trim_scale(greatest(v_low, 0)), trim_scale(p_qty), trim_scale(p_qty - v_low)
			USING ERRCODE = 'BD003';
	END IF;
END
$function$;
ALTER FUNCTION inventory.check_as_of(integer,integer,integer,date,numeric) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION inventory.check_as_of(integer,integer,integer,date,numeric) FROM PUBLIC;
