-- inventory.legs_notify_lifted: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- After an inbound leg (qty > 0; see 075_inventory_rest.sql): when the item
-- was at or below its minimum at the leg's location before it, the
-- client's queue channel is notified, so the supervisor board's stock alert
-- reads again (the item leaves it, or shows its new quantity). The leg's
-- stock is already applied when the leg is written (inventory.apply_legs).
CREATE OR REPLACE FUNCTION inventory.legs_notify_lifted()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
BEGIN
	IF EXISTS (SELECT 1 FROM inventory.limits li
		   WHERE li.client_id = NEW.client_id AND li.item_id = NEW.item_id
		     AND li.location_id = NEW.location_id
		     AND (SELECT coalesce(sum(s.qty), 0) FROM inventory.stock s
			  WHERE s.client_id = NEW.client_id AND s.item_id = NEW.item_id
			    AND s.location_id = NEW.location_id) - NEW.qty <= li.min_qty) THEN
		PERFORM core.notify_client(NEW.client_id, 'queue');
	END IF;
	RETURN NULL;
END
$function$;
ALTER FUNCTION inventory.legs_notify_lifted() OWNER TO bd_owner;
REVOKE ALL ON FUNCTION inventory.legs_notify_lifted() FROM PUBLIC;
