-- entry.qa_review: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION entry.qa_review(p_document_id bigint, p_results jsonb)
 RETURNS text
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'entry', 'core', 'pg_temp'
AS $function$
DECLARE
	me text := session_user;
	d entry.documents;
	v entry.doctype_versions;
	e record;
	v_values jsonb;
	v_value text;
	bad text;
BEGIN
	PERFORM core.require_role('clerk', 'supervisor');
	d := entry.my_claim(p_document_id, '{qa}');
	IF me = d.pass1_by THEN
		RAISE EXCEPTION 'You keyed document %: another operator must review it', d.external_ref
			USING ERRCODE = 'BD002';
	END IF;
	IF p_results IS NULL OR jsonb_typeof(p_results) <> 'object' THEN
		RAISE EXCEPTION 'The review must be a JSON object by field' USING ERRCODE = 'BD001';
	END IF;
	SELECT * INTO STRICT v FROM entry.doctype_versions
	WHERE client_id = d.client_id AND doctype_id = d.doctype_id AND version = d.doctype_version;
	SELECT string_agg(k, ', ' ORDER BY k) INTO bad
	FROM jsonb_object_keys(p_results) k WHERE NOT k = ANY (v.field_names);
	IF bad IS NOT NULL THEN
		RAISE EXCEPTION 'Unknown field in the review: %', bad USING ERRCODE = 'BD001';
	END IF;
	v_values := d.final_values;
	FOR e IN SELECT r.key, r.value FROM jsonb_each(p_results) r LOOP
		IF jsonb_typeof(e.value) <> 'object' OR jsonb_typeof(e.value -> 'ok') <> 'boolean'
		   OR (NOT (e.value ->> 'ok')::boolean
		       AND coalesce(jsonb_typeof(e.value -> 'value'), 'none') <> 'string') THEN
			RAISE EXCEPTION 'The review of % must be {"ok": true} or {"ok": false, "value": "..."}',
				e.key USING ERRCODE = 'BD001';
		END IF;
		v_value := CASE WHEN (e.value ->> 'ok')::boolean THEN NULL ELSE e.value ->> 'value' END;
		INSERT INTO entry.qa_reviews (client_id, document_id, field, keyed_value, ok,
					      corrected_value)
		VALUES (d.client_id, d.document_id, e.key, d.final_values ->> e.key,
			(e.value ->> 'ok')::boolean, v_value);
		IF NOT (e.value ->> 'ok')::boolean THEN
			INSERT INTO entry.field_errors (client_id, document_id, pass, field, source,
							keyed_value, correct_value)
			VALUES (d.client_id, d.document_id, 1, e.key, 'qa', d.final_values ->> e.key, v_value)
			ON CONFLICT DO NOTHING;
			IF v_value = '' THEN
				v_values := v_values - e.key;
			ELSE
				v_values := jsonb_set(v_values, ARRAY[e.key], to_jsonb(v_value));
			END IF;
		END IF;
	END LOOP;
	PERFORM entry.check_values(v, v_values, 'corrected', true);
	UPDATE entry.passes p
	SET fields_in_error = (SELECT count(*) FROM entry.field_errors fe
			       WHERE fe.client_id = p.client_id AND fe.document_id = p.document_id
				 AND fe.pass = p.pass)
	WHERE p.client_id = d.client_id AND p.document_id = d.document_id AND p.pass = 1;
	UPDATE entry.documents
	SET state = 'done', final_values = v_values, completed_at = now(),
	    claimed_by = NULL, claimed_at = NULL, lease_until = NULL
	WHERE client_id = d.client_id AND document_id = d.document_id;
	PERFORM entry.notify(d.client_id);
	RETURN 'done';
END
$function$;
ALTER FUNCTION entry.qa_review(bigint,jsonb) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION entry.qa_review(bigint,jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION entry.qa_review(bigint,jsonb) TO bd_clerk;
GRANT EXECUTE ON FUNCTION entry.qa_review(bigint,jsonb) TO bd_supervisor;

CREATE OR REPLACE FUNCTION entry.qa_review(p_document_id bigint, p_results jsonb, p_key text)
 RETURNS text
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'entry', 'core', 'pg_temp'
AS $function$
DECLARE
	v_cid integer := (SELECT dd.client_id FROM entry.documents dd
			  WHERE dd.document_id = p_document_id);
	v_prior jsonb := core.idem_begin(v_cid, p_key);
	v_state text;
BEGIN
	IF v_prior IS NOT NULL THEN
		RETURN v_prior #>> '{}';
	END IF;
	v_state := entry.qa_review(p_document_id, p_results);
	PERFORM core.idem_end(v_cid, p_key, to_jsonb(v_state));
	RETURN v_state;
END
$function$;
ALTER FUNCTION entry.qa_review(bigint,jsonb,text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION entry.qa_review(bigint,jsonb,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION entry.qa_review(bigint,jsonb,text) TO bd_clerk;
GRANT EXECUTE ON FUNCTION entry.qa_review(bigint,jsonb,text) TO bd_supervisor;
