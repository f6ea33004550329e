#!/bin/bash
# Adjudication, QA and the words around them say what is true (issue 16,
# items 4 and 10):
# - the sign-on refusal for a login that is no operator names the real
#   commands (`backdesk --user NAME`, `backdesk user add`);
# - a document a supervisor reassigned is not "the one you were keying";
# - Adjudicate with nothing this clerk may judge says why, not "Nothing is
#   waiting";
# - a difference in one of the four Amount fields says which ("Amount 2");
# - R opens the re-key box at once, and the box takes the value as the
#   keying form does (lower case and no dash in a picture field);
# - QA checks the sum rule before asking to record the corrections, and
#   puts the cursor on the field the rule names.
. "$(dirname "$0")/lib.sh"
tui_setup

clerk_sql() {
	psql -X -A -t -q -v ON_ERROR_STOP=1 -d "$TUI_CONNINFO user=$1" -c "$2"
}
cursor() {
	tmux -L "$TUI_SOCKET" display-message -p -t "$1" '#{cursor_x},#{cursor_y}'
}

# --- the sign-on refusal ------------------------------------------------------
tui_start root --
tui_wait root "Cannot sign on"
tui_wait root "who is not a Backdesk operator"
tui_has root "backdesk --user NAME"
tui_has root "backdesk user add LOGIN --role ROLE"
tui_lacks root "operator add"
tui_kill root
tui_pass "the refusal names the real commands"

# --- a reassigned document ------------------------------------------------------
csv=$TUI_DIR/ra.csv
printf 'external_ref\nRA-0001\n' >"$csv"
batch=$(tui_import_claims "$csv" single)
doc=$(tui_sql "SELECT document_id FROM entry.documents WHERE batch_id = $batch")
clerk_sql super1 "SELECT entry.sup_reassign($doc, 'clerk2', 300)" >/dev/null
tui_start ra -- demo --user clerk2
tui_wait ra "Choose a client"
tui_keys ra Enter
tui_menu ra "Key documents"
tui_wait ra "Ref RA-0001"
tui_wait ra "RA-0001 is held for you"
tui_lacks ra "you were keying this one"
tui_kill ra
tui_pass "a reassigned document is not 'the one you were keying'"

