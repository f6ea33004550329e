#!/bin/bash
# long flow: an end-to-end flow of several operators; its screens run under ASan in the shorter tests
# Type-ahead is deterministic: the keys for ten documents, sent to the
# clerk's terminal in one burst before the first form is drawn, leave the
# database exactly as the same keys sent one at a time, each after the
# screen it is meant for is up. Two runs on two fresh demo databases; the
# export of the batch and the keying measures must be identical.
#
# The ten documents use auto-advance, Dup, a check digit refused and
# corrected, a correction with Backspace, F4 lookup, a total the database
# refuses on submit (then corrected), a reject with reason and note, a skip
# with a note, and choice and flag fields.
. "$(dirname "$0")/lib.sh"

OUT=$(mktemp -d /tmp/bdtypeahead-XXXXXX)

# The key script: K:<tmux key>, T:<text typed>, W:<text to wait for before
# the next key when keys go one at a time; ignored in the burst>.
TOK=()
k() { for a in "$@"; do TOK+=("K:$a"); done; }
t() { TOK+=("T:$1"); }
w() { TOK+=("W:$1"); }

# From Relation (after the policy auto-advanced) to the end: service dates,
# provider, one line, Emergency (row by row: it is left of Total billed),
# the total, F2.
rest() { # FROM PROC DIAG AMOUNT
	k Enter # Relation: SELF
	t "$1"
	k Enter Enter
	t "Clinic North"
	k Enter
	t "$2" # auto-advances
	t "$3"
	k Enter
	t "$4"
	k Enter Enter Enter Enter Enter Enter Enter Enter Enter Enter Enter
	t "$4"
	k F2
}

w "Ref TA-01" # a procedure code not in the client's list, refused on F2
t "Smith, John"; k Enter; t "1980-02-03"; k Enter; t "AC10237576"
rest 2024-06-01 11111 J20.9 75.00
w "11111 is not in the list"
k Home C-k; t 99213; k F2

w "Ref TA-02" # Dup: service dates and provider from TA-01
t "Doe, Jane"; k Enter; t "15/05/1975"; k Enter; t "AC10475143"; k Enter
k F6 F6 F6
t 80053; t E11.9; k Enter; t 120.5
k Enter Enter Enter Enter Enter Enter Enter Enter Enter Enter Enter
t 120.50; k F2

w "Ref TA-03" # a wrong check digit, refused, then corrected
t "Brown, Amy"; k Enter; t "1969-12-31"; k Enter; t "AC10712718"
w "check digit is wrong"
k BSpace; t 9
rest 2024-06-02 85025 R51 42.00

w "Ref TA-04" # corrections with Backspace
t "Jonse"; k BSpace BSpace; t "es, Bob"; k Home End Enter
t "1950-07-04"; k Enter; t "AC10950285"
rest 2024-06-03 93000 I10 310.00

w "Ref TA-05" # reject: Wrong document, with a note
t "Nobody"; k F9
w "Reject or skip"
t "wr"; k Enter
w "Note"
t "not a claim"; k Enter

w "Ref TA-06" # F4 on Procedure 1: the third code of the list
t "Green, Tom"; k Enter; t "1988-08-08"; k Enter; t "AC10237576"
k Enter; t 2024-06-04; k Enter Enter; t "Clinic South"; k Enter
k F4
w "Chest X-ray"
k Down Enter Enter
t M54.5; k Enter; t 55.55
k Enter Enter Enter Enter Enter Enter Enter Enter Enter Enter Enter
t 55.55; k F2

w "Ref TA-07" # a total the database refuses, then corrected
t "White, Ann"; k Enter; t "1991-01-01"; k Enter; t "AC10475143"
k Enter; t 2024-06-05; k Enter Enter; t "Clinic North"; k Enter
t 36415; t N39.0; k Enter; t 20.00
k Enter Enter Enter Enter Enter Enter Enter Enter Enter Enter Enter
t 30.00; k F2
w "but the amounts add up to"
k Home C-k; t 20.00; k F2

w "Ref TA-08" # skip, with a note
t "Skipped"; k F9
w "Reject or skip"
t s; k Enter
w "Why skip"
t "too dark to read"; k Enter

w "Ref TA-09" # two lines, relation CHILD, emergency, remarks
t "Black, Kim"; k Enter; t "2015-03-03"; k Enter; t "AC10712719"
t CHILD; k Enter; t 2024-06-06; k Enter; t 2024-06-07; k Enter; t "Dr Who"; k Enter
t 99214; t J06.9; k Enter; t 60; k Enter
t 90471; t Z23; k Enter; t 15; k Enter
k Enter Enter Enter Enter Enter Enter
t y; k Enter; t 75; k Enter; t 5; k Enter; t "came at night"; k F2

