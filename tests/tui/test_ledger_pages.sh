#!/bin/bash
# The journal entry's lines are a grid the form engine pages: PgDn shows
# lines 15-28 numbered at the left with the cursor on line 15's account,
# Enter from line 14's memo goes on to line 15, F6 copies the memo above,
# and F2 with an incomplete line on another page brings that page up with
# the cursor on the line's field.
. "$(dirname "$0")/lib.sh"
tui_setup

cursor() {
	tmux -L "$TUI_SOCKET" display-message -p -t "$1" '#{cursor_x},#{cursor_y}'
}

tui_start a1 -- demo --user acct1
tui_wait a1 "Choose a client"
tui_type a1 "ACME"
tui_keys a1 Enter
tui_menu a1 "Journal entry"
tui_wait a1 "Lines 1-14  Page 1 of 1"
tui_wait a1 "Ln Account    Name"
tui_wait_re a1 "^ 14 *\$"
# PgDn from the header shows lines 15-28; the cursor stays in the header
tui_keys a1 NPage
tui_wait a1 "Lines 15-28  Page 2 of 2"
tui_wait_re a1 "^ 15 *\$"
tui_keys a1 PPage
tui_wait a1 "Lines 1-14"
tui_keys a1 Enter Enter
tui_type a1 "PAGES-1"
tui_keys a1 Enter
tui_type a1 "Two pages of lines"
tui_keys a1 Enter
# line 1, then Down to line 14
tui_type a1 "5300"
tui_keys a1 Enter
tui_type a1 "40"
tui_keys a1 Enter Enter
tui_type a1 "rent"
tui_keys a1 Enter
for _ in 1 2 3 4 5 6 7 8 9 10 11 12; do
	tui_keys a1 Down
done
tui_type a1 "5600"
tui_keys a1 Enter
tui_type a1 "2"
tui_keys a1 Enter Enter
tui_type a1 "fees"
tui_wait_re a1 "^ 14 5600 +Bank charges +2.00 +fees"
# Enter from line 14's memo: line 15, on page 2, numbered at the left
tui_keys a1 Enter
tui_wait a1 "Lines 15-28  Page 2 of 2"
[ "$(cursor a1)" = "4,5" ] || tui_fail "not on line 15's account: $(cursor a1)"
tui_type a1 "1100"
tui_keys a1 Enter Enter
tui_type a1 "42"
tui_keys a1 Enter
# F6 on line 15's memo copies line 14's and goes on to line 16
tui_keys a1 F6
tui_wait_re a1 "^ 15 1100 +Cash at bank +42.00 +fees"
[ "$(cursor a1)" = "4,6" ] || tui_fail "not on line 16's account: $(cursor a1)"
tui_type a1 "1100"
# line 16 has an account and no amount: F2 from page 1 brings it back
tui_keys a1 PPage
tui_wait a1 "Lines 1-14"
tui_wait_gone a1 "Cash at bank"
tui_keys a1 F2
tui_wait a1 "Line 16: enter either a debit or a credit"
tui_wait a1 "Lines 15-28"
[ "$(cursor a1)" = "38,6" ] || tui_fail "not on line 16's debit: $(cursor a1)"
tui_keys a1 BTab Home C-k
tui_keys a1 F2
tui_wait a1 "submitted: another accountant approves it"
tui_expect_sql "SELECT string_agg(a.code || ':' || l.debit || ':' || l.credit || ':' || l.memo, ' ' ORDER BY l.line_no)
	FROM ledger.entries e JOIN ledger.lines l USING (client_id, entry_id)
	JOIN ledger.accounts a USING (client_id, account_id) WHERE e.reference = 'PAGES-1'" \
	"5300:40.00:0.00:rent 5600:2.00:0.00:fees 1100:0.00:42.00:fees"
tui_pass ledger_pages
