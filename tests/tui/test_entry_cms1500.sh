#!/bin/bash
# long flow: a whole CMS-1500 claim keyed field by field; the rules' engine runs under ASan in unit.test_forms_doctype and unit.test_field_rules
# The shipped CMS-1500-like claim (screens/doctypes/cms1500.conf, in the
# demo): a clerk keys a claim with three diagnoses and six service lines,
# US dates with two-digit years, the billing NPI (Luhn over 80840 and its
# digits). Enter on line 4's pointer names an empty diagnosis and keeps the
# cursor there; F2 with line 4's units left empty (a service line is whole or
# empty) puts the cursor on Units (line 4), on the line's row; the claim then
# goes through with every value in its saved form.
. "$(dirname "$0")/lib.sh"
tui_setup

csv=$TUI_DIR/cms.csv
printf 'external_ref,source\nCMS-0001,/scans/test/CMS-0001.png\n' >"$csv"
out=$("$BD_BINARY" --config "$TUI_CONF" --user super1 batch import ACME cms1500 "$csv" \
	--mode single --priority 99 --sla 4 2>&1) || tui_fail "import: $out"

cursor() {
	tmux -L "$TUI_SOCKET" display-message -p -t "$1" '#{cursor_x},#{cursor_y}'
}

tui_start k1 -- demo --user clerk1
tui_wait k1 "Choose a client"
tui_keys k1 Enter
tui_menu k1 "Key documents"
tui_wait k1 "Ref CMS-0001"
tui_wait k1 "CMS-1500 claim"
tui_type k1 "DOE, JANE"
tui_keys k1 Enter
tui_type k1 "03/12/80"
tui_keys k1 Enter
tui_wait k1 "1980-03-12"
tui_type k1 "W123456789"
tui_keys k1 Enter
# a plain Luhn number is not an NPI
tui_type k1 "1234567897"
tui_keys k1 Enter
tui_wait k1 "33a NPI check digit is wrong"
tui_keys k1 BSpace
tui_type k1 "3"
tui_keys k1 Enter
for dx in J20.9 R05.9 I10; do
	tui_type k1 "$dx"
	tui_keys k1 Enter
done
for n in 4 5 6 7 8 9 10 11 12; do
	tui_keys k1 Enter
done
# six service lines: from, to, POS, CPT, pointer, charges, units, NPI
line() { # N PTR UNITS
	tui_type k1 "06/0$1/24"
	tui_keys k1 Enter Enter
	tui_type k1 "11"
	tui_keys k1 Enter
	tui_type k1 "99213"
	tui_keys k1 Enter
	tui_type k1 "$2"
	tui_keys k1 Enter
	tui_type k1 "10.00"
	tui_keys k1 Enter
	[ -n "$3" ] && tui_type k1 "$3"
	tui_keys k1 Enter Enter
}
line 1 A 1
line 2 AB 2
line 3 ABC 1
# line 4: a pointer at diagnosis D, which is empty, is refused on Enter
tui_type k1 "06/04/24"
tui_keys k1 Enter Enter
tui_type k1 "11"
tui_keys k1 Enter
tui_type k1 "99213"
tui_keys k1 Enter
tui_type k1 "CD"
tui_keys k1 Enter
tui_wait k1 "Ptr (line 4): D points at 21 Diagnosis (line 4), which is empty"
tui_keys k1 BSpace
tui_keys k1 Enter
tui_type k1 "10.00"
# units left empty: passed on Enter, caught by F2
tui_keys k1 Enter Enter Enter
line 5 B 1
line 6 C 1
tui_type k1 "60.00"
tui_keys k1 F2
tui_wait k1 "Units (line 4) is required when 24A From (line 4) is filled in"
row4=$(tui_screen k1 | grep -n "^ 4 2024-06-04" | cut -d: -f1)
[ -n "$row4" ] || tui_fail "service line 4 is not on the screen"
[ "$(cursor k1 | cut -d, -f2)" = $((row4 - 1)) ] || tui_fail "the cursor is not on line 4: $(cursor k1)"
tui_type k1 "3"
tui_keys k1 F2
tui_wait k1 "CMS-0001 submitted."
tui_expect_sql "SELECT concat_ws(' ', p.\"values\"->>'dob', p.\"values\"->>'billing_npi',
		p.\"values\"->>'ptr4', p.\"values\"->>'units4', p.\"values\"->>'from6',
		p.\"values\"->>'dx3', p.\"values\"->>'total_charge')
	FROM entry.passes p JOIN entry.documents d USING (client_id, document_id)
	WHERE d.external_ref = 'CMS-0001'" "1980-03-12 1234567893 C 3 2024-06-06 I10 60.00"
tui_pass entry_cms1500
