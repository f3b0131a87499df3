#!/bin/sh
# test_cli_suite.sh: the CLI suite (tests/cli/*.sh) on the PostgreSQL store.
# Each script runs unchanged with BILLTOP=tests/pg/billtop-pg (its --db
# paths become databases of the test cluster) and tests/pg/shim first in
# PATH (cp clones a store, sqlite3 queries it with psql), with PG_SUITE=1:
# a check that inspects the SQLite file itself (file mode, WAL, PRAGMAs,
# SQLite-only SQL, a SQLite fixture) prints "skip: reason" there instead.
# The databases a script made (bt<pid>_*) are dropped after it.
#   PG_SUITE_SCRIPTS="run.sh audit.sh ..."  the scripts to run; default:
#     every script (PG_CHECK=full: make check's normal build, make pg-suite,
#     PG_SUITE_ALL=1), or CHECK_SET below (PG_CHECK=short: make asan)
#   PG_SUITE_DIR=tests/tui PG_SUITE_GLOB='test_*.sh'  the console tests
# Needs the cluster's environment (tests/pg/run.sh). Exit 0: all passed.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
REAL=$(cd "$(dirname "${BILLTOP:-$ROOT/billtop}")" && pwd)/$(basename "${BILLTOP:-$ROOT/billtop}")
DIR=${PG_SUITE_DIR:-$ROOT/tests/cli}
case $DIR in /*) ;; *) DIR=$ROOT/$DIR ;; esac
GLOB=${PG_SUITE_GLOB:-*.sh}
RUNNER=sh
case $DIR in */tui) RUNNER=bash ;; esac
: "${PGHOST:?test_cli_suite.sh: run it through tests/pg/run.sh (make pg-tests)}"

# this run's databases: bt<pid>_<md5 of the path> (two runs at once keep apart)
export BILLTOP_PG_PREFIX=bt$$_
drop_all() {
	for d in $(psql -X -At -d postgres -c "select datname from pg_database where starts_with(datname, '$BILLTOP_PG_PREFIX')"); do
		dropdb --if-exists "$d" 2>/dev/null
	done
}

# make asan's share (PG_CHECK=short, about 90 s in the normal build): the
# scripts that build no demo store; the normal
# build's make check runs every script (the demo on PostgreSQL takes ~5 s)
CHECK_SET="run.sh audit.sh corpus.sh dates.sh decks.sh dialplan.sh disputes.sh figures.sh formats.sh import_accounting.sh ledger_ref.sh walk_order.sh"
if [ -n "${PG_SUITE_SCRIPTS:-}" ]; then
	list=$PG_SUITE_SCRIPTS
elif [ "${PG_SUITE_ALL:-}" != 1 ] && [ -z "${PG_SUITE_DIR:-}" ] && [ "${PG_CHECK:-full}" = short ]; then
	list=$CHECK_SET
else
	list=$(cd "$DIR" && ls $GLOB | grep -v '^lib\.sh$' | sort)
fi
status=0 passed= failed=
for s in $list; do
	echo "== pg: $DIR/$s"
	t0=$(date +%s)
	if PG_SUITE=1 BILLTOP="$HERE/billtop-pg" BILLTOP_PG_REAL="$REAL" PATH="$HERE/shim:$PATH" \
		$RUNNER "$DIR/$s"; then
		passed="$passed $s"
	else
		failed="$failed $s"; status=1
	fi
	echo "pg: $s: $(($(date +%s) - t0)) s"
	drop_all
done
echo "pg suite ($DIR): passed:${passed:- none}; failed:${failed:- none}"
exit $status
