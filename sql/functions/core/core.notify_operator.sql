-- core.notify_operator: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION core.notify_operator(p_login text)
 RETURNS void
 LANGUAGE plpgsql
AS $function$
DECLARE
	v_token text;
BEGIN
	SELECT token INTO v_token FROM core.operator_channels WHERE login = p_login;
	IF v_token IS NOT NULL THEN
		PERFORM pg_notify(core.channel_name('operator', v_token), '');
	END IF;
END
$function$;
ALTER FUNCTION core.notify_operator(text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION core.notify_operator(text) FROM PUBLIC;
