-- core.client_rename: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION core.client_rename(p_code text, p_name text)
 RETURNS void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'core', 'pg_temp'
AS $function$
DECLARE
	c core.clients;
	v_name text := btrim(p_name);
BEGIN
	PERFORM core.require_role('admin');
	c := core.client_by_code(p_code);
	IF v_name IS NULL OR v_name = '' OR length(v_name) > 200 THEN
		RAISE EXCEPTION 'A client name is 1-200 characters' USING ERRCODE = 'BD001';
	END IF;
	PERFORM core.plain_text(v_name, 'A client name');
	UPDATE core.clients SET name = v_name WHERE client_id = c.client_id;
END
$function$;
ALTER FUNCTION core.client_rename(text,text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION core.client_rename(text,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION core.client_rename(text,text) TO bd_admin;
