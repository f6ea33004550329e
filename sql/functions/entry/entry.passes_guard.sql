-- entry.passes_guard: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION entry.passes_guard()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
BEGIN
	IF TG_OP = 'DELETE' THEN
		RAISE EXCEPTION 'A keying pass cannot be deleted' USING ERRCODE = 'BD002';
	END IF;
	IF (to_jsonb(NEW) - 'fields_in_error') IS DISTINCT FROM (to_jsonb(OLD) - 'fields_in_error') THEN
		RAISE EXCEPTION 'A keying pass cannot be changed' USING ERRCODE = 'BD002';
	END IF;
	RETURN NEW;
END
$function$;
ALTER FUNCTION entry.passes_guard() OWNER TO bd_owner;
REVOKE ALL ON FUNCTION entry.passes_guard() FROM PUBLIC;
