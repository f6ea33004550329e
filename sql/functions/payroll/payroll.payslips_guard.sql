-- payroll.payslips_guard: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- Payslips and their lines belong to a run that is not final when they are
-- written, changed or deleted (040's statement triggers on payroll.payslips
-- and payroll.payslip_lines, with the changed rows as a transition table):
-- a final payslip is immutable for every role. It also stands for the
-- foreign key from payslip_lines to runs (a line of no run is refused:
-- RLS hides no run from the definer functions that write lines).

CREATE OR REPLACE FUNCTION payroll.payslips_guard()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
DECLARE
	v_run bigint;
BEGIN
	SELECT c.run_id INTO v_run
	FROM (SELECT DISTINCT c.client_id, c.run_id FROM changed c) c
	LEFT JOIN payroll.runs r ON r.client_id = c.client_id AND r.run_id = c.run_id
	WHERE r.status = 'final' OR (r.run_id IS NULL AND TG_OP = 'INSERT')
	LIMIT 1;
	IF v_run IS NOT NULL THEN
		RAISE EXCEPTION 'The payslips of pay run % are final and cannot be changed', v_run
			USING ERRCODE = 'BD002';
	END IF;
	RETURN NULL;
END
$function$;
ALTER FUNCTION payroll.payslips_guard() OWNER TO bd_owner;
REVOKE ALL ON FUNCTION payroll.payslips_guard() FROM PUBLIC;
