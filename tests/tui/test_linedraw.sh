#!/bin/bash
# Boxes are drawn with Unicode line characters even when TERM names a
# vt100-like terminal, whose alternate character set (switched with SO/SI)
# UTF-8 terminals such as tmux or PuTTY ignore: the popup must not come out
# as "lqqqk".
. "$(dirname "$0")/lib.sh"
tui_setup

for term in vt100 xterm; do
	TUI_ENV="TERM=$term" tui_start "b_$term" -- demo --user admin1
	tui_wait "b_$term" "Choose a client"
	tui_keys "b_$term" Enter
	tui_wait "b_$term" "Main menu"
	tui_keys "b_$term" F3
	tui_wait "b_$term" "Sign off?"
	tui_wait_re "b_$term" "^ +┌─ Confirm ─+┐$"
	tui_wait_re "b_$term" "^ +│ Sign off\? +│$"
	tui_wait_re "b_$term" "^ +└─+┘$"
	tui_lacks "b_$term" "lq"
	tui_keys "b_$term" n
	tui_wait_gone "b_$term" "Sign off?"
done
tui_pass linedraw
