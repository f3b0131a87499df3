#!/bin/sh
# test_crash.sh: SIGKILL at random moments on billtop's PostgreSQL store
# (issue 12: "SIGKILL during import, ingest from a table and ledger posts on
# PostgreSQL: every record once, verify clean"); modelled on
# tests/stress/crash_import.sh, kept short for make check.
#
#   import  `import cdr` of copies of a real Asterisk file into a fresh copy
#           of a prepared store (createdb -T), killed after a random sleep
#           between 0 and 1.1 x the uninterrupted import's time: right after
#           the kill the file is all in or all out and verify is clean; run
#           again to its end: every record once (count, distinct, digest of
#           the ids) and every balance and status as the uninterrupted run.
#   ingest  `ingest --from-db --follow` while a writer inserts rows into the
#           switch's table (Asterisk cdr_pgsql), killed and restarted at
#           random moments until the writer is done, then run to the end:
#           every record once, balances as `ingest --from-db` of the whole
#           table on SQLite, verify clean.
#   ledger  a loop of `ledger add --ref` (deposits and MRCs, some dated in
#           the past: the walk is rebuilt) killed at a random moment: every
#           ref before the one in flight once, none twice, verify clean;
#           the loop run again (the refs make it a retry): every ref once,
#           balances as the same loops uninterrupted on SQLite.
#
# Environment: CRASH_KILLS (kills per case, default 10), CRASH_SEED (default:
# the time; printed so a run can be repeated). Needs tests/pg/run.sh's cluster.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../cli/lib.sh"
. "$HERE/lib.sh"
T=$(mktemp -d "${TMPDIR:-/tmp}/billtop-pg-crash.XXXXXX")
chmod 755 "$T"
PIDS=
trap 'for p in $PIDS; do kill -9 "$p" 2>/dev/null; done; [ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT
KILLS=${CRASH_KILLS:-10}
SEED=${CRASH_SEED:-$(date +%s)}
echo "pg-crash: seed $SEED (CRASH_SEED=$SEED to repeat)"
CSV=$HERE/../realdata/asterisk-cdr_csv-21col-multileg.csv
export BILLTOP_NOW="2024-02-10 12:00:00"
COLS='accountcode, src, dst, dcontext, clid, channel, dstchannel, lastapp, lastdata, start, answer, "end", duration, billsec, disposition, amaflags, userfield, uniqueid, linkedid, peeraccount, sequence'
now_ms() { date +%s%3N; }
RSTREAM=0
rand() {  # rand N: N fractions in [0, 1) from the seed, a new stream each call
	RSTREAM=$((RSTREAM + 1))
	awk -v s="$SEED" -v k="$RSTREAM" -v n="$1" 'BEGIN { srand(s * 1000 + k); for (i = 0; i < n; i++) printf "%.6f\n", rand() }'
}
secs() { awk -v f="$1" -v d="$2" 'BEGIN { printf "%.3f", f * d / 1000 }'; }
# kill9 PID: SIGKILL a process and its children (by id), reaped
kill9() {
	kids=$(ps -o pid= --ppid "$1" 2>/dev/null)
	kill -9 "$1" $kids 2>/dev/null; wait "$1" 2>/dev/null
}
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
bals() { "$B" --db "$1" balance --format json; }
pgrecs() {  # pgrecs DB: count, distinct, digest of the record ids
	sql "$1" -c "select count(*) || ' ' || count(distinct record_id) from cdr"
	sql "$1" -c "select record_id from cdr order by record_id" | md5sum | cut -c1-32
}

# ---- import ---------------------------------------------------------------------
python3 - "$CSV" >"$T/imp.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline='', encoding='latin-1')))
w = csv.writer(sys.stdout, quoting=csv.QUOTE_ALL, lineterminator='\n')
for k in range(12):
    for r in rows:
        r = list(r); r[16] += 'k%d' % k; r[19] += 'k%d' % k
        w.writerow(r)
