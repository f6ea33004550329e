-- core.audit_refuse: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION core.audit_refuse()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
BEGIN
	RAISE EXCEPTION '% on %.% is not allowed: the audit trail is append-only', TG_OP,
		TG_TABLE_SCHEMA, TG_TABLE_NAME USING ERRCODE = 'BD002';
END
$function$;
ALTER FUNCTION core.audit_refuse() OWNER TO bd_owner;
REVOKE ALL ON FUNCTION core.audit_refuse() FROM PUBLIC;
