-- payroll.compute_step: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- One rule layer of a pay run: every component of step p_step for every
-- employee of the run, in ONE statement (no loop per employee). A
-- component's base is the sum of lines the earlier steps wrote (by code;
-- deductions count negative; '@taxable': the taxable amounts so far;
-- '@gross': the earnings so far). Per method (see 040_payroll.sql):
--   fixed     amount, or the period's input amounts of input_code
--   salary    monthly rate x 12 / periods a year; a daily or hourly rate x
--             input_code's quantity (default: a full period's days/hours)
--   rate_qty  rate x input quantity (x the hourly or daily rate, rate_of)
--   percent   base x rate / divisor
--   brackets  fixed + rate x (base - lo), the table row with the largest
--             lo <= base
--   range     the row's ee or er amount
-- The base is first limited to the part of the year's cumulative base
-- between ytd_from and ytd_to (wage bases), converted to the component's
-- basis (monthly: x periods/12; annual: x periods; ytd: plus the year's
-- earlier final runs), clamped to floor..ceiling (a zero base stays zero),
-- and the amount converted back (ytd: less what the year paid already).
-- Amounts are rounded to the centavo/cent, half away from zero, per line,
-- as the agencies' tables are. Lines of zero are not written, but for a
-- component with a year band (its base must add up over the year). A
-- negative base (absences or deductions beyond the pay) looks up nothing
-- and gives 0, and the register flags the negative net. A table
-- with no row for the employee (a US employee without a filing status)
-- stops the run with the employee's number (payroll.no_table_row): never a
-- silent zero. Internal.

CREATE OR REPLACE FUNCTION payroll.compute_step(p_client_id integer, p_run payroll.runs, p_step integer)
 RETURNS integer
 LANGUAGE plpgsql
AS $function$
DECLARE
	v_ppy numeric := payroll.periods_per_year(p_run.pay_group);
	v_year_start date := date_trunc('year', p_run.pay_date)::date;
	v_need_ytd boolean;
	v_need_tot boolean;
	v_base_codes text[];
	v_input_codes text[];
	n integer;
