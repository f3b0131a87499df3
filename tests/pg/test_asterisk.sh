#!/bin/sh
# test_asterisk.sh: `billtop ingest --from-db` on Asterisk's own cdr table
# (tests/pg/schema/asterisk-postgresql_cdr.sql, cdr_pgsql's layout), filled
# with a real Asterisk CDR file (tests/realdata/asterisk-cdr_csv-21col-multileg.csv).
# The oracle is `billtop import cdr` of the same rows dumped by psql as CSV.
# Checks: same records and balance as the oracle; a second run reads only the
# new rows; rows committed out of order are found (and are missed with
# --lookback 0: the window is what finds them); a follower killed with
# SIGKILL and restarted stores every record once; SIGTERM commits and exits
# 0; a table of neither layout, a missing table and a bad connection string
# give clear errors (never the password). Needs tests/pg/run.sh's cluster.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../cli/lib.sh"
. "$HERE/lib.sh"
T=$(mktemp -d "${TMPDIR:-/tmp}/billtop-pg-ast.XXXXXX")
chmod 755 "$T"
HOLD_PID=; FPID=
trap '[ -n "$FPID" ] && kill -9 "$FPID" 2>/dev/null; [ -n "$HOLD_PID" ] && kill "$HOLD_PID" 2>/dev/null; rm -rf "$T"' EXIT
KEEP_ERR=${KEEP_ERR:-}
CSV=$HERE/../realdata/asterisk-cdr_csv-21col-multileg.csv
COLS='accountcode, src, dst, dcontext, clid, channel, dstchannel, lastapp, lastdata, start, answer, "end", duration, billsec, disposition, amaflags, userfield, uniqueid, linkedid, peeraccount, sequence'

# an Asterisk database: the real schema, and the real file in a staging
# table `m` (cdr_csv's column order, n = its line); the file has non-UTF-8
# bytes in a caller name, as many Asterisk databases do (SQL_ASCII)
astdb() {
	newdb "$1" -E SQL_ASCII -T template0
	sql "$1" -f "$HERE/schema/asterisk-postgresql_cdr.sql" >/dev/null
	sql "$1" -c "CREATE TABLE m(n serial, accountcode text, src text, dst text, dcontext text, clid text, channel text,
	  dstchannel text, lastapp text, lastdata text, start timestamp, answer timestamp, \"end\" timestamp,
	  duration int, billsec int, disposition text, amaflags text, uniqueid text, userfield text,
	  peeraccount text, linkedid text, sequence int)" \
	  -c "\\copy m(accountcode, src, dst, dcontext, clid, channel, dstchannel, lastapp, lastdata, start, answer, \"end\", duration, billsec, disposition, amaflags, uniqueid, userfield, peeraccount, linkedid, sequence) from '$CSV' csv"
}
# put DB FROM TO: the switch writes lines FROM..TO of the file (account acme)
put() {
	sql "$1" -c "INSERT INTO cdr($COLS) SELECT 'acme', src, dst, dcontext, clid, channel, dstchannel, lastapp,
	  lastdata, start, answer, \"end\", duration, billsec, disposition, amaflags, userfield, uniqueid, linkedid,
	  peeraccount, sequence FROM m WHERE n BETWEEN $2 AND $3 ORDER BY n"
}
# oracle DB STORE: `import cdr` of the table as psql dumps it
oracle() {
	rm -f "$2"; store "$2"
	sql "$1" -c "\\copy (SELECT * FROM cdr) TO '$T/dump.csv' CSV HEADER"
	"$B" --db "$2" import cdr "$T/dump.csv" >/dev/null 2>&1
}
CI="$BILLTOP_PG_CONNINFO dbname=ast"

# ---- the table read like the CSV dump; a second run reads only new rows ----
astdb ast
expect_eq "the real file is staged" "$(sql ast -c 'select count(*) from m')" "84"
put ast 1 50
store "$T/s.db"
out=$("$B" --db "$T/s.db" ingest --from-db "$CI" --table cdr 2>"$T/err"); ok "ingest the first 50 rows"
expect_contains "layout recognised, 50 stored" "$out" "(asterisk): 50 rows in 1 batches: 50 stored"
oracle ast "$T/o.db"
expect_eq "records and costs = import cdr of the dump" "$(ids "$T/s.db")" "$(ids "$T/o.db")"
expect_eq "balance = import cdr of the dump" "$(balance "$T/s.db")" "$(balance "$T/o.db")"
expect_eq "the position is saved with the records" \
	"$(sqlite3 "$T/s.db" "select format, line from ingest where path like 'pg:%/ast/public.cdr'")" "asterisk-db|50"
