#!/bin/sh
# ingest.sh: command-line tests of `billtop ingest [--follow]` (issue 5): a
# Master.csv the test appends to (half lines included), restarts, rotation
# (while following and while billtop was down), truncation, a headed file
# resumed mid-way, bad rows, signals. Counts and balances are checked against
# an `import cdr` of the same rows. The kill -9 version is
# tests/stress/crash_import.sh. Prints "cli-ingest: N passed, N failed".
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
B=${BILLTOP:-$HERE/../../billtop}
T=$(mktemp -d "${TMPDIR:-/tmp}/billtop-ingest.XXXXXX")
FPID=
trap '[ -n "$FPID" ] && kill "$FPID" 2>/dev/null; rm -rf "$T"' EXIT
export BILLTOP_NOW="2026-11-20 12:00:00"
export USER=alice SSH_CLIENT="203.0.113.9 50022 22"
unset BILLTOP_DB
db() { "$B" --db "$T/t.db" "$@"; }
q() { sqlite3 "$T/t.db" "$1"; }
# until SQL: poll until the query prints 1 (10 s at most)
until_q() { i=0; while [ "$(q "$1")" != 1 ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done; [ "$(q "$1")" = 1 ]; }
balance() { db balance acme --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["balance"])'; }

# row I: an Asterisk cdr_csv line (21 columns) of call I, billsec 10+I s
row() {
	printf '"acme","15550001111","12065550%03d","from-internal","""ACME"" <15550001111>","SIP/acme-%04d","SIP/carrier-%04d","Dial","SIP/carrier,60","2026-11-02 10:%02d:00","2026-11-02 10:%02d:05","2026-11-02 10:%02d:59",59,%d,"ANSWERED","DOCUMENTATION","1793613600.%d","","","1793613600.%d",%d\n' \
		"$1" "$1" "$1" $(($1 % 60)) $(($1 % 60)) $(($1 % 60)) $((10 + $1)) "$1" "$1" "$1"
}
rows() { i=$1; while [ "$i" -le "$2" ]; do row "$i"; i=$((i + 1)); done; }

cat >"$T/deck.csv" <<'CSV'
prefix,description,rate,first increment,increment
1,US,0.0060,6,6
CSV
db init >/dev/null
db account add acme >/dev/null
db rates import "$T/deck.csv" --deck std >/dev/null
db account set acme --deck std >/dev/null
cp "$T/t.db" "$T/empty.db"
M=$T/Master.csv

# ---- complete lines only; resume exactly where it stopped -----------------
rows 1 3 >"$M"
row 4 | head -c 77 >>"$M"                      # the switch is half way through line 4
out=$(db ingest "$M" 2>"$T/err"); ok "ingest three lines and a half"
expect_contains "three rows, format detected" "$out" "(asterisk): 3 rows in 1 batches: 3 stored"
expect_eq "the half line waits" "$(q "select count(*) from cdr")" "3"
expect_eq "position: just after line 3" "$(q "select offset, line from ingest")" "$(rows 1 3 | wc -c)|4"
row 4 | tail -c +78 >>"$M"                     # ... and finishes it
rows 5 6 >>"$M"
out=$(db ingest "$M" 2>"$T/err")
expect_contains "the rest: three rows, nothing read twice" "$out" "3 rows in 1 batches: 3 stored (3 rated, 0 unrated, 0 not connected, 0 extra legs, 0 emergency), 0 duplicates"
expect_contains "it said where it resumed" "$(cat "$T/err")" "resuming at byte $(rows 1 3 | wc -c), line 4"
expect_eq "the completed half line is stored whole" "$(q "select billsec_ms from cdr where record_id = 'asterisk:1793613600.4/4'")" "14000"
out=$(db ingest "$M" 2>/dev/null)
expect_contains "nothing new: nothing read" "$out" "0 rows in 0 batches"

# the same rows imported in one go give the same balance
rows 1 6 >"$T/ref.csv"
"$B" --db "$T/empty.db" import cdr "$T/ref.csv" >/dev/null
ref=$("$B" --db "$T/empty.db" balance acme --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["balance"])')
expect_eq "balance equals an import of the same rows" "$(balance)" "$ref"
db import cdr "$M" >"$T/imp.txt" 2>&1
expect_contains "importing the followed file adds nothing" "$(cat "$T/imp.txt")" "0 stored"

# ---- audit trail of the feed -----------------------------------------------
expect_eq "each session is an import row (kind, operator, ssh client)" \
	"$(q "select kind, operator, ssh_client, rows, inserted from import where kind = 'ingest' order by id limit 1")" \
	"ingest|alice|203.0.113.9 50022 22|3|3"

# ---- rotation while billtop was down ----------------------------------------
rows 7 8 >>"$M"                                # written to the old file, not yet read
mv "$M" "$M.1"
rows 9 10 >"$M"                                # the new file
out=$(db ingest "$M" 2>"$T/err")
expect_contains "the old file is finished first, then the new one" "$out" "4 rows"
expect_contains "it found the rotated file by inode" "$(cat "$T/err")" "finishing $M.1 from byte"
expect_eq "ten calls" "$(q "select count(*) from cdr")" "10"
expect_eq "two files followed, now in the new one" "$(q "select files, offset = $(wc -c <"$M"), line from ingest")" "2|1|3"

# ---- following: half lines, rotation, truncation, SIGTERM --------------------
"$B" --db "$T/t.db" ingest --follow "$M" --poll-ms 20 2>"$T/follow.err" >"$T/follow.out" &
FPID=$!
row 11 >>"$M"
until_q "select count(*) = 11 from cdr"; ok "a line appended is stored while following"
row 12 | head -c 100 >>"$M"
sleep 0.4
expect_eq "a half line is not" "$(q "select count(*) from cdr")" "11"
row 12 | tail -c +101 >>"$M"
until_q "select count(*) = 12 from cdr"; ok "once finished it is"
mv "$M" "$M.2"                                 # logrotate: rename, the switch opens a new file
rows 13 14 >"$M"
until_q "select count(*) = 14 from cdr"; ok "the new file after a rotation is followed"
expect_eq "three files" "$(q "select files from ingest")" "3"
: >"$M"                                        # copytruncate
sleep 0.3
rows 15 16 >"$M"
until_q "select count(*) = 16 from cdr"; ok "a truncated file is read again from its start"
row 17 | head -c 50 >>"$M"
kill -TERM "$FPID"; wait "$FPID"; st=$?; FPID=
expect_eq "SIGTERM: clean exit" "$st" "0"
expect_contains "rotation noted" "$(cat "$T/follow.err")" "rotated"
expect_contains "truncation noted" "$(cat "$T/follow.err")" "shrank"
expect_eq "sixteen calls, each once" "$(q "select count(*), count(distinct record_id) from cdr")" "16|16"
expect_eq "the half line 17 waits in the database's position" "$(q "select offset = $(rows 15 16 | wc -c) from ingest")" "1"
db verify >/dev/null; ok "verify after following"

# ---- a rotated file whose last line was never finished -----------------------
mv "$M" "$M.3"
rows 18 18 >"$M"
out=$(db ingest "$M" 2>"$T/err")
expect_contains "the unfinished line is kept as a rejected row" "$(db rejects)" "never finished before the file was rotated"
expect_eq "and line 18 of the new file is stored" "$(q "select count(*) from cdr")" "17"

# ---- bad rows never stop the feed --------------------------------------------
printf '"acme","1555","1206","x"\n' >>"$M"
printf '"acme","1555","12065","from-internal","a" b,"c"\n' >>"$M"
rows 19 19 >>"$M"
out=$(db ingest "$M" 2>"$T/err"); st=$?
expect_eq "bad rows: exit 0" "$st" "0"
expect_contains "bad rows counted" "$out" "3 rows in 1 batches: 1 stored"
expect_contains "a short row is kept with its line" "$(db rejects)" "Master.csv:2:"
expect_contains "malformed quoting is kept with its line" "$(db rejects)" "Master.csv:3:"
expect_eq "the good row after them is stored" "$(q "select count(*) from cdr where record_id like '%1793613600.19/%'")" "1"

# ---- a headed (generic) file resumed mid-way ---------------------------------
G=$T/generic.csv
printf 'call_id,start,src,dst,billsec,disposition\ng1,2026-11-03 10:00:00,1555,12065550100,61,ANSWERED\n' >"$G"
db ingest "$G" --account acme >/dev/null 2>&1; ok "generic file"
printf 'g2,2026-11-03 10:01:00,1555,12065550100,7,ANSWERED\n' >>"$G"
out=$(db ingest "$G" --account acme 2>&1)
expect_contains "resumed past its header: the header read again, not stored" "$out" "1 rows in 1 batches: 1 stored"
expect_eq "columns mapped by that header" "$(q "select billsec_ms, cost from cdr where record_id like 'generic:g2/%'")" "7000|1200000"
out=$(db ingest "$G" --format asterisk 2>&1); st=$?
expect_eq "another --format for a followed file is refused" "$st" "1"
expect_contains "and says why" "$out" "followed as generic"

# ---- calls written when they end, ledger entries dated in the past ------------------
# A switch writes a CDR when the call ends, so a feed sees start times out of
# order in nearly every batch, and entries get posted for earlier times: the
# suspension walk is redone from the hour of the earliest late event. The
# balance here crosses zero again and again; fed in small pieces between
# past-dated entries, it must end exactly as one import plus the entries.
cat >"$T/gen.py" <<'PY'
import random, time
r = random.Random(21)   # a seed whose balance crosses zero about 50 times
T0 = 1793577600
ts = lambda t: time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(t))
calls = []
for i in range(1500):
    start = T0 + r.randint(0, 2 * 86400)
    ans = r.random() < 0.8
    billsec = r.randint(1, 1800) if ans else 0
    calls.append((start + billsec + 5, start, i, billsec, ans))
