#!/bin/bash
# Resizing the terminal mid-form (80x24 -> 132x43 -> 80x24) redraws the
# screen at each size and keeps what was typed, and where: typing goes on at
# the cursor and the record saves with every character.
. "$(dirname "$0")/lib.sh"
tui_setup

tui_start rsz -- demo --user admin1
tui_wait rsz "Choose a client"
tui_keys rsz Enter
tui_wait rsz "Main menu"
tui_keys rsz 1 Enter
tui_wait rsz "GLOBEX"
tui_keys rsz F6
tui_wait rsz "New client"
tui_type rsz resiz
tui_keys rsz Enter
tui_type rsz "Wide Screen Co"
tui_wait rsz "Name         Wide Screen Co"

tui_resize rsz 132 43
# The title is centred on the new width, the key line is on the new last
# row, the status line as it was (it has no clock: README, Capacity).
tui_wait_row rsz 1 "$(printf '%61s' '')New client"
tui_wait_row rsz 42 "F1=Help F2=Save F3=Exit F4=Prompt F10=Menu F12=Cancel"
tui_wait_re rsz "^ admin1 Ada Admin \(admin\)  Client: ACME  DB: ok *$"
tui_wait_row rsz 3 "  Client code  RESIZ"
tui_wait_row rsz 5 "  Name         Wide Screen Co"
tui_wait_row rsz 7 "  Active       Y"
[ "$(tui_screen rsz | wc -l)" = 43 ] || tui_fail "the screen is not 43 rows"

tui_resize rsz 80 24
tui_wait_row rsz 1 "$(printf '%35s' '')New client"
tui_wait_row rsz 23 "F1=Help F2=Save F3=Exit F4=Prompt F10=Menu F12=Cancel"
tui_wait_re rsz "^ admin1 Ada Admin \(admin\)  Client: ACME  DB: ok *$"
tui_wait_row rsz 3 "  Client code  RESIZ"
tui_wait_row rsz 5 "  Name         Wide Screen Co"
tui_wait_row rsz 7 "  Active       Y"

# The cursor is still at the end of the name: the rest is appended.
tui_type rsz " Ltd"
tui_wait_row rsz 5 "  Name         Wide Screen Co Ltd"
tui_keys rsz Enter Enter
tui_wait rsz "Client RESIZ created."
tui_expect_sql "SELECT name FROM core.clients WHERE code = 'RESIZ'" "Wide Screen Co Ltd"

# A question over the main menu (whose view is closed while it asks): a
# resize draws the menu again under it at the new size, with no key line
# left behind at the old last row.
tui_keys rsz F3
tui_wait rsz "Main menu"
tui_keys rsz F3
tui_wait rsz "Sign off?"
tui_resize rsz 100 30
tui_wait_row rsz 29 "Y=Yes N=No"
tui_wait_row rsz 1 "$(printf '%45s' '')Main menu"
tui_wait_row rsz 3 "    1. Clients"
tui_wait_row rsz 20 "  Selection ===>"
tui_wait_row rsz 23 ""
tui_wait_re rsz "^ +│ Sign off\? +│$"
tui_resize rsz 80 24
tui_wait_row rsz 23 "Y=Yes N=No"
tui_wait_row rsz 1 "$(printf '%35s' '')Main menu"
tui_wait_re rsz "^ +│ Sign off\? +│$"
tui_keys rsz n
tui_wait_row rsz 23 "F1=Help F3=Exit F12=Cancel"
tui_pass resize
