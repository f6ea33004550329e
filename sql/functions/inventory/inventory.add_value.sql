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
	g record;
	v_slot bigint;
BEGIN
	IF p_value = 0 THEN
		RETURN;
	END IF;
	FOR g IN SELECT * FROM (VALUES ('d'::"char", p_date),
				       ('m'::"char", date_trunc('month', p_date::timestamp)::date),
				       ('y'::"char", date_trunc('year', p_date::timestamp)::date)) x(grain, bucket) LOOP
		SELECT slot INTO v_slot FROM inventory.value_sums
		WHERE client_id = p_client_id AND grain = g.grain AND bucket = g.bucket
		ORDER BY slot
		LIMIT 1 FOR UPDATE SKIP LOCKED;
		IF FOUND THEN
			UPDATE inventory.value_sums SET value = value + p_value
			WHERE client_id = p_client_id AND grain = g.grain AND bucket = g.bucket
			  AND slot = v_slot;
		ELSE
			INSERT INTO inventory.value_sums (client_id, grain, bucket, slot, value)
			VALUES (p_client_id, g.grain, g.bucket, nextval('inventory.value_slot'), p_value);
		END IF;
	END LOOP;
END
$function$;
ALTER FUNCTION inventory.add_value(integer,date,numeric) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION inventory.add_value(integer,date,numeric) FROM PUBLIC;
