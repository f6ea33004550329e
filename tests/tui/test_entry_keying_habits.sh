#!/bin/bash
# What a new keyer tripped on (issue 16), key by key as they typed it:
# - a pre-filled field is typed over by the first character (a full policy
#   number, a priority in a popup, a journal entry's date gone back to);
# - Esc alone is Cancel after a short wait, Esc then a key is that key,
#   Esc closes help;
# - a menu takes a number with Enter, never a digit alone;
# - on TERM=vt100, function keys the terminal description lacks do nothing
#   (their escape sequences are swallowed whole, not typed);
# - Up/Down go to the field above/below on the screen, and pass an empty
#   required field without complaint.
# Each part runs in sessions of its own; TUI_PARTS="menu vt100" runs only
# those parts.
. "$(dirname "$0")/lib.sh"
tui_setup

csv=$TUI_DIR/kh.csv
{
	echo "external_ref,source,policy"
	echo "KH-0001,/scans/kh/KH-0001.tif,AC-10237576"
	echo "KH-0002,/scans/kh/KH-0002.tif,AC-10237576"
} >"$csv"
tui_import_claims "$csv" single >/dev/null

# Runs part $1 when TUI_PARTS is unset or names it.
part() {
	[ -z "${TUI_PARTS:-}" ] || [[ " $TUI_PARTS " == *" $1 "* ]]
}

# --- Esc then a key in the client chooser: that key, not Cancel ----------
if part esc_chooser; then
	tui_start c -- demo --user clerk1
	tui_wait c "Choose a client"
	# One write, as a quick keyer sends them: Esc Down moves, Up comes
	# back, Enter takes ACME. Were Esc Cancel, "Sign off?" would take them.
	tui_keys c Escape Down
	tui_keys c Up Enter
	tui_wait c "Main menu"
	tui_has c "Client: ACME"
	tui_lacks c "Sign off?"
	tui_kill c
fi

# --- menus: a digit waits for Enter --------------------------------------
if part menu; then
	tui_start m -- demo --user clerk3
	tui_wait m "Main menu"
	tui_type m 1
	tui_wait_row m 20 "  Selection ===> 1"
	tui_has m "Main menu"
	tui_keys m Enter
	tui_wait m "Patient name"
	tui_type m "Doe, Jane"
	tui_wait_re m "^  Patient name    Doe, Jane "
	tui_lacks m "is required"
	tui_kill m
fi

# --- the claim: Down passes the empty required name; the pre-filled policy
# is typed over whole (not "Policy no is full"), and what follows lands in
# the right fields; Up/Down go by screen position.
if part prefill; then
	tui_start c -- demo --user clerk1
	tui_wait c "Choose a client"
	tui_keys c Enter
	tui_menu c "Key documents"
	tui_wait_re c "^ Ref KH-000[12] "
	tui_wait_row c 4 "  Policy no       AC-10237576                       Relation       SELF"
	tui_keys c Down
	tui_type c AC12345674
	tui_type c CHILD
	tui_keys c Enter
	tui_type c 2024-06-01
	tui_wait_row c 6 "  Service from    2024-06-01                        Service to"
	tui_wait_row c 4 "  Policy no       AC-12345674                       Relation       CHILD"
	tui_lacks c "is full"
	tui_lacks c "required"
	# Up: the field above (Policy no), not the one before in the tab order
	# (Relation); typed over again.
	tui_keys c Up
	tui_type c AC10237576
	tui_wait_row c 4 "  Policy no       AC-10237576                       Relation       CHILD"
	# Policy no auto-advanced to Relation; Up from there: Date of birth.
	tui_keys c Up
	tui_type c 1980-03-12
	tui_wait_row c 3 "  Patient name                                      Date of birth  1980-03-12"
	# Enter on the empty required name does complain.
	tui_keys c BTab Enter
	tui_wait c "Patient name is required"
	tui_kill c
fi

# --- Esc in a claim: Esc then letters types them; Esc closes help; Esc
# alone, then a pause, is Cancel.
if part esc_claim; then
	tui_start e -- demo --user clerk2
	tui_wait e "Choose a client"
	tui_keys e Enter
	tui_menu e "Key documents"
	tui_wait e "Patient name"
	ref=$(tui_screen e | sed -n 's/^ Ref \([A-Z0-9-]*\) .*/\1/p')
	# Esc then letters, in one write: the letters are typed, nothing
	# cancelled.
	tui_keys e Escape
	tui_type e "Doe, Jane"
	tui_wait_re e "^  Patient name    Doe, Jane "
	tui_has e "Ref $ref"
	# Help: Esc closes it, as its key line says of other keys.
	tui_keys e F1
	tui_wait e "other keys close"
	tui_keys e Escape
	tui_wait_gone e "other keys close"
	tui_has e "Ref $ref"
	# Esc alone, then a pause: Cancel (the claim is kept, back to the menu).
	tui_keys e Escape
	tui_wait e "Main menu"
	tui_wait e "$ref stays yours"
	tui_kill e
fi

# --- TERM=vt100: F12 and F5 send sequences vt100 does not describe ---------
if part vt100; then
	TUI_ENV="TERM=vt100" tui_start v -- demo --user clerk1
	tui_wait v "Choose a client"
	tui_keys v F5
	tui_keys v Enter
	tui_wait v "Main menu"
	tui_lacks v "Sign off?"
	tui_keys v F12 F5 F11
	tui_type v 4
	# The sequences were swallowed: the menu is still there with just "4".
	tui_wait_row v 20 "  Selection ===> 4"
	tui_has v "Main menu"
	tui_kill v
fi

# --- a supervisor's priority popup: 50 typed over 5 is 50 -------------------
if part priority; then
	tui_start s -- demo --user super1
	tui_wait s "Choose a client"
	tui_keys s Enter
	tui_menu s "Queue board"
	tui_wait s "2=Prio"
	tui_wait_re s "^ +claim +[0-9]+ "
	tui_type s 2
	tui_keys s Enter
	tui_wait s "Priority 0-99"
	tui_type s 50
	tui_keys s Enter
	tui_wait_re s "^Batch [0-9]+: priority 50 \\(was [0-9]+\\)"
	b=$(tui_screen s | sed -n 's/^Batch \([0-9]*\): priority 50.*/\1/p')
	tui_expect_sql "SELECT priority FROM entry.batches WHERE batch_id = $b" 50
	tui_kill s
fi

# --- a journal entry's date, gone back to: typed over, not "115/06/202" -----
if part journal_date; then
	tui_start a -- demo --user acct1
	tui_wait a "Choose a client"
	tui_keys a Enter
	tui_menu a "Journal entry"
	tui_wait a "Totals"
	tui_type a 15/06/2024
	tui_keys a Enter
	tui_wait_re a "^ Date +2024-06-15 +Journal"
	tui_keys a BTab
	tui_type a 16/06/2024
	tui_keys a Enter
	tui_wait_re a "^ Date +2024-06-16 +Journal"
	tui_kill a
fi
tui_pass entry_keying_habits
