#!/bin/bash
# The dependency rule of the architecture (README, DESIGN.md), derived from
# the folders:
#   base <- config, db, forms <- ui <- kit <- modules/<name> <- app <- cli, main
# A source file may include the backdesk headers of its own layer and of the
# layers below; a module may include its own headers (those named after a
# file of its folder) and never another module's. Only src/db includes libpq,
# only src/ui includes curses, and no C string holds SQL.
#
# A header belongs to the folder that holds the source file of its name
# (backdesk/ledger.h -> src/modules/ledger/ledger.c); the few headers without
# one are placed in HEADER_HOME below.
#
# `test_layers.sh --self-test` plants one violation of each kind in a copy of
# the tree and checks that each is caught.
set -eu
src_root=${BD_SOURCE_DIR:?set by ctest}

if [ "${1:-}" = --self-test ]; then
	fail=0
	plant() { # NAME FILE LINE: the copy with LINE added to FILE must fail
		local tmp
		tmp=$(mktemp -d)
		cp -r "$src_root/src" "$src_root/include" "$tmp/"
		echo "$3" >>"$tmp/$2"
		if BD_SOURCE_DIR=$tmp bash "$0" >/dev/null 2>&1; then
			echo "FAIL: self-test: $1 was not caught" >&2
			fail=1
		fi
		rm -rf "$tmp"
	}
	plant_nothing() { # the unplanted copy passes, or no plant proves anything
		local tmp
		tmp=$(mktemp -d)
		cp -r "$src_root/src" "$src_root/include" "$tmp/"
		BD_SOURCE_DIR=$tmp bash "$0" >/dev/null 2>&1 || {
			echo "FAIL: self-test: the tree itself breaks the rule (run test_layers.sh)" >&2
			fail=1
		}
		rm -rf "$tmp"
	}
	plant_nothing
	plant "base using ui" src/base/strbuf.c '#include "backdesk/ui.h"'
	plant "ui using a module" src/ui/ui.c '#include "backdesk/ledger.h"'
	plant "a module using another's header" src/modules/admin/admin.c '#include "backdesk/ledger.h"'
	plant "a module using another's internals" src/modules/admin/admin.c \
		'#include "../ledger/ledger_ui_internal.h"'
	plant "kit using a module" src/kit/draft.c '#include "backdesk/entry.h"'
	plant "curses outside ui" src/modules/ledger/ledger.c '#include <curses.h>'
	plant "libpq outside db" src/kit/draft.c '#include <libpq-fe.h>'
	plant "SQL in C" src/modules/entry/entry.c 'static const char *q = "SELECT 1";'
	[ $fail = 0 ] && echo "PASS: layers self-test"
	exit $fail
fi

cd "$src_root"
fail=0
complain() {
	echo "FAIL: $*" >&2
	fail=1
}

# Headers with no source file of their name, and where they live.
declare -A HEADER_HOME=([banned]=base [session]=kit [module]=kit [cli]=cli [ui_keymap]=ui)
# The layers in order: each may use those before it.
LAYERS=(base config db forms ui kit modules app cli main)
declare -A RANK=([base]=0 [config]=1 [db]=1 [forms]=1 [ui]=2 [kit]=3 [modules]=4 [app]=5
	[cli]=6 [main]=7)
# config, db and forms sit side by side; of them only db may use config.

# layer_of FILE: sets LAYER to "base", "modules/ledger", ... for a source
# path (no subshell: the lint runs it for every include).
layer_of() {
	local rest=${1#src/}
	case $1 in
	src/main.c) LAYER=main ;;
	src/modules/*/*) rest=${rest#modules/}; LAYER=modules/${rest%%/*} ;;
	src/*/*) LAYER=${rest%%/*} ;;
	*) LAYER= ;;
	esac
}

# The layer of each backdesk header: the folder of the source file of its name.
declare -A SOURCE_OF HOME
for file in $(find src -name '*.c'); do
	name=${file##*/}
	SOURCE_OF[${name%.c}]=$file
done
for h in include/backdesk/*.h; do
	name=${h##*/}
	name=${name%.h}
	if [ -n "${HEADER_HOME[$name]:-}" ]; then
		HOME[$name]=${HEADER_HOME[$name]}
		continue
	fi
	file=${SOURCE_OF[$name]:-}
	[ -n "$file" ] || {
		complain "include/backdesk/$name.h has no source file of its name and no HEADER_HOME"
		continue
	}
	layer_of "$file"
	HOME[$name]=$LAYER
done

# One grep for every include of every file (a grep per file made the
# self-test's nine runs take half a minute).
last=
while IFS= read -r hit; do
	file=${hit%%:*}
	line=${hit#*:}
	if [ "$file" != "$last" ]; then
		layer_of "$file"
		mine=$LAYER
		last=$file
	fi
	case $line in
	'#include "backdesk/'*) h=${line#*backdesk/}; h=${h%%.h\"*} ;;
	*_internal.h\"*)
		h=${line#\#include \"}; h=${h%\"*}
		case $h in
		*/*) complain "$file includes $h: another folder's internals" ;;
		*) [ -f "${file%/*}/$h" ] || complain "$file includes $h, not in its folder" ;;
		esac
		continue ;;
	*) continue ;;
	esac
	theirs=${HOME[$h]:-}
	[ -n "$theirs" ] || continue
	[ "$theirs" = "$mine" ] && continue
	case "$mine/$theirs" in
	config/db | forms/db | forms/config | db/forms | config/forms)
		complain "$file includes backdesk/$h.h: $mine may not use $theirs" ;;
	*)
		if [ "${mine%%/*}" = modules ] && [ "${theirs%%/*}" = modules ]; then
			complain "$file includes backdesk/$h.h: module ${mine#modules/} may not use module ${theirs#modules/}"
		elif [ "${RANK[${theirs%%/*}]}" -ge "${RANK[${mine%%/*}]}" ] && [ "${theirs%%/*}" != "${mine%%/*}" ]; then
			complain "$file includes backdesk/$h.h: $mine may not use $theirs"
		fi
		;;
	esac
done < <(find src -name '*.[ch]' | sort | xargs grep -H '^#include "')

for f in $(grep -rlE '^#include <(libpq-fe\.h|libpq/)' src include --include=*.[ch]); do
	case $f in src/db/*) ;; *) complain "$f includes libpq: only src/db may" ;; esac
done
for f in $(grep -rlE '^#include <(n?cursesw?|panel|ncursesw/[a-z]+)\.h>' src include --include=*.[ch]); do
	case $f in src/ui/*) ;; *) complain "$f includes curses: only src/ui may" ;; esac
done

# SQL lives in sql/: a C string that starts like a statement is pasted SQL.
if grep -rnE '"[[:space:]]*(SELECT|INSERT INTO|UPDATE [a-z_.]+ SET|DELETE FROM|CREATE |ALTER |DROP )' \
	src --include=*.c; then
	complain "SQL text in C (above): put it in sql/queries as a named query"
fi

[ $fail = 0 ] && echo "PASS: layers"
exit $fail
