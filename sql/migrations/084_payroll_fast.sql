-- 084_payroll_fast: issue 17, the pay run's cost per line.
--
-- A pay run writes every line once (1.37 million at 100,000 employees of
-- about fifteen components), and each index of payroll.payslip_lines is
-- paid once per line. The table had two: its key (client_id, run_id,
-- employee_id, code, line_for), which every reader of a run's lines uses
-- (register, payslip screen, PDFs, posting sums, remittance, year to date,
-- certificates, the year's past lines), and payslip_lines_employee_idx
-- (client_id, employee_id, code), which one query used: the arrears of
-- payroll.compute_arrears, for what a past run paid (its own line, found by
-- the key) and what arrears lines for it paid since (line_for = that run,
-- in any later run). Those arrears lines are the only lines with line_for
-- <> 0, a few per pay change; the index of them is partial, so a regular
-- line pays its predicate, not an index entry.
--
-- Measured before (2026-12-07 21:15 UTC, load 4-9, BENCH_ONLY=payroll):
-- 100,000 employees, 1,367,992 lines of 136 bytes of heap each, the key
-- 60 bytes and the employee index 40 bytes a line; WAL 413 bytes a line.

DROP INDEX payroll.payslip_lines_employee_idx;
CREATE INDEX payslip_lines_arrears_idx ON payroll.payslip_lines
	(client_id, line_for, employee_id, code) WHERE line_for <> 0;
