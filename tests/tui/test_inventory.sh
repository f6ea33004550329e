#!/bin/bash
# Inventory at 80x24, keyed as a clerk with a barcode scanner would: a
# delivery received by scanning (digits and Enter in the item column; the
# same item again adds one), part of it issued, some moved to another
# warehouse, a blind count with a difference approved by an accountant from
# the approvals inbox; then the stock card on screen and the ledger agree.
. "$(dirname "$0")/lib.sh"
tui_setup

qty() { # on hand of item $1 at location $2
	tui_sql "SELECT coalesce(sum(s.qty), 0)::numeric(18,0) FROM inventory.stock s
		JOIN inventory.items i USING (client_id, item_id)
		JOIN inventory.locations l USING (client_id, location_id)
		WHERE i.code = '$1' AND l.code = '$2'"
}
barcode() {
	tui_sql "SELECT b.barcode FROM inventory.barcodes b JOIN inventory.items i
		USING (client_id, item_id) WHERE i.code = '$1'"
}
# The screen's row holding TEXT.
row() {
	tui_screen "$1" | grep -F -- "$2" | head -1
}

bc_a=$(barcode A-0011)
bc_b=$(barcode A-0013)
a_wh1=$(qty A-0011 WH1)
b_wh1=$(qty A-0013 WH1)
a_wh2=$(qty A-0011 WH2)

tui_start c1 -- demo --user clerk1
tui_wait c1 "Choose a client"
tui_type c1 "GLOBEX"
tui_keys c1 Enter

# --- receive by scanning: A, A, B, A -> 3 of A on line 1, 1 of B on line 2
tui_menu c1 "Receive goods"
tui_wait c1 "Unit cost"
tui_keys c1 Enter
tui_type c1 "DN-7781"
tui_keys c1 Enter
tui_type c1 "WH1"
tui_keys c1 Enter Enter
for code in "$bc_a" "$bc_a" "$bc_b" "$bc_a"; do
	tui_type c1 "$code"
	tui_keys c1 Enter
	sleep 0.3
done
tui_wait c1 "A-0011: 3 on line 1"
row c1 " 1 A-0011" | grep -Eq "^ +1 A-0011 .* 3 +WH1" || tui_fail "line 1: $(row c1 ' 1 A-0011')"
row c1 " 2 A-0013" | grep -Eq "^ +2 A-0013 .* 1 +WH1" || tui_fail "line 2: $(row c1 ' 2 A-0013')"
# the unit costs: back up to line 1, across to its cost column
tui_keys c1 Up Up Enter Enter Enter Enter Enter
tui_type c1 "4.00"
tui_keys c1 Enter Enter Enter Enter Enter Enter
tui_type c1 "2.50"
tui_keys c1 Enter F2
tui_wait_re c1 "Move [0-9]+ posted"
[ "$(qty A-0011 WH1)" = $((a_wh1 + 3)) ] || tui_fail "A-0011 at WH1: $(qty A-0011 WH1)"
[ "$(qty A-0013 WH1)" = $((b_wh1 + 1)) ] || tui_fail "A-0013 at WH1: $(qty A-0013 WH1)"
tui_keys c1 F3

# --- issue part of it: one scan of A
tui_menu c1 "Issue goods"
tui_wait c1 "Unit cost"
tui_keys c1 Enter
tui_type c1 "REQ-55"
tui_keys c1 Enter
tui_type c1 "WH1"
tui_keys c1 Enter Enter
tui_type c1 "$bc_a"
tui_keys c1 Enter
tui_wait c1 "A-0011"
tui_keys c1 F2
tui_wait_re c1 "Move [0-9]+ posted"
[ "$(qty A-0011 WH1)" = $((a_wh1 + 2)) ] || tui_fail "A-0011 at WH1 after the issue"
tui_keys c1 F3

# --- move one A from WH1 to WH2 (the code typed, not scanned)
tui_menu c1 "Move stock"
tui_wait c1 "Unit cost"
tui_keys c1 Enter
tui_type c1 "TR-9"
tui_keys c1 Enter
tui_type c1 "WH1"
tui_keys c1 Enter Enter
tui_type c1 "A-0011"
tui_keys c1 Enter
tui_wait c1 "A-0011"
tui_keys c1 Up Enter Enter Enter
tui_type c1 "WH2"
tui_keys c1 Enter F2
tui_wait_re c1 "Move [0-9]+ posted"
[ "$(qty A-0011 WH1)" = $((a_wh1 + 1)) ] || tui_fail "A-0011 at WH1 after the transfer"
[ "$(qty A-0011 WH2)" = $((a_wh2 + 1)) ] || tui_fail "A-0011 at WH2 after the transfer"
tui_keys c1 F3

# --- a blind count at WH1: the clerk counts one A fewer than the system has
counted=$((a_wh1 + 1 - 1))
tui_menu c1 "Stock count"
tui_wait c1 "Counted"
tui_type c1 "WH1"
tui_keys c1 Enter Enter
tui_type c1 "A-0011"
tui_keys c1 Enter
tui_wait c1 "A-0011"
tui_keys c1 Up Enter Enter
tui_type c1 "$counted"
tui_keys c1 Enter F2
tui_wait_re c1 "Count [0-9]+ waits for approval"
count=$(tui_screen c1 | sed -n 's/.*Count \([0-9][0-9]*\) waits for approval.*/\1/p' | head -1)
[ "$(qty A-0011 WH1)" = $((a_wh1 + 1)) ] || tui_fail "the count moved stock before its approval"
# its F2 carried an idempotency key (inventory.count_submit_once): sent again
# after a dropped link it would answer this, not count again
tui_expect_sql "SELECT count(*) FROM core.idempotency WHERE operator = 'clerk1'
	AND result #>> '{}' = 'Count $count waits for approval'" 1

