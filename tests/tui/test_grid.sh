#!/bin/bash
# A document type whose lines are a grid (tests/fixtures/screens/svc_claim.conf:
# six service lines, three on a page), loaded with `backdesk doctype load` and
# keyed: Enter goes line by line onto the second page, F6 copies the code
# from the line above, a rule that fails on line 4 names the line, and F2
# with line 4 incomplete while page 1 is shown brings up page 2 with the
# cursor on line 4's amount.
. "$(dirname "$0")/lib.sh"
tui_setup

fixture="$(dirname "$0")/../fixtures/screens/svc_claim.conf"
out=$("$BD_BINARY" --config "$TUI_CONF" --user super1 doctype load ACME "$fixture" 2>&1) ||
	tui_fail "doctype load: $out"
tui_expect_sql "SELECT count(*) FROM entry.doctypes d JOIN core.clients c USING (client_id)
	WHERE c.code = 'ACME' AND d.code = 'svc_claim'" 1
csv=$TUI_DIR/svc.csv
printf 'external_ref,source\nSVC-0001,/scans/test/SVC-0001.tif\n' >"$csv"
out=$("$BD_BINARY" --config "$TUI_CONF" --user super1 batch import ACME svc_claim "$csv" \
	--mode single --priority 99 --sla 4 2>&1) || tui_fail "import: $out"

# cursor NAME: "x,y" of the cursor.
cursor() {
	tmux -L "$TUI_SOCKET" display-message -p -t "$1" '#{cursor_x},#{cursor_y}'
}

tui_start k1 -- demo --user clerk1
tui_wait k1 "Choose a client"
tui_keys k1 Enter
tui_menu k1 "Key documents"
tui_wait k1 "Ref SVC-0001"
tui_wait k1 "# Code  Amount"
tui_type k1 "Jane Roe"
tui_keys k1 Enter
# lines 1-3 on the first page, Enter line by line
for n in 1 2 3; do
	tui_type k1 "9921$n"
	tui_keys k1 Enter
	tui_type k1 "1$n.00"
	tui_keys k1 Enter
done
# Enter from line 3's amount goes on to line 4: the page follows
tui_wait_re k1 "^  4 *\$"
tui_lacks k1 "99211"
# F6 copies the code above (line 3's)
tui_keys k1 F6
tui_wait k1 "4 99213"
# a rule on line 4 names the line; the cursor stays there
tui_type k1 "600"
tui_keys k1 Enter
tui_wait k1 "Amount (line 4) must be between 0.01 and 500.00"
row4=$(tui_screen k1 | grep -n "^  4 99213" | cut -d: -f1)
[ -n "$row4" ] || tui_fail "line 4 is not on the screen"
[ "$(cursor k1 | cut -d, -f2)" = $((row4 - 1)) ] || tui_fail "the cursor left line 4: $(cursor k1)"
tui_keys k1 BSpace BSpace BSpace
# PgUp leaves line 4 without its amount and shows page 1
tui_keys k1 PPage
tui_wait k1 "1 99211"
tui_lacks k1 "4 99213"
# F2: line 4 has a code but no amount: page 2 again, cursor on its amount
tui_keys k1 F2
tui_wait k1 "Amount (line 4) is required"
tui_wait k1 "4 99213"
row4=$(tui_screen k1 | grep -n "^  4 99213" | cut -d: -f1)
[ "$(cursor k1)" = "10,$((row4 - 1))" ] || tui_fail "the cursor is not on line 4's amount: $(cursor k1)"
tui_type k1 "14.00"
tui_keys k1 F2
tui_wait k1 "SVC-0001 submitted."
tui_expect_sql "SELECT p."values"->>'code4' || ' ' || (p."values"->>'amount4') || ' ' || coalesce(p."values"->>'code5', '')
	FROM entry.passes p JOIN entry.documents d USING (client_id, document_id)
	WHERE d.external_ref = 'SVC-0001'" "99213 14.00 "
tui_pass grid
