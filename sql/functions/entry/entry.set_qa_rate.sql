-- entry.set_qa_rate: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION entry.set_qa_rate(p_client_code text, p_doctype_code text, p_rate numeric)
 RETURNS void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'entry', 'core', 'pg_temp'
AS $function$
DECLARE
	t entry.doctypes;
BEGIN
	PERFORM core.require_role('supervisor', 'admin');
	SELECT * INTO t FROM entry.doctypes
	WHERE client_id = core.client_id_of(p_client_code) AND code = p_doctype_code FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'Unknown document type %', coalesce(p_doctype_code, '(none)')
			USING ERRCODE = 'BD004';
	END IF;
	IF p_rate IS NULL OR p_rate NOT BETWEEN 0 AND 1 THEN
		RAISE EXCEPTION 'A QA sample rate is between 0 and 1 (0.05 is 5%%)' USING ERRCODE = 'BD001';
	END IF;
	UPDATE entry.doctypes SET qa_rate = p_rate
	WHERE client_id = t.client_id AND doctype_id = t.doctype_id;
	INSERT INTO entry.actions (client_id, action, detail)
	VALUES (t.client_id, 'qa_rate', jsonb_build_object('doctype', t.code, 'from', t.qa_rate,
							   'to', p_rate));
END
$function$;
ALTER FUNCTION entry.set_qa_rate(text,text,numeric) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION entry.set_qa_rate(text,text,numeric) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION entry.set_qa_rate(text,text,numeric) TO bd_supervisor;
GRANT EXECUTE ON FUNCTION entry.set_qa_rate(text,text,numeric) TO bd_admin;
