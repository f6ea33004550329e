-- core.operator_add: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION core.operator_add(p_login text, p_full_name text, p_role text, p_client_codes text[] DEFAULT '{}'::text[])
 RETURNS void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'core', 'pg_temp'
AS $function$
DECLARE
	v_name text := btrim(p_full_name);
	v_code text;
	c core.clients;
BEGIN
	PERFORM core.require_role('admin');
	PERFORM core.check_login(p_login);
	PERFORM core.check_role(p_role);
	IF v_name IS NULL OR v_name = '' OR length(v_name) > 200 THEN
		RAISE EXCEPTION 'A full name is 1-200 characters' USING ERRCODE = 'BD001';
	END IF;
	PERFORM core.plain_text(v_name, 'A full name');
	IF EXISTS (SELECT 1 FROM core.operators WHERE login = p_login) THEN
		RAISE EXCEPTION 'Operator % already exists', p_login USING ERRCODE = 'BD003';
	END IF;
	IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = p_login) THEN
		-- Roles are cluster-wide: the login of an operator of another
		-- Backdesk database (in one of our groups, and nothing else, as
		-- core.check_login made sure) is adopted; any other existing role
		-- (another application's login or group) is not ours to take.
		IF NOT EXISTS (SELECT 1 FROM pg_auth_members m
			       JOIN pg_roles g ON g.oid = m.roleid
			       JOIN pg_roles r ON r.oid = m.member
			       WHERE r.rolname = p_login
				 AND g.rolname IN ('bd_clerk', 'bd_accountant', 'bd_supervisor',
						   'bd_admin', 'bd_payroll')) THEN
			RAISE EXCEPTION 'The database role % already exists and is not a Backdesk '
				'operator: choose another login', p_login USING ERRCODE = 'BD003';
		END IF;
		IF NOT (SELECT rolcanlogin FROM pg_roles WHERE rolname = p_login) THEN
			EXECUTE format('ALTER ROLE %I LOGIN', p_login);
		END IF;
		PERFORM core.set_group(p_login, p_role);
	ELSE
		EXECUTE format('CREATE ROLE %I LOGIN IN ROLE %I', p_login, 'bd_' || p_role);
	END IF;
	INSERT INTO core.operators (login, full_name, role) VALUES (p_login, v_name, p_role);
	FOREACH v_code IN ARRAY coalesce(p_client_codes, '{}') LOOP
		c := core.client_by_code(v_code);
		INSERT INTO core.assignments (login, client_id) VALUES (p_login, c.client_id)
		ON CONFLICT DO NOTHING;
	END LOOP;
	PERFORM core.notify_operator(p_login);
END
$function$;
ALTER FUNCTION core.operator_add(text,text,text,text[]) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION core.operator_add(text,text,text,text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION core.operator_add(text,text,text,text[]) TO bd_admin;
