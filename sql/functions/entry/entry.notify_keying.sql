-- entry.notify_keying: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION entry.notify_keying(p_client_id integer)
 RETURNS boolean
 LANGUAGE plpgsql
AS $function$
DECLARE
	v_token text;
BEGIN
	SELECT token INTO v_token FROM core.client_channels WHERE client_id = p_client_id
	FOR UPDATE SKIP LOCKED;
	IF v_token IS NULL THEN
		RETURN false;
	END IF;
	-- (core.channel_name's name, written out: a function with a SET clause
	-- is never inlined, and its call cost this path more than the lock.)
	PERFORM pg_notify('bd_queue_' || v_token, '');
	RETURN true;
END
$function$;
ALTER FUNCTION entry.notify_keying(integer) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION entry.notify_keying(integer) FROM PUBLIC;
