-- payroll.run_compute_end: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- Ends computing a run begun by payroll.run_compute_begin (version
-- p_version) once every part is computed: the run's totals are the parts'
-- sums, its posting sums the parts' added up per class, code, name,
-- accounts and agency (as payroll.compute_lines sums the lines), and the
-- run is computed (payroll.compute_finish). Returns the number of payslips.

CREATE OR REPLACE FUNCTION payroll.run_compute_end(p_client text, p_run_id bigint, p_version bigint)
 RETURNS integer
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'payroll', 'core', 'pg_temp'
AS $function$
DECLARE
	cid integer := payroll.client_of(p_client);
	r payroll.runs;
	t record;
	v_posting jsonb;
BEGIN
	r := payroll.run_of(cid, p_run_id, 'update');
	IF r.version IS DISTINCT FROM p_version THEN
		RAISE EXCEPTION 'Pay run % changed while it was computed: compute it again',
			r.run_id USING ERRCODE = 'BD003';
	END IF;
	SELECT count(*) AS parts, count(*) FILTER (WHERE NOT p.done) AS waiting,
	       sum(p.employees)::integer AS payslips, sum(p.gross) AS gross,
	       sum(p.deductions) AS deductions, sum(p.net) AS net, sum(p.employer) AS employer
	INTO t
	FROM payroll.run_parts p
	WHERE p.client_id = cid AND p.run_id = r.run_id AND p.version = p_version;
	IF t.parts = 0 OR t.waiting > 0 THEN
		RAISE EXCEPTION 'Pay run %: % of its % parts are not computed yet', r.run_id, t.waiting,
			t.parts USING ERRCODE = 'BD003';
	END IF;
	SELECT coalesce(jsonb_agg(jsonb_build_object(
			'class', g.class, 'code', g.code, 'name', g.name,
			'expense_account', g.expense_account,
			'liability_account', g.liability_account, 'agency', g.agency,
			'amount', g.amount) ORDER BY g.class, g.code, g.name), '[]')
	INTO v_posting
	FROM (SELECT x ->> 'class' AS class, x ->> 'code' AS code, x ->> 'name' AS name,
		     x ->> 'expense_account' AS expense_account,
		     x ->> 'liability_account' AS liability_account, x ->> 'agency' AS agency,
		     sum((x ->> 'amount')::numeric) AS amount
	      FROM payroll.run_parts p
	      CROSS JOIN LATERAL jsonb_array_elements(p.posting) x
	      WHERE p.client_id = cid AND p.run_id = r.run_id
	      GROUP BY 1, 2, 3, 4, 5, 6) g;
	PERFORM payroll.compute_finish(cid, r, t.payslips, t.gross, t.deductions, t.net, t.employer,
				       v_posting);
	DELETE FROM payroll.run_parts WHERE client_id = cid AND run_id = r.run_id;
	RETURN t.payslips;
END
$function$;
ALTER FUNCTION payroll.run_compute_end(text,bigint,bigint) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION payroll.run_compute_end(text,bigint,bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION payroll.run_compute_end(text,bigint,bigint) TO bd_payroll;