# --- adjudication ---------------------------------------------------------------
csv=$TUI_DIR/adj.csv
printf 'external_ref\nAJ-0001\n' >"$csv"
batch=$(tui_import_claims "$csv" double)
tui_sql "
UPDATE entry.documents SET state = 'adjudication', pass1_by = 'clerk1', pass2_by = 'clerk2'
WHERE batch_id = $batch;
INSERT INTO entry.passes (client_id, document_id, pass, batch_id, operator, doctype_version,
			  \"values\", keystrokes, corrections, seconds, fields_keyed, claimed_at)
SELECT d.client_id, d.document_id, p.pass, d.batch_id, p.who, d.doctype_version,
       jsonb_build_object('patient', 'Smith, John', 'birth_date', '1980-02-03',
			  'policy', p.policy, 'relation', 'SELF', 'service_from', '2024-06-01',
			  'proc1', '99213', 'diag1', 'J20.9', 'amount1', '75.00',
			  'proc2', '99214', 'diag2', 'J20.9', 'amount2', p.amount2,
			  'total', '100.00', 'emergency', 'N'),
       10, 0, 10, 12, now()
FROM entry.documents d,
     (VALUES (1, 'clerk1', 'AC-10237575', '25.00'), (2, 'clerk2', 'AC-10237567', '52.00'))
	AS p(pass, who, policy, amount2)
WHERE d.batch_id = $batch;" || tui_fail "could not write the passes"

# clerk1 keyed it: nothing for them, and the screen says why.
tui_start a1 -- demo --user clerk1
tui_wait a1 "Choose a client"
tui_keys a1 Enter
tui_menu a1 "Adjudicate"
tui_wait a1 "Nothing for you: 1 document waits for adjudication: 1 keyed by you"
tui_lacks a1 "Nothing is waiting"
tui_kill a1
tui_pass "Adjudicate says why nothing is handed out"

tui_start adj -- demo --user clerk3
tui_menu adj "Adjudicate"
tui_wait adj "Adjudicate AJ-0001"
tui_wait_re adj "^  Policy no +"
tui_wait_re adj "^  Amount 2 +"
# R alone (the pick auto-advances) opens the re-key box, before any F2.
tui_type adj R
tui_wait adj "Key Policy no again, as on the keying form."
# As on the keying form: lower case is upshifted and the dash is the mask's.
tui_type adj "ac10237575"
tui_keys adj Enter
tui_wait adj "Policy no check digit is wrong"
for _ in 1 2 3 4 5 6 7 8 9 10 11 12; do tui_keys adj BSpace; done
tui_type adj "ac10237576"
tui_keys adj Enter
tui_wait adj 'Policy no keyed again as "AC-10237576"'
tui_type adj 1
tui_keys adj F2
tui_wait adj "AJ-0001 resolved."
tui_expect_sql "SELECT (final_values ->> 'policy') || ' ' || (final_values ->> 'amount2')
	FROM entry.documents WHERE batch_id = $batch" "AC-10237576 25.00"
tui_kill adj
tui_pass "R re-keys at once, as the keying form takes the value"

# Escape from the re-key box leaves the pick empty, with the cursor on it.
csv=$TUI_DIR/adj2.csv
printf 'external_ref\nAJ-0002\n' >"$csv"
batch2=$(tui_import_claims "$csv" double)
tui_sql "
UPDATE entry.documents SET state = 'adjudication', pass1_by = 'clerk1', pass2_by = 'clerk2'
WHERE batch_id = $batch2;
INSERT INTO entry.passes (client_id, document_id, pass, batch_id, operator, doctype_version,
			  \"values\", keystrokes, corrections, seconds, fields_keyed, claimed_at)
SELECT d.client_id, d.document_id, p.pass, d.batch_id, p.who, d.doctype_version,
       jsonb_build_object('patient', p.patient, 'birth_date', '1980-02-03',
			  'policy', 'AC-10237576', 'relation', 'SELF', 'service_from', '2024-06-01',
			  'proc1', '99213', 'diag1', 'J20.9', 'amount1', '75.00',
			  'total', '75.00', 'emergency', 'N'),
       10, 0, 10, 12, now()
FROM entry.documents d,
     (VALUES (1, 'clerk1', 'Smith, John'), (2, 'clerk2', 'Smyth, John')) AS p(pass, who, patient)
WHERE d.batch_id = $batch2;" || tui_fail "could not write the second passes"
tui_start adj2 -- demo --user clerk3
tui_menu adj2 "Adjudicate"
tui_wait adj2 "Adjudicate AJ-0002"
tui_type adj2 R
tui_wait adj2 "Key Patient name again, as on the keying form."
tui_keys adj2 F12
tui_wait adj2 "Type 1 or 2 to take a keying, R to key the value again."
tui_wait_re adj2 "^  Patient name +1 Smith, John"
tui_type adj2 2
tui_keys adj2 F2
tui_wait adj2 "AJ-0002 resolved."
tui_expect_sql "SELECT final_values ->> 'patient' FROM entry.documents WHERE batch_id = $batch2" \
	"Smyth, John"
tui_kill adj2

# --- QA: the sum rule before the question ---------------------------------------
acme=$(tui_sql "SELECT client_id FROM core.clients WHERE code = 'ACME'")
csv=$TUI_DIR/qa.csv
printf 'external_ref\nQA-0001\n' >"$csv"
qbatch=$(tui_import_claims "$csv" single_qa)
clerk_sql super1 "SELECT entry.set_qa_rate('ACME', 'claim', 1)" >/dev/null
qdoc=$(clerk_sql clerk1 "SELECT document_id FROM entry.claim_next(300, 'ACME')")
[ "$qdoc" = "$(tui_sql "SELECT document_id FROM entry.documents WHERE batch_id = $qbatch")" ] ||
	tui_fail "clerk1 claimed $qdoc, not the QA batch's document"
values='{"patient": "Doe, Jon", "birth_date": "1980-01-02", "policy": "AB-12345674",
	"relation": "SELF", "service_from": "2024-06-01", "proc1": "99213", "diag1": "J20.9",
	"amount1": "10.00", "total": "10.00"}'
state=$(clerk_sql clerk1 "SELECT entry.submit($qdoc, '$values', 90, 2, 30, 9)")
[ "$state" = qa ] || tui_fail "the sampled document went to $state"

tui_start qa -- demo --user clerk3
tui_menu qa "QA review"
tui_wait qa "QA review: Health insurance claim"
tui_wait qa "QA-0001"
# To Amount 1: the field on row 9 right of column 50.
at_amount1() {
	local c
	c=$(cursor qa)
	[ "${c#*,}" = 9 ] && [ "${c%,*}" -gt 50 ]
}
for _ in $(seq 1 20); do
	at_amount1 && break
	tui_keys qa Tab
	sleep 0.2
done
at_amount1 || tui_fail "never reached Amount 1: $(cursor qa)"
tui_keys qa C-k
tui_type qa "12.00"
tui_keys qa F2
tui_wait qa "Total billed is 10.00, but the amounts add up to 12.00"
tui_lacks qa "record the corrections?"
[ "$(cursor qa | cut -d, -f2)" = 14 ] || tui_fail "the cursor is not on Total billed: $(cursor qa)"
tui_keys qa Home C-k
tui_type qa "12.00"
tui_keys qa F2
tui_wait qa "2 fields wrong (Amount 1, Total billed): record the corrections?"
tui_type qa y
tui_wait qa "Reviewed QA-0001: 2 corrected"
tui_expect_sql "SELECT state || ' ' || (final_values ->> 'amount1') || ' ' ||
	(final_values ->> 'total') FROM entry.documents WHERE document_id = $qdoc" "done 12.00 12.00"
tui_pass entry_adjudicate_habits
