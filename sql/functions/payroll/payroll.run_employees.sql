-- payroll.run_employees: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- Who a run pays. Regular: the pay group's employees hired by the period's
-- end and not gone before its start, and those gone before with inputs in
-- the period (a final pay: flagged left_but_paid by the register). Off-cycle:
-- the pay group's employees with off-cycle inputs in the period.
-- Thirteenth month: the pay group's employees employed at some time in the
-- year of the period's end. fields: the employee's tax fields
-- (payroll.employee_fields, 079) as {"FIELD": value}, NULL for none.
-- Only the employee numbers p_lo to p_hi (088: a part of a run computed by
-- several sessions; 0 and the largest bigint for all). Internal (SQL,
-- inlined).

CREATE OR REPLACE FUNCTION payroll.run_employees(p_client_id integer, p_run payroll.runs, p_lo bigint, p_hi bigint)
 RETURNS TABLE(employee_id bigint, country text, filing_status text, leave_date date, fields jsonb)
 LANGUAGE sql
 STABLE
AS $function$
	SELECT e.employee_id, e.country, e.filing_status, e.leave_date, f.fields
	FROM payroll.employees e
	LEFT JOIN (SELECT f.employee_id, jsonb_object_agg(f.field, f.value) AS fields
		   FROM payroll.employee_fields f
		   WHERE f.client_id = p_client_id AND f.employee_id BETWEEN p_lo AND p_hi
		   GROUP BY f.employee_id) f ON f.employee_id = e.employee_id
	WHERE e.client_id = p_client_id AND e.employee_id BETWEEN p_lo AND p_hi
	  AND e.pay_group = p_run.pay_group
	  AND e.hire_date <= p_run.period_end
	  AND CASE p_run.kind
		WHEN 'regular' THEN
			e.leave_date IS NULL OR e.leave_date >= p_run.period_start
			OR EXISTS (SELECT 1 FROM payroll.inputs i
				   WHERE i.client_id = p_client_id AND i.employee_id = e.employee_id
				     AND i.run_kind = 'regular'
				     AND i.on_date BETWEEN p_run.period_start AND p_run.period_end)
		WHEN 'offcycle' THEN
			EXISTS (SELECT 1 FROM payroll.inputs i
				WHERE i.client_id = p_client_id AND i.employee_id = e.employee_id
				  AND i.run_kind = 'offcycle'
				  AND i.on_date BETWEEN p_run.period_start AND p_run.period_end)
		ELSE
			e.leave_date IS NULL
			OR e.leave_date >= date_trunc('year', p_run.period_end)::date
		END
$function$;
ALTER FUNCTION payroll.run_employees(integer,payroll.runs,bigint,bigint) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION payroll.run_employees(integer,payroll.runs,bigint,bigint) FROM PUBLIC;
