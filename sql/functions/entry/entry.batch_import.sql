-- entry.batch_import: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION entry.batch_import(p_client_code text, p_doctype_code text, p_mode text, p_priority integer, p_sla_hours numeric, p_name text, p_rows jsonb)
 RETURNS bigint
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'entry', 'core', 'pg_temp'
AS $function$
DECLARE
	v_client integer;
	t entry.doctypes;
	v entry.doctype_versions;
	r record;
	v_batch bigint;
	v_n integer;
BEGIN
	PERFORM core.require_role('supervisor', 'admin');
	v_client := core.client_id_of(p_client_code);
	SELECT * INTO t FROM entry.doctypes WHERE client_id = v_client AND code = p_doctype_code;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'Unknown document type % for client %', coalesce(p_doctype_code, '(none)'),
			upper(p_client_code) USING ERRCODE = 'BD004';
	END IF;
	SELECT * INTO v FROM entry.doctype_versions
	WHERE client_id = t.client_id AND doctype_id = t.doctype_id AND version = t.newest_version;
	IF p_mode IS NULL OR p_mode NOT IN ('single', 'single_qa', 'double') THEN
		RAISE EXCEPTION 'The keying mode is single, single_qa or double' USING ERRCODE = 'BD001';
	END IF;
	IF p_priority IS NULL OR p_priority NOT BETWEEN 0 AND 99 THEN
		RAISE EXCEPTION 'A priority is 0 to 99 (higher is keyed first)' USING ERRCODE = 'BD001';
	END IF;
	IF p_sla_hours IS NULL OR p_sla_hours <= 0 OR p_sla_hours > 24 * 366 THEN
		RAISE EXCEPTION 'The SLA is a number of hours from now, more than 0 and at most a year'
			USING ERRCODE = 'BD001';
	END IF;
	IF p_name IS NULL OR length(p_name) NOT BETWEEN 1 AND 200 THEN
		RAISE EXCEPTION 'A batch name is 1-200 characters' USING ERRCODE = 'BD001';
	END IF;
	IF p_rows IS NULL OR jsonb_typeof(p_rows) <> 'array' OR jsonb_array_length(p_rows) = 0 THEN
		RAISE EXCEPTION 'The file has no documents' USING ERRCODE = 'BD001';
	END IF;

	FOR r IN
		SELECT y.e, y.line, y.ref,
		       row_number() OVER (PARTITION BY y.ref ORDER BY y.ord) AS rn,
		       first_value(y.line) OVER (PARTITION BY y.ref ORDER BY y.ord) AS first_line
		FROM (SELECT x.e, x.ord, coalesce((x.e ->> 'line')::integer, x.ord::integer + 1) AS line,
			     btrim(coalesce(x.e ->> 'ref', '')) AS ref
		      FROM jsonb_array_elements(p_rows) WITH ORDINALITY AS x(e, ord)) y
		ORDER BY y.ord
	LOOP
		IF jsonb_typeof(r.e) <> 'object' THEN
			RAISE EXCEPTION 'Line %: not a document', r.line USING ERRCODE = 'BD001';
		END IF;
		IF r.ref = '' THEN
			RAISE EXCEPTION 'Line %: the external reference is empty', r.line USING ERRCODE = 'BD001';
		END IF;
		IF length(r.ref) > 100 THEN
			RAISE EXCEPTION 'Line %: the external reference is longer than 100 characters', r.line
				USING ERRCODE = 'BD001';
		END IF;
		IF r.rn > 1 THEN
			RAISE EXCEPTION 'Line %: reference % appears twice (first on line %)', r.line, r.ref,
				r.first_line USING ERRCODE = 'BD003';
		END IF;
		IF length(r.e ->> 'source') > 1000 THEN
			RAISE EXCEPTION 'Line %: the source path is longer than 1000 characters', r.line
				USING ERRCODE = 'BD001';
		END IF;
		BEGIN
			PERFORM entry.check_values(v, coalesce(r.e -> 'values', '{}'), 'pre-filled', false);
		EXCEPTION WHEN SQLSTATE 'BD001' THEN
			RAISE EXCEPTION 'Line %: %', r.line, SQLERRM USING ERRCODE = 'BD001';
		END;
	END LOOP;

	INSERT INTO entry.batches (client_id, doctype_id, name, mode, priority, sla_due, documents)
	VALUES (t.client_id, t.doctype_id, p_name, p_mode, p_priority,
		now() + make_interval(secs => (p_sla_hours * 3600)::double precision),
		jsonb_array_length(p_rows))
	RETURNING batch_id INTO v_batch;
	-- doctype_version: the newest now, rechecked at the first claim.
	INSERT INTO entry.documents (client_id, batch_id, doctype_id, doctype_version, line,
				     external_ref, source_path, prefill)
	SELECT t.client_id, v_batch, t.doctype_id, v.version,
	       coalesce((x.e ->> 'line')::integer, x.ord::integer + 1),
	       btrim(x.e ->> 'ref'), nullif(x.e ->> 'source', ''),
	       coalesce((SELECT jsonb_object_agg(k.key, k.value) FROM jsonb_each(x.e -> 'values') k
			 WHERE k.value <> '""'::jsonb AND k.value <> 'null'::jsonb), '{}')
	FROM jsonb_array_elements(p_rows) WITH ORDINALITY AS x(e, ord)
	ORDER BY x.ord;
	GET DIAGNOSTICS v_n = ROW_COUNT;
	PERFORM entry.notify(t.client_id);
	RETURN v_batch;
END
$function$;
ALTER FUNCTION entry.batch_import(text,text,text,integer,numeric,text,jsonb) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION entry.batch_import(text,text,text,integer,numeric,text,jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION entry.batch_import(text,text,text,integer,numeric,text,jsonb) TO bd_supervisor;
GRANT EXECUTE ON FUNCTION entry.batch_import(text,text,text,integer,numeric,text,jsonb) TO bd_admin;
