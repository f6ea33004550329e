-- payroll.no_table_row: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- Raised by the pay run when a component's table has no row for an
-- employee's base, pay group or filing status. Internal.

CREATE OR REPLACE FUNCTION payroll.no_table_row(p_client_id integer, p_employee_id bigint, p_code text, p_base numeric)
 RETURNS numeric
 LANGUAGE plpgsql
 STABLE
AS $function$
BEGIN
	RAISE EXCEPTION 'Component % has no table row for employee % (base %): check the employee''s pay group and filing status',
		p_code, (SELECT e.number FROM payroll.employees e
			 WHERE e.client_id = p_client_id AND e.employee_id = p_employee_id),
		p_base USING ERRCODE = 'BD001';
END
$function$;
ALTER FUNCTION payroll.no_table_row(integer,bigint,text,numeric) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION payroll.no_table_row(integer,bigint,text,numeric) FROM PUBLIC;
