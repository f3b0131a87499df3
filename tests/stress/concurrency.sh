#!/bin/sh
# concurrency.sh: the live feed under four readers, short and for correctness
# only (issue 5; make check). `billtop ingest --follow` follows a Master.csv
# that gencdr appends to at CONC_RATE CDRs/s (default 2000) for CONC_SECS
# (default 6) while two `billtop balance --format json` loops and two
# consoles in tmux (accounts list, a dashboard) poll every 100 ms. Asserts:
# no reader saw an error (a busy or locked database above all), every
# balance shown was one the feed passed through, the follower exits 0 on
# SIGTERM, and every appended CDR is in the database exactly once with the
# charges, balances and suspensions of an uninterrupted `import cdr` of the
# same file; verify and integrity_check pass. No timing is asserted: the
# figures are the bench's (tests/bench/concurrency.sh, which this runs with
# CONC_CHECK=1).
#
# Environment: BILLTOP (binary), CONC_SECS, CONC_RATE, CC. Prints
# "concurrency: N passed, N failed"; exits non-zero on a failure.
set -u
# (PostgreSQL suite, PG_SUITE=1: the analysis, tests/bench/concurrency.py,
# opens the SQLite files with Python's sqlite3; the PostgreSQL store's
# concurrency is tests/pg/test_concurrency.sh)
if [ "${PG_SUITE:-}" = 1 ]; then
	echo "skip (PostgreSQL): concurrency.py reads the SQLite files itself (tests/pg/test_concurrency.sh covers PostgreSQL)" >&2
	exit 0
fi
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
B=${BILLTOP:-$ROOT/billtop}
T=$(mktemp -d "${TMPDIR:-/tmp}/billtop-conc.XXXXXX")
trap 'rm -rf "$T"' EXIT
${CC:-cc} -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -o "$T/gencdr" \
	"$ROOT/tests/bench/gencdr.c" "$ROOT/core/gen.c" "$ROOT/core/tm.c" || { echo "concurrency: cannot build gencdr" >&2; exit 2; }
BILLTOP=$B GENCDR=$T/gencdr BENCH_CONC_SECS=${CONC_SECS:-6} BENCH_CONC_RATE=${CONC_RATE:-2000} \
	CONC_CHECK=1 CONC_OUT=$T/run sh "$ROOT/tests/bench/concurrency.sh"
