-- inventory.legs_add: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- A posted move's legs, for every posting (inventory.apply_legs,
-- inventory.post_simple, inventory.revalue): the legs in one INSERT (leg
-- numbers 1.. in the arrays' order), then the day, month and year sums of
-- the stripes they changed, in key order (no deadlock), and the client's
-- value sums (inventory.add_value, which never waits), all on the move's
-- date. (Before 089, add_sums took the sums as JSON from each caller.)
CREATE OR REPLACE FUNCTION inventory.legs_add(p_client_id integer, p_move_id bigint, p_date date, p_seq bigint, p_costed boolean, p_lines integer[], p_items integer[], p_locs integer[], p_lots integer[], p_stripes smallint[], p_qtys numeric[], p_values numeric[])
 RETURNS void
 LANGUAGE plpgsql
AS $function$
BEGIN
	INSERT INTO inventory.legs (client_id, move_id, leg_no, line_no, item_id, location_id, lot_id,
				    move_date, seq, qty, value, cost, costed)
	SELECT p_client_id, p_move_id, l.n, l.line_no, l.item_id, l.location_id, l.lot_id, p_date,
	       p_seq, l.qty, l.value, l.value, p_costed
	FROM unnest(p_lines, p_items, p_locs, p_lots, p_qtys, p_values) WITH ORDINALITY
	     l(line_no, item_id, location_id, lot_id, qty, value, n);
	INSERT INTO inventory.sums AS s (client_id, grain, bucket, item_id, location_id, stripe, qty,
					 value)
	SELECT p_client_id, g.grain, g.bucket, l.item_id, l.location_id, l.stripe, sum(l.qty),
	       sum(l.value)
	FROM unnest(p_items, p_locs, p_stripes, p_qtys, p_values)
	     l(item_id, location_id, stripe, qty, value)
	CROSS JOIN (VALUES ('d'::"char", p_date),
			   ('m'::"char", date_trunc('month', p_date::timestamp)::date),
			   ('y'::"char", date_trunc('year', p_date::timestamp)::date)) g(grain, bucket)
	GROUP BY g.grain, g.bucket, l.item_id, l.location_id, l.stripe
	ORDER BY g.grain, g.bucket, l.item_id, l.location_id, l.stripe
	ON CONFLICT (client_id, grain, bucket, item_id, location_id, stripe) DO UPDATE
	SET qty = s.qty + EXCLUDED.qty, value = s.value + EXCLUDED.value;
	PERFORM inventory.add_value(p_client_id, p_date,
				    (SELECT sum(v) FROM unnest(p_values) v));
END
$function$;
ALTER FUNCTION inventory.legs_add(integer,bigint,date,bigint,boolean,integer[],integer[],integer[],integer[],smallint[],numeric[],numeric[]) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION inventory.legs_add(integer,bigint,date,bigint,boolean,integer[],integer[],integer[],integer[],smallint[],numeric[],numeric[]) FROM PUBLIC;
