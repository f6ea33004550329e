-- payroll.import_clean: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- One record of an imported CSV file ({"_line": n, "<heading>": "<cell>"...},
-- as the command sends it) made ready for jsonb_populate_record: cells
-- trimmed, empty cells dropped, numbers and dates checked by pattern (so
-- that 'NaN', 'infinity' or 'today' never pass as values), list columns
-- (spaces or | between items) made arrays, headings outside p_allowed
-- refused. Raises BD001 with a reason in the user's words; the caller adds
-- file and line. Internal.

CREATE OR REPLACE FUNCTION payroll.import_clean(p_row jsonb, p_allowed text[], p_numbers text[], p_dates text[], p_lists text[])
 RETURNS jsonb
 LANGUAGE plpgsql
 IMMUTABLE
AS $function$
DECLARE
	k text;
	v text;
	out jsonb := '{}';
BEGIN
	FOR k, v IN SELECT j.key, btrim(j.value #>> '{}') FROM jsonb_each(p_row) j WHERE j.key <> '_line' LOOP
		IF NOT k = ANY (p_allowed) THEN
			RAISE EXCEPTION 'there is no column "%" (the columns are: %)', k,
				array_to_string(p_allowed, ', ') USING ERRCODE = 'BD001';
		END IF;
		CONTINUE WHEN v IS NULL OR v = '';
		IF k = ANY (p_numbers) AND v !~ '^-?[0-9]{1,12}(\.[0-9]{1,6})?$' THEN
			RAISE EXCEPTION '% "%" is not a number like 1234.50', k, left(v, 40)
				USING ERRCODE = 'BD001';
		END IF;
		IF k = ANY (p_dates) AND (v !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$') THEN
			RAISE EXCEPTION '% "%" is not a date like 2025-01-31', k, left(v, 40)
				USING ERRCODE = 'BD001';
		END IF;
		IF k = ANY (p_lists) THEN
			out := out || jsonb_build_object(k, to_jsonb(regexp_split_to_array(v, '[ |]+')));
		ELSE
			out := out || jsonb_build_object(k, v);
		END IF;
	END LOOP;
	RETURN out;
END
$function$;
ALTER FUNCTION payroll.import_clean(jsonb,text[],text[],text[],text[]) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION payroll.import_clean(jsonb,text[],text[],text[],text[]) FROM PUBLIC;
