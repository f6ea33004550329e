-- entry.to_num: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION entry.to_num(p_value text)
 RETURNS numeric
 LANGUAGE plpgsql
 IMMUTABLE
AS $function$
DECLARE
	s text := replace(replace(btrim(coalesce(p_value, '')), ',', ''), ' ', '');
BEGIN
	IF s = '' THEN
		RETURN 0;
	END IF;
	IF s ~ '^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)$' AND length(s) <= 60 THEN
		RETURN s::numeric;
	END IF;
	RETURN NULL;
END
$function$;
ALTER FUNCTION entry.to_num(text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION entry.to_num(text) FROM PUBLIC;
