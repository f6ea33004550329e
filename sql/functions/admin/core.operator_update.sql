-- core.operator_update: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION core.operator_update(p_login text, p_full_name text, p_role text)
 RETURNS void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'core', 'pg_temp'
AS $function$
DECLARE
	o core.operators;
	v_name text := btrim(p_full_name);
BEGIN
	PERFORM core.require_role('admin');
	o := core.operator_by_login(p_login);
	PERFORM core.check_role(p_role);
	IF v_name IS NULL OR v_name = '' OR length(v_name) > 200 THEN
		RAISE EXCEPTION 'A full name is 1-200 characters' USING ERRCODE = 'BD001';
	END IF;
	PERFORM core.plain_text(v_name, 'A full name');
	IF o.login = session_user AND p_role <> o.role THEN
		RAISE EXCEPTION 'You cannot change your own role' USING ERRCODE = 'BD002';
	END IF;
	IF p_role <> o.role THEN
		PERFORM core.check_login(o.login);
		PERFORM core.set_group(o.login, p_role);
	END IF;
	UPDATE core.operators SET full_name = v_name, role = p_role WHERE login = o.login;
	PERFORM core.notify_operator(o.login);
END
$function$;
ALTER FUNCTION core.operator_update(text,text,text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION core.operator_update(text,text,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION core.operator_update(text,text,text) TO bd_admin;
