-- 072_payroll_speed: the pay run computes in one statement (issue 17's
-- speed goals).
--
-- payroll.run_compute chains the rule layers as CTEs of one statement that
-- writes every payslip line once (sql/functions/payroll/); the step and
-- arrears functions now return their layer's SQL, so the old signatures
-- go (IF EXISTS: a new database gets the files after the migrations).
-- runs.posting: the run's lines summed per class, code, name, accounts and
-- agency, written by run_compute with the lines; payroll.run_approve posts
-- from it instead of reading every line again (NULL for a run last
-- computed before this migration: approve sums its lines then).

DROP FUNCTION IF EXISTS payroll.compute_step(integer, payroll.runs, integer);
DROP FUNCTION IF EXISTS payroll.compute_arrears(integer, payroll.runs, integer);

ALTER TABLE payroll.runs ADD COLUMN posting jsonb;
