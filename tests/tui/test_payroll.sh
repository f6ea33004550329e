#!/bin/bash
# long flow: three operators in turn over a whole pay run
# A pay run from inputs to the ledger, at 80x24: pay1 keys an off-cycle
# run's inputs (this month: its period is open in the ledger) heads-down in
# the grid (a loan repayment bigger than the pay), computes the run and sees
# the exception (negative net, first in the register, and the
# submit refused), fixes the input in the grid, computes again and submits;
# pay2 approves the run in the approvals inbox and sees the final payslip;
# acct1's trial balance shows the run's net pay owed.
. "$(dirname "$0")/lib.sh"
tui_setup

# The row of the screen holding TEXT.
row() {
	tui_screen "$1" | grep -F -- "$2" | head -1
}

# This month's off-cycle run of ACME's monthly employees, made by pay1 (the
# demo's regular run of the month waits for approval already).
run=$(tui_sql "SET SESSION AUTHORIZATION pay1;
	SELECT payroll.run_create('ACME', 'monthly', 'offcycle',
		date_trunc('month', current_date)::date,
		(date_trunc('month', current_date) + interval '1 month' - interval '1 day')::date,
		(date_trunc('month', current_date) + interval '1 month' - interval '1 day')::date)")
[ -n "$run" ] || tui_fail "no run"

# Picks run $run on the runs list and types option $2 beside it.
pick_run() {
	tui_wait "$1" "Type option"
	tui_keys "$1" F4
	tui_type "$1" "$run"
	tui_keys "$1" Enter
	tui_wait_re "$1" "^ *$run +monthly"
	tui_type "$1" "$2"
	tui_keys "$1" Enter
}

# --- pay1 keys the inputs -------------------------------------------------------
tui_start p1 -- demo --user pay1
tui_wait p1 "Choose a client"
tui_type p1 "ACME"
tui_keys p1 Enter
tui_menu p1 "Pay runs"
pick_run p1 2
tui_wait p1 "Period inputs"
# Heads-down: number, code, quantity, amount; Enter moves on, line after line.
tui_type p1 "E1001"; tui_keys p1 Enter
tui_wait p1 "José Reyes" # the name shows as the number is keyed
tui_type p1 "loan"; tui_keys p1 Enter Enter
tui_type p1 "100000"; tui_keys p1 Enter
tui_type p1 "E1002"; tui_keys p1 Enter
tui_type p1 "OT_HOURS"; tui_keys p1 Enter
tui_type p1 "6"; tui_keys p1 Enter Enter
tui_keys p1 F2
tui_wait p1 "2 inputs saved for run $run"
inputs() {
	tui_sql "SELECT string_agg(e.number || ' ' || i.code || ' ' || i.quantity::int || ' ' ||
		i.amount::int, ',' ORDER BY e.number)
		FROM payroll.inputs i JOIN payroll.employees e USING (client_id, employee_id)
		WHERE i.note = 'keyed for pay run $run'"
}
[ "$(inputs)" = "E1001 LOAN 0 100000,E1002 OT_HOURS 6 0" ] || tui_fail "inputs saved: $(inputs)"

# Compute: the run flags one payslip.
pick_run p1 7
tui_wait p1 "Pay run $run computed"
tui_wait_re p1 "^ *$run +monthly .* draft +[0-9]+ +[0-9]+ +1 *$"
# The register puts it first: E1001, negative net.
pick_run p1 5
tui_wait p1 "Pay run register"
row p1 "E1001" | grep -qw "NEG" ||
	tui_fail "the register does not flag E1001: $(row p1 E1001)"
tui_keys p1 F3
# Submitting is refused while it stands.
pick_run p1 8
tui_wait p1 "Y=Yes"
tui_type p1 "y"
tui_wait p1 "negative net pay"
tui_expect_sql "SELECT status FROM payroll.runs WHERE run_id = $run" "draft"

# --- the fix: 1,500.00, not 100,000.00 ---------------------------------------------------
pick_run p1 2
tui_wait p1 "Period inputs"
tui_wait p1 "LOAN"
tui_keys p1 Enter Enter Enter # to line 1's amount
tui_keys p1 Home C-k
tui_type p1 "1500"
tui_keys p1 F2
tui_wait p1 "2 inputs saved for run $run"
[ "$(inputs)" = "E1001 LOAN 0 1500,E1002 OT_HOURS 6 0" ] || tui_fail "inputs saved: $(inputs)"
pick_run p1 7
tui_wait p1 "Pay run $run computed"
tui_wait_re p1 "^ *$run +monthly .* draft +[0-9]+ +[0-9]+ +0 *$"
pick_run p1 8
tui_wait p1 "Y=Yes"
tui_type p1 "y"
tui_wait p1 "submitted: a second payroll person approves it"
tui_expect_sql "SELECT status FROM payroll.runs WHERE run_id = $run" "submitted"
version=$(tui_sql "SELECT version FROM payroll.runs WHERE run_id = $run")
net=$(tui_sql "SELECT to_char(net, 'FM999,999,990.00') FROM payroll.runs WHERE run_id = $run")
tui_keys p1 F10

# --- pay2 approves it in the inbox, then sees the payslip ----------------------------
tui_start p2 -- demo --user pay2
tui_wait p2 "Choose a client"
tui_type p2 "ACME"
tui_keys p2 Enter
tui_menu p2 "Approvals inbox"
tui_wait p2 "Type option"
tui_keys p2 F4
tui_type p2 "$net"
tui_keys p2 Enter
tui_wait p2 "Pay $run "
row p2 "Pay $run " | grep -Eq "Pay $run +$version +pay1 .* $net *$" ||
	tui_fail "the inbox row does not show version $version by pay1: $(row p2 "Pay $run ")"
tui_type p2 "1"
tui_keys p2 Enter
tui_expect_sql "SELECT status || ' ' || approver FROM payroll.runs WHERE run_id = $run" "final pay2"
tui_keys p2 F3
tui_menu p2 "Pay runs"
pick_run p2 5
tui_wait p2 "Pay run register"
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
row p2 "Overtime" | grep -qF "6" || tui_fail "no overtime line: $(row p2 Overtime)"

# --- acct1's trial balance shows what the run owes ------------------------------------
owed=$(tui_sql "SELECT to_char(-sum(l.debit - l.credit), 'FM999,999,990.00')
	FROM ledger.lines l JOIN ledger.accounts a USING (client_id, account_id)
	JOIN ledger.entries e USING (client_id, entry_id) JOIN core.clients c USING (client_id)
	WHERE c.code = 'ACME' AND a.code = '2310' AND e.status = 'posted'")
[ -n "$owed" ] || tui_fail "nothing posted to 2310"
tui_start a1 -- demo --user acct1
tui_wait a1 "Choose a client"
tui_type a1 "ACME"
tui_keys a1 Enter
tui_menu a1 "Ledger reports"
tui_wait a1 "Trial balance"
tui_type a1 "2"; tui_keys a1 Enter
tui_wait a1 "As of date"
tui_keys a1 Home C-k
tui_type a1 "$(tui_sql "SELECT to_char(pay_date, 'YYYY-MM-DD') FROM payroll.runs WHERE run_id = $run")"
tui_keys a1 Enter
tui_wait a1 "Net pay payable"
row a1 "2310" | grep -qF " $owed" ||
	tui_fail "the trial balance does not show 2310 at $owed: $(row a1 2310)"
tui_pass payroll
