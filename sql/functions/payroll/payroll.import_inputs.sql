-- payroll.import_inputs: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- Imports a period's inputs (columns number, on_date, code, quantity,
-- amount, run_kind, note): hours, overtime, absences, one-off earnings and
-- deductions, loan repayments. A run takes the inputs of its kind dated in
-- its period; a component names its input code (input_code). All or
-- nothing as import_employees. Returns the number of records.

CREATE OR REPLACE FUNCTION payroll.import_inputs(p_client text, p_source text, p_rows jsonb)
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
			v := payroll.import_clean(rec, '{number,on_date,code,quantity,amount,run_kind,note}',
						  '{quantity,amount}', '{on_date}', '{}');
			SELECT employee_id INTO v_emp FROM payroll.employees
			WHERE client_id = cid AND number = v ->> 'number';
			IF NOT FOUND THEN
				RAISE EXCEPTION 'there is no employee "%"', coalesce(v ->> 'number', '')
					USING ERRCODE = 'BD001';
			END IF;
			IF v ->> 'on_date' IS NULL OR v ->> 'code' IS NULL
			   OR NOT v ?| ARRAY['quantity', 'amount'] THEN
				RAISE EXCEPTION 'an input has an on_date, a code and a quantity or an amount'
					USING ERRCODE = 'BD001';
			END IF;
			INSERT INTO payroll.inputs (client_id, employee_id, on_date, code, quantity, amount,
						    run_kind, note)
			VALUES (cid, v_emp, (v ->> 'on_date')::date, upper(v ->> 'code'),
				coalesce((v ->> 'quantity')::numeric, 0),
				coalesce((v ->> 'amount')::numeric, 0),
				coalesce(v ->> 'run_kind', 'regular'), coalesce(v ->> 'note', ''));
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
ALTER FUNCTION payroll.import_inputs(text,text,jsonb) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION payroll.import_inputs(text,text,jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION payroll.import_inputs(text,text,jsonb) TO bd_payroll;
