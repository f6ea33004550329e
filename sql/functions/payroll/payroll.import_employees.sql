-- payroll.import_employees: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- Imports employees from a CSV file's records (p_rows: [{"_line": n,
-- "<heading>": "<cell>"}...], as `backdesk payroll import employees` sends
-- them), all or nothing: the first refused record raises BD001 with
-- "FILE:LINE: reason" and, the call being one statement, nothing stays.
-- Columns: number (the key: a new number adds an employee, a known one
-- updates it), name, hire_date, leave_date, pay_group, country,
-- filing_status, tax_id, sss_no, philhealth_no, pagibig_no, bank_name,
-- bank_bic, bank_account, rate_kind, rate, rate_from, department,
-- position, cost_center. An empty cell, or a masked one ('****1234', as
-- exports show them), leaves the stored value as it is. A rate adds or
-- replaces the pay history row from rate_from (default: the hire date);
-- department, position or cost center the assignment row from that date.
-- Returns the number of records.

CREATE OR REPLACE FUNCTION payroll.import_employees(p_client text, p_source text, p_rows jsonb)
 RETURNS integer
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'payroll', 'core', 'pg_temp'
AS $function$
DECLARE
	cid integer := payroll.client_of(p_client);
	cols constant text[] := ARRAY['number', 'name', 'hire_date', 'leave_date', 'pay_group',
				      'country', 'filing_status', 'tax_id', 'sss_no',
				      'philhealth_no', 'pagibig_no', 'bank_name', 'bank_bic',
				      'bank_account', 'rate_kind', 'rate', 'rate_from', 'department',
				      'position', 'cost_center'];
	priv constant text[] := ARRAY['tax_id', 'sss_no', 'philhealth_no', 'pagibig_no', 'bank_name',
				      'bank_bic', 'bank_account'];
	rec jsonb;
	v jsonb;
	e payroll.employees;
	p payroll.employee_private;
	n integer := 0;
	k text;
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
			v := payroll.import_clean(rec, cols, '{rate}', '{hire_date,leave_date,rate_from}',
						  '{}');
			-- masked values ('****1234') mean "unchanged"
			SELECT coalesce(jsonb_object_agg(j.key, j.value), '{}') INTO v
			FROM jsonb_each(v) j WHERE NOT (j.value #>> '{}') LIKE '*%';
			IF v ->> 'number' IS NULL THEN
				RAISE EXCEPTION 'the number is required' USING ERRCODE = 'BD001';
			END IF;
			SELECT * INTO e FROM payroll.employees
			WHERE client_id = cid AND number = v ->> 'number' FOR UPDATE;
			IF NOT FOUND THEN
				FOREACH k IN ARRAY ARRAY['name', 'hire_date', 'pay_group', 'country'] LOOP
					IF v ->> k IS NULL THEN
						RAISE EXCEPTION 'the % of a new employee is required', k
							USING ERRCODE = 'BD001';
					END IF;
				END LOOP;
				INSERT INTO payroll.employees (client_id, number, name, hire_date, leave_date,
							       pay_group, country, filing_status)
				VALUES (cid, v ->> 'number', v ->> 'name', (v ->> 'hire_date')::date,
					(v ->> 'leave_date')::date, v ->> 'pay_group', upper(v ->> 'country'),
					v ->> 'filing_status')
				RETURNING * INTO e;
			ELSE
				UPDATE payroll.employees
				SET name = coalesce(v ->> 'name', name),
				    hire_date = coalesce((v ->> 'hire_date')::date, hire_date),
				    leave_date = coalesce((v ->> 'leave_date')::date, leave_date),
				    pay_group = coalesce(v ->> 'pay_group', pay_group),
				    country = coalesce(upper(v ->> 'country'), country),
				    filing_status = coalesce(v ->> 'filing_status', filing_status)
				WHERE client_id = cid AND employee_id = e.employee_id
				RETURNING * INTO e;
			END IF;
			IF v ?| priv THEN
				SELECT * INTO p FROM payroll.employee_private
				WHERE client_id = cid AND employee_id = e.employee_id;
				INSERT INTO payroll.employee_private AS t (client_id, employee_id, tax_id,
									   sss_no, philhealth_no,
									   pagibig_no, bank_name,
									   bank_bic, bank_account)
				VALUES (cid, e.employee_id, coalesce(v ->> 'tax_id', p.tax_id),
					coalesce(v ->> 'sss_no', p.sss_no),
					coalesce(v ->> 'philhealth_no', p.philhealth_no),
					coalesce(v ->> 'pagibig_no', p.pagibig_no),
					coalesce(v ->> 'bank_name', p.bank_name),
					coalesce(upper(v ->> 'bank_bic'), p.bank_bic),
					coalesce(upper(replace(v ->> 'bank_account', ' ', '')), p.bank_account))
				ON CONFLICT (client_id, employee_id) DO UPDATE
				SET tax_id = EXCLUDED.tax_id, sss_no = EXCLUDED.sss_no,
				    philhealth_no = EXCLUDED.philhealth_no, pagibig_no = EXCLUDED.pagibig_no,
				    bank_name = EXCLUDED.bank_name, bank_bic = EXCLUDED.bank_bic,
				    bank_account = EXCLUDED.bank_account;
			END IF;
			IF v ? 'rate' THEN
				INSERT INTO payroll.pay_history (client_id, employee_id, effective_from,
								 rate_kind, rate)
				VALUES (cid, e.employee_id,
					coalesce((v ->> 'rate_from')::date, e.hire_date),
					coalesce(v ->> 'rate_kind', 'monthly'), (v ->> 'rate')::numeric)
				ON CONFLICT (client_id, employee_id, effective_from) DO UPDATE
				SET rate_kind = EXCLUDED.rate_kind, rate = EXCLUDED.rate,
				    recorded_at = clock_timestamp();
			ELSIF v ? 'rate_kind' OR v ? 'rate_from' THEN
				RAISE EXCEPTION 'a rate_kind or rate_from needs a rate' USING ERRCODE = 'BD001';
			END IF;
			IF v ?| ARRAY['department', 'position', 'cost_center'] THEN
				INSERT INTO payroll.assignments (client_id, employee_id, effective_from,
								 department, position, cost_center)
				VALUES (cid, e.employee_id,
					coalesce((v ->> 'rate_from')::date, e.hire_date),
					coalesce(v ->> 'department', ''), coalesce(v ->> 'position', ''),
					coalesce(v ->> 'cost_center', ''))
				ON CONFLICT (client_id, employee_id, effective_from) DO UPDATE
				SET department = EXCLUDED.department, position = EXCLUDED.position,
				    cost_center = EXCLUDED.cost_center;
			END IF;
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
ALTER FUNCTION payroll.import_employees(text,text,jsonb) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION payroll.import_employees(text,text,jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION payroll.import_employees(text,text,jsonb) TO bd_payroll;
