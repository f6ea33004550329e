#!/bin/bash
# Inventory keeps work and shows it (issue 18): a receipt half keyed by
# scanning survives a dropped link (the tmux client killed: SIGHUP) as a
# draft, offered at the next sign-on and posted from there; an unknown
# barcode scanned says so and leaves the cursor in the item column; a move
# above the client's approval value waits in the approvals inbox, where 5
# shows it (header, lines, values) to the checker, who then approves it.
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
cursor() { # x,y of the cursor
	tmux -L "$TUI_SOCKET" display-message -p -t "$1" '#{cursor_x},#{cursor_y}'
}

bc_a=$(barcode A-0011)
a_wh1=$(qty A-0011 WH1)

# --- half a receipt, scanned; an unknown barcode on the way
tui_start c1 -- demo --user clerk1
tui_wait c1 "Choose a client"
tui_type c1 "GLOBEX"
tui_keys c1 Enter
tui_menu c1 "Receive goods"
tui_wait c1 "Unit cost"
tui_keys c1 Enter
tui_type c1 "DN-DROP"
tui_keys c1 Enter
tui_type c1 "WH1"
tui_keys c1 Enter Enter
item_at=$(cursor c1)
tui_type c1 "2000000009994"
tui_keys c1 Enter
tui_wait c1 "Line 1: no item has the code or barcode 2000000009994; scan or key another"
# still in line 1's item field, after the digits (the next scan replaces them)
[ "$(cursor c1)" = "$((${item_at%,*} + 13)),${item_at#*,}" ] ||
	tui_fail "the cursor left the item column: $(cursor c1), the item starts at $item_at"
for _ in 1 2; do
	tui_type c1 "$bc_a"
	tui_keys c1 Enter
	sleep 0.3
done
tui_wait c1 "A-0011: 2 on line 1"
tui_screen c1 | grep -Eq "^ +1 A-0011 .* 2 +WH1" || tui_fail "line 1: $(tui_screen c1 | grep A-0011)"
tui_pass "an unknown barcode is named and the cursor stays on the item"
# the unit cost being typed (its field not left) when the link drops
tui_keys c1 Up Enter Enter Enter Enter Enter
tui_type c1 "3.20"
tui_wait_re c1 "^ +1 A-0011 .* 2 +WH1 .* 3\.20"

# the link drops (the client killed); the scanned lines are a draft
tui_kill c1
tui_expect_sql "SELECT count(*) FROM core.drafts WHERE login = 'clerk1'
	AND screen = 'inventory.move:receipt'" 1
[ "$(qty A-0011 WH1)" = "$a_wh1" ] || tui_fail "stock moved before F2"

tui_start c2 -- demo --user clerk1
tui_wait c2 "Choose a client"
tui_type c2 "GLOBEX"
tui_keys c2 Enter
tui_wait c2 "You have an unsaved stock move (receipt) from"
tui_keys c2 y
tui_wait c2 "Receive goods"
tui_wait c2 "DN-DROP"
tui_screen c2 | grep -Eq "^ +1 A-0011 .* 2 +WH1 .* 3\.20" ||
	tui_fail "the draft's line 1: $(tui_screen c2 | grep A-0011)"
tui_keys c2 F2
tui_wait_re c2 "Move [0-9]+ posted"
[ "$(qty A-0011 WH1)" = $((a_wh1 + 2)) ] || tui_fail "A-0011 at WH1 after the draft's F2: $(qty A-0011 WH1)"
tui_expect_sql "SELECT count(*) FROM core.drafts WHERE login = 'clerk1'" 0
tui_expect_sql "SELECT count(*) FROM inventory.moves WHERE reference = 'DN-DROP'" 1
tui_pass "a half-keyed move survives a dropped link"
tui_keys c2 F3
tui_wait c2 "Main menu"

# --- a move above GLOBEX's approval value (5,000.00) waits; 5 in the inbox shows it
msg=$(tui_sql "SET SESSION AUTHORIZATION clerk1; SELECT inventory.move_create('GLOBEX',
	'receipt', current_date, 'DN-BIG', 'Year-end stock',
	'[{\"item\":\"A-0002\",\"qty\":\"1000\",\"location\":\"WH1\",\"unit_cost\":\"4.00\"},
	  {\"item\":\"A-0004\",\"qty\":\"300\",\"location\":\"WH2\",\"unit_cost\":\"5.50\"}]')")
id=$(echo "$msg" | sed -n 's/^Move \([0-9]*\) waits for approval.*/\1/p')
[ -n "$id" ] || tui_fail "the big receipt did not wait: $msg"

tui_start a1 -- demo --user acct1
tui_wait a1 "Choose a client"
tui_type a1 "GLOBEX"
tui_keys a1 Enter
tui_menu a1 "Approvals inbox"
tui_wait a1 "5,650.00"
tui_keys a1 F4
tui_type a1 "Receipt $id"
tui_keys a1 Enter
tui_wait a1 "Filter: Receipt $id"
tui_wait a1 "5,650.00"
tui_type a1 "5"
tui_keys a1 Enter
tui_wait a1 "Stock move $id (GLOBEX)"
tui_wait a1 "Move $id   Receipt"
tui_has a1 "waiting for approval"
tui_has a1 "Reference DN-BIG   Keyed by clerk1   Value when keyed 5,650.00"
tui_has a1 "Reason: Year-end stock"
tui_screen a1 | grep -Eq "^ *1  A-0002 +1000 EA +WH1 .* 4 +4,000\.00 *$" ||
	tui_fail "line 1: $(tui_screen a1 | grep A-0002)"
tui_screen a1 | grep -Eq "^ *2  A-0004 +300 EA +WH2 .* 5\.5 +1,650\.00 *$" ||
	tui_fail "line 2: $(tui_screen a1 | grep A-0004)"
tui_screen a1 | grep -Eq "Value \(keyed cost, else the cost now\) +5,650\.00" ||
	tui_fail "the total: $(tui_screen a1 | grep Value)"
tui_capture a1
for r in "${TUI_ROWS[@]}"; do
	[ "${#r}" -le 80 ] || tui_fail "a row wider than 80: $r"
done
tui_lacks a1 "cannot be opened here"
tui_keys a1 F3
tui_wait a1 "Type option"
tui_type a1 "1"
tui_keys a1 Enter
tui_expect_sql "SELECT status || ' ' || approver FROM inventory.moves WHERE move_id = $id" "posted acct1"
tui_pass "inventory keeps work and shows a move to its checker"
