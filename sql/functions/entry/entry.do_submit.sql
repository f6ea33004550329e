-- entry.do_submit: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION entry.do_submit(p_document_id bigint, p_values jsonb, p_keystrokes integer, p_corrections integer, p_seconds integer, p_fields_keyed integer, p_key text DEFAULT NULL::text)
 RETURNS entry.documents
 LANGUAGE plpgsql
AS $function$
DECLARE
	me text := session_user;
	r record;
	d entry.documents;
	v entry.doctype_versions;
	v_pass smallint;
	v_state text;
	v1 jsonb;
	v_values jsonb;
	v_final jsonb;
	v_checked boolean;
BEGIN
	-- The document (locked, as entry.my_claim does), its batch's mode and
	-- its doctype version, in one statement: this is the F2 path.
	SELECT dd AS d, b.mode, vv AS v INTO r
	FROM entry.documents dd
	JOIN entry.batches b ON b.client_id = dd.client_id AND b.batch_id = dd.batch_id
	LEFT JOIN entry.doctype_versions vv
		ON vv.client_id = dd.client_id AND vv.doctype_id = dd.doctype_id
		AND vv.version = dd.doctype_version
	WHERE dd.document_id = p_document_id
	FOR UPDATE OF dd;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'Unknown document %', coalesce(p_document_id::text, '(none)')
			USING ERRCODE = 'BD004';
	END IF;
	d := r.d;
	v := r.v;
	IF d.claimed_by IS DISTINCT FROM me OR d.state <> 'in_progress' THEN
		IF p_key IS NOT NULL THEN
			RETURN NULL;
		END IF;
		RAISE EXCEPTION 'Document % is no longer yours (lease ran out or released)',
			d.external_ref USING ERRCODE = 'BD003';
	END IF;
	IF p_values IS NULL OR jsonb_typeof(p_values) <> 'object' THEN
		RAISE EXCEPTION 'The keyed values must be a JSON object of field names and text'
			USING ERRCODE = 'BD001';
	END IF;
	IF coalesce(p_keystrokes, 0) < 0 OR coalesce(p_corrections, 0) < 0
	   OR coalesce(p_seconds, 0) < 0 OR coalesce(p_fields_keyed, 0) < 0 THEN
		RAISE EXCEPTION 'Keying measures cannot be negative' USING ERRCODE = 'BD001';
	END IF;
	-- '' and NULL mean the same: the pass keeps the non-empty values, and
	-- the final values are the pre-filled ones overlaid with the keyed ones,
	-- where a field keyed empty clears a pre-filled value.
	SELECT coalesce(jsonb_object_agg(e.key, e.value)
			FILTER (WHERE e.value <> '""'::jsonb AND e.value <> 'null'::jsonb), '{}'),
	       d.prefill - coalesce(array_agg(e.key), '{}')
	INTO v_values, v_final
	FROM jsonb_each(p_values) e;
	v_final := v_final || v_values;
	v_checked := entry.check_values(v, v_final, 'keyed', true);
	v_pass := CASE WHEN r.mode = 'double' AND d.pass1_by IS NOT NULL THEN 2 ELSE 1 END;
	IF v_pass = 2 AND d.pass1_by = me THEN
		RAISE EXCEPTION 'Document % needs another operator: you keyed its first pass',
			d.external_ref USING ERRCODE = 'BD002';
	END IF;
	INSERT INTO entry.passes (client_id, document_id, pass, batch_id, operator, doctype_version,
				  "values", keystrokes, corrections, seconds, fields_keyed, claimed_at,
				  request_key)
	VALUES (d.client_id, d.document_id, v_pass, d.batch_id, me, d.doctype_version, v_values,
		coalesce(p_keystrokes, 0), coalesce(p_corrections, 0), coalesce(p_seconds, 0),
		coalesce(p_fields_keyed, (SELECT count(*) FROM jsonb_object_keys(v_values))),
		least(d.claimed_at, now()), p_key);

	IF r.mode = 'double' AND v_pass = 1 THEN
		v_state := 'keyed_once';
		UPDATE entry.documents
		SET state = v_state, pass1_by = me, claimed_by = NULL, claimed_at = NULL, lease_until = NULL
		WHERE client_id = d.client_id AND document_id = d.document_id
		RETURNING * INTO d;
	ELSIF r.mode = 'double' THEN
		SELECT p."values" INTO STRICT v1 FROM entry.passes p
		WHERE p.client_id = d.client_id AND p.document_id = d.document_id AND p.pass = 1;
		IF EXISTS (SELECT 1 FROM entry.diff(v.fields, v1, v_values)) THEN
			v_state := 'adjudication';
		ELSE
			v_state := 'done';
		END IF;
		UPDATE entry.documents
		SET state = v_state, pass2_by = me, claimed_by = NULL, claimed_at = NULL, lease_until = NULL,
		    final_values = CASE WHEN v_state = 'done' THEN d.prefill || v1 END,
		    completed_at = CASE WHEN v_state = 'done' THEN now() END
		WHERE client_id = d.client_id AND document_id = d.document_id
		RETURNING * INTO d;
	ELSE
		-- QA sampling: drawn here, in the database, at the doctype's rate.
		v_state := 'done';
		IF r.mode = 'single_qa' THEN
			IF random() < (SELECT t.qa_rate FROM entry.doctypes t
				       WHERE t.client_id = d.client_id AND t.doctype_id = d.doctype_id) THEN
				v_state := 'qa';
			END IF;
		END IF;
		UPDATE entry.documents
		SET state = v_state, pass1_by = me, claimed_by = NULL, claimed_at = NULL, lease_until = NULL,
		    final_values = v_final, qa_sampled = (v_state = 'qa'),
		    completed_at = CASE WHEN v_state = 'done' THEN now() END
		WHERE client_id = d.client_id AND document_id = d.document_id
		RETURNING * INTO d;
	END IF;
	RETURN d;
END
$function$;
ALTER FUNCTION entry.do_submit(bigint,jsonb,integer,integer,integer,integer,text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION entry.do_submit(bigint,jsonb,integer,integer,integer,integer,text) FROM PUBLIC;
