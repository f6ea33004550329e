#!/bin/bash
# Every list screen's "Sorted by X" is true (issue 16, item 5): on each list
# (sign-on, client choice, admin clients, operators and audit log, the queue
# board, claims, queue actions and operator productivity), as it opens and after each F11 (sort by the next column), the
# rows on the screen come in the order of column X: numbers and text
# monotonic, empty cells last. Formatted columns are read by their format
# (SLA buckets, durations); the few whose sort key is not on the screen
# (Lease, Flag, Working) are named below and skipped.
. "$(dirname "$0")/lib.sh"
tui_setup
SCREENS=$(cd "$(dirname "$0")/../../screens" && pwd)
SKIP="Lease Flag Working"

clerk_sql() {
	psql -X -A -t -q -v ON_ERROR_STOP=1 -d "$TUI_CONNINFO user=$1" -c "$2"
}

# sort_key HEADING CELL: a key that `sort -g` orders as the list should, for
# the formatted columns; the cell itself otherwise.
sort_key() {
	local h=$1 v=$2 s=0 n
	case $h in
	SLA)
		case $v in
		overdue) echo 0 ;; "<1h") echo 1 ;; "<4h") echo 2 ;; "<24h") echo 3 ;;
		later) echo 4 ;; done) echo 5 ;; *) echo "bad SLA '$v'" >&2; echo 9 ;;
		esac
		return
		;;
	Held | Idle | Time)
		# "1h05m", "12m", "45s", "2d3h"
		while [[ $v =~ ^([0-9]+)([dhms])(.*)$ ]]; do
			n=${BASH_REMATCH[1]}
			case ${BASH_REMATCH[2]} in
			d) s=$((s + n * 86400)) ;; h) s=$((s + n * 3600)) ;; m) s=$((s + n * 60)) ;;
			s) s=$((s + n)) ;;
			esac
			v=${BASH_REMATCH[3]}
		done
		echo "$s"
		return
		;;
	esac
	echo "$v"
}

