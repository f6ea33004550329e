#!/bin/bash
# long flow: waits out idle timers; the engine's screens run under ASan elsewhere
# After ui.idle_end_minutes without a key the session ends (PCI DSS 8.2.8):
# the lock screen says when it will, then the open form is saved as a draft,
# the program exits with a message, and the next sign-on offers the draft.
# Minutes are three seconds here (ui.idle_minute_seconds), so the test waits
# seconds, not minutes: lock after 2 "minutes" (6 s), end after 4 (12 s).
. "$(dirname "$0")/lib.sh"
tui_setup 'ui = { idle_lock_minutes = 2; idle_end_minutes = 4; idle_minute_seconds = 3; };'

tui_start ie -- demo --user admin1
tui_wait ie "Choose a client"
tui_keys ie Enter
tui_wait ie "Main menu"
tui_keys ie 1 Enter
tui_wait ie "GLOBEX"
tui_keys ie F6
tui_wait ie "New client"
tui_type ie idleco
tui_keys ie Enter
tui_type ie "Idle Company"
tui_wait ie "This terminal was locked after 2 minutes without a key."
tui_wait ie "After 4 minutes without a key the session ends"
status=$(tui_exit_status ie)
[ "$status" = 1 ] || tui_fail "exit status $status after the idle end, expected 1"
tui_has ie "the session ended after 4 minutes without a key"
tui_expect_sql "SELECT count(*) FROM core.drafts WHERE login = 'admin1' AND screen = 'admin.client'" 1
tui_expect_sql "SELECT count(*) FROM core.clients WHERE code = 'IDLECO'" 0
grep -q "admin1: the session ended after 4 idle minutes" "$TUI_DIR/backdesk.log" ||
	tui_fail "the log does not say why the session ended"
tui_kill ie

# A key now and then keeps the session: Enter on the lock screen before the
# end restarts both clocks.
tui_start ik -- demo --user admin1
tui_wait ik "Choose a client"
tui_keys ik Enter
tui_wait ik "unsaved Client form"
tui_keys ik y
tui_wait ik "Name         Idle Company"
tui_wait ik "This terminal was locked after 2 minutes"
tui_keys ik Enter
tui_wait_gone ik "This terminal was locked"
tui_has ik "Name         Idle Company"
tui_keys ik F2
tui_wait ik "Client IDLECO created."
tui_expect_sql "SELECT count(*) FROM core.drafts WHERE login = 'admin1'" 0
tui_pass idle_end
