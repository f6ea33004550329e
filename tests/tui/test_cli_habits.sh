#!/bin/bash
# long flow: many CLI runs, each a database connection
# The command line says what is true (issue 16 items 3 and 13), on the
# demo database:
# - a command that works as an operator, run as the database superuser (no
#   --user), says to run it as an operator, never a false reason ("Unknown
#   document type", "No fiscal period", "No entry 84");
# - a failed command prints one line, the technical detail (SQLSTATE,
#   PL/pgSQL context) goes to the log file;
# - `ledger report foo` names what is wrong; --help lists every ledger verb;
#   global options work after the command word;
# - importing the same file twice is refused unless --again;
# - `batch import --help` describes the CSV file;
# - data for another program (an export) goes to a pipe unchanged.
# The output gate on hostile strings: test_cli_gate.sh.
. "$(dirname "$0")/lib.sh"
tui_setup
FIX=$(cd "$(dirname "$0")/../fixtures" && pwd)
bd() { "$BD_BINARY" --config "$TUI_CONF" "$@"; }
W=$TUI_DIR/work
mkdir -p "$W"

# run NAME CMD...: runs backdesk, keeps stdout, stderr and the exit status.
run() {
	local name=$1
	shift
	bd "$@" >"$W/$name.out" 2>"$W/$name.err" && echo 0 >"$W/$name.rc" || echo $? >"$W/$name.rc"
}
rc_of() { cat "$W/$1.rc"; }
err_of() { cat "$W/$1.err"; }

# --- 3: an operator's command run as the superuser -------------------------
cp "$FIX/entry/claims_good.csv" "$W/mine.csv"
year=$(date +%Y)
printf 'date,journal,reference,description,account,debit,credit\n%s-12-05,GJ,T-1,Test,1100,10.00,\n%s-12-05,GJ,T-1,Test,3000,,10.00\n' \
	"$year" "$year" >"$W/books.csv"
run dl doctype list ACME
[ "$(rc_of dl)" = 1 ] || tui_fail "doctype list as the superuser: status $(rc_of dl)"
for cmd in "batch import ACME claim $W/mine.csv" "ledger import ACME $W/books.csv" \
	"ledger approve ACME 84:1" "doctype list ACME"; do
	# shellcheck disable=SC2086
	run su $cmd
	e=$(err_of su)
	[ "$(rc_of su)" = 1 ] || tui_fail "$cmd as the superuser: status $(rc_of su)"
	[[ $e == *"run it as an operator: --user NAME"* ]] || tui_fail "$cmd: no advice: $e"
	[[ $e != *Unknown* && $e != *"No fiscal"* && $e != *"No entry"* ]] ||
		tui_fail "$cmd: a false reason: $e"
	[ "$(wc -l <"$W/su.err")" = 1 ] || tui_fail "$cmd: more than one line: $e"
done
# The same commands as operators work.
run imp --user super1 batch import ACME claim "$W/mine.csv"
[ "$(rc_of imp)" = 0 ] || tui_fail "import as super1: $(err_of imp)"
run li --user acct1 ledger import ACME "$W/books.csv"
[ "$(rc_of li)" = 0 ] || tui_fail "ledger import as acct1: $(err_of li)"
# A CSV header without the needed columns is refused (it crashed).
printf 'date,x\n' >"$W/nohdr.csv"
run nh --user acct1 ledger import ACME "$W/nohdr.csv"
[ "$(rc_of nh)" = 1 ] && grep -q "needs date, account" "$W/nh.err" ||
	tui_fail "ledger import of a header without columns: status $(rc_of nh): $(err_of nh)"
# A ragged row is refused with the file and the line (it was read as empty cells).
printf 'date,account,debit,credit\n%s-12-06,1100,10.00\n' "$year" >"$W/ragged.csv"
run rg --user acct1 ledger import ACME "$W/ragged.csv"
[ "$(rc_of rg)" = 1 ] && grep -qF "ragged.csv:2: 3 values, but the header has 4 columns" "$W/rg.err" ||
	tui_fail "ledger import of a ragged row: status $(rc_of rg): $(err_of rg)"
