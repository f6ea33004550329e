-- core.unassign: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION core.unassign(p_login text, p_client_code text)
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
	DELETE FROM core.assignments WHERE login = o.login AND client_id = c.client_id;
	IF NOT FOUND THEN
		RAISE EXCEPTION '% is not assigned to %', o.login, c.code USING ERRCODE = 'BD004';
	END IF;
	PERFORM core.notify_operator(o.login);
END
$function$;
ALTER FUNCTION core.unassign(text,text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION core.unassign(text,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION core.unassign(text,text) TO bd_admin;
