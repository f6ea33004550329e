#!/bin/sh
# Terminal bytes (issue 4): what the clerk's screen writes to the terminal
# per ordinary keystroke and for a full 80x24 redraw, in colour and mono,
# and whether typing in a field talks to the database. Called by run.sh:
#
#   sh tests/bench/tty.sh BUILD_DIR CONFIG_FILE
#
# CONFIG_FILE names a data directory of its own: the demo database is
# created there. The program runs in a pseudo-terminal (bench_tty) as demo
# clerk clerk1 (colour) and clerk2 (mono): choose client ACME, "1. Key
# documents" (a claim is fetched and its form drawn), Ctrl-L (the full
# redraw), then type a name into the first field one key at a time. Prints
# markdown table rows like the other benchmarks.
set -eu

BUILD=${1:?usage: tty.sh BUILD_DIR CONFIG_FILE}
CONF=${2:?usage: tty.sh BUILD_DIR CONFIG_FILE}
BD=$BUILD/backdesk
DIR=$(dirname "$CONF")
TEXT=Johnsmithers
PSQL=$(ls -d /usr/lib/postgresql/*/bin/psql 2>/dev/null | sort -V | tail -1)
[ -n "$PSQL" ] || PSQL=$(command -v psql)

"$BD" --config "$CONF" demo --no-ui >"$DIR/tty-demo.out" 2>&1 ||
	{ cat "$DIR/tty-demo.out" >&2; exit 1; }
CI=$("$BD" --config "$CONF" db status --conninfo)

run() { # run LOGIN COLOR: the "name value" lines of bench_tty
	cat >"$DIR/probe.sh" <<EOF
"$PSQL" -X -At "$CI" -c "SELECT (SELECT count(*) FROM entry.documents WHERE claimed_by = '$1' AND lease_until > now()) || ':' || count(*) || ':' || coalesce(string_agg(pid || '@' || coalesce(query_start::text, '-'), ',' ORDER BY pid), '') FROM pg_stat_activity WHERE usename = '$1'"
EOF
	TERM=xterm-256color "$BUILD/bench_tty" --nav '\r' --nav '1\r' --nav '\f' --type "$TEXT" \
		--probe "sh $DIR/probe.sh" -- "$BD" --config "$CONF" --set "ui.color=$2" demo --user "$1"
}

value() { # value NAME < output
	awk -v n="$1" '$1 == n { $1 = ""; sub(/^ /, ""); print; exit }'
}

trips=0
for mode in colour mono; do
	if [ $mode = colour ]; then
		out=$(run clerk1 true) login=clerk1 key_goal=40
	else
		out=$(run clerk2 false) login=clerk2 key_goal=16
	fi
	echo "$out" | sed 's/^/tty.sh: '"$mode"' /' >&2
	form=$(echo "$out" | value nav_bytes_2)
	redraw=$(echo "$out" | value nav_bytes_3)
	mean=$(echo "$out" | value per_key_mean)
	max=$(echo "$out" | value per_key_max)
	before=$(echo "$out" | value probe_before)
	after=$(echo "$out" | value probe_after)
	# claimed documents:sessions:pid@last query start,...
	case $before in 0:* | *:0:* | '')
		echo "tty.sh: $login holds no document or has no session: the claim form was not reached" >&2
		exit 1
		;;
	esac
	[ "$before" = "$after" ] || trips=$((trips + 1))
	met=$(awk -v m="$mean" -v g="$key_goal" 'BEGIN { print (m <= g) ? "yes" : "**no**" }')
	echo "| Terminal: clerk's claim form, $mode | bytes per ordinary keystroke, mean of ${#TEXT} (max) | $mean ($max) | - | - | <= $key_goal | $met |"
	met=$([ "$redraw" -le 3584 ] && echo yes || echo "**no**")
	echo "| Terminal: clerk's claim form, $mode | bytes of a full 80x24 redraw (Ctrl-L); drawing the form after the menu | $redraw; $form | - | - | <= 3.5 KB | $met |"
done
met=$([ $trips = 0 ] && echo yes || echo "**no**")
echo "| Terminal: clerk's claim form | database queries while keys were typed (both runs) | $([ $trips = 0 ] && echo none || echo "in $trips of 2 runs") | - | - | none | $met |"