put ast 51 84
out=$("$B" --db "$T/s.db" ingest --from-db "$CI" --table cdr 2>"$T/err")
expect_contains "the second run: the 34 new rows only" "$out" "34 rows in 1 batches: 34 stored"
expect_contains "the second run: nothing stored twice" "$out" "0 duplicates, 0 rejected"
expect_contains "it said where it resumed" "$(cat "$T/err")" "resuming at time"
oracle ast "$T/o.db"
expect_eq "all 84: records = import cdr" "$(ids "$T/s.db")" "$(ids "$T/o.db")"
expect_eq "all 84: balance = import cdr" "$(balance "$T/s.db")" "$(balance "$T/o.db")"
out=$("$B" --db "$T/s.db" ingest --from-db "$CI" --table cdr 2>/dev/null)
expect_contains "nothing new: nothing stored, no batch" "$out" "0 rows in 0 batches: 0 stored"
"$B" --db "$T/s.db" verify >/dev/null 2>&1; ok "verify is clean after ingest"

# ---- rows committed out of order ----------------------------------------
# two new calls the next day (the file's last call again, new uniqueids):
# A ends before B, but A's transaction commits after B's
newcall() {   # newcall DB TAG LINE SHIFT: line LINE of the file moved by SHIFT
	echo "INSERT INTO cdr($COLS) SELECT 'acme', src, dst, dcontext, clid, channel, dstchannel, lastapp, lastdata,
	  start + interval '$4', answer + interval '$4', \"end\" + interval '$4', duration, billsec, disposition,
	  amaflags, userfield, uniqueid || '$2', linkedid || '$2', peeraccount, sequence FROM m WHERE n = $3;"
}
ooo() {   # ooo STORE [options]: the out-of-order case; prints how many of A and B were stored
	sql ast -c "DELETE FROM cdr WHERE uniqueid LIKE '%A' OR uniqueid LIKE '%B'"
	rm -f "$T/hold"
	hold ast "$T/hold"
	echo "BEGIN;" >&3
	newcall ast A 84 '1 day' >&3
	until_idle_tx ast
	sql ast -c "$(newcall ast B 84 '1 day 1 minute')"
	shift
	"$B" --db "$STORE" ingest --from-db "$CI" --table cdr "$@" >/dev/null 2>&1
	echo "COMMIT;" >&3
	exec 3>&-
	wait "$HOLD_PID"; HOLD_PID=
	"$B" --db "$STORE" ingest --from-db "$CI" --table cdr "$@" >/dev/null 2>&1
}
cp "$T/s.db" "$T/ooo.db"; cp "$T/s.db" "$T/ooo0.db"
STORE=$T/ooo.db; ooo "$T/ooo.db"
expect_eq "out of order: the later call B is stored" "$(sqlite3 "$T/ooo.db" "select count(*) from cdr where record_id like '%B/%'")" "1"
expect_eq "out of order: the call committed late (A) is stored too" \
	"$(sqlite3 "$T/ooo.db" "select count(*) from cdr where record_id like '%A/%'")" "1"
STORE=$T/ooo0.db; ooo "$T/ooo0.db" --lookback 0
expect_eq "without the window (--lookback 0) A is missed: the window finds it" \
	"$(sqlite3 "$T/ooo0.db" "select count(*) from cdr where record_id like '%A/%'")" "0"
oracle ast "$T/o.db"
expect_eq "out of order: records = import cdr of the table" "$(ids "$T/ooo.db")" "$(ids "$T/o.db")"

# ---- a bad row is kept once, though the window reads it on every run -------
sql ast -c "INSERT INTO cdr($COLS) SELECT 'acme', src, convert_from(E'\\\\xa5'::bytea, 'SQL_ASCII') || dst, dcontext, clid,
  channel, dstchannel, lastapp, lastdata, start + interval '2 days', answer + interval '2 days',
  \"end\" + interval '2 days', duration, billsec, disposition, amaflags, userfield, uniqueid || 'C', linkedid || 'C',
  peeraccount, sequence FROM m WHERE n = 84"
out=$("$B" --db "$T/ooo.db" ingest --from-db "$CI" --table cdr 2>"$T/err")
expect_contains "a destination that is not UTF-8: rejected" "$out" "1 rows in 1 batches: 0 stored"
expect_contains "the reject names the source and the row (rows read so far + 1: no id column)" "$(cat "$T/err")" "/ast/public.cdr:87: field 3 (dst): not UTF-8"
"$B" --db "$T/ooo.db" ingest --from-db "$CI" --table cdr >/dev/null 2>&1
"$B" --db "$T/ooo.db" ingest --from-db "$CI" --table cdr >/dev/null 2>&1
expect_eq "read again by the window, kept once" "$(sqlite3 "$T/ooo.db" "select count(*) from reject where path like 'pg:%'")" "1"

