-- core.is_admin: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION core.is_admin()
 RETURNS boolean
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'core', 'pg_temp'
AS $function$
BEGIN
	RETURN coalesce(core.my_role() = 'admin', false) OR core.is_superuser();
END
$function$;
ALTER FUNCTION core.is_admin() OWNER TO bd_owner;
REVOKE ALL ON FUNCTION core.is_admin() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION core.is_admin() TO bd_clerk;
GRANT EXECUTE ON FUNCTION core.is_admin() TO bd_accountant;
GRANT EXECUTE ON FUNCTION core.is_admin() TO bd_supervisor;
GRANT EXECUTE ON FUNCTION core.is_admin() TO bd_admin;
GRANT EXECUTE ON FUNCTION core.is_admin() TO bd_payroll;
