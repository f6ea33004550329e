-- payroll.mask: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- How a bank account or an id number is shown everywhere but the bank
-- file: its last four characters after four stars ('****6789'), all stars
-- when it is that short. An import reads a value starting with '*' as
-- "unchanged", so a masked export imports back without harm.

CREATE OR REPLACE FUNCTION payroll.mask(p_value text)
 RETURNS text
 LANGUAGE sql
 IMMUTABLE
AS $function$
	SELECT CASE WHEN p_value IS NULL THEN NULL
		    WHEN length(p_value) <= 4 THEN '****'
		    ELSE '****' || right(p_value, 4) END
$function$;
ALTER FUNCTION payroll.mask(text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION payroll.mask(text) FROM PUBLIC;
