#!/bin/bash
# long flow: an end-to-end flow of several operators; its screens run under ASan in the shorter tests
# Double keying end to end, on the real screens and a real database: clerk1
# and clerk2 key the same claim (two terminals) with the patient's name
# different; the second pass is blind; clerk3 adjudicates, seeing the two
# values whole (longer than the entry field; the second longer than a line,
# wrapped) and not who keyed them, and takes the second; the export holds the
# chosen value and the first keyer carries the error. On the way: a check
# digit refused on the message line with the cursor kept, measures stored,
# the draft saved on field exit, a dropped link resuming on the same
# document, and the lease renewed while the form is open.
. "$(dirname "$0")/lib.sh"
tui_setup

# The two patient names: longer than the entry form's field (30 columns),
# and the second longer than the adjudication screen's 57-column line.
name1="Smith, John Alexander Bartholomew Fitzgerald-Hughes"
name2="Smyth, John Alexander Bartholomew Fitzgerald-Hughes Junior"

# A double-keyed batch of one claim, ahead of the demo's batches.
csv=$TUI_DIR/dk.csv
printf 'external_ref,source\nDK-0001,/scans/test/DK-0001.tif\n' >"$csv"
batch=$(tui_import_claims "$csv" double)
state() {
	tui_sql "SELECT state FROM entry.documents WHERE batch_id = $batch"
}

# cursor NAME: "x,y" of the cursor.
cursor() {
	tmux -L "$TUI_SOCKET" display-message -p -t "$1" '#{cursor_x},#{cursor_y}'
}

# key_rest NAME: keys the claim from Relation on, then F2.
key_rest() {
	tui_keys "$1" Enter # SELF, the default
	tui_type "$1" "2024-06-01"
	tui_keys "$1" Enter Enter
	tui_type "$1" "Dr Who"
	tui_keys "$1" Enter
	tui_type "$1" "99213" # auto-advances to Diagnosis
	tui_type "$1" "J20.9"
	tui_keys "$1" Enter
	tui_type "$1" "75.00"
	# Amount, three empty lines, Emergency (left of Total billed on its row)
	for _ in 1 2 3 4 5 6 7 8 9 10 11; do
		tui_keys "$1" Enter
	done
	tui_type "$1" "75.00"
	tui_keys "$1" F2
}

# Clerk 1: two clients, so the client list comes first (ACME is the first row).
tui_start k1 -- demo --user clerk1
tui_wait k1 "Choose a client"
tui_keys k1 Enter
tui_menu k1 "Key documents"
tui_wait k1 "Ref DK-0001"
tui_wait k1 "Pass 1 of 2"
tui_wait k1 "/scans/test/DK-0001.tif"
tui_type k1 "$name1"
tui_keys k1 Enter
tui_type k1 "1980-02-03"
tui_keys k1 Enter
# A wrong check digit: the message says so and the cursor stays in the field.
tui_type k1 "AC10237575"
tui_wait k1 "Policy no check digit is wrong"
[ "$(cursor k1 | cut -d, -f2)" = 4 ] || tui_fail "the cursor left Policy no: $(cursor k1)"
tui_screen k1 | sed -n 23p | grep -q "Policy no check digit is wrong" ||
	tui_fail "the check digit message is not on the message line"
# The draft is saved in the background after a field exit.
tui_expect_sql "SELECT position('$name1' IN data) > 0 FROM core.drafts
	WHERE login = 'clerk1' AND screen = 'entry.document'" t
# The link drops; signing on again resumes the same document with its values.
tmux -L "$TUI_SOCKET" kill-session -t k1
tui_start k1 -- demo --user clerk1
tui_wait k1 "Choose a client"
tui_keys k1 Enter
tui_menu k1 "Key documents"
tui_wait k1 "you were keying this one"
tui_wait k1 "Smith, John"
tui_wait k1 "AC-10237575"
[ "$(cursor k1 | cut -d, -f2)" = 4 ] || tui_fail "not back on Policy no: $(cursor k1)"
tui_keys k1 BSpace
tui_type k1 6 # complete and right: auto-advances to Relation
key_rest k1
tui_wait k1 "DK-0001 submitted."
[ "$(state)" = keyed_once ] || tui_fail "after pass 1 the document is $(state)"
tui_keys k1 F3
tui_wait k1 "Key documents takes you back"

