-- core.bump_version: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION core.bump_version()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
BEGIN
	NEW.version := OLD.version + 1;
	RETURN NEW;
END
$function$;
ALTER FUNCTION core.bump_version() OWNER TO bd_owner;
REVOKE ALL ON FUNCTION core.bump_version() FROM PUBLIC;
