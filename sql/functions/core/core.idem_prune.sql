-- core.idem_prune: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION core.idem_prune()
 RETURNS integer
 LANGUAGE sql
AS $function$
	WITH gone AS (
		DELETE FROM core.idempotency
		WHERE operator = session_user AND created_at < now() - interval '1 day'
		RETURNING 1)
	SELECT count(*)::integer FROM gone;
$function$;
ALTER FUNCTION core.idem_prune() OWNER TO bd_owner;
REVOKE ALL ON FUNCTION core.idem_prune() FROM PUBLIC;
