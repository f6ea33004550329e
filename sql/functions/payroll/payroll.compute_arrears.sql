-- payroll.compute_arrears: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- Arrears, set-based for the whole run: the SQL of the query giving, for
-- each salary component of step p_step, each employee and each earlier
-- final regular run of the pay group whose period a pay change recorded
-- after that run's approval reaches back to (pay_history.effective_from <=
-- its period end, recorded_at > its approved_at), the salary that run
-- would pay with the pay history as it is now (a monthly rate per period; a
-- daily or hourly rate times the quantity it paid), less what it paid and
-- what arrears for it final runs paid since: so a change is paid once, in
-- the next run. A line per past run (line_for = that run), in the salary
-- component's code, taxable as it is. payroll.run_compute chains it after
-- the step's own query (regular runs only), with the names and parameters
-- payroll.compute_step describes. Internal.

CREATE OR REPLACE FUNCTION payroll.compute_arrears(p_step integer)
 RETURNS text
 LANGUAGE sql
 IMMUTABLE
AS $function$
	SELECT format($q$
	WITH c AS (
		SELECT * FROM comps0 c WHERE c.step = %1$s AND c.method = 'salary'
	), cand AS MATERIALIZED (
		SELECT DISTINCT h.employee_id, pr.run_id, pr.period_end
		FROM payroll.pay_history h
		JOIN payroll.runs pr ON pr.client_id = h.client_id AND pr.status = 'final'
				    AND pr.kind = 'regular' AND pr.pay_group = ($2).pay_group
				    AND pr.period_end < ($2).period_start
				    AND h.recorded_at > pr.approved_at
				    AND h.effective_from <= pr.period_end
		WHERE h.client_id = $1
		  AND h.recorded_at > (SELECT min(r.approved_at) FROM payroll.runs r
				       WHERE r.client_id = $1 AND r.status = 'final'
					 AND r.pay_group = ($2).pay_group)
	), d AS (
		SELECT k.employee_id, k.run_id, c.code, c.name, c.class, c.taxable, c.agency,
		       c.expense_account, c.liability_account,
		       round(CASE h.rate_kind WHEN 'monthly' THEN h.rate * 12 / $3
					      ELSE h.rate * pl.quantity END, 2)
		       -- less what it paid (its own line, pl) and what final runs
		       -- paid for it since (arrears lines: the partial index of
		       -- line_for <> 0, 084)
		       - pl.amount
		       - (SELECT coalesce(sum(l.amount), 0)
			  FROM payroll.payslip_lines l
			  JOIN payroll.runs r ON r.client_id = l.client_id AND r.run_id = l.run_id
			  WHERE l.client_id = $1 AND l.line_for <> 0 AND l.line_for = k.run_id
			    AND l.employee_id = k.employee_id AND l.code = c.code
			    AND r.status = 'final')
		       AS diff
		FROM cand k
		JOIN e ON e.employee_id = k.employee_id
		-- from the few candidates to their lines, never every employee's (OFFSET 0:
		-- not flattened into a join the planner may start from e)
		CROSS JOIN LATERAL (
			SELECT pl.code, pl.quantity, pl.amount
			FROM payroll.payslip_lines pl
			WHERE pl.client_id = $1 AND pl.run_id = k.run_id
			  AND pl.employee_id = k.employee_id AND pl.line_for = 0
			OFFSET 0
		) pl
		JOIN c ON c.code = pl.code AND (c.country IS NULL OR c.country = e.country)
		CROSS JOIN LATERAL (
			SELECT h.rate_kind, h.rate
			FROM payroll.pay_history h
			WHERE h.client_id = $1 AND h.employee_id = k.employee_id
			  AND h.effective_from <= k.period_end
			ORDER BY h.effective_from DESC
			LIMIT 1
		) h
	)
	SELECT d.employee_id, d.code, d.run_id AS line_for, left(d.name || ' arrears', 60) AS name,
	       d.class, %1$s AS step, NULL::numeric(16,2) AS base, NULL::numeric(12,4) AS quantity,
	       NULL::numeric(14,6) AS rate, d.diff::numeric(16,2) AS amount,
	       (CASE WHEN d.taxable THEN d.diff ELSE 0 END)::numeric(16,2) AS taxable_amount,
	       d.agency, d.expense_account, d.liability_account
	FROM d
	WHERE d.diff <> 0
	$q$, p_step)
$function$;
ALTER FUNCTION payroll.compute_arrears(integer) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION payroll.compute_arrears(integer) FROM PUBLIC;
