-- payroll.run_compute: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- Computes (or recomputes) a run that is not final, in one transaction of
-- one session: payroll.compute_start (checks; what the run had deleted),
-- payroll.compute_lines for every employee (one set-based statement),
-- payroll.compute_finish (a draft, computed; a submitted run leaves the
-- checkers' inboxes). Returns the number of payslips. A large run is
-- computed on several cores by payroll.run_compute_begin, _part and _end
-- (088), which the screens and `backdesk payroll run compute` use.

CREATE OR REPLACE FUNCTION payroll.run_compute(p_client text, p_run_id bigint)
 RETURNS integer
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'payroll', 'core', 'pg_temp'
AS $function$
DECLARE
	cid integer := payroll.client_of(p_client);
	r payroll.runs := payroll.compute_start(cid, p_run_id);
	t record;
BEGIN
	SELECT * INTO t FROM payroll.compute_lines(cid, r, 0, 9223372036854775807);
	PERFORM payroll.compute_finish(cid, r, t.payslips, t.gross, t.deductions, t.net,
				       t.employer, t.posting);
	RETURN t.payslips;
END
$function$;
ALTER FUNCTION payroll.run_compute(text,bigint) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION payroll.run_compute(text,bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION payroll.run_compute(text,bigint) TO bd_payroll;