# Provisioning stays the superuser's.
run cl client list
[ "$(rc_of cl)" = 0 ] || tui_fail "client list as the superuser: $(err_of cl)"

# --- 13: one line on the terminal, the detail in the log --------------------
: >"$TUI_DIR/backdesk.log"
run ap --user acct2 ledger approve ACME 999999:1
[ "$(rc_of ap)" = 1 ] || tui_fail "approve 999999: status $(rc_of ap)"
[ "$(err_of ap)" = "backdesk: No entry 999999" ] || tui_fail "approve 999999 printed: $(err_of ap)"
grep -q "PL/pgSQL" "$TUI_DIR/backdesk.log" || tui_fail "the PL/pgSQL context is not in the log"
[ "$(grep -c 'No entry 999999' "$TUI_DIR/backdesk.log")" -ge 1 ] || tui_fail "the log lacks the error"

run rep --user acct1 ledger report foo ACME
[ "$(rc_of rep)" = 2 ] || tui_fail "report foo: status $(rc_of rep)"
grep -q "no report 'foo'" "$W/rep.err" || tui_fail "report foo does not say what is wrong: $(err_of rep)"
run rac --user acct1 ledger report account ACME
grep -q "needs --account CODE" "$W/rac.err" || tui_fail "report account: $(err_of rac)"

run help --help
for verb in "pending [CLIENT]" "approve CLIENT ENTRY_ID" "report trial-balance" "import CLIENT"; do
	grep -qF "$verb" "$W/help.out" || tui_fail "--help lacks ledger $verb"
done

# Global options after the command word (demo --no-ui: no terminal needed).
run demo demo --no-ui --user acct1 --set ui.color=false
[ "$(rc_of demo)" = 0 ] || tui_fail "demo with --set after it: $(err_of demo)"
run lst batch list ACME --user super1 --set ui.color=false
[ "$(rc_of lst)" = 0 ] || tui_fail "batch list with options after it: $(err_of lst)"
run badset batch list ACME --user super1 --set nosuch.setting=1
[ "$(rc_of badset)" = 2 ] && grep -q "nosuch.setting" "$W/badset.err" ||
	tui_fail "a bad --set after the command is not refused: $(err_of badset)"

# The same file twice: refused, named, and --again imports it anyway.
run twice --user super1 batch import ACME claim "$W/mine.csv"
[ "$(rc_of twice)" = 1 ] || tui_fail "a second import of the same file: status $(rc_of twice)"
batch=$(sed -n 's/^batch \([0-9]*\):.*/\1/p' "$W/imp.out")
grep -q "imported already: batch $batch " "$W/twice.err" || tui_fail "no word of the first batch: $(err_of twice)"
grep -q -- "--again" "$W/twice.err" || tui_fail "no word of --again: $(err_of twice)"
run again --user super1 batch import ACME claim "$W/mine.csv" --again
[ "$(rc_of again)" = 0 ] || tui_fail "--again: $(err_of again)"
# Another client's file with the same name is not the same file.
sed 's/^C-0/D-0/' "$W/mine.csv" >"$W/other.csv"
run other --user super1 batch import ACME claim "$W/other.csv"
[ "$(rc_of other)" = 0 ] || tui_fail "a different file was refused: $(err_of other)"

run bh batch import --help
for word in external_ref source "double quotes" "--again" "Example"; do
	grep -qF -- "$word" "$W/bh.out" || tui_fail "batch import --help lacks '$word'"
done

# Data for another program is not a message: piped, an export is byte for
# byte what --out writes (a CSV's line ends and quoted values untouched).
bd --user acct1 ledger export ACME --format csv >"$W/piped.csv" 2>/dev/null ||
	tui_fail "ledger export to a pipe failed"
bd --user acct1 ledger export ACME --format csv --out "$W/out.csv" 2>/dev/null ||
	tui_fail "ledger export --out failed"
cmp -s "$W/piped.csv" "$W/out.csv" || tui_fail "the piped export differs from the file"
[ -s "$W/piped.csv" ] || tui_fail "the export is empty"

tui_pass cli_habits
