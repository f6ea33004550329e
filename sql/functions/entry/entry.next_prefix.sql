-- entry.next_prefix: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- The least text after every text that starts with p, byte-wise ("j06" ->
-- "j07"): F4's prefix searches are ranges [p, next_prefix(p)) of leakproof
-- comparisons, which an index serves under row security (070). '' has none:
-- a string past every code and word. Granted: entry.code_search runs with
-- its caller's rights.

CREATE OR REPLACE FUNCTION entry.next_prefix(p text)
 RETURNS text
 LANGUAGE sql
 IMMUTABLE
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
	SELECT CASE WHEN p = '' THEN chr(1114111)
		    ELSE left(p, -1) || chr(ascii(right(p, 1)) + 1) END;
$function$;
ALTER FUNCTION entry.next_prefix(text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION entry.next_prefix(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION entry.next_prefix(text) TO bd_clerk;
GRANT EXECUTE ON FUNCTION entry.next_prefix(text) TO bd_supervisor;
GRANT EXECUTE ON FUNCTION entry.next_prefix(text) TO bd_admin;
