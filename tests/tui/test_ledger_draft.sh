#!/bin/bash
# A journal entry saved as a draft and finished later (issue 19). acct1 keys
# half an entry (one line, out of balance) and leaves: the question offers
# to keep it; the database refuses such an entry yet, so it is kept as the
# screen stood, and Journal entry brings it back; acct1 adds the other line
# and submits it. A whole entry kept on leaving becomes a draft entry, which
# Journal entries lists and 2 opens to submit.
. "$(dirname "$0")/lib.sh"
tui_setup

tui_start a1 -- demo --user acct1
tui_wait a1 "Choose a client"
tui_type a1 "ACME"
tui_keys a1 Enter
tui_menu a1 "Journal entry"
tui_wait a1 "Ln Account"
tui_keys a1 Enter Enter
tui_type a1 "DRAFT-1"
tui_keys a1 Enter
tui_type a1 "Half an accrual"
tui_keys a1 Enter
tui_type a1 "5300"
tui_keys a1 Enter
tui_wait a1 "5300       Rent"
tui_type a1 "300"
tui_keys a1 Enter Enter Enter
tui_wait a1 "Out of balance by 300.00"
tui_keys a1 F3
tui_wait a1 "The entry is not submitted"
tui_wait a1 "Keep it as a draft"
tui_keys a1 Enter
tui_wait a1 "Journal entry brings it back"
tui_expect_sql "SELECT count(*) FROM core.drafts WHERE login = 'acct1' AND screen = 'ledger.entry'" 1
tui_menu a1 "Journal entry"
tui_wait a1 "Half an accrual"
tui_wait a1 "5300       Rent"
tui_wait a1 "Out of balance by 300.00"
# line 2: from the date, Down to the description, line 1, line 2
tui_keys a1 Down Down Down
tui_type a1 "2100"
tui_keys a1 Enter
tui_wait a1 "2100       Accounts payable"
tui_keys a1 Enter
tui_type a1 "300"
tui_keys a1 Enter
tui_wait a1 "Balanced"
tui_keys a1 F2
tui_wait a1 "submitted: another accountant approves it"
tui_expect_sql "SELECT e.status || ' ' || count(*) FROM ledger.entries e
	JOIN ledger.lines l USING (client_id, entry_id) WHERE e.reference = 'DRAFT-1'
	GROUP BY e.status" "submitted 2"
tui_expect_sql "SELECT count(*) FROM core.drafts WHERE login = 'acct1'" 0
tui_pass "an unfinished entry is kept as it stood and finished later"

# A whole entry kept on leaving is a draft entry of Journal entries (the
# next entry starts on its date: Enter past date and journal).
tui_keys a1 Enter Enter
tui_type a1 "DRAFT-2"
tui_keys a1 Enter
tui_type a1 "Accrual to finish"
tui_keys a1 Enter
tui_type a1 "5300"
tui_keys a1 Enter
tui_wait a1 "5300       Rent"
tui_type a1 "40"
tui_keys a1 Enter Enter Enter
tui_type a1 "2100"
tui_keys a1 Enter
tui_wait a1 "2100       Accounts payable"
tui_keys a1 Enter
tui_type a1 "40"
tui_keys a1 Enter
tui_wait a1 "Balanced"
tui_keys a1 F3
tui_wait a1 "The entry is not submitted"
tui_keys a1 Enter
tui_wait a1 "kept as a draft: Journal entries, 2 beside it, finishes it"
id=$(tui_sql "SELECT entry_id FROM ledger.entries WHERE reference = 'DRAFT-2'
	AND status = 'draft' AND maker = 'acct1'")
[ -n "$id" ] || tui_fail "no draft entry DRAFT-2 of acct1"
tui_menu a1 "Journal entries"
tui_wait a1 "Type option"
tui_keys a1 F4
tui_type a1 "DRAFT-2"
tui_keys a1 Enter
tui_wait a1 "Accrual to finish"
tui_type a1 "2"
tui_keys a1 Enter
tui_wait a1 "Balanced"
tui_keys a1 F2
tui_wait a1 "Entry $id submitted"
tui_expect_sql "SELECT status FROM ledger.entries WHERE entry_id = $id" submitted
tui_pass "a whole entry kept on leaving is a draft entry, submitted later"
