#!/bin/bash
# long flow: an end-to-end flow of several operators; its screens run under ASan in the shorter tests
# The general ledger at the keyboard, on the real demo database: acct1 keys a
# three-line journal entry, one account found with F4, sees the imbalance on
# screen, fixes it and submits; the database refuses acct1's own approval in
# the inbox; the entry appears in acct2's open inbox by itself, and acct2
# approves it there; the trial balance shows the posted amounts, writes them
# to a CSV file with F6 and drills down to the entry; acct1 reverses it from
# the entries list.
. "$(dirname "$0")/lib.sh"
tui_setup

# The row of the screen holding TEXT.
row() {
	tui_screen "$1" | grep -F -- "$2" | head -1
}

# acct2 opens the approvals inbox first: the entry will arrive by itself.
tui_start a2 -- demo --user acct2
tui_wait a2 "Choose a client"
tui_type a2 "ACME"
tui_keys a2 Enter
tui_menu a2 "Approvals inbox"
tui_wait a2 "Type option"
tui_wait a2 "Monthly depreciation"

# --- acct1 keys the entry ---------------------------------------------------
tui_start a1 -- demo --user acct1
tui_wait a1 "Choose a client"
tui_type a1 "ACME"
tui_keys a1 Enter
tui_menu a1 "Journal entry"
tui_wait a1 "Lines 1-14"
tui_wait a1 "Ln Account"
# where the cursor stands on the date field (the first)
cursor() {
	tmux -L "$TUI_SOCKET" display -p -t "$1" '#{cursor_x},#{cursor_y}'
}
on_date=$(cursor a1)
# date and journal keep their defaults (today, GJ)
tui_keys a1 Enter Enter
tui_type a1 "TUI-7"
tui_keys a1 Enter
tui_type a1 "Rent and bank fees from the TUI test"
tui_keys a1 Enter
# line 1: part of a name that only Rent has
tui_type a1 "rent"
tui_keys a1 Enter
tui_wait a1 "5300       Rent"
tui_type a1 "1000"
tui_keys a1 Enter Enter Enter
# line 2: by code
tui_type a1 "5600"
tui_keys a1 Enter
tui_wait a1 "5600       Bank charges"
tui_type a1 "25"
tui_keys a1 Enter Enter Enter
# line 3: "cash" matches two accounts: F4 lists them, Enter takes the first
tui_type a1 "cash"
tui_keys a1 Enter
tui_wait a1 "2 accounts match"
tui_keys a1 F4
tui_wait a1 "Petty cash"
tui_wait a1 "1100  Cash at bank"
tui_keys a1 Enter
tui_wait_gone a1 "Petty cash"
tui_keys a1 Enter Enter
tui_type a1 "1000"
tui_keys a1 Enter
tui_wait a1 "Cash at bank                        1000.00"
tui_wait a1 "Out of balance by 25.00: debits exceed credits"
tui_wait a1 "Totals    1,025.00     1,000.00"
# submitting refuses an unbalanced entry and keeps it on screen
tui_keys a1 F2
tui_wait a1 "The entry does not balance: debits 1,025.00, credits 1,000.00"
[ "$(tui_sql "SELECT count(*) FROM ledger.entries WHERE reference = 'TUI-7'")" = 0 ] ||
	tui_fail "an unbalanced entry reached the database"
# fix the credit of line 3 (the cursor is on its memo)
tui_keys a1 BTab Home C-k
tui_type a1 "1025"
tui_keys a1 Enter
tui_wait a1 "Balanced"
tui_wait a1 "Totals    1,025.00     1,025.00"
tui_keys a1 F2
tui_wait a1 "submitted: another accountant approves it"
id=$(tui_screen a1 | sed -n 's/.*Entry \([0-9][0-9]*\) submitted.*/\1/p')
[ -n "$id" ] || tui_fail "no entry id in the message"
[ "$(tui_sql "SELECT status || ' ' || maker || ' ' || reference FROM ledger.entries WHERE entry_id = $id")" = \
	"submitted acct1 TUI-7" ] || tui_fail "entry $id is not submitted by acct1"
