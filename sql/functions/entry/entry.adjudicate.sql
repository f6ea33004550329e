-- entry.adjudicate: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION entry.adjudicate(p_document_id bigint, p_decisions jsonb)
 RETURNS text
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'entry', 'core', 'pg_temp'
AS $function$
DECLARE
	me text := session_user;
	d entry.documents;
	v entry.doctype_versions;
	p1 entry.passes;
	p2 entry.passes;
	fd record;
	dec jsonb;
	v_final text;
	v_choice text;
	v_values jsonb;
	bad text;
BEGIN
	PERFORM core.require_role('clerk', 'supervisor');
	d := entry.my_claim(p_document_id, '{adjudication}');
	IF me IN (d.pass1_by, d.pass2_by) THEN
		RAISE EXCEPTION 'You keyed document %: a third operator must adjudicate it', d.external_ref
			USING ERRCODE = 'BD002';
	END IF;
	IF p_decisions IS NULL OR jsonb_typeof(p_decisions) <> 'object' THEN
		RAISE EXCEPTION 'The decisions must be a JSON object by field' USING ERRCODE = 'BD001';
	END IF;
	SELECT * INTO STRICT v FROM entry.doctype_versions
	WHERE client_id = d.client_id AND doctype_id = d.doctype_id AND version = d.doctype_version;
	SELECT * INTO STRICT p1 FROM entry.passes
	WHERE client_id = d.client_id AND document_id = d.document_id AND pass = 1;
	SELECT * INTO STRICT p2 FROM entry.passes
	WHERE client_id = d.client_id AND document_id = d.document_id AND pass = 2;

	SELECT string_agg(k, ', ' ORDER BY k) INTO bad
	FROM jsonb_object_keys(p_decisions) k
	WHERE NOT EXISTS (SELECT 1 FROM entry.diff(v.fields, p1."values", p2."values") x
			  WHERE x.field = k);
	IF bad IS NOT NULL THEN
		RAISE EXCEPTION 'No decision is needed for: %', bad USING ERRCODE = 'BD001';
	END IF;
	SELECT string_agg(x.label, ', ' ORDER BY x.ord) INTO bad
	FROM entry.diff(v.fields, p1."values", p2."values") x
	WHERE NOT p_decisions ? x.field;
	IF bad IS NOT NULL THEN
		RAISE EXCEPTION 'Decide every differing field (still open: %)', bad USING ERRCODE = 'BD001';
	END IF;

	v_values := p1."values";
	FOR fd IN
		SELECT y.*, (SELECT f ->> 'type' FROM jsonb_array_elements(v.fields) f
			     WHERE f ->> 'name' = y.field) AS type
		FROM entry.diff(v.fields, p1."values", p2."values") y
	LOOP
		dec := p_decisions -> fd.field;
		IF jsonb_typeof(dec) = 'object' AND dec ->> 'pick' IN ('1', '2') AND NOT dec ? 'value' THEN
			v_choice := dec ->> 'pick';
			v_final := CASE v_choice WHEN '1' THEN fd.value1 ELSE fd.value2 END;
		ELSIF jsonb_typeof(dec) = 'object' AND jsonb_typeof(dec -> 'value') = 'string'
		      AND NOT dec ? 'pick' THEN
			v_choice := 'rekey';
			v_final := dec ->> 'value';
			IF length(v_final) > 1000 THEN
				RAISE EXCEPTION 'The value of % is longer than 1000 characters', fd.label
					USING ERRCODE = 'BD001';
			END IF;
		ELSE
			RAISE EXCEPTION 'The decision for % must be {"pick": 1}, {"pick": 2} or {"value": "..."}',
				fd.label USING ERRCODE = 'BD001';
		END IF;
		INSERT INTO entry.adjudications (client_id, document_id, field, value1, value2, choice,
						 final_value)
		VALUES (d.client_id, d.document_id, fd.field, fd.value1, fd.value2, v_choice, v_final);
		IF entry.norm(fd.value1, fd.type) <> entry.norm(v_final, fd.type) THEN
			INSERT INTO entry.field_errors (client_id, document_id, pass, field, source,
							keyed_value, correct_value)
			VALUES (d.client_id, d.document_id, 1, fd.field, 'adjudication', fd.value1, v_final);
		END IF;
		IF entry.norm(fd.value2, fd.type) <> entry.norm(v_final, fd.type) THEN
			INSERT INTO entry.field_errors (client_id, document_id, pass, field, source,
							keyed_value, correct_value)
			VALUES (d.client_id, d.document_id, 2, fd.field, 'adjudication', fd.value2, v_final);
		END IF;
		IF coalesce(v_final, '') = '' THEN
			v_values := v_values - fd.field;
		ELSE
			v_values := jsonb_set(v_values, ARRAY[fd.field], to_jsonb(v_final));
		END IF;
	END LOOP;
	PERFORM entry.check_values(v, v_values, 'adjudicated', true);
	UPDATE entry.passes p
	SET fields_in_error = (SELECT count(*) FROM entry.field_errors e
			       WHERE e.client_id = p.client_id AND e.document_id = p.document_id
				 AND e.pass = p.pass)
	WHERE p.client_id = d.client_id AND p.document_id = d.document_id;
	UPDATE entry.documents
	SET state = 'done', final_values = d.prefill || v_values, completed_at = now(),
	    claimed_by = NULL, claimed_at = NULL, lease_until = NULL
	WHERE client_id = d.client_id AND document_id = d.document_id;
	PERFORM entry.notify(d.client_id);
	RETURN 'done';
END
$function$;
ALTER FUNCTION entry.adjudicate(bigint,jsonb) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION entry.adjudicate(bigint,jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION entry.adjudicate(bigint,jsonb) TO bd_clerk;
GRANT EXECUTE ON FUNCTION entry.adjudicate(bigint,jsonb) TO bd_supervisor;

CREATE OR REPLACE FUNCTION entry.adjudicate(p_document_id bigint, p_decisions jsonb, p_key text)
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
	v_state := entry.adjudicate(p_document_id, p_decisions);
	PERFORM core.idem_end(v_cid, p_key, to_jsonb(v_state));
	RETURN v_state;
END
$function$;
ALTER FUNCTION entry.adjudicate(bigint,jsonb,text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION entry.adjudicate(bigint,jsonb,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION entry.adjudicate(bigint,jsonb,text) TO bd_clerk;
GRANT EXECUTE ON FUNCTION entry.adjudicate(bigint,jsonb,text) TO bd_supervisor;
