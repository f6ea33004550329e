-- core.audit_client_genesis: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION core.audit_client_genesis()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'core', 'pg_temp'
AS $function$
BEGIN
	PERFORM core.audit_append(NEW.client_id, 'core.clients', 'INSERT',
				  jsonb_build_object('client_id', NEW.client_id), NULL, to_jsonb(NEW));
	RETURN NULL;
END
$function$;
ALTER FUNCTION core.audit_client_genesis() OWNER TO bd_owner;
REVOKE ALL ON FUNCTION core.audit_client_genesis() FROM PUBLIC;