with open("calls.csv", "w") as f:
    for end, start, i, billsec, ans in sorted(calls):
        f.write('"flip","1555","1206555%04d","ctx","x","SIP/a-%d","SIP/b-%d","Dial","x","%s","%s","%s",%d,%d,"%s",'
                '"DOCUMENTATION","%d.%d","","","%d.%d",%d\n' % (i, i, i, ts(start), ts(start + 5) if ans else "",
                ts(end), billsec + 5, billsec, "ANSWERED" if ans else "NO ANSWER", start, i, start, i, i))
with open("ledger.txt", "w") as f:
    for k in range(120):
        kind = "deposit" if r.random() < 0.6 else "mrc"
        amt = r.uniform(0.5, 2.5) if kind == "deposit" else r.uniform(0.2, 0.8)
        f.write("%s %.2f %s\n" % (kind, amt, ts(T0 + r.randint(0, 2 * 86400))))
PY
(cd "$T" && python3 gen.py)
printf 'prefix,rate\n1,0.005\n' >"$T/flip-deck.csv"
for d in flip-a flip-b; do
	"$B" --db "$T/$d.db" init >/dev/null
	"$B" --db "$T/$d.db" account add flip >/dev/null
	"$B" --db "$T/$d.db" rates import "$T/flip-deck.csv" --deck d >/dev/null
	"$B" --db "$T/$d.db" account set flip --deck d >/dev/null
