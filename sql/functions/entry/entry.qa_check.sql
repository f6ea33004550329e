-- entry.qa_check: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION entry.qa_check(p_document_id bigint, p_results jsonb)
 RETURNS boolean
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'entry', 'core', 'pg_temp'
AS $function$
DECLARE
	d entry.documents;
	v entry.doctype_versions;
	e record;
	v_values jsonb;
BEGIN
	PERFORM core.require_role('clerk', 'supervisor');
	d := entry.my_claim(p_document_id, '{qa}');
	IF p_results IS NULL OR jsonb_typeof(p_results) <> 'object' THEN
		RAISE EXCEPTION 'The review must be a JSON object by field' USING ERRCODE = 'BD001';
	END IF;
	SELECT * INTO STRICT v FROM entry.doctype_versions
	WHERE client_id = d.client_id AND doctype_id = d.doctype_id AND version = d.doctype_version;
	v_values := d.final_values;
	FOR e IN SELECT r.key, r.value FROM jsonb_each(p_results) r
		 WHERE r.key = ANY (v.field_names) AND jsonb_typeof(r.value) = 'object'
		   AND (r.value ->> 'ok') = 'false' AND jsonb_typeof(r.value -> 'value') = 'string'
	LOOP
		IF e.value ->> 'value' = '' THEN
			v_values := v_values - e.key;
		ELSE
			v_values := jsonb_set(v_values, ARRAY[e.key], e.value -> 'value');
		END IF;
	END LOOP;
	RETURN entry.check_values(v, v_values, 'corrected', true);
END
$function$;
ALTER FUNCTION entry.qa_check(bigint,jsonb) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION entry.qa_check(bigint,jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION entry.qa_check(bigint,jsonb) TO bd_clerk;
GRANT EXECUTE ON FUNCTION entry.qa_check(bigint,jsonb) TO bd_supervisor;
