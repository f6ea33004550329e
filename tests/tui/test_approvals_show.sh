#!/bin/bash
# The approvals inbox's Show (5) opens each kind's own view, in the row's
# client, not the one chosen at sign-on: pay2, working in GLOBEX, shows
# ACME's pay run waiting in the demo and sees its register (ACME's
# employees, the run's exceptions first) and from it a payslip; acct2,
# working in GLOBEX, shows the journal import acct1 submitted for ACME and
# sees its file, counts and totals per account and currency. Both views are
# read-only: the run and the batch stay waiting.
. "$(dirname "$0")/lib.sh"
tui_setup

# The row of the screen holding TEXT.
row() {
	tui_screen "$1" | grep -F -- "$2" | head -1
}

# --- a pay run ----------------------------------------------------------------
run=$(tui_sql "SELECT r.run_id FROM payroll.runs r JOIN core.clients c USING (client_id)
	WHERE c.code = 'ACME' AND r.status = 'submitted' ORDER BY r.run_id LIMIT 1")
[ -n "$run" ] || tui_fail "the demo has no pay run waiting"

tui_start p2 -- demo --user pay2
tui_wait p2 "Choose a client"
tui_type p2 "GLOBEX"
tui_keys p2 Enter
tui_menu p2 "Approvals inbox"
tui_wait p2 "Type option"
tui_keys p2 F4
tui_type p2 "Pay $run"
tui_keys p2 Enter
tui_wait_re p2 "ACME +Pay $run "
tui_type p2 "5"
tui_keys p2 Enter
tui_wait p2 "Pay run register"
tui_wait p2 "ACME  run $run"
# ACME's register, the flagged first: E1011 has no bank account
tui_wait p2 "E1011"
row p2 "E1011" | grep -qw "BANK" ||
	tui_fail "the register does not flag E1011: $(row p2 E1011)"
first=$(tui_screen p2 | grep -E '^ *E1[0-9]{3} ' | head -1)
echo "$first" | grep -Eqw "BANK|LEFT" ||
	tui_fail "the flagged payslips are not first: $first"
# a payslip from it, still ACME's
tui_keys p2 F4
tui_type p2 "E1002"
tui_keys p2 Enter
tui_wait_re p2 "^ *E1002 "
tui_type p2 "5"
tui_keys p2 Enter
tui_wait p2 "NET PAY"
slip_net=$(tui_sql "SELECT to_char(s.net, 'FM999,999,990.00') FROM payroll.payslips s
	JOIN payroll.employees e USING (client_id, employee_id)
	WHERE s.run_id = $run AND e.number = 'E1002'")
row p2 "NET PAY" | grep -qF " $slip_net" ||
	tui_fail "the payslip's net is not $slip_net: $(row p2 'NET PAY')"
tui_keys p2 F3
tui_wait p2 "Pay run register"
tui_keys p2 F3
tui_wait p2 "Approvals inbox"
tui_expect_sql "SELECT status FROM payroll.runs WHERE run_id = $run" "submitted"
tui_keys p2 F10

# --- a journal import -----------------------------------------------------------
# As the importer writes it, in one transaction: the batch, its lines staged
# (ledger.import_lines, amounts in cents, the header on each entry's first
# line) and submitted.
batch=$(tui_sql "SET SESSION AUTHORIZATION acct1;
	SELECT ledger.import_begin('ACME', 'march-books.journal', '[\"march-books.journal\"]');
	INSERT INTO ledger.import_lines (batch_id, n, line_no, entry_date, journal, reference,
		description, entry_line, account_id, base, file_no, src_line)
	SELECT b.batch_id, v.n, v.line_no, CASE WHEN v.line_no = 1 THEN current_date END,
	       CASE WHEN v.line_no = 1 THEN 'GJ' END, CASE WHEN v.line_no = 1 THEN '' END,
	       v.description, v.entry_line, a.account_id, v.base, 1, v.src_line
	FROM (SELECT max(batch_id) AS batch_id FROM ledger.import_batches
	      WHERE status = 'open' AND maker = 'acct1') b,
	     (VALUES (1, 1, 'March sales', 3, '1100', 15000, 4),
		     (1, 2, NULL, NULL, '4100', -15000, 5),
		     (2, 1, 'March cash sales', 7, '1100', 5025, 8),
		     (2, 2, NULL, NULL, '4100', -5025, 9))
	     v(n, line_no, description, entry_line, code, base, src_line)
	JOIN ledger.accounts a ON a.code = v.code
	JOIN core.clients c ON c.client_id = a.client_id AND c.code = 'ACME';
	SELECT batch_id FROM ledger.import_submit('ACME',
		(SELECT max(batch_id) FROM ledger.import_batches
		 WHERE status = 'open' AND maker = 'acct1'))" | tail -n 1)
[ -n "$batch" ] || tui_fail "no import batch"
tui_expect_sql "SELECT status || ' ' || entries || ' ' || lines FROM ledger.import_batches
	WHERE batch_id = $batch" "submitted 2 4"
cur=$(tui_sql "SELECT ledger.base_currency(client_id) FROM core.clients WHERE code = 'ACME'")

tui_start a2 -- demo --user acct2
tui_wait a2 "Choose a client"
tui_type a2 "GLOBEX"
tui_keys a2 Enter
tui_menu a2 "Approvals inbox"
tui_wait a2 "Type option"
tui_keys a2 F4
tui_type a2 "Import $batch"
tui_keys a2 Enter
tui_wait_re a2 "ACME +Import $batch "
tui_type a2 "5"
tui_keys a2 Enter
tui_wait a2 "Journal import $batch (ACME)"
tui_wait a2 "File: march-books.journal"
tui_wait a2 "2 entries, 4 lines"
row a2 "1100 " | grep -Eq "^ *1100 .* $cur +2 +200\.25 +200\.25 *$" ||
	tui_fail "the batch's 1100 total is not 2 lines, debit 200.25: $(row a2 '1100 ')"
row a2 "4100 " | grep -Eq "^ *4100 .* $cur +2 +200\.25 +-200\.25 *$" ||
	tui_fail "the batch's 4100 total is not 2 lines, credit 200.25: $(row a2 '4100 ')"
tui_keys a2 F3
tui_wait a2 "Approvals inbox"
tui_expect_sql "SELECT status FROM ledger.import_batches WHERE batch_id = $batch" "submitted"
tui_pass approvals_show
