-- entry.char_count: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION entry.char_count(p_value text)
 RETURNS integer
 LANGUAGE sql
 IMMUTABLE
AS $function$
	SELECT length(regexp_replace(p_value, '[' || entry.zero_width_chars() || ']', '', 'g'))
	       + CASE WHEN p_value ~ ('^[' || entry.zero_width_chars() || ']') THEN 1 ELSE 0 END;
$function$;
ALTER FUNCTION entry.char_count(text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION entry.char_count(text) FROM PUBLIC;
