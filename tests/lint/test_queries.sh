#!/bin/bash
# Named queries and the screen files that name them tell the truth:
#  - every query or action a screen file names exists in sql/queries;
#  - every screen an option opens exists (a screen file, or a view a module
#    registers by that name: bd_kit_register_opener);
#  - every named query is run by something (C code or a screen file), so
#    none lingers after its caller is gone.
set -eu
export LC_ALL=C # sort, comm and join agree on one order
cd "${BD_SOURCE_DIR:?set by ctest}"
fail=0
complain() {
	echo "FAIL: $*" >&2
	fail=1
}

names=$(grep -ho '^-- name: [a-z_.0-9]*' sql/queries/*.sql | awk '{print $3}' | sort)
dups=$(echo "$names" | uniq -d)
[ -z "$dups" ] || complain "named queries defined twice: $dups"

# Every query a screen file names exists (one grep for all of them: a grep
# per file and name took seconds).
while IFS=: read -r conf q; do
	complain "$conf names query $q, which sql/queries lacks"
done < <(grep -roE '\b(query|action|load|save|lookup)[[:space:]]*=[[:space:]]*"[a-z_]+\.[a-z_.0-9]+"' \
	--include='*.conf' screens | sed 's/:.*"\(.*\)"/:\1/' | sort -t: -k2 |
	join -t: -1 2 -2 1 -v 1 -o 1.1,1.2 - <(echo "$names"))

# A screen an option opens is a screen file's name, or an opener's.
screens=$({
	grep -rhoE '^[[:space:]]*name[[:space:]]*=[[:space:]]*"[a-z_]+\.[a-z_.0-9]+"' screens
	grep -rhoE 'bd_kit_register_opener\("[a-z_]+\.[a-z_.0-9]+"' src
} | sed 's/.*"\(.*\)"/\1/' | sort -u)
for s in $(comm -23 <(grep -rhoE '\bscreen[[:space:]]*=[[:space:]]*"[^"]*"' screens |
	sed 's/.*"\(.*\)"/\1/' | sort -u) <(echo "$screens")); do
	complain "an option opens screen $s, which no screen file or opener defines"
done

# Every quoted "module.name" string of the callers, read once (a grep per
# query took seconds).
run=$(grep -rhoE '"[a-z_]+\.[a-z_.0-9]+"' src screens tests/support tests/bench tests/db | tr -d '"' | sort -u)
for q in $(comm -23 <(echo "$names") <(echo "$run")); do
	complain "named query $q is never run"
done

[ $fail = 0 ] && echo "PASS: queries"
exit $fail
