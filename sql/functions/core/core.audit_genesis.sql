-- core.audit_genesis: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION core.audit_genesis()
 RETURNS bytea
 LANGUAGE sql
 IMMUTABLE
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
	SELECT '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea;
$function$;
ALTER FUNCTION core.audit_genesis() OWNER TO bd_owner;
REVOKE ALL ON FUNCTION core.audit_genesis() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION core.audit_genesis() TO bd_clerk;
GRANT EXECUTE ON FUNCTION core.audit_genesis() TO bd_accountant;
GRANT EXECUTE ON FUNCTION core.audit_genesis() TO bd_supervisor;
GRANT EXECUTE ON FUNCTION core.audit_genesis() TO bd_admin;
GRANT EXECUTE ON FUNCTION core.audit_genesis() TO bd_payroll;
