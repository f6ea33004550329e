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
-- employees, each with the pay rate in force at the period's end: rate_kind,
-- h_rate, days_per_year, hours_per_day), past (lines of the year's final runs, for
-- year-to-date rules; in_period: of a run of the pay period), pvals (the pack
-- values in force by country and name), xpool (each exempt pool's earnings, 079).
-- 079 (marked so): basis 'paid_period' (the base and amount of the pay
-- period's final runs count), exempt_value (a pool's ceiling shared by its
-- earnings), and the employee's tax fields (e.fields: base_fields,
-- credit_field, extra_field, variant_field; see 079_payroll_more.sql).
-- p_need_ytd, p_need_tot, p_base_codes and p_input_codes are
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
		SELECT p.employee_id, p.code, sum(p.base) AS base, sum(p.amount) AS amount,
		       sum(p.amount) FILTER (WHERE p.in_period) AS p_amount -- 079
		FROM past p
		WHERE %3$L AND p.code IN (SELECT c.code FROM c)
		GROUP BY 1, 2
	), ytdb AS (
		SELECT p.employee_id, p.code,
		       sum(CASE WHEN p.class = 'deduction' THEN -p.amount ELSE p.amount END) AS v,
		       sum(CASE WHEN p.class = 'deduction' THEN -p.amount ELSE p.amount END)
			   FILTER (WHERE p.in_period) AS pv -- 079
		FROM past p
		WHERE %3$L AND p.code IN (SELECT b FROM c, unnest(c.base) b
					  WHERE c.basis IN ('ytd', 'paid_period'))
		GROUP BY 1, 2
	), prd AS (
		-- 079: the pay period's final runs, for a 'paid_period' base
		SELECT p.employee_id, sum(p.taxable_amount) AS taxable,
		       coalesce(sum(p.amount) FILTER (WHERE p.class = 'earning'), 0) AS gross
		FROM past p
		WHERE %3$L AND p.in_period AND EXISTS (SELECT 1 FROM c WHERE c.basis = 'paid_period')
		GROUP BY 1
	), pool AS (
		-- 079: what each exempt pool (a pack value named by exempt_value)
		-- paid the year's final runs and this run's earlier steps
		SELECT x.employee_id, x.pool, sum(x.amount) AS amount
		FROM (SELECT p.employee_id, k.exempt_value AS pool, p.amount
		      FROM past p
		      JOIN xpool k ON k.code = p.code
		      WHERE %3$L
		      UNION ALL
		      SELECT l.employee_id, k.exempt_value, l.amount
		      FROM sofar l
		      JOIN xpool k ON k.code = l.code
		     ) x
		WHERE EXISTS (SELECT 1 FROM c WHERE c.exempt_value IS NOT NULL)
		GROUP BY 1, 2
	), inp AS (
		SELECT i.employee_id, i.code, sum(i.quantity) AS q, sum(i.amount) AS a
		FROM payroll.inputs i
		WHERE i.client_id = $1 AND i.run_kind = ($2).kind
		  AND i.on_date BETWEEN ($2).period_start AND ($2).period_end
		  AND i.code = ANY (%6$L::text[])
		GROUP BY 1, 2
	), pb AS (
		-- the base of the components of several base codes (one of one code
		-- is joined to its line in v0: no sum, no grouping of every line)
		SELECT e.employee_id, c.code,
		       sum(CASE bc WHEN '@taxable' THEN coalesce(t.taxable, 0)
				   WHEN '@gross' THEN coalesce(t.gross, 0)
				   ELSE coalesce(n.v, 0) END) AS now,
		       sum(CASE WHEN c.basis <> 'paid_period' THEN coalesce(y.v, 0) -- 079
				WHEN bc = '@taxable' THEN coalesce(pr.taxable, 0)
				WHEN bc = '@gross' THEN coalesce(pr.gross, 0)
				ELSE coalesce(y.pv, 0) END) AS before
		FROM e
		JOIN c0 c ON (c.country IS NULL OR c.country = e.country) AND cardinality(c.base) > 1
		CROSS JOIN LATERAL unnest(c.base) bc
		LEFT JOIN named n ON n.employee_id = e.employee_id AND n.code = bc
		LEFT JOIN tot t ON t.employee_id = e.employee_id
		LEFT JOIN ytdb y ON y.employee_id = e.employee_id AND y.code = bc
		LEFT JOIN prd pr ON pr.employee_id = e.employee_id
		GROUP BY 1, 2
	), v0 AS (
		-- every line's inputs: the component, the employee's base, inputs,
		-- year to date and pay rate in force
		SELECT e.employee_id, c.code, c.name, c.class, c.method, c.basis, c.taxable,
		       coalesce(c.exempt_ytd, xv.value) AS exempt_ytd, -- 079: a pool's ceiling
		       CASE WHEN c.exempt_value IS NULL THEN o.amount ELSE pl.amount END AS x_before,
		       -- 079: the employee's tax fields (W-4)
		       CASE WHEN c.base_fields IS NULL OR e.fields IS NULL THEN 0
			    ELSE (SELECT coalesce(sum(CASE WHEN left(f, 1) = '-' THEN -1 ELSE 1 END
						      * coalesce((e.fields ->> ltrim(f, '-'))::numeric, 0)), 0)
				  FROM unnest(c.base_fields) f) END AS f_base,
		       coalesce((e.fields ->> c.credit_field)::numeric, 0) AS f_credit,
		       coalesce((e.fields ->> c.extra_field)::numeric, 0) AS f_extra,
		       o.p_amount,
		       c.agency, c.expense_account, c.liability_account,
		       c.amount AS c_amount, c.rate AS c_rate, c.rate_of, c.divisor, c.input_code,
		       c.floor, c.ceiling, c.ytd_from, c.ytd_to, c.table_column, c.los, c.fixeds,
		       c.rates, c.ees, c.ers,
		       CASE WHEN cardinality(c.base) = 1 THEN
				CASE c.base[1] WHEN '@taxable' THEN coalesce(t.taxable, 0)
					       WHEN '@gross' THEN coalesce(t.gross, 0)
					       ELSE coalesce(n.v, 0) END
			    ELSE pb.now END AS now,
		       CASE WHEN cardinality(c.base) > 1 THEN pb.before
			    WHEN c.basis <> 'paid_period' THEN coalesce(y.v, 0) -- 079
			    WHEN c.base[1] = '@taxable' THEN coalesce(pr.taxable, 0)
			    WHEN c.base[1] = '@gross' THEN coalesce(pr.gross, 0)
			    ELSE coalesce(y.pv, 0) END AS before,
		       i.q, i.a,
		       o.amount AS o_amount, o.base AS o_base,
		       CASE WHEN c.method IN ('salary', 'rate_qty') THEN e.rate_kind END AS rate_kind,
		       CASE WHEN c.method IN ('salary', 'rate_qty') THEN e.h_rate END AS h_rate,
		       CASE WHEN c.method IN ('salary', 'rate_qty') THEN e.days_per_year END
			       AS days_per_year,
		       CASE WHEN c.method IN ('salary', 'rate_qty') THEN e.hours_per_day END
			       AS hours_per_day
		FROM e
		JOIN c ON (c.country IS NULL OR c.country = e.country)
			  AND (c.t_variant IS NULL OR c.t_variant = '*'
			       OR c.t_variant = e.filing_status -- 079: + a flag field set
				  || CASE WHEN c.variant_field IS NOT NULL
					   AND coalesce((e.fields ->> c.variant_field)::numeric, 0) <> 0
					  THEN '+' || c.variant_field ELSE '' END)
%7$s
%8$s
%9$s
%10$s
		LEFT JOIN pb ON pb.employee_id = e.employee_id AND pb.code = c.code
%11$s
%12$s
%13$s
%14$s
		-- a fixed or rate x quantity component of an input pays only those
		-- with the input (without, its amount is NULL: no line)
		WHERE c.input_code IS NULL OR c.method NOT IN ('fixed', 'rate_qty')
		   OR i.employee_id IS NOT NULL
	), v AS (
		-- One level per value, each a subquery kept apart by OFFSET 0 and
		-- computed once per line: without them the planner would paste the
		-- expressions into each other, and the amount's expression grew to
		-- megabytes. (A subquery level costs a projection a line; the LATERAL
		-- joins this replaced cost a rescan each.)
		SELECT y.employee_id, y.code, y.name, y.class, y.taxable, y.exempt_ytd, y.agency,
		       y.expense_account, y.liability_account, y.now AS raw,
		       coalesce(y.x_before, 0) AS ytd_amount,
		       (y.ytd_from IS NOT NULL OR y.ytd_to IS NOT NULL) AS banded_rule,
		       CASE WHEN y.method IN ('salary', 'rate_qty') THEN
				coalesce(y.q, CASE WHEN y.method = 'salary' AND y.rate_kind = 'daily'
						   THEN y.days_per_year / $3
						   WHEN y.method = 'salary' AND y.rate_kind = 'hourly'
						   THEN y.days_per_year * y.hours_per_day / $3 END)
		       END AS quantity,
		       CASE y.method WHEN 'salary' THEN y.h_rate WHEN 'rate_qty' THEN y.c_rate
				     WHEN 'percent' THEN y.c_rate WHEN 'brackets' THEN y.rates[y.k] END AS rate,
		       round(CASE y.method
			WHEN 'fixed' THEN CASE WHEN y.input_code IS NULL THEN y.c_amount ELSE y.a END
			WHEN 'salary' THEN
				CASE y.rate_kind
					WHEN 'monthly' THEN y.h_rate * 12 / $3
					WHEN 'daily' THEN y.h_rate * coalesce(y.q, y.days_per_year / $3)
					ELSE y.h_rate * coalesce(y.q, y.days_per_year * y.hours_per_day / $3)
				END
			WHEN 'rate_qty' THEN
				y.c_rate * y.q * CASE y.rate_of
					WHEN 'hourly' THEN CASE y.rate_kind
						WHEN 'hourly' THEN y.h_rate
						WHEN 'daily' THEN y.h_rate / y.hours_per_day
						ELSE y.h_rate * 12 / (y.days_per_year * y.hours_per_day) END
					WHEN 'daily' THEN CASE y.rate_kind
						WHEN 'daily' THEN y.h_rate
						WHEN 'hourly' THEN y.h_rate * y.hours_per_day
						ELSE y.h_rate * 12 / y.days_per_year END
					ELSE 1 END
			ELSE
				-- from the basis back to the period
				CASE y.basis
					WHEN 'monthly' THEN y.fv * 12 / $3
					WHEN 'annual' THEN y.fv / $3
					WHEN 'ytd' THEN y.fv - coalesce(y.o_amount, 0)
					WHEN 'paid_period' THEN y.fv - coalesce(y.p_amount, 0) -- 079
					ELSE y.fv END
			END, 2)
		       + CASE WHEN coalesce(y.now, 0) <> 0 THEN y.f_extra ELSE 0 END AS amount
		FROM (
			-- the amount on the basis, for the methods with a base (079:
			-- less the credits of a credit_field, not below zero)
			SELECT t.*, greatest(CASE WHEN t.f_credit <> 0 THEN 0 END, CASE t.method
				WHEN 'percent' THEN t.bc * t.c_rate / t.divisor
				-- below nothing (large absences, a loan): no tax, no
				-- contribution, not "no table row"
				WHEN 'brackets' THEN CASE WHEN t.bc < 0 THEN 0
					WHEN coalesce(t.k, 0) = 0
					THEN payroll.no_table_row($1, t.employee_id, t.code, t.bc)
					ELSE t.fixeds[t.k] + t.rates[t.k] * (t.bc - t.los[t.k]) END
				WHEN 'range' THEN CASE WHEN t.bc < 0 THEN 0
					WHEN coalesce(t.k, 0) = 0
					THEN payroll.no_table_row($1, t.employee_id, t.code, t.bc)
					WHEN t.table_column = 'ee' THEN t.ees[t.k] ELSE t.ers[t.k] END
			       END - t.f_credit) AS fv
			FROM (
				-- the table row: the last whose lo <= the base (0: none)
				SELECT x.*, width_bucket(x.bc, x.los) AS k
				FROM (
					-- clamped to floor..ceiling (a zero base stays zero)
					SELECT b.*, CASE WHEN b.bb = 0 THEN 0
						    ELSE least(greatest(b.bb, coalesce(b.floor, b.bb)),
							       coalesce(b.ceiling, b.bb)) END AS bc
					FROM (
						-- the base limited to the year's band (wage
						-- bases), converted to the component's basis
						SELECT v0.*, CASE v0.basis
							WHEN 'monthly' THEN bd.banded * $3 / 12
							WHEN 'annual' THEN bd.banded * $3
							WHEN 'ytd' THEN v0.before + bd.banded
							WHEN 'paid_period' THEN v0.before + bd.banded
							ELSE bd.banded END
						       -- 079: fields added to the base (W-4 4(a), 4(b))
						       + CASE WHEN coalesce(v0.now, 0) <> 0 THEN v0.f_base
							      ELSE 0 END AS bb
						FROM (SELECT * FROM v0 OFFSET 0) v0
						CROSS JOIN LATERAL (
							SELECT CASE WHEN v0.ytd_from IS NULL AND v0.ytd_to IS NULL
								    THEN v0.now
								    ELSE greatest(0, least(coalesce(v0.o_base, 0) + v0.now,
											   coalesce(v0.ytd_to, 1e15))
										     - greatest(coalesce(v0.o_base, 0),
												coalesce(v0.ytd_from, 0))) END
								    AS banded
						) bd
						OFFSET 0
					) b
					OFFSET 0
				) x
				OFFSET 0
			) t
			OFFSET 0
		) y
		OFFSET 0
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
	      p_input_codes,
	      -- the joins of what the step reads, each else a row of NULLs of its
	      -- columns' types (a join to nothing is a projection a line)
	      CASE WHEN EXISTS (SELECT 1 FROM unnest(p_base_codes) b WHERE b NOT IN ('@taxable', '@gross'))
		   THEN 'LEFT JOIN named n ON cardinality(c.base) = 1 AND n.employee_id = e.employee_id
				     AND n.code = c.base[1]'
		   ELSE 'CROSS JOIN (SELECT NULL::numeric AS v) n' END,
	      CASE WHEN p_need_tot
		   THEN 'LEFT JOIN tot t ON cardinality(c.base) = 1 AND t.employee_id = e.employee_id'
		   ELSE 'CROSS JOIN (SELECT NULL::numeric AS taxable, NULL::numeric AS gross) t' END,
	      CASE WHEN p_need_ytd
		   THEN 'LEFT JOIN ytdb y ON cardinality(c.base) = 1 AND y.employee_id = e.employee_id
				    AND y.code = c.base[1]'
		   ELSE 'CROSS JOIN (SELECT NULL::numeric AS v, NULL::numeric AS pv) y' END,
	      CASE WHEN p_need_ytd
		   THEN 'LEFT JOIN prd pr ON cardinality(c.base) = 1 AND c.basis = ''paid_period''
				    AND pr.employee_id = e.employee_id'
		   ELSE 'CROSS JOIN (SELECT NULL::numeric AS taxable, NULL::numeric AS gross) pr' END,
	      CASE WHEN cardinality(p_input_codes) > 0
		   THEN 'LEFT JOIN inp i ON i.employee_id = e.employee_id AND i.code = c.input_code'
		   ELSE 'CROSS JOIN (SELECT NULL::bigint AS employee_id, NULL::numeric AS q,
				       NULL::numeric AS a) i' END,
	      CASE WHEN p_need_ytd
		   THEN 'LEFT JOIN own o ON o.employee_id = e.employee_id AND o.code = c.code'
		   ELSE 'CROSS JOIN (SELECT NULL::numeric AS base, NULL::numeric AS amount,
				       NULL::numeric AS p_amount) o' END,
	      CASE WHEN p_need_ytd
		   THEN 'LEFT JOIN pvals xv ON xv.country = e.country AND xv.name = c.exempt_value'
		   ELSE 'CROSS JOIN (SELECT NULL::numeric(14,2) AS value) xv' END,
	      CASE WHEN p_need_ytd
		   THEN 'LEFT JOIN pool pl ON pl.employee_id = e.employee_id AND pl.pool = c.exempt_value'
		   ELSE 'CROSS JOIN (SELECT NULL::numeric AS amount) pl' END)
$function$;
ALTER FUNCTION payroll.compute_step(integer,text,boolean,boolean,text[],text[]) OWNER TO bd_owner;
REVOKE ALL ON FUNCTION payroll.compute_step(integer,text,boolean,boolean,text[],text[]) FROM PUBLIC;
