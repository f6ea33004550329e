-- core.client_id_of: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION core.client_id_of(p_code text)
 RETURNS integer
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'core', 'pg_temp'
AS $function$
DECLARE
	c core.clients;
BEGIN
	SELECT * INTO c FROM core.clients WHERE code = upper(btrim(p_code));
	IF NOT FOUND OR NOT (core.is_superuser() OR c.client_id = ANY (core.my_clients())) THEN
		RAISE EXCEPTION 'Unknown client %', coalesce(p_code, '(none)') USING ERRCODE = 'BD004';
	END IF;
	IF NOT c.active THEN
		RAISE EXCEPTION 'Client % is inactive', c.code USING ERRCODE = 'BD002';
	END IF;
	RETURN c.client_id;
END
$function$;
ALTER FUNCTION core.client_id_of(text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION core.client_id_of(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION core.client_id_of(text) TO bd_clerk;
GRANT EXECUTE ON FUNCTION core.client_id_of(text) TO bd_accountant;
GRANT EXECUTE ON FUNCTION core.client_id_of(text) TO bd_supervisor;
GRANT EXECUTE ON FUNCTION core.client_id_of(text) TO bd_admin;
