-- core.assign: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION core.assign(p_login text, p_client_code text)
 RETURNS void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'core', 'pg_temp'
AS $function$
DECLARE
	o core.operators;
	c core.clients;
BEGIN
	PERFORM core.require_role('admin');
	o := core.operator_by_login(p_login);
	c := core.client_by_code(p_client_code);
	IF EXISTS (SELECT 1 FROM core.assignments WHERE login = o.login AND client_id = c.client_id) THEN
		RAISE EXCEPTION '% is already assigned to %', o.login, c.code USING ERRCODE = 'BD003';
	END IF;
	INSERT INTO core.assignments (login, client_id) VALUES (o.login, c.client_id);
	PERFORM core.notify_operator(o.login);
END
$function$;
ALTER FUNCTION core.assign(text,text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION core.assign(text,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION core.assign(text,text) TO bd_admin;
