#!/bin/bash
# long flow: dozens of CLI runs, each a database connection; the gate itself runs under ASan in unit.test_cli_output
# Every byte the command line prints passes the output gate (issue 15, item
# 8): hostile strings (tests/fixtures/hostile_strings.txt) in a CSV header, a
# file name and a doctype label reach neither stdout nor stderr (nor the log)
# raw, but are shown as visible stand-ins.
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

cp "$FIX/entry/claims_good.csv" "$W/mine.csv"

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
	# In a CSV header: "unknown column ...". Each import connects to the
	# database, so every third string of the corpus (the first ones are the
	# escape sequences).
	if [ $((n % 3)) = 1 ] || [ "$n" -le 6 ]; then
		printf 'external_ref,"%s"\nC-1,x\n' "${s//\"/\"\"}" >"$W/h.csv"
		run hh --user super1 batch import ACME claim "$W/h.csv"
		[ "$(rc_of hh)" = 1 ] || tui_fail "hostile header $n was imported"
		! raw_bytes "$W/hh.err" ||
			tui_fail "hostile header $n reached stderr raw: $(od -c "$W/hh.err" | head -5)"
	fi
	# In a file name that does not exist: "Cannot open ..." (before connecting).
	run hf --user super1 batch import ACME claim "$W/$s.csv"
	[ "$(rc_of hf)" = 1 ] || tui_fail "hostile file name $n: status $(rc_of hf)"
	! raw_bytes "$W/hf.err" || tui_fail "hostile file name $n reached stderr raw: $(od -c "$W/hf.err" | head -5)"
done <"$FIX/hostile_strings.txt"
[ "$n" -gt 30 ] || tui_fail "only $n hostile strings read"

# A file name that exists: the batch would be named after it, and the
# database refuses control characters in batch names (issue 15): refused,
# saying why, with the name gated on stderr.
hostile=$(printf 'evil\e]0;PWNED\a\e[2J\xe2\x80\xae.csv')
sed 's/^C-0/H-0/' "$W/mine.csv" >"$W/$hostile"
run hn --user super1 batch import ACME claim "$W/$hostile"
[ "$(rc_of hn)" = 1 ] || tui_fail "a batch named after a hostile file name was imported"
grep -q "may not contain control characters" "$W/hn.err" || tui_fail "no reason given: $(err_of hn)"
! raw_bytes "$W/hn.err" || tui_fail "the hostile file name reached stderr raw"
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
tui_pass cli_gate
