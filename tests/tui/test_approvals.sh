#!/bin/bash
# The approvals inbox names the version it decides on: acct1's entry of
# 100.00 shows in acct2's open inbox at its version; acct1 withdraws it,
# makes it 950,000.00 and submits it again, and the open inbox shows the new
# amount at a new version by itself (it listens on the client's approvals
# channel); acct2 rejects it with a reason, which acct1 then finds on the
# entry.
. "$(dirname "$0")/lib.sh"
tui_setup

# The row of the screen holding TEXT.
row() {
	tui_screen "$1" | grep -F -- "$2" | head -1
}

# SQL as acct1 (the maker), for the steps keyed elsewhere.
as_acct1() {
	tui_sql "SET SESSION AUTHORIZATION acct1; $1"
}

lines='[{"account":"1100","debit":"100.00"},{"account":"4100","credit":"100.00"}]'
id=$(as_acct1 "SELECT ledger.entry_create('ACME', 'GJ', current_date, 'APV-1',
	'Stationery order', '$lines')")
as_acct1 "SELECT ledger.entry_submit('ACME', $id)" >/dev/null
v1=$(tui_sql "SELECT version FROM ledger.entries WHERE entry_id = $id")

tui_start a2 -- demo --user acct2
tui_wait a2 "Choose a client"
tui_type a2 "ACME"
tui_keys a2 Enter
tui_menu a2 "Approvals inbox"
tui_wait a2 "Type option"
tui_keys a2 F4
tui_type a2 "Stationery order"
tui_keys a2 Enter
tui_wait a2 "GJ $id"
row a2 "GJ $id" | grep -Eq "GJ $id +$v1 +acct1 +Stationery order +100\.00" ||
	tui_fail "the inbox row does not show version $v1 and 100.00: $(row a2 "GJ $id")"

# acct1 withdraws it, changes it and submits it again: the inbox follows.
big='[{"account":"1100","debit":"950000.00"},{"account":"4100","credit":"950000.00"}]'
as_acct1 "SELECT ledger.entry_reject('ACME', $id, $v1, NULL);
	SELECT ledger.entry_update('ACME', $id, 'GJ', current_date, 'APV-1', 'Stationery order',
		'$big');
	SELECT ledger.entry_submit('ACME', $id)" >/dev/null
v2=$(tui_sql "SELECT version FROM ledger.entries WHERE entry_id = $id")
[ "$v2" -gt "$v1" ] || tui_fail "the version did not change ($v1, $v2)"
tui_wait a2 "950,000.00"
row a2 "GJ $id" | grep -Eq "GJ $id +$v2 +acct1" ||
	tui_fail "the inbox row does not show version $v2: $(row a2 "GJ $id")"

# 4 asks why; the maker sees the reason.
tui_type a2 "4"
tui_keys a2 Enter
tui_wait a2 "why?"
tui_type a2 "Stationery for 950,000.00?"
tui_keys a2 Enter
tui_wait a2 "sent back to its maker"
tui_expect_sql "SELECT status || '|' || rejected_by || '|' || rejected_reason
	FROM ledger.entries WHERE entry_id = $id" "draft|acct2|Stationery for 950,000.00?"

# Amounts are never cut (issue 19): 12,345,678,901.23 in the 12 columns of
# the inbox at 80x24 shows scaled with its unit, never as 12,345,678,9.
huge='[{"account":"1100","debit":"12345678901.23"},{"account":"4100","credit":"12345678901.23"}]'
hid=$(as_acct1 "SELECT ledger.entry_create('ACME', 'GJ', current_date, 'APV-2', 'Huge one',
	'$huge')")
as_acct1 "SELECT ledger.entry_submit('ACME', $hid)" >/dev/null
tui_keys a2 F4
tui_wait a2 "Filter"
tui_keys a2 Home C-k
tui_type a2 "Huge one"
tui_keys a2 Enter
tui_wait a2 "GJ $hid"
row a2 "GJ $hid" | grep -Eq "Huge one +12\.35B\$" ||
	tui_fail "the inbox does not show 12,345,678,901.23 as 12.35B: $(row a2 "GJ $hid")"
tui_lacks a2 "12,345,678,9"
tui_lacks a2 "12345678901"
tui_pass "an amount too wide for its column is shown scaled, never cut"

# The maker finds the reason on the entry.
tui_start a1 -- demo --user acct1
tui_wait a1 "Choose a client"
tui_type a1 "ACME"
tui_keys a1 Enter
tui_menu a1 "Journal entries"
tui_wait a1 "Type option"
tui_keys a1 F4
tui_type a1 "Stationery order"
tui_keys a1 Enter
tui_wait a1 "draft"
tui_type a1 "5"
tui_keys a1 Enter
tui_wait a1 "Sent back by acct2 on"
tui_wait a1 "Stationery for 950,000.00?"
tui_pass approvals
