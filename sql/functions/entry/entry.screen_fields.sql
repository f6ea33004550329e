-- entry.screen_fields: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION entry.screen_fields(p_screen text, p_fields jsonb)
 RETURNS jsonb
 LANGUAGE plpgsql
 IMMUTABLE
AS $function$
DECLARE
	tok text[];
	n integer;
	i integer := 1;
	stack text[] := '{}';
	t text;
	k text;
	s text;
	raw jsonb;
	raws jsonb := '[]';
	out jsonb;
BEGIN
	SELECT array_agg(x.m[1] ORDER BY x.o) INTO tok
	FROM regexp_matches(p_screen,
			    '"(?:[^"\\]|\\.)*"|#[^\n]*|//[^\n]*|/\*(?:[^*]|\*+[^*/])*\*+/'
			    '|[A-Za-z*][-A-Za-z0-9_*]*|[-+]?[0-9.][-+0-9A-Za-z.]*|[][{}()=:;,]',
			    'g') WITH ORDINALITY AS x(m, o)
	WHERE x.m[1] !~ '^(#|//|/\*)';
	n := coalesce(array_length(tok, 1), 0);
	WHILE i <= n LOOP
		t := tok[i];
		IF t IN (';', ',') THEN
			i := i + 1;
			CONTINUE;
		END IF;
		IF t IN ('}', ')', ']') THEN
			IF stack = '{screen,fields,*}' THEN
				raws := raws || jsonb_build_array(raw);
			END IF;
			IF cardinality(stack) = 0 THEN
				RETURN NULL;
			END IF;
			stack := stack[1:cardinality(stack) - 1];
			i := i + 1;
			CONTINUE;
		END IF;
		k := '*';	-- a bare value, in a list
		IF t ~ '^[A-Za-z*]' AND tok[i + 1] IN ('=', ':') THEN
			k := t;
			i := i + 2;
			t := tok[i];
		END IF;
		IF t IN ('{', '(', '[') THEN
			stack := stack || k;
			IF stack = '{screen,fields,*}' THEN
				raw := '{}';
			ELSIF cardinality(stack) = 4 AND stack[1:3] = '{screen,fields,*}' THEN
				raw := raw || jsonb_build_object(k, '[]'::jsonb);
			END IF;
			i := i + 1;
			CONTINUE;
		END IF;
		-- A scalar: adjacent strings are one, escapes as libconfig reads them.
		s := NULL;
		WHILE i <= n AND tok[i] ~ '^"' LOOP
			t := substr(tok[i], 2, length(tok[i]) - 2);
			IF t ~ '\\x' THEN
				RETURN NULL;
			END IF;
			t := replace(t, '\\', chr(1));
			t := replace(replace(replace(replace(replace(t, '\"', '"'), '\n', E'\n'),
						     '\t', E'\t'), '\r', E'\r'), '\f', E'\f');
			s := coalesce(s, '') || replace(t, chr(1), '\');
			i := i + 1;
		END LOOP;
		IF s IS NULL THEN
			IF t IS NULL OR t !~ '^([-+]?[0-9.]|[A-Za-z])' THEN
				RETURN NULL;
			END IF;
			s := CASE WHEN lower(t) IN ('true', 'false') THEN lower(t) ELSE t END;
			i := i + 1;
		END IF;
		IF stack = '{screen,fields,*}' AND k <> '*' THEN
			raw := raw || jsonb_build_object(k, s);
		ELSIF cardinality(stack) = 4 AND stack[1:3] = '{screen,fields,*}' THEN
			raw := jsonb_set(raw, ARRAY[stack[4]], (raw -> stack[4]) || to_jsonb(s));
		END IF;
	END LOOP;
	IF cardinality(stack) <> 0 OR jsonb_array_length(raws) = 0
	   OR EXISTS (SELECT 1 FROM jsonb_array_elements(raws) r
		      WHERE coalesce(r ->> 'width', '0') !~ '^[0-9]+$'
			 OR coalesce(r ->> 'length', '0') !~ '^[0-9]+$'
			 OR coalesce(r ->> 'scale', '0') !~ '^[0-9]$') THEN
		RETURN NULL;
	END IF;

	SELECT jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
		'name', d.r ->> 'name', 'type', d.type, 'label', coalesce(d.r ->> 'label', ''),
		'scale', d.scale,
		'required', CASE WHEN d.r ->> 'required' = 'true' THEN true END,
		'lookup', substring(d.r ->> 'lookup' from '^entry\.(.+)_lookup$'),
		'check_digit', d.r ->> 'check_digit',
		'codes', d.r ->> 'codes',
		'values', CASE WHEN d.type = 'choice' THEN d.r -> 'values' END,
		'length', CASE WHEN d.type = 'flag' THEN 1
			       WHEN d.r ? 'picture' THEN length(d.r ->> 'picture')
			       WHEN d.r ? 'length' THEN (d.r ->> 'length')::integer
			       ELSE greatest(d.width,
					     (SELECT max(length(x)) FROM jsonb_array_elements_text(
						 CASE WHEN d.type = 'choice' THEN d.r -> 'values'
						      ELSE '[]' END) x)) END,
		'upshift', CASE WHEN d.r ->> 'upshift' = 'true' THEN true END,
		'pattern', d.r ->> 'pattern',
		'picture', d.r ->> 'picture',
		'min', entry.bound_text(d.type, d.scale, d.r ->> 'min'),
		'max', entry.bound_text(d.type, d.scale, d.r ->> 'max')))
		ORDER BY d.o)
	INTO out
	FROM (SELECT r, o, coalesce(r ->> 'type', 'text') AS type,
		     CASE WHEN coalesce(r ->> 'type', 'text') IN ('decimal', 'money')
			  THEN coalesce((r ->> 'scale')::integer, 2) END AS scale,
		     coalesce((r ->> 'width')::integer,
			      CASE WHEN r ? 'picture' THEN length(r ->> 'picture')
				   ELSE CASE coalesce(r ->> 'type', 'text')
					WHEN 'integer' THEN 9 WHEN 'decimal' THEN 12 WHEN 'money' THEN 12
					WHEN 'date' THEN 10 WHEN 'flag' THEN 1
					WHEN 'choice' THEN 1 END END) AS width
	      FROM jsonb_array_elements(raws) WITH ORDINALITY AS f(r, o)) d;
	IF out IS NULL
	   OR EXISTS (SELECT 1 FROM jsonb_array_elements(out) e WHERE NOT e ? 'length')
	   OR (SELECT array_agg(e ->> 'name' ORDER BY o) FROM jsonb_array_elements(out)
						      WITH ORDINALITY AS x(e, o))
	      IS DISTINCT FROM
	      (SELECT array_agg(e ->> 'name' ORDER BY o) FROM jsonb_array_elements(p_fields)
						      WITH ORDINALITY AS x(e, o)) THEN
		RETURN NULL;
	END IF;
	RETURN out;
END
$function$;
ALTER FUNCTION entry.screen_fields(text,jsonb) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION entry.screen_fields(text,jsonb) FROM PUBLIC;
