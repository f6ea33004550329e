# Shared by the TUI tests: the real backdesk binary, in a real terminal
# (tmux), on a real demo database (the embedded cluster, in a private
# temporary directory). Source it, then call tui_setup.
#
# Nothing here depends on the machine's speed: every wait polls the screen
# until the expected text appears, with a generous limit that only a hang
# reaches.

set -eu

BD_BINARY=${BD_BINARY:?set by ctest: the backdesk binary}
export LANG=C.UTF-8 LC_ALL=C.UTF-8
unset PGHOST PGHOSTADDR PGSERVICE PGDATABASE
TUI_WAIT_LIMIT=${TUI_WAIT_LIMIT:-60}

tui_fail() {
	echo "FAIL: $*" >&2
	for s in $(tmux -L "$TUI_SOCKET" list-sessions -F '#S' 2>/dev/null); do
		echo "--- screen of $s ---" >&2
		tmux -L "$TUI_SOCKET" capture-pane -p -t "$s" >&2 || true
	done
	exit 1
}

tui_cleanup() {
	tmux -L "$TUI_SOCKET" kill-server 2>/dev/null || true
	if [ -n "${TUI_DIR:-}" ] && [ -d "$TUI_DIR" ]; then
		[ ! -d "$TUI_DIR/standby/pgdata" ] || tui_standby_stop
		"$BD_BINARY" --config "$TUI_CONF" db stop >/dev/null 2>&1 || true
		rm -rf "$TUI_DIR"
	fi
}

# tui_write_conf DIR [EXTRA...]: a config file for a demo cluster in DIR,
# with extra setting lines (e.g. 'ui = { idle_lock_minutes = 1; };').
tui_write_conf() {
	dir=$1
	shift
	{
		echo "database = { data_dir = \"$dir/cluster\"; };"
		echo "log = { file = \"$dir/backdesk.log\"; };"
		for line in "$@"; do
			echo "$line"
		done
	} >"$dir/backdesk.conf"
}

# A stopped demo cluster, made once per binary and copied by each test:
# initdb and the seed take ten seconds or more on a busy machine, a copy one.
# Prints the template's cluster directory, or nothing (then each test makes
# its own). BD_TUI_NO_TEMPLATE=1 turns it off.
tui_template() {
	[ -z "${BD_TUI_NO_TEMPLATE:-}" ] && command -v flock >/dev/null && command -v cksum >/dev/null ||
		return 0
	base=${TMPDIR:-/tmp}
	key=$(cksum <"$BD_BINARY" | cut -d' ' -f1)
	tpl=$base/bdtui-template-$key
	(
		flock 9
		if [ ! -f "$tpl/ready" ]; then
			# Old binaries' templates, unused for an hour.
			find "$base" -maxdepth 1 -name 'bdtui-template-*' ! -name "bdtui-template-$key" \
				-mmin +60 -exec rm -rf {} + 2>/dev/null || true
			rm -rf "$tpl"
			# The cluster must not inherit the lock (9>&-): a postmaster
			# left running by a failed seed would hold it, and every test
			# after would wait on it for good. Stopped whether or not the
			# seed worked.
			if mkdir -p "$tpl" && chmod 0711 "$tpl" && tui_write_conf "$tpl"; then
				if "$BD_BINARY" --config "$tpl/backdesk.conf" demo --no-ui \
					>"$tpl/demo.out" 2>&1 9>&-; then
					touch "$tpl/ready.pending"
				fi
				"$BD_BINARY" --config "$tpl/backdesk.conf" db stop >>"$tpl/demo.out" 2>&1 9>&- &&
					[ -f "$tpl/ready.pending" ] && touch "$tpl/ready"
			fi
		fi
	) 9>"$base/bdtui-template.lock"
	[ -f "$tpl/ready" ] && echo "$tpl/cluster"
	return 0
}

