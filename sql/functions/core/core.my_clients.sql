-- core.my_clients: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION core.my_clients()
 RETURNS integer[]
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'core', 'pg_temp'
AS $function$
BEGIN
	RETURN coalesce((SELECT a.clients FROM core.operator_access a
			 WHERE a.login = session_user), '{}');
END
$function$;
ALTER FUNCTION core.my_clients() OWNER TO bd_owner;
REVOKE ALL ON FUNCTION core.my_clients() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION core.my_clients() TO bd_clerk;
GRANT EXECUTE ON FUNCTION core.my_clients() TO bd_accountant;
GRANT EXECUTE ON FUNCTION core.my_clients() TO bd_supervisor;
GRANT EXECUTE ON FUNCTION core.my_clients() TO bd_admin;
GRANT EXECUTE ON FUNCTION core.my_clients() TO bd_payroll;
