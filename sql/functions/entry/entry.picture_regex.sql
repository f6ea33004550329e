-- entry.picture_regex: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION entry.picture_regex(p_picture text)
 RETURNS text
 LANGUAGE sql
 IMMUTABLE
AS $function$
	SELECT '^' || string_agg(CASE m
				   WHEN '9' THEN '[0-9]'
				   WHEN 'A' THEN '[[:alpha:]]'
				   WHEN 'N' THEN '[0-9[:alpha:]]'
				   WHEN 'X' THEN '[^' || entry.unsafe_chars() || entry.zero_width_chars() || ']'
				   ELSE CASE WHEN m ~ '^[A-Za-z0-9]$' THEN m ELSE '\' || m END
				 END, '' ORDER BY o) || '$'
	FROM regexp_split_to_table(p_picture, '') WITH ORDINALITY AS x(m, o);
$function$;
ALTER FUNCTION entry.picture_regex(text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION entry.picture_regex(text) FROM PUBLIC;