# check_list SESSION CONF: the rows shown are in the order of the column the
# "Sorted by" label names. Prints that heading.
check_list() {
	local name=$1 conf=$2 i info=-1 label hdr=-1 k=-1 base start width j line cell
	local -a heads widths cells keys
	tui_capture "$name"
	for ((i = 1; i < ${#TUI_ROWS[@]}; i++)); do
		if [[ ${TUI_ROWS[i]} =~ Sorted\ by\ (.*[^ ])\ \ (Bottom|More\.\.\.) ]]; then
			info=$i
			label=${BASH_REMATCH[1]}
			label=${label#"${label%%[! ]*}"}
			break
		fi
	done
	[ "$info" -ge 0 ] || tui_fail "no 'Sorted by' on $name"
	while IFS=$'\t' read -r h w; do
		heads+=("$h")
		widths+=("$w")
	done < <(sed -n 's/.*{ *name = "[^"]*"; *heading = "\([^"]*\)"; *width = \([0-9]*\);.*/\1\t\2/p' \
		"$SCREENS/$conf")
	for ((j = 0; j < ${#heads[@]}; j++)); do
		[ "$(echo "${heads[j]}" | sed 's/^ *//')" = "$label" ] && k=$j
	done
	[ "$k" -ge 0 ] || tui_fail "'$label' is not a column of $conf"
	for ((i = info + 1; i < info + 4; i++)); do
		if [[ ${TUI_ROWS[i]} == *"${heads[0]}"* && ${TUI_ROWS[i]} == *"${heads[1]}"* ]]; then
			hdr=$i
			break
		fi
	done
	[ "$hdr" -ge 0 ] || tui_fail "no column headings under the label on $name"
	line=${TUI_ROWS[hdr]}
	base=${line%%"${heads[0]}"*}
	start=${#base}
	for ((j = 0; j < k; j++)); do
		start=$((start + widths[j] + 1))
	done
	width=${widths[k]}
	for ((i = hdr + 1; i < 22; i++)); do
		line=${TUI_ROWS[i]:-}
		[[ $line =~ [^\ ] ]] || break
		cell=${line:start:width}
		cell=$(echo "$cell" | sed 's/^ *//; s/ *$//')
		cells+=("$cell")
	done
	[ "${#cells[@]}" -ge 2 ] || tui_fail "$name: fewer than two rows to compare"
	case " $SKIP " in *" $label "*) echo "$label (skipped: its sort key is not shown)"; return ;; esac
	# Empty cells last.
	local seen_empty=0
	for cell in "${cells[@]}"; do
		if [ -z "$cell" ]; then
			seen_empty=1
		elif [ $seen_empty = 1 ]; then
			tui_fail "$name sorted by $label: an empty cell before '$cell': ${cells[*]}"
		else
			keys+=("$(sort_key "$label" "$cell")")
		fi
	done
	local opt=-f
	if printf '%s\n' "${keys[@]}" | grep -qvE '^-?[0-9]+(\.[0-9]+)?$'; then
		opt=-f
	else
		opt=-g
	fi
	if ! printf '%s\n' "${keys[@]}" | LC_ALL=C sort -c $opt 2>/dev/null &&
		! printf '%s\n' "${keys[@]}" | LC_ALL=C sort -c -r $opt 2>/dev/null; then
		tui_fail "$name says 'Sorted by $label' but the column reads: $(printf '[%s] ' "${cells[@]}")"
	fi
	echo "$label"
}

# check_every_sort SESSION CONF: the order as the list opens, then after each
# F11 through every column and back to the first.
check_every_sort() {
	local name=$1 conf=$2 n first next
	n=$(grep -c '{ *name = "[^"]*"; *heading = ' "$SCREENS/$conf")
	first=$(check_list "$name" "$conf")
	echo "  $conf: $first"
	for ((c = 1; c < n; c++)); do
		tui_keys "$name" F11
		# wait for the label to change
		local end=$((SECONDS + TUI_WAIT_LIMIT))
		until tui_capture "$name" && [[ $TUI_SCREEN =~ Sorted\ by\ (.*[^ ])\ \ (Bottom|More) ]] &&
			[ "$(echo "${BASH_REMATCH[1]}" | sed 's/^ *//')" != "${prev:-$first}" ]; do
			[ $SECONDS -lt $end ] || tui_fail "F11 did not change the sort on $name"
			sleep 0.1
		done
		prev=$(check_list "$name" "$conf")
		echo "  $conf: $prev"
		prev=${prev%% (*}
	done
	prev=
	tui_keys "$name" F11
}

# Some work on the floor: claims held by two clerks, a reassignment and a
# release (queue actions), keyed passes (productivity).
acme=$(tui_sql "SELECT client_id FROM core.clients WHERE code = 'ACME'")
for c in clerk1 clerk2 clerk3; do
	clerk_sql $c "SELECT document_id FROM entry.claim_next(300, $acme)" >/dev/null
done
globex=$(tui_sql "SELECT client_id FROM core.clients WHERE code = 'GLOBEX'")
clerk_sql clerk2 "SELECT document_id FROM entry.claim_next(300, $globex)" >/dev/null
w=$(tui_sql "SELECT document_id FROM entry.documents WHERE client_id = $acme AND state = 'waiting'
	ORDER BY document_id DESC LIMIT 1")
clerk_sql super1 "SELECT entry.sup_reassign($w, 'clerk1', 300)" >/dev/null
held=$(tui_sql "SELECT document_id FROM entry.documents WHERE claimed_by = 'clerk3' LIMIT 1")
clerk_sql super1 "SELECT entry.sup_release($held, 'test')" >/dev/null
clerk_sql clerk3 "SELECT document_id FROM entry.claim_next(300, $acme)" >/dev/null
values='{"patient": "Doe, Jon", "birth_date": "1980-01-02", "policy": "AB-12345674",
	"relation": "SELF", "service_from": "2024-06-01", "proc1": "99213", "diag1": "J20.9",
	"amount1": "10.00", "total": "10.00"}'
for c in clerk1 clerk2; do
	d=$(tui_sql "SELECT document_id FROM entry.documents WHERE claimed_by = '$c'
		AND client_id = $acme AND state = 'in_progress' ORDER BY document_id LIMIT 1")
	clerk_sql $c "SELECT entry.submit($d, '$values', $((RANDOM % 200 + 50)), 1, 30, 9)" >/dev/null
	clerk_sql $c "SELECT document_id FROM entry.claim_next(300, $acme)" >/dev/null
done

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
tui_pass list_order
