-- core.notify_client: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION core.notify_client(p_client_id integer, p_topic text)
 RETURNS void
 LANGUAGE plpgsql
AS $function$
DECLARE
	v_token text;
BEGIN
	SELECT token INTO v_token FROM core.client_channels WHERE client_id = p_client_id;
	IF v_token IS NOT NULL THEN
		PERFORM pg_notify(core.channel_name(p_topic, v_token), '');
	END IF;
END
$function$;
ALTER FUNCTION core.notify_client(integer,text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION core.notify_client(integer,text) FROM PUBLIC;
