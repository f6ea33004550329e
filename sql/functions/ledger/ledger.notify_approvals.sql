-- ledger.notify_approvals: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION ledger.notify_approvals(p_client_id integer)
 RETURNS void
 LANGUAGE sql
AS $function$
	SELECT core.notify_client(p_client_id, 'approvals');
$function$;
ALTER FUNCTION ledger.notify_approvals(integer) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION ledger.notify_approvals(integer) FROM PUBLIC;
