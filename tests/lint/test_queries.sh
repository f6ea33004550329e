#!/bin/bash
# Named queries and the screen files that name them tell the truth:
#  - every query or action a screen file names exists in sql/queries;
#  - every screen an option opens exists (a screen file, or a view a module
#    registers by that name: bd_kit_register_opener);
#  - every named query is run by something (C code or a screen file), so
#    none lingers after its caller is gone.
set -eu
cd "${BD_SOURCE_DIR:?set by ctest}"
fail=0
complain() {
	echo "FAIL: $*" >&2
	fail=1
}

names=$(grep -ho '^-- name: [a-z_.0-9]*' sql/queries/*.sql | awk '{print $3}' | sort)
dups=$(echo "$names" | uniq -d)
[ -z "$dups" ] || complain "named queries defined twice: $dups"

for conf in $(find screens -name '*.conf'); do
	for q in $(grep -oE '\b(query|action|load|save|lookup)[[:space:]]*=[[:space:]]*"[a-z_]+\.[a-z_.0-9]+"' "$conf" |
		sed 's/.*"\(.*\)"/\1/'); do
		echo "$names" | grep -qx "$q" || complain "$conf names query $q, which sql/queries lacks"
	done
done

# A screen an option opens is a screen file's name, or an opener's.
screens=$({
	grep -rhoE '^[[:space:]]*name[[:space:]]*=[[:space:]]*"[a-z_]+\.[a-z_.0-9]+"' screens
	grep -rhoE 'bd_kit_register_opener\("[a-z_]+\.[a-z_.0-9]+"' src
} | sed 's/.*"\(.*\)"/\1/' | sort -u)
for s in $(grep -rhoE '\bscreen[[:space:]]*=[[:space:]]*"[^"]*"' screens | sed 's/.*"\(.*\)"/\1/' | sort -u); do
	echo "$screens" | grep -qx "$s" || complain "an option opens screen $s, which no screen file or opener defines"
done

for q in $names; do
	grep -rqF "\"$q\"" src screens tests/support tests/bench tests/db || complain "named query $q is never run"
done

[ $fail = 0 ] && echo "PASS: queries"
exit $fail
