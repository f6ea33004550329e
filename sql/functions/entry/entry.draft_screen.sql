-- entry.draft_screen: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION entry.draft_screen()
 RETURNS text
 LANGUAGE sql
 IMMUTABLE
AS $function$
	SELECT 'entry.document';
$function$;
ALTER FUNCTION entry.draft_screen() OWNER TO bd_owner;
REVOKE ALL ON FUNCTION entry.draft_screen() FROM PUBLIC;
