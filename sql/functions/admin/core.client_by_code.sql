-- core.client_by_code: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION core.client_by_code(p_code text)
 RETURNS core.clients
 LANGUAGE plpgsql
 STABLE
 SET search_path TO 'pg_catalog', 'core', 'pg_temp'
AS $function$
DECLARE
	c core.clients;
BEGIN
	SELECT * INTO c FROM core.clients WHERE code = upper(btrim(p_code));
	IF NOT FOUND THEN
		RAISE EXCEPTION 'Unknown client %', coalesce(p_code, '(none)') USING ERRCODE = 'BD004';
	END IF;
	RETURN c;
END
$function$;
ALTER FUNCTION core.client_by_code(text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION core.client_by_code(text) FROM PUBLIC;
