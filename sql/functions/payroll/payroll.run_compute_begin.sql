-- payroll.run_compute_begin: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- Begins computing a run in parts, each computed by payroll.run_compute_part
-- in a session of its own (both cores of the server: 088), then added up by
-- payroll.run_compute_end. As payroll.run_compute: the checks, and what the
-- run had deleted (payroll.compute_start); then the run is a draft, not
-- computed (it cannot be submitted until the end), and its employees are
-- split by number into at most p_sessions contiguous ranges of about equal
-- size and at least p_min_employees each (fewer for a small run: a session
-- costs more than it saves there). The first range is open below and the
-- last above, so an employee added meanwhile still falls in one part.
-- Returns the run's new version, which every part and the end must name:
-- a recompute or an input saved meanwhile changes it, and the older
-- compute's parts are refused, never mixed in; and the number of parts.

CREATE OR REPLACE FUNCTION payroll.run_compute_begin(p_client text, p_run_id bigint,
	p_sessions integer, p_min_employees integer, OUT version bigint, OUT parts integer)
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'payroll', 'core', 'pg_temp'
AS $function$
DECLARE
	cid integer := payroll.client_of(p_client);
	r payroll.runs;
	v_ids bigint[];
	n integer;
BEGIN
	IF p_sessions IS NULL OR p_sessions NOT BETWEEN 1 AND 16
	   OR p_min_employees IS NULL OR p_min_employees < 1 THEN
		RAISE EXCEPTION 'A pay run is computed by 1 to 16 sessions, of at least one employee each'
			USING ERRCODE = 'BD001';
	END IF;
	r := payroll.compute_start(cid, p_run_id);
	-- the run's employees read once, in number order: part k starts at
	-- the (k * n / parts)-th
	SELECT array_agg(e.employee_id ORDER BY e.employee_id) INTO v_ids
	FROM payroll.run_employees(cid, r, 0, 9223372036854775807) e;
	n := coalesce(cardinality(v_ids), 0);
	parts := greatest(1, least(p_sessions, n / p_min_employees));
	UPDATE payroll.runs
	SET status = 'draft', computed_at = NULL, submitted_at = NULL, employees = 0, gross = 0,
	    deductions = 0, net = 0, employer = 0, posting = NULL
	WHERE client_id = cid AND run_id = r.run_id
	RETURNING runs.version INTO version;
	INSERT INTO payroll.run_parts (client_id, run_id, part, version, lo, hi)
	SELECT cid, r.run_id, k, version,
	       CASE WHEN k = 0 THEN 0 ELSE v_ids[k * n / parts + 1] END,
	       CASE WHEN k = parts - 1 THEN 9223372036854775807
		    ELSE v_ids[(k + 1) * n / parts + 1] - 1 END
	FROM generate_series(0, parts - 1) k;
	IF r.status = 'submitted' THEN
		-- out of the checkers' inboxes, as submit, approve and reject tell them
		PERFORM core.notify_client(cid, 'approvals');
	END IF;
END
$function$;
ALTER FUNCTION payroll.run_compute_begin(text,bigint,integer,integer) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION payroll.run_compute_begin(text,bigint,integer,integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION payroll.run_compute_begin(text,bigint,integer,integer) TO bd_payroll;
