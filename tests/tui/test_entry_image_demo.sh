#!/bin/bash
# long flow: the demo's CMS-1500 claims with their page image, on two terminal types, one fetch held back by a lock
# The demo ships the CMS-1500-like claim with its sample page (issue 20):
# `backdesk demo` imports, after the seed, a cms1500 batch of three claims
# whose image is the document type's sample page, behind the claims and
# invoices (priority 1). Raised by the supervisor, a clerk on a terminal
# without pictures opens one from the queue and the header says how to open
# the image; `backdesk image DOC` writes it as PNG.
#
# Keying never waits for the image: the fetch goes out in the background.
# With entry.images locked (so the fetch cannot finish), a clerk on a sixel
# terminal gets the form and the keys typed at once land in the fields while
# the fetch waits on the lock; released, the image arrives and is sent once.
. "$(dirname "$0")/lib.sh"
tui_setup

bd() { "$BD_BINARY" --config "$TUI_CONF" "$@"; }

# The demo's batch: three documents, each with a 1275x1650 page, priority 1.
batch=$(tui_sql "SELECT batch_id FROM entry.batches WHERE name = 'acme-cms1500-demo.csv'")
[ -n "$batch" ] || tui_fail "the demo has no cms1500 batch"
got=$(tui_sql "SELECT b.priority || ' ' || count(d.document_id) || ' ' || count(i.document_id)
	|| ' ' || min(i.width) || 'x' || min(i.height)
	FROM entry.batches b
	JOIN entry.documents d ON d.client_id = b.client_id AND d.batch_id = b.batch_id
	LEFT JOIN entry.images i ON i.client_id = d.client_id AND i.document_id = d.document_id
	WHERE b.batch_id = $batch GROUP BY b.priority")
[ "$got" = "1 3 3 1275x1650" ] || tui_fail "demo cms1500 batch: '$got', expected '1 3 3 1275x1650'"
# the supervisor puts it first
tui_sql "SET SESSION AUTHORIZATION super1; SELECT entry.sup_set_priority($batch, 99)" >/dev/null

# No pictures: the header says how to open the page, and the command writes it.
tui_start plain 80 24 -- demo --user clerk3 # ACME only: no client to choose
tui_menu plain "Key documents"
tui_wait plain "Ref CMS-DEMO-1"
tui_wait plain "CMS-1500 claim"
doc=$(tui_sql "SELECT document_id FROM entry.documents WHERE external_ref = 'CMS-DEMO-1'")
tui_wait plain "Image: backdesk image $doc >page.png"
bd --user clerk3 image "$doc" >"$TUI_DIR/x.png" 2>"$TUI_DIR/image.err" ||
	tui_fail "backdesk image: $(cat "$TUI_DIR/image.err")"
# the PNG signature, then the header chunk of the page's 1275x1650 pixels
[ "$(od -An -tx1 -N24 "$TUI_DIR/x.png" | tr -d ' \n')" = \
	"89504e470d0a1a0a0000000d49484452000004fb00000672" ] || tui_fail "backdesk image: not a PNG"
tui_keys plain F3
tui_wait plain "Main menu"
tui_keys plain F3
tui_wait plain "Sign off?"
tui_keys plain y
[ "$(tui_exit_status plain)" = 0 ] || tui_fail "plain: signing off did not exit with status 0"
tui_pass "the demo's cms1500 claim has its page image, and the clerk is told how to open it"

# A sixel terminal: "foot" as xterm's terminfo under another name (tmux
# cannot show sixel: only the program's own output is looked at).
printf 'foot|foot terminal for the test,\n\tuse=xterm-256color,\n' >"$TUI_DIR/foot.ti"
tic -x -o "$TUI_DIR/terminfo" "$TUI_DIR/foot.ti" || tui_fail "tic"
sixels() { # the sixel images (DCS introducers) written so far
	local n
	n=$(grep -aoE $'\eP[0-9;]*q' "$TUI_DIR/wide.out" 2>/dev/null | wc -l)
	echo "${n:-0}"
}

# The images are locked: a fetch of one waits until the lock goes.
psql -X -q -d "$TUI_CONNINFO" -c "BEGIN; LOCK TABLE entry.images IN ACCESS EXCLUSIVE MODE;
	SELECT pg_sleep(600); COMMIT;" >/dev/null 2>&1 &
tui_expect_sql "SELECT count(*) FROM pg_locks WHERE relation = 'entry.images'::regclass
	AND mode = 'AccessExclusiveLock' AND granted" 1

TUI_ENV="TERM=foot TERMINFO=$TUI_DIR/terminfo" tui_start wide 160 48 -- demo --user clerk1
tmux -L "$TUI_SOCKET" pipe-pane -O -t wide "cat >>$TUI_DIR/wide.out"
tui_wait wide "Choose a client"
tui_keys wide Enter
tui_menu wide "Key documents"
tui_wait wide "Ref CMS-DEMO-2"
tui_type wide "DOE, JANE"
tui_keys wide Enter
tui_type wide "03/12/80"
tui_keys wide Enter
tui_wait wide "DOE, JANE"
tui_wait wide "1980-03-12"
# the fetch was sent and waits on the lock; no image has been sent
tui_expect_sql "SELECT count(*) FROM pg_stat_activity WHERE usename = 'clerk1'
	AND wait_event_type = 'Lock'" 1
[ "$(sixels)" -eq 0 ] || tui_fail "an image was sent while the fetch was held"
tui_pass "the form takes keys while the image is still on its way"

# The lock goes: the image arrives and is sent once, not again per key.
tui_sql "SELECT pg_cancel_backend(pid) FROM pg_locks WHERE relation = 'entry.images'::regclass
	AND mode = 'AccessExclusiveLock' AND granted" >/dev/null
end=$((SECONDS + TUI_WAIT_LIMIT))
until [ "$(sixels)" -ge 1 ]; do
	[ $SECONDS -lt $end ] || tui_fail "the image never arrived after the lock went"
	sleep 0.1
done
tui_type wide "W123456789"
tui_keys wide Enter
tui_wait wide "W123456789"
[ "$(sixels)" -eq 1 ] || tui_fail "$(sixels) images for one document view"
tui_keys wide F3
tui_wait wide "Main menu"
tui_keys wide F3
tui_wait wide "Sign off?"
tui_keys wide y
[ "$(tui_exit_status wide)" = 0 ] || tui_fail "wide: signing off did not exit with status 0"
tui_pass "the image arrives after the keys and is sent once"
