-- payroll.run_compute_part: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- Computes part p_part of a run that payroll.run_compute_begin split
-- (version p_version): the payslips of the part's employees, by the same
-- statement as a whole run (payroll.compute_lines), and the part's totals
-- kept for payroll.run_compute_end. The run is held FOR SHARE meanwhile:
-- the other parts run beside it, while a recompute or an input saved waits
-- for it, and then changes the version, which makes this compute's other
-- parts and end refused. Returns the part's number of payslips.

CREATE OR REPLACE FUNCTION payroll.run_compute_part(p_client text, p_run_id bigint,
	p_version bigint, p_part integer)
 RETURNS integer
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'payroll', 'core', 'pg_temp'
AS $function$
DECLARE
	cid integer := payroll.client_of(p_client);
	r payroll.runs;
	p payroll.run_parts;
	t record;
BEGIN
	r := payroll.run_of(cid, p_run_id, 'share');
	SELECT * INTO p FROM payroll.run_parts
	WHERE client_id = cid AND run_id = r.run_id AND part = p_part
	FOR UPDATE;
	IF r.version IS DISTINCT FROM p_version OR p.version IS DISTINCT FROM p_version THEN
		RAISE EXCEPTION 'Pay run % changed while it was computed: compute it again',
			r.run_id USING ERRCODE = 'BD003';
	END IF;
	IF p.done THEN
		RAISE EXCEPTION 'Part % of pay run % is computed already', p_part, r.run_id
			USING ERRCODE = 'BD003';
	END IF;
	SELECT * INTO t FROM payroll.compute_lines(cid, r, p.lo, p.hi);
	UPDATE payroll.run_parts
	SET done = true, employees = t.payslips, gross = t.gross, deductions = t.deductions,
	    net = t.net, employer = t.employer, posting = t.posting
	WHERE client_id = cid AND run_id = r.run_id AND part = p_part;
	RETURN t.payslips;
END
$function$;
ALTER FUNCTION payroll.run_compute_part(text,bigint,bigint,integer) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION payroll.run_compute_part(text,bigint,bigint,integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION payroll.run_compute_part(text,bigint,bigint,integer) TO bd_payroll;
