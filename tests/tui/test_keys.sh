#!/bin/bash
# Keys without function keys, and help: Esc then a digit acts as that
# function key (Esc 6 = F6 on a list, Esc 2 = F2 on a form, Esc 1 = F1,
# Esc 3 = F3), never as Esc plus a typed digit; F1 shows the help of the
# screen and of the field under the cursor, and any key closes it.
. "$(dirname "$0")/lib.sh"
tui_setup

tui_start key -- demo --user admin1
tui_wait key "Choose a client"
tui_keys key Enter
tui_wait key "Main menu"
tui_keys key 1 Enter
tui_wait key "GLOBEX"

# Esc 6 on the list: F6, a new client.
tui_keys key Escape 6
tui_wait key "New client"

# Esc 2 on the empty form: F2, which validates (the digit is not typed).
tui_keys key Escape 2
tui_wait key "Client code is required"
tui_wait_row key 3 "  Client code"

# F1 on the code field: the screen's help and this field's.
tui_keys key F1
tui_wait key "Help"
tui_wait key "A client company of the firm."
tui_wait key "Client code: 2-16 letters, digits or _, from a letter. Required."
tui_wait_row key 23 "Up/Down/PgUp/PgDn scroll, other keys close"
# Any key closes it, and is not typed into the field.
tui_type key q
tui_wait_gone key "A client company of the firm."
tui_wait_row key 23 "F1=Help F2=Save F3=Exit F4=Prompt F10=Menu F12=Cancel"
tui_wait_row key 3 "  Client code"

tui_type key esckey
tui_keys key Enter
# Esc 1 is F1: now the help of the Name field.
tui_keys key Escape 1
tui_wait key "Name: The client's name as it appears on reports. Required."
tui_lacks key "Client code: 2-16"
tui_keys key Escape Escape
tui_wait_gone key "Name: The client's name"
tui_type key "Escape Key Co"
tui_wait_row key 5 "  Name         Escape Key Co"

# Esc 2 saves, exactly as F2.
tui_keys key Escape 2
tui_wait key "Client ESCKEY created."
tui_expect_sql "SELECT name FROM core.clients WHERE code = 'ESCKEY'" "Escape Key Co"

# Esc 3 is F3: back to the menu.
tui_keys key Escape 3
tui_wait key "Main menu"
tui_pass keys
