-- Payroll's outputs (the payout part of issue 17): payslips, the bank file,
-- remittances per agency, the register, year to date and the year-end
-- certificate figures. Read as a payroll operator under row security, from
-- the tables of 040_payroll.sql; bank accounts and id numbers come masked
-- (payroll.employee_list) everywhere but the bank file
-- (payroll.bank_payments, audited). $1 is always the client code, $2 a
-- run id or a year; amounts are numeric text with 2 decimals.
-- A year's figures are those of its approved (final) runs by pay date.

-- name: payroll.out_run
-- One run's heading: what every output prints above its rows.
SELECT r.run_id, r.kind, r.pay_group, r.period_start::text AS period_start,
       r.period_end::text AS period_end, r.pay_date::text AS pay_date, r.status, r.version,
       r.maker, r.employees, r.gross, r.deductions, r.net, r.employer,
       cl.code AS client, cl.name AS client_name, coalesce(st.currency, 'PHP') AS currency
FROM payroll.runs r
JOIN core.clients cl ON cl.client_id = r.client_id
LEFT JOIN payroll.settings st ON st.client_id = r.client_id
WHERE r.client_id = core.client_id_of($1::text) AND r.run_id = $2::bigint;

-- name: payroll.out_payslips
-- The run's payslips by employee number ($3 one number, or NULL for all),
-- with the year to date up to and including this run (the approved runs of
-- the pay date's year paid on or before it, and this one).
WITH r AS (
	SELECT client_id, run_id, pay_date
	FROM payroll.runs
	WHERE client_id = core.client_id_of($1::text) AND run_id = $2::bigint
), ytd AS (
	SELECT s.employee_id, sum(s.gross) AS gross, sum(s.deductions) AS deductions,
	       sum(s.net) AS net
	FROM r
	JOIN payroll.runs o ON o.client_id = r.client_id
			   AND date_trunc('year', o.pay_date) = date_trunc('year', r.pay_date)
			   AND (o.run_id = r.run_id OR (o.status = 'final' AND o.pay_date <= r.pay_date))
	JOIN payroll.payslips s ON s.client_id = o.client_id AND s.run_id = o.run_id
	GROUP BY s.employee_id
)
SELECT e.number, e.name, l.tax_id, l.bank_account, s.gross, s.taxable, s.deductions, s.net,
       s.employer, array_to_string(s.exceptions, ' ') AS exceptions,
       y.gross AS ytd_gross, y.deductions AS ytd_deductions, y.net AS ytd_net
FROM r
JOIN payroll.payslips s ON s.client_id = r.client_id AND s.run_id = r.run_id
JOIN payroll.employees e ON e.client_id = s.client_id AND e.employee_id = s.employee_id
JOIN ytd y ON y.employee_id = s.employee_id
LEFT JOIN payroll.employee_list($1::text, NULL::date) l ON l.number = e.number
WHERE $3::text IS NULL OR e.number = $3::text
ORDER BY e.number;

-- name: payroll.out_payslip_lines
-- The run's payslip lines in the order of the payslips ($3 as above): by
-- employee number, earnings, deductions, employer shares, step, code; an
-- arrears line (line_for: the past run it makes up for) says so. ytd is the
-- component's year to date, this run included.
WITH r AS (
	SELECT client_id, run_id, pay_date
	FROM payroll.runs
	WHERE client_id = core.client_id_of($1::text) AND run_id = $2::bigint
), ytd AS (
	SELECT pl.employee_id, pl.code, sum(pl.amount) AS amount
	FROM r
	JOIN payroll.runs o ON o.client_id = r.client_id
			   AND date_trunc('year', o.pay_date) = date_trunc('year', r.pay_date)
			   AND (o.run_id = r.run_id OR (o.status = 'final' AND o.pay_date <= r.pay_date))
	JOIN payroll.payslip_lines pl ON pl.client_id = o.client_id AND pl.run_id = o.run_id
	JOIN payroll.employees e ON e.client_id = pl.client_id AND e.employee_id = pl.employee_id
	WHERE $3::text IS NULL OR e.number = $3::text
	GROUP BY pl.employee_id, pl.code
)
SELECT e.number, pl.code, pl.class,
       CASE WHEN pl.line_for = 0 THEN pl.name
	    ELSE pl.name || ' (arrears, ' || coalesce(o.period_start::text || ' to '
						     || o.period_end::text, 'run ' || pl.line_for)
		 || ')' END AS name,
       CASE WHEN pl.quantity IS NULL OR pl.quantity = 0 THEN ''
	    ELSE trim_scale(pl.quantity)::text END AS quantity,
       pl.amount, CASE WHEN pl.line_for = 0 THEN y.amount END AS ytd
FROM r
JOIN payroll.payslip_lines pl ON pl.client_id = r.client_id AND pl.run_id = r.run_id
JOIN payroll.employees e ON e.client_id = pl.client_id AND e.employee_id = pl.employee_id
JOIN ytd y ON y.employee_id = pl.employee_id AND y.code = pl.code
LEFT JOIN payroll.runs o ON o.client_id = pl.client_id AND o.run_id = pl.line_for
WHERE $3::text IS NULL OR e.number = $3::text
ORDER BY e.number, CASE pl.class WHEN 'earning' THEN 1 WHEN 'deduction' THEN 2 ELSE 3 END,
	 pl.step, pl.code, pl.line_for;

-- name: payroll.out_remittance
-- What the run owes each agency: the employees' shares (deductions) and the
-- employer's, with the liability account they post to.
SELECT pl.agency, count(DISTINCT pl.employee_id) AS employees,
       sum(pl.amount) FILTER (WHERE pl.class = 'deduction') AS employee_share,
       coalesce(sum(pl.amount) FILTER (WHERE pl.class = 'employer'), 0) AS employer_share,
       sum(pl.amount) AS total,
       string_agg(DISTINCT pl.liability_account, ' ') AS liability_account
FROM payroll.payslip_lines pl
WHERE pl.client_id = core.client_id_of($1::text) AND pl.run_id = $2::bigint
  AND pl.agency IS NOT NULL AND pl.class IN ('deduction', 'employer')
GROUP BY pl.agency
ORDER BY pl.agency;

-- name: payroll.out_ytd
-- Year to date per employee for year $2 (approved runs by pay date),
-- through the date $3 (ISO; NULL: the whole year).
SELECT e.number, e.name, count(*) AS runs, sum(s.gross) AS gross, sum(s.taxable) AS taxable,
       sum(s.deductions) AS deductions, sum(s.net) AS net, sum(s.employer) AS employer
FROM payroll.payslips s
JOIN payroll.runs r ON r.client_id = s.client_id AND r.run_id = s.run_id
JOIN payroll.employees e ON e.client_id = s.client_id AND e.employee_id = s.employee_id
WHERE s.client_id = core.client_id_of($1::text) AND r.status = 'final'
  AND r.pay_date >= make_date($2::int, 1, 1) AND r.pay_date < make_date($2::int + 1, 1, 1)
  AND ($3::date IS NULL OR r.pay_date <= $3::date)
GROUP BY e.number, e.name
ORDER BY e.number;

-- name: payroll.out_certificate
-- The figures of an employee's annual tax certificate (the Philippine BIR
-- 2316, a US W-2) for year $2, $3 one employee number or NULL: gross
-- compensation; the non-taxable part (exempt earnings such as the 13th
-- month up to its ceiling, and the mandatory contributions taken off the
-- taxable pay); the taxable compensation; the income tax withheld (the
-- deductions computed by a tax table, method brackets, on the taxable pay,
-- of the pack or the client: not a contribution whose rate depends on a pay
-- band, as Pag-IBIG's); the other contributions withheld per agency; the
-- employer's shares. The tax number comes masked.
WITH c AS (
	SELECT core.client_id_of($1::text) AS client_id
), tax_codes AS (
	SELECT pc.code FROM payroll.pack_components pc
	WHERE pc.class = 'deduction' AND pc.method = 'brackets' AND '@taxable' = ANY (pc.base)
	UNION
	SELECT k.code FROM payroll.components k JOIN c USING (client_id)
	WHERE k.class = 'deduction' AND k.method = 'brackets' AND '@taxable' = ANY (k.base)
), yr AS (
	SELECT r.client_id, r.run_id
	FROM payroll.runs r JOIN c USING (client_id)
	WHERE r.status = 'final' AND r.pay_date >= make_date($2::int, 1, 1)
	  AND r.pay_date < make_date($2::int + 1, 1, 1)
), pay AS (
	SELECT s.employee_id, sum(s.gross) AS gross, sum(s.taxable) AS taxable,
	       sum(s.employer) AS employer
	FROM yr JOIN payroll.payslips s ON s.client_id = yr.client_id AND s.run_id = yr.run_id
	GROUP BY s.employee_id
), lines AS (
	SELECT pl.employee_id,
	       coalesce(sum(pl.amount) FILTER (WHERE pl.is_tax), 0) AS tax_withheld,
	       coalesce(string_agg(pl.agency || ' ' || pl.amount::text, ', ' ORDER BY pl.agency)
			FILTER (WHERE NOT pl.is_tax AND pl.agency IS NOT NULL), '') AS contributions
	FROM (SELECT pl.employee_id, pl.agency, pl.code IN (SELECT code FROM tax_codes) AS is_tax,
		     sum(pl.amount) AS amount
	      FROM yr JOIN payroll.payslip_lines pl ON pl.client_id = yr.client_id
						     AND pl.run_id = yr.run_id
	      WHERE pl.class = 'deduction'
	      GROUP BY 1, 2, 3) pl
	GROUP BY pl.employee_id
)
SELECT e.number, e.name, l.tax_id, $2::int AS year, p.gross, p.gross - p.taxable AS non_taxable,
       p.taxable, coalesce(x.tax_withheld, 0) AS tax_withheld,
       coalesce(x.contributions, '') AS contributions, p.employer AS employer_share
FROM pay p
JOIN payroll.employees e ON e.client_id = (SELECT client_id FROM c) AND e.employee_id = p.employee_id
LEFT JOIN lines x ON x.employee_id = p.employee_id
LEFT JOIN payroll.employee_list($1::text, NULL::date) l ON l.number = e.number
WHERE $3::text IS NULL OR e.number = $3::text
ORDER BY e.number;

-- name: payroll.out_runs
-- The client's pay runs, newest period first, with how many payslips the
-- register flags (the screens' list of runs).
SELECT r.run_id, r.pay_group, r.kind, r.period_start::text AS period_start,
       r.period_end::text AS period_end, r.pay_date::text AS pay_date,
       CASE WHEN r.status = 'draft' AND r.computed_at IS NULL THEN 'to compute'
	    ELSE r.status END AS status,
       r.version, r.maker, r.employees, r.net,
       (SELECT count(*) FROM payroll.payslips s
	WHERE s.client_id = r.client_id AND s.run_id = r.run_id
	  AND cardinality(s.exceptions) > 0) AS flagged
FROM payroll.runs r
WHERE r.client_id = core.client_id_of($1::text)
ORDER BY r.period_start DESC, r.run_id DESC;

-- name: payroll.out_employees
-- The employees of run $2's pay group (number, name): the names the inputs
-- grid shows beside the numbers keyed.
SELECT e.number, e.name
FROM payroll.employees e
JOIN payroll.runs r ON r.client_id = e.client_id AND r.pay_group = e.pay_group
WHERE r.client_id = core.client_id_of($1::text) AND r.run_id = $2::bigint
ORDER BY e.number;

-- name: payroll.out_inputs
-- Run $2's period inputs as the grid shows them (what payroll.inputs_set
-- replaces): those of its kind dated in its period, of its pay group.
SELECT e.number, i.code, CASE WHEN i.quantity = 0 THEN '' ELSE trim_scale(i.quantity)::text END
	AS quantity, CASE WHEN i.amount = 0 THEN '' ELSE i.amount::text END AS amount
FROM payroll.runs r
JOIN payroll.inputs i ON i.client_id = r.client_id AND i.run_kind = r.kind
		     AND i.on_date BETWEEN r.period_start AND r.period_end
JOIN payroll.employees e ON e.client_id = i.client_id AND e.employee_id = i.employee_id
			AND e.pay_group = r.pay_group
WHERE r.client_id = core.client_id_of($1::text) AND r.run_id = $2::bigint
ORDER BY e.number, i.code, i.input_id;

-- name: payroll.out_inputs_set
-- $2 run, $3 the grid's lines as JSON. Returns how many inputs are kept.
SELECT payroll.inputs_set($1::text, $2::bigint, $3::jsonb) AS n;
