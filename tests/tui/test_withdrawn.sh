#!/bin/bash
# long flow: stops the database or an operator mid-session; the form engine runs under ASan elsewhere
# An operator disabled while at work is told so (issue 15): an admin
# disables clerk1 while clerk1 keys a claim. The database ends clerk1's
# session, the reconnect finds the login refused, and the screen says the
# access was withdrawn (not that the database was lost); Enter ends the
# session cleanly, with the form's draft kept as of its last field.
. "$(dirname "$0")/lib.sh"
tui_setup

csv=$TUI_DIR/w.csv
printf 'external_ref,source\nWD-0001,/scans/test/WD-0001.tif\n' >"$csv"
batch=$(tui_import_claims "$csv" single)

tui_start k1 -- demo --user clerk1
tui_wait k1 "Choose a client"
tui_keys k1 Enter
tui_menu k1 "Key documents"
tui_wait k1 "Ref WD-0001"
tui_type k1 "Withdrawn, Walter"
tui_keys k1 Enter
tui_expect_sql "SELECT position('Withdrawn, Walter' IN data) > 0 FROM core.drafts
	WHERE login = 'clerk1' AND screen = 'entry.document'" t
tui_type k1 "1980-02-03"

"$BD_BINARY" --config "$TUI_CONF" --user admin1 user disable clerk1 >/dev/null ||
	tui_fail "user disable failed"
tui_wait k1 "Your access was withdrawn"
tui_lacks k1 "cannot be reached"
tui_lacks k1 "DB: reconnecting"
tui_keys k1 Enter
status=$(tui_exit_status k1)
[ "$status" = 1 ] || tui_fail "exit status $status, expected 1"
# The draft and the claim are kept for when the login is enabled again.
tui_expect_sql "SELECT position('Withdrawn, Walter' IN data) > 0 FROM core.drafts
	WHERE login = 'clerk1' AND screen = 'entry.document'" t
tui_expect_sql "SELECT claimed_by FROM entry.documents WHERE batch_id = $batch" clerk1
grep -q "access withdrawn" "$TUI_DIR/backdesk.log" || tui_fail "the log does not say why the session ended"
tui_pass withdrawn