PY
N=$(wc -l <"$T/imp.csv")
newdb bt_crash_tpl
mk "$BILLTOP_PG_CONNINFO dbname=bt_crash_tpl"
newdb bt_crash_ref -T bt_crash_tpl
t0=$(now_ms)
"$B" --db "$BILLTOP_PG_CONNINFO dbname=bt_crash_ref" import cdr "$T/imp.csv" --account acme >/dev/null 2>&1
D=$(( $(now_ms) - t0 ))
ref_recs=$(pgrecs bt_crash_ref); ref_bals=$(bals "$BILLTOP_PG_CONNINFO dbname=bt_crash_ref")
allin=0; allout=0; bad=0
for f in $(rand "$KILLS"); do
	newdb bt_crash_i -T bt_crash_tpl
	PI="$BILLTOP_PG_CONNINFO dbname=bt_crash_i"
	"$B" --db "$PI" import cdr "$T/imp.csv" --account acme >/dev/null 2>&1 & p=$!
	PIDS=$p
	sleep "$(secs "$f" $((D * 11 / 10)))"
	kill9 $p; PIDS=
	n=$(sql bt_crash_i -c "select count(*) from cdr")
	case $n in 0) allout=$((allout + 1)) ;; "$N") allin=$((allin + 1)) ;; *) bad=$((bad + 1)); echo "FAIL: import killed: $n of $N rows" >&2 ;; esac
	"$B" --db "$PI" verify >"$T/v.out" 2>&1 || { bad=$((bad + 1)); echo "FAIL: import killed: verify" >&2; tail -3 "$T/v.out" >&2; }
	"$B" --db "$PI" import cdr "$T/imp.csv" --account acme >/dev/null 2>&1
	[ "$(pgrecs bt_crash_i)" = "$ref_recs" ] || { bad=$((bad + 1)); echo "FAIL: import run again: records differ" >&2; }
	[ "$(bals "$PI")" = "$ref_bals" ] || { bad=$((bad + 1)); echo "FAIL: import run again: balances differ" >&2; }
	"$B" --db "$PI" verify >/dev/null 2>&1 || { bad=$((bad + 1)); echo "FAIL: import run again: verify" >&2; }
	dropdb bt_crash_i
done
echo "pg-crash: import: $KILLS kills: $allin all in, $allout all out ($N rows, ${D} ms uninterrupted)"
expect_eq "import: $KILLS kills ($allin all in, $allout all out; ${D} ms uninterrupted), every record once, balances, verify" "$bad" "0"

