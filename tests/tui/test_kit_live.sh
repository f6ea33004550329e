#!/bin/bash
# The kit's live refresh coalesces (src/kit/live.c): 150 notifications on
# the client's queue channel, each its own transaction, then a change, make
# the open queue board read again a handful of times (at once, then at most
# every 250 ms, and once more a second after the last), not 150; and the
# board shows the change without a key pressed.
. "$(dirname "$0")/lib.sh"
tui_setup

batch=$(tui_sql "SELECT b.batch_id FROM entry.batches b JOIN core.clients c USING (client_id)
	WHERE c.code = 'GLOBEX' ORDER BY b.batch_id LIMIT 1")
chan=$(tui_sql "SELECT core.channel_name('queue', ch.token) FROM core.client_channels ch
	JOIN core.clients c USING (client_id) WHERE c.code = 'GLOBEX'")
[ -n "$batch" ] && [ -n "$chan" ] || tui_fail "no GLOBEX batch or queue channel"

tui_start sup -- demo --user super1
tui_wait sup "Choose a client"
tui_type sup "GLOBEX"
tui_keys sup Enter
tui_menu sup "Queue board"
tui_wait sup "GLOBEX  live"
tui_wait sup "$batch"
tui_lacks sup "PAUSED"

# As super1, one statement (one transaction) at a time.
{
	for _ in $(seq 150); do
		echo "SELECT pg_notify('$chan', '');"
	done
	echo "SELECT entry.sup_pause($batch, true);"
} | psql -X -q -v ON_ERROR_STOP=1 -d "$TUI_CONNINFO user=super1" -f - >/dev/null ||
	tui_fail "the notifications could not be sent"
tui_wait sup "PAUSED"
tui_pass "the board follows a change by itself"

# Leaving the board closes its listener, which logs what it did.
sleep 1.5 # the trailing read, a second after the last notification
tui_keys sup F3
tui_wait sup "Main menu"
line=$(grep -F "live queue: " "$TUI_DIR/backdesk.log" | tail -1)
notified=$(echo "$line" | sed -n 's/.*live queue: \([0-9]*\) notifications.*/\1/p')
reads=$(echo "$line" | sed -n 's/.*notifications, \([0-9]*\) re-reads.*/\1/p')
[ -n "$notified" ] && [ -n "$reads" ] || tui_fail "no listener line in the log: $line"
[ "$notified" -ge 151 ] || tui_fail "the listener heard $notified of the 151 notifications"
[ "$reads" -ge 1 ] && [ "$reads" -le 12 ] ||
	tui_fail "$notified notifications made $reads re-reads (coalesced: at most 12)"
tui_pass "$notified notifications, $reads re-reads"
