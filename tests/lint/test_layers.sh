#!/bin/bash
# The dependency rule of the architecture (README, DESIGN.md), kept by grep:
#   base <- config, db, forms <- ui, modules <- cli, main
# Only src/db includes libpq and only src/ui includes curses; no SQL text in C.
set -eu
cd "${BD_SOURCE_DIR:?set by ctest}"
fail=0

complain() {
	echo "FAIL: $*" >&2
	fail=1
}

base="csv date embedded err json log money strbuf text xalloc"
config="$base config"
db="$config db cluster connect migrate"
forms="$base field form screen"
ui="$db field form screen ui ui_keymap"

# allowed LAYER DIR: every backdesk header DIR includes must be in LAYER's list.
allowed() {
	local list=$1 dir=$2 file h
	for file in "$dir"/*.[ch]; do
		for h in $(grep -ho '^#include "backdesk/[a-z_]*\.h"' "$file" |
			sed 's/.*backdesk\///; s/\.h"//'); do
			case " $list " in
			*" $h "*) ;;
			*) complain "$file includes backdesk/$h.h, outside its layer" ;;
			esac
		done
	done
}

allowed "$base" src/base
allowed "$config" src/config
allowed "$db" src/db
allowed "$forms" src/forms
allowed "$ui" src/ui
# Modules may use every header but the command line's.
modules=$(cd include/backdesk && ls *.h | sed 's/\.h$//' | grep -vx cli | tr '\n' ' ')
allowed "$modules" src/modules

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
