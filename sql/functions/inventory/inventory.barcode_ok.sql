-- inventory.barcode_ok: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- EAN-13 (13 digits) or UPC-A (12 digits) with a correct check digit: the
-- digits weighted 3 and 1 from the right (the check digit itself weighs 1)
-- sum to a multiple of 10.
CREATE OR REPLACE FUNCTION inventory.barcode_ok(p_code text)
 RETURNS boolean
 LANGUAGE sql
 IMMUTABLE
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
	SELECT p_code ~ '^([0-9]{12}|[0-9]{13})$'
	   AND (SELECT sum(substr(r, i, 1)::int * CASE WHEN i % 2 = 0 THEN 3 ELSE 1 END)
		FROM (SELECT reverse(p_code) AS r) x, generate_series(1, length(p_code)) i) % 10 = 0
$function$;
ALTER FUNCTION inventory.barcode_ok(text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION inventory.barcode_ok(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION inventory.barcode_ok(text) TO bd_clerk, bd_accountant, bd_supervisor;

