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
		"$BD_BINARY" --config "$TUI_CONF" db stop >/dev/null 2>&1 || true
		rm -rf "$TUI_DIR"
	fi
}

# Creates the demo database in a fresh directory; exports TUI_CONF (a config
# file naming it) and TUI_CONNINFO (the superuser's conninfo, for psql).
tui_setup() {
	command -v tmux >/dev/null || { echo "tmux is not installed (make deps)"; exit 1; }
	TUI_DIR=$(mktemp -d /tmp/bdtui-XXXXXX)
	chmod 0711 "$TUI_DIR"
	TUI_SOCKET=bdtui-$$
	TUI_CONF=$TUI_DIR/backdesk.conf
	cat >"$TUI_CONF" <<CONF
database = { data_dir = "$TUI_DIR/cluster"; };
log = { file = "$TUI_DIR/backdesk.log"; };
CONF
	trap tui_cleanup EXIT
	"$BD_BINARY" --config "$TUI_CONF" demo --no-ui >"$TUI_DIR/demo.out" 2>&1 ||
		{ cat "$TUI_DIR/demo.out" >&2; tui_fail "demo --no-ui failed"; }
	TUI_CONNINFO=$("$BD_BINARY" --config "$TUI_CONF" db status --conninfo)
	export TUI_CONF TUI_CONNINFO TUI_DIR TUI_SOCKET
}

# tui_start NAME [COLS ROWS] -- ARGS...: backdesk ARGS in a new tmux session.
tui_start() {
	name=$1
	shift
	cols=80 rows=24
	if [ "$1" != "--" ]; then
		cols=$1 rows=$2
		shift 2
	fi
	shift
	cmd="$BD_BINARY --config $TUI_CONF"
	for a in "$@"; do
		cmd="$cmd '$a'"
	done
	tmux -L "$TUI_SOCKET" -u -f /dev/null new-session -d -s "$name" -x "$cols" -y "$rows" \
		"$cmd; echo EXITED \$?; sleep 600"
	tmux -L "$TUI_SOCKET" set-option -t "$name" status off >/dev/null
	tmux -L "$TUI_SOCKET" resize-window -t "$name" -x "$cols" -y "$rows" 2>/dev/null || true
}

tui_screen() {
	tmux -L "$TUI_SOCKET" capture-pane -p -t "$1"
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
	i=0
	while ! tui_screen "$1" | grep -qF -- "$2"; do
		i=$((i + 1))
		[ $i -le $((TUI_WAIT_LIMIT * 10)) ] || tui_fail "'$2' never appeared on $1"
		sleep 0.1
	done
}

# tui_wait_gone NAME TEXT: waits until TEXT is no longer on the screen.
tui_wait_gone() {
	i=0
	while tui_screen "$1" | grep -qF -- "$2"; do
		i=$((i + 1))
		[ $i -le $((TUI_WAIT_LIMIT * 10)) ] || tui_fail "'$2' never went away on $1"
		sleep 0.1
	done
}

# tui_sql SQL: one value from the demo database, as its superuser.
tui_sql() {
	psql -X -A -t -q -v ON_ERROR_STOP=1 -d "$TUI_CONNINFO" -c "$1"
}

# tui_expect_sql SQL EXPECTED: waits until the query returns EXPECTED.
tui_expect_sql() {
	i=0
	while [ "$(tui_sql "$1")" != "$2" ]; do
		i=$((i + 1))
		[ $i -le $((TUI_WAIT_LIMIT * 10)) ] ||
			tui_fail "'$1' gave '$(tui_sql "$1")', expected '$2'"
		sleep 0.1
	done
}

tui_pass() {
	echo "PASS: $1"
}
