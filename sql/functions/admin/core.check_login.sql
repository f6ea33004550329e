-- core.check_login: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION core.check_login(p_login text)
 RETURNS void
 LANGUAGE plpgsql
 STABLE
 SET search_path TO 'pg_catalog', 'core', 'pg_temp'
AS $function$
DECLARE
	r pg_roles;
	v_groups integer;
	v_others integer;
BEGIN
	IF p_login IS NULL OR p_login !~ '^[a-z_][a-z0-9_]{0,62}$' THEN
		RAISE EXCEPTION 'A login is 1-63 lower-case letters, digits or _, not starting with a digit'
			USING ERRCODE = 'BD001';
	END IF;
	IF p_login ~ '^(pg_|bd_)' OR p_login IN ('public', 'none', 'current_user', 'session_user',
						  'current_role', 'postgres') THEN
		RAISE EXCEPTION 'The login % is reserved', p_login USING ERRCODE = 'BD001';
	END IF;
	SELECT * INTO r FROM pg_roles WHERE rolname = p_login;
	IF NOT FOUND THEN
		RETURN;
	END IF;
	IF r.rolsuper OR r.rolbypassrls OR r.rolcreaterole OR r.rolreplication OR r.rolcreatedb THEN
		RAISE EXCEPTION 'The login % is a privileged database role and cannot be an operator',
			p_login USING ERRCODE = 'BD002';
	END IF;
	SELECT count(*) FILTER (WHERE g.rolname IN ('bd_clerk', 'bd_accountant', 'bd_supervisor',
						    'bd_admin', 'bd_payroll')),
	       count(*) FILTER (WHERE g.rolname NOT IN ('bd_clerk', 'bd_accountant', 'bd_supervisor',
							'bd_admin', 'bd_payroll'))
	INTO v_groups, v_others
	FROM pg_auth_members m
	JOIN pg_roles g ON g.oid = m.roleid
	WHERE m.member = r.oid;
	IF v_others > 0 OR v_groups > 1
	   OR EXISTS (SELECT 1 FROM pg_auth_members m WHERE m.roleid = r.oid) THEN
		RAISE EXCEPTION 'The login % is a member of, or has members in, other database roles '
			'and cannot be an operator', p_login USING ERRCODE = 'BD002';
	END IF;
END
$function$;
ALTER FUNCTION core.check_login(text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION core.check_login(text) FROM PUBLIC;
