#!/bin/bash
# Headless-safe start: no terminal, a dumb or unknown TERM, or a terminal
# smaller than 80x24 gives a clear message and exit status 2, never a crash.
. "$(dirname "$0")/lib.sh"
tui_setup

out=$("$BD_BINARY" --config "$TUI_CONF" demo --user clerk1 </dev/null 2>&1 >/dev/null) && rc=0 || rc=$?
[ "$rc" = 2 ] || tui_fail "no terminal: exit status $rc, expected 2 ($out)"
echo "$out" | grep -qi "terminal" || tui_fail "no terminal: unclear message: $out"

for term in dumb no-such-terminal-xyz; do
	tmux -L "$TUI_SOCKET" -u -f /dev/null new-session -d -s "t_$term" -x 80 -y 24 \
		"TERM=$term $BD_BINARY --config $TUI_CONF demo --user clerk1; echo EXITED \$?; sleep 600"
	tui_wait "t_$term" "EXITED 2"
	tui_screen "t_$term" | grep -qi "terminal" || tui_fail "TERM=$term: unclear message"
done

tmux -L "$TUI_SOCKET" -u -f /dev/null new-session -d -s small -x 70 -y 20 \
	"$BD_BINARY --config $TUI_CONF demo --user clerk1; echo EXITED \$?; sleep 600"
tui_wait small "EXITED 2"
tui_screen small | grep -q "80x24" || tui_fail "small terminal: the message does not name 80x24"
tui_pass headless
