-- entry.compile_checks: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION entry.compile_checks(p_fields jsonb, p_screen text)
 RETURNS entry.field_check[]
 LANGUAGE plpgsql
 IMMUTABLE
AS $function$
DECLARE
	f jsonb := p_fields;
	out entry.field_check[];
BEGIN
	IF EXISTS (SELECT 1 FROM jsonb_array_elements(p_fields) e WHERE NOT e ? 'length') THEN
		f := coalesce(entry.screen_fields(p_screen, p_fields), p_fields);
	END IF;
	SELECT array_agg(ROW(
		d.o, d.e ->> 'name',
		d.title || CASE WHEN d.shared > 1 THEN ' (line ' || d.line || ')' ELSE '' END,
		d.type, coalesce((d.e ->> 'required')::boolean, false),
		coalesce((d.e ->> 'length')::integer, 10000),	-- a field's longest
		coalesce((d.e ->> 'upshift')::boolean, false) AND d.type IN ('text', 'lookup'),
		CASE d.type
			WHEN 'integer' THEN '^(0|-?[1-9][0-9]*)$'
			WHEN 'date' THEN '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$'
			WHEN 'flag' THEN '^[YN]$'
			ELSE CASE WHEN d.type IN ('decimal', 'money') AND d.scale > 0
				  THEN '^-?(0|[1-9][0-9]*)\.[0-9]{' || d.scale || '}$'
				  WHEN d.type IN ('decimal', 'money') THEN '^(0|-?[1-9][0-9]*)$' END
		END,
		-- A date's or integer's picture shapes what the clerk types (15/03/2024,
		-- 0123); the saved form is ISO or plain (bd_field_normalize), which
		-- the type's own rules check. Text keeps its picture when saved.
		CASE WHEN d.type IN ('text', 'lookup') THEN d.e ->> 'picture' END,
		CASE WHEN d.type IN ('text', 'lookup') THEN entry.picture_regex(d.e ->> 'picture') END,
		'(?e)' || (d.e ->> 'pattern'),
		CASE WHEN d.type IN ('integer', 'decimal', 'money') THEN (d.e ->> 'min')::numeric END,
		CASE WHEN d.type IN ('integer', 'decimal', 'money') THEN (d.e ->> 'max')::numeric END,
		CASE WHEN d.type IN ('integer', 'decimal', 'money')
		     THEN 9223372036854775807::numeric / 10::numeric ^ d.scale END,
		d.e ->> 'min', d.e ->> 'max', d.scale,
		CASE WHEN d.type = 'choice'
		     THEN ARRAY(SELECT jsonb_array_elements_text(d.e -> 'values')) END,
		d.e ->> 'check_digit', d.e ->> 'lookup', d.e ->> 'codes')::entry.field_check ORDER BY d.o)
	INTO out
	FROM (SELECT e, o, coalesce(e ->> 'type', 'text') AS type,
		     CASE WHEN e ->> 'type' IN ('decimal', 'money')
			  THEN coalesce((e ->> 'scale')::integer, 2) ELSE 0 END AS scale,
		     coalesce(nullif(e ->> 'label', ''), e ->> 'name') AS title,
		     count(*) OVER (PARTITION BY coalesce(nullif(e ->> 'label', ''), e ->> 'name'))
			 AS shared,
		     row_number() OVER (PARTITION BY coalesce(nullif(e ->> 'label', ''), e ->> 'name')
					ORDER BY o) AS line
	      FROM jsonb_array_elements(f) WITH ORDINALITY AS x(e, o)) d;
	RETURN out;
END
$function$;
ALTER FUNCTION entry.compile_checks(jsonb,text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION entry.compile_checks(jsonb,text) FROM PUBLIC;