done
: >"$T/flip.csv"
n=0 l=0 bad=0
while [ $n -lt 1500 ]; do
	k=$(((n * 7 + 4) % 90 + 10))
	sed -n "$((n + 1)),$((n + k))p" "$T/calls.csv" >>"$T/flip.csv"
	n=$((n + k))
	"$B" --db "$T/flip-a.db" ingest "$T/flip.csv" --quiet --batch-rows $((n % 13 + 3)) >/dev/null || bad=$((bad + 1))
	for j in 1 2; do
		l=$((l + 1)); set -- $(sed -n "${l}p" "$T/ledger.txt")
		[ $# -eq 4 ] && { "$B" --db "$T/flip-a.db" ledger add flip "$1" "$2" --memo "l$l" --at "$3 $4" >/dev/null || bad=$((bad + 1)); }
	done
done
while [ $l -lt 120 ]; do
	l=$((l + 1)); set -- $(sed -n "${l}p" "$T/ledger.txt")
	"$B" --db "$T/flip-a.db" ledger add flip "$1" "$2" --memo "l$l" --at "$3 $4" >/dev/null || bad=$((bad + 1))
done
"$B" --db "$T/flip-b.db" import cdr "$T/calls.csv" >/dev/null || bad=$((bad + 1))
l=0
while [ $l -lt 120 ]; do
	l=$((l + 1)); set -- $(sed -n "${l}p" "$T/ledger.txt")
	"$B" --db "$T/flip-b.db" ledger add flip "$1" "$2" --memo "l$l" --at "$3 $4" >/dev/null || bad=$((bad + 1))
done
expect_eq "late events: every command ran" "$bad" "0"
"$B" --db "$T/flip-a.db" verify >/dev/null; ok "late events: verify"
flip_state() {
	sqlite3 "$1" "select count(*) from suspension; select at, event, balance, cause_kind from suspension order by at, id;
		select sum(suspended), count(*) from cdr; select walk_balance, walk_status, walk_since, walk_at, walk_class from account"
}
expect_eq "late events: the balance crossed zero many times" "$(sqlite3 "$T/flip-a.db" "select count(*) > 20 from suspension")" "1"
expect_eq "late events: transitions, flags and walk as one import" "$(flip_state "$T/flip-a.db" | md5sum)" "$(flip_state "$T/flip-b.db" | md5sum)"

# ---- a follower and ledger entries posted meanwhile --------------------------------
# The follower keeps accounts, walks and decks between batches while no one
# else commits (PRAGMA data_version); entries posted by another process in
# between must make it reload them, or its next batch would save a stale walk.
"$B" --db "$T/flip-c.db" init >/dev/null
"$B" --db "$T/flip-c.db" account add flip >/dev/null
"$B" --db "$T/flip-c.db" rates import "$T/flip-deck.csv" --deck d >/dev/null
"$B" --db "$T/flip-c.db" account set flip --deck d >/dev/null
cp "$T/flip-c.db" "$T/flip-d.db"
sort -t, -k10,10 "$T/calls.csv" >"$T/calls-start.csv"   # in start order: the follower steps its walk in memory
: >"$T/live.csv"
"$B" --db "$T/flip-c.db" ingest --follow "$T/live.csv" --quiet --poll-ms 10 >/dev/null 2>"$T/live.err" &
FPID=$!
n=0 l=0 bad=0
while [ $n -lt 1500 ]; do
	# an entry, then 50 calls: the last batch comes after the last entry
	l=$((l + 1)); set -- $(sed -n "${l}p" "$T/ledger.txt")
	"$B" --db "$T/flip-c.db" ledger add flip "$1" "$2" --memo "l$l" --at "$3 $4" >/dev/null || bad=$((bad + 1))
	sed -n "$((n + 1)),$((n + 50))p" "$T/calls-start.csv" >>"$T/live.csv"
	n=$((n + 50))
	sleep 0.05
done
until_flip() { i=0; while [ "$(sqlite3 "$T/flip-c.db" "select count(*) from cdr")" != 1500 ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done; }
until_flip
kill -TERM "$FPID"; wait "$FPID"; st=$?; FPID=
expect_eq "follower and concurrent entries: all ran, clean exit" "$bad $st $(cat "$T/live.err")" "0 0 "
"$B" --db "$T/flip-c.db" verify >/dev/null; ok "follower and concurrent entries: verify"
"$B" --db "$T/flip-d.db" import cdr "$T/calls.csv" >/dev/null
l=0
while [ $l -lt 30 ]; do
	l=$((l + 1)); set -- $(sed -n "${l}p" "$T/ledger.txt")
	"$B" --db "$T/flip-d.db" ledger add flip "$1" "$2" --memo "l$l" --at "$3 $4" >/dev/null
done
expect_eq "follower and concurrent entries: as one import plus the entries" \
	"$(flip_state "$T/flip-c.db" | md5sum)" "$(flip_state "$T/flip-d.db" | md5sum)"

# ---- the end: everything adds up ------------------------------------------------
db verify >/dev/null; ok "verify at the end"
expect_eq "import rows of the feed count every stored call" \
	"$(q "select sum(inserted) from import where kind = 'ingest'")" "$(q "select count(*) from cdr")"
cp "$T/t.db" "$T/ro.db"; chmod 0400 "$T/ro.db"
expect_status "a read-only database cannot ingest" 1 "$B" --db "$T/ro.db" ingest "$M"
out=$("$B" --db "$T/ro.db" ingest "$M" 2>&1)
expect_contains "and says so" "$out" "read-only"
expect_status "a missing file without --follow is an error" 1 db ingest "$T/nope.csv"

echo "cli-ingest: $PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
