-- core.end_sessions: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION core.end_sessions(p_login text)
 RETURNS integer
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
DECLARE
	v_pid integer;
	n integer := 0;
BEGIN
	FOR v_pid IN
		SELECT a.pid FROM pg_stat_activity a
		WHERE a.usename = p_login AND a.datname = current_database()
		  AND a.pid <> pg_backend_pid()
	LOOP
		IF pg_terminate_backend(v_pid) THEN
			n := n + 1;
		END IF;
	END LOOP;
	RETURN n;
END
$function$;
ALTER FUNCTION core.end_sessions(text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION core.end_sessions(text) FROM PUBLIC;
