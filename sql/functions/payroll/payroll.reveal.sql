-- payroll.reveal: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- One masked value of one employee in clear: tax_id, sss_no,
-- philhealth_no, pagibig_no or bank_account. Each call is a row of
-- payroll.reveals, audited on the client's chain (who, when, whose, which
-- field; never the value).

CREATE OR REPLACE FUNCTION payroll.reveal(p_client text, p_number text, p_field text)
 RETURNS text
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'payroll', 'core', 'pg_temp'
AS $function$
DECLARE
	cid integer := payroll.client_of(p_client);
	v_emp bigint;
	p payroll.employee_private;
BEGIN
	IF p_field IS NULL OR p_field NOT IN ('tax_id', 'sss_no', 'philhealth_no', 'pagibig_no',
					      'bank_account') THEN
		RAISE EXCEPTION 'What may be revealed: tax_id, sss_no, philhealth_no, pagibig_no or bank_account'
			USING ERRCODE = 'BD001';
	END IF;
	SELECT e.employee_id INTO v_emp FROM payroll.employees e
	WHERE e.client_id = cid AND e.number = p_number;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'No employee %', coalesce(p_number, '(none)') USING ERRCODE = 'BD004';
	END IF;
	SELECT * INTO p FROM payroll.employee_private WHERE client_id = cid AND employee_id = v_emp;
	INSERT INTO payroll.reveals (client_id, employee_id, field) VALUES (cid, v_emp, p_field);
	RETURN to_jsonb(p) ->> p_field;
END
$function$;
ALTER FUNCTION payroll.reveal(text,text,text) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION payroll.reveal(text,text,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION payroll.reveal(text,text,text) TO bd_payroll;
