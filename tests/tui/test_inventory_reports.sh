#!/bin/bash
# Stock reports as of a date on screen (issue 18): acct1 asks GLOBEX's
# stock valuation at the end of a past month: each item's quantity and value
# are the database's for that date, whole and right-aligned at 80x24; C
# writes the same rows as `backdesk inventory valuation --as-of --csv`, and
# their values add up to the stock account's balance at that date. F3 goes
# back to the date; stock on hand as of the same date shows the item by
# location.
. "$(dirname "$0")/lib.sh"
tui_setup

day=$(tui_sql "SELECT (date_trunc('month', min(move_date)) + interval '2 months' - interval '1 day')::date
	FROM inventory.moves")
item=$(tui_sql "SELECT item FROM inventory.valuation('GLOBEX', '$day') WHERE qty > 0 ORDER BY item LIMIT 1")
[ -n "$item" ] || tui_fail "no GLOBEX item in stock on $day"
row=$(tui_sql "SELECT qty::numeric(18,0) || ' ' || to_char(value, 'FM999,999,990.00')
	FROM inventory.valuation('GLOBEX', '$day') WHERE item = '$item'")
today_row=$(tui_sql "SELECT qty::numeric(18,0) || ' ' || to_char(value, 'FM999,999,990.00')
	FROM inventory.valuation('GLOBEX', NULL) WHERE item = '$item'")
[ "$row" != "$today_row" ] || tui_fail "$item did not change after $day: pick another date"

tui_start a1 -- demo --user acct1
tui_wait a1 "Choose a client"
tui_type a1 "GLOBEX"
tui_keys a1 Enter
tui_menu a1 "Stock valuation"
tui_wait a1 "As of date"
tui_keys a1 Home C-k
tui_type a1 "$day"
tui_keys a1 Enter
tui_wait a1 "as of $day"
tui_wait_re a1 "^ +$item .* ${row% *} +${row#* } +[0-9.]+ *$"

# C: the rows to CSV, as the command line writes them
tui_type a1 "C"
tui_keys a1 Enter
tui_wait a1 "Write the list to CSV file"
tui_type a1 "$TUI_DIR/valuation.csv"
tui_keys a1 Enter
tui_wait a1 "rows to $TUI_DIR/valuation.csv"
"$BD_BINARY" --config "$TUI_CONF" --user acct1 inventory valuation GLOBEX --as-of "$day" --csv \
	--out "$TUI_DIR/valuation2.csv" || tui_fail "inventory valuation --out"
cmp -s "$TUI_DIR/valuation.csv" "$TUI_DIR/valuation2.csv" ||
	tui_fail "the screen's and the command's CSV differ"
total=$(awk -F, 'NR > 1 { s += $6 * 100 } END { printf "%.0f", s }' "$TUI_DIR/valuation.csv")
ledger=$(tui_sql "SELECT (sum(l.debit - l.credit) * 100)::bigint FROM ledger.lines l
	JOIN ledger.accounts a USING (client_id, account_id)
	JOIN ledger.entries e USING (client_id, entry_id)
	WHERE a.code = '1310' AND e.status = 'posted' AND e.entry_date <= '$day' AND a.client_id =
		(SELECT client_id FROM core.clients WHERE code = 'GLOBEX')")
[ "$total" = "$ledger" ] || tui_fail "valuation on $day sums to $total cents, the ledger's 1310 to $ledger"

# F3: back to the date; stock on hand as of it, by location
tui_keys a1 F3
tui_wait a1 "As of date"
tui_keys a1 F3
tui_menu a1 "Stock on hand"
tui_wait a1 "As of date"
tui_keys a1 Home C-k
tui_type a1 "$day"
tui_keys a1 Enter
tui_wait a1 "as of $day"
loc=$(tui_sql "SELECT location || ' ' || qty::numeric(18,0) FROM inventory.on_hand('GLOBEX', '$day')
	WHERE item = '$item' ORDER BY location LIMIT 1")
tui_wait_re a1 "^ +$item .* ${loc% *} +${loc#* } "
tui_pass inventory_reports
