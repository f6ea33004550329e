-- payroll.client_of: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- The first thing every payroll function does: the caller is a payroll
-- operator (or a superuser: the demo seed) assigned to this active client;
-- returns its id. Internal (granted to no one): runs on its caller's path.

CREATE OR REPLACE FUNCTION payroll.client_of(p_client text)
 RETURNS integer
 LANGUAGE plpgsql
 STABLE
AS $function$
BEGIN
	PERFORM core.require_role('payroll');
	RETURN core.client_id_of(p_client);
END
$function$;
ALTER FUNCTION payroll.client_of(text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION payroll.client_of(text) FROM PUBLIC;
