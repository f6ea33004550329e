-- entry.saved_num: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION entry.saved_num(p_value text)
 RETURNS numeric
 LANGUAGE sql
 IMMUTABLE
AS $function$
	SELECT CASE WHEN p_value IS NULL OR p_value = '' THEN 0
		    WHEN p_value ~ '^-?[0-9]{1,40}(\.[0-9]{1,20})?$' THEN p_value::numeric END;
$function$;
ALTER FUNCTION entry.saved_num(text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION entry.saved_num(text) FROM PUBLIC;