# Clerk 2: the blind second pass, one field different; with the shortest
# lease, which the open form renews while the clerk reads the paper.
tui_start k2 -- --set entry.lease_seconds=10 demo --user clerk2
tui_wait k2 "Choose a client"
tui_keys k2 Enter
tui_menu k2 "Key documents"
tui_wait k2 "Ref DK-0001"
tui_wait k2 "Pass 2 of 2"
! tui_screen k2 | grep -q "Smith" || tui_fail "the second pass shows the first pass's values"
tui_expect_sql "SELECT lease_until > claimed_at + interval '12 seconds' FROM entry.documents
	WHERE batch_id = $batch AND claimed_by = 'clerk2'" t
tui_type k2 "$name2"
tui_keys k2 Enter
tui_type k2 "1980-02-03"
tui_keys k2 Enter
tui_type k2 "AC10237576"
key_rest k2
tui_wait k2 "DK-0001 submitted."
tui_expect_sql "SELECT state FROM entry.documents WHERE batch_id = $batch" adjudication
tui_keys k2 F3

# Measures: both passes stored keystrokes; clerk1's corrections count the
# Backspace made after the link dropped (the draft carried the measures).
[ "$(tui_sql "SELECT count(*) FROM entry.passes WHERE batch_id = $batch AND keystrokes > 20")" = 2 ] ||
	tui_fail "keystrokes were not recorded: $(tui_sql "SELECT pass, keystrokes FROM entry.passes")"
[ "$(tui_sql "SELECT corrections FROM entry.passes WHERE batch_id = $batch AND pass = 1")" = 1 ] ||
	tui_fail "corrections: $(tui_sql "SELECT pass, corrections FROM entry.passes")"

# Clerk 3 adjudicates: the two values, never who keyed them.
tui_start adj -- demo --user clerk3
tui_menu adj "Adjudicate"
tui_wait adj "Adjudicate DK-0001"
tui_wait adj "1 field differs"
# Each value whole after its 1 or 2 (column 20); the second wraps after
# its last space and goes on in the value's column on the next row.
tui_wait_re adj "^  Patient name +1 $name1\$"
tui_capture adj
for ((r = 5; r < 21; r++)); do
	[ "${TUI_ROWS[r]}" = "$(printf '%20s' '')2 ${name2% Junior}" ] && break
done
[ $r -lt 21 ] || tui_fail "the second value is not whole on its own line"
[ "${TUI_ROWS[r + 1]}" = "$(printf '%22s' '')Junior" ] ||
	tui_fail "the second value does not go on in its column: '${TUI_ROWS[r + 1]}'"
# F1 on the field shows both values whole too.
tui_keys adj F1
tui_wait adj "2: $name2"
tui_has adj "1: $name1"
tui_keys adj Escape Escape # Esc Esc is Esc (Esc then a digit is a function key)
tui_wait_gone adj "2: $name2"
tui_screen adj | sed -n '2,22p' | grep -Eq "clerk1|clerk2|Carol|Dan " &&
	tui_fail "the adjudication screen shows who keyed the values"
tui_type adj 2
tui_keys adj F2
tui_wait adj "DK-0001 resolved."
tui_expect_sql "SELECT state FROM entry.documents WHERE batch_id = $batch" done
# The first keyer was wrong on the patient's name.
[ "$(tui_sql "SELECT pass || ':' || field FROM entry.field_errors e
	JOIN entry.documents d USING (client_id, document_id) WHERE d.batch_id = $batch")" = 1:patient ] ||
	tui_fail "errors attributed: $(tui_sql "SELECT pass, field FROM entry.field_errors")"

# The export delivers the chosen value.
export_csv=$("$BD_BINARY" --config "$TUI_CONF" --user super1 batch export "$batch" --format csv 2>&1) ||
	tui_fail "export: $export_csv"
echo "$export_csv" | grep -q "DK-0001" || tui_fail "export lacks the document: $export_csv"
echo "$export_csv" | grep -qF "$name2" || tui_fail "export lacks the chosen value: $export_csv"
echo "$export_csv" | grep -q "Smith" && tui_fail "export holds the rejected value: $export_csv"
tui_pass entry_keying
