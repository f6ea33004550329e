-- entry.notify: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION entry.notify(p_client_id integer)
 RETURNS void
 LANGUAGE sql
AS $function$
	SELECT core.notify_client(p_client_id, 'queue');
$function$;
ALTER FUNCTION entry.notify(integer) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION entry.notify(integer) FROM PUBLIC;
