#!/bin/bash
# The queue board's stock alert (issue 18): super1's board on GLOBEX shows,
# under its rows, the items at or below their minimum, and follows them by
# itself: an issue keyed in another session (clerk1, over its own
# connection) that takes an item below its minimum makes the alert appear
# on the open board without a key pressed; a receipt that brings it back
# makes it go. Only the supervisor's clients: ACME's board shows nothing of
# GLOBEX's stock.
. "$(dirname "$0")/lib.sh"
tui_setup

qty() { # on hand of item $1 at location $2
	tui_sql "SELECT coalesce(sum(s.qty), 0)::numeric(18,0) FROM inventory.stock s
		JOIN inventory.items i USING (client_id, item_id)
		JOIN inventory.locations l USING (client_id, location_id)
		WHERE i.code = '$1' AND l.code = '$2'"
}
# As clerk1 over a connection of its own: a move of one line at WH1.
move() { # kind item qty [unit cost]
	psql -X -A -t -q -v ON_ERROR_STOP=1 -d "$TUI_CONNINFO user=clerk1" -c "SELECT
		inventory.move_create('GLOBEX', '$1', current_date, 'T-$1', '',
		jsonb_build_array(jsonb_build_object('item', '$2', 'qty', '$3',
			'location', 'WH1', 'unit_cost', '${4:-1.00}')))"
}

# One item with a minimum, 2 under what it has: the demo sets one on every
# item, most of them low; only this one is kept.
item=$(tui_sql "SELECT i.code FROM inventory.stock s JOIN inventory.items i USING (client_id, item_id)
	JOIN inventory.locations l USING (client_id, location_id)
	WHERE l.code = 'WH1' GROUP BY i.code HAVING sum(s.qty) >= 5 ORDER BY i.code LIMIT 1")
[ -n "$item" ] || tui_fail "no GLOBEX item with 5 at WH1"
on=$(qty "$item" WH1)
tui_sql "DELETE FROM inventory.limits li USING inventory.items i
	WHERE i.client_id = li.client_id AND i.item_id = li.item_id AND i.code <> '$item'"
tui_sql "UPDATE inventory.limits SET min_qty = $on - 2, max_qty = $on + 20"
tui_expect_sql "SELECT count(*) FROM inventory.below_minimum" 0

tui_start sup -- demo --user super1
tui_wait sup "Choose a client"
tui_type sup "GLOBEX"
tui_keys sup Enter
tui_menu sup "Queue board"
tui_wait sup "GLOBEX  live"
tui_lacks sup "minimum"

# --- an issue of 3 from another session: below the minimum
move issue "$item" 3 | grep -q "posted" || tui_fail "the issue was not posted"
tui_wait sup "Stock: 1 item at or below its minimum"
tui_wait_re sup "^ +$item +WH1 +$((on - 3)) on hand, minimum $((on - 2)) EA"
tui_capture sup
[ "${#TUI_ROWS[@]}" -le 24 ] || tui_fail "the board is taller than 24 rows"
for r in "${TUI_ROWS[@]}"; do
	[ "${#r}" -le 80 ] || tui_fail "a row wider than 80: $r"
done
# the alert sits above the message line and the keys
[[ ${TUI_ROWS[20]} == *"Stock: 1 item"* ]] || tui_fail "the alert is not on row 20: ${TUI_ROWS[20]}"
[[ ${TUI_ROWS[21]} == *"$item"* ]] || tui_fail "the worst item is not on row 21: ${TUI_ROWS[21]}"
tui_pass "an issue below the minimum shows on the open board"

# --- a receipt of 5 brings it back: the alert goes
move receipt "$item" 5 | grep -q "posted" || tui_fail "the receipt was not posted"
tui_wait_gone sup "at or below"
tui_lacks sup "$item"
tui_pass "a receipt above the minimum clears the alert"

# --- low again; the board of ACME, the other client, says nothing of it
move issue "$item" 4 >/dev/null
tui_wait sup "Stock: 1 item at or below its minimum"
tui_keys sup F3
tui_menu sup "Change client (GLOBEX)"
tui_wait sup "Choose a client"
tui_type sup "ACME"
tui_keys sup Enter
tui_menu sup "Queue board"
tui_wait sup "ACME  live"
tui_lacks sup "minimum"
tui_pass "supervisor board stock alert"
