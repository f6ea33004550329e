#!/bin/bash
# long flow: three clerks key documents with images at two sizes and two terminal types
# The document image beside the keying form (issue 20): the bytes the
# program writes to the terminal (tmux pipe-pane -O, raw) hold one sixel
# image (ESC P ... q) per document view and none per keystroke on a sixel
# terminal (TERM=foot, display.images = auto): the whole page on a wide
# terminal, where moving between fields sends nothing; at 80x24 the current
# field's zone, sent again only when the zone changes. A terminal that shows
# no pictures (tmux's own TERM) gets none, and the header says how to open
# the image; `backdesk image DOC` writes it as PNG for the clerk.
. "$(dirname "$0")/lib.sh"
tui_setup

# "foot" (a sixel terminal) as xterm's terminfo under another name: tmux
# cannot show sixel, so only the program's own output is looked at.
printf 'foot|foot terminal for the test,\n\tuse=xterm-256color,\n' >"$TUI_DIR/foot.ti"
tic -x -o "$TUI_DIR/terminfo" "$TUI_DIR/foot.ti" || tui_fail "tic"

cat >"$TUI_DIR/scan.conf" <<'CONF'
screen = {
  name = "scan";
  title = "Scanned form";
  fields = (
    { name = "first"; label = "First"; row = 3; col = 1; input_col = 12; type = "text";
      width = 10; zone = "0.05 0.10 0.40 0.05"; },
    { name = "second"; label = "Second"; row = 4; col = 1; input_col = 12; type = "text";
      width = 10; zone = "0.05 0.10 0.40 0.05"; },
    { name = "third"; label = "Third"; row = 5; col = 1; input_col = 12; type = "text";
      width = 10; zone = "0.05 0.60 0.40 0.05"; },
    { name = "fourth"; label = "Fourth"; row = 20; col = 1; input_col = 12; type = "text";
      width = 10; }
  );
};
CONF
bd() { "$BD_BINARY" --config "$TUI_CONF" "$@"; }
out=$(bd --user super1 doctype load ACME "$TUI_DIR/scan.conf" 2>&1) || tui_fail "doctype: $out"
bd --user super1 image --sample ACME scan --out "$TUI_DIR/page.png" || tui_fail "sample page"
printf 'external_ref,image\n' >"$TUI_DIR/scan.csv"
for n in 1 2 3 4 5; do echo "IMG-$n,page.png" >>"$TUI_DIR/scan.csv"; done
out=$(bd --user super1 batch import ACME scan "$TUI_DIR/scan.csv" --priority 99 2>&1) ||
	tui_fail "import: $out"

# sixels FILE: the sixel images (DCS introducers) written so far
sixels() {
	local n
	n=$(grep -aoE $'\eP[0-9;]*q' "$1" 2>/dev/null | wc -l)
	echo "${n:-0}"
}
# wait_sixels FILE N: until N images were written
wait_sixels() {
	local end=$((SECONDS + TUI_WAIT_LIMIT))
	until [ "$(sixels "$1")" -ge "$2" ]; do
		[ $SECONDS -lt $end ] || tui_fail "$1: $(sixels "$1") sixel images, waited for $2"
		sleep 0.1
	done
	[ "$(sixels "$1")" -eq "$2" ] || tui_fail "$1: $(sixels "$1") sixel images, expected $2"
}
# start NAME COLS ROWS CLERK [ENV]: keying, its output copied to NAME.out
start() {
	TUI_ENV=$5 tui_start "$1" "$2" "$3" -- demo --user "$4"
	tmux -L "$TUI_SOCKET" pipe-pane -O -t "$1" "cat >>$TUI_DIR/$1.out"
	tui_wait "$1" "Choose a client"
	tui_keys "$1" Enter
	tui_menu "$1" "Key documents"
}
SIXEL_ENV="TERM=foot TERMINFO=$TUI_DIR/terminfo"

# wide: the whole page, once per document
start wide 160 48 clerk1 "$SIXEL_ENV"
tui_wait wide "Ref IMG-1"
wait_sixels "$TUI_DIR/wide.out" 1
tui_type wide "AAA"
tui_keys wide Enter
tui_type wide "BBB"
tui_keys wide Enter
tui_type wide "CCC"
tui_keys wide Enter
tui_keys wide BTab
tui_type wide "DDD"
tui_wait wide "DDD"
[ "$(sixels "$TUI_DIR/wide.out")" -eq 1 ] || tui_fail "wide: an image per keystroke"
tui_keys wide F2
tui_wait wide "Ref IMG-2"
wait_sixels "$TUI_DIR/wide.out" 2
tui_type wide "EEE"
tui_keys wide Enter
tui_type wide "FFF"
tui_wait wide "FFF"
[ "$(sixels "$TUI_DIR/wide.out")" -eq 2 ] || tui_fail "wide: an image per keystroke"
grep -aq $'\e7\e\\[4;82H\eP' "$TUI_DIR/wide.out" ||
	tui_fail "wide: the image is not drawn at the region's corner with the cursor saved"
tui_keys wide F3
tui_wait wide "Main menu"
tui_pass "a wide sixel terminal gets one image per document view"

# 80x24: the zone of the current field, sent when the zone changes
start band 80 24 clerk2 "$SIXEL_ENV"
tui_wait band "Ref IMG-3"
wait_sixels "$TUI_DIR/band.out" 1
tui_type band "AAA"
tui_keys band Enter
tui_type band "BBB" # same zone as First: nothing sent
tui_wait band "BBB"
[ "$(sixels "$TUI_DIR/band.out")" -eq 1 ] || tui_fail "band: an image within one zone"
tui_keys band Enter # Third: another zone
wait_sixels "$TUI_DIR/band.out" 2
tui_type band "CCC"
tui_keys band Up # back to Second: First's zone, made before, sent again
wait_sixels "$TUI_DIR/band.out" 3
tui_type band "X"
tui_wait band "X"
[ "$(sixels "$TUI_DIR/band.out")" -eq 3 ] || tui_fail "band: an image per keystroke"
tui_keys band F3
tui_wait band "Main menu"
tui_pass "at 80x24 the zone's image is sent when the zone changes, never per keystroke"

# no pictures: none sent, and the header says how to open the image
TUI_ENV= tui_start plain 80 24 -- demo --user clerk3 # ACME only: no client to choose
tmux -L "$TUI_SOCKET" pipe-pane -O -t plain "cat >>$TUI_DIR/plain.out"
tui_menu plain "Key documents"
tui_wait plain "Ref IMG-4"
doc=$(tui_sql "SELECT document_id FROM entry.documents WHERE external_ref = 'IMG-4'")
tui_wait plain "Image: backdesk image $doc >page.png"
tui_type plain "AAA"
tui_keys plain Enter
tui_type plain "BBB"
tui_wait plain "BBB"
tui_keys plain C-e
tui_wait plain "This terminal shows no pictures"
[ "$(sixels "$TUI_DIR/plain.out")" -eq 0 ] || tui_fail "plain: a sixel image was sent"
bd --user clerk3 image "$doc" >"$TUI_DIR/got.png" || tui_fail "backdesk image"
# a PNG of the page's 1275x1650 pixels (stored normalised, so not byte for byte the file)
[ "$(od -An -tx1 -N24 "$TUI_DIR/got.png" | tr -d ' \n')" = \
	"89504e470d0a1a0a0000000d49484452000004fb00000672" ] || tui_fail "backdesk image: not the page"
tui_keys plain F3
tui_wait plain "Main menu"
tui_pass "a terminal without pictures gets none and is told how to open the image"
