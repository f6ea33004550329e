#!/bin/bash
# The command line says what is true (issue 16 items 3 and 13, issue 15
# item 8), on the demo database:
# - a command that works as an operator, run as the database superuser (no
#   --user), says to run it as an operator, never a false reason ("Unknown
#   document type", "No fiscal period", "No entry 84");
# - a failed command prints one line, the technical detail (SQLSTATE,
#   PL/pgSQL context) goes to the log file;
# - `ledger report foo` names what is wrong; --help lists every ledger verb;
#   global options work after the command word;
# - importing the same file twice is refused unless --again;
# - `batch import --help` describes the CSV file;
# - hostile strings (tests/fixtures/hostile_strings.txt) in a CSV header, a
#   file name and a doctype label reach neither stdout nor stderr raw.
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

# --- 15.8: hostile strings never reach the terminal raw ----------------------
# raw_bytes FILE: true when FILE holds a control character other than a line
# break or a tab (ESC, BEL, ...), a C1 control (raw or as UTF-8), a bidi
# control or invalid UTF-8.
raw_bytes() {
	LC_ALL=C grep -qaP '[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\x8e\x8f\xaa-\xae]|\xe2\x81[\xa6-\xa9]' "$1" &&
		return 0
	! iconv -f UTF-8 -t UTF-8 "$1" >/dev/null 2>&1
}
n=0
while IFS= read -r line; do
	[[ -z $line || $line == \#* ]] && continue
	# The corpus' escapes as bytes (bash's printf %b: \e \xNN \uNNNN \n \t ...).
	s=$(printf '%b' "${line//\\0/}")
	s=${s//$'\n'/ }
	n=$((n + 1))
	# In a CSV header: "unknown column ...".
	printf 'external_ref,"%s"\nC-1,x\n' "${s//\"/\"\"}" >"$W/h.csv"
	run hh --user super1 batch import ACME claim "$W/h.csv"
	[ "$(rc_of hh)" = 1 ] || tui_fail "hostile header $n was imported"
	! raw_bytes "$W/hh.err" || tui_fail "hostile header $n reached stderr raw: $(od -c "$W/hh.err" | head -5)"
	# In a file name that does not exist: "Cannot open ...".
	run hf --user super1 batch import ACME claim "$W/$s.csv"
	[ "$(rc_of hf)" = 1 ] || tui_fail "hostile file name $n: status $(rc_of hf)"
	! raw_bytes "$W/hf.err" || tui_fail "hostile file name $n reached stderr raw: $(od -c "$W/hf.err" | head -5)"
done <"$FIX/hostile_strings.txt"
[ "$n" -gt 30 ] || tui_fail "only $n hostile strings read"

# A file name that exists, imported (the batch name) and listed.
hostile=$(printf 'evil\e]0;PWNED\a\e[2J\xe2\x80\xae.csv')
sed 's/^C-0/H-0/' "$W/mine.csv" >"$W/$hostile"
run hn --user super1 batch import ACME claim "$W/$hostile"
[ "$(rc_of hn)" = 0 ] || tui_fail "import of a hostile file name: $(err_of hn)"
run hn2 --user super1 batch import ACME claim "$W/$hostile"
[ "$(rc_of hn2)" = 1 ] || tui_fail "the hostile file imported twice"
! raw_bytes "$W/hn2.err" || tui_fail "the hostile file name reached stderr raw"
grep -q "PWNED" "$W/hn2.err" || tui_fail "the file name is not shown at all: $(err_of hn2)"
run hl --user super1 batch list ACME
! raw_bytes "$W/hl.out" || tui_fail "batch list printed the hostile name raw"

# A doctype label: loaded, listed, and a broken one refused.
sed -e "s/title = \"Supplier invoice\";/title = \"Bad$(printf '\\\\e')]0;PWNED$(printf '\\\\a') title\";/" \
	"$(dirname "$0")/../../screens/doctypes/invoice.conf" >"$W/evil.conf"
grep -q 'PWNED' "$W/evil.conf" || tui_fail "the hostile doctype was not written"
run dtl --user super1 doctype load ACME "$W/evil.conf"
run dtls --user super1 doctype list ACME
! raw_bytes "$W/dtl.err" && ! raw_bytes "$W/dtl.out" || tui_fail "doctype load printed a hostile label raw"
! raw_bytes "$W/dtls.out" || tui_fail "doctype list printed a hostile label raw"
printf 'screen = { name = "evil"; title = "x\e]0;PWNED\a"; fields = ( { name = "a\e[2J"; } ); };\n' >"$W/evil2.conf"
run dtb --user super1 doctype load ACME "$W/evil2.conf"
[ "$(rc_of dtb)" != 0 ] || tui_fail "a broken doctype was loaded"
! raw_bytes "$W/dtb.err" || tui_fail "the doctype error printed a hostile label raw: $(od -c "$W/dtb.err" | head)"
# The log is gated too.
! raw_bytes "$TUI_DIR/backdesk.log" || tui_fail "the log holds raw control characters"
tui_pass cli_habits
