-- payroll.pack_load_csv: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- payroll.pack_load from the text of a pack file, for SQL callers (the demo
-- seed loads the shipped packs with it). Pack files are plain CSV: no
-- quoted cells (a quote is refused), a header, CRLF or LF. The command
-- `backdesk payroll pack load` reads any CSV with the one reader
-- (src/base/csv.c) and calls payroll.pack_load itself. Granted to no one.

CREATE OR REPLACE FUNCTION payroll.pack_load_csv(p_source text, p_text text)
 RETURNS integer
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'payroll', 'core', 'pg_temp'
AS $function$
DECLARE
	v_lines text[] := regexp_split_to_array(p_text, '\r?\n');
	v_head text[];
	v_rows jsonb := '[]';
	v_cells text[];
	i integer;
BEGIN
	IF strpos(p_text, '"') > 0 THEN
		RAISE EXCEPTION '%: a pack text for SQL has no quoted cells', p_source
			USING ERRCODE = 'BD001';
	END IF;
	v_head := string_to_array(v_lines[1], ',');
	FOR i IN 2 .. coalesce(array_length(v_lines, 1), 0) LOOP
		CONTINUE WHEN v_lines[i] = '';
		v_cells := string_to_array(v_lines[i], ',');
		IF array_length(v_cells, 1) <> array_length(v_head, 1) THEN
			RAISE EXCEPTION '%:%: % cells where the header has %', p_source, i,
				array_length(v_cells, 1), array_length(v_head, 1) USING ERRCODE = 'BD001';
		END IF;
		v_rows := v_rows || jsonb_build_array(
			(SELECT jsonb_object_agg(h.k, c.v) FROM unnest(v_head) WITH ORDINALITY h(k, n)
			 JOIN unnest(v_cells) WITH ORDINALITY c(v, n) ON c.n = h.n)
			|| jsonb_build_object('_line', i));
	END LOOP;
	RETURN payroll.pack_load(p_source, v_rows);
END
$function$;
ALTER FUNCTION payroll.pack_load_csv(text,text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION payroll.pack_load_csv(text,text) FROM PUBLIC;
