#!/bin/bash
# An admin creates a client and an operator through the screens (keys only,
# as typed at an 80x24 terminal), and the rows are in the database: the
# client, the operator with their role and assignments, and the login role.
. "$(dirname "$0")/lib.sh"
tui_setup

tui_start adm -- demo --user admin1
tui_wait adm "Choose a client"
tui_keys adm Enter
tui_wait adm "Main menu"
tui_has adm "1. Clients"
tui_keys adm 1 Enter

# The Clients list; F6 opens an empty client form.
tui_wait adm "Type option, press Enter.  2=Edit  5=Show"
tui_wait adm "GLOBEX"
tui_keys adm F6
tui_wait adm "New client"
tui_wait_row adm 23 "F1=Help F2=Save F3=Exit F4=Prompt F10=Menu F12=Cancel"
tui_type adm newco
tui_keys adm Enter
tui_type adm "New Company Ltd"
tui_wait adm "Client code  NEWCO"
tui_keys adm Enter
tui_wait adm "Name         New Company Ltd"
# Enter on the last field saves (Active keeps its default, Y).
tui_keys adm Enter
tui_wait adm "Client NEWCO created."
tui_wait_re adm "^ +NEWCO +New Company Ltd +Y +0$"
tui_expect_sql "SELECT name || '|' || active FROM core.clients WHERE code = 'NEWCO'" \
	"New Company Ltd|true"
tui_expect_sql "SELECT count(*) FROM core.audit_log WHERE table_name = 'core.clients'
		AND op = 'INSERT' AND actor = 'admin1' AND new->>'code' = 'NEWCO' AND client_id = 0" 1
# ... and opens the client's own chain, so that every client has one
tui_expect_sql "SELECT count(*) FROM core.audit_log l JOIN core.clients c USING (client_id)
		WHERE c.code = 'NEWCO' AND l.seq = 1 AND l.table_name = 'core.clients'" 1

# Back to the menu, then the Operators list and a new operator.
tui_keys adm F3
tui_wait adm "Main menu"
tui_keys adm 2 Enter
tui_wait adm "7=Disable  8=Enable"
tui_wait adm "super1"
tui_keys adm F6
tui_wait adm "New operator"
tui_type adm newop
tui_keys adm Enter
tui_type adm "New Operator"
tui_keys adm Enter
tui_wait adm "Role       clerk"
tui_keys adm Enter
# Clients: one typed (lower case, upshifted), one added from the F4 list.
tui_type adm "acme"
tui_wait adm "Clients    ACME"
tui_keys adm F4
tui_wait adm "add New Company Ltd"
tui_lacks adm "add Acme Health Insurance"
tui_type adm "ACME N"
tui_keys adm Enter
tui_wait adm "Clients    ACME NEWCO"
# F12 asks before dropping the typed values; the form and its title stay
# on the screen under the question, and N goes back to it.
tui_keys adm F12
tui_wait adm "Leave without saving your changes?"
tui_wait_row adm 1 "$(printf '%34s' '')New operator"
tui_has adm "Full name  New Operator"
tui_keys adm n
tui_wait_gone adm "Leave without saving"
tui_wait_row adm 23 "F1=Help F2=Save F3=Exit F4=Prompt F10=Menu F12=Cancel"
tui_wait adm "Clients    ACME NEWCO"
tui_keys adm F2
tui_wait adm "Operator newop created."
tui_wait_re adm "^ +newop +New Operator +clerk +N +ACME NEWCO$"
tui_expect_sql "SELECT full_name || '|' || role || '|' || disabled FROM core.operators
		WHERE login = 'newop'" "New Operator|clerk|false"
tui_expect_sql "SELECT string_agg(c.code, ',' ORDER BY c.code) FROM core.assignments a
		JOIN core.clients c USING (client_id) WHERE a.login = 'newop'" "ACME,NEWCO"
tui_expect_sql "SELECT rolcanlogin FROM pg_roles WHERE rolname = 'newop'" t
# Enable on an operator who is enabled says so, rather than "Done" (issue 16).
tui_type adm newop
tui_type adm 8
tui_keys adm Enter
tui_wait adm "Enable newop?"
tui_keys adm y
tui_wait adm "newop was already enabled: nothing changed"
tui_expect_sql "SELECT disabled FROM core.operators WHERE login = 'newop'" f
# From the command line too.
out=$("$BD_BINARY" --config "$TUI_CONF" --user admin1 user enable newop) ||
	tui_fail "user enable failed"
[ "$out" = "newop was already enabled: nothing changed" ] || tui_fail "user enable printed: $out"

# Sign off: F3 on the menu asks first.
tui_keys adm F3
tui_wait adm "Main menu"
tui_keys adm F3
tui_wait adm "Sign off?"
tui_wait_row adm 1 "$(printf '%35s' '')Main menu"
tui_has adm "2. Operators"
tui_keys adm y
[ "$(tui_exit_status adm)" = 0 ] || tui_fail "signing off did not exit with status 0"
tui_pass admin
