#!/bin/bash
# Lists, lookups, messages and help (issue 16):
# - a list keeps its row after an action on it, and an option code typed
#   after a search goes beside the row found (not into the search);
# - a lookup popup finds a row by a word of its name and shows that more
#   rows lie below;
# - a message wider than the screen says so, and F1 shows it whole;
# - help lists only the keys that work on the screen, and date fields the
#   formats accepted.
# TUI_PARTS="list_place lookup" runs only those parts.
. "$(dirname "$0")/lib.sh"
tui_setup

part() {
	[ -z "${TUI_PARTS:-}" ] || [[ " $TUI_PARTS " == *" $1 "* ]]
}

disabled() {
	tui_sql "SELECT disabled FROM core.operators WHERE login = '$1'"
}

# --- the operators list: search, option, and the place kept ----------------
if part list_place; then
	tui_start ad -- demo --user admin1
	tui_wait ad "Choose a client"
	tui_keys ad Enter
	tui_menu ad "Operators"
	tui_wait ad "7=Disable  8=Enable"
	# Down to clerk3 (the sixth row), 7 beside it: disabled.
	tui_keys ad Down Down Down Down Down
	tui_type ad 7
	tui_wait_re ad "^ 7 +clerk3 "
	tui_keys ad Enter
	tui_wait ad "Disable clerk3?"
	tui_type ad y
	tui_wait ad "Done: Disable clerk3."
	tui_expect_sql "SELECT disabled FROM core.operators WHERE login = 'clerk3'" t
	# The list came back on clerk3: 8 goes beside it, not beside acct1.
	tui_type ad 8
	tui_wait_re ad "^ 8 +clerk3 "
	tui_keys ad Enter
	tui_wait ad "Enable clerk3?"
	tui_type ad y
	tui_wait ad "Done: Enable clerk3."
	tui_expect_sql "SELECT disabled FROM core.operators WHERE login = 'clerk3'" f
	# Back at the top, "clerk2" searches; 7 finds no "clerk27": it is the
	# option beside clerk2, and the search ends.
	tui_keys ad Home
	tui_type ad clerk2
	tui_wait ad "Search: clerk2"
	tui_type ad 7
	tui_wait_re ad "^ 7 +clerk2 "
	tui_lacks ad "Search: clerk2"
	tui_keys ad Enter
	tui_wait ad "Disable clerk2?"
	tui_type ad y
	tui_wait ad "Done: Disable clerk2."
	tui_expect_sql "SELECT disabled FROM core.operators WHERE login = 'clerk2'" t
	[ "$(disabled acct1)" = f ] || tui_fail "acct1 was touched"
	[ "$(disabled clerk3)" = f ] || tui_fail "clerk3 is disabled"
	# Help lists what works on a list, not a form's keys.
	tui_keys ad F1
	tui_wait ad "Keys on this screen:"
	tui_has ad "Show only the rows containing a text"
	tui_lacks ad "Reject or skip"
	tui_lacks ad "Save or submit"
	tui_keys ad q
	tui_wait_gone ad "Keys on this screen:"
	tui_kill ad
fi

# --- the menu's help: its own keys, none of a list's or a form's ----------
if part menu_help; then
	tui_start ad -- demo --user admin1
	tui_wait ad "Choose a client"
	tui_keys ad Enter
	tui_wait ad "Main menu"
	tui_keys ad F1
	tui_wait ad "Keys on this screen:"
	tui_has ad "Take the entry typed or highlighted"
	tui_lacks ad "Show only the rows"
	tui_lacks ad "Copy this field"
	tui_lacks ad "Reject or skip"
	tui_keys ad q
	tui_wait_gone ad "Keys on this screen:"
	tui_kill ad
fi

# --- a message too long for its line -----------------------------------------
if part long_message; then
	tui_start c -- demo --user clerk1
	tui_wait c "Choose a client"
	tui_keys c Enter
	tui_menu c "Key documents"
	tui_wait c "Patient name"
	tui_start s -- demo --user super1
	tui_wait s "Choose a client"
	tui_keys s Enter
	tui_menu s "Claims"
	tui_wait s "4=Release"
	tui_wait_re s "^ +[0-9]+ [A-Z0-9-]+ +claim .*clerk1"
	tui_type s 4
	tui_keys s Enter
	tui_wait s "Release "
	tui_wait_re s "^Why [A-Z0-9-]+ loses it .*\.\.\.F1=All$"
	tui_keys s F1
	tui_wait s "F12 keeps it with clerk1"
	tui_keys s q
	tui_wait_gone s "F12 keeps it with clerk1"
	tui_keys s F12
	tui_wait_gone s "Release "
	tui_kill s
	tui_kill c

fi

# --- the journal entry: date help, a lookup by a word of the name ------------
if part lookup; then
	tui_start a -- demo --user acct1
	tui_wait a "Choose a client"
	tui_keys a Enter
	tui_menu a "Journal entry"
	tui_wait a "Totals"
	tui_keys a Enter Enter Enter
	tui_type a "Rent for June"
	tui_keys a Enter
	tui_keys a F4
	tui_wait_re a "of [0-9]+ More\.\.\."
	tui_type a rent
	tui_wait a "Search: rent"
	tui_keys a Enter
	tui_wait_re a "^  1 5300 *$"
	tui_keys a Enter
	tui_wait_re a "^  1 5300 +Rent *$"
	# The date's help: the formats it takes; no key that does nothing here.
	tui_keys a BTab BTab BTab BTab BTab
	tui_keys a F1
	tui_wait a "Keys on this screen:"
	tui_wait a "DD/MM/YYYY, DDMMYYYY or YYYY-MM-DD"
	tui_lacks a "Read the data again"
	tui_keys a q
	tui_wait_gone a "Keys on this screen:"
fi
tui_pass lists_help
