#!/bin/bash
# long flow: waits for a minute's turn to count wakes across it; what it counts is timing, not memory (the same loop runs under ASan in every other TUI test)
# A session at rest does not wake (issue 21, CPU at rest): at the main menu
# with no key pressed, no timer runs (the idle lock and end are deadlines
# minutes away; the status line has no clock to turn), so over 15 s across
# a minute's turn the process sleeps without a single switch
# (voluntary_ctxt_switches in /proc/PID/status). A notification still comes
# at once through the connection's socket: the operator's assignments change
# and the menu follows. So does a claim left open on the keying form.
. "$(dirname "$0")/lib.sh"
tui_setup

tui_start r -- demo --user clerk1
tui_wait r "Choose a client"
tui_keys r Enter
tui_wait r "Main menu"
tui_wait r "Change client (ACME)"
pid=$(tui_pid r)

switches() {
	sed -n 's/^voluntary_ctxt_switches:[[:space:]]*//p' "/proc/$pid/status"
}

# rest_window WHERE [turn]: 15 s without a switch; with `turn` the window
# holds a minute's turn (where a status-line clock would wake the session).
# It starts once the session has
# settled (2 s without a switch): the answer to what came just before (the
# draft's save, seen in the database before the session reads the reply) is
# not rest yet.
rest_window() {
	local woke try s minute before after settled=
	for try in $(seq 10); do
		before=$(switches)
		sleep 2
		[ "$(switches)" = "$before" ] && settled=1 && break
	done
	[ -n "$settled" ] || tui_fail "$1: the session never rested 2 s"
	if [ "${2:-}" = turn ]; then
		until s=$((10#$(date +%S))) && [ "$s" -ge 47 ] && [ "$s" -le 52 ]; do
			sleep 1
		done
	fi
	minute=$(date +%H%M)
	before=$(switches)
	sleep 15
	after=$(switches)
	[ "${2:-}" != turn ] || [ "$(date +%H%M)" != "$minute" ] ||
		tui_fail "$1: the 15 s window did not hold a minute's turn"
	woke=$((after - before))
	[ "$woke" = 0 ] || tui_fail "$1: the session at rest woke $woke times in 15 s"
}

rest_window "main menu" turn

# The notification wakes it: one client left, so no Change client.
"$BD_BINARY" --config "$TUI_CONF" --user admin1 assign clerk1 GLOBEX --remove >/dev/null ||
	tui_fail "assign --remove failed"
tui_wait_gone r "Change client"
tui_has r "Main menu"

# A claim left open on the form: the lease is renewed once a third of it
# (entry.lease_seconds, 300), and a draft goes shortly after a field exit;
# in between, nothing wakes.
printf 'external_ref,source\nRS-0001,/scans/test/RS-0001.tif\n' >"$TUI_DIR/r.csv"
tui_import_claims "$TUI_DIR/r.csv" single >/dev/null
tui_menu r "Key documents"
tui_wait r "Ref RS-0001"
tui_type r "Rest, Rita"
tui_keys r Enter
tui_expect_sql "SELECT position('Rest, Rita' IN data) > 0 FROM core.drafts
	WHERE login = 'clerk1' AND screen = 'entry.document'" t
rest_window "keying form"
tui_pass rest
