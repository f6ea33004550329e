-- entry.rule_title: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- A field's title for a rule's message ("Units (line 4)"), from the compiled
-- checks.

CREATE OR REPLACE FUNCTION entry.rule_title(p_checks entry.field_check[], p_name text)
 RETURNS text
 LANGUAGE sql
 IMMUTABLE
AS $function$
	SELECT coalesce((SELECT k.title FROM unnest(p_checks) k WHERE k.name = p_name LIMIT 1), p_name);
$function$;
ALTER FUNCTION entry.rule_title(entry.field_check[],text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION entry.rule_title(entry.field_check[],text) FROM PUBLIC;
