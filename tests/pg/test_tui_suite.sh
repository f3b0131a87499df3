#!/bin/sh
# test_tui_suite.sh: the console suite (tests/tui/test_*.sh, golden screens
# included) on the PostgreSQL store, through test_cli_suite.sh
# (PG_SUITE_DIR=tests/tui: billtop-pg maps each --db path to a database of
# the test cluster; the demo stores are built on PostgreSQL).
#   PG_CHECK=full (default; make check's normal build): every test_*.sh
#   PG_CHECK=short (make asan): TUI_SHORT_SET below, the screens that read
#     the store most (lists, records, posting, the live feed), about a
#     quarter of the time
# Needs the cluster's environment (tests/pg/run.sh). Exit 0: all passed.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
TUI_SHORT_SET="test_views.sh test_records.sh test_post.sh test_live.sh"
if [ "${PG_CHECK:-full}" = short ] && [ -z "${PG_SUITE_SCRIPTS:-}" ]; then
	PG_SUITE_SCRIPTS=$TUI_SHORT_SET
	export PG_SUITE_SCRIPTS
fi
PG_SUITE_DIR=tests/tui exec sh "$HERE/test_cli_suite.sh"
