-- payroll.compute_start: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- The start of computing a run (payroll.run_compute, or
-- payroll.run_compute_begin for one computed in parts): the run locked, not
-- final, the client's payroll settings there, its components well formed
-- (every base computed before it; no two earnings of one exempt pool in one
-- step), and its payslips, their lines and any parts of an earlier compute
-- deleted. Returns the run as it was. Internal.

CREATE OR REPLACE FUNCTION payroll.compute_start(cid integer, p_run_id bigint)
 RETURNS payroll.runs
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'payroll', 'core', 'pg_temp'
AS $function$
DECLARE
	r payroll.runs;
	v_bad record;
BEGIN
	r := payroll.run_of(cid, p_run_id, 'update');
	IF r.status = 'final' THEN
		RAISE EXCEPTION 'Pay run % is final and cannot be recomputed; correct it with an off-cycle run',
			r.run_id USING ERRCODE = 'BD002';
	END IF;
	PERFORM 1 FROM payroll.settings WHERE client_id = cid;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'Set the client''s payroll accounts first (backdesk payroll settings)'
			USING ERRCODE = 'BD004';
	END IF;
	-- every base names a component computed before it (a year-to-date
	-- base: one of the year's earlier runs, or computed before it)
	SELECT c.code, b INTO v_bad
	FROM payroll.run_components(cid, r.period_end, r.kind) c
	CROSS JOIN LATERAL unnest(c.base) b
	WHERE b NOT IN ('@taxable', '@gross')
	  AND NOT EXISTS (SELECT 1 FROM payroll.run_components(cid, r.period_end, r.kind) d
			  WHERE d.code = b AND d.step < c.step
			    AND (d.country IS NULL OR c.country IS NULL OR d.country = c.country))
	  -- a year-to-date base may be of components this kind of run lacks
	  AND (c.basis <> 'ytd'
	       OR EXISTS (SELECT 1 FROM payroll.run_components(cid, r.period_end, r.kind) d
			  WHERE d.code = b))
	LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION 'Component % is computed from %, which is not computed before it',
			v_bad.code, v_bad.b USING ERRCODE = 'BD001';
	END IF;

	-- 079: two earnings of one exempt pool in one step: which takes the
	-- rest of the exemption would be left to chance
	SELECT a.code, b.code AS other, a.exempt_value, a.step INTO v_bad
	FROM payroll.run_components(cid, r.period_end, r.kind) a
	JOIN payroll.run_components(cid, r.period_end, r.kind) b
	  ON b.exempt_value = a.exempt_value AND b.step = a.step AND b.code > a.code
	 AND (a.country IS NULL OR b.country IS NULL OR a.country = b.country)
	LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION 'Components % and % share the exempt ceiling % in step %: give them different steps',
			v_bad.code, v_bad.other, v_bad.exempt_value, v_bad.step USING ERRCODE = 'BD001';
	END IF;


	DELETE FROM payroll.payslip_lines WHERE client_id = cid AND run_id = r.run_id;
	DELETE FROM payroll.payslips WHERE client_id = cid AND run_id = r.run_id;
	DELETE FROM payroll.run_parts WHERE client_id = cid AND run_id = r.run_id;
	RETURN r;
END
$function$;
ALTER FUNCTION payroll.compute_start(integer,bigint) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION payroll.compute_start(integer,bigint) FROM PUBLIC;