BEGIN
	SELECT bool_or(c.basis = 'ytd' OR c.ytd_from IS NOT NULL OR c.ytd_to IS NOT NULL
		       OR c.exempt_ytd IS NOT NULL),
	       bool_or(c.base && '{@taxable,@gross}'::text[]),
	       array_agg(DISTINCT c.input_code) FILTER (WHERE c.input_code IS NOT NULL)
	INTO v_need_ytd, v_need_tot, v_input_codes
	FROM payroll.run_components(p_client_id, p_run.period_end, p_run.kind) c
	WHERE c.step = p_step;
	-- an employee a table has no rows for (a filing status it lacks): stop
	PERFORM payroll.no_table_row(p_client_id, e.employee_id, c.code, NULL)
	FROM payroll.run_employees(p_client_id, p_run) e
	JOIN payroll.run_components(p_client_id, p_run.period_end, p_run.kind) c
	  ON c.step = p_step AND c.country = e.country AND c.table_name IS NOT NULL
	WHERE EXISTS (SELECT 1 FROM payroll.pack_tables t
		      WHERE t.pack = c.pack AND t.version = c.version AND t.table_name = c.table_name
			AND t.variant <> '*')
	  AND NOT EXISTS (SELECT 1 FROM payroll.pack_tables t
			  WHERE t.pack = c.pack AND t.version = c.version
			    AND t.table_name = c.table_name
			    AND t.variant IN (coalesce(e.filing_status, '*'), '*'));
	SELECT array_agg(DISTINCT b) INTO v_base_codes
	FROM payroll.run_components(p_client_id, p_run.period_end, p_run.kind) c, unnest(c.base) b
	WHERE c.step = p_step;

	INSERT INTO payroll.payslip_lines (client_id, run_id, employee_id, code, line_for, name,
					   class, step, base, quantity, rate, amount,
					   taxable_amount, agency, expense_account,
					   liability_account)
	WITH c0 AS (
		SELECT * FROM payroll.run_components(p_client_id, p_run.period_end, p_run.kind) c
		WHERE c.step = p_step
	), c AS MATERIALIZED (
		-- each component with its table as sorted arrays (the rows of the
		-- pay group of its basis, else of '*'), a row per filing status
		-- when the table has them (t_variant)
		SELECT c0.*, tv.variant AS t_variant, tv.los, tv.fixeds, tv.rates, tv.ees, tv.ers
		FROM c0
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
								ELSE p_run.pay_group END)
				THEN CASE c0.basis WHEN 'monthly' THEN 'monthly'
						   WHEN 'annual' THEN 'annual'
						   ELSE p_run.pay_group END
				ELSE '*' END
			GROUP BY t.variant
		) tv ON c0.table_name IS NOT NULL
	), e AS MATERIALIZED (
		SELECT * FROM payroll.run_employees(p_client_id, p_run)
	), named AS (
		SELECT l.employee_id, l.code,
		       sum(CASE WHEN l.class = 'deduction' THEN -l.amount ELSE l.amount END) AS v
		FROM payroll.payslip_lines l
		WHERE l.client_id = p_client_id AND l.run_id = p_run.run_id
		  AND l.code = ANY (v_base_codes)
		GROUP BY 1, 2
	), tot AS (
		SELECT l.employee_id, sum(l.taxable_amount) AS taxable,
		       coalesce(sum(l.amount) FILTER (WHERE l.class = 'earning'), 0) AS gross
		FROM payroll.payslip_lines l
		WHERE v_need_tot AND l.client_id = p_client_id AND l.run_id = p_run.run_id
		GROUP BY 1
	), past AS (
		-- lines of the year's final runs, for year-to-date rules only
		SELECT l.employee_id, l.code, l.class, l.base, l.amount
		FROM payroll.runs pr
		JOIN payroll.payslip_lines l ON l.client_id = pr.client_id AND l.run_id = pr.run_id
		WHERE v_need_ytd AND pr.client_id = p_client_id AND pr.status = 'final'
		  AND pr.pay_date >= v_year_start AND pr.pay_date < (v_year_start + interval '1 year')
		  AND pr.run_id <> p_run.run_id
	), own AS (
		SELECT p.employee_id, p.code, sum(p.base) AS base, sum(p.amount) AS amount
		FROM past p
		WHERE p.code IN (SELECT c.code FROM c)
		GROUP BY 1, 2
	), ytdb AS (
		SELECT p.employee_id, p.code,
		       sum(CASE WHEN p.class = 'deduction' THEN -p.amount ELSE p.amount END) AS v
		FROM past p
		WHERE p.code IN (SELECT b FROM c, unnest(c.base) b WHERE c.basis = 'ytd')
		GROUP BY 1, 2
	), inp AS (
		SELECT i.employee_id, i.code, sum(i.quantity) AS q, sum(i.amount) AS a
		FROM payroll.inputs i
		WHERE i.client_id = p_client_id AND i.run_kind = p_run.kind
		  AND i.on_date BETWEEN p_run.period_start AND p_run.period_end
		  AND i.code = ANY (v_input_codes)
		GROUP BY 1, 2
	), pb AS (
		SELECT e.employee_id, c.code,
		       sum(CASE bc WHEN '@taxable' THEN coalesce(t.taxable, 0)
				   WHEN '@gross' THEN coalesce(t.gross, 0)
				   ELSE coalesce(n.v, 0) END) AS now,
		       sum(coalesce(y.v, 0)) AS before
		FROM e
		JOIN c0 c ON c.country IS NULL OR c.country = e.country
		CROSS JOIN LATERAL unnest(c.base) bc
		LEFT JOIN named n ON n.employee_id = e.employee_id AND n.code = bc
		LEFT JOIN tot t ON t.employee_id = e.employee_id
		LEFT JOIN ytdb y ON y.employee_id = e.employee_id AND y.code = bc
		GROUP BY 1, 2
	), v AS (
		-- Each LATERAL (SELECT ... OFFSET 0) computes one value once per row;
		-- without the OFFSET the planner would paste the expressions into
		-- each other, and the amount's expression grew to megabytes.
		SELECT e.employee_id, c.code, c.name, c.class, c.taxable, c.exempt_ytd, c.agency,
		       c.expense_account, c.liability_account, pb.now AS raw,
		       coalesce(o.amount, 0) AS ytd_amount,
		       (c.ytd_from IS NOT NULL OR c.ytd_to IS NOT NULL) AS banded_rule,
		       CASE WHEN c.method IN ('salary', 'rate_qty') THEN
				coalesce(i.q, CASE WHEN c.method = 'salary' AND h.rate_kind = 'daily'
						   THEN h.days_per_year / v_ppy
						   WHEN c.method = 'salary' AND h.rate_kind = 'hourly'
						   THEN h.days_per_year * h.hours_per_day / v_ppy END)
		       END AS quantity,
		       CASE c.method WHEN 'salary' THEN h.rate WHEN 'rate_qty' THEN c.rate
				     WHEN 'percent' THEN c.rate WHEN 'brackets' THEN c.rates[t.k] END AS rate,
		       a.amount
		FROM e
		JOIN c ON (c.country IS NULL OR c.country = e.country)
			  AND (c.t_variant IS NULL OR c.t_variant = '*' OR c.t_variant = e.filing_status)
		LEFT JOIN pb ON pb.employee_id = e.employee_id AND pb.code = c.code
		LEFT JOIN inp i ON i.employee_id = e.employee_id AND i.code = c.input_code
		LEFT JOIN own o ON o.employee_id = e.employee_id AND o.code = c.code
		-- the base limited to the year's band (wage bases)
		CROSS JOIN LATERAL (
			SELECT CASE WHEN c.ytd_from IS NULL AND c.ytd_to IS NULL THEN pb.now
				    ELSE greatest(0, least(coalesce(o.base, 0) + pb.now,
							   coalesce(c.ytd_to, 1e15))
						     - greatest(coalesce(o.base, 0),
								coalesce(c.ytd_from, 0))) END AS banded
			OFFSET 0
		) b
		-- converted to the component's basis
		CROSS JOIN LATERAL (
			SELECT CASE c.basis
				       WHEN 'monthly' THEN b.banded * v_ppy / 12
				       WHEN 'annual' THEN b.banded * v_ppy
				       WHEN 'ytd' THEN pb.before + b.banded
				       ELSE b.banded END AS bb
			OFFSET 0
		) x
		-- clamped to floor..ceiling (a zero base stays zero)
		CROSS JOIN LATERAL (
			SELECT CASE WHEN x.bb = 0 THEN 0
				    ELSE least(greatest(x.bb, coalesce(c.floor, x.bb)),
					       coalesce(c.ceiling, x.bb)) END AS bc
			OFFSET 0
		) y
		LEFT JOIN LATERAL (
			SELECT h.rate_kind, h.rate, h.days_per_year, h.hours_per_day
			FROM payroll.pay_history h
			WHERE c.method IN ('salary', 'rate_qty')
			  AND h.client_id = p_client_id AND h.employee_id = e.employee_id
			  AND h.effective_from <= p_run.period_end
			ORDER BY h.effective_from DESC
			LIMIT 1
		) h ON true
		-- the table row: the last whose lo <= the base (0: none)
		CROSS JOIN LATERAL (SELECT width_bucket(y.bc, c.los) AS k OFFSET 0) t
		-- the amount on the basis, for the methods with a base
		CROSS JOIN LATERAL (
			SELECT CASE c.method
				WHEN 'percent' THEN y.bc * c.rate / c.divisor
				-- below nothing (large absences, a loan): no tax, no
				-- contribution, not "no table row"
				WHEN 'brackets' THEN CASE WHEN y.bc < 0 THEN 0
					WHEN coalesce(t.k, 0) = 0
					THEN payroll.no_table_row(p_client_id, e.employee_id, c.code, y.bc)
					ELSE c.fixeds[t.k] + c.rates[t.k] * (y.bc - c.los[t.k]) END
				WHEN 'range' THEN CASE WHEN y.bc < 0 THEN 0
					WHEN coalesce(t.k, 0) = 0
					THEN payroll.no_table_row(p_client_id, e.employee_id, c.code, y.bc)
					WHEN c.table_column = 'ee' THEN c.ees[t.k] ELSE c.ers[t.k] END
			       END AS v
			OFFSET 0
		) f
		CROSS JOIN LATERAL (
			SELECT round(CASE c.method
			WHEN 'fixed' THEN CASE WHEN c.input_code IS NULL THEN c.amount ELSE i.a END
			WHEN 'salary' THEN
				CASE h.rate_kind
					WHEN 'monthly' THEN h.rate * 12 / v_ppy
					WHEN 'daily' THEN h.rate * coalesce(i.q, h.days_per_year / v_ppy)
					ELSE h.rate * coalesce(i.q, h.days_per_year * h.hours_per_day / v_ppy)
				END
			WHEN 'rate_qty' THEN
				c.rate * i.q * CASE c.rate_of
					WHEN 'hourly' THEN CASE h.rate_kind
						WHEN 'hourly' THEN h.rate
						WHEN 'daily' THEN h.rate / h.hours_per_day
						ELSE h.rate * 12 / (h.days_per_year * h.hours_per_day) END
					WHEN 'daily' THEN CASE h.rate_kind
						WHEN 'daily' THEN h.rate
						WHEN 'hourly' THEN h.rate * h.hours_per_day
						ELSE h.rate * 12 / h.days_per_year END
					ELSE 1 END
			ELSE
				-- from the basis back to the period
				CASE c.basis
					WHEN 'monthly' THEN f.v * 12 / v_ppy
					WHEN 'annual' THEN f.v / v_ppy
					WHEN 'ytd' THEN f.v - coalesce(o.amount, 0)
					ELSE f.v END
			END, 2) AS amount
			OFFSET 0
		) a
	)
	SELECT p_client_id, p_run.run_id, v.employee_id, v.code, 0, v.name, v.class, p_step,
	       v.raw, v.quantity, v.rate, v.amount,
	       CASE WHEN NOT v.taxable THEN 0
		    WHEN v.class = 'deduction' THEN -v.amount
		    WHEN v.class = 'earning' THEN
			v.amount - CASE WHEN v.exempt_ytd IS NULL THEN 0
					ELSE greatest(0, least(v.ytd_amount + v.amount, v.exempt_ytd)
							 - least(v.ytd_amount, v.exempt_ytd)) END
		    ELSE 0 END,
	       v.agency, v.expense_account, v.liability_account
	FROM v
	WHERE v.amount <> 0
	   -- a wage base counts the year's base: its lines are kept at zero too
	   OR (v.amount = 0 AND v.banded_rule AND v.raw <> 0);
	GET DIAGNOSTICS n = ROW_COUNT;
	RETURN n;
END
$function$;
ALTER FUNCTION payroll.compute_step(integer,payroll.runs,integer) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION payroll.compute_step(integer,payroll.runs,integer) FROM PUBLIC;
