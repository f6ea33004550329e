#!/bin/bash
# long flow: an end-to-end flow of several operators; its screens run under ASan in the shorter tests
# The supervisor console on a real demo database, with the clerks in other
# sessions: the queue board follows a clerk's claim and submit without a key
# pressed on it (LISTEN/NOTIFY); releasing a stuck claim from the board lets
# another clerk take it; pause from the board; the QA review screen records a
# correction against the keyer.
#
# The clerks drive the queue through the same SQL functions the keying
# screen calls (entry.claim_next, entry.submit), as their own logins; at the
# end two clerks use the real keying screen for a stuck claim.
. "$(dirname "$0")/lib.sh"
tui_setup

# clerk_sql LOGIN SQL: one value, as that operator's own database login.
clerk_sql() {
	psql -X -A -t -q -v ON_ERROR_STOP=1 -d "$TUI_CONNINFO user=$1" -c "$2"
}

# wait_re NAME REGEX: waits until a line of the screen matches REGEX (ERE).
wait_re() {
	i=0
	while ! tui_screen "$1" | grep -qE -- "$2"; do
		i=$((i + 1))
		[ $i -le $((TUI_WAIT_LIMIT * 10)) ] || tui_fail "/$2/ never appeared on $1"
		sleep 0.1
	done
}

# board_field NAME BATCH N: field N of the board row of BATCH (1 Type,
# 2 Batch, 3 Wait, 4 Keyng, 5 Stuck, 6 Adj, 7 QA, 8 Done, 9 Rej, 10 SLA).
board_field() {
	tui_screen "$1" | awk -v b="$2" -v n="$3" '$2 == b { print $n }'
}

# wait_board NAME BATCH N VALUE [TEXT]: waits until field N of BATCH's row is
# VALUE (and the row holds TEXT). Changes by people come by NOTIFY: the
# board's clock refetch is a minute away, so the limit here is well under it.
wait_board() {
	i=0
	while [ "$(board_field "$1" "$2" "$3")" != "$4" ] ||
		! tui_screen "$1" | awk -v b="$2" '$2 == b' | grep -qF -- "${5:-}"; do
		i=$((i + 1))
		[ $i -le 200 ] || tui_fail "board row of batch $2: field $3 is not $4 ${5:+(with $5)}"
		sleep 0.1
	done
}

# board_go NAME BATCH: moves the cursor from the first row to BATCH's row.
board_go() {
	n=$(tui_screen "$1" | awk -v b="$2" '/^ Opt Type / { on = 1; next }
		on && NF >= 10 { n++; if ($2 == b) { print n; exit } }')
	[ -n "$n" ] || tui_fail "batch $2 is not on the board"
	while [ "$n" -gt 1 ]; do
		tui_keys "$1" Down
		n=$((n - 1))
	done
}

globex=$(tui_sql "SELECT client_id FROM core.clients WHERE code = 'GLOBEX'")
batch=$(tui_sql "SELECT batch_id FROM entry.batches WHERE client_id = $globex")
total=$(tui_sql "SELECT count(*) FROM entry.documents WHERE batch_id = $batch")

# The supervisor opens the board of GLOBEX.
tui_start sup -- demo --user super1
tui_wait sup "Choose a client"
tui_type sup "GLOBEX"
tui_keys sup Enter
tui_wait sup "Client: GLOBEX"
tui_menu sup "Queue board"
tui_wait sup "GLOBEX  live"
wait_board sup "$batch" 3 "$total"
[ "$(board_field sup "$batch" 4)" = 0 ] || tui_fail "a document is being keyed already"
[ "$(board_field sup "$batch" 8)" = 0 ] || tui_fail "a document is done already"

# Clerk 1 fetches a document: the board shows it being keyed, by clerk1.
doc1=$(clerk_sql clerk1 "SELECT document_id FROM entry.claim_next(300, 'GLOBEX')")
[ -n "$doc1" ] || tui_fail "clerk1 got no document"
wait_board sup "$batch" 4 1 "clerk1"
[ "$(board_field sup "$batch" 3)" = $((total - 1)) ] || tui_fail "Wait did not go down"

# ... and submits it: done, without a key pressed on the board.
invoice='{"supplier": "INITECH", "currency": "EUR", "invoice_no": "A-1",
	"invoice_date": "2024-06-01", "line1_desc": "Paper", "line1_amount": "100.00",
	"net": "100.00", "tax": "20.00", "total": "120.00"}'
state=$(clerk_sql clerk1 "SELECT entry.submit($doc1, '$invoice', 40, 1, 12, 9)")
[ "$state" = done ] || tui_fail "submit went to $state"
wait_board sup "$batch" 8 1
[ "$(board_field sup "$batch" 4)" = 0 ] || tui_fail "the submitted document is still being keyed"
tui_pass "the board follows a clerk's claim and submit by itself"

