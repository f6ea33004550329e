#!/bin/bash
# long flow: sorts every list by every column; the list view runs under ASan in test_admin and test_lists_help
# Every list screen's "Sorted by X" is true (issue 16, item 5): on the
# sign-on list, the client choice, the admin's clients, operators and audit
# log (the supervisor's lists: test_supervisor_list_order.sh), as each opens
# and after each F11 (sort by the next column), the rows on the screen come
# in the order of column X: numbers and text monotonic, empty cells last
# (list_order.sh).
. "$(dirname "$0")/lib.sh"
tui_setup
. "$(dirname "$0")/list_order.sh"

# The demo's sign-on list.
tui_start so -- demo
tui_wait so "Sign on (demo)"
check_every_sort so app.signon.conf
tui_kill so

# The client choice.
tui_start cl -- demo --user clerk1
tui_wait cl "Choose a client"
check_every_sort cl app.clients.conf
tui_kill cl

# The admin's lists.
tui_start ad -- demo --user admin1
tui_wait ad "Choose a client"
tui_keys ad Enter
tui_menu ad "Clients"
tui_wait ad "Sorted by"
check_every_sort ad admin.clients.conf
tui_keys ad F3
tui_menu ad "Operators"
tui_wait ad "super1"
check_every_sort ad admin.operators.conf
tui_keys ad F3
tui_menu ad "Audit log"
tui_wait_re ad "Sorted by|Audit log"
tui_capture ad
[[ $TUI_SCREEN == *"Sorted by"* ]] || { tui_keys ad F2; tui_wait ad "Sorted by"; }
check_every_sort ad admin.audit.conf
tui_kill ad
tui_pass list_order