[ "$(tui_sql "SELECT string_agg(a.code || ':' || l.debit || ':' || l.credit, ' ' ORDER BY l.line_no)
	FROM ledger.lines l JOIN ledger.accounts a USING (client_id, account_id)
	WHERE l.entry_id = $id")" = "5300:1000.00:0.00 5600:25.00:0.00 1100:0.00:1025.00" ] ||
	tui_fail "entry $id does not hold the three lines keyed"
# the screen is ready for the next entry, the cursor on its date
tui_wait_gone a1 "Balanced"
i=0
until [ "$(cursor a1)" = "$on_date" ]; do
	i=$((i + 1))
	[ $i -le 100 ] || tui_fail "after F2 the cursor is at $(cursor a1), not on the date ($on_date)"
	sleep 0.1
done
tui_pass "after F2 the cursor goes to the date of the next entry"

# the maker is not offered their own entry for approval (the database
# refuses it anyway: db.test_approvals)
tui_keys a1 F3
tui_menu a1 "Approvals inbox"
tui_wait a1 "Type option"
tui_wait a1 "all your clients  live"
tui_lacks a1 "Rent and bank"
tui_lacks a1 "TUI-7"

# --- acct2 approves it from the inbox --------------------------------------------
# It is there without F5: the inbox listens for submissions.
tui_wait a2 "Rent and bank"
# 5 shows the entry first
tui_keys a2 F4
tui_type a2 "Rent and bank"
tui_keys a2 Enter
tui_wait a2 "GJ $id"
row a2 "GJ $id" | grep -q "acct1" || tui_fail "the inbox row does not name the maker"
row a2 "GJ $id" | grep -q "1,025.00" || tui_fail "the inbox row does not show the amount"
tui_type a2 "5"
tui_keys a2 Enter
tui_wait a2 "Journal entry $id (ACME)"
tui_wait a2 "5600       Bank charges                     25.00"
tui_keys a2 F3
tui_wait a2 "Type option"
tui_type a2 "1"
tui_keys a2 Enter
tui_wait a2 "approved: GJ-"
number=$(tui_sql "SELECT journal || '-' || fiscal_year || '-' || lpad(entry_no::text, 6, '0')
	FROM ledger.entries WHERE entry_id = $id AND status = 'posted' AND approver = 'acct2'")
[ -n "$number" ] || tui_fail "entry $id was not posted by acct2"
tui_wait a2 "approved: $number"

# --- the trial balance shows it -------------------------------------------------
# The expected balances from the posted lines themselves, as the screen
# writes them (grouped, two decimals).
balance() {
	tui_sql "SELECT to_char(sum(l.debit - l.credit), 'FM999,999,990.00')
		FROM ledger.lines l
		JOIN ledger.accounts a USING (client_id, account_id)
		JOIN ledger.entries e USING (client_id, entry_id)
		JOIN core.clients c USING (client_id)
		WHERE c.code = 'ACME' AND a.code = '$1' AND e.status = 'posted'"
}
rent=$(balance 5300)
fees=$(balance 5600)
tui_keys a2 F3
tui_menu a2 "Ledger reports"
tui_wait a2 "Trial balance"
tui_type a2 "2"; tui_keys a2 Enter
tui_wait a2 "As of date"
tui_keys a2 Enter
tui_wait a2 "TOTAL"
row a2 "5300       Rent" | grep -qF " $rent" ||
	tui_fail "the trial balance does not show Rent at $rent: $(row a2 '5300')"
row a2 "5600       Bank charges" | grep -qF " $fees" ||
	tui_fail "the trial balance does not show Bank charges at $fees: $(row a2 '5600')"
total=$(row a2 "TOTAL")
set -- $total
[ "$2" = "$3" ] || tui_fail "the trial balance totals differ: $total"
# F6 writes it to a CSV file
tui_keys a2 F6
tui_wait a2 "Write the report to CSV file"
tui_keys a2 Home C-k
tui_type a2 "$TUI_DIR/tb.csv"
tui_keys a2 Enter
tui_wait a2 "rows to $TUI_DIR/tb.csv"
grep -q "^5300,Rent,expense,${rent//,/}," "$TUI_DIR/tb.csv" ||
	tui_fail "the CSV lacks Rent at $rent: $(cat "$TUI_DIR/tb.csv")"
head -1 "$TUI_DIR/tb.csv" | grep -q "^code,name,type,debit,credit" ||
	tui_fail "the CSV has no header row"

# drill down: the account's ledger, then the entry
tui_type a2 "5300"
tui_keys a2 Enter
tui_wait a2 "Account inquiry"
tui_wait a2 "$number Rent and bank fe"
tui_keys a2 End Enter
tui_wait a2 "Journal entry $id (ACME)"
tui_wait a2 "Approved by acct2"

# --- acct1 reverses it --------------------------------------------------------------
tui_keys a1 F3
tui_menu a1 "Journal entries"
tui_wait a1 "Type option"
tui_keys a1 F4
tui_type a1 "TUI-7"
tui_keys a1 Enter
tui_wait a1 "$number"
tui_type a1 "7"
tui_keys a1 Enter
tui_wait a1 "Reversal date"
tui_keys a1 Enter
tui_wait a1 "created for $number; it waits for approval"
[ "$(tui_sql "SELECT string_agg(a.code || ':' || l.debit || ':' || l.credit, ' ' ORDER BY l.line_no)
	FROM ledger.entries e JOIN ledger.lines l USING (client_id, entry_id)
	JOIN ledger.accounts a USING (client_id, account_id)
	WHERE e.reverses_entry_id = $id AND e.status = 'submitted' AND e.maker = 'acct1'")" = \
	"5300:0.00:1000.00 5600:0.00:25.00 1100:1025.00:0.00" ] ||
	tui_fail "no submitted reversal of entry $id with the lines swapped"
# The maker withdraws it from approval (3): a draft again, gone from the inbox.
rev=$(tui_sql "SELECT entry_id FROM ledger.entries WHERE reverses_entry_id = $id")
tui_keys a1 F4
tui_type a1 "Reversal of $number"
tui_keys a1 Enter
tui_wait a1 "submitted"
tui_type a1 "3"
tui_keys a1 Enter
tui_wait a1 "Withdraw entry $rev from approval, back to a draft?"
tui_keys a1 y
tui_wait a1 "Entry $rev withdrawn: a draft again"
tui_expect_sql "SELECT status FROM ledger.entries WHERE entry_id = $rev" draft

# --- the other reports, as acct2 ------------------------------------------------------
# profit and loss of this month: Rent as posted this month
month_rent=$(tui_sql "SELECT to_char(sum(l.debit - l.credit), 'FM999,999,990.00')
	FROM ledger.lines l JOIN ledger.accounts a USING (client_id, account_id)
	JOIN ledger.entries e USING (client_id, entry_id) JOIN core.clients c USING (client_id)
	WHERE c.code = 'ACME' AND a.code = '5300' AND e.status = 'posted'
	  AND l.entry_date >= date_trunc('month', current_date)")
tui_keys a2 F3
tui_wait a2 "Account inquiry"
tui_keys a2 F3
tui_wait a2 "TOTAL"
tui_keys a2 F3
tui_wait a2 "As of date"
tui_keys a2 F3
tui_wait a2 "Ledger reports"
tui_type a2 "3"; tui_keys a2 Enter
tui_wait a2 "From date"
tui_keys a2 Enter Enter
tui_wait a2 "NET INCOME"
tui_wait a2 "Previous period:"
row a2 "5300       Rent" | grep -qF " $month_rent " ||
	tui_fail "the profit and loss does not show this month's Rent $month_rent: $(row a2 5300)"
tui_keys a2 F3
tui_wait a2 "From date"
tui_keys a2 F3
tui_wait a2 "Ledger reports"
# the balance sheet balances
tui_type a2 "4"; tui_keys a2 Enter
tui_wait a2 "As of date"
tui_keys a2 Enter
tui_wait a2 "TOTAL LIABILITIES AND EQUITY"
set -- $(row a2 "TOTAL ASSETS")
assets=$3
set -- $(row a2 "TOTAL LIABILITIES AND EQUITY")
[ "$5" = "$assets" ] || tui_fail "the balance sheet does not balance: $assets, $5"
tui_keys a2 F3
tui_wait a2 "As of date"
tui_keys a2 F3
tui_wait a2 "Ledger reports"
# account inquiry: cash at bank, by part of its name; the last running
# balance is the account's balance
cash=$(balance 1100)
tui_type a2 "1"; tui_keys a2 Enter
tui_wait a2 "Account"
tui_type a2 "at bank"
tui_keys a2 Enter Enter Enter
tui_wait a2 "Opening balance"
tui_keys a2 End
tui_wait a2 "$number Rent and bank fe"
row a2 "$number Rent and bank fe" | grep -q " $cash\$" ||
	tui_fail "the account inquiry does not end at $cash: $(row a2 "$number")"

# --- the chart of accounts, as acct1 ----------------------------------------------------
tui_keys a1 F3
tui_menu a1 "Chart of accounts"
tui_wait a1 "Cash at bank"
tui_keys a1 F6
tui_wait a1 "New account"
tui_type a1 "1560"
tui_keys a1 Enter
tui_type a1 "Test software"
tui_keys a1 Enter
tui_type a1 "asset"
tui_keys a1 Enter
tui_type a1 "1000"
tui_keys a1 F2
tui_wait a1 "Account 1560 Test software added"
[ "$(tui_sql "SELECT a.name || ' ' || a.type || ' ' || p.code || ' ' || a.active
	FROM ledger.accounts a JOIN ledger.accounts p ON p.client_id = a.client_id
	AND p.account_id = a.parent_id JOIN core.clients c ON c.client_id = a.client_id
	WHERE c.code = 'ACME' AND a.code = '1560'")" = "Test software asset 1000 true" ] ||
	tui_fail "account 1560 was not added under 1000"
tui_keys a1 F4
tui_type a1 "1560"
tui_keys a1 Enter
tui_wait a1 "Test software"
tui_type a1 "7"
tui_keys a1 Enter
tui_wait a1 "Deactivate account 1560"
tui_type a1 "y"
tui_wait a1 "Account 1560 deactivated"
[ "$(tui_sql "SELECT a.active FROM ledger.accounts a JOIN core.clients c USING (client_id)
	WHERE c.code = 'ACME' AND a.code = '1560'")" = f ] || tui_fail "account 1560 is still active"

# --- fiscal periods: this month cannot close while entries wait for approval ----------
tui_keys a1 F3
tui_menu a1 "Fiscal periods"
tui_wait a1 "Type option"
month=$(tui_sql "SELECT to_char(current_date, 'YYYY-MM-01')")
tui_keys a1 F4
tui_type a1 "$month"
tui_keys a1 Enter
tui_wait a1 "Filter: $month"
tui_screen a1 | grep -qE "^ +[0-9]{4} +[0-9]+ +$month [0-9-]+ +open " ||
	tui_fail "this month is not listed open"
tui_type a1 "6"
tui_keys a1 Enter
tui_wait a1 "Close period"
tui_type a1 "y"
tui_wait a1 "wait for approval"
[ "$(tui_sql "SELECT p.state FROM ledger.periods p JOIN core.clients c USING (client_id)
	WHERE c.code = 'ACME' AND p.start_date = '$month'")" = open ] ||
	tui_fail "this month's period closed with entries waiting"
tui_pass ledger
