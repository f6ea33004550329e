-- 078_hardening: what an outside tester's attack on the modules of issues
-- 17-20 found (tests/db/test_attacks_modules.c replays each attack).
--
-- * A pay run's four eyes: the maker of a run was only the operator who
--   created it, so a second payroll operator could key inputs, compute the
--   run, submit it and approve it alone (maker <> approver held, yet nobody
--   else saw the figures). Runs now record who computed and who submitted
--   them (computed_by, submitted_by, kept by the trigger runs_hands whatever
--   function writes the row), and nobody who made, computed or submitted a
--   run may approve it.
-- * Exchange rates were not audited: a keyed rate could be changed back and
--   forth (revaluations and imports read it) with only the last hand in
--   changed_by. ledger.rates now has the client's audit trail.
-- * The bank file paid the bank account an employee has when the file is
--   made, not the one of the approved run: a payroll operator could change
--   an account after approval and the bank file paid the new one.
--   payroll.run_accounts holds the accounts a run pays, written by
--   payroll.run_compute with its payslips (so the approved version covers
--   them) and read by payroll.bank_payments; granted to no one, like
--   payroll.employee_private; filled below for the runs computed before.
--   (test_bank_file_pays_the_approved_accounts.)

ALTER TABLE payroll.runs
	ADD COLUMN computed_by text,
	ADD COLUMN submitted_by text;

SET ROLE bd_owner;
CREATE FUNCTION payroll.runs_hands() RETURNS trigger LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp AS $$ BEGIN RETURN NEW; END $$;

CREATE TABLE payroll.run_accounts (
	client_id    integer NOT NULL,
	run_id       bigint NOT NULL,
	employee_id  bigint NOT NULL,
	bank_name    text,
	bank_bic     text,
	bank_account text,
	PRIMARY KEY (client_id, run_id, employee_id),
	FOREIGN KEY (client_id, run_id, employee_id)
		REFERENCES payroll.payslips (client_id, run_id, employee_id) ON DELETE CASCADE
);
RESET ROLE;

-- Before runs_version (triggers fire in name order), after runs_guard.
CREATE TRIGGER runs_hands BEFORE UPDATE ON payroll.runs
	FOR EACH ROW WHEN (OLD.status <> 'final') EXECUTE FUNCTION payroll.runs_hands();

SELECT core.tenant_table('payroll.run_accounts', ARRAY[]::text[], false);
CREATE TRIGGER run_accounts_guard_ins AFTER INSERT ON payroll.run_accounts
	REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION payroll.payslips_guard();
CREATE TRIGGER run_accounts_guard_upd AFTER UPDATE ON payroll.run_accounts
	REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION payroll.payslips_guard();
CREATE TRIGGER run_accounts_guard_del AFTER DELETE ON payroll.run_accounts
	REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION payroll.payslips_guard();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON payroll.run_accounts
	FOR EACH STATEMENT EXECUTE FUNCTION core.audit_refuse();

SELECT core.audit_attach('ledger.rates');

-- The runs computed before: the accounts they would pay today (final runs
-- too, their guard off for this once).
ALTER TABLE payroll.run_accounts DISABLE TRIGGER run_accounts_guard_ins;
INSERT INTO payroll.run_accounts (client_id, run_id, employee_id, bank_name, bank_bic,
				  bank_account)
SELECT s.client_id, s.run_id, s.employee_id, v.bank_name, v.bank_bic, v.bank_account
FROM payroll.payslips s
JOIN payroll.employee_private v ON v.client_id = s.client_id AND v.employee_id = s.employee_id;
ALTER TABLE payroll.run_accounts ENABLE TRIGGER run_accounts_guard_ins;
