#!/bin/sh
# test_archive.sh: monthly partitions of cdr and `billtop archive` on the
# PostgreSQL store (issue 12). The real Asterisk file (tests/realdata, all
# of January 2024) is imported with its copies moved to February and March
# (dates and call ids changed, nothing else); then: a partition a month,
# duplicates still found on a re-import (and the billed legs as on SQLite),
# archive refused for a month not rolled up, with an open case or an alert
# in the outbox, --dry-run changes nothing, two months detached leave
# balance, statement and usage byte for byte, a re-import of an archived
# month is refused, cdrs says a month is archived, --drop drops.
# Needs tests/pg/run.sh's cluster.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../cli/lib.sh"
. "$HERE/lib.sh"
T=$(mktemp -d "${TMPDIR:-/tmp}/billtop-pg-archive.XXXXXX")
chmod 755 "$T"
trap 'rm -rf "$T"' EXIT
CSV=$HERE/../realdata/asterisk-cdr_csv-21col-multileg.csv
export BILLTOP_NOW="2024-04-10 12:00:00"

# the file moved to month M (2 digits): dates 2024-01-DD -> 2024-M-DD, ids suffixed
for m in 02 03; do
	sed -E "s/\"2024-01-/\"2024-$m-/g; s/\"([^\"]*1706[0-9]+\.[0-9]+)\"/\"\1m$m\"/g" "$CSV" >"$T/m$m.csv"
done
cp "$CSV" "$T/m01.csv"
newdb bt_arc
PG="$BILLTOP_PG_CONNINFO dbname=bt_arc"
LITE=$T/oracle.db
for db in "$LITE" "$PG"; do
	store "$db"
	"$B" --db "$db" ledger add acme deposit 50 --memo x --at 2024-01-01 >/dev/null
	for m in 01 02 03; do "$B" --db "$db" import cdr "$T/m$m.csv" --account acme >/dev/null 2>&1; done
done
# a second connected leg of a January call (same linkedid, its own
# uniqueid) starting in March: one billed leg a call, across months
python3 - "$CSV" >"$T/leg.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline='', encoding='latin-1')))
r = next(list(r) for r in rows if r[14] == 'ANSWERED')
r[16] += 'leg2'; r[20] = '99'
r[9], r[10], r[11] = '2024-03-01 00:00:05', '2024-03-01 00:00:05', '2024-03-01 00:00:32'
csv.writer(sys.stdout, quoting=csv.QUOTE_ALL, lineterminator='\n').writerow(r)
PY
out_p=$("$B" --db "$PG" import cdr "$T/leg.csv" --account acme 2>&1)
out_l=$("$B" --db "$LITE" import cdr "$T/leg.csv" --account acme 2>&1)
expect_contains "a leg of a January call in March: an extra leg on SQLite" "$out_l" "1 extra legs"
expect_eq "a leg of a January call in March: the same on PostgreSQL" "$(echo "$out_p" | sed 's|bt_arc|X|')" "$(echo "$out_l" | sed 's|oracle.db|X|')"
parts() { sql bt_arc -c "select string_agg(c.relname, ' ' order by c.relname) from pg_inherits i join pg_class c on c.oid = i.inhrelid where i.inhparent = 'cdr'::regclass"; }
expect_eq "a partition a month imported" "$(parts)" "cdr_2024_01 cdr_2024_02 cdr_2024_03"
expect_eq "every row stored" "$(sql bt_arc -c 'select count(*) from cdr')" "$(sqlite3 "$LITE" 'select count(*) from cdr')"
expect_eq "the billed legs as on SQLite (balance)" "$("$B" --db "$PG" balance acme)" "$("$B" --db "$LITE" balance acme)"
expect_eq "the calls as on SQLite" "$("$B" --db "$PG" cdrs acme --format csv --limit 500)" \
	"$("$B" --db "$LITE" cdrs acme --format csv --limit 500)"
