-- core.operator_disable: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION core.operator_disable(p_login text)
 RETURNS integer
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'core', 'pg_temp'
AS $function$
DECLARE
	o core.operators;
BEGIN
	PERFORM core.require_role('admin');
	o := core.operator_by_login(p_login);
	IF o.login = session_user THEN
		RAISE EXCEPTION 'You cannot disable your own login' USING ERRCODE = 'BD002';
	END IF;
	PERFORM core.check_login(o.login);
	IF NOT o.disabled THEN
		UPDATE core.operators SET disabled = true WHERE login = o.login;
	END IF;
	IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = o.login AND rolcanlogin) THEN
		EXECUTE format('ALTER ROLE %I NOLOGIN', o.login);
	END IF;
	PERFORM core.notify_operator(o.login);
	RETURN core.end_sessions(o.login);
END
$function$;
ALTER FUNCTION core.operator_disable(text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION core.operator_disable(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION core.operator_disable(text) TO bd_admin;