# Half an hour left on the SLA: the batch is at risk, flagged and drawn bold.
clerk_sql super1 "SELECT entry.sup_set_sla($batch, NULL, 0.5)" >/dev/null
wait_board sup "$batch" 11 RISK
# Bold is SGR 1, alone or with the selection's reverse video (1;7).
tmux -L "$TUI_SOCKET" capture-pane -p -e -t sup | grep -F "RISK" |
	grep -qE "$(printf '\033')\[1[;m]" || tui_fail "the batch at risk is not highlighted"
clerk_sql super1 "SELECT entry.sup_set_sla($batch, NULL, 48)" >/dev/null
tui_wait_gone sup "RISK"
tui_pass "a batch at risk of its SLA is highlighted"

# Clerk 2 takes a document and walks away: it is stuck with them.
doc2=$(clerk_sql clerk2 "SELECT document_id FROM entry.claim_next(300, 'GLOBEX')")
ref2=$(tui_sql "SELECT external_ref FROM entry.documents WHERE document_id = $doc2")
wait_board sup "$batch" 4 1 "clerk2"

# From the board: 5 on the batch lists its claims, 4 releases clerk2's.
tui_type sup 5
tui_keys sup Enter
tui_wait sup "GLOBEX batch $batch  live"
tui_wait sup "$ref2"
tui_screen sup | grep -F "$ref2" | grep -qF clerk2 || tui_fail "the claim is not shown as clerk2's"
tui_type sup 4
tui_keys sup Enter
tui_wait sup "Release $ref2: note"
tui_type sup "left for lunch"
tui_keys sup Enter
tui_wait sup "Released $ref2"
tui_expect_sql "SELECT coalesce(claimed_by, 'nobody') || ' ' || state FROM entry.documents
		WHERE document_id = $doc2" "nobody waiting"
tui_expect_sql "SELECT actor || ' ' || action || ' ' || (detail ->> 'from') || ' ' ||
		(detail ->> 'note') FROM entry.actions WHERE document_id = $doc2" \
	"super1 release clerk2 left for lunch"

# Another clerk's next fetch is that very document; the claims list shows it.
got=$(clerk_sql clerk1 "SELECT document_id FROM entry.claim_next(300, 'GLOBEX')")
[ "$got" = "$doc2" ] || tui_fail "clerk1 got document $got, not the released $doc2"
i=0
until tui_screen sup | grep -F "$ref2" | grep -qF clerk1; do
	i=$((i + 1))
	[ $i -le 200 ] || tui_fail "the claims list does not show $ref2 with clerk1"
	sleep 0.1
done
tui_pass "releasing a stuck claim from the board lets another clerk take it"

# Pause from the board: 6, confirmed; the batch is no longer handed out.
tui_keys sup F3
tui_wait sup "Queue board"
tui_type sup 6
tui_keys sup Enter
tui_wait sup "Pause batch $batch"
tui_type sup y
tui_wait sup "Batch $batch paused"
tui_expect_sql "SELECT paused FROM entry.batches WHERE batch_id = $batch" t
tui_wait sup "PAUSED"
[ -z "$(clerk_sql clerk2 "SELECT document_id FROM entry.claim_next(300, 'GLOBEX')")" ] ||
	tui_fail "a paused batch handed out a document"
tui_pass "pause from the board"

# QA: every ACME claim of the routine batch is sampled; clerk3 keys one.
acme=$(tui_sql "SELECT client_id FROM core.clients WHERE code = 'ACME'")
urgent=$(tui_sql "SELECT batch_id FROM entry.batches WHERE client_id = $acme AND mode = 'double'")
clerk_sql super1 "SELECT entry.set_qa_rate('ACME', 'claim', 1)" >/dev/null
clerk_sql super1 "SELECT entry.sup_pause($urgent, true)" >/dev/null
doc3=$(clerk_sql clerk3 "SELECT document_id FROM entry.claim_next(300, 'ACME')")
ref3=$(tui_sql "SELECT external_ref FROM entry.documents WHERE document_id = $doc3")
values='{"patient": "Doe, Jon", "birth_date": "1980-01-02", "policy": "AB-12345674",
	"relation": "SELF", "service_from": "2024-06-01", "proc1": "99213", "diag1": "J20.9",
	"amount1": "10.00", "total": "10.00"}'
state=$(clerk_sql clerk3 "SELECT entry.submit($doc3, '$values', 90, 2, 30, 9)")
[ "$state" = qa ] || tui_fail "a sampled document went to $state"

