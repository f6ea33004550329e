-- inventory.limits_notify: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- After a minimum or maximum is set, changed or removed (triggers on
-- inventory.limits; see 081_inventory_bounded.sql): the client's queue
-- channel is notified, so an open supervisor board reads its stock alert
-- again at once (an item raised above what it holds joins it, one lowered
-- leaves it). NOTIFY folds repeats within one transaction: an import of
-- many items sends one.
CREATE OR REPLACE FUNCTION inventory.limits_notify()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
BEGIN
	IF TG_OP = 'DELETE' THEN
		PERFORM core.notify_client(OLD.client_id, 'queue');
	ELSE
		PERFORM core.notify_client(NEW.client_id, 'queue');
	END IF;
	RETURN NULL;
END
$function$;
ALTER FUNCTION inventory.limits_notify() OWNER TO bd_owner;
REVOKE ALL ON FUNCTION inventory.limits_notify() FROM PUBLIC;
