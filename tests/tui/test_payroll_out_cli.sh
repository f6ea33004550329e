#!/bin/bash
# long flow: many CLI runs, each a database connection
# Payroll's output commands on the demo's run, through the binary: no bank
# file before approval; pay2 approves; payslips writes a PDF per payslip
# (with progress) that pdftotext reads; bankfile writes pain.001.001.03
# that xmllint parses with the control sum of the net pay it pays, names
# the employee it cannot pay, and wants the client's account; CSV too;
# remittance, ytd and certificate write CSV; usage errors exit 2.
. "$(dirname "$0")/lib.sh"
tui_setup
bd() { "$BD_BINARY" --config "$TUI_CONF" "$@"; }
W=$TUI_DIR/work
mkdir -p "$W"

# run NAME CMD...: runs backdesk, keeps stdout, stderr and the exit status.
run() {
	local name=$1
	shift
	bd "$@" >"$W/$name.out" 2>"$W/$name.err" && echo 0 >"$W/$name.rc" || echo $? >"$W/$name.rc"
}
expect_rc() { # NAME RC
	[ "$(cat "$W/$1.rc")" = "$2" ] ||
		tui_fail "$1 exited $(cat "$W/$1.rc"), not $2: $(cat "$W/$1.err")"
}

run=$(tui_sql "SELECT run_id FROM payroll.runs WHERE status = 'submitted'")
version=$(tui_sql "SELECT version FROM payroll.runs WHERE run_id = $run")
year=$(tui_sql "SELECT extract(year FROM pay_date) FROM payroll.runs WHERE run_id = $run")

run early --user pay1 payroll bankfile ACME "$run" --format csv
expect_rc early 1
grep -q "not approved" "$W/early.err" || tui_fail "early: $(cat "$W/early.err")"

run approve --user pay2 payroll approve ACME "$run:$version"
expect_rc approve 0

# Payslips: one PDF per payslip, progress on stderr.
run slips --user pay1 payroll payslips ACME "$run" "$W/slips"
expect_rc slips 0
n=$(tui_sql "SELECT count(*) FROM payroll.payslips WHERE run_id = $run")
[ "$(ls "$W/slips" | grep -c '\.pdf$')" = "$n" ] || tui_fail "not $n PDFs in $W/slips"
grep -q "payslips: $n of $n written" "$W/slips.err" || tui_fail "no progress: $(cat "$W/slips.err")"
grep -q "$n payslips written to" "$W/slips.err" || tui_fail "slips: $(cat "$W/slips.err")"
net=$(tui_sql "SELECT to_char(s.net, 'FM999,999,990.00') FROM payroll.payslips s
	JOIN payroll.employees e USING (client_id, employee_id) WHERE run_id = $run AND number = 'E1003'")
pdftotext -enc UTF-8 "$W/slips/E1003.pdf" - | grep -qF "$net" || tui_fail "E1003.pdf lacks $net"

# The bank file: the client's account is asked for; the XML adds up.
run noacct --user pay1 payroll bankfile ACME "$run" --format xml
expect_rc noacct 2
run xml --user pay1 payroll bankfile ACME "$run" --format xml --account 001234567890 \
	--bic BOPIPHMM --out "$W/bank.xml"
expect_rc xml 0
xmllint --noout "$W/bank.xml" || tui_fail "xmllint refused bank.xml"
paid=$(tui_sql "SELECT sum(s.net) FROM payroll.payslips s
	JOIN payroll.employee_private p USING (client_id, employee_id)
	WHERE run_id = $run AND s.net > 0 AND p.bank_account IS NOT NULL")
sums=$(xmllint --xpath "//*[local-name()='CtrlSum']/text()" "$W/bank.xml" | tr '\n' ' ')
[ "$sums" = "$paid $paid " ] || tui_fail "CtrlSum '$sums', net pay paid $paid"
nobank=$(tui_sql "SELECT string_agg(e.number, ' ') FROM payroll.payslips s
	JOIN payroll.employees e USING (client_id, employee_id)
	LEFT JOIN payroll.employee_private p USING (client_id, employee_id)
	WHERE run_id = $run AND s.net > 0 AND p.bank_account IS NULL")
[ -n "$nobank" ] || tui_fail "the demo has no employee without a bank account"
grep -q "no bank account" "$W/xml.err" && grep -q "$nobank" "$W/xml.err" ||
	tui_fail "xml does not name $nobank: $(cat "$W/xml.err")"
run csv --user pay1 payroll bankfile ACME "$run" --format csv --out "$W/bank.csv"
expect_rc csv 0
head -1 "$W/bank.csv" | grep -q '^end_to_end_id,employee_number,name,account,bic,amount' ||
	tui_fail "bank.csv: $(head -1 "$W/bank.csv")"

# Reports as CSV.
run rem --user pay1 payroll remittance ACME "$run"
expect_rc rem 0
grep -q '^SSS,' "$W/rem.out" || tui_fail "remittance: $(cat "$W/rem.out")"
run ytd --user pay1 payroll ytd ACME "$year" --out "$W/ytd.csv"
expect_rc ytd 0
[ "$(($(wc -l <"$W/ytd.csv") - 1))" = "$n" ] || tui_fail "ytd.csv has not $n employees"
run cert --user pay1 payroll certificate ACME "$year" E1003
expect_rc cert 0
grep -q '^E1003,.*,\*\*\*\*' "$W/cert.out" || tui_fail "certificate: $(cat "$W/cert.out")"
run badyear --user pay1 payroll ytd ACME 20x5
expect_rc badyear 2
# An accountant reads no pay.
run acct --user acct1 payroll payslips ACME "$run" "$W/acct"
[ "$(cat "$W/acct.rc")" != 0 ] || tui_fail "acct1 wrote payslips"

# W-4 steps are an employee's tax fields (079): the US pack declares them,
# so a US employee has them and a Philippine one none; "-" clears one.
printf 'number,name,hire_date,pay_group,country,filing_status,rate\nUW4,W Four,2024-01-01,monthly,US,single,5000\n' >"$W/us.csv"
run usimport --user pay1 payroll import employees GLOBEX "$W/us.csv"
expect_rc usimport 0
run w4 --user pay1 payroll field GLOBEX UW4 W4_STEP2 1
expect_rc w4 0
run w4c --user pay1 payroll field GLOBEX UW4 W4_4C 25.50
expect_rc w4c 0
tui_expect_sql "SELECT string_agg(f.field || '=' || f.value, ' ' ORDER BY f.field)
	FROM payroll.employee_fields f JOIN payroll.employees e USING (client_id, employee_id)
	WHERE e.number = 'UW4'" "W4_4C=25.50 W4_STEP2=1.00"
run w4clear --user pay1 payroll field GLOBEX UW4 W4_4C -
expect_rc w4clear 0
tui_expect_sql "SELECT count(*) FROM payroll.employee_fields f JOIN payroll.employees e
	USING (client_id, employee_id) WHERE e.number = 'UW4'" "1"
run w4ph --user pay1 payroll field ACME E1001 W4_STEP2 1
expect_rc w4ph 1
grep -q "no tax field W4_STEP2" "$W/w4ph.err" || tui_fail "w4ph: $(cat "$W/w4ph.err")"
tui_pass payroll_out_cli