# The supervisor reviews it: the patient's name was keyed wrong.
tui_keys sup F3
tui_menu sup "Change client (GLOBEX)"
tui_wait sup "Choose a client"
tui_type sup "ACME"
tui_keys sup Enter
tui_wait sup "Client: ACME"
tui_menu sup "QA review"
tui_wait sup "QA review: Health insurance claim"
tui_wait sup "$ref3"
tui_has sup "Doe, Jon"
tui_keys sup C-k
tui_type sup "Doe, John"
tui_keys sup F2
tui_wait sup "1 field wrong (Patient name)"
tui_type sup y
tui_wait sup "Reviewed $ref3: 1 corrected"
tui_expect_sql "SELECT state || ' ' || (final_values ->> 'patient') FROM entry.documents
		WHERE document_id = $doc3" "done Doe, John"
tui_expect_sql "SELECT operator || ' ' || fields_in_error FROM entry.passes
		WHERE document_id = $doc3" "clerk3 1"
tui_expect_sql "SELECT count(*) || ' ' || count(*) FILTER (WHERE NOT ok) || ' ' ||
		min(reviewer) FROM entry.qa_reviews WHERE document_id = $doc3" \
	"$(tui_sql "SELECT count(*) FROM jsonb_array_elements((SELECT fields FROM
		entry.doctype_versions v JOIN entry.doctypes t USING (client_id, doctype_id)
		WHERE t.code = 'claim' ORDER BY version DESC LIMIT 1))") 1 super1"
tui_pass "QA review records a correction against the keyer"

# Productivity today for ACME: clerk3 keyed one claim, 9 fields, 1 wrong.
tui_wait sup "Done with QA for ACME"
tui_menu sup "Operator productivity"
tui_wait sup "Period"
tui_keys sup F2
tui_wait sup "Sorted by Login"
row=$(tui_screen sup | awk '$1 == "clerk3"')
[ -n "$row" ] || tui_fail "clerk3 is not in the productivity list"
set -- $row
# Login, Name (two words), Docs, Ks/h, Doc/h, Acc%, Err, Rej
[ "$4 $7 $8 $9" = "1 88.9 1 0" ] || tui_fail "clerk3's figures: $row"
# Drill down: 5 on clerk3 (the list is in login order), then 5 on the
# document shows the error.
n=$(tui_screen sup | awk '$1 ~ /^clerk[0-9]$/ { n++; if ($1 == "clerk3") print n }')
i=1
while [ "$i" -lt "$n" ]; do
	tui_keys sup Down
	i=$((i + 1))
done
tui_type sup 5
tui_keys sup Enter
tui_wait sup "clerk3  "
tui_wait sup "$ref3"
tui_type sup 5
tui_keys sup Enter
tui_wait sup "Errors in $ref3"
tui_has sup 'keyed "Doe, Jon", right "Doe, John"'
tui_pass "productivity and its drill-down"

# The log of queue actions names the QA rate change in words.
tui_keys sup F3 F3 F3 F3
tui_menu sup "Queue actions"
tui_wait sup "claim 10% -> 100%"
tui_pass "queue actions log"

# With the real keying screen: clerk1 fetches a document and the link drops
# (the claim stays theirs, to resume); the supervisor releases it from the
# board; clerk2's "Key documents" brings that very document.
tui_start c1 -- demo --user clerk1
tui_wait c1 "Choose a client"
tui_type c1 "ACME"
tui_keys c1 Enter
tui_menu c1 "Key documents"
wait_re c1 "Ref [A-Z0-9-]+"
ref4=$(tui_screen c1 | sed -n 's/.*Ref \([A-Z0-9-]*\).*/\1/p' | head -n 1)
batch4=$(tui_sql "SELECT batch_id FROM entry.documents WHERE external_ref = '$ref4'
		AND claimed_by = 'clerk1'")
[ -n "$batch4" ] || tui_fail "$ref4 is not clerk1's"
tmux -L "$TUI_SOCKET" kill-session -t c1
tui_keys sup F3
tui_menu sup "Queue board"
tui_wait sup "ACME  live"
wait_board sup "$batch4" 4 1 "clerk1"
board_go sup "$batch4"
tui_type sup 5
tui_keys sup Enter
tui_wait sup "ACME batch $batch4  live"
tui_wait sup "$ref4"
tui_type sup 4
tui_keys sup Enter
tui_wait sup "Release $ref4: note"
tui_keys sup Enter
tui_wait sup "Released $ref4"
tui_start c2 -- demo --user clerk2
tui_wait c2 "Choose a client"
tui_type c2 "ACME"
tui_keys c2 Enter
tui_menu c2 "Key documents"
tui_wait c2 "Ref $ref4"
tui_expect_sql "SELECT claimed_by FROM entry.documents WHERE external_ref = '$ref4'
		AND batch_id = $batch4" clerk2
i=0
until tui_screen sup | grep -F "$ref4" | grep -qF clerk2; do
	i=$((i + 1))
	[ $i -le 200 ] || tui_fail "the claims list does not show $ref4 with clerk2"
	sleep 0.1
done
tui_pass "with the keying screen: a released stuck claim goes to the next clerk"
