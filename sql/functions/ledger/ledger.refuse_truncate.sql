-- ledger.refuse_truncate: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION ledger.refuse_truncate()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
BEGIN
	RAISE EXCEPTION 'TRUNCATE on %.% is not allowed: ledger history is permanent',
		TG_TABLE_SCHEMA, TG_TABLE_NAME USING ERRCODE = 'BD002';
END
$function$;
ALTER FUNCTION ledger.refuse_truncate() OWNER TO bd_owner
;
REVOKE ALL ON FUNCTION ledger.refuse_truncate() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ledger.refuse_truncate() TO bd_owner;
