#!/bin/bash
# long flow: waits out idle timers; the engine's screens run under ASan elsewhere
# The idle lock (ui.idle_lock_minutes, at its smallest: 1 minute; minutes are
# ten seconds here, ui.idle_minute_seconds, so the suite does not wait a real
# one). After the minute the screen shows only "Locked" and who
# is signed on: a popup that was open (an F4 list of clients) is hidden
# under it, not drawn over it. Its key line offers Enter alone, and only
# Enter leaves it: F3 and F12 (which would close the popup underneath) do
# nothing there. Enter returns to the form as it was, popup included; typing
# goes on where it stopped.
. "$(dirname "$0")/lib.sh"
tui_setup 'ui = { idle_lock_minutes = 1; idle_minute_seconds = 10; };'

tui_start lk -- demo --user admin1
tui_wait lk "Choose a client"
tui_keys lk Enter
tui_wait lk "Main menu"
tui_keys lk 2 Enter
tui_wait lk "super1"
tui_keys lk F6
tui_wait lk "New operator"
tui_type lk locked
tui_keys lk Enter
tui_type lk "Lock Test"
tui_keys lk Enter Enter
tui_keys lk F4
tui_wait lk "add Acme Health Insurance"

tui_wait lk "This terminal was locked after 1 minute without a key."
tui_wait_row lk 1 "$(printf '%37s' '')Locked"
tui_has lk "Signed on:  admin1 Ada Admin (admin)"
tui_lacks lk "add Acme Health Insurance"
tui_lacks lk "Lock Test"
tui_wait_row lk 23 "Enter=Continue"

# Keys are taken in order: were F3 or F12 to leave the lock, they would
# close the popup below and the checks after Enter would fail.
tui_keys lk F3 F12 Enter
tui_wait lk "add Acme Health Insurance"
tui_wait_gone lk "This terminal was locked"
tui_has lk "Full name  Lock Test"
tui_wait_row lk 1 "$(printf '%34s' '')New operator"
tui_keys lk Escape Escape
tui_wait_gone lk "add Acme Health Insurance"
tui_type lk "globex"
tui_wait lk "Clients    GLOBEX"
tui_keys lk F2
tui_wait lk "Operator locked created."
tui_pass idlelock