# a re-import: every row a duplicate, as on SQLite
out_p=$("$B" --db "$PG" import cdr "$T/m02.csv" --account acme 2>&1)
out_l=$("$B" --db "$LITE" import cdr "$T/m02.csv" --account acme 2>&1)
expect_eq "a re-import: the same report as SQLite (duplicates)" "$(echo "$out_p" | sed 's|bt_arc|X|')" "$(echo "$out_l" | sed 's|oracle.db|X|')"
expect_contains "a re-import: duplicates" "$out_p" "84 duplicates"
expect_eq "a re-import: nothing added" "$(sql bt_arc -c 'select count(*) from cdr')" "$(sqlite3 "$LITE" 'select count(*) from cdr')"

# a writer that made a new month's partition and has not committed yet
# (a long import) holds no lock that readers or other writers wait for
hold bt_arc "$T/fifo"
echo "BEGIN; SELECT billtop_cdr_month(extract(epoch FROM timestamp '2023-12-15')::bigint);" >&3
until_idle_tx bt_arc
out=$(timeout 60 "$B" --db "$PG" cdrs acme --limit 1 --format csv 2>&1); st=$?
expect_eq "a new month being created: cdrs still reads" "$st" "0"
out=$(timeout 60 "$B" --db "$PG" import cdr "$T/leg.csv" --account acme 2>&1); st=$?
expect_eq "a new month being created: another import still writes" "$st" "0"
echo "ROLLBACK;" >&3; exec 3>&-; wait $HOLD_PID
expect_eq "the month rolled back with its transaction" "$(sql bt_arc -c "select to_regclass('cdr_2023_12') is null")" "t"

# what the archive must leave as it is
snap() {
	for a in "balance acme" "balance acme --format json" "statement acme --month 2024-01" \
		"statement acme --month 2024-02" "usage acme --window month --from 2024-01-01 --to 2024-04-01" \
		"usage acme --by day --from 2024-01-01 --to 2024-04-01" "usage acme --by destination --from 2024-01-01 --to 2024-04-01"; do
		echo "== $a"; "$B" --db "$PG" $a 2>&1
	done
}
snap >"$T/before"
"$B" --db "$PG" balance acme >"$T/bal"
jan=$("$B" --db "$PG" cdrs acme --format csv --to 2024-02-01 --limit 1 | sed -n '2s/^"\([^"]*\)".*/\1/p')

# refusals: nothing changes
"$B" --db "$PG" investigate acme --theirs "$T/m02.csv" --report text >/dev/null 2>&1
out=$("$B" --db "$PG" archive --before 2024-03 2>&1); st=$?
expect_eq "an open case: exit 1" "$st" "1"
expect_contains "an open case: says which" "$out" "2024-02: refused: open dispute case 1 covers it"
expect_eq "an open case: nothing detached" "$(parts)" "cdr_2024_01 cdr_2024_02 cdr_2024_03"
"$B" --db "$PG" case 1 --close >/dev/null 2>&1
sql bt_arc -c "update rollup_hour set calls = calls + 1 where hour = (select min(hour) from rollup_hour)"
out=$("$B" --db "$PG" archive --before 2024-03 2>&1); st=$?
expect_eq "not rolled up: exit 1" "$st" "1"
expect_contains "not rolled up: says so" "$out" "2024-01: refused: 1 hours not rolled up"
expect_eq "not rolled up: nothing detached" "$(parts)" "cdr_2024_01 cdr_2024_02 cdr_2024_03"
sql bt_arc -c "update rollup_hour set calls = calls - 1 where hour = (select min(hour) from rollup_hour)"
sql bt_arc -c "insert into alert(account_id, event, at, balance, cause_kind, cause_id, created) values (1, 'low_balance', extract(epoch from timestamp '2024-02-27 16:00')::bigint, 0, 'ledger', 999, 0)"
out=$("$B" --db "$PG" archive --before 2024-03 2>&1); st=$?
expect_eq "an alert in the outbox: exit 1" "$st" "1"
expect_contains "an alert in the outbox: says so" "$out" "2024-02: refused: 1 alerts still in the outbox"
sql bt_arc -c "alter table alert disable trigger user; update alert set status = 'sent', sent_at = created where cause_id = 999; alter table alert enable trigger user"
out=$("$B" --db "$PG" archive --before 2024-05 2>&1); st=$?
expect_eq "the current month: refused (usage)" "$st" "1"
expect_contains "the current month: says so" "$out" "the current month is never archived"

