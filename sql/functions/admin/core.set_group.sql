-- core.set_group: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION core.set_group(p_login text, p_role text)
 RETURNS void
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'core', 'pg_temp'
AS $function$
DECLARE
	g text;
BEGIN
	FOREACH g IN ARRAY ARRAY['clerk', 'accountant', 'supervisor', 'admin', 'payroll'] LOOP
		IF g <> p_role AND EXISTS (
			SELECT 1 FROM pg_auth_members m
			JOIN pg_roles gr ON gr.oid = m.roleid
			JOIN pg_roles mr ON mr.oid = m.member
			WHERE gr.rolname = 'bd_' || g AND mr.rolname = p_login) THEN
			EXECUTE format('REVOKE %I FROM %I', 'bd_' || g, p_login);
		END IF;
	END LOOP;
	IF NOT pg_has_role(p_login, 'bd_' || p_role, 'MEMBER') THEN
		EXECUTE format('GRANT %I TO %I', 'bd_' || p_role, p_login);
	END IF;
END
$function$;
ALTER FUNCTION core.set_group(text,text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION core.set_group(text,text) FROM PUBLIC;
