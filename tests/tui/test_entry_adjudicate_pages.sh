#!/usr/bin/env bash
# Adjudication over more than one page: a claim whose two keyings differ in
# the patient's name, the provider and long remarks (too long to share a
# page with the other two: 200 characters, the field's length, of a wide
# script, two columns each). The adjudicator picks on page 1, goes on with F2
# to page 2, comes back with PgUp and finds the picks kept; PgUp does
# nothing on page 1.
. "$(dirname "$0")/lib.sh"
tui_setup

csv=$TUI_DIR/pages.csv
printf 'external_ref\nPG-0001\n' >"$csv"
batch=$(tui_import_claims "$csv" double)

# The two passes as clerk1 and clerk2 would have left them (written by the
# superuser: keying them on screen is test_entry_keying's job).
tui_sql "
UPDATE entry.documents SET state = 'adjudication', pass1_by = 'clerk1', pass2_by = 'clerk2'
WHERE batch_id = $batch;
INSERT INTO entry.passes (client_id, document_id, pass, batch_id, operator, doctype_version,
			  \"values\", keystrokes, corrections, seconds, fields_keyed, claimed_at)
SELECT d.client_id, d.document_id, p.pass, d.batch_id, p.who, d.doctype_version,
       jsonb_build_object('patient', p.patient, 'provider', p.provider, 'remarks', p.remarks,
			  'birth_date', '1980-02-03', 'policy', 'AC-10237576', 'relation', 'SELF',
			  'service_from', '2024-06-01', 'proc1', '99213', 'diag1', 'J20.9',
			  'amount1', '75.00', 'total', '75.00', 'emergency', 'N'),
       10, 0, 10, 12, now()
FROM entry.documents d,
     (VALUES (1, 'clerk1', 'Smith, John', 'Dr Who', repeat('診', 200)),
	     (2, 'clerk2', 'Smyth, John', 'Dr Who Jr', repeat('診', 193) || ' Twice.'))
	AS p(pass, who, patient, provider, remarks)
WHERE d.batch_id = $batch;" || tui_fail "could not write the passes"

tui_start adj -- demo --user clerk3
tui_menu adj "Adjudicate"
tui_wait adj "Adjudicate PG-0001"
tui_wait adj "(page 1 of 2)"
tui_has adj "Smyth, John"
tui_lacks adj "Page back"
tui_keys adj PPage
tui_wait adj "is not available here"
tui_has adj "(page 1 of 2)"
tui_type adj 2
tui_type adj 1
tui_keys adj F2
tui_wait adj "(page 2 of 2)"
tui_wait adj "Twice."
tui_capture adj
[[ ${TUI_ROWS[23]} == *"=Page back"* ]] || tui_fail "the key line lacks Page back: ${TUI_ROWS[23]}"
tui_keys adj PPage
tui_wait adj "(page 1 of 2)"
# The picks made on page 1 are still there.
tui_wait_re adj "^  Patient name +2 +1 Smith, John"
tui_wait_re adj "^  Provider +1 +1 Dr Who"
tui_keys adj F2
tui_wait adj "(page 2 of 2)"
tui_type adj 1
tui_keys adj F2
tui_wait adj "PG-0001 resolved."
tui_expect_sql "SELECT (final_values ->> 'patient') || '/' || (final_values ->> 'provider')
	FROM entry.documents WHERE batch_id = $batch" "Smyth, John/Dr Who"
tui_pass entry_adjudicate_pages
