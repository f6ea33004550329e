-- payroll.employee_list: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- A client's employees as payroll screens and exports show them: ids and
-- bank account masked (payroll.mask), the pay and assignment in force on
-- p_as_of (NULL: today).

CREATE OR REPLACE FUNCTION payroll.employee_list(p_client text, p_as_of date)
 RETURNS TABLE(number text, name text, hire_date date, leave_date date, pay_group text, country text, filing_status text, tax_id text, sss_no text, philhealth_no text, pagibig_no text, bank_name text, bank_bic text, bank_account text, rate_kind text, rate numeric, rate_from date, department text, "position" text, cost_center text)
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'payroll', 'core', 'pg_temp'
AS $function$
DECLARE
	cid integer := payroll.client_of(p_client);
	v_date date := coalesce(p_as_of, current_date);
BEGIN
	RETURN QUERY
	SELECT e.number, e.name, e.hire_date, e.leave_date, e.pay_group, e.country,
	       e.filing_status, payroll.mask(p.tax_id), payroll.mask(p.sss_no),
	       payroll.mask(p.philhealth_no), payroll.mask(p.pagibig_no), p.bank_name, p.bank_bic,
	       payroll.mask(p.bank_account), h.rate_kind, h.rate, h.effective_from, a.department,
	       a.position, a.cost_center
	FROM payroll.employees e
	LEFT JOIN payroll.employee_private p ON p.client_id = e.client_id
					     AND p.employee_id = e.employee_id
	LEFT JOIN LATERAL (SELECT h.rate_kind, h.rate, h.effective_from FROM payroll.pay_history h
			   WHERE h.client_id = e.client_id AND h.employee_id = e.employee_id
			     AND h.effective_from <= v_date
			   ORDER BY h.effective_from DESC LIMIT 1) h ON true
	LEFT JOIN LATERAL (SELECT a.department, a.position, a.cost_center
			   FROM payroll.assignments a
			   WHERE a.client_id = e.client_id AND a.employee_id = e.employee_id
			     AND a.effective_from <= v_date
			   ORDER BY a.effective_from DESC LIMIT 1) a ON true
	WHERE e.client_id = cid
	ORDER BY e.number;
END
$function$;
ALTER FUNCTION payroll.employee_list(text,date) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION payroll.employee_list(text,date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION payroll.employee_list(text,date) TO bd_payroll;
