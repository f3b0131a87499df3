#!/bin/sh
# archive.sh: `billtop archive` on a SQLite store (issue 12). Month
# partitions exist on PostgreSQL only (tests/pg/test_archive.sh): on a
# SQLite file the command refuses, says why and what to do instead, and
# changes nothing; its options are checked first (exit 2, or 1 for a bad
# month or the current month). Prints "cli-archive: N passed, N failed".
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
B=${BILLTOP:-$HERE/../../billtop}
T=$(mktemp -d "${TMPDIR:-/tmp}/billtop-archive.XXXXXX")
trap 'rm -rf "$T"' EXIT
export BILLTOP_NOW="2024-04-10 12:00:00"
unset BILLTOP_DB
db() { "$B" --db "$T/t.db" "$@"; }

db init >/dev/null
db account add acme >/dev/null
db import cdr "$HERE/../realdata/asterisk-cdr_csv-21col-multileg.csv" --account acme >/dev/null 2>&1
# (PostgreSQL suite: there the command archives; tests/pg/test_archive.sh)
if ! pg_skip "a SQLite file refuses archive; the PostgreSQL store archives (tests/pg/test_archive.sh)"; then
	before=$(sqlite3 "$T/t.db" "select count(*) from cdr")
	sum_before=$(sha256sum <"$T/t.db")
	out=$(db archive --before 2024-03 2>&1); st=$?
	expect_eq "SQLite: refused (exit 1)" "$st" "1"
	expect_contains "SQLite: says why and what instead" "$out" "archive needs the PostgreSQL store: a SQLite store is one file, archived by copying it"
	expect_eq "SQLite: every call kept" "$(sqlite3 "$T/t.db" "select count(*) from cdr")" "$before"
	expect_eq "SQLite: the file unchanged" "$(sha256sum <"$T/t.db")" "$sum_before"
	out=$(db archive --before 2024-03 --dry-run 2>&1); st=$?
	expect_eq "SQLite --dry-run: refused too (exit 1)" "$st" "1"
fi
expect_status "no --before: usage (exit 2)" 2 db archive
expect_status "an unknown option: usage (exit 2)" 2 db archive --before 2024-01 --now
out=$(db archive --before 2024-13 2>&1); st=$?
expect_eq "a bad month: exit 1" "$st" "1"
expect_contains "a bad month: says the form" "$out" "--before \"2024-13\": use YYYY-MM"
out=$(db archive --before 2024-05 2>&1); st=$?
expect_eq "a later month: exit 1" "$st" "1"
expect_contains "a later month: the current month is never archived" "$out" "at most --before 2024-04"
echo "cli-archive: $PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
