-- payroll.compute_step: repeatable, re-applied by migrate when this text changes
-- (include/backdesk/migrate.h). Edit it here, never in a numbered migration.
--
-- One rule layer of a pay run: the SQL of the query giving every line of
-- step p_step for every employee of the run, set-based (no loop per
-- employee). payroll.run_compute chains the steps, each a MATERIALIZED
-- CTE of ONE statement that then writes every line once (a step's lines
-- are never written and read back). A component's base is the sum of the
-- lines of the earlier steps (p_sofar: the union of their CTEs; by code;
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
-- with no row for the employee's base stops the run with the employee's
-- number (payroll.no_table_row): never a silent zero.
--
-- The query names what run_compute's statement defines: $1 the client_id,
-- $2 the run (payroll.runs), $3 periods a year (numeric); comps0 (the
-- components in force), comps (the same with their tables as sorted
-- arrays, a row per filing status when the table has them), e (the run's
-- employees), past (lines of the year's final runs, for year-to-date
-- rules). p_need_ytd, p_need_tot, p_base_codes and p_input_codes are
-- what the step's components read (constants, so the plan skips the rest).
-- Its columns are payroll.payslip_lines' from employee_id on, typed as
-- stored. Internal.

CREATE OR REPLACE FUNCTION payroll.compute_step(p_step integer, p_sofar text, p_need_ytd boolean, p_need_tot boolean, p_base_codes text[], p_input_codes text[])
 RETURNS text
 LANGUAGE sql
 IMMUTABLE
AS $function$
	SELECT format($q$
	WITH c0 AS (
		SELECT * FROM comps0 c WHERE c.step = %1$s
	), c AS (
		SELECT * FROM comps c WHERE c.step = %1$s
	), sofar AS NOT MATERIALIZED (
		%2$s
	), named AS (
		SELECT l.employee_id, l.code,
		       sum(CASE WHEN l.class = 'deduction' THEN -l.amount ELSE l.amount END) AS v
		FROM sofar l
		WHERE l.code = ANY (%5$L::text[])
		GROUP BY 1, 2
	), tot AS (
		SELECT l.employee_id, sum(l.taxable_amount) AS taxable,
		       coalesce(sum(l.amount) FILTER (WHERE l.class = 'earning'), 0) AS gross
		FROM sofar l
		WHERE %4$L
		GROUP BY 1
	), own AS (
		SELECT p.employee_id, p.code, sum(p.base) AS base, sum(p.amount) AS amount
		FROM past p
		WHERE %3$L AND p.code IN (SELECT c.code FROM c)
		GROUP BY 1, 2
	), ytdb AS (
		SELECT p.employee_id, p.code,
		       sum(CASE WHEN p.class = 'deduction' THEN -p.amount ELSE p.amount END) AS v
		FROM past p
		WHERE %3$L AND p.code IN (SELECT b FROM c, unnest(c.base) b WHERE c.basis = 'ytd')
		GROUP BY 1, 2
	), inp AS (
		SELECT i.employee_id, i.code, sum(i.quantity) AS q, sum(i.amount) AS a
		FROM payroll.inputs i
		WHERE i.client_id = $1 AND i.run_kind = ($2).kind
		  AND i.on_date BETWEEN ($2).period_start AND ($2).period_end
		  AND i.code = ANY (%6$L::text[])
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
						   THEN h.days_per_year / $3
						   WHEN c.method = 'salary' AND h.rate_kind = 'hourly'
						   THEN h.days_per_year * h.hours_per_day / $3 END)
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
				       WHEN 'monthly' THEN b.banded * $3 / 12
				       WHEN 'annual' THEN b.banded * $3
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
			  AND h.client_id = $1 AND h.employee_id = e.employee_id
			  AND h.effective_from <= ($2).period_end
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
					THEN payroll.no_table_row($1, e.employee_id, c.code, y.bc)
					ELSE c.fixeds[t.k] + c.rates[t.k] * (y.bc - c.los[t.k]) END
				WHEN 'range' THEN CASE WHEN y.bc < 0 THEN 0
					WHEN coalesce(t.k, 0) = 0
					THEN payroll.no_table_row($1, e.employee_id, c.code, y.bc)
					WHEN c.table_column = 'ee' THEN c.ees[t.k] ELSE c.ers[t.k] END
			       END AS v
			OFFSET 0
		) f
		CROSS JOIN LATERAL (
			SELECT round(CASE c.method
			WHEN 'fixed' THEN CASE WHEN c.input_code IS NULL THEN c.amount ELSE i.a END
			WHEN 'salary' THEN
				CASE h.rate_kind
					WHEN 'monthly' THEN h.rate * 12 / $3
					WHEN 'daily' THEN h.rate * coalesce(i.q, h.days_per_year / $3)
					ELSE h.rate * coalesce(i.q, h.days_per_year * h.hours_per_day / $3)
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
					WHEN 'monthly' THEN f.v * 12 / $3
					WHEN 'annual' THEN f.v / $3
					WHEN 'ytd' THEN f.v - coalesce(o.amount, 0)
					ELSE f.v END
			END, 2) AS amount
			OFFSET 0
		) a
	)
	SELECT v.employee_id, v.code, 0::bigint AS line_for, v.name, v.class, %1$s AS step,
	       v.raw::numeric(16,2) AS base, v.quantity::numeric(12,4) AS quantity,
	       v.rate::numeric(14,6) AS rate, v.amount::numeric(16,2) AS amount,
	       (CASE WHEN NOT v.taxable THEN 0
		    WHEN v.class = 'deduction' THEN -v.amount
		    WHEN v.class = 'earning' THEN
			v.amount - CASE WHEN v.exempt_ytd IS NULL THEN 0
					ELSE greatest(0, least(v.ytd_amount + v.amount, v.exempt_ytd)
							 - least(v.ytd_amount, v.exempt_ytd)) END
		    ELSE 0 END)::numeric(16,2) AS taxable_amount,
	       v.agency, v.expense_account, v.liability_account
	FROM v
	WHERE v.amount <> 0
	   -- a wage base counts the year's base: its lines are kept at zero too
	   OR (v.amount = 0 AND v.banded_rule AND v.raw <> 0)
	$q$, p_step, p_sofar, coalesce(p_need_ytd, false), coalesce(p_need_tot, false), p_base_codes,
	      p_input_codes)
$function$;
ALTER FUNCTION payroll.compute_step(integer,text,boolean,boolean,text[],text[]) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION payroll.compute_step(integer,text,boolean,boolean,text[],text[]) FROM PUBLIC;
