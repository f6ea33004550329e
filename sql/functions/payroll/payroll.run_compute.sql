-- payroll.run_compute: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- Computes (or recomputes) a run that is not final, set-based: its
-- payslips are deleted, then one statement per rule layer
-- (payroll.compute_step for each step of the components in force, and
-- payroll.compute_arrears after the salary step), then one statement for
-- the payslips with their exceptions, one for the run's totals. A submitted
-- run goes back to draft (its version changes, so an approval of what was
-- submitted is refused). Returns the number of payslips.
--
-- Exceptions: negative_net; net_changed (by more than the client's
-- change_alert_pct from the employee's payslip in the pay group's previous
-- final regular run); no_bank_account; left_but_paid (leave date before the
-- period's end).
--
-- jit is off: compiling the step statement's expressions with LLVM took
-- minutes (and cannot be interrupted), where running them takes seconds.

CREATE OR REPLACE FUNCTION payroll.run_compute(p_client text, p_run_id bigint)
 RETURNS integer
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'payroll', 'core', 'pg_temp'
 SET jit TO 'off'
AS $function$
DECLARE
	cid integer := payroll.client_of(p_client);
	r payroll.runs;
	s record;
	v_prev bigint;
	v_alert numeric;
	v_bad record;
	n integer;
BEGIN
	SELECT * INTO r FROM payroll.runs WHERE client_id = cid AND run_id = p_run_id FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'No pay run %', coalesce(p_run_id::text, '(none)') USING ERRCODE = 'BD004';
	END IF;
	IF r.status = 'final' THEN
		RAISE EXCEPTION 'Pay run % is final and cannot be recomputed; correct it with an off-cycle run',
			r.run_id USING ERRCODE = 'BD002';
	END IF;
	SELECT change_alert_pct INTO v_alert FROM payroll.settings WHERE client_id = cid;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'Set the client''s payroll accounts first (backdesk payroll settings)'
			USING ERRCODE = 'BD004';
	END IF;
	-- every base names a component computed before it (a year-to-date
	-- base: one of the year's earlier runs, or computed before it)
	SELECT c.code, b INTO v_bad
	FROM payroll.run_components(cid, r.period_end, r.kind) c
	CROSS JOIN LATERAL unnest(c.base) b
	WHERE b NOT IN ('@taxable', '@gross')
	  AND NOT EXISTS (SELECT 1 FROM payroll.run_components(cid, r.period_end, r.kind) d
			  WHERE d.code = b AND d.step < c.step
			    AND (d.country IS NULL OR c.country IS NULL OR d.country = c.country))
	  -- a year-to-date base may be of components this kind of run lacks
	  AND (c.basis <> 'ytd'
	       OR EXISTS (SELECT 1 FROM payroll.run_components(cid, r.period_end, r.kind) d
			  WHERE d.code = b))
	LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION 'Component % is computed from %, which is not computed before it',
			v_bad.code, v_bad.b USING ERRCODE = 'BD001';
	END IF;

	DELETE FROM payroll.payslip_lines WHERE client_id = cid AND run_id = r.run_id;
	DELETE FROM payroll.payslips WHERE client_id = cid AND run_id = r.run_id;
	FOR s IN SELECT c.step, bool_or(c.method = 'salary') AS salary
		 FROM payroll.run_components(cid, r.period_end, r.kind) c
		 GROUP BY c.step ORDER BY c.step LOOP
		PERFORM payroll.compute_step(cid, r, s.step);
		IF s.salary THEN
			PERFORM payroll.compute_arrears(cid, r, s.step);
		END IF;
	END LOOP;

	SELECT p.run_id INTO v_prev
	FROM payroll.runs p
	WHERE p.client_id = cid AND p.status = 'final' AND p.kind = 'regular'
	  AND p.pay_group = r.pay_group AND p.period_end < r.period_start
	ORDER BY p.period_end DESC
	LIMIT 1;

	INSERT INTO payroll.payslips (client_id, run_id, employee_id, gross, taxable, deductions,
				      net, employer, exceptions)
	SELECT cid, r.run_id, t.employee_id, t.gross, t.taxable, t.deductions,
	       t.gross - t.deductions, t.employer,
	       array_remove(ARRAY[
		       CASE WHEN t.gross - t.deductions < 0 THEN 'negative_net' END,
		       CASE WHEN p.net IS NOT NULL AND p.net <> 0
			     AND abs(t.gross - t.deductions - p.net) * 100 > v_alert * abs(p.net)
			    THEN 'net_changed' END,
		       CASE WHEN pv.bank_account IS NULL THEN 'no_bank_account' END,
		       CASE WHEN e.leave_date < r.period_end THEN 'left_but_paid' END], NULL)
	FROM (SELECT l.employee_id,
		     coalesce(sum(l.amount) FILTER (WHERE l.class = 'earning'), 0) AS gross,
		     coalesce(sum(l.taxable_amount), 0) AS taxable,
		     coalesce(sum(l.amount) FILTER (WHERE l.class = 'deduction'), 0) AS deductions,
		     coalesce(sum(l.amount) FILTER (WHERE l.class = 'employer'), 0) AS employer
	      FROM payroll.payslip_lines l
	      WHERE l.client_id = cid AND l.run_id = r.run_id
	      GROUP BY l.employee_id) t
	JOIN payroll.employees e ON e.client_id = cid AND e.employee_id = t.employee_id
	LEFT JOIN payroll.employee_private pv ON pv.client_id = cid AND pv.employee_id = t.employee_id
	LEFT JOIN payroll.payslips p ON p.client_id = cid AND p.run_id = v_prev
				     AND p.employee_id = t.employee_id;
	GET DIAGNOSTICS n = ROW_COUNT;

	UPDATE payroll.runs u
	SET status = 'draft', computed_at = clock_timestamp(), submitted_at = NULL,
	    employees = n, gross = t.gross, deductions = t.deductions, net = t.net,
	    employer = t.employer
	FROM (SELECT coalesce(sum(p.gross), 0) AS gross, coalesce(sum(p.deductions), 0) AS deductions,
		     coalesce(sum(p.net), 0) AS net, coalesce(sum(p.employer), 0) AS employer
	      FROM payroll.payslips p WHERE p.client_id = cid AND p.run_id = r.run_id) t
	WHERE u.client_id = cid AND u.run_id = r.run_id;
	RETURN n;
END
$function$;
ALTER FUNCTION payroll.run_compute(text,bigint) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION payroll.run_compute(text,bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION payroll.run_compute(text,bigint) TO bd_payroll;