# A fresh directory with a config file naming a demo cluster in it (not
# created); exports TUI_DIR, TUI_CONF and TUI_SOCKET. Extra arguments are
# setting lines for the config file (tui_write_conf).
tui_setup_bare() {
	command -v tmux >/dev/null || { echo "tmux is not installed (make deps)"; exit 1; }
	TUI_DIR=$(mktemp -d /tmp/bdtui-XXXXXX)
	chmod 0711 "$TUI_DIR"
	TUI_SOCKET=bdtui-$$
	TUI_CONF=$TUI_DIR/backdesk.conf
	tui_write_conf "$TUI_DIR" "$@"
	trap tui_cleanup EXIT
	export TUI_CONF TUI_DIR TUI_SOCKET
}

# tui_setup_bare, then the demo database; exports TUI_CONNINFO (the
# superuser's conninfo, for psql) too.
tui_setup() {
	tui_setup_bare "$@"
	tpl=$(tui_template)
	if [ -n "$tpl" ]; then
		(flock -s 9 && cp -a "$tpl" "$TUI_DIR/cluster") 9>"${TMPDIR:-/tmp}/bdtui-template.lock" &&
			echo "unix_socket_directories = '$TUI_DIR/cluster/run'" \
				>>"$TUI_DIR/cluster/pgdata/postgresql.conf" ||
			rm -rf "$TUI_DIR/cluster"
	fi
	"$BD_BINARY" --config "$TUI_CONF" demo --no-ui >"$TUI_DIR/demo.out" 2>&1 ||
		{ cat "$TUI_DIR/demo.out" >&2; tui_fail "demo --no-ui failed"; }
	TUI_CONNINFO=$("$BD_BINARY" --config "$TUI_CONF" db status --conninfo)
	export TUI_CONF TUI_CONNINFO TUI_DIR TUI_SOCKET
}

# tui_start NAME [COLS ROWS] -- ARGS...: backdesk ARGS in a new tmux session
# (with the environment settings in TUI_ENV, e.g. TUI_ENV="TERM=vt100").
tui_start() {
	name=$1
	shift
	cols=80 rows=24
	if [ "$1" != "--" ]; then
		cols=$1 rows=$2
		shift 2
	fi
	shift
	cmd="${TUI_ENV:+env $TUI_ENV }$BD_BINARY --config $TUI_CONF"
	for a in "$@"; do
		cmd="$cmd '$a'"
	done
	# Once in a few hundred runs tmux 3.3a's server died as the first
	# session was being made ("server exited unexpectedly"); the program
	# under test never started then, so trying again hides nothing of ours.
	tries=0
	until tmux -L "$TUI_SOCKET" -u -f /dev/null new-session -d -s "$name" -x "$cols" -y "$rows" \
		"$cmd; echo EXITED \$?; sleep 600"; do
		tries=$((tries + 1))
		[ "$tries" -lt 3 ] || tui_fail "tmux could not make session $name"
		echo "note: tmux new-session failed, trying again" >&2
		tmux -L "$TUI_SOCKET" has-session -t "$name" 2>/dev/null && break
		sleep 1
	done
	tmux -L "$TUI_SOCKET" set-option -t "$name" status off >/dev/null
	tmux -L "$TUI_SOCKET" resize-window -t "$name" -x "$cols" -y "$rows" 2>/dev/null || true
}

tui_screen() {
	tmux -L "$TUI_SOCKET" capture-pane -p -t "$1"
}

# tui_capture NAME: the screen into TUI_SCREEN and its rows into the array
# TUI_ROWS (0 = the status line): one capture, no other process, so that
# polling stays cheap on a loaded machine.
tui_capture() {
	TUI_SCREEN=$(tmux -L "$TUI_SOCKET" capture-pane -p -t "$1") || TUI_SCREEN=
	mapfile -t TUI_ROWS <<<"$TUI_SCREEN"
}

# tui_keys NAME KEY...: tmux send-keys (key names like Enter, F2, Escape, BTab).
tui_keys() {
	name=$1
	shift
	tmux -L "$TUI_SOCKET" send-keys -t "$name" "$@"
}

# tui_type NAME TEXT: types TEXT literally.
tui_type() {
	tmux -L "$TUI_SOCKET" send-keys -t "$1" -l "$2"
}

