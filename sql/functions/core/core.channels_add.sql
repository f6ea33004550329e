-- core.channels_add: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION core.channels_add()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'core', 'pg_temp'
AS $function$
BEGIN
	IF TG_TABLE_NAME = 'clients' THEN
		INSERT INTO core.client_channels (client_id) VALUES (NEW.client_id);
	ELSE
		INSERT INTO core.operator_channels (login) VALUES (NEW.login);
	END IF;
	RETURN NULL;
END
$function$;
ALTER FUNCTION core.channels_add() OWNER TO bd_owner;
REVOKE ALL ON FUNCTION core.channels_add() FROM PUBLIC;
