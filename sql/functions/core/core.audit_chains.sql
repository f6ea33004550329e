-- core.audit_chains: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION core.audit_chains()
 RETURNS TABLE(client_id integer, client_code text)
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'core', 'pg_temp'
AS $function$
BEGIN
	IF core.my_role() IS NULL AND NOT core.is_superuser() THEN
		RETURN;
	END IF;
	RETURN QUERY
	SELECT 0, '*'::text WHERE core.is_admin()
	UNION ALL
	SELECT c.client_id, c.code FROM core.clients c
	WHERE core.is_superuser() OR c.client_id = ANY (core.my_clients());
END
$function$;
ALTER FUNCTION core.audit_chains() OWNER TO bd_owner;
REVOKE ALL ON FUNCTION core.audit_chains() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION core.audit_chains() TO bd_clerk;
GRANT EXECUTE ON FUNCTION core.audit_chains() TO bd_accountant;
GRANT EXECUTE ON FUNCTION core.audit_chains() TO bd_supervisor;
GRANT EXECUTE ON FUNCTION core.audit_chains() TO bd_admin;
GRANT EXECUTE ON FUNCTION core.audit_chains() TO bd_payroll;
