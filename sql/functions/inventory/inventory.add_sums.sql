-- inventory.add_sums: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- Adds legs to the day, month and year sums (p_rows: item, location, date,
-- stripe, qty, value), in key order: called once per move after all its
-- stock locks, so no two moves wait for each other's sums in a cycle; and
-- their values to the client's value sums (inventory.add_value, which never
-- waits).
CREATE OR REPLACE FUNCTION inventory.add_sums(p_client_id integer, p_rows jsonb)
 RETURNS void
 LANGUAGE plpgsql
AS $function$
BEGIN
	INSERT INTO inventory.sums AS s (client_id, grain, bucket, item_id, location_id, stripe, qty,
					 value)
	SELECT p_client_id, g.grain, g.bucket, x.item_id, x.location_id, x.stripe, sum(x.qty),
	       sum(x.value)
	FROM jsonb_to_recordset(p_rows) AS x(item_id integer, location_id integer, d date,
					     stripe smallint, qty numeric, value numeric)
	CROSS JOIN LATERAL (VALUES ('d'::"char", x.d),
				   ('m'::"char", date_trunc('month', x.d::timestamp)::date),
				   ('y'::"char", date_trunc('year', x.d::timestamp)::date)) g(grain, bucket)
	GROUP BY g.grain, g.bucket, x.item_id, x.location_id, x.stripe
	ORDER BY g.grain, g.bucket, x.item_id, x.location_id, x.stripe
	ON CONFLICT (client_id, grain, bucket, item_id, location_id, stripe) DO UPDATE
	SET qty = s.qty + EXCLUDED.qty, value = s.value + EXCLUDED.value;
	PERFORM inventory.add_value(p_client_id, x.d, sum(x.value))
	FROM jsonb_to_recordset(p_rows) AS x(d date, value numeric)
	GROUP BY x.d;
END
$function$;
ALTER FUNCTION inventory.add_sums(integer,jsonb) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION inventory.add_sums(integer,jsonb) FROM PUBLIC;

