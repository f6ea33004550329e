-- core.is_superuser: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION core.is_superuser()
 RETURNS boolean
 LANGUAGE plpgsql
 STABLE
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
BEGIN
	RETURN coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = session_user), false);
END
$function$;
ALTER FUNCTION core.is_superuser() OWNER TO bd_owner;
REVOKE ALL ON FUNCTION core.is_superuser() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION core.is_superuser() TO bd_clerk;
GRANT EXECUTE ON FUNCTION core.is_superuser() TO bd_accountant;
GRANT EXECUTE ON FUNCTION core.is_superuser() TO bd_supervisor;
GRANT EXECUTE ON FUNCTION core.is_superuser() TO bd_admin;
GRANT EXECUTE ON FUNCTION core.is_superuser() TO bd_payroll;
