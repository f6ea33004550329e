-- core.client_add: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION core.client_add(p_code text, p_name text)
 RETURNS integer
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'core', 'pg_temp'
AS $function$
DECLARE
	v_code text := upper(btrim(p_code));
	v_name text := btrim(p_name);
	v_id integer;
BEGIN
	PERFORM core.require_role('admin');
	IF v_code IS NULL OR v_code !~ '^[A-Z][A-Z0-9_]{1,15}$' THEN
		RAISE EXCEPTION 'A client code is 2-16 letters, digits or _, starting with a letter'
			USING ERRCODE = 'BD001';
	END IF;
	IF v_name IS NULL OR v_name = '' OR length(v_name) > 200 THEN
		RAISE EXCEPTION 'A client name is 1-200 characters' USING ERRCODE = 'BD001';
	END IF;
	PERFORM core.plain_text(v_name, 'A client name');
	IF EXISTS (SELECT 1 FROM core.clients WHERE code = v_code) THEN
		RAISE EXCEPTION 'Client % already exists', v_code USING ERRCODE = 'BD003';
	END IF;
	INSERT INTO core.clients (code, name) VALUES (v_code, v_name) RETURNING client_id INTO v_id;
	RETURN v_id;
END
$function$;
ALTER FUNCTION core.client_add(text,text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION core.client_add(text,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION core.client_add(text,text) TO bd_admin;
