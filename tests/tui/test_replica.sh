#!/bin/bash
# long flow: starts a streaming standby (pg_basebackup) and stops and starts it under an open session
# Reports from a replica (issue 21): with database.report_conninfo naming a
# real streaming standby of the demo cluster, an accountant's reports read
# from it, and the status line says how far behind it is.
#  - the inquiry's session is on the standby (pg_stat_activity there);
#  - replay paused on the standby, an account added on the primary is not in
#    the inquiry ("No active account matches") and the status line shows the
#    lag; replay resumed, the inquiry finds it and the lag is 0s;
#  - the standby stopped: the report still opens, from the primary, and the
#    status line says "Replica down: primary"; started again, the status line
#    says the replica is back and the next report reads from it.
. "$(dirname "$0")/lib.sh"
tui_setup
tui_standby_start

# inquiry NAME ACCOUNT: the account inquiry for ACCOUNT, from the reports menu.
inquiry() {
	tui_wait "$1" "Ledger reports"
	tui_type "$1" "1"
	tui_keys "$1" Enter
	tui_wait "$1" "From date"
	tui_type "$1" "$2"
	tui_keys "$1" Enter Enter Enter
}
# caught_up NAME: once the standby has replayed all it received, F5 reads the
# report again and the lag is nothing. (The form's draft is saved on the
# primary a moment before the report runs, so the standby may be replaying
# it just then, and the lag read with the report is the age of its last
# replayed transaction.)
caught_up() {
	local end=$((SECONDS + TUI_WAIT_LIMIT))
	until [ "$(tui_standby_sql "SELECT pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn()")" = t ]; do
		[ $SECONDS -lt $end ] || tui_fail "the standby never caught up"
		sleep 0.1
	done
	tui_keys "$1" F5
	tui_wait "$1" "Replica: 0s behind"
}
# back NAME: from the inquiry's list or form to the reports menu.
back() {
	tui_keys "$1" F3
	tui_wait "$1" "From date"
	tui_keys "$1" F3
	tui_wait "$1" "Ledger reports"
}

tui_start a1 -- demo --user acct1 --set "database.report_conninfo=$TUI_STANDBY_CONNINFO"
tui_wait a1 "Choose a client"
tui_type a1 "ACME"
tui_keys a1 Enter
tui_menu a1 "Ledger reports"
inquiry a1 1100
tui_wait a1 "Opening capital"
caught_up a1
# The session reading it is the standby's.
[ "$(tui_standby_sql "SELECT count(*) FROM pg_stat_activity WHERE usename = 'acct1'")" = 1 ] ||
	tui_fail "acct1 has no session on the standby"
back a1

# Replay paused: what the primary has, the standby's report has not yet.
tui_standby_sql "SELECT pg_wal_replay_pause()" >/dev/null
tui_sql "SET SESSION AUTHORIZATION acct1;
	SELECT ledger.account_add('ACME', '9871', 'Replica probe', 'asset', NULL)" >/dev/null
# (WAL received and waiting, a second at least since the last replay)
end=$((SECONDS + TUI_WAIT_LIMIT))
until [ "$(tui_standby_sql "SELECT pg_last_wal_receive_lsn() > pg_last_wal_replay_lsn()
	AND coalesce(now() - pg_last_xact_replay_timestamp() >= interval '1 s', true)")" = t ]; do
	[ $SECONDS -lt $end ] || tui_fail "the standby never received the probe"
	sleep 0.1
done
inquiry a1 9871
tui_wait a1 'No active account matches "9871"'
tui_wait_re a1 "Replica: ([1-9][0-9]*s|[0-9]+m|[0-9]+h[0-9]+m)? ?behind"
tui_lacks a1 "Replica: 0s behind"
tui_keys a1 F3
tui_wait a1 "Ledger reports"

tui_standby_sql "SELECT pg_wal_replay_resume()" >/dev/null
end=$((SECONDS + TUI_WAIT_LIMIT))
until [ "$(tui_standby_sql "SELECT count(*) FROM ledger.accounts WHERE code = '9871'")" = 1 ]; do
	[ $SECONDS -lt $end ] || tui_fail "the standby never replayed the probe"
	sleep 0.1
done
inquiry a1 9871
tui_wait a1 "Opening balance"
tui_wait a1 "Account inquiry          9871 "
caught_up a1
tui_lacks a1 "No active account matches"
back a1

# The standby stopped: the primary serves, and the status line says so.
tui_standby_stop
inquiry a1 1100
tui_wait a1 "Opening capital"
tui_wait a1 "Replica down: primary"
back a1
# Started again: the session finds it by itself, and reports return to it.
tui_standby_start
tui_wait a1 "Replica: back"
inquiry a1 1100
tui_wait a1 "Opening capital"
caught_up a1
[ "$(tui_standby_sql "SELECT count(*) FROM pg_stat_activity WHERE usename = 'acct1'")" = 1 ] ||
	tui_fail "acct1 has no session on the standby after it came back"
back a1

tui_pass "reports from a replica"
