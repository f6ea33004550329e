#!/bin/bash
# Recurring entries from the ledger menu: F6 makes one from an existing
# entry (CAP-1), monthly on the 31st; 7 posts what is due through March 31st
# (January 31st, February's last day, March 31st), each submitted for
# approval; posting again makes nothing.
. "$(dirname "$0")/lib.sh"
tui_setup

Y=$(tui_sql "SELECT extract(year FROM current_date)::int")
ENTRY=$(tui_sql "SELECT e.entry_id FROM ledger.entries e JOIN core.clients c USING (client_id)
	WHERE c.code = 'ACME' AND e.reference = 'CAP-1'")
FEB=$(tui_sql "SELECT (make_date($Y, 3, 1) - 1)::text")

tui_start a1 -- demo --user acct1
tui_wait a1 "Choose a client"
tui_type a1 "ACME"
tui_keys a1 Enter
tui_menu a1 "Recurring entries"
tui_wait a1 "Next due"
tui_keys a1 F6
tui_wait a1 "Entry id to repeat"
tui_type a1 "$ENTRY"
tui_keys a1 Enter
tui_wait a1 "Name of the recurring entry"
tui_type a1 "Capital"
tui_keys a1 Enter
tui_wait a1 "Every month, quarter or year"
tui_keys a1 Enter
tui_wait a1 "First date"
tui_type a1 "$Y-01-31"
tui_keys a1 Enter
tui_wait a1 "Day of the month"
tui_type a1 "31"
tui_keys a1 Enter
tui_wait a1 "Last date"
tui_keys a1 Enter
tui_wait a1 "Recurring entry Capital added"
tui_wait_re a1 "Capital +month +31 +$Y-01-31"
tui_type a1 "7"
tui_keys a1 Enter
tui_wait a1 "Post the entries due through"
tui_type a1 "$Y-03-31"
tui_keys a1 Enter
tui_wait a1 "3 recurring entries made through $Y-03-31, waiting for approval"
tui_wait_re a1 "Capital +month +31 +$Y-01-31 .* +$Y-04-30"
tui_expect_sql "SELECT string_agg(e.entry_date || '/' || e.status, ' ' ORDER BY e.entry_date)
	FROM ledger.recurring_posts p JOIN ledger.entries e USING (client_id, entry_id)" \
	"$Y-01-31/submitted $FEB/submitted $Y-03-31/submitted"
# again: nothing new
tui_type a1 "7"
tui_keys a1 Enter
tui_wait a1 "Post the entries due through"
tui_type a1 "$Y-03-31"
tui_keys a1 Enter
tui_wait a1 "Nothing due through $Y-03-31"
tui_expect_sql "SELECT count(*) FROM ledger.recurring_posts" "3"
tui_pass ledger_recurring
