-- core.plain_labels: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.

CREATE OR REPLACE FUNCTION core.plain_labels(p_fields jsonb)
 RETURNS boolean
 LANGUAGE plpgsql
 IMMUTABLE
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
DECLARE
	f jsonb;
BEGIN
	IF jsonb_typeof(p_fields) = 'array' THEN
		FOR f IN SELECT * FROM jsonb_array_elements(p_fields) LOOP
			PERFORM core.plain_text(f ->> 'label', 'A field label');
			PERFORM core.plain_text(f ->> 'name', 'A field name');
		END LOOP;
	END IF;
	RETURN true;
END
$function$;
ALTER FUNCTION core.plain_labels(jsonb) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION core.plain_labels(jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION core.plain_labels(jsonb) TO bd_clerk;
GRANT EXECUTE ON FUNCTION core.plain_labels(jsonb) TO bd_accountant;
GRANT EXECUTE ON FUNCTION core.plain_labels(jsonb) TO bd_supervisor;
GRANT EXECUTE ON FUNCTION core.plain_labels(jsonb) TO bd_admin;
GRANT EXECUTE ON FUNCTION core.plain_labels(jsonb) TO bd_payroll;