w "Ref TA-10" # Dup again, after the reject, skip and two-line claim
t "Grey, Lee"; k Enter; t "1977-07-07"; k Enter; t "AC10950285"
k Enter F6 F6 F6; t 97110; t M54.5; k Enter; t 33
k Enter Enter Enter Enter Enter Enter Enter Enter Enter Enter Enter
t 33; k F2

# One run on a fresh demo database: MODE burst or step. Writes the export
# and the measures to $OUT/MODE.*.
run() {
	mode=$1
	tui_setup
	trap 'tui_cleanup; rm -rf "$OUT"' EXIT
	{
		echo "external_ref,source"
		for i in 01 02 03 04 05 06 07 08 09 10; do
			echo "TA-$i,/scans/ta/TA-$i.tif"
		done
	} >"$TUI_DIR/ta.csv"
	batch=$(tui_import_claims "$TUI_DIR/ta.csv" single)
	tui_start c -- demo --user clerk3
	tui_wait c "Key documents"
	if [ "$mode" = burst ]; then
		args=(1 Enter)
		for tok in "${TOK[@]}"; do
			case $tok in
			K:*) args+=("${tok#K:}") ;;
			T:*) args+=("${tok#T:}") ;;
			esac
		done
		# One write: every key is queued before the first form is drawn.
		tmux -L "$TUI_SOCKET" send-keys -t c "${args[@]}"
	else
		tui_keys c 1 Enter
		for tok in "${TOK[@]}"; do
			case $tok in
			K:*) tui_keys c "${tok#K:}" ;;
			T:*)
				s=${tok#T:}
				for ((j = 0; j < ${#s}; j++)); do
					tui_type c "${s:j:1}"
				done
				;;
			W:*) tui_wait c "${tok#W:}" ;;
			esac
		done
	fi
	# After the tenth, the demo's own queue comes next.
	tui_wait c "TA-10 submitted."
	tui_wait c "Ref CLM-24U-0001"
	"$BD_BINARY" --config "$TUI_CONF" --user super1 batch export "$batch" --format csv \
		--partial >"$OUT/$mode.csv" 2>&1 || tui_fail "export: $(cat "$OUT/$mode.csv")"
	tui_sql "SELECT d.external_ref, d.state, p.keystrokes, p.corrections, p.fields_keyed
		FROM entry.documents d LEFT JOIN entry.passes p USING (client_id, document_id)
		WHERE d.batch_id = $batch ORDER BY d.external_ref" >"$OUT/$mode.measures"
	tui_sql "SELECT d.external_ref, s.login, s.note FROM entry.skips s
		JOIN entry.documents d USING (client_id, document_id)
		WHERE d.batch_id = $batch" >"$OUT/$mode.skips"
	tui_cleanup
}

run burst
run step
trap 'rm -rf "$OUT"' EXIT

# What the keys meant, checked on the step run.
csv=$OUT/step.csv
grep -c '^TA-.*,done,' "$csv" | grep -qx 8 || tui_fail "expected 8 done: $(cat "$csv")"
grep -q '^TA-05,.*,rejected,wrong_document,not a claim' "$csv" ||
	tui_fail "TA-05 not rejected as intended: $(grep TA-05 "$csv")"
grep -q '^TA-01,.*Clinic North,99213,J20.9,75.00' "$csv" || tui_fail "TA-01: $(grep TA-01 "$csv")"
grep -q '^TA-02,.*2024-06-01.*Clinic North' "$csv" || tui_fail "Dup did not copy: $(grep TA-02 "$csv")"
grep -q '^TA-03,.*AC-10712719' "$csv" || tui_fail "check digit fix: $(grep TA-03 "$csv")"
grep -q '^TA-04,.*Jones, Bob' "$csv" || tui_fail "correction: $(grep TA-04 "$csv")"
grep -q '^TA-06,.*71046' "$csv" || tui_fail "lookup: $(grep TA-06 "$csv")"
grep -q '^TA-07,.*N39.0,20.00,.*,20.00,' "$csv" || tui_fail "refused total: $(grep TA-07 "$csv")"
grep -q '^TA-09,.*CHILD.*Y,came at night' "$csv" || tui_fail "TA-09: $(grep TA-09 "$csv")"
grep -q '^TA-10,.*2024-06-06,2024-06-07,Dr Who' "$csv" || tui_fail "TA-10 Dup: $(grep TA-10 "$csv")"
grep -q 'TA-08|clerk3|too dark to read' "$OUT/step.skips" || tui_fail "skip: $(cat "$OUT/step.skips")"

# The burst left exactly the same.
for f in csv measures skips; do
	cmp -s "$OUT/burst.$f" "$OUT/step.$f" ||
		tui_fail "burst and one-at-a-time differ ($f): $(diff "$OUT/burst.$f" "$OUT/step.$f")"
done
tui_pass entry_typeahead
