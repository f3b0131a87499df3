#!/bin/sh
# test_import_bulk.sh: the batched import writes its billed legs' cdr_call
# rows itself, in bulk with the batch's ids (data/store_batch.c), and its
# COPY skips cdr's per-row trigger (billtop.cdr_call = 'client' for its
# transaction; pg/schema.sql.h). Checked here:
#   - after `import cdr` every billed leg has its cdr_call row and no other
#     row is there (calls of two legs, some across a batch boundary);
#   - the row writer (`ingest FILE`) in another transaction still goes
#     through the trigger: its new calls get their cdr_call row, and another
#     billed leg of a call the batch stored is kept as an extra leg, as
#     SQLite's writer does (records, states and costs equal);
#   - a call another session bills while the import runs (its cdr_call row
#     committed between the import's look-up and its write) fails the import
#     whole, "nothing lost silently": before, the trigger skipped that row
#     while the summary counted it stored;
#   - a new month's partition is committed apart: another import into the
#     same new month does not wait for the first import's or ingest's
#     (the row writer's) commit.
# Needs tests/pg/run.sh's cluster.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../cli/lib.sh"
. "$HERE/lib.sh"
T=$(mktemp -d "${TMPDIR:-/tmp}/billtop-pg-bulk.XXXXXX")
chmod 755 "$T"
HOLD_PID=
trap '[ -n "$HOLD_PID" ] && kill $HOLD_PID 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT
export BILLTOP_NOW="2024-03-01 12:00:00"

python3 - "$T" <<'PY'
import sys, time
t = sys.argv[1]
def q(s): return '"' + s.replace('"', '""') + '"'
def ts(x): return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(x))
def row(i, call, prefix="", acct="acme"):
    s = 1704067200 + 60 * i
    return ",".join([q(acct), q("1001"), q("15551234567"), q("ctx"), q(""), q("SIP/a-%d" % i), q(""), q("Dial"), q(""),
                     q(ts(s)), q(ts(s)), q(ts(s + 65)), "65", "60", q("ANSWERED"), q("DOCUMENTATION"),
                     q("%s%d.%d" % (prefix, 1706000000 + i, i)), q(""), q(""), q("call-%d" % call), "0"])
