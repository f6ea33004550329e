-- core.operator_enable: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION core.operator_enable(p_login text)
 RETURNS void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'core', 'pg_temp'
AS $function$
DECLARE
	o core.operators;
BEGIN
	PERFORM core.require_role('admin');
	o := core.operator_by_login(p_login);
	PERFORM core.check_login(o.login);
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = o.login) THEN
		EXECUTE format('CREATE ROLE %I LOGIN IN ROLE %I', o.login, 'bd_' || o.role);
	ELSE
		IF NOT (SELECT rolcanlogin FROM pg_roles WHERE rolname = o.login) THEN
			EXECUTE format('ALTER ROLE %I LOGIN', o.login);
		END IF;
		PERFORM core.set_group(o.login, o.role);
	END IF;
	IF o.disabled THEN
		UPDATE core.operators SET disabled = false WHERE login = o.login;
	END IF;
	PERFORM core.notify_operator(o.login);
END
$function$;
ALTER FUNCTION core.operator_enable(text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION core.operator_enable(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION core.operator_enable(text) TO bd_admin;
