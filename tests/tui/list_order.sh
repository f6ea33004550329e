# Shared by test_list_order*.sh: checks that a list screen's rows come in
# the order its "Sorted by" label names. Source it after lib.sh and tui_setup.
SCREENS=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../screens" && pwd)
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
		[ "${heads[j]#"${heads[j]%%[! ]*}"}" = "$label" ] && k=$j
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
		cell=${cell#"${cell%%[! ]*}"}
		cell=${cell%"${cell##*[! ]}"}
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
			case $label in
			SLA | Held | Idle | Time) keys+=("$(sort_key "$label" "$cell")") ;;
			*) keys+=("$cell") ;;
			esac
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
			now=${BASH_REMATCH[1]} && [ "${now#"${now%%[! ]*}"}" != "${prev:-$first}" ]; do
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

