-- ledger.check_header: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION ledger.check_header(p_reference text, p_description text)
 RETURNS void
 LANGUAGE plpgsql
 IMMUTABLE
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
BEGIN
	IF length(p_reference) > 40 OR p_reference ~ '[[:cntrl:]]' THEN
		RAISE EXCEPTION 'The reference is at most 40 printable characters'
			USING ERRCODE = 'BD001';
	END IF;
	IF length(p_description) > 200 OR p_description ~ '[[:cntrl:]]' THEN
		RAISE EXCEPTION 'The description is at most 200 printable characters'
			USING ERRCODE = 'BD001';
	END IF;
END
$function$;
ALTER FUNCTION ledger.check_header(text,text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION ledger.check_header(text,text) FROM PUBLIC;
