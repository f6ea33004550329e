-- payroll.compute_lines: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- Computes and writes the payslips of run r's employees numbered p_lo to
-- p_hi (all of them: 0 and the largest bigint; a part: 088), set-based:
-- ONE statement, a MATERIALIZED CTE per rule layer (payroll.compute_step
-- for each step of the components in force, and payroll.compute_arrears
-- after the salary step), each reading the layers before it from memory,
-- never a loop per employee; at its end every line is written once, in key
-- order, the payslips with their exceptions and the accounts they pay
-- (run_accounts), and it returns the totals and the sums the run's posting
-- needs (runs.posting, read by payroll.run_approve). The caller
-- (payroll.compute_start before it) has deleted what the run had.
--
-- Exceptions: negative_net; net_changed (by more than the client's
-- change_alert_pct from the employee's payslip in the pay group's previous
-- final regular run); no_bank_account; left_but_paid (leave date before the
-- period's end).
--
-- jit is off: compiling the step statement's expressions with LLVM took
-- minutes (and cannot be interrupted), where running them takes seconds.
-- Memoize is off: it hashed each line's computed base to cache a one-row
-- subquery whose result is cheaper than the hashing (a seventh of the
-- run's CPU at 10,000 employees). Internal.

CREATE OR REPLACE FUNCTION payroll.compute_lines(cid integer, r payroll.runs, p_lo bigint, p_hi bigint,
	OUT payslips integer, OUT gross numeric, OUT deductions numeric, OUT net numeric,
	OUT employer numeric, OUT posting jsonb)
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'payroll', 'core', 'pg_temp'
 SET jit TO 'off'
 SET enable_memoize TO 'off'
AS $function$
DECLARE
	s record;
	v_prev bigint;
	v_alert numeric;
	v_need_ytd boolean;
	v_need_period boolean;
	v_sql text;
	v_sofar text;
BEGIN
	SELECT change_alert_pct INTO v_alert FROM payroll.settings WHERE client_id = cid;
	-- an employee a table has no rows for (a filing status it lacks): stop
	PERFORM payroll.no_table_row(cid, e.employee_id, c.code, NULL)
	FROM payroll.run_employees(cid, r, p_lo, p_hi) e
	JOIN payroll.run_components(cid, r.period_end, r.kind) c
	  ON c.country = e.country AND c.table_name IS NOT NULL
	WHERE EXISTS (SELECT 1 FROM payroll.pack_tables t
		      WHERE t.pack = c.pack AND t.version = c.version AND t.table_name = c.table_name
			AND t.variant <> '*')
	  AND NOT EXISTS (SELECT 1 FROM payroll.pack_tables t
			  WHERE t.pack = c.pack AND t.version = c.version
			    AND t.table_name = c.table_name
			    AND t.variant IN (coalesce(e.filing_status
						       || CASE WHEN c.variant_field IS NOT NULL
								AND coalesce((e.fields ->> c.variant_field)::numeric, 0) <> 0
							       THEN '+' || c.variant_field ELSE '' END, '*'), '*'));

	SELECT p.run_id INTO v_prev
	FROM payroll.runs p
	WHERE p.client_id = cid AND p.status = 'final' AND p.kind = 'regular'
	  AND p.pay_group = r.pay_group AND p.period_end < r.period_start
	ORDER BY p.period_end DESC
	LIMIT 1;

	-- The chain: a CTE per step (and its arrears), each reading the union
	-- of those before it; the statement's end writes every line once, in
	-- key order, the payslips and the accounts they pay, and returns the
	-- run's totals and the sums its posting needs.
	-- (079: a 'paid_period' rule reads only the lines of the final runs
	-- of this run's pay period, as a rule: none for a regular run)
	SELECT bool_or(c.basis = 'ytd' OR c.ytd_from IS NOT NULL OR c.ytd_to IS NOT NULL
		       OR c.exempt_ytd IS NOT NULL OR c.exempt_value IS NOT NULL),
	       bool_or(c.basis = 'paid_period')
	INTO v_need_ytd, v_need_period
	FROM payroll.run_components(cid, r.period_end, r.kind) c;
	v_sql := format($q$
	WITH comps0 AS MATERIALIZED (
		SELECT * FROM payroll.run_components($1, ($2).period_end, ($2).kind)
	), comps AS MATERIALIZED (
		-- each component with its table as sorted arrays (the rows of the
		-- pay group of its basis, else of '*'), a row per filing status
		-- when the table has them (t_variant)
		SELECT c0.*, tv.variant AS t_variant, tv.los, tv.fixeds, tv.rates, tv.ees, tv.ers
		FROM comps0 c0
		LEFT JOIN LATERAL (
			SELECT t.variant, array_agg(t.lo ORDER BY t.lo) AS los,
			       array_agg(t.fixed ORDER BY t.lo) AS fixeds,
			       array_agg(t.rate ORDER BY t.lo) AS rates,
			       array_agg(t.ee ORDER BY t.lo) AS ees, array_agg(t.er ORDER BY t.lo) AS ers
			FROM payroll.pack_tables t
			WHERE t.pack = c0.pack AND t.version = c0.version AND t.table_name = c0.table_name
			  AND t.pay_group = CASE WHEN EXISTS (
					SELECT 1 FROM payroll.pack_tables k
					WHERE k.pack = c0.pack AND k.version = c0.version
					  AND k.table_name = c0.table_name
					  AND k.pay_group = CASE c0.basis WHEN 'monthly' THEN 'monthly'
								WHEN 'annual' THEN 'annual'
								ELSE ($2).pay_group END)
				THEN CASE c0.basis WHEN 'monthly' THEN 'monthly'
						   WHEN 'annual' THEN 'annual'
						   ELSE ($2).pay_group END
				ELSE '*' END
			GROUP BY t.variant
		) tv ON c0.table_name IS NOT NULL
	), e AS MATERIALIZED (
		-- the run's employees with the pay rate in force at the period's
		-- end (the pay history read once, in key order, not per line)
		SELECT e.*, h.rate_kind, h.rate AS h_rate, h.days_per_year, h.hours_per_day
		FROM payroll.run_employees($1, $2, $7, $8) e
		LEFT JOIN (
			SELECT DISTINCT ON (h.employee_id) h.employee_id, h.rate_kind, h.rate,
			       h.days_per_year, h.hours_per_day
			FROM payroll.pay_history h
			WHERE h.client_id = $1 AND h.effective_from <= ($2).period_end
			  AND h.employee_id BETWEEN $7 AND $8
			ORDER BY h.employee_id, h.effective_from DESC
		) h ON h.employee_id = e.employee_id
	), past AS MATERIALIZED (
		-- lines of the year's final runs, for year-to-date rules only
		-- (079: in_period, of a run of the pay group whose period
		-- overlaps this run's, all a 'paid_period' basis reads)
		SELECT l.employee_id, l.code, l.class, l.base, l.amount, l.taxable_amount,
		       (pr.pay_group = ($2).pay_group AND pr.period_start <= ($2).period_end
			AND pr.period_end >= ($2).period_start) AS in_period
		FROM payroll.runs pr
		JOIN payroll.payslip_lines l ON l.client_id = pr.client_id AND l.run_id = pr.run_id
					     AND l.employee_id BETWEEN $7 AND $8
		WHERE (%1$L OR (%2$L AND pr.pay_group = ($2).pay_group
				   AND pr.period_start <= ($2).period_end
				   AND pr.period_end >= ($2).period_start))
		  AND pr.client_id = $1 AND pr.status = 'final'
		  AND pr.pay_date >= $4 AND pr.pay_date < ($4 + interval '1 year')
		  AND pr.run_id <> ($2).run_id
	), pvals AS MATERIALIZED (
		-- 079: the pack values in force (the pack of each country in
		-- force at the period's end, as run_components; its value of each
		-- name in force on the pay date)
		SELECT DISTINCT ON (p.country, v.name) p.country, v.name, v.value
		FROM (SELECT DISTINCT ON (p.country) p.pack, p.version, p.country
		      FROM payroll.packs p
		      WHERE p.effective_from <= ($2).period_end
		      ORDER BY p.country, p.effective_from DESC, p.version DESC, p.loaded_at DESC) p
		JOIN payroll.pack_values v ON v.pack = p.pack AND v.version = p.version
					  AND v.effective_from <= ($2).pay_date
		ORDER BY p.country, v.name, v.effective_from DESC
	), xpool AS MATERIALIZED (
		-- 079: the earnings of each exempt pool, of any kind of run (a
		-- bonus of the regular run takes the 13th-month run's exemption)
		SELECT DISTINCT k.code, k.exempt_value
		FROM unnest('{regular,offcycle,thirteenth}'::text[]) rk
		CROSS JOIN LATERAL payroll.run_components($1, ($2).period_end, rk) k
		WHERE k.exempt_value IS NOT NULL AND k.class = 'earning'
	), l0 AS (
		SELECT NULL::bigint AS employee_id, NULL::text AS code, NULL::bigint AS line_for,
		       NULL::text AS name, NULL::text AS class, NULL::integer AS step,
		       NULL::numeric(16,2) AS base, NULL::numeric(12,4) AS quantity,
		       NULL::numeric(14,6) AS rate, NULL::numeric(16,2) AS amount,
		       NULL::numeric(16,2) AS taxable_amount, NULL::text AS agency,
		       NULL::text AS expense_account, NULL::text AS liability_account
		WHERE false
	)$q$, coalesce(v_need_ytd, false), coalesce(v_need_period, false));
	v_sofar := 'SELECT * FROM l0';
	FOR s IN SELECT c.step, bool_or(c.method = 'salary') AS salary,
			bool_or(c.basis IN ('ytd', 'paid_period') OR c.ytd_from IS NOT NULL
				OR c.ytd_to IS NOT NULL OR c.exempt_ytd IS NOT NULL
				OR c.exempt_value IS NOT NULL) AS need_ytd,
			bool_or(c.base && '{@taxable,@gross}'::text[]) AS need_tot,
			array_agg(DISTINCT c.input_code) FILTER (WHERE c.input_code IS NOT NULL) AS inputs,
			(SELECT array_agg(DISTINCT b)
			 FROM payroll.run_components(cid, r.period_end, r.kind) d, unnest(d.base) b
			 WHERE d.step = c.step) AS bases
		 FROM payroll.run_components(cid, r.period_end, r.kind) c
		 GROUP BY c.step ORDER BY c.step LOOP
		v_sql := v_sql || format(E',\n\tl%s AS MATERIALIZED (%s\t)', s.step,
					 payroll.compute_step(s.step, v_sofar, s.need_ytd, s.need_tot,
							      s.bases, s.inputs));
		v_sofar := v_sofar || format(' UNION ALL SELECT * FROM l%s', s.step);
		IF s.salary AND r.kind = 'regular' THEN
			v_sql := v_sql || format(E',\n\ta%s AS MATERIALIZED (%s\t)', s.step,
						 payroll.compute_arrears(s.step));
			v_sofar := v_sofar || format(' UNION ALL SELECT * FROM a%s', s.step);
		END IF;
	END LOOP;
	v_sql := v_sql || format($q$,
	ins AS (
		INSERT INTO payroll.payslip_lines (client_id, run_id, employee_id, code, line_for,
						   name, class, step, base, quantity, rate, amount,
						   taxable_amount, agency, expense_account,
						   liability_account)
		SELECT $1, ($2).run_id, l.*
		FROM (%1$s) l
		-- (the codes compared bytewise: the key's order for the codes a
		-- component may have, sorted with abbreviated keys, not strcoll)
		ORDER BY l.employee_id, l.code COLLATE "C", l.line_for
	), ps AS (
		INSERT INTO payroll.payslips (client_id, run_id, employee_id, gross, taxable,
					      deductions, net, employer, exceptions)
		SELECT $1, ($2).run_id, t.employee_id, t.gross, t.taxable, t.deductions,
		       t.gross - t.deductions, t.employer,
		       array_remove(ARRAY[
			       CASE WHEN t.gross - t.deductions < 0 THEN 'negative_net' END,
			       CASE WHEN p.net IS NOT NULL AND p.net <> 0
				     AND abs(t.gross - t.deductions - p.net) * 100 > $6 * abs(p.net)
				    THEN 'net_changed' END,
			       CASE WHEN pv.bank_account IS NULL THEN 'no_bank_account' END,
			       CASE WHEN e.leave_date < ($2).period_end THEN 'left_but_paid' END], NULL)
		FROM (SELECT l.employee_id,
			     coalesce(sum(l.amount) FILTER (WHERE l.class = 'earning'), 0) AS gross,
			     coalesce(sum(l.taxable_amount), 0) AS taxable,
			     coalesce(sum(l.amount) FILTER (WHERE l.class = 'deduction'), 0) AS deductions,
			     coalesce(sum(l.amount) FILTER (WHERE l.class = 'employer'), 0) AS employer
		      FROM (%1$s) l
		      GROUP BY l.employee_id) t
		JOIN payroll.employees e ON e.client_id = $1 AND e.employee_id = t.employee_id
		LEFT JOIN payroll.employee_private pv ON pv.client_id = $1
						     AND pv.employee_id = t.employee_id
		LEFT JOIN payroll.payslips p ON p.client_id = $1 AND p.run_id = $5
					     AND p.employee_id = t.employee_id
		RETURNING employee_id, gross, deductions, net, employer
	), acc AS (
		-- The accounts this version pays: the bank file pays these, which
		-- the checker approved, not whatever an account is changed to
		-- later (078). (Deleting the payslips above took the old ones.)
		INSERT INTO payroll.run_accounts (client_id, run_id, employee_id, bank_name,
						  bank_bic, bank_account)
		SELECT $1, ($2).run_id, ps.employee_id, v.bank_name, v.bank_bic, v.bank_account
		FROM ps
		JOIN payroll.employee_private v ON v.client_id = $1 AND v.employee_id = ps.employee_id
	)
	SELECT count(*)::integer, coalesce(sum(ps.gross), 0), coalesce(sum(ps.deductions), 0),
	       coalesce(sum(ps.net), 0), coalesce(sum(ps.employer), 0),
	       (SELECT coalesce(jsonb_agg(jsonb_build_object(
			'class', g.class, 'code', g.code, 'name', g.name,
			'expense_account', g.expense_account,
			'liability_account', g.liability_account, 'agency', g.agency,
			'amount', g.amount) ORDER BY g.class, g.code, g.name), '[]')
		FROM (SELECT l.class, l.code, l.name, l.expense_account, l.liability_account,
			     l.agency, sum(l.amount) AS amount
		      FROM (%1$s) l
		      GROUP BY 1, 2, 3, 4, 5, 6) g)
	FROM ps$q$, v_sofar);
	EXECUTE v_sql INTO payslips, gross, deductions, net, employer, posting
		USING cid, r, payroll.periods_per_year(r.pay_group)::numeric,
		      date_trunc('year', r.pay_date)::date, v_prev, v_alert, p_lo, p_hi;
END
$function$;
ALTER FUNCTION payroll.compute_lines(integer,payroll.runs,bigint,bigint) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION payroll.compute_lines(integer,payroll.runs,bigint,bigint) FROM PUBLIC;
