-- inventory.add_value: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- Adds a value change of the client's stock on a date to its day, month and
-- year value sums (inventory.value_sums; see 074_inventory_speed.sql): to
-- the first slot of each bucket no other transaction holds, or to a new
-- slot when all are held. Never waits for a lock.
CREATE OR REPLACE FUNCTION inventory.add_value(p_client_id integer, p_date date, p_value numeric)
 RETURNS void
 LANGUAGE plpgsql
AS $function$
DECLARE
	v_done "char"[];
BEGIN
	IF p_value = 0 THEN
		RETURN;
	END IF;
	-- one statement for the three buckets (082), then a new slot for each
	-- bucket whose slots were all held
	WITH g(grain, bucket) AS (
		VALUES ('d'::"char", p_date),
		       ('m'::"char", date_trunc('month', p_date::timestamp)::date),
		       ('y'::"char", date_trunc('year', p_date::timestamp)::date)),
	pick AS (
		SELECT g.grain, g.bucket, f.slot FROM g
		CROSS JOIN LATERAL (
			SELECT v.slot FROM inventory.value_sums v
			WHERE v.client_id = p_client_id AND v.grain = g.grain AND v.bucket = g.bucket
			ORDER BY v.slot
			LIMIT 1 FOR UPDATE SKIP LOCKED) f),
	u AS (
		UPDATE inventory.value_sums v SET value = v.value + p_value
		FROM pick
		WHERE v.client_id = p_client_id AND v.grain = pick.grain AND v.bucket = pick.bucket
		  AND v.slot = pick.slot
		RETURNING v.grain)
	SELECT array_agg(u.grain) INTO v_done FROM u;
	IF cardinality(v_done) = 3 THEN
		RETURN;
	END IF;
	INSERT INTO inventory.value_sums (client_id, grain, bucket, slot, value)
	SELECT p_client_id, g.grain, g.bucket, nextval('inventory.value_slot'), p_value
	FROM (VALUES ('d'::"char", p_date),
		     ('m'::"char", date_trunc('month', p_date::timestamp)::date),
		     ('y'::"char", date_trunc('year', p_date::timestamp)::date)) g(grain, bucket)
	WHERE g.grain <> ALL (coalesce(v_done, '{}'));
END
$function$;
ALTER FUNCTION inventory.add_value(integer,date,numeric) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION inventory.add_value(integer,date,numeric) FROM PUBLIC;
