-- entry.doctype_load: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION entry.doctype_load(p_client_code text, p_code text, p_title text, p_screen text, p_fields jsonb, p_rules jsonb DEFAULT '[]'::jsonb)
 RETURNS integer
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'entry', 'core', 'pg_temp'
AS $function$
DECLARE
	v_client integer;
	t entry.doctypes;
	v_names text[];
	v_latest entry.doctype_versions;
	v_version integer;
BEGIN
	PERFORM core.require_role('supervisor', 'admin');
	v_client := core.client_id_of(p_client_code);
	IF p_code IS NULL OR p_code !~ '^[a-z][a-z0-9_]{0,31}$' THEN
		RAISE EXCEPTION 'A document type name is 1-32 of a-z, 0-9 and _ (got %)',
			coalesce(p_code, '(none)') USING ERRCODE = 'BD001';
	END IF;
	IF p_title IS NULL OR btrim(p_title) = '' OR length(p_title) > 200 THEN
		RAISE EXCEPTION 'A document type needs a title of 1-200 characters' USING ERRCODE = 'BD001';
	END IF;
	IF p_fields IS NULL OR jsonb_typeof(p_fields) <> 'array' OR jsonb_array_length(p_fields) = 0
	   OR EXISTS (SELECT 1 FROM jsonb_array_elements(p_fields) e
		      WHERE jsonb_typeof(e) <> 'object' OR coalesce(e ->> 'name', '') = '') THEN
		RAISE EXCEPTION 'A document type needs at least one field' USING ERRCODE = 'BD001';
	END IF;
	IF p_rules IS NULL OR jsonb_typeof(p_rules) <> 'array' THEN
		RAISE EXCEPTION 'The rules must be a JSON array' USING ERRCODE = 'BD001';
	END IF;
	SELECT array_agg(e ->> 'name' ORDER BY o) INTO v_names
	FROM jsonb_array_elements(p_fields) WITH ORDINALITY AS f(e, o);
	IF EXISTS (SELECT 1 FROM jsonb_array_elements(p_rules) r
		   CROSS JOIN LATERAL (SELECT r ->> 'target' AS n
				       UNION ALL
				       SELECT jsonb_array_elements_text(r -> 'terms')) x
		   WHERE NOT coalesce(x.n = ANY (v_names), false)) THEN
		RAISE EXCEPTION 'A sum rule names a field the screen does not have' USING ERRCODE = 'BD001';
	END IF;

	SELECT * INTO t FROM entry.doctypes WHERE client_id = v_client AND code = p_code FOR UPDATE;
	IF NOT FOUND THEN
		INSERT INTO entry.doctypes (client_id, code, title)
		VALUES (v_client, p_code, btrim(p_title)) RETURNING * INTO t;
	ELSIF t.title <> btrim(p_title) THEN
		UPDATE entry.doctypes SET title = btrim(p_title)
		WHERE client_id = t.client_id AND doctype_id = t.doctype_id;
	END IF;
	SELECT * INTO v_latest FROM entry.doctype_versions
	WHERE client_id = t.client_id AND doctype_id = t.doctype_id
	ORDER BY version DESC LIMIT 1;
	IF FOUND AND v_latest.screen = p_screen AND v_latest.fields = p_fields
	   AND v_latest.rules = p_rules THEN
		RETURN v_latest.version;
	END IF;
	v_version := coalesce(v_latest.version, 0) + 1;
	INSERT INTO entry.doctype_versions (client_id, doctype_id, version, screen, fields,
					    field_names, rules)
	VALUES (t.client_id, t.doctype_id, v_version, p_screen, p_fields, v_names, p_rules);
	UPDATE entry.doctypes SET newest_version = v_version
	WHERE client_id = t.client_id AND doctype_id = t.doctype_id;
	RETURN v_version;
END
$function$;
ALTER FUNCTION entry.doctype_load(text,text,text,text,jsonb,jsonb) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION entry.doctype_load(text,text,text,text,jsonb,jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION entry.doctype_load(text,text,text,text,jsonb,jsonb) TO bd_supervisor;
GRANT EXECUTE ON FUNCTION entry.doctype_load(text,text,text,text,jsonb,jsonb) TO bd_admin;
