#!/bin/sh
# test_concurrency.sh: writers at once on billtop's PostgreSQL store (issue
# 12: "two or more imports, ingest followers and ledger posts run at once on
# different accounts without waiting for each other, and on the same account
# without losing or doubling anything").
#
# At once on one PostgreSQL store: two `import cdr` on acme and one on beta
# (each its own copy of a real Asterisk file under other call ids), a loop of
# `ledger add --ref` on both accounts (some dated in the past: the walk is
# rebuilt), an `ingest --follow FILE` on acme whose file a writer appends to,
# and an `ingest --from-db --follow` on beta whose switch table a writer
# fills. The oracle is the same work one after the other on SQLite: every
# balance, status, suspension history, usage and record (id, state, cost)
# equal, verify clean. Then, without timing: an import on beta runs to its
# end while another session holds acme's lock (different accounts do not
# wait), and an import on acme waits for that lock (pg_locks) and goes on
# when it is released. Needs tests/pg/run.sh's cluster.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../cli/lib.sh"
. "$HERE/lib.sh"
T=$(mktemp -d "${TMPDIR:-/tmp}/billtop-pg-conc.XXXXXX")
chmod 755 "$T"
PIDS=; HOLD_PID=
trap 'for p in $PIDS; do kill -9 "$p" 2>/dev/null; done; [ -n "$HOLD_PID" ] && kill "$HOLD_PID" 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT
CSV=$HERE/../realdata/asterisk-cdr_csv-21col-multileg.csv
export BILLTOP_NOW="2024-02-10 12:00:00"
COLS='accountcode, src, dst, dcontext, clid, channel, dstchannel, lastapp, lastdata, start, answer, "end", duration, billsec, disposition, amaflags, userfield, uniqueid, linkedid, peeraccount, sequence'

# copy TAG N: N copies of the real file, call ids (uniqueid, linkedid) + TAG
copy() {
	python3 - "$CSV" "$1" "$2" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline='', encoding='latin-1')))
w = csv.writer(sys.stdout, quoting=csv.QUOTE_ALL, lineterminator='\n')
for k in range(int(sys.argv[3])):
    for r in rows:
        r = list(r); r[16] += '%s%d' % (sys.argv[2], k); r[19] += '%s%d' % (sys.argv[2], k)
        w.writerow(r)
