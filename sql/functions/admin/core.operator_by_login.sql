-- core.operator_by_login: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION core.operator_by_login(p_login text)
 RETURNS core.operators
 LANGUAGE plpgsql
 STABLE
 SET search_path TO 'pg_catalog', 'core', 'pg_temp'
AS $function$
DECLARE
	o core.operators;
BEGIN
	SELECT * INTO o FROM core.operators WHERE login = p_login;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'Unknown operator %', coalesce(p_login, '(none)') USING ERRCODE = 'BD004';
	END IF;
	RETURN o;
END
$function$;
ALTER FUNCTION core.operator_by_login(text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION core.operator_by_login(text) FROM PUBLIC;
