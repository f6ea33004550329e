#!/bin/bash
# kill -HUP mid-form (the SSH link dropped): backdesk saves the open form as
# a draft and exits within 2 seconds; at the next sign-on the draft is
# offered ("You have an unsaved Client form from HH:MM. Restore?"), Y brings
# back every typed value, including those of the field being typed in, and
# saving it creates the record and drops the draft.
. "$(dirname "$0")/lib.sh"
tui_setup

tui_start d1 -- demo --user admin1
tui_wait d1 "Choose a client"
tui_keys d1 Enter
tui_wait d1 "Main menu"
tui_keys d1 1 Enter
tui_wait d1 "GLOBEX"
tui_keys d1 F6
tui_wait d1 "New client"
tui_type d1 draftco
tui_keys d1 Enter
# The cursor stays in Name: this field was never left.
tui_type d1 "Draft Company"
tui_wait d1 "Name         Draft Company"

pid=$(tui_pid d1)
start=$(date +%s%N)
kill -HUP "$pid"
while kill -0 "$pid" 2>/dev/null; do
	[ $(($(date +%s%N) - start)) -le 2000000000 ] || tui_fail "still running 2 s after SIGHUP"
	sleep 0.02
done
echo "exited $((($(date +%s%N) - start) / 1000000)) ms after SIGHUP"
status=$(tui_exit_status d1)
[ "$status" = 1 ] || tui_fail "exit status $status after SIGHUP, expected 1"
tui_expect_sql "SELECT count(*) FROM core.drafts WHERE login = 'admin1' AND screen = 'admin.client'" 1
tui_expect_sql "SELECT count(*) FROM core.clients WHERE code = 'DRAFTCO'" 0
saved=$(date -d "$(tui_sql "SELECT saved_at FROM core.drafts WHERE login = 'admin1'")" +%H:%M)
tui_kill d1

tui_start d2 -- demo --user admin1
tui_wait d2 "Choose a client"
tui_keys d2 Enter
tui_wait d2 "You have an unsaved Client form from $saved. Restore?"
tui_wait_row d2 23 "Y=Yes N=No"
tui_keys d2 y
tui_wait d2 "New client"
tui_wait_row d2 3 "  Client code  DRAFTCO"
tui_wait_row d2 5 "  Name         Draft Company"
tui_wait_row d2 7 "  Active       Y"
tui_keys d2 F2
tui_wait d2 "Client DRAFTCO created."
tui_expect_sql "SELECT name FROM core.clients WHERE code = 'DRAFTCO'" "Draft Company"
tui_expect_sql "SELECT count(*) FROM core.drafts WHERE login = 'admin1'" 0

# Signing on again offers nothing: the menu comes straight after the client.
tui_kill d2
tui_start d3 -- demo --user admin1
tui_wait d3 "Choose a client"
tui_keys d3 Enter
tui_wait d3 "Main menu"
tui_lacks d3 "unsaved"

# A draft the database refuses (the cap of 20 per operator) is saved in the
# background, but the operator is told on the message line, and the form
# itself still saves.
tui_sql "INSERT INTO core.drafts (login, screen, data)
	 SELECT 'admin1', 'admin.client:FULL' || g, '' FROM generate_series(1, 20) g" >/dev/null
tui_keys d3 1 Enter
tui_wait d3 "GLOBEX"
tui_keys d3 F6
tui_wait d3 "New client"
tui_type d3 capco
tui_keys d3 Enter
tui_wait d3 "You have 20 unfinished forms kept as drafts"
tui_type d3 "Cap Company"
tui_keys d3 F2
tui_wait d3 "Client CAPCO created."
tui_pass draft
