-- entry.codes_load: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- Replaces a client's code table whole (070: entry.codes) with p_rows, a
-- JSON array of [code, description, valid_from, valid_to] (dates ISO or
-- null), in the caller's transaction: the table is the new one or, on any
-- refusal, the old one. `backdesk codes load` checks the file first and
-- names its line; this names the row (1-based) of what it refuses anyway.
-- One audit entry per load. Returns the number of codes.

CREATE OR REPLACE FUNCTION entry.codes_load(p_client_code text, p_table text, p_rows jsonb)
 RETURNS integer
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'entry', 'core', 'pg_temp'
AS $function$
DECLARE
	v_client integer;
	v_bad bigint;
	v_n integer;
	v_old integer;
BEGIN
	PERFORM core.require_role('supervisor', 'admin');
	v_client := core.client_id_of(p_client_code);
	IF p_table IS NULL OR p_table !~ '^[a-z][a-z0-9_]{0,31}$' THEN
		RAISE EXCEPTION 'A code table name is 1-32 of a-z, 0-9 and _ (got %)',
			coalesce(p_table, '(none)') USING ERRCODE = 'BD001';
	END IF;
	IF p_rows IS NULL OR jsonb_typeof(p_rows) <> 'array' THEN
		RAISE EXCEPTION 'The codes must be a JSON array' USING ERRCODE = 'BD001';
	END IF;
	SELECT min(o) INTO v_bad
	FROM jsonb_array_elements(p_rows) WITH ORDINALITY x(r, o)
	WHERE jsonb_typeof(r) <> 'array' OR jsonb_array_length(r) <> 4
	   OR jsonb_typeof(r -> 0) <> 'string' OR jsonb_typeof(r -> 1) <> 'string'
	   OR jsonb_typeof(r -> 2) NOT IN ('string', 'null')
	   OR jsonb_typeof(r -> 3) NOT IN ('string', 'null')
	   OR coalesce(r ->> 2, '2000-01-01') !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'
	   OR coalesce(r ->> 3, '2000-01-01') !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$';
	IF v_bad IS NOT NULL THEN
		RAISE EXCEPTION 'Code % is not [code, description, valid_from, valid_to]', v_bad
			USING ERRCODE = 'BD001';
	END IF;
	SELECT min(o) INTO v_bad FROM (
		SELECT o, row_number() OVER (PARTITION BY r ->> 0 ORDER BY o) AS n
		FROM jsonb_array_elements(p_rows) WITH ORDINALITY x(r, o)) d WHERE n > 1;
	IF v_bad IS NOT NULL THEN
		RAISE EXCEPTION 'Code % is in the table twice', v_bad USING ERRCODE = 'BD003';
	END IF;
	DELETE FROM entry.code_words WHERE client_id = v_client AND code_table = p_table;
	DELETE FROM entry.codes WHERE client_id = v_client AND code_table = p_table;
	GET DIAGNOSTICS v_old = ROW_COUNT;
	BEGIN
		INSERT INTO entry.codes (client_id, code_table, code, description, valid_from, valid_to)
		SELECT v_client, p_table, r ->> 0, r ->> 1, (r ->> 2)::date, (r ->> 3)::date
		FROM jsonb_array_elements(p_rows) r;
	EXCEPTION WHEN check_violation OR invalid_datetime_format OR datetime_field_overflow THEN
		RAISE EXCEPTION 'A code, a description or a date is not allowed (%)', SQLERRM
			USING ERRCODE = 'BD001';
	END;
	GET DIAGNOSTICS v_n = ROW_COUNT;
	-- The words index of F4 (070: entry.code_words).
	INSERT INTO entry.code_words (client_id, code_table, word, code)
	SELECT DISTINCT v_client, p_table, w, c.code
	FROM entry.codes c, regexp_split_to_table(lower(c.description), '[^[:alnum:]]+') w
	WHERE c.client_id = v_client AND c.code_table = p_table AND w <> '';
	PERFORM core.audit_append(v_client, 'entry.codes', 'UPDATE',
				  jsonb_build_object('code_table', p_table),
				  jsonb_build_object('codes', v_old),
				  jsonb_build_object('codes', v_n, 'sha256',
						     encode(sha256(convert_to(p_rows::text, 'UTF8')), 'hex')));
	RETURN v_n;
END
$function$;
ALTER FUNCTION entry.codes_load(text,text,jsonb) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION entry.codes_load(text,text,jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION entry.codes_load(text,text,jsonb) TO bd_supervisor;
GRANT EXECUTE ON FUNCTION entry.codes_load(text,text,jsonb) TO bd_admin;
