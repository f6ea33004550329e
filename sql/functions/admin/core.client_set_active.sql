-- core.client_set_active: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION core.client_set_active(p_code text, p_active boolean)
 RETURNS void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'core', 'pg_temp'
AS $function$
DECLARE
	c core.clients;
BEGIN
	PERFORM core.require_role('admin');
	c := core.client_by_code(p_code);
	IF p_active IS NULL THEN
		RAISE EXCEPTION 'Say whether the client is active' USING ERRCODE = 'BD001';
	END IF;
	UPDATE core.clients SET active = p_active WHERE client_id = c.client_id;
	PERFORM core.notify_operator(a.login)
	FROM core.assignments a WHERE a.client_id = c.client_id;
END
$function$;
ALTER FUNCTION core.client_set_active(text,boolean) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION core.client_set_active(text,boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION core.client_set_active(text,boolean) TO bd_admin;
