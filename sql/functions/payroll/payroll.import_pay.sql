-- payroll.import_pay: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- Imports pay changes (columns number, effective_from, rate_kind, rate,
-- days_per_year, hours_per_day), all or nothing as import_employees does. A
-- change dated before runs already approved is paid as arrears by the next
-- regular run (payroll.compute_arrears). Returns the number of records.

CREATE OR REPLACE FUNCTION payroll.import_pay(p_client text, p_source text, p_rows jsonb)
 RETURNS integer
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'payroll', 'core', 'pg_temp'
AS $function$
DECLARE
	cid integer := payroll.client_of(p_client);
	rec jsonb;
	v jsonb;
	v_emp bigint;
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
			v := payroll.import_clean(rec, '{number,effective_from,rate_kind,rate,days_per_year,hours_per_day}',
						  '{rate,days_per_year,hours_per_day}', '{effective_from}', '{}');
			SELECT employee_id INTO v_emp FROM payroll.employees
			WHERE client_id = cid AND number = v ->> 'number';
			IF NOT FOUND THEN
				RAISE EXCEPTION 'there is no employee "%"', coalesce(v ->> 'number', '')
					USING ERRCODE = 'BD001';
			END IF;
			IF v ->> 'effective_from' IS NULL OR v ->> 'rate' IS NULL THEN
				RAISE EXCEPTION 'a pay change has an effective_from date and a rate'
					USING ERRCODE = 'BD001';
			END IF;
			INSERT INTO payroll.pay_history (client_id, employee_id, effective_from, rate_kind,
							 rate, days_per_year, hours_per_day)
			VALUES (cid, v_emp, (v ->> 'effective_from')::date,
				coalesce(v ->> 'rate_kind', 'monthly'), (v ->> 'rate')::numeric,
				coalesce((v ->> 'days_per_year')::numeric, 261),
				coalesce((v ->> 'hours_per_day')::numeric, 8))
			ON CONFLICT (client_id, employee_id, effective_from) DO UPDATE
			SET rate_kind = EXCLUDED.rate_kind, rate = EXCLUDED.rate,
			    days_per_year = EXCLUDED.days_per_year, hours_per_day = EXCLUDED.hours_per_day,
			    recorded_at = clock_timestamp();
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
ALTER FUNCTION payroll.import_pay(text,text,jsonb) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION payroll.import_pay(text,text,jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION payroll.import_pay(text,text,jsonb) TO bd_payroll;