# 6,000 rows, two legs a call: rows 2k-1 and 2k are call k (rows 4095 and
# 4096 across the first batch boundary of 4,096 rows)
open(t + "/a.csv", "w").write("\n".join(row(i, (i + 1) // 2) for i in range(6000)) + "\n")
# for the row writer: a third leg of 50 stored calls, and 50 new calls
open(t + "/b.csv", "w").write("\n".join([row(7000 + i, i * 20, "b") for i in range(50)]
                                        + [row(8000 + i, 9000 + i, "n") for i in range(50)]) + "\n")
# for the race: 3,000 new calls, the 2,000th of them billed by another session
open(t + "/c.csv", "w").write("\n".join(row(10000 + i, 20000 + i, "c") for i in range(3000)) + "\n")
PY
printf 'prefix,description,rate,first increment,increment\n1,US,0.0060,6,6\n' >"$T/deck.csv"
mk() {
	"$B" --db "$1" init >/dev/null
	"$B" --db "$1" account add acme >/dev/null
	"$B" --db "$1" rates import "$T/deck.csv" --deck std >/dev/null
	"$B" --db "$1" account set acme --deck std >/dev/null
}
recs() {
	case $1 in *.db) sqlite3 "$1" "select record_id || ' ' || state || ' ' || billed_leg || ' ' || cost from cdr order by record_id" ;;
	*) sql "$1" -c "select record_id || ' ' || state || ' ' || billed_leg || ' ' || cost from cdr order by record_id" ;; esac
}
newdb bt_bulk
P="$BILLTOP_PG_CONNINFO dbname=bt_bulk"
L=$T/oracle.db
mk "$P"; mk "$L"
"$B" --db "$P" import cdr "$T/a.csv" >"$T/p.out" 2>&1; ok "import cdr (6,000 rows, two batches) on PostgreSQL"
"$B" --db "$L" import cdr "$T/a.csv" >/dev/null 2>&1
legs=$(sql bt_bulk -c "select count(*) from cdr where billed_leg = 1")
expect_eq "cdr_call: one row a billed leg" "$(sql bt_bulk -c "select count(*) from cdr_call")" "$legs"
expect_eq "cdr_call: each is its billed leg's" "$(sql bt_bulk -c "select count(*) from cdr_call k join cdr c
  on c.account_id = k.account_id and c.call_key = k.call_key and c.start = k.start and c.billed_leg = 1
  and c.state = k.state")" "$legs"
expect_eq "import cdr: records, states, billed legs and costs as SQLite's" "$(recs bt_bulk | md5sum)" "$(recs "$L" | md5sum)"
expect_eq "3,001 billed legs and 2,999 extra legs" \
	"$(sql bt_bulk -c "select count(*) filter (where billed_leg = 1) || ' ' || count(*) filter (where state = 3) from cdr")" "3001 2999"

"$B" --db "$P" ingest "$T/b.csv" --quiet >/dev/null 2>&1; ok "ingest FILE (the row writer) on PostgreSQL"
"$B" --db "$L" ingest "$T/b.csv" --quiet >/dev/null 2>&1
expect_eq "the row writer: records, states, billed legs and costs as SQLite's" "$(recs bt_bulk | md5sum)" "$(recs "$L" | md5sum)"
expect_eq "the row writer: a third leg of a batch's call is an extra leg" \
	"$(sql bt_bulk -c "select count(*) from cdr where record_id like '%:b%' and state = 3")" "50"
expect_eq "the row writer: its new calls have their cdr_call row (the trigger)" \
	"$(sql bt_bulk -c "select count(*) from cdr_call where call_key like 'call-90__'")" "50"
"$B" --db "$P" verify >/dev/null 2>&1; ok "verify"

# the race: another session bills call-21999 and holds its transaction open;
# the import waits on that row's lock at its bulk write, then fails once the
# other commits: nothing of the file is stored
before=$(sql bt_bulk -c "select count(*) || ' ' || (select count(*) from import) from cdr")
hold bt_bulk "$T/fifo"
echo "BEGIN; INSERT INTO cdr_call VALUES ((SELECT id FROM account WHERE name = 'acme'), 'call-21999', 0, 1);" >&3
until_idle_tx bt_bulk
"$B" --db "$P" import cdr "$T/c.csv" >"$T/race.out" 2>&1 & IP=$!
i=0
while [ "$(sql bt_bulk -c "select count(*) from pg_stat_activity where wait_event_type = 'Lock'")" = 0 ] && [ $i -lt 400 ]; do
	sleep 0.05; i=$((i + 1))
done
expect_eq "the race: the import waits for the other session's call" "$(sql bt_bulk -c "select count(*) from pg_stat_activity where wait_event_type = 'Lock'")" "1"
echo "COMMIT;" >&3; exec 3>&-; wait $HOLD_PID; HOLD_PID=
wait $IP; st=$?
[ -n "${SHOW:-}" ] && cat "$T/race.out"
expect_eq "the race: the import fails" "$st" "1"
expect_contains "the race: the reason given" "$(cat "$T/race.out")" "cdr_call"
expect_eq "the race: nothing of the file stored" \
	"$(sql bt_bulk -c "select count(*) || ' ' || (select count(*) from import) from cdr")" "$before"

# a new month is committed apart. month_apart WRITER TAG EPOCH MONTH: A
# (WRITER: "import cdr" or "ingest"; acme, then beta, in the month starting
# at EPOCH) makes the month and waits for beta's lock, held by another
# session; import B (globex, the same month) completes meanwhile. Before, A
# held the new month's name until it committed and B waited for all of A.
"$B" --db "$P" account add globex >/dev/null
"$B" --db "$P" account set globex --deck std >/dev/null
"$B" --db "$P" account add beta >/dev/null
"$B" --db "$P" account set beta --deck std >/dev/null
month_apart() {
	w=$1 tag=$2
	python3 - "$T" "$tag" "$3" <<'PY'
import sys, time
t, tag, e = sys.argv[1], sys.argv[2], int(sys.argv[3])
def row(acct, i):
    s = e + 60 * i
    ts = lambda x: time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(x))
    return '"%s","1001","15551234567","ctx","","SIP/%s-%d","","Dial","","%s","%s","%s",65,60,"ANSWERED","DOCUMENTATION","%s%s%d.1","","","%s%s%d.1",0' % (
        acct, tag, i, ts(s), ts(s), ts(s + 65), tag, acct, i, tag, acct, i)
open(t + "/%sa.csv" % tag, "w").write(row("acme", 1) + "\n" + row("beta", 2) + "\n")
open(t + "/%sb.csv" % tag, "w").write("\n".join(row("globex", i) for i in range(10, 20)) + "\n")
PY
	expect_eq "$4 has no partition yet" "$(sql bt_bulk -c "select count(*) from pg_class where relname = 'cdr_$4'")" "0"
	hold bt_bulk "$T/fifo_$tag"
	echo "BEGIN; SELECT pg_advisory_xact_lock((SELECT id FROM account WHERE name = 'beta'));" >&3
	until_idle_tx bt_bulk
	# shellcheck disable=SC2086
	"$B" --db "$P" $w "$T/${tag}a.csv" >"$T/${tag}a.out" 2>&1 & AP=$!
	i=0
	while [ "$(sql bt_bulk -c "select count(*) from pg_locks where locktype = 'advisory' and not granted")" = 0 ] && [ $i -lt 400 ]; do
		sleep 0.05; i=$((i + 1))
	done
	expect_eq "$w A waits for beta's lock" "$(sql bt_bulk -c "select count(*) from pg_locks where locktype = 'advisory' and not granted")" "1"
	"$B" --db "$P" import cdr "$T/${tag}b.csv" >"$T/${tag}b.out" 2>&1 & BP=$!
	i=0
	while kill -0 $BP 2>/dev/null && [ $i -lt 600 ]; do sleep 0.05; i=$((i + 1)); done
	kill -0 $BP 2>/dev/null; expect_eq "import B (globex, the month $w A made) completes while A holds its transaction" "$?" "1"
	kill -0 $AP 2>/dev/null; ok "$w A still waiting"
	echo "COMMIT;" >&3; exec 3>&-; wait $HOLD_PID; HOLD_PID=
	wait $AP; expect_eq "$w A completes once beta is free" "$?" "0"
	wait $BP; expect_eq "import B stored its calls" "$?" "0"
	expect_eq "both stored" "$(sql bt_bulk -c "select count(*) from cdr where record_id like '%:$tag%'")" "12"
}
month_apart "import cdr" m 1709251200 2024_03
# the row writer too: before, it created the month in its own transaction
month_apart "ingest --quiet" r 1711929600 2024_04
dropdb bt_bulk
echo "pg-import-bulk: $PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
