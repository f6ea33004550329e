-- core.channel_name: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION core.channel_name(p_topic text, p_token text)
 RETURNS text
 LANGUAGE sql
 IMMUTABLE
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
	SELECT 'bd_' || p_topic || '_' || p_token;
$function$;
ALTER FUNCTION core.channel_name(text,text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION core.channel_name(text,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION core.channel_name(text,text) TO bd_clerk;
GRANT EXECUTE ON FUNCTION core.channel_name(text,text) TO bd_accountant;
GRANT EXECUTE ON FUNCTION core.channel_name(text,text) TO bd_supervisor;
GRANT EXECUTE ON FUNCTION core.channel_name(text,text) TO bd_admin;
GRANT EXECUTE ON FUNCTION core.channel_name(text,text) TO bd_payroll;