# ---- ingest --from-db --follow ---------------------------------------------------
newdb bt_crash_sw -E SQL_ASCII -T template0
sql bt_crash_sw -f "$HERE/schema/asterisk-postgresql_cdr.sql" >/dev/null
sql bt_crash_sw -c "CREATE TABLE m(n serial, accountcode text, src text, dst text, dcontext text, clid text, channel text,
  dstchannel text, lastapp text, lastdata text, start timestamp, answer timestamp, \"end\" timestamp,
  duration int, billsec int, disposition text, amaflags text, uniqueid text, userfield text,
  peeraccount text, linkedid text, sequence int)" \
  -c "\\copy m(accountcode, src, dst, dcontext, clid, channel, dstchannel, lastapp, lastdata, start, answer, \"end\", duration, billsec, disposition, amaflags, uniqueid, userfield, peeraccount, linkedid, sequence) from '$CSV' csv"
SW="$BILLTOP_PG_CONNINFO dbname=bt_crash_sw"
# swput K: the switch writes copy K of the file, 21 rows a statement (call
# ids + sK, times + K x 40 days: a switch's rows come in time order)
swput() {
	for lo in 1 22 43 64; do
		sql bt_crash_sw -c "INSERT INTO cdr($COLS) SELECT 'beta', src, dst, dcontext, clid, channel, dstchannel,
		  lastapp, lastdata, start + interval '40 days' * $1, answer + interval '40 days' * $1,
		  \"end\" + interval '40 days' * $1, duration, billsec, disposition, amaflags, userfield,
		  uniqueid || 's$1', linkedid || 's$1', peeraccount, sequence FROM m WHERE n BETWEEN $lo AND $((lo + 20)) ORDER BY n"
	done
}
newdb bt_crash_g -T bt_crash_tpl
PG="$BILLTOP_PG_CONNINFO dbname=bt_crash_g"
( for k in $(seq 1 10); do swput $k; sleep 0.1; done ) & WR=$!
follow() { "$B" --db "$PG" ingest --from-db "$SW" --table cdr --account beta --follow --poll-ms 20 --batch-rows 25 \
	>/dev/null 2>>"$T/follow.err" & FP=$!; PIDS="$WR $FP"; }
follow
kills=0
for f in $(rand "$KILLS"); do
	sleep "$(secs "$f" 300)"
	kill9 $FP; kills=$((kills + 1))
	follow
done
wait $WR
kill9 $FP; PIDS=
"$B" --db "$PG" ingest --from-db "$SW" --table cdr --account beta >/dev/null 2>>"$T/follow.err"
ok "ingest: run to the end after $kills kills"
rm -f "$T/o.db"; mk "$T/o.db"
"$B" --db "$T/o.db" ingest --from-db "$SW" --table cdr --account beta >/dev/null 2>&1
want=$(sqlite3 "$T/o.db" "select count(*) || ' ' || count(distinct record_id) from cdr")
expect_eq "ingest: every record once ($want)" "$(sql bt_crash_g -c "select count(*) || ' ' || count(distinct record_id) from cdr")" "$want"
expect_eq "ingest: the same records as SQLite" "$(sql bt_crash_g -c "select record_id || ' ' || cost from cdr order by record_id" | md5sum)" \
	"$(sqlite3 "$T/o.db" "select record_id || ' ' || cost from cdr order by record_id" | md5sum)"
expect_eq "ingest: balances as SQLite" "$(bals "$PG")" "$(bals "$T/o.db")"
"$B" --db "$PG" verify >"$T/v.out" 2>&1; ok "ingest: verify clean"

# ---- ledger add --ref --------------------------------------------------------------
# posts STORE ROUND: 6 posts of round ROUND on both accounts
posts() {
	for i in $(seq 1 6); do
		a=acme; k=deposit; [ $((i % 2)) = 0 ] && a=beta; [ $((i % 3)) = 0 ] && k=mrc
		"$B" --db "$1" ledger add $a $k 1.25 --memo "r$2 p$i" --ref "r$2-$i" --at "2024-01-$(printf %02d $(((i * 7 + $2) % 28 + 1))) 08:00" >/dev/null 2>&1
	done
}
newdb bt_crash_l -T bt_crash_tpl
PL="$BILLTOP_PG_CONNINFO dbname=bt_crash_l"
rm -f "$T/ol.db"; mk "$T/ol.db"
t0=$(now_ms); posts "$T/ol.db" 0; DL=$(( $(now_ms) - t0 ))
bad=0; round=1
for f in $(rand "$KILLS"); do
	posts "$T/ol.db" $round
	posts "$PL" $round & p=$!; PIDS=$p
	sleep "$(secs "$f" "$DL")"
	kill9 $p; PIDS=
	twice=$(sql bt_crash_l -c "select count(*) from (select ref from ledger where ref like 'r$round-%' group by account_id, ref having count(*) > 1) x")
	got=$(sql bt_crash_l -c "select coalesce(string_agg(substr(ref, length('r$round-') + 1), ' ' order by id), '') from ledger where ref like 'r$round-%'")
	expect=$(seq 1 "$(echo "$got" | wc -w)" | tr '\n' ' ' | sed 's/ $//')
	[ "$twice" = 0 ] && [ "$got" = "$expect" ] || { bad=$((bad + 1)); echo "FAIL: ledger round $round: refs twice $twice, in order: $got" >&2; }
	"$B" --db "$PL" verify >"$T/v.out" 2>&1 || { bad=$((bad + 1)); echo "FAIL: ledger round $round: verify" >&2; tail -3 "$T/v.out" >&2; }
	posts "$PL" $round   # the retry: the refs make it post only what is missing
	round=$((round + 1))
done
posts "$PL" 0
expect_eq "ledger: $KILLS kills, the refs before the one in flight once, verify clean" "$bad" "0"
expect_eq "ledger: after the retries every ref once" \
	"$(sql bt_crash_l -c "select count(*) || ' ' || count(distinct ref) from ledger where ref is not null")" \
	"$(sqlite3 "$T/ol.db" "select count(*) || ' ' || count(distinct ref) from ledger where ref is not null")"
expect_eq "ledger: balances and statuses as the loops uninterrupted on SQLite" "$(bals "$PL")" "$(bals "$T/ol.db")"
expect_eq "ledger: suspension history as on SQLite" \
	"$(sql bt_crash_l -c "select account_id, at, event, balance from suspension order by account_id, at, id")" \
	"$(sqlite3 "$T/ol.db" "select account_id, at, event, balance from suspension order by account_id, at, id")"
"$B" --db "$PL" verify >/dev/null 2>&1; ok "ledger: verify clean"

[ -n "${KEEP:-}" ] || for d in bt_crash_tpl bt_crash_ref bt_crash_sw bt_crash_g bt_crash_l; do dropdb "$d"; done
echo "pg-crash: $PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
