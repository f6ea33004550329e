-- entry.iso_date_ok: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION entry.iso_date_ok(p_value text)
 RETURNS boolean
 LANGUAGE sql
 IMMUTABLE
AS $function$
	SELECT substr(p_value, 1, 4)::integer BETWEEN 1900 AND 2199
	       AND substr(p_value, 9, 2)::integer
		   <= CASE substr(p_value, 6, 2)::integer
			WHEN 2 THEN CASE WHEN substr(p_value, 1, 4)::integer % 4 = 0
					       AND (substr(p_value, 1, 4)::integer % 100 <> 0
						    OR substr(p_value, 1, 4)::integer % 400 = 0)
					  THEN 29 ELSE 28 END
			WHEN 4 THEN 30 WHEN 6 THEN 30 WHEN 9 THEN 30 WHEN 11 THEN 30
			ELSE 31 END;
$function$;
ALTER FUNCTION entry.iso_date_ok(text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION entry.iso_date_ok(text) FROM PUBLIC;
