#!/bin/sh
# test_stress_suite.sh: the crash-safety scripts of tests/stress on the
# PostgreSQL store, through test_cli_suite.sh (PG_SUITE_DIR=tests/stress),
# with make stress-short's sizes (10 kills per case, 10,000 CDRs):
#   crash_rerate.sh  `rerate --all` killed at random moments: each account
#                    all old or all new, verify clean, a re-run as the
#                    uninterrupted one (billtop verify stands for PRAGMA
#                    integrity_check)
# Not here: crash_import.sh (its import, ledger and ingest kills run on
# PostgreSQL as tests/pg/test_crash.sh; `make pg-suite`-style by hand:
# PG_SUITE_DIR=tests/stress PG_SUITE_SCRIPTS=crash_import.sh), and
# concurrency.sh (its analysis reads the SQLite files with Python; on
# PostgreSQL it is tests/pg/test_concurrency.sh).
# PG_CHECK=short (make asan): 3 kills on 3,000 CDRs.
# Needs the cluster's environment (tests/pg/run.sh). Exit 0: all passed.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
if [ "${PG_CHECK:-full}" = short ]; then
	: "${CRASH_KILLS:=3}" "${CRASH_ROWS:=3000}"
else
	: "${CRASH_KILLS:=10}" "${CRASH_ROWS:=10000}"
fi
export CRASH_KILLS CRASH_ROWS
PG_SUITE_DIR=tests/stress PG_SUITE_SCRIPTS=${PG_SUITE_SCRIPTS:-crash_rerate.sh} exec sh "$HERE/test_cli_suite.sh"