# ---- SIGKILL while following, then resume: every record once --------------
astdb astk
rm -f "$T/k.db"; store "$T/k.db"
CK="$BILLTOP_PG_CONNINFO dbname=astk"
follow() { "$B" --db "$T/k.db" ingest --from-db "$CK" --table cdr --follow --poll-ms 20 --batch-rows 3 >>"$T/follow.out" 2>>"$T/follow.err" & FPID=$!; }
follow
i=1; kills=0
while [ $i -le 77 ]; do
	j=$((i + 6)); [ $j -gt 77 ] && j=77
	put astk $i $j
	sleep 0.1
	if [ $(( (i / 7) % 3 )) -eq 1 ]; then
		kill -9 "$FPID" 2>/dev/null; wait "$FPID" 2>/dev/null; kills=$((kills + 1)); follow
	fi
	i=$((j + 1))
done
# the server restarts under the follower: it waits, reconnects, goes on
# (first the follower started last is connected and has caught up)
i=0
while { [ "$(grep -c 'resuming at\|reading from its first row' "$T/follow.err")" -le $kills ] \
	|| [ "$(sqlite3 "$T/k.db" 'select count(*) from cdr' 2>/dev/null)" != 77 ]; } && [ $i -lt 400 ]; do
	sleep 0.05; i=$((i + 1))
done
sh "$BILLTOP_PG_CLUSTER" stop "$BILLTOP_PG_DIR"
sleep 0.2
sh "$BILLTOP_PG_CLUSTER" start "$BILLTOP_PG_DIR" >/dev/null
put astk 78 84
i=0
while [ "$(sqlite3 "$T/k.db" 'select count(*) from cdr' 2>/dev/null)" != 84 ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
expect_eq "the follower came back after the server's restart" "$(sqlite3 "$T/k.db" 'select count(*) from cdr')" "84"
expect_contains "it said so" "$(cat "$T/follow.err")" "connected again"
kill -TERM "$FPID"; wait "$FPID"; st=$?; FPID=
expect_eq "SIGTERM: the follower commits and exits 0" "$st" "0"
expect_eq "killed with SIGKILL several times" "$([ $kills -ge 3 ] && echo yes)" "yes"
"$B" --db "$T/k.db" ingest --from-db "$CK" --table cdr >/dev/null 2>&1; ok "catch up after the kills"
oracle astk "$T/ko.db"
expect_eq "after the kills: every record once (= import cdr)" "$(ids "$T/k.db")" "$(ids "$T/ko.db")"
expect_eq "after the kills: 84 records" "$(sqlite3 "$T/k.db" 'select count(*) from cdr')" "84"
expect_eq "after the kills: balance = import cdr" "$(balance "$T/k.db")" "$(balance "$T/ko.db")"
"$B" --db "$T/k.db" verify >"$T/verify.out" 2>&1 || { cat "$T/verify.out" >&2; false; }; ok "verify is clean after the kills"

# ---- errors ---------------------------------------------------------------
sql ast -c "CREATE TABLE calls(id serial, caller text, callee text, seconds int)"
err=$("$B" --db "$T/s.db" ingest --from-db "$CI" --table calls 2>&1 >/dev/null); st=$?
expect_eq "a table of neither layout: exit 1" "$st" "1"
expect_contains "it names the table" "$err" "/ast/public.calls: neither an Asterisk cdr_pgsql table"
expect_contains "it names the missing columns" "$err" "(no column start (or calldate), dst, duration, billsec, disposition, uniqueid)"
err=$("$B" --db "$T/s.db" ingest --from-db "$CI" --table cdr --layout freeswitch 2>&1 >/dev/null)
expect_contains "--layout freeswitch on an Asterisk table" "$err" "not a FreeSWITCH mod_cdr_pg_csv table: no column caller_id_name"
err=$("$B" --db "$T/s.db" ingest --from-db "$CI" --table nosuch 2>&1 >/dev/null)
expect_contains "a missing table" "$err" "no table \"nosuch\" in this database"
err=$("$B" --db "$T/s.db" ingest --from-db "$BILLTOP_PG_CONNINFO dbname=ast user=nobody_here password=Sekr1tPw" --table cdr 2>&1 >/dev/null); st=$?
expect_eq "a bad login: exit 1" "$st" "1"
expect_contains "a bad login: libpq's reason" "$err" "cannot connect"
expect_contains "a bad login: which role" "$err" "nobody_here"
case $err in *Sekr1tPw*) false ;; *) true ;; esac; ok "a bad login: the password is not shown"
err=$("$B" --db "$T/s.db" ingest --from-db "postgresql://acme:Sekr%ZZ1tPw@localhost/ast" --table cdr 2>&1 >/dev/null)
expect_contains "a malformed URI" "$err" "not a libpq connection string or URI"
case $err in *Sekr*) false ;; *) true ;; esac; ok "a malformed URI: the password is not shown"
[ -n "$KEEP_ERR" ] && cp "$T/follow.err" "$KEEP_ERR"
echo "pg-asterisk: $PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
