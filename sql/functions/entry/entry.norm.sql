-- entry.norm: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION entry.norm(p_value text, p_type text)
 RETURNS text
 LANGUAGE plpgsql
 IMMUTABLE
AS $function$
DECLARE
	s text := upper(regexp_replace(btrim(coalesce(p_value, ''), E' \t\r\n'), '\s+', ' ', 'g'));
BEGIN
	IF p_type IN ('integer', 'decimal', 'money') THEN
		s := replace(replace(s, ',', ''), ' ', '');
		IF s ~ '^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)$' AND length(s) <= 60 THEN
			RETURN trim_scale(s::numeric + 0)::text;
		END IF;
	END IF;
	RETURN s;
END
$function$;
ALTER FUNCTION entry.norm(text,text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION entry.norm(text,text) FROM PUBLIC;
