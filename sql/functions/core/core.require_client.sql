-- core.require_client: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION core.require_client(p_client_id integer)
 RETURNS void
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'core', 'pg_temp'
AS $function$
DECLARE
	c core.clients;
BEGIN
	IF NOT (core.is_superuser() OR p_client_id = ANY (core.my_clients())) THEN
		RAISE EXCEPTION 'You are not assigned to this client' USING ERRCODE = 'BD002';
	END IF;
	SELECT * INTO c FROM core.clients WHERE client_id = p_client_id;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'Unknown client' USING ERRCODE = 'BD004';
	END IF;
	IF NOT c.active THEN
		RAISE EXCEPTION 'Client % is inactive', c.code USING ERRCODE = 'BD002';
	END IF;
END
$function$;
ALTER FUNCTION core.require_client(integer) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION core.require_client(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION core.require_client(integer) TO bd_clerk;
GRANT EXECUTE ON FUNCTION core.require_client(integer) TO bd_accountant;
GRANT EXECUTE ON FUNCTION core.require_client(integer) TO bd_supervisor;
GRANT EXECUTE ON FUNCTION core.require_client(integer) TO bd_admin;
GRANT EXECUTE ON FUNCTION core.require_client(integer) TO bd_payroll;