# --- an accountant approves it from the inbox: the difference is posted
tui_start a1 -- demo --user acct1
tui_wait a1 "Choose a client"
tui_type a1 "GLOBEX"
tui_keys a1 Enter
tui_menu a1 "Approvals inbox"
tui_wait a1 "Count $count"
tui_keys a1 F4
tui_type a1 "Count $count"
tui_keys a1 Enter
tui_wait a1 "Count $count"
# Show: the checker sees counted against the system's quantity
tui_type a1 "5"
tui_keys a1 Enter
tui_wait a1 "Difference"
# (quantities right-aligned, without the stored scale's trailing zeros)
tui_screen a1 | grep -Eq "^ +1 +A-0011 .* $counted +$((counted + 1)) +-1 *$" ||
	tui_fail "the count's review: $(tui_screen a1 | grep A-0011)"
tui_keys a1 F3
tui_wait a1 "Type option"
tui_type a1 "1"
tui_keys a1 Enter
tui_expect_sql "SELECT status FROM inventory.counts WHERE count_id = $count" "posted"
[ "$(qty A-0011 WH1)" = "$counted" ] || tui_fail "A-0011 at WH1 after the count: $(qty A-0011 WH1)"
tui_keys a1 F3

# --- the stock card on screen ends at the stock's value, which is the ledger's
tui_menu a1 "Stock on hand"
tui_wait a1 "As of date"
tui_keys a1 Enter
tui_wait a1 "Type option"
tui_keys a1 F4
tui_type a1 "A-0011"
tui_keys a1 Enter
tui_wait a1 "WH1"
tui_type a1 "5"
tui_keys a1 Enter
tui_wait a1 "Stock card"
tui_wait a1 "count"
value=$(tui_sql "SELECT to_char(sum(value), 'FM999,999,990.00') FROM inventory.legs
	JOIN inventory.items USING (client_id, item_id) WHERE code = 'A-0011'")
tui_wait a1 "$value"
tui_expect_sql "SELECT inventory.stock_value('GLOBEX', NULL) = (SELECT sum(l.debit - l.credit)
	FROM ledger.lines l JOIN ledger.accounts a USING (client_id, account_id)
	JOIN ledger.entries e USING (client_id, entry_id)
	WHERE a.code = '1310' AND e.status = 'posted' AND a.client_id =
		(SELECT client_id FROM core.clients WHERE code = 'GLOBEX'))" "t"

# --- CSV from the screen: C on the stock card, to a file named at the prompt
tui_type a1 "C"
tui_keys a1 Enter
tui_wait a1 "Write the list to CSV file"
tui_type a1 "$TUI_DIR/card.csv"
tui_keys a1 Enter
tui_wait a1 "rows to $TUI_DIR/card.csv"
head -1 "$TUI_DIR/card.csv" | grep -q "^move_date,move_id,kind,reference,location,lot,qty,value,run_qty,run_value" ||
	tui_fail "card.csv: $(head -1 "$TUI_DIR/card.csv")"
grep -q ",count,Count $count," "$TUI_DIR/card.csv" || tui_fail "card.csv lacks the count"

# --- and from the command line; an import with a bad row changes nothing
bd() { "$BD_BINARY" --config "$TUI_CONF" --user acct1 "$@"; }
[ "$(bd inventory valuation GLOBEX --csv | head -1 | tr -d '\r')" = "item,description,method,unit,qty,value,unit_cost" ] ||
	tui_fail "inventory valuation --csv: $(bd inventory valuation GLOBEX --csv 2>&1 | head -2)"
bd inventory card GLOBEX A-0011 --csv --out "$TUI_DIR/card2.csv" || tui_fail "inventory card --out"
cmp -s "$TUI_DIR/card.csv" "$TUI_DIR/card2.csv" || tui_fail "the screen's and the command's CSV differ"
printf 'code,description,unit,barcode\nIMP-1,Imported one,EA,\nIMP-2,Imported two,EA,4006381333932\n' >"$TUI_DIR/bad.csv"
if bd inventory import GLOBEX "$TUI_DIR/bad.csv" 2>"$TUI_DIR/import.err"; then
	tui_fail "an import with a bad check digit succeeded"
fi
grep -q "bad.csv:3: Barcode 4006381333932 is not a valid EAN-13" "$TUI_DIR/import.err" ||
	tui_fail "import message: $(cat "$TUI_DIR/import.err")"
tui_expect_sql "SELECT count(*) FROM inventory.items WHERE code LIKE 'IMP-%'" "0"
printf 'code,description,unit,barcode\nIMP-1,Imported one,EA,\nIMP-2,Imported two,EA,4006381333931\n' >"$TUI_DIR/good.csv"
bd inventory import GLOBEX "$TUI_DIR/good.csv" | grep -q "imported 2 items" || tui_fail "the good import"
tui_pass inventory
