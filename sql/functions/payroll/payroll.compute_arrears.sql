-- payroll.compute_arrears: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- Arrears, in ONE statement for the whole run: for each salary component
-- of step p_step, each employee and each earlier final regular run of the
-- pay group whose period a pay change recorded after that run's approval
-- reaches back to (pay_history.effective_from <= its period end,
-- recorded_at > its approved_at), the salary that run would pay with the
-- pay history as it is now (a monthly rate per period; a daily or hourly
-- rate times the quantity it paid), less what it paid and what arrears for
-- it final runs paid since: so a change is paid once, in the next run. A
-- line per past run (line_for = that run), in the salary component's code,
-- taxable as it is. Internal.

CREATE OR REPLACE FUNCTION payroll.compute_arrears(p_client_id integer, p_run payroll.runs, p_step integer)
 RETURNS integer
 LANGUAGE plpgsql
AS $function$
DECLARE
	v_ppy numeric := payroll.periods_per_year(p_run.pay_group);
	n integer;
BEGIN
	IF p_run.kind <> 'regular' THEN
		RETURN 0;
	END IF;
	INSERT INTO payroll.payslip_lines (client_id, run_id, employee_id, code, line_for, name,
					   class, step, base, quantity, rate, amount,
					   taxable_amount, agency, expense_account,
					   liability_account)
	WITH c AS MATERIALIZED (
		SELECT * FROM payroll.run_components(p_client_id, p_run.period_end, p_run.kind) c
		WHERE c.step = p_step AND c.method = 'salary'
	), cand AS (
		SELECT DISTINCT h.employee_id, pr.run_id, pr.period_end
		FROM payroll.pay_history h
		JOIN payroll.runs pr ON pr.client_id = h.client_id AND pr.status = 'final'
				    AND pr.kind = 'regular' AND pr.pay_group = p_run.pay_group
				    AND pr.period_end < p_run.period_start
				    AND h.recorded_at > pr.approved_at
				    AND h.effective_from <= pr.period_end
		WHERE h.client_id = p_client_id
		  AND h.recorded_at > (SELECT min(r.approved_at) FROM payroll.runs r
				       WHERE r.client_id = p_client_id AND r.status = 'final'
					 AND r.pay_group = p_run.pay_group)
	), d AS (
		SELECT k.employee_id, k.run_id, c.code, c.name, c.class, c.taxable, c.agency,
		       c.expense_account, c.liability_account,
		       round(CASE h.rate_kind WHEN 'monthly' THEN h.rate * 12 / v_ppy
					      ELSE h.rate * pl.quantity END, 2)
		       - (SELECT coalesce(sum(l.amount), 0)
			  FROM payroll.payslip_lines l
			  JOIN payroll.runs r ON r.client_id = l.client_id AND r.run_id = l.run_id
			  WHERE l.client_id = p_client_id AND l.employee_id = k.employee_id
			    AND l.code = c.code AND r.status = 'final'
			    AND ((l.run_id = k.run_id AND l.line_for = 0) OR l.line_for = k.run_id))
		       AS diff
		FROM cand k
		JOIN payroll.run_employees(p_client_id, p_run) e ON e.employee_id = k.employee_id
		JOIN payroll.payslip_lines pl ON pl.client_id = p_client_id AND pl.run_id = k.run_id
					      AND pl.employee_id = k.employee_id AND pl.line_for = 0
		JOIN c ON c.code = pl.code AND (c.country IS NULL OR c.country = e.country)
		CROSS JOIN LATERAL (
			SELECT h.rate_kind, h.rate
			FROM payroll.pay_history h
			WHERE h.client_id = p_client_id AND h.employee_id = k.employee_id
			  AND h.effective_from <= k.period_end
			ORDER BY h.effective_from DESC
			LIMIT 1
		) h
	)
	SELECT p_client_id, p_run.run_id, d.employee_id, d.code, d.run_id,
	       left(d.name || ' arrears', 60), d.class, p_step, NULL, NULL, NULL, d.diff,
	       CASE WHEN d.taxable THEN d.diff ELSE 0 END,
	       d.agency, d.expense_account, d.liability_account
	FROM d
	WHERE d.diff <> 0;
	GET DIAGNOSTICS n = ROW_COUNT;
	RETURN n;
END
$function$;
ALTER FUNCTION payroll.compute_arrears(integer,payroll.runs,integer) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION payroll.compute_arrears(integer,payroll.runs,integer) FROM PUBLIC;
