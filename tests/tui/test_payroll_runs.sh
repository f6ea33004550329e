#!/bin/bash
# The Pay runs screen at 80x24 (issue 17's rest): pay2 has the approvals
# inbox open (live); pay1, in another session, makes next month's regular
# run with F6 (the same function as `backdesk payroll run create`): a period
# ending before it starts is refused with the cursor on "Period to"; fixed,
# the run is made; computed (7: "Working" on the status line while it
# waits), its register shows the exceptions as whole
# short codes with their legend (never "no_bank_accoun"); submitted (8),
# it appears in pay2's inbox without a key pressed there (run_submit
# notifies the approvals channel).
. "$(dirname "$0")/lib.sh"
tui_setup

row() {
	tui_screen "$1" | grep -F -- "$2" | head -1
}
cursor() {
	tmux -L "$TUI_SOCKET" display -p -t "$1" '#{cursor_x},#{cursor_y}'
}
# The screen row (0 = the status line) holding TEXT.
row_of() {
	tui_screen "$1" | grep -nF -- "$2" | head -1 | cut -d: -f1 | awk '{ print $1 - 1 }'
}

first=$(tui_sql "SELECT (date_trunc('month', current_date) + interval '1 month')::date")
last=$(tui_sql "SELECT (date_trunc('month', current_date) + interval '2 months' - interval '1 day')::date")

# --- pay2's inbox is open first -------------------------------------------------
tui_start p2 -- demo --user pay2
tui_wait p2 "Choose a client"
tui_type p2 "ACME"
tui_keys p2 Enter
tui_menu p2 "Approvals inbox"
tui_wait p2 "Type option"
tui_wait p2 "all your clients  live"

# --- pay1 makes the run with F6 -------------------------------------------------
tui_start p1 -- demo --user pay1
tui_wait p1 "Choose a client"
tui_type p1 "ACME"
tui_keys p1 Enter
tui_menu p1 "Pay runs"
tui_wait p1 "Type option"
# the list's keys at 80x24 name F6
tui_capture p1
legend=$(printf '%s\n' "${TUI_ROWS[@]}" | grep -F 'F6=Create' | head -1)
[ -n "$legend" ] || tui_fail "no F6 in the Pay runs legend: $TUI_SCREEN"
tui_keys p1 F6
tui_wait p1 "New pay run"
tui_type p1 "monthly"; tui_keys p1 Enter
tui_type p1 "regular"; tui_keys p1 Enter
tui_type p1 "$first"; tui_keys p1 Enter
tui_type p1 "$(tui_sql "SELECT ('$first'::date - 1)::text")"; tui_keys p1 Enter
tui_type p1 "$last"
tui_keys p1 F2
tui_wait p1 "ends on or after its start"
want=$(row_of p1 "Period to")
[ "$(cursor p1 | cut -d, -f2)" = "$want" ] ||
	tui_fail "the cursor is at $(cursor p1), not on Period to (row $want)"
tui_expect_sql "SELECT count(*) FROM payroll.runs WHERE period_start = '$first'" "0"
tui_keys p1 Home C-k
tui_type p1 "$last"
tui_keys p1 F2
tui_wait_re p1 "Pay run [0-9]+ created"
run=$(tui_sql "SELECT r.run_id FROM payroll.runs r JOIN core.clients c USING (client_id)
	WHERE c.code = 'ACME' AND r.period_start = '$first' AND r.period_end = '$last'
	  AND r.pay_date = '$last' AND r.kind = 'regular' AND r.pay_group = 'monthly'
	  AND r.maker = 'pay1'")
[ -n "$run" ] || tui_fail "no run made for $first to $last"
tui_wait p1 "Pay run $run created"

# --- compute it; its register at 80 columns -----------------------------------
tui_wait_re p1 "^ *$run +monthly"
tui_keys p1 F4
tui_type p1 "$run"
tui_keys p1 Enter
tui_wait_re p1 "^ *$run +monthly"
# while the compute waits (here for a lock another session holds on the
# run), the screen stays alive: "Working" on the status line
psql -X -q -d "$TUI_CONNINFO" -c "SET application_name = 'hold_run';
	BEGIN; SELECT 1 FROM payroll.runs WHERE run_id = $run FOR UPDATE;
	SELECT pg_sleep(300)" >/dev/null 2>&1 &
tui_expect_sql "SELECT count(*) FROM pg_stat_activity
	WHERE application_name = 'hold_run' AND wait_event = 'PgSleep'" "1"
tui_type p1 "7"
tui_keys p1 Enter
tui_wait p1 "Working"
tui_lacks p1 "Pay run $run computed"
tui_sql "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
	WHERE application_name = 'hold_run'" >/dev/null
tui_wait p1 "Pay run $run computed"
tui_wait_gone p1 "Working"
tui_keys p1 F4
tui_type p1 "$run"
tui_keys p1 Enter
tui_wait_re p1 "^ *$run +monthly .* draft"
tui_type p1 "5"
tui_keys p1 Enter
tui_wait p1 "Pay run register"
# E1011 has no bank account: BANK whole, and what it means, on the screen
tui_wait p1 "E1011"
row p1 "E1011" | grep -qw "BANK" || tui_fail "E1011's flags: $(row p1 E1011)"
tui_wait p1 "BANK no bank account"
tui_lacks p1 "no_bank_accoun"
tui_keys p1 F3

# --- submit: the inbox shows it without a key ----------------------------------
tui_wait p1 "Type option"
tui_keys p1 F4
tui_type p1 "$run"
tui_keys p1 Enter
tui_wait_re p1 "^ *$run +monthly .* draft"
tui_type p1 "8"
tui_keys p1 Enter
tui_wait p1 "Y=Yes"
tui_type p1 "y"
tui_wait p1 "Pay run $run submitted"
tui_expect_sql "SELECT status FROM payroll.runs WHERE run_id = $run" "submitted"
tui_wait p2 "Pay $run "
tui_pass payroll_runs