PY
}
copy a 25 >"$T/a0.csv"; copy c 25 >"$T/a1.csv"; copy b 25 >"$T/b0.csv"; copy f 12 >"$T/f.csv"
mk() {  # mk TARGET: acme and beta on a deck that rates the file, 20 deposited, low balance 5
	"$B" --db "$1" init >/dev/null
	printf 'prefix,description,rate,first increment,increment\n8,RU,0.0200,60,60\n2,Z,0.01,1,1\n' >"$T/cdeck.csv"
	"$B" --db "$1" rates import "$T/cdeck.csv" --deck d >/dev/null
	for a in acme beta; do
		"$B" --db "$1" account add $a --low-balance 5 >/dev/null
		"$B" --db "$1" account set $a --deck d >/dev/null
		"$B" --db "$1" ledger add $a deposit 20 --memo x --at 2024-01-01 >/dev/null
	done
}
# the switch's table (Asterisk cdr_pgsql) and the real file staged in m
newdb bt_csw -E SQL_ASCII -T template0
sql bt_csw -f "$HERE/schema/asterisk-postgresql_cdr.sql" >/dev/null
sql bt_csw -c "CREATE TABLE m(n serial, accountcode text, src text, dst text, dcontext text, clid text, channel text,
  dstchannel text, lastapp text, lastdata text, start timestamp, answer timestamp, \"end\" timestamp,
  duration int, billsec int, disposition text, amaflags text, uniqueid text, userfield text,
  peeraccount text, linkedid text, sequence int)" \
  -c "\\copy m(accountcode, src, dst, dcontext, clid, channel, dstchannel, lastapp, lastdata, start, answer, \"end\", duration, billsec, disposition, amaflags, uniqueid, userfield, peeraccount, linkedid, sequence) from '$CSV' csv"
SW="$BILLTOP_PG_CONNINFO dbname=bt_csw"
# swput K: the switch writes copy K of the file (call ids + dK, times + K x
# 40 days: a switch's rows come in time order; the watermark is on start)
swput() {
	sql bt_csw -c "INSERT INTO cdr($COLS) SELECT 'beta', src, dst, dcontext, clid, channel, dstchannel, lastapp,
	  lastdata, start + interval '40 days' * $1, answer + interval '40 days' * $1, \"end\" + interval '40 days' * $1, duration, billsec, disposition, amaflags, userfield, uniqueid || 'd$1',
	  linkedid || 'd$1', peeraccount, sequence FROM m ORDER BY n"
}
posts() {  # posts STORE: 24 posts on both accounts, some dated back into the calls
	for i in $(seq 1 24); do
		a=acme; [ $((i % 2)) = 0 ] && a=beta
		"$B" --db "$1" ledger add $a deposit 0.5 --memo "p$i" --ref "r$i" --at "2024-01-$(printf %02d $((i % 28 + 1))) 08:00" \
			>/dev/null 2>>"$T/posts.err" || echo "post $i failed" >>"$T/posts.err"
	done
}
state() {  # state STORE: what must be equal
	"$B" --db "$1" balance --format json
	for a in acme beta; do
		"$B" --db "$1" usage $a --window month --by day
		"$B" --db "$1" ledger list $a --format csv | cut -d, -f2-
	done
}
recs() {  # recs STORE (sqlite file or PG database name)
	case $1 in *.db) sqlite3 "$1" "select record_id || ' ' || state || ' ' || cost from cdr order by record_id" ;;
	*) sql "$1" -c "select record_id || ' ' || state || ' ' || cost from cdr order by record_id" ;; esac
}

# ---- the oracle: one after the other on SQLite -------------------------------
for k in 1 2 3 4 5 6; do swput $k; done
O=$T/seq.db
mk "$O"
for f in a0 a1; do "$B" --db "$O" import cdr "$T/$f.csv" --account acme >/dev/null 2>&1; done
"$B" --db "$O" import cdr "$T/b0.csv" --account beta >/dev/null 2>&1
"$B" --db "$O" ingest "$T/f.csv" --account acme --quiet >/dev/null 2>&1
"$B" --db "$O" ingest --from-db "$SW" --table cdr --account beta >/dev/null 2>&1
posts "$O"
want=$(sqlite3 "$O" "select count(*) from cdr")
sql bt_csw -c "TRUNCATE cdr" >/dev/null

