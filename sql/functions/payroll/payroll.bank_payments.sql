-- payroll.bank_payments: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- The payments of a final run with the bank accounts in clear: the only
-- unmasked export, for the bank file (CSV, ISO 20022 pain.001). Payslips
-- with a positive net pay, by employee number; employees without a bank
-- account come with NULL account (the file's writer refuses or lists them).
-- Each call is a row of payroll.reveals (field 'bank_file'), audited.

CREATE OR REPLACE FUNCTION payroll.bank_payments(p_client text, p_run_id bigint)
 RETURNS TABLE(number text, name text, bank_name text, bank_bic text, bank_account text, amount numeric, currency text, pay_date date)
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'payroll', 'core', 'pg_temp'
AS $function$
DECLARE
	cid integer := payroll.client_of(p_client);
	r payroll.runs;
BEGIN
	r := payroll.run_of(cid, p_run_id, 'none');
	IF r.status <> 'final' THEN
		RAISE EXCEPTION 'Pay run % is not approved yet: nothing is paid before it is', r.run_id
			USING ERRCODE = 'BD003';
	END IF;
	INSERT INTO payroll.reveals (client_id, run_id, field) VALUES (cid, r.run_id, 'bank_file');
	RETURN QUERY
	SELECT e.number, e.name, p.bank_name, p.bank_bic, p.bank_account, s.net, st.currency,
	       r.pay_date
	FROM payroll.payslips s
	JOIN payroll.employees e ON e.client_id = s.client_id AND e.employee_id = s.employee_id
	-- the accounts of the version the checker approved, not today's (078)
	LEFT JOIN payroll.run_accounts p ON p.client_id = s.client_id AND p.run_id = s.run_id
					 AND p.employee_id = s.employee_id
	JOIN payroll.settings st ON st.client_id = s.client_id
	WHERE s.client_id = cid AND s.run_id = r.run_id AND s.net > 0
	ORDER BY e.number;
END
$function$;
ALTER FUNCTION payroll.bank_payments(text,bigint) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION payroll.bank_payments(text,bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION payroll.bank_payments(text,bigint) TO bd_payroll;