# tui_wait NAME TEXT: waits until TEXT (a fixed string) is on the screen.
tui_wait() {
	local end=$((SECONDS + TUI_WAIT_LIMIT))
	until tui_capture "$1" && [[ $TUI_SCREEN == *"$2"* ]]; do
		[ $SECONDS -lt $end ] || tui_fail "'$2' never appeared on $1"
		sleep 0.1
	done
}

# tui_wait_gone NAME TEXT: waits until TEXT is no longer on the screen.
tui_wait_gone() {
	local end=$((SECONDS + TUI_WAIT_LIMIT))
	while tui_capture "$1" && [[ $TUI_SCREEN == *"$2"* ]]; do
		[ $SECONDS -lt $end ] || tui_fail "'$2' never went away on $1"
		sleep 0.1
	done
}

# tui_wait_re NAME REGEX: waits until a line of the screen matches REGEX (ERE).
tui_wait_re() {
	local end=$((SECONDS + TUI_WAIT_LIMIT))
	until tui_capture "$1" && grep -qE -- "$2" <<<"$TUI_SCREEN"; do
		[ $SECONDS -lt $end ] || tui_fail "/$2/ never appeared on $1"
		sleep 0.1
	done
}

# tui_row NAME N: row N (0 = the status line) of the screen, as shown.
tui_row() {
	tui_capture "$1"
	echo "${TUI_ROWS[$2]:-}"
}

# tui_wait_row NAME N TEXT: waits until row N is exactly TEXT (trailing
# blanks ignored).
tui_wait_row() {
	local end=$((SECONDS + TUI_WAIT_LIMIT)) row
	for (( ; ; )); do
		tui_capture "$1"
		row=${TUI_ROWS[$2]:-}
		row=${row%"${row##*[! ]}"}
		[ "$row" != "$3" ] || return 0
		[ $SECONDS -lt $end ] || tui_fail "row $2 of $1 is '$row', expected '$3'"
		sleep 0.1
	done
}

# tui_has NAME TEXT: fails unless TEXT is on the screen now.
tui_has() {
	tui_capture "$1"
	[[ $TUI_SCREEN == *"$2"* ]] || tui_fail "'$2' is not on $1"
}

# tui_lacks NAME TEXT: fails if TEXT is on the screen now.
tui_lacks() {
	tui_capture "$1"
	[[ $TUI_SCREEN != *"$2"* ]] || tui_fail "'$2' should not be on $1"
}

# tui_size NAME: "COLSxROWS" of the pane.
tui_size() {
	tmux -L "$TUI_SOCKET" display-message -p -t "$1" '#{pane_width}x#{pane_height}'
}

# tui_resize NAME COLS ROWS: resizes the terminal (the program gets SIGWINCH).
tui_resize() {
	tmux -L "$TUI_SOCKET" resize-window -t "$1" -x "$2" -y "$3"
	[ "$(tui_size "$1")" = "$2x$3" ] || tui_fail "$1 is $(tui_size "$1"), not $2x$3"
}

# tui_pid NAME: the pid of the backdesk process running in session NAME.
tui_pid() {
	shell=$(tmux -L "$TUI_SOCKET" display-message -p -t "$1" '#{pane_pid}')
	pid=$(pgrep -P "$shell" -f "$BD_BINARY" | head -n 1 || true)
	[ -n "$pid" ] || tui_fail "no backdesk process under the shell $shell of $1"
	echo "$pid"
}

# tui_exit_status NAME: waits until backdesk in NAME has exited; prints its
# exit status.
tui_exit_status() {
	tui_wait "$1" "EXITED "
	tui_screen "$1" | sed -n 's/^EXITED \([0-9]*\)$/\1/p' | tail -n 1
}

# tui_kill NAME: ends the tmux session NAME (and the program in it).
tui_kill() {
	tmux -L "$TUI_SOCKET" kill-session -t "$1" 2>/dev/null || true
}

# tui_sql SQL: one value from the demo database, as its superuser.
tui_sql() {
	psql -X -A -t -q -v ON_ERROR_STOP=1 -d "$TUI_CONNINFO" -c "$1"
}

