-- inventory.posted_guard: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- A move's lines and legs are written once. The one change allowed is a
-- leg's cost, which a later backdated move's revaluation corrects (its
-- quantity and posted value stay).
CREATE OR REPLACE FUNCTION inventory.posted_guard()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
BEGIN
	IF TG_OP = 'UPDATE' AND TG_TABLE_NAME = 'legs'
	   AND (NEW.client_id, NEW.move_id, NEW.leg_no, NEW.line_no, NEW.item_id, NEW.location_id,
		NEW.move_date, NEW.seq, NEW.qty, NEW.value)
	       IS NOT DISTINCT FROM
	       (OLD.client_id, OLD.move_id, OLD.leg_no, OLD.line_no, OLD.item_id, OLD.location_id,
		OLD.move_date, OLD.seq, OLD.qty, OLD.value)
	   AND NEW.lot_id IS NOT DISTINCT FROM OLD.lot_id THEN
		RETURN NEW;
	END IF;
	RAISE EXCEPTION 'A stock move''s lines cannot change; reverse the move instead'
		USING ERRCODE = 'BD002';
END
$function$;
ALTER FUNCTION inventory.posted_guard() OWNER TO bd_owner;
REVOKE ALL ON FUNCTION inventory.posted_guard() FROM PUBLIC;

