#!/bin/bash
# long flow: sorts every list by every column; the list view runs under ASan in test_admin and test_lists_help
# The supervisor's lists' "Sorted by X" is true (issue 16, item 5; the other
# lists: test_list_order.sh): the queue board, claims, queue actions and
# operator productivity, as each opens and after each F11, on a floor with
# claims, a reassignment, a release and keyed passes. Formatted columns are
# read by their format (SLA buckets, durations); the few whose sort key is not
# on the screen (Lease, Flag, Working) are skipped (list_order.sh).
. "$(dirname "$0")/lib.sh"
tui_setup
. "$(dirname "$0")/list_order.sh"

# Some work on the floor: claims held by two clerks, a reassignment and a
# release (queue actions), keyed passes (productivity).
acme=$(tui_sql "SELECT client_id FROM core.clients WHERE code = 'ACME'")
for c in clerk1 clerk2 clerk3; do
	clerk_sql $c "SELECT document_id FROM entry.claim_next(300, 'ACME')" >/dev/null
done
globex=$(tui_sql "SELECT client_id FROM core.clients WHERE code = 'GLOBEX'")
clerk_sql clerk2 "SELECT document_id FROM entry.claim_next(300, 'GLOBEX')" >/dev/null
w=$(tui_sql "SELECT document_id FROM entry.documents WHERE client_id = $acme AND state = 'waiting'
	ORDER BY document_id DESC LIMIT 1")
clerk_sql super1 "SELECT entry.sup_reassign($w, 'clerk1', 300)" >/dev/null
held=$(tui_sql "SELECT document_id FROM entry.documents WHERE claimed_by = 'clerk3' LIMIT 1")
clerk_sql super1 "SELECT entry.sup_release($held, 'test')" >/dev/null
clerk_sql clerk3 "SELECT document_id FROM entry.claim_next(300, 'ACME')" >/dev/null
values='{"patient": "Doe, Jon", "birth_date": "1980-01-02", "policy": "AB-12345674",
	"relation": "SELF", "service_from": "2024-06-01", "proc1": "99213", "diag1": "J20.9",
	"amount1": "10.00", "total": "10.00"}'
for c in clerk1 clerk2; do
	d=$(tui_sql "SELECT document_id FROM entry.documents WHERE claimed_by = '$c'
		AND client_id = $acme AND state = 'in_progress' ORDER BY document_id LIMIT 1")
	clerk_sql $c "SELECT entry.submit($d, '$values', $((RANDOM % 200 + 50)), 1, 30, 9)" >/dev/null
	clerk_sql $c "SELECT document_id FROM entry.claim_next(300, 'ACME')" >/dev/null
done

# The supervisor's lists.
tui_start su -- demo --user super1
tui_wait su "Choose a client"
tui_keys su Enter
tui_menu su "Queue board"
tui_wait su "Sorted by SLA"
check_every_sort su supervisor.board.conf
tui_keys su F3
tui_menu su "Claims"
tui_wait su "Sorted by Held"
check_every_sort su supervisor.claims.conf
tui_keys su F3
tui_menu su "Queue actions"
tui_wait su "Sorted by"
check_every_sort su supervisor.actions.conf
tui_keys su F3
tui_menu su "Operator productivity"
tui_wait su "Period"
tui_keys su F2
tui_wait su "Sorted by Login"
check_every_sort su supervisor.productivity.conf
tui_pass supervisor_list_order