# ---- all at once on PostgreSQL -----------------------------------------------
newdb bt_conc2
P="$BILLTOP_PG_CONNINFO dbname=bt_conc2"
mk "$P"
: >"$T/posts.err"
# the followers start first and keep their accounts across batches
head -n 84 "$T/f.csv" >"$T/live.csv"
"$B" --db "$P" ingest --follow "$T/live.csv" --account acme --batch-ms 50 --poll-ms 20 --quiet >"$T/ff.out" 2>"$T/ff.err" & FF=$!
swput 1
"$B" --db "$P" ingest --from-db "$SW" --table cdr --account beta --follow --poll-ms 20 --batch-rows 40 >"$T/fd.out" 2>"$T/fd.err" & FD=$!
PIDS="$FF $FD"
i=0; while [ "$(sql bt_conc2 -c 'select count(*) from cdr')" -lt 168 ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
# the writers: the switch table (beta) and the file (acme), in small steps
( for k in 2 3 4 5 6; do swput $k; sleep 0.2; done ) & W1=$!
( n=85; total=$(wc -l <"$T/f.csv"); while [ $n -le "$total" ]; do
	sed -n "${n},$((n + 59))p" "$T/f.csv" >>"$T/live.csv"; n=$((n + 60)); sleep 0.05; done ) & W2=$!
"$B" --db "$P" import cdr "$T/a0.csv" --account acme >"$T/i1.out" 2>&1 & I1=$!
"$B" --db "$P" import cdr "$T/a1.csv" --account acme >"$T/i2.out" 2>&1 & I2=$!
"$B" --db "$P" import cdr "$T/b0.csv" --account beta >"$T/i3.out" 2>&1 & I3=$!
posts "$P" & PP=$!
PIDS="$FF $FD $W1 $W2 $I1 $I2 $I3 $PP"
wait $I1; s1=$?; wait $I2; s2=$?; wait $I3; s3=$?; wait $PP; wait $W1; wait $W2
expect_eq "three imports at once (two on acme, one on beta): all succeed" "$s1 $s2 $s3" "0 0 0"
expect_eq "posts alongside: none failed" "$(cat "$T/posts.err")" ""
i=0; while [ "$(sql bt_conc2 -c 'select count(*) from cdr')" -lt "$want" ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i + 1)); done
kill -TERM $FF $FD; wait $FF; sf=$?; wait $FD; sd=$?; PIDS=
expect_eq "the followers stop on SIGTERM" "$sf $sd" "0 0"
expect_eq "every record once (count)" "$(sql bt_conc2 -c 'select count(*), count(distinct record_id) from cdr')" "$want|$want"
recs "$O" >"$T/o.recs"; recs bt_conc2 >"$T/p.recs"
cmp -s "$T/o.recs" "$T/p.recs"; ok "every record, state and cost as one after the other on SQLite"
state "$O" >"$T/o.state"; state "$P" >"$T/p.state"
cmp -s "$T/o.state" "$T/p.state"; ok "balances, statuses, usage and ledgers as one after the other on SQLite"
diff "$T/o.state" "$T/p.state" | head -10 >&2
expect_eq "suspension history as on SQLite" \
	"$(sql bt_conc2 -c "select a.name, s.at, s.event, s.balance from suspension s join account a on a.id = s.account_id order by 1, 2, s.id")" \
	"$(sqlite3 "$O" "select a.name, s.at, s.event, s.balance from suspension s join account a on a.id = s.account_id order by 1, 2, s.id")"
out=$("$B" --db "$P" verify 2>&1); ok "verify clean: $(echo "$out" | tail -1)"

