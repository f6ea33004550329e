-- ledger.entries_delete: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION ledger.entries_delete()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
BEGIN
	IF OLD.status <> 'draft' THEN
		RAISE EXCEPTION 'Entry % is % and cannot be deleted', OLD.entry_id, OLD.status
			USING ERRCODE = 'BD002';
	END IF;
	RETURN OLD;
END
$function$;
ALTER FUNCTION ledger.entries_delete() OWNER TO bd_owner;
REVOKE ALL ON FUNCTION ledger.entries_delete() FROM PUBLIC;
