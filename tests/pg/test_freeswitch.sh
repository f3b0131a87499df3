#!/bin/sh
# test_freeswitch.sh: `billtop ingest --from-db` on FreeSWITCH
# mod_cdr_pg_csv's table (tests/pg/schema/freeswitch-mod_cdr_pg_csv-create.sql:
# id serial, the order key) filled with real mod_cdr_csv files
# (tests/corpus/cdr/freeswitch-cdr_csv-example-*.csv), --account given. The
# oracle is `billtop import cdr --format freeswitch` of mod_cdr_csv's 15
# columns dumped by psql. Checks: same records and balance; a second run
# reads only the new rows; ids committed out of order (a transaction holding
# a lower id commits after a higher one) are found, and missed with
# --lookback 0; --layout asterisk on this table is refused by name.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../cli/lib.sh"
. "$HERE/lib.sh"
T=$(mktemp -d "${TMPDIR:-/tmp}/billtop-pg-fs.XXXXXX")
chmod 755 "$T"
HOLD_PID=
trap '[ -n "$HOLD_PID" ] && kill "$HOLD_PID" 2>/dev/null; rm -rf "$T"' EXIT
FS15='caller_id_name, caller_id_number, destination_number, context, start_stamp, answer_stamp, end_stamp, duration, billsec, hangup_cause, uuid, bleg_uuid, accountcode, read_codec, write_codec'

newdb fs
sql fs -f "$HERE/schema/freeswitch-mod_cdr_pg_csv-create.sql" >/dev/null
# staging: mod_cdr_csv's 15 text columns and the file's line (f, n)
sql fs -c "CREATE TABLE m(f int, n serial, caller_id_name text, caller_id_number text, destination_number text,
  context text, start_stamp text, answer_stamp text, end_stamp text, duration text, billsec text,
  hangup_cause text, uuid text, bleg_uuid text, accountcode text, read_codec text, write_codec text)"
for f in 1 2; do
	[ $f = 1 ] && file=freeswitch-cdr_csv-example-2016.csv || file=freeswitch-cdr_csv-example-bleg.csv
	sql fs -c "CREATE TEMP TABLE s(LIKE m)" -c "ALTER TABLE s DROP COLUMN f, DROP COLUMN n" \
	  -c "\\copy s from '$HERE/../corpus/cdr/$file' csv" \
	  -c "INSERT INTO m($FS15, f) SELECT *, $f FROM s"
done
expect_eq "the real files are staged" "$(sql fs -c 'select count(*) from m')" "136"
# put F: the switch writes file F's rows (as mod_cdr_pg_csv does: local_ip_v4 set, empty times NULL)
ins() {
	echo "INSERT INTO cdr(local_ip_v4, $FS15) SELECT '192.0.2.10', caller_id_name, caller_id_number,
	  destination_number, context, start_stamp::timestamptz, nullif(answer_stamp, '')::timestamptz,
	  end_stamp::timestamptz, duration::int, billsec::int, hangup_cause, uuid::uuid $1, nullif(bleg_uuid, '')::uuid,
	  accountcode, read_codec, write_codec FROM m WHERE $2 ORDER BY n;"
}
put() { sql fs -c "$(ins '' "f = $1")"; }
oracle() {
	rm -f "$1"; store "$1"
	sql fs -c "\\copy (SELECT $FS15 FROM cdr ORDER BY id) TO '$T/dump.csv' CSV"
	"$B" --db "$1" import cdr --format freeswitch --account acme "$T/dump.csv" >/dev/null 2>&1
}
CI="$BILLTOP_PG_CONNINFO dbname=fs"

put 1
store "$T/s.db"
out=$("$B" --db "$T/s.db" ingest --from-db "$CI" --table cdr --account acme 2>"$T/err"); ok "ingest the first file's rows"
expect_contains "layout recognised, 82 stored" "$out" "(freeswitch): 82 rows in 1 batches: 82 stored"
expect_contains "the position is the id" "$out" "at id 82"
oracle "$T/o.db"
expect_eq "records and costs = import cdr of the dump" "$(ids "$T/s.db")" "$(ids "$T/o.db")"
expect_eq "balance = import cdr of the dump" "$(balance "$T/s.db")" "$(balance "$T/o.db")"
put 2
out=$("$B" --db "$T/s.db" ingest --from-db "$CI" --table cdr --account acme --batch-rows 20 2>"$T/err")
expect_contains "the second run: the 54 new rows only" "$out" "54 rows in 3 batches: 54 stored"
expect_contains "the second run: the window re-checked, nothing twice" "$out" "0 duplicates, 0 rejected, 82 re-checked; at id 136"
oracle "$T/o.db"
expect_eq "all 136: records = import cdr" "$(ids "$T/s.db")" "$(ids "$T/o.db")"
expect_eq "all 136: balance = import cdr" "$(balance "$T/s.db")" "$(balance "$T/o.db")"

# ---- ids committed out of order -------------------------------------------
# A takes id 137 in a transaction left open; B takes 138 and commits first
ooo() {   # ooo STORE [options]
	STORE=$1; shift
	sql fs -c "DELETE FROM cdr WHERE id > 136"
	rm -f "$T/hold"
	hold fs "$T/hold"
	echo "BEGIN;" >&3
	ins "|| ''" "f = 1 AND n = 1" | sed "s/uuid::uuid || ''/'00000000-0000-4000-8000-00000000000a'::uuid/" >&3
	until_idle_tx fs
	sql fs -c "$(ins '' "f = 1 AND n = 2" | sed "s/uuid::uuid /'00000000-0000-4000-8000-00000000000b'::uuid/")"
	"$B" --db "$STORE" ingest --from-db "$CI" --table cdr --account acme "$@" >/dev/null 2>&1
	echo "COMMIT;" >&3
	exec 3>&-
	wait "$HOLD_PID"; HOLD_PID=
	"$B" --db "$STORE" ingest --from-db "$CI" --table cdr --account acme "$@" >/dev/null 2>&1
}
expect_eq "A and B are ids 137 and 138 (A committed last)" "$(cp "$T/s.db" "$T/ooo.db"; cp "$T/s.db" "$T/ooo0.db"; ooo "$T/ooo.db"; sql fs -c "select string_agg(id || ':' || right(uuid::text, 1), ' ' order by id) from cdr where id > 136")" "137:a 138:b"
expect_eq "out of order: both stored" \
	"$(sqlite3 "$T/ooo.db" "select count(*) from cdr where record_id like 'freeswitch:00000000-0000-4000-8000-00000000000%'")" "2"
ooo "$T/ooo0.db" --lookback 0
expect_eq "without the window (--lookback 0) A is missed: the window finds it" \
	"$(sqlite3 "$T/ooo0.db" "select count(*) from cdr where record_id like 'freeswitch:00000000-0000-4000-8000-00000000000a%'")" "0"
oracle "$T/o.db"
expect_eq "out of order: records = import cdr of the table" "$(ids "$T/ooo.db")" "$(ids "$T/o.db")"

err=$("$B" --db "$T/s.db" ingest --from-db "$CI" --table cdr --layout asterisk 2>&1 >/dev/null); st=$?
expect_eq "--layout asterisk on a FreeSWITCH table: exit 1" "$st" "1"
expect_contains "--layout asterisk: the missing columns" "$err" "/fs/public.cdr: not an Asterisk cdr_pgsql table: no column start (or calldate), dst, disposition, uniqueid"
echo "pg-freeswitch: $PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
