-- Payroll (040_payroll.sql, sql/functions/payroll/). $1 is always the client
-- code; CSV imports send the file's records as a JSON array of
-- {"_line": n, "<heading>": "<cell>"} and are refused whole with
-- "FILE:LINE: reason". Only bd_payroll operators get rows or results.

-- name: payroll.import_employees
-- $2 the file's name (for messages), $3 the records. Returns how many.
SELECT payroll.import_employees($1::text, $2::text, $3::jsonb) AS n;

-- name: payroll.import_pay
SELECT payroll.import_pay($1::text, $2::text, $3::jsonb) AS n;

-- name: payroll.import_inputs
SELECT payroll.import_inputs($1::text, $2::text, $3::jsonb) AS n;

-- name: payroll.import_components
SELECT payroll.import_components($1::text, $2::text, $3::jsonb) AS n;

-- name: payroll.pack_load
-- $1 the file's name, $2 the records. Returns how many components and rows.
SELECT payroll.pack_load($1::text, $2::jsonb) AS n;

-- name: payroll.employee_list
-- Masked ids and bank account; $2 the date the pay and assignment are as of
-- (NULL: today).
SELECT * FROM payroll.employee_list($1::text, $2::date);

-- name: payroll.reveal
-- $2 employee number, $3 field. Audited.
SELECT payroll.reveal($1::text, $2::text, $3::text) AS value;

-- name: payroll.settings_set
-- $2 net pay account, $3 salary expense, $4 employer contributions expense,
-- $5 alert percent, $6 currency.
SELECT payroll.settings_set($1::text, $2::text, $3::text, $4::text, $5::numeric, $6::text);

-- name: payroll.agency_account_set
SELECT payroll.agency_account_set($1::text, $2::text, $3::text);

-- name: payroll.employee_field_set
-- Employee $2's tax field $3 (one the pack of their country declares: the
-- US W-4's W4_STEP2, W4_STEP3, W4_4A, W4_4B, W4_4C) set to $4, or cleared
-- when $4 is NULL.
SELECT payroll.employee_field_set($1::text, $2::text, $3::text, $4::numeric);

-- name: payroll.run_create
-- $2 pay group, $3 kind, $4 period start, $5 period end, $6 pay date.
SELECT payroll.run_create($1::text, $2::text, $3::text, $4::date, $5::date, $6::date) AS run_id;

-- name: payroll.run_compute
SELECT payroll.run_compute($1::text, $2::bigint) AS payslips;

-- name: payroll.run_compute_begin
-- A run computed in parts, each in a session of its own (088):
-- $3 sessions at most, $4 employees at least per part.
SELECT version, parts FROM payroll.run_compute_begin($1::text, $2::bigint, $3::integer, $4::integer);

-- name: payroll.run_compute_part
SELECT payroll.run_compute_part($1::text, $2::bigint, $3::bigint, $4::integer) AS payslips;

-- name: payroll.run_compute_end
SELECT payroll.run_compute_end($1::text, $2::bigint, $3::bigint) AS payslips;

-- name: payroll.run_submit
-- $3 the version the maker looked at; returns the version to approve.
SELECT payroll.run_submit($1::text, $2::bigint, $3::bigint) AS version;

-- name: payroll.run_approve
-- Through the one approval dispatch: $2 run, $3 the version seen.
SELECT approvals.approve('payroll.run', $1::text, $2::bigint, $3::bigint) AS entry;

-- name: payroll.run_reject
SELECT approvals.reject('payroll.run', $1::text, $2::bigint, $3::bigint, $4::text);

-- name: payroll.run_list
SELECT r.run_id, r.pay_group, r.kind, r.period_start, r.period_end, r.pay_date, r.status,
       r.version, r.maker, r.approver, r.employees, r.gross, r.deductions, r.net, r.employer,
       r.reject_reason
FROM payroll.runs r
WHERE r.client_id = core.client_id_of($1::text)
ORDER BY r.period_end DESC, r.run_id DESC;

-- name: payroll.register
-- The run's register (the screen payroll.register, `backdesk payroll
-- register`): a row per payslip of run $2, those the run flagged first
-- (negative_net, net_changed, no_bank_account, left_but_paid), then by number.
SELECT e.number, e.name, s.gross, s.taxable, s.deductions, s.net, s.employer,
       array_to_string(s.exceptions, ' ') AS exceptions
FROM payroll.payslips s
JOIN payroll.employees e ON e.client_id = s.client_id AND e.employee_id = s.employee_id
WHERE s.client_id = core.client_id_of($1::text) AND s.run_id = $2::bigint
ORDER BY cardinality(s.exceptions) = 0, e.number;

-- name: payroll.payslip
-- The lines of employee $3's payslip in run $2.
SELECT l.code, l.name, l.class, l.line_for, l.base, l.quantity, l.rate, l.amount,
       l.taxable_amount
FROM payroll.payslip_lines l
JOIN payroll.employees e ON e.client_id = l.client_id AND e.employee_id = l.employee_id
WHERE l.client_id = core.client_id_of($1::text) AND l.run_id = $2::bigint
  AND e.number = $3::text
ORDER BY l.step, l.class, l.code, l.line_for;

-- name: payroll.bank_payments
-- The one unmasked export (audited): the payments of final run $2.
SELECT * FROM payroll.bank_payments($1::text, $2::bigint);
