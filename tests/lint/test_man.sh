#!/bin/bash
# `make install DESTDIR=... PREFIX=/usr` puts the binary and the manual pages
# backdesk(1) and backdesk.conf(5) in place; both render without a warning
# (man and groff), backdesk(1) names every command of `backdesk --help` and
# backdesk.conf(5) every setting of `backdesk config`: the pages are written
# from the same tables as the binary. The bash completion installed beside
# them completes the commands, subcommands and options of the same table.
set -eu
src=${BD_SOURCE_DIR:?set by ctest}
bin=${BD_BINARY:?set by ctest}
build=$(dirname "$bin")
dest=$(mktemp -d /tmp/bdman-XXXXXX)
trap 'rm -rf "$dest"' EXIT
fail() {
	echo "FAIL: $*" >&2
	exit 1
}
for tool in man groff; do
	command -v $tool >/dev/null || fail "$tool is not installed (make deps: man-db, groff-base)"
done

# make install builds first; a build directory of another type (the ASan
# one) is installed as make install would after building, not reconfigured.
if grep -q '^CMAKE_BUILD_TYPE:STRING=RelWithDebInfo$' "$build/CMakeCache.txt"; then
	make -s -C "$src" install BUILD="$build" DESTDIR="$dest/root" PREFIX=/usr JOBS=1 \
		>"$dest/install.log" 2>&1 || { cat "$dest/install.log" >&2; fail "make install failed"; }
else
	DESTDIR="$dest/root" cmake --install "$build" --prefix /usr >"$dest/install.log" 2>&1 ||
		{ cat "$dest/install.log" >&2; fail "cmake --install failed"; }
fi

root=$dest/root
for f in usr/bin/backdesk usr/share/man/man1/backdesk.1 usr/share/man/man5/backdesk.conf.5 \
	usr/share/bash-completion/completions/backdesk; do
	[ -s "$root/$f" ] || fail "make install did not install /$f: $(cd "$root" && find . -type f)"
done
[ -x "$root/usr/bin/backdesk" ] || fail "/usr/bin/backdesk is not executable"
"$root/usr/bin/backdesk" --version | grep -q '^backdesk ' || fail "the installed binary does not run"
# the payroll outputs' and document images' modules (src/base/loadable.c), under the libdir
for m in backdesk-output.so backdesk-image.so; do
	[ -n "$(cd "$root" && find . -path "./usr/lib*/backdesk/$m")" ] ||
		fail "make install did not install $m: $(cd "$root" && find . -type f)"
done
extra=$(cd "$root" && find . -type f | grep -v -e '^./usr/bin/backdesk$' -e '^./usr/share/man/' \
	-e '^./usr/share/bash-completion/completions/backdesk$' \
	-e '^./usr/lib.*/backdesk/backdesk-\(output\|image\)\.so$' || true)
[ -z "$extra" ] || fail "make install put more files: $extra"

for page in "$root/usr/share/man/man1/backdesk.1" "$root/usr/share/man/man5/backdesk.conf.5"; do
	out=$(MANWIDTH=80 man --warnings -E UTF-8 -l "$page" 2>&1 >/dev/null)
	[ -z "$out" ] || fail "man warns on $(basename "$page"): $out"
	out=$(groff -man -ww -z "$page" 2>&1)
	[ -z "$out" ] || fail "groff warns on $(basename "$page"): $out"
done

# Every command, with its usage line, as --help lists them.
page1=$(MANWIDTH=200 man -E UTF-8 -l "$root/usr/share/man/man1/backdesk.1" 2>/dev/null)
commands=$("$bin" --help | sed -n '/^Commands:/,/^$/p' | sed -n 's/^  \([a-z][a-z]*\) .*/\1/p')
[ "$(wc -l <<<"$commands")" -ge 10 ] || fail "--help lists too few commands: $commands"
for c in $commands; do
	grep -qE "^ {7}$c( |\$)" <<<"$page1" || fail "backdesk(1) lacks the command $c"
done
grep -qF "check [--login LOGIN] [--sshd-config FILE] [--addr ADDR]" <<<"$page1" ||
	fail "backdesk(1) lacks deploy's usage"

# Every setting, in its group, as `backdesk config` prints them.
page5=$(MANWIDTH=200 man -E UTF-8 -l "$root/usr/share/man/man5/backdesk.conf.5" 2>/dev/null)
: >"$dest/empty.conf"
settings=$("$bin" --config "$dest/empty.conf" config |
	awk '/^[a-z_]+ = \{/ {g=$1} /^\t[a-z_]+ = / {print g "." $1}')
[ "$(wc -l <<<"$settings")" -ge 15 ] || fail "backdesk config printed too few settings: $settings"
for s in $settings; do
	group=${s%%.*}
	name=${s#*.}
	sed -n "/^   $group\$/,/^   [a-z]/p" <<<"$page5" | grep -qE "^ {7}$name( |\$)" ||
		fail "backdesk.conf(5) lacks $s in its group $group"
done
# The completion, as bash calls it.
. "$root/usr/share/bash-completion/completions/backdesk"
complete_words() { # WORDS...: what completing the last one offers
	COMP_WORDS=(backdesk "$@")
	COMP_CWORD=$#
	COMPREPLY=()
	_backdesk
	echo "${COMPREPLY[*]}"
}
[ "$(complete_words "")" = "$(echo $commands) --config --set --user --help --version" ] ||
	fail "completing a command offers: $(complete_words "")"
[ "$(complete_words de)" = "deploy demo" ] || fail "completing de offers: $(complete_words de)"
[ "$(complete_words deploy "")" = "sshd check" ] || fail "deploy offers: $(complete_words deploy "")"
[ "$(complete_words --config /x deploy check --)" = "--login --sshd-config --addr --help" ] ||
	fail "deploy check -- offers: $(complete_words --config /x deploy check --)"
[ "$(complete_words ledger report "")" = "trial-balance pl balance-sheet account" ] ||
	fail "ledger report offers: $(complete_words ledger report "")"
[ "$(complete_words user add bob --role clerk --u)" = "--unix" ] ||
	fail "user add --u offers: $(complete_words user add bob --role clerk --u)"
echo "PASS: man ($(wc -w <<<"$commands") commands, $(wc -w <<<"$settings") settings)"