# tui_expect_sql SQL EXPECTED: waits until the query returns EXPECTED.
tui_expect_sql() {
	local end=$((SECONDS + TUI_WAIT_LIMIT))
	while [ "$(tui_sql "$1")" != "$2" ]; do
		[ $SECONDS -lt $end ] || tui_fail "'$1' gave '$(tui_sql "$1")', expected '$2'"
		sleep 0.1
	done
}

# tui_import_claims CSV MODE: imports CSV as an ACME claim batch keyed in
# MODE (single, single_qa, double) at priority 99, ahead of the demo's
# batches, as supervisor super1; prints the batch id.
tui_import_claims() {
	local out batch
	out=$("$BD_BINARY" --config "$TUI_CONF" --user super1 batch import ACME claim "$1" \
		--mode "$2" --priority 99 --sla 4 2>&1) || tui_fail "import: $out"
	batch=$(echo "$out" | sed -n 's/^batch \([0-9]*\):.*/\1/p')
	[ -n "$batch" ] || tui_fail "no batch id in: $out"
	echo "$batch"
}

tui_pass() {
	echo "PASS: $1"
}

# tui_menu NAME LABEL: picks the main-menu item called LABEL: its number, then
# Enter (every menu takes a number with Enter).
tui_menu() {
	tui_wait "$1" "Main menu"
	tui_wait "$1" ". $2"
	n=$(tui_screen "$1" | sed -n "s/^ *\([0-9][0-9]*\)\. $2 *\$/\1/p" | head -n 1)
	[ -n "$n" ] || tui_fail "'$2' is not in the main menu of $1"
	tui_type "$1" "$n"
	tui_keys "$1" Enter
}

# A streaming standby of the demo cluster, as a firm runs one for reports
# (database.report_conninfo): tui_standby_start makes it on first use with
# `pg_basebackup -R` into $TUI_DIR/standby (as the cluster's unprivileged
# owner, postgres, when run as root) on a socket directory of its own and
# port 5433, never TCP, and starts it; tui_standby_stop stops it (fast).
# TUI_STANDBY_CONNINFO: its conninfo without a user (the demo adds the
# operator's); tui_standby_sql SQL: one value from it, as the superuser.
tui_pg_tool() {
	local tool=$1
	shift
	local bin
	bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$bin/$tool" "$@"
	else
		"$bin/$tool" "$@"
	fi
}
tui_standby_start() {
	local sb=$TUI_DIR/standby su
	su=$([ "$(id -u)" = 0 ] && echo postgres || id -un)
	if [ ! -d "$sb/pgdata" ]; then
		mkdir -m 0700 "$sb" "$sb/run"
		[ "$(id -u)" != 0 ] || chown postgres: "$sb" "$sb/run"
		tui_pg_tool pg_basebackup -D "$sb/pgdata" -R -X stream -c fast \
			-h "$TUI_DIR/cluster/run" -U "$su" >"$TUI_DIR/standby.out" 2>&1 ||
			{ cat "$TUI_DIR/standby.out" >&2; tui_fail "pg_basebackup failed"; }
		printf "\nunix_socket_directories = '%s'\nport = 5433\n" "$sb/run" \
			>>"$sb/pgdata/postgresql.conf"
	fi
	tui_pg_tool pg_ctl -D "$sb/pgdata" -l "$sb/postgresql.log" -w -t 120 start \
		>>"$TUI_DIR/standby.out" 2>&1 || { cat "$sb/postgresql.log" >&2; tui_fail "the standby did not start"; }
	TUI_STANDBY_CONNINFO="host=$sb/run port=5433 dbname=backdesk"
	TUI_STANDBY_SU=$su
	export TUI_STANDBY_CONNINFO TUI_STANDBY_SU
}
tui_standby_stop() {
	tui_pg_tool pg_ctl -D "$TUI_DIR/standby/pgdata" -m fast -w -t 60 stop >>"$TUI_DIR/standby.out" 2>&1 || true
}
tui_standby_sql() {
	psql -X -A -t -q -v ON_ERROR_STOP=1 -d "$TUI_STANDBY_CONNINFO user=$TUI_STANDBY_SU" -c "$1"
}