# ---- different accounts do not wait; the same account does (no timing) ------
newdb bt_conc3
P3="$BILLTOP_PG_CONNINFO dbname=bt_conc3"
mk "$P3"
acme=$(sql bt_conc3 -c "select id from account where name = 'acme'")
hold bt_conc3 "$T/fifo"
echo "BEGIN; SELECT pg_advisory_xact_lock($acme);" >&3
i=0; while [ "$(sql bt_conc3 -c "select count(*) from pg_locks where locktype = 'advisory' and granted and objid = $acme")" = 0 ] \
	&& [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
"$B" --db "$P3" import cdr "$T/a0.csv" --account acme >"$T/w.out" 2>&1 & WA=$!
PIDS=$WA
timeout 60 "$B" --db "$P3" import cdr "$T/b0.csv" --account beta >/dev/null 2>&1
ok "an import on beta runs to its end while acme's lock is held"
i=0; while [ "$(sql bt_conc3 -c "select count(*) from pg_locks where locktype = 'advisory' and not granted and objid = $acme")" = 0 ] \
	&& [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
expect_eq "the import on acme waits for acme's lock (pg_locks)" \
	"$(sql bt_conc3 -c "select count(*) from pg_locks where locktype = 'advisory' and not granted and objid = $acme")" "1"
kill -0 $WA 2>/dev/null; ok "... and is still running"
echo "COMMIT;" >&3; exec 3>&-; wait "$HOLD_PID"; HOLD_PID=
wait $WA; expect_eq "... then finishes when the lock is released" "$?" "0"; PIDS=
"$B" --db "$P3" verify >/dev/null 2>&1; ok "verify clean"

# a follower takes its account's lock again in every batch: with acme
# locked by another session, the file follower's next batch waits (pg_locks)
# and stores nothing until the lock is released (it keeps acme from its
# first batch; taking the lock only at the first touch let it write beside
# an import holding acme)
n0=$(sql bt_conc3 -c "select count(*) from cdr")
head -n 84 "$T/f.csv" >"$T/live3.csv"
"$B" --db "$P3" ingest --follow "$T/live3.csv" --account acme --batch-ms 20 --poll-ms 20 --quiet >/dev/null 2>"$T/f3.err" & FF=$!
PIDS=$FF
i=0; while [ "$(sql bt_conc3 -c 'select count(*) from cdr')" -lt $((n0 + 84)) ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
hold bt_conc3 "$T/fifo2"
echo "BEGIN; SELECT pg_advisory_xact_lock($acme);" >&3
i=0; while [ "$(sql bt_conc3 -c "select count(*) from pg_locks where locktype = 'advisory' and granted and objid = $acme")" = 0 ] \
	&& [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
sed -n 85,168p "$T/f.csv" >>"$T/live3.csv"
i=0; while [ "$(sql bt_conc3 -c "select count(*) from pg_locks where locktype = 'advisory' and not granted and objid = $acme")" = 0 ] \
	&& [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
expect_eq "a file follower's next batch waits for acme's lock (pg_locks)" \
	"$(sql bt_conc3 -c "select count(*) from pg_locks where locktype = 'advisory' and not granted and objid = $acme")" "1"
expect_eq "... and stores nothing meanwhile" "$(sql bt_conc3 -c 'select count(*) from cdr')" "$((n0 + 84))"
echo "COMMIT;" >&3; exec 3>&-; wait "$HOLD_PID"; HOLD_PID=
i=0; while [ "$(sql bt_conc3 -c 'select count(*) from cdr')" -lt $((n0 + 168)) ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
expect_eq "... then stores the new rows" "$(sql bt_conc3 -c 'select count(*) from cdr')" "$((n0 + 168))"
kill -TERM $FF; wait $FF; PIDS=
"$B" --db "$P3" verify >/dev/null 2>&1; ok "verify clean"

# the same for a follower of the switch's table, on beta
beta=$(sql bt_conc3 -c "select id from account where name = 'beta'")
n0=$(sql bt_conc3 -c "select count(*) from cdr")
"$B" --db "$P3" ingest --from-db "$SW" --table cdr --account beta --follow --poll-ms 20 --batch-rows 40 >/dev/null 2>"$T/fd3.err" & FD=$!
PIDS=$FD
i=0; while [ "$(sql bt_conc3 -c 'select count(*) from cdr')" -lt $((n0 + 504)) ] && [ $i -lt 400 ]; do sleep 0.05; i=$((i + 1)); done
hold bt_conc3 "$T/fifo3"
echo "BEGIN; SELECT pg_advisory_xact_lock($beta);" >&3
i=0; while [ "$(sql bt_conc3 -c "select count(*) from pg_locks where locktype = 'advisory' and granted and objid = $beta")" = 0 ] \
	&& [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
swput 7
i=0; while [ "$(sql bt_conc3 -c "select count(*) from pg_locks where locktype = 'advisory' and not granted and objid = $beta")" = 0 ] \
	&& [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
expect_eq "a table follower's next batch waits for beta's lock (pg_locks)" \
	"$(sql bt_conc3 -c "select count(*) from pg_locks where locktype = 'advisory' and not granted and objid = $beta")" "1"
expect_eq "... and stores nothing meanwhile" "$(sql bt_conc3 -c 'select count(*) from cdr')" "$((n0 + 504))"
echo "COMMIT;" >&3; exec 3>&-; wait "$HOLD_PID"; HOLD_PID=
i=0; while [ "$(sql bt_conc3 -c 'select count(*) from cdr')" -lt $((n0 + 588)) ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
expect_eq "... then stores the new rows" "$(sql bt_conc3 -c 'select count(*) from cdr')" "$((n0 + 588))"
kill -TERM $FD; wait $FD; PIDS=
"$B" --db "$P3" verify >/dev/null 2>&1; ok "verify clean"

[ -n "${KEEP:-}" ] || { dropdb bt_csw; dropdb bt_conc2; dropdb bt_conc3; }
echo "pg-concurrency: $PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
