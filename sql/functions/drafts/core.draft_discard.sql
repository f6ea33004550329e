-- core.draft_discard: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION core.draft_discard(p_screen text)
 RETURNS void
 LANGUAGE sql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'core', 'pg_temp'
AS $function$
	DELETE FROM core.drafts WHERE login = session_user AND screen = p_screen;
$function$;
ALTER FUNCTION core.draft_discard(text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION core.draft_discard(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION core.draft_discard(text) TO bd_clerk;
GRANT EXECUTE ON FUNCTION core.draft_discard(text) TO bd_accountant;
GRANT EXECUTE ON FUNCTION core.draft_discard(text) TO bd_supervisor;
GRANT EXECUTE ON FUNCTION core.draft_discard(text) TO bd_admin;
GRANT EXECUTE ON FUNCTION core.draft_discard(text) TO bd_payroll;
