#!/bin/sh
# Runs every benchmark and prints one markdown table (see README.md,
# "Benchmarks"). Builds nothing: `make bench` builds first.
#
#   sh tests/bench/run.sh BUILD_DIR
#
# Each benchmark measures Backdesk and its reference in the same run on the
# same private embedded cluster (started here in a temporary directory, as
# the unprivileged cluster user when run as root), so every figure is a
# ratio, never a timing compared with a number from elsewhere.
#
# Environment:
#   BENCH_SCALE=small  a quick smoke run (about a minute or two); the full
#                      run takes about 14 minutes on 2 cores, and seats about 9 more
#   BENCH_ONLY="ledger entry inventory payroll tty forms seats payout image"  which benchmarks to run (default: all)
#   BENCH_KEEP=1       keep the temporary directory (clusters, logs)
#   the BENCH_* knobs of bench_ledger.c and bench_entry.c
set -eu

BUILD=${1:?usage: sh tests/bench/run.sh BUILD_DIR}
BUILD=$(cd "$BUILD" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
BD=$BUILD/backdesk
ONLY=${BENCH_ONLY:-ledger entry inventory payroll tty forms seats payout image}
export LANG=C.UTF-8 LC_ALL=C.UTF-8
unset PGHOST PGHOSTADDR PGSERVICE PGDATABASE PGUSER

for p in backdesk bench_ledger bench_entry bench_inventory bench_payroll bench_tty bench_forms bench_seats bench_payroll_out bench_image; do
	[ -x "$BUILD/$p" ] || { echo "run.sh: $BUILD/$p is missing: build first (make bench)" >&2; exit 1; }
done

PSQL=$(ls -d /usr/lib/postgresql/*/bin/psql 2>/dev/null | sort -V | tail -1)
[ -n "$PSQL" ] || PSQL=$(command -v psql) || { echo "run.sh: psql not found" >&2; exit 1; }

DIR=$(mktemp -d /tmp/bdbench-XXXXXX)
# The cluster's unprivileged owner must reach its directory.
chmod 0711 "$DIR"
CONF=$DIR/backdesk.conf
ENTRY_CONF=$DIR/entry.conf
TTY_CONF=$DIR/tty.conf
INV_CONF=$DIR/inventory.conf
PAYROLL_CONF=$DIR/payroll.conf
FORMS_CONF=$DIR/forms.conf
SEATS_CONF=$DIR/seats.conf
ROWS=$DIR/rows.md
: >"$ROWS"
cat >"$CONF" <<EOF
database = { data_dir = "$DIR/cluster"; };
log = { file = "$DIR/backdesk.log"; };
EOF
cat >"$ENTRY_CONF" <<EOF
database = { data_dir = "$DIR/entry-cluster"; };
log = { file = "$DIR/entry.log"; };
EOF
cat >"$INV_CONF" <<EOF
database = { data_dir = "$DIR/inventory-cluster"; };
log = { file = "$DIR/inventory.log"; };
EOF
cat >"$TTY_CONF" <<EOF
database = { data_dir = "$DIR/tty-cluster"; };
log = { file = "$DIR/tty.log"; };
EOF
cat >"$PAYROLL_CONF" <<EOF
database = { data_dir = "$DIR/payroll-cluster"; };
log = { file = "$DIR/payroll.log"; };
EOF

cat >"$FORMS_CONF" <<EOF
database = { data_dir = "$DIR/forms-cluster"; };
log = { file = "$DIR/forms.log"; };
EOF
cat >"$SEATS_CONF" <<EOF
database = { data_dir = "$DIR/seats-cluster"; };
log = { file = "$DIR/seats.log"; };
EOF

cleanup() {
	for c in "$CONF" "$ENTRY_CONF" "$INV_CONF" "$PAYROLL_CONF" "$TTY_CONF" "$FORMS_CONF" "$SEATS_CONF"; do
		"$BD" --config "$c" db stop >/dev/null 2>&1 || true
	done
	if [ -n "${BENCH_KEEP:-}" ]; then
		echo "run.sh: kept $DIR" >&2
	else
		rm -rf "$DIR"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

failed=0
fail_row() {
	echo "| $1 | failed: see the log above | - | - | - | - | **no** |" >>"$ROWS"
	failed=1
}

wants() {
	case " $ONLY " in *" $1 "*) return 0 ;; esac
	return 1
}

started=$(date -u '+%Y-%m-%d %H:%M UTC')
load_start=$(cut -d' ' -f1 /proc/loadavg)
t0=$(date +%s)

# Each benchmark has a cluster of its own, so that one does not run beside
# the vacuum of what the one before it loaded. Each makes it a throwaway
# cluster (no fsync: see bench_common.h), the same for Backdesk and the
# references.
run_on_cluster() { # name config program
	echo "run.sh: $1: starting its cluster" >&2
	"$BD" --config "$2" db start >&2
	BENCH_CONFIG="$2" "$BUILD/$3" >>"$ROWS" || fail_row "$1"
	"$BD" --config "$2" db stop >/dev/null 2>&1 || true
}
if wants ledger; then
	run_on_cluster Ledger "$CONF" bench_ledger
fi
if wants entry; then
	run_on_cluster Entry "$ENTRY_CONF" bench_entry
fi
if wants inventory; then
	run_on_cluster Inventory "$INV_CONF" bench_inventory
fi
if wants payroll; then
	run_on_cluster Payroll "$PAYROLL_CONF" bench_payroll
fi

if wants tty; then
	echo "run.sh: terminal bytes" >&2
	sh "$HERE/tty.sh" "$BUILD" "$TTY_CONF" >>"$ROWS" || fail_row "Terminal"
fi
if wants forms; then
	run_on_cluster "F4 over a code table" "$FORMS_CONF" bench_forms
fi

if wants seats; then
	echo "run.sh: seats: the demo database" >&2
	if "$BD" --config "$SEATS_CONF" demo --no-ui >"$DIR/seats-demo.out" 2>&1; then
		bash "$HERE/seats.sh" "$BUILD" "$SEATS_CONF" >>"$ROWS" || fail_row "Seats"
	else
		cat "$DIR/seats-demo.out" >&2
		fail_row "Seats"
	fi
	"$BD" --config "$SEATS_CONF" db stop >/dev/null 2>&1 || true
fi

# Payroll's outputs: payslip PDFs and the bank file, no database.
if wants payout; then
	echo "run.sh: payroll outputs" >&2
	"$BUILD/bench_payroll_out" >>"$ROWS" || fail_row "Payroll outputs"
fi

# The document image's bytes on the terminal, no database.
if wants image; then
	echo "run.sh: document image" >&2
	"$BUILD/bench_image" >>"$ROWS" || fail_row "Document image"
fi

minutes=$((($(date +%s) - t0 + 59) / 60))
echo
echo "Run of $started, ${minutes} min, BENCH_SCALE=${BENCH_SCALE:-full}, $(nproc) cores," \
	"$(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo)," \
	"$("$PSQL" --version | sed 's/psql (PostgreSQL) /PostgreSQL /'), load average" \
	"$load_start at the start and $(cut -d' ' -f1 /proc/loadavg) at the end."
echo
echo "| benchmark | measure | Backdesk | reference | ratio | goal | met? |"
echo "|---|---|---|---|---|---|---|"
cat "$ROWS"
exit "$failed"
