#!/bin/bash
# Headless-safe start: no terminal, a dumb or unknown TERM, or a terminal
# smaller than 80x24 gives a clear message and exit status 2, never a crash,
# and at once: the demo refuses before it starts (or creates) its database.
. "$(dirname "$0")/lib.sh"
tui_setup_bare

out=$("$BD_BINARY" --config "$TUI_CONF" demo --user clerk1 </dev/null 2>&1 >/dev/null) && rc=0 || rc=$?
[ "$rc" = 2 ] || tui_fail "no terminal: exit status $rc, expected 2 ($out)"
echo "$out" | grep -qi "terminal" || tui_fail "no terminal: unclear message: $out"

for term in dumb no-such-terminal-xyz; do
	tmux -L "$TUI_SOCKET" -u -f /dev/null new-session -d -s "t_$term" -x 80 -y 24 \
		"TERM=$term $BD_BINARY --config $TUI_CONF demo --user clerk1; echo EXITED \$?; sleep 600"
	tui_wait "t_$term" "EXITED 2"
	tui_screen "t_$term" | grep -qi "terminal" || tui_fail "TERM=$term: unclear message"
done
tui_has t_dumb '"dumb"'
tui_has t_no-such-terminal-xyz '"no-such-terminal-xyz"'

tmux -L "$TUI_SOCKET" -u -f /dev/null new-session -d -s small -x 70 -y 20 \
	"$BD_BINARY --config $TUI_CONF demo --user clerk1; echo EXITED \$?; sleep 600"
tui_wait small "EXITED 2"
tui_screen small | grep -q "80x24" || tui_fail "small terminal: the message does not name 80x24"
tui_has small "70x20"

[ ! -e "$TUI_DIR/cluster" ] || tui_fail "the database was prepared for a terminal that cannot be used"
tui_pass headless
