#!/bin/bash
# A client whose name holds escape sequences (clear screen, cursor home,
# colour, a window title), a carriage return, a backspace, a BEL and U+202E
# (right-to-left override) is drawn harmlessly: each control shows as a
# visible mark, the row is cut at its column, and every other row of the
# screen is exactly as it was before the record existed.
. "$(dirname "$0")/lib.sh"
tui_setup

tui_start hos -- demo --user admin1
tui_wait hos "Choose a client"
tui_keys hos Enter
tui_wait hos "Main menu"
tui_keys hos 1 Enter
tui_wait_re hos "^ +GLOBEX +Globex Supplies +Y"
before=$(tui_screen hos)
title_before=$(tmux -L "$TUI_SOCKET" display-message -p -t hos '#{pane_title}')

# The database refuses such a name since 030_security.sql; one stored
# before (its check is NOT VALID for old rows) must still draw harmlessly,
# so the record is made as such a row was: inserted behind the screen's
# back with the check out of the way.
evil="E'Evil\\x1b[2J\\x1b[H\\x1b[31mRED\\r\\bX\\u202Eevil\\x1b]0;pwned\\x07 end'"
refused=$(tui_sql "SELECT core.client_add('EVIL', $evil)" 2>&1 || true)
echo "$refused" | grep -q "A client name may not contain control characters" ||
	tui_fail "client_add stored control characters: $refused"
tui_sql "ALTER TABLE core.clients DROP CONSTRAINT clients_name_plain;
	INSERT INTO core.clients (code, name) VALUES ('EVIL', $evil);
	ALTER TABLE core.clients ADD CONSTRAINT clients_name_plain
		CHECK (core.plain_text(name, 'A client name')) NOT VALID" >/dev/null
tui_keys hos F5
# Control pictures for ESC, CR, BS; U+FFFD for the bidi override; cut at
# the Name column's 36 cells, then the Active and Operators columns.
tui_wait_row hos 6 "     EVIL             Evil␛[2J␛[H␛[31mRED␍␈X�evil␛]0;pwned Y      0"
after=$(tui_screen hos)

# Every other row is unchanged: the new screen less the new row 6 is the old
# one less its row 7 (blank: the first free row, where GLOBEX moved down).
[ -z "$(echo "$before" | sed -n 8p)" ] || tui_fail "row 7 was not free before"
[ "$(echo "$after" | sed 7d)" = "$(echo "$before" | sed 8d)" ] ||
	tui_fail "the rows around the hostile record changed:
--- before ---
$before
--- after ---
$after"
tui_wait_row hos 23 "F1=Help F3=Exit F4=Filter F5=Refresh F6=Create F10=Menu F11=Sort F12=Cancel"
tui_wait_re hos "^ admin1 Ada Admin \(admin\)  Client: ACME  DB: ok *$"
tui_wait_row hos 5 "     ACME             Acme Health Insurance                Y      9"
tui_wait_row hos 7 "     GLOBEX           Globex Supplies                      Y      9"
title_after=$(tmux -L "$TUI_SOCKET" display-message -p -t hos '#{pane_title}')
[ "$title_after" = "$title_before" ] || tui_fail "the window title changed to '$title_after'"

# Option 5 shows the record in a form: the Name field (50 cells) holds the
# rest of it, BEL included, and the labels around it are intact.
tui_keys hos Down
tui_type hos 5
tui_keys hos Enter
tui_wait hos "Client EVIL"
tui_wait_row hos 3 "  Client code  EVIL"
tui_wait_row hos 5 "  Name         Evil␛[2J␛[H␛[31mRED␍␈X�evil␛]0;pwned␇ end"
tui_wait_row hos 7 "  Active       Y"
tui_wait_row hos 23 "F1=Help F3=Exit F10=Menu F12=Cancel"
tui_wait_re hos "^ admin1 Ada Admin \(admin\)  Client: ACME  DB: ok *$"
tui_keys hos F3
tui_wait_row hos 6 "     EVIL             Evil␛[2J␛[H␛[31mRED␍␈X�evil␛]0;pwned Y      0"
tui_pass hostile
