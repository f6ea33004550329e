-- core.my_role: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION core.my_role()
 RETURNS text
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'core', 'pg_temp'
AS $function$
BEGIN
	RETURN (SELECT a.role
		FROM core.operator_access a
		WHERE a.login = session_user
		  AND pg_has_role(session_user, 'bd_' || a.role, 'MEMBER'));
END
$function$;
ALTER FUNCTION core.my_role() OWNER TO bd_owner;
REVOKE ALL ON FUNCTION core.my_role() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION core.my_role() TO bd_clerk;
GRANT EXECUTE ON FUNCTION core.my_role() TO bd_accountant;
GRANT EXECUTE ON FUNCTION core.my_role() TO bd_supervisor;
GRANT EXECUTE ON FUNCTION core.my_role() TO bd_admin;
GRANT EXECUTE ON FUNCTION core.my_role() TO bd_payroll;
