-- core.plain_text: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION core.plain_text(p_value text, p_what text)
 RETURNS boolean
 LANGUAGE plpgsql
 IMMUTABLE
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
BEGIN
	IF p_value ~ '[\x01-\x1f\x7f-\x9f]' THEN
		RAISE EXCEPTION '% may not contain control characters (tabs, line breaks, escapes)',
			p_what USING ERRCODE = 'BD001';
	END IF;
	RETURN true;
END
$function$;
ALTER FUNCTION core.plain_text(text,text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION core.plain_text(text,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION core.plain_text(text,text) TO bd_clerk;
GRANT EXECUTE ON FUNCTION core.plain_text(text,text) TO bd_accountant;
GRANT EXECUTE ON FUNCTION core.plain_text(text,text) TO bd_supervisor;
GRANT EXECUTE ON FUNCTION core.plain_text(text,text) TO bd_admin;
GRANT EXECUTE ON FUNCTION core.plain_text(text,text) TO bd_payroll;
