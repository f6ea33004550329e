-- entry.bound_text: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION entry.bound_text(p_type text, p_scale integer, p_text text)
 RETURNS text
 LANGUAGE sql
 IMMUTABLE
AS $function$
	SELECT CASE
		WHEN p_type IN ('integer', 'decimal', 'money')
		     AND replace(p_text, ',', '') ~ '^-?([0-9]+\.?[0-9]*|\.[0-9]+)$'
		     AND length(p_text) <= 40
		     AND (p_type <> 'integer' OR p_text ~ '^-?[0-9]+$')
		THEN CASE WHEN round(replace(p_text, ',', '')::numeric, coalesce(p_scale, 0))
			       = replace(p_text, ',', '')::numeric
			  THEN round(replace(p_text, ',', '')::numeric, coalesce(p_scale, 0))::text END
		WHEN p_type = 'date' AND p_text ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN p_text
		WHEN p_type = 'date' AND p_text ~ '^[0-9]{2}[/.-][0-9]{2}[/.-][0-9]{4}$'
		THEN substr(p_text, 7, 4) || '-' || substr(p_text, 4, 2) || '-' || substr(p_text, 1, 2)
	END;
$function$;
ALTER FUNCTION entry.bound_text(text,integer,text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION entry.bound_text(text,integer,text) FROM PUBLIC;
