-- core.require_role: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION core.require_role(VARIADIC roles text[])
 RETURNS text
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'core', 'pg_temp'
AS $function$
DECLARE
	mine text;
BEGIN
	IF current_setting('transaction_isolation') = 'read committed' THEN
		SELECT a.role INTO mine
		FROM core.operator_access a
		WHERE a.login = session_user
		  AND pg_has_role(session_user, 'bd_' || a.role, 'MEMBER');
	ELSE
		SELECT a.role INTO mine
		FROM core.operator_access a
		WHERE a.login = session_user
		  AND pg_has_role(session_user, 'bd_' || a.role, 'MEMBER')
		FOR SHARE;
	END IF;
	IF mine = ANY (roles) OR core.is_superuser() THEN
		RETURN mine;
	END IF;
	IF mine IS NULL THEN
		RAISE EXCEPTION 'You are not an active Backdesk operator' USING ERRCODE = 'BD002';
	END IF;
	RAISE EXCEPTION 'Only % may do this', array_to_string(roles, ' or ') USING ERRCODE = 'BD002';
END
$function$;
ALTER FUNCTION core.require_role(text[]) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION core.require_role(text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION core.require_role(text[]) TO bd_clerk;
GRANT EXECUTE ON FUNCTION core.require_role(text[]) TO bd_accountant;
GRANT EXECUTE ON FUNCTION core.require_role(text[]) TO bd_supervisor;
GRANT EXECUTE ON FUNCTION core.require_role(text[]) TO bd_admin;
GRANT EXECUTE ON FUNCTION core.require_role(text[]) TO bd_payroll;
