#!/bin/bash
# long flow: stops the database or an operator mid-session; the form engine runs under ASan elsewhere
# The database goes away while a clerk keys (issue 15): the cluster is
# stopped under an open form. The status line says "DB: reconnecting", the
# form stays usable (every key of a whole field lands, Enter moves on, the
# screen answers without waiting for the database), and F2 says it cannot
# submit yet. When the cluster is started again the status line says
# "DB: ok", the pending F2 goes by itself (with its idempotency key: the
# document is submitted once), and the next F2 submits as usual.
. "$(dirname "$0")/lib.sh"
tui_setup

csv=$TUI_DIR/down.csv
printf 'external_ref,source\nDN-0001,/scans/test/DN-0001.tif\nDN-0002,/scans/test/DN-0002.tif\n' >"$csv"
batch=$(tui_import_claims "$csv" single)

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

# key_claim NAME PATIENT: keys a whole claim, then F2.
key_claim() {
	tui_type "$1" "$2"
	tui_keys "$1" Enter
	tui_type "$1" "1980-02-03"
	tui_keys "$1" Enter
	tui_type "$1" "AC10237576" # auto-advances to Relation
	key_rest "$1"
}

tui_start k1 -- demo --user clerk1
tui_wait k1 "Choose a client"
tui_keys k1 Enter
tui_menu k1 "Key documents"
tui_wait k1 "Ref DN-0001"
tui_wait_re k1 "DB: ok"

"$BD_BINARY" --config "$TUI_CONF" db stop >/dev/null || tui_fail "db stop failed"
tui_wait_re k1 "DB: reconnecting"

# A whole field and Enter, then the next field: each key lands on the screen
# while the database is away.
tui_type k1 "Downtime, Dora"
tui_wait k1 "Downtime, Dora"
tui_keys k1 Enter
tui_type k1 "1980-02-03"
tui_wait k1 "1980-02-03"
tui_keys k1 Enter
tui_type k1 "AC10237576"
tui_wait k1 "AC-10237576"
# The rest of the claim and F2: it cannot go yet, and says so.
key_rest k1
tui_wait k1 "Dr Who"
tui_wait k1 "Submit not confirmed: the database is reconnecting"
tui_has k1 "DB: reconnecting"
tui_has k1 "Ref DN-0001"

"$BD_BINARY" --config "$TUI_CONF" db start >/dev/null || tui_fail "db start failed"
# The link comes back by itself and the pending F2 is sent with its key.
tui_wait k1 "DN-0001 submitted."
tui_wait_re k1 "DB: ok"
tui_wait k1 "Ref DN-0002"
tui_expect_sql "SELECT state FROM entry.documents WHERE batch_id = $batch AND external_ref = 'DN-0001'" done
tui_expect_sql "SELECT count(*) FROM entry.passes p JOIN entry.documents d USING (client_id, document_id)
	WHERE d.batch_id = $batch AND d.external_ref = 'DN-0001'" 1
tui_expect_sql "SELECT final_values->>'patient' FROM entry.documents
	WHERE batch_id = $batch AND external_ref = 'DN-0001'" "Downtime, Dora"

# The next F2 submits as usual.
key_claim k1 "Uptime, Una"
tui_wait k1 "DN-0002 submitted."
tui_expect_sql "SELECT count(*) FROM entry.documents WHERE batch_id = $batch AND state = 'done'" 2
tui_pass dbdown
