-- inventory.moves_guard: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- Posted and rejected moves never change, and no move is deleted: a posted
-- move is corrected by a reversal (inventory.move_reverse).
CREATE OR REPLACE FUNCTION inventory.moves_guard()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
BEGIN
	IF TG_OP = 'DELETE' THEN
		RAISE EXCEPTION 'Stock move % cannot be deleted; reverse it instead', OLD.move_id
			USING ERRCODE = 'BD002';
	END IF;
	IF OLD.status <> 'submitted' THEN
		RAISE EXCEPTION 'Stock move % is %, it cannot change; reverse it instead',
			OLD.move_id, OLD.status USING ERRCODE = 'BD002';
	END IF;
	IF NEW.client_id <> OLD.client_id OR NEW.move_id <> OLD.move_id OR NEW.kind <> OLD.kind
	   OR NEW.move_date <> OLD.move_date OR NEW.maker <> OLD.maker
	   OR NEW.reverses_move_id IS DISTINCT FROM OLD.reverses_move_id THEN
		RAISE EXCEPTION 'The identity of a stock move cannot change' USING ERRCODE = 'BD002';
	END IF;
	NEW.version := OLD.version + 1;
	RETURN NEW;
END
$function$;
ALTER FUNCTION inventory.moves_guard() OWNER TO bd_owner;
REVOKE ALL ON FUNCTION inventory.moves_guard() FROM PUBLIC;

