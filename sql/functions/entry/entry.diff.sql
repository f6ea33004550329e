-- entry.diff: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION entry.diff(p_fields jsonb, p_v1 jsonb, p_v2 jsonb)
 RETURNS TABLE(ord integer, field text, label text, value1 text, value2 text)
 LANGUAGE sql
 IMMUTABLE
AS $function$
	SELECT f.ord::integer, f.e ->> 'name', coalesce(nullif(f.e ->> 'label', ''), f.e ->> 'name'),
	       p_v1 ->> (f.e ->> 'name'), p_v2 ->> (f.e ->> 'name')
	FROM jsonb_array_elements(p_fields) WITH ORDINALITY AS f(e, ord)
	WHERE entry.norm(p_v1 ->> (f.e ->> 'name'), f.e ->> 'type')
	      <> entry.norm(p_v2 ->> (f.e ->> 'name'), f.e ->> 'type')
	ORDER BY f.ord;
$function$;
ALTER FUNCTION entry.diff(jsonb,jsonb,jsonb) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION entry.diff(jsonb,jsonb,jsonb) FROM PUBLIC;