# --dry-run
out=$("$B" --db "$PG" archive --before 2024-03 --dry-run 2>&1); st=$?
expect_eq "--dry-run: exit 0" "$st" "0"
expect_contains "--dry-run: lists January" "$out" "2024-01: 84 calls, would be detached"
expect_contains "--dry-run: lists February" "$out" "2024-02: 84 calls, would be detached"
expect_eq "--dry-run: nothing detached" "$(parts)" "cdr_2024_01 cdr_2024_02 cdr_2024_03"

# two months detached: the reports unchanged
out=$("$B" --db "$PG" archive --before 2024-03 2>&1); st=$?
expect_eq "archive: exit 0" "$st" "0"
expect_contains "archive: names the table" "$out" "2024-01: 84 calls, detached as table cdr_2024_01"
expect_eq "archive: one month left in cdr" "$(parts)" "cdr_2024_03"
expect_eq "archive: the detached months are plain tables" \
	"$(sql bt_arc -c "select count(*) from cdr_2024_01") $(sql bt_arc -c "select count(*) from cdr_2024_02")" "84 84"
snap >"$T/after"
if cmp -s "$T/before" "$T/after"; then ok "balance, statement and usage unchanged"; else
	FAIL=$((FAIL + 1)); echo "FAIL: reports changed by the archive" >&2; diff "$T/before" "$T/after" | head -20 >&2; fi
expect_eq "archive again: nothing to do" "$("$B" --db "$PG" archive --before 2024-03 2>&1)" "archive: no month before 2024-03 to archive"
# verify: the rollups of archived months are not re-derived (their calls
# are gone). Open: the balance from raw records, the fresh walk, extra legs
# of an archived billed leg and import counts still count the archived
# calls as missing (notes/pgarchive.md)
"$B" --db "$PG" verify >"$T/verify.out" 2>&1
expect_eq "verify after the archive: no rollup difference" "$(grep -c 'rollup_' "$T/verify.out")" "0"
# a call of an archived month is refused, never stored again
out=$("$B" --db "$PG" import cdr "$T/m01.csv" --account acme 2>&1); st=$?
expect_eq "a re-import of an archived month: exit 1" "$st" "1"
expect_contains "a re-import of an archived month: says so" "$out" "the month is archived"
expect_eq "... the balance unchanged" "$("$B" --db "$PG" balance acme)" "$(cat "$T/bal")"
# the listings say so
out=$("$B" --db "$PG" cdrs acme --from 2024-01-01 --to 2024-02-01 2>&1)
expect_contains "cdrs of an archived month: says it is archived" "$out" "archived: 2024-01"
out=$("$B" --db "$PG" explain "$jan" 2>&1); st=$?
expect_eq "explain a call of an archived month: exit 1" "$st" "1"
expect_contains "explain a call of an archived month: says months are archived" "$out" "months archived (billtop archive): 2024-01, 2024-02"
# the audit shows it
expect_contains "audit: the archive" "$("$B" --db "$PG" audit 2>&1)" "2024-01: 84 calls detached as table cdr_2024_01"

# --drop
out=$("$B" --db "$PG" archive --before 2024-04 --drop 2>&1); st=$?
expect_eq "--drop: exit 0" "$st" "0"
expect_contains "--drop: says so" "$out" "2024-03: 85 calls, dropped"
expect_eq "--drop: the table is gone" "$(sql bt_arc -c "select to_regclass('cdr_2024_03') is null")" "t"
expect_eq "--drop: no month left in cdr" "$(parts)" ""
expect_eq "--drop: the balance unchanged" "$("$B" --db "$PG" balance acme)" "$(cat "$T/bal")"
out=$("$B" --db "$PG" import cdr "$T/m03.csv" --account acme 2>&1); st=$?
expect_eq "a re-import of a dropped month: exit 1" "$st" "1"
expect_contains "a re-import of a dropped month: says so" "$out" "a call of 2024-03: the month is archived"
expect_eq "... nothing stored again" "$(sql bt_arc -c "select count(*) from cdr")" "0"
expect_eq "... the balance unchanged" "$("$B" --db "$PG" balance acme)" "$(cat "$T/bal")"

dropdb bt_arc
echo "pg-archive: $PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
