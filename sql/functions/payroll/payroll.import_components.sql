-- payroll.import_components: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- Imports a client's own components (the component columns of
-- 040_payroll.sql plus effective_from), all or nothing as import_employees.
-- A code and date already stored is replaced. Table lookups belong to the
-- statutory packs: a client's component is fixed, salary, rate_qty or
-- percent. Returns the number of records.

CREATE OR REPLACE FUNCTION payroll.import_components(p_client text, p_source text, p_rows jsonb)
 RETURNS integer
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'payroll', 'core', 'pg_temp'
AS $function$
DECLARE
	cid integer := payroll.client_of(p_client);
	rec jsonb;
	c payroll.components;
	n integer := 0;
	v_state text;
	v_msg text;
	v_con text;
	v_col text;
BEGIN
	IF jsonb_typeof(p_rows) IS DISTINCT FROM 'array' THEN
		RAISE EXCEPTION 'Nothing to import' USING ERRCODE = 'BD001';
	END IF;
	FOR rec IN SELECT x FROM jsonb_array_elements(p_rows) x LOOP
		BEGIN
			c := jsonb_populate_record(NULL::payroll.components,
						   payroll.component_clean(rec, '{effective_from}')
						   || jsonb_build_object('client_id', cid));
			IF c.method IN ('brackets', 'range') THEN
				RAISE EXCEPTION 'a client''s component is fixed, salary, rate_qty or percent (tables belong to the statutory packs)'
					USING ERRCODE = 'BD001';
			END IF;
			IF c.effective_from IS NULL THEN
				RAISE EXCEPTION 'the effective_from is required' USING ERRCODE = 'BD001';
			END IF;
			DELETE FROM payroll.components
			WHERE client_id = cid AND code = c.code AND effective_from = c.effective_from;
			INSERT INTO payroll.components SELECT c.*;
			n := n + 1;
		EXCEPTION WHEN OTHERS THEN
			GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_msg = MESSAGE_TEXT,
						v_con = CONSTRAINT_NAME, v_col = COLUMN_NAME;
			RAISE EXCEPTION '%:%: %', p_source, coalesce(rec ->> '_line', '?'),
				payroll.import_reason(v_state, v_msg, v_con, v_col) USING ERRCODE = 'BD001';
		END;
	END LOOP;
	RETURN n;
END
$function$;
ALTER FUNCTION payroll.import_components(text,text,jsonb) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION payroll.import_components(text,text,jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION payroll.import_components(text,text,jsonb) TO bd_payroll;
