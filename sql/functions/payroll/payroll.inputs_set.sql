-- payroll.inputs_set: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
-- (The payout part of issue 17: the inputs grid, screens/payroll.inputs.conf.)
--
-- The period inputs of a draft run as keyed in the grid, all at once: the
-- rows (number, code, quantity, amount; _line the grid line) replace the
-- inputs of the run's kind dated in its period for the employees of its pay
-- group, dated the period's last day. A refused row names its grid field
-- (COLUMN number<line>, code<line>, ...) so the screen puts the cursor on
-- it. The run must be computed again before it is submitted (computed_at
-- is cleared). Refused for a run submitted or approved: its inputs are
-- those the checker sees. Returns the number of inputs kept.

CREATE OR REPLACE FUNCTION payroll.inputs_set(p_client text, p_run_id bigint, p_rows jsonb)
 RETURNS integer
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'payroll', 'core', 'pg_temp'
AS $function$
DECLARE
	cid integer := payroll.client_of(p_client);
	r payroll.runs;
	bad record;
	n integer;
BEGIN
	r := payroll.run_of(cid, p_run_id, 'update');
	IF r.status <> 'draft' THEN
		RAISE EXCEPTION 'Pay run % is %: its inputs change only while it is a draft',
			r.run_id, r.status USING ERRCODE = 'BD003';
	END IF;
	IF jsonb_typeof(p_rows) IS DISTINCT FROM 'array' THEN
		RAISE EXCEPTION 'Nothing to save' USING ERRCODE = 'BD001';
	END IF;
	-- The rows as keyed, with their employee (no temporary table: a caller's
	-- own of the same name would stand in for it).
	FOR bad IN
		WITH x AS (
			SELECT x.line, btrim(x.number) AS number, upper(btrim(x.code)) AS code,
			       coalesce(x.quantity, 0) AS quantity, coalesce(x.amount, 0) AS amount
			FROM jsonb_to_recordset(p_rows) AS x(line integer, number text, code text,
							     quantity numeric, amount numeric)
		)
		SELECT x.*, e.employee_id, e.pay_group FROM x
		LEFT JOIN payroll.employees e ON e.client_id = cid AND e.number = x.number
		WHERE e.employee_id IS NULL OR e.pay_group <> r.pay_group OR x.code IS NULL
		   OR x.code !~ '^[A-Z][A-Z0-9_]{0,23}$' OR (x.quantity = 0 AND x.amount = 0)
		   OR abs(x.quantity) >= 1e8 OR abs(x.amount) >= 1e12
		ORDER BY x.line LIMIT 1
	LOOP
		IF bad.employee_id IS NULL THEN
			RAISE EXCEPTION 'Line %: there is no employee "%"', bad.line,
				coalesce(bad.number, '') USING ERRCODE = 'BD001', COLUMN = 'number' || bad.line;
		ELSIF bad.pay_group <> r.pay_group THEN
			RAISE EXCEPTION 'Line %: employee % is paid %, not in this % run', bad.line,
				bad.number, replace(bad.pay_group, '_', '-'), replace(r.pay_group, '_', '-')
				USING ERRCODE = 'BD001', COLUMN = 'number' || bad.line;
		ELSIF bad.code IS NULL OR bad.code !~ '^[A-Z][A-Z0-9_]{0,23}$' THEN
			RAISE EXCEPTION 'Line %: an input code is a letter, then letters, digits or _',
				bad.line USING ERRCODE = 'BD001', COLUMN = 'code' || bad.line;
		ELSIF bad.quantity = 0 AND bad.amount = 0 THEN
			RAISE EXCEPTION 'Line %: key a quantity or an amount', bad.line
				USING ERRCODE = 'BD001', COLUMN = 'quantity' || bad.line;
		ELSE
			RAISE EXCEPTION 'Line %: the quantity or amount is too large', bad.line
				USING ERRCODE = 'BD001', COLUMN = 'quantity' || bad.line;
		END IF;
	END LOOP;

	DELETE FROM payroll.inputs i
	USING payroll.employees e
	WHERE i.client_id = cid AND i.run_kind = r.kind
	  AND i.on_date BETWEEN r.period_start AND r.period_end
	  AND e.client_id = i.client_id AND e.employee_id = i.employee_id
	  AND e.pay_group = r.pay_group;
	INSERT INTO payroll.inputs (client_id, employee_id, on_date, code, quantity, amount, run_kind,
				    note)
	SELECT cid, e.employee_id, r.period_end, upper(btrim(x.code)), coalesce(x.quantity, 0),
	       coalesce(x.amount, 0), r.kind, 'keyed for pay run ' || r.run_id
	FROM jsonb_to_recordset(p_rows) AS x(line integer, number text, code text,
					     quantity numeric, amount numeric)
	JOIN payroll.employees e ON e.client_id = cid AND e.number = btrim(x.number)
	ORDER BY x.line;
	GET DIAGNOSTICS n = ROW_COUNT;
	UPDATE payroll.runs SET computed_at = NULL WHERE client_id = cid AND run_id = r.run_id;
	RETURN n;
END
$function$;
ALTER FUNCTION payroll.inputs_set(text,bigint,jsonb) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION payroll.inputs_set(text,bigint,jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION payroll.inputs_set(text,bigint,jsonb) TO bd_payroll;
