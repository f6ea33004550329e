-- core.check_role: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION core.check_role(p_role text)
 RETURNS void
 LANGUAGE plpgsql
 IMMUTABLE
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
BEGIN
	IF p_role IS NULL OR p_role NOT IN ('clerk', 'accountant', 'supervisor', 'admin',
						 'payroll') THEN
		RAISE EXCEPTION 'The role must be clerk, accountant, supervisor, admin or payroll'
			USING ERRCODE = 'BD001';
	END IF;
END
$function$;
ALTER FUNCTION core.check_role(text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION core.check_role(text) FROM PUBLIC;
