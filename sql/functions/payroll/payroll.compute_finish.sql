-- payroll.compute_finish: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- The end of computing run r (as it was before: payroll.compute_start):
-- computed now, with its totals and posting sums (payroll.compute_lines),
-- a draft again. A submitted run goes back to draft (its version changes,
-- so an approval of what was submitted is refused) and the client's
-- approvals channel is told, as submit, approve and reject tell it: the
-- checkers' open inboxes drop it at once. Internal.

CREATE OR REPLACE FUNCTION payroll.compute_finish(cid integer, r payroll.runs, p_payslips integer,
	p_gross numeric, p_deductions numeric, p_net numeric, p_employer numeric, p_posting jsonb)
 RETURNS void
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'payroll', 'core', 'pg_temp'
AS $function$
BEGIN
	UPDATE payroll.runs
	SET status = 'draft', computed_at = clock_timestamp(), submitted_at = NULL,
	    employees = p_payslips, gross = p_gross, deductions = p_deductions, net = p_net,
	    employer = p_employer, posting = p_posting
	WHERE client_id = cid AND run_id = r.run_id;
	IF r.status = 'submitted' THEN
		PERFORM core.notify_client(cid, 'approvals');
	END IF;
END
$function$;
ALTER FUNCTION payroll.compute_finish(integer,payroll.runs,integer,numeric,numeric,numeric,numeric,jsonb) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION payroll.compute_finish(integer,payroll.runs,integer,numeric,numeric,numeric,numeric,jsonb) FROM PUBLIC;
