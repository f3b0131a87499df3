#!/bin/sh
# crash_import.sh: kill billtop with SIGKILL at random moments and prove that
# no charge is lost or counted twice (issue 5, crash safety).
#
#   import  `billtop import cdr` of an Asterisk file (tests/bench/gencdr.c) on
#           a fresh copy of a prepared database, killed after a random sleep
#           between 0 and 1.05 x the uninterrupted import's time (so some kills
#           land during or after the commit). Right after the kill the file is
#           all in or all out and `verify` passes; then the import is re-run to
#           completion: verify passes, every record is there exactly once
#           (count, distinct count and a digest of the sorted record ids) and
#           every balance, status and suspension equals the uninterrupted run.
#   ledger  a loop of `billtop ledger add` (deposits and MRCs, some dated in
#           the past so the suspension walk is rebuilt) killed at a random
#           moment: every entry before the one in flight is there exactly once,
#           the one in flight once or not at all, none after it; verify passes
#           and the balance is the start balance plus exactly those entries.
#   ingest  `billtop ingest --follow` on a Master.csv that a writer appends to
#           in random-sized chunks (half lines included) and rotates halfway;
#           the follower is killed and restarted at random moments until the
#           writer is done, then runs to the end: verify passes, every record
#           exactly once, balances equal the uninterrupted import of the same
#           rows.
#
# Environment: BILLTOP (binary), CRASH_KILLS (kills per case, default 10),
# CRASH_ROWS (CDRs, default 10000), CRASH_CASES (default "import ledger
# ingest"), CRASH_SEED (default: the time; printed so a run can be repeated),
# CC. Prints "crash: N passed, N failed" (one check = one killed run) and exits
# non-zero on a failure.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$HERE/../..
B=${BILLTOP:-$ROOT/billtop}
KILLS=${CRASH_KILLS:-10}
ROWS=${CRASH_ROWS:-10000}
CASES=${CRASH_CASES:-import ledger ingest}
SEED=${CRASH_SEED:-$(date +%s)}
T=$(mktemp -d "${TMPDIR:-/tmp}/billtop-crash.XXXXXX")
trap 'rm -rf "$T"' EXIT
unset BILLTOP_DB BILLTOP_NOW
PASS=0
FAIL=0
RECORDS=0      # records checked (present exactly once) over all runs
ACCOUNTS="acme globex initech umbrella"

fail() { FAIL=$((FAIL + 1)); echo "FAIL: $*" >&2; }
die() { echo "crash: $*" >&2; exit 2; }
now_ms() { date +%s%3N; }
q() { sqlite3 "$1" "$2"; }

# rand N: N pseudo-random fractions in [0, 1), one a line, from the seed
# (each call draws a new stream: the seed advances).
RSTREAM=0
rand() {
	RSTREAM=$((RSTREAM + 1))
	awk -v s="$SEED" -v k="$RSTREAM" -v n="$1" 'BEGIN { srand(s * 1000 + k); for (i = 0; i < n; i++) printf "%.6f\n", rand() }'
}
# msec FRACTION SPAN: FRACTION x SPAN milliseconds as seconds for sleep(1)
secs() { awk -v f="$1" -v d="$2" 'BEGIN { printf "%.3f", f * d / 1000 }'; }

# The state a crash must not change: every account's balance, status and
# suspension history, and the records (count, distinct, digest of the ids).
balances() {
	"$B" --db "$1" balance --format json | python3 -c '
import json, sys
for a in json.load(sys.stdin):
    print(a["account"], a["balance"], a["status"], a["suspended_since"])'
	q "$1" "select account_id, at, event, balance, cause_kind from suspension order by account_id, at, id" | md5sum
}
records() {
	printf '%s %s ' "$(q "$1" "select count(*) from cdr")" "$(q "$1" "select count(distinct record_id) from cdr")"
	q "$1" "select record_id from cdr order by record_id" | md5sum | cut -c1-32
}
# (PostgreSQL suite, PG_SUITE=1: PRAGMA integrity_check is SQLite's; verify alone)
verify_ok() { "$B" --db "$1" verify >"$T/verify.out" 2>&1 && { [ "${PG_SUITE:-}" = 1 ] || [ "$(q "$1" "pragma integrity_check")" = ok ]; }; }
[ "${PG_SUITE:-}" = 1 ] && echo "skip (PostgreSQL): PRAGMA integrity_check is SQLite's (billtop verify still runs)" >&2

# ---- inputs and the prepared database ---------------------------------------
${CC:-cc} -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -o "$T/gencdr" \
	"$ROOT/tests/bench/gencdr.c" "$ROOT/core/gen.c" "$ROOT/core/tm.c" || die "cannot build gencdr"
"$T/gencdr" "$ROWS" "$T/cdr.csv" --seed 7 || die "gencdr failed"
"$T/gencdr" --deck 200 "$T/deck.csv" || die "gencdr --deck failed"
"$B" --db "$T/prep.db" init >/dev/null || die "init failed"
"$B" --db "$T/prep.db" rates import "$T/deck.csv" --deck d >/dev/null || die "deck import failed"
for a in $ACCOUNTS; do
	"$B" --db "$T/prep.db" account add "$a" >/dev/null &&
	"$B" --db "$T/prep.db" account set "$a" --deck d >/dev/null &&
	"$B" --db "$T/prep.db" ledger add "$a" deposit 150 --memo opening --at 2024-01-01 >/dev/null || die "prepare $a"
done
echo "crash: seed $SEED, $ROWS CDRs ($(wc -c <"$T/cdr.csv") bytes), $KILLS kills per case ($CASES)"

# ---- import ------------------------------------------------------------------
case_import() {
	cp "$T/prep.db" "$T/ref.db"
	t0=$(now_ms)
	"$B" --db "$T/ref.db" import cdr "$T/cdr.csv" >/dev/null || die "reference import failed"
	dur=$(($(now_ms) - t0))
	verify_ok "$T/ref.db" || die "reference import does not verify: $(cat "$T/verify.out")"
	ref_bal=$(balances "$T/ref.db")
	ref_rec=$(records "$T/ref.db")
	nrec=$(q "$T/ref.db" "select count(*) from cdr")
	[ "$nrec" -eq "$ROWS" ] || die "reference import stored $nrec of $ROWS"
	echo "import: uninterrupted import $dur ms, $nrec records"
	before=0 after=0 run=0
	for f in $(rand "$KILLS"); do
		run=$((run + 1))
		db=$T/run.db
		rm -f "$db" "$db-wal" "$db-shm"
		cp "$T/prep.db" "$db"
		"$B" --db "$db" import cdr "$T/cdr.csv" >/dev/null 2>&1 &
		pid=$!
		sleep "$(secs "$f" $((dur * 105 / 100)))"
		kill -9 "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		n=$(q "$db" "select count(*) from cdr")
		ok=1
		if [ "$n" -eq 0 ]; then before=$((before + 1))
		elif [ "$n" -eq "$nrec" ]; then after=$((after + 1))
		else fail "import run $run: $n of $nrec records after the kill (not all or nothing)"; ok=0; fi
		verify_ok "$db" || { fail "import run $run: verify after the kill: $(head -3 "$T/verify.out")"; ok=0; }
		"$B" --db "$db" import cdr "$T/cdr.csv" >/dev/null 2>&1 || { fail "import run $run: re-import failed"; ok=0; }
		verify_ok "$db" || { fail "import run $run: verify after the re-import: $(head -3 "$T/verify.out")"; ok=0; }
		got=$(records "$db")
		[ "$got" = "$ref_rec" ] || { fail "import run $run: records $got, want $ref_rec"; ok=0; }
		[ "$(balances "$db")" = "$ref_bal" ] || { fail "import run $run: balances differ from the uninterrupted import"; ok=0; }
		RECORDS=$((RECORDS + nrec))
		if [ $ok -eq 1 ]; then PASS=$((PASS + 1)); fi
	done
	echo "import: $run runs killed ($before before the commit, $after after it)"
}

# ---- ledger add ----------------------------------------------------------------
# Entry i of a run: odd i a deposit of 1.i, even i an MRC of 2.i; every third
# entry is dated in the past (out of order: the walk is rebuilt).
entry_args() {
	i=$1
	if [ $((i % 2)) -eq 1 ]; then set -- deposit "1.$i"; else set -- mrc "2.$i"; fi
	if [ $((i % 3)) -eq 0 ]; then at="2024-01-0$((i % 9 + 1)) 12:00"; else at=$(printf '2024-06-01 00:%02d:00' $((i % 60))); fi
	echo "$1 $2 $at"
}
case_ledger() {
	M=40
	cp "$T/prep.db" "$T/lbase.db"
	# some traffic first, so entries cross suspensions
	head -n $((ROWS / 4)) "$T/cdr.csv" >"$T/quarter.csv"
	"$B" --db "$T/lbase.db" import cdr "$T/quarter.csv" >/dev/null || die "ledger base import failed"
	base=$(q "$T/lbase.db" "select (select sum(amount) from ledger where account_id = 1)
		- (select coalesce(sum(cost + cnam_cost), 0) from cdr where account_id = 1)")
	# time one uninterrupted loop of M adds
	cp "$T/lbase.db" "$T/lref.db"
	t0=$(now_ms)
	i=1
	while [ $i -le $M ]; do
		set -- $(entry_args $i)
		"$B" --db "$T/lref.db" ledger add acme "$1" "$2" --memo "e$i" --at "$3 $4" >/dev/null || die "ledger add failed"
		i=$((i + 1))
	done
	dur=$(($(now_ms) - t0))
	verify_ok "$T/lref.db" || die "uninterrupted ledger loop does not verify: $(cat "$T/verify.out")"
	echo "ledger: $M uninterrupted adds $dur ms"
	run=0 posted=0
	for f in $(rand "$KILLS"); do
		run=$((run + 1))
		db=$T/lrun.db
		rm -f "$db" "$db-wal" "$db-shm" "$T/cur" "$T/started" "$T/started.tmp"
		cp "$T/lbase.db" "$db"
		(
			i=1
			while [ $i -le $M ]; do
				set -- $(entry_args $i)
				echo $i >"$T/started.tmp" && mv "$T/started.tmp" "$T/started"   # never seen half-written
				"$B" --db "$db" ledger add acme "$1" "$2" --memo "e$i" --at "$3 $4" >/dev/null 2>&1 &
				echo $! >"$T/cur"
				wait $!
				i=$((i + 1))
			done
		) &
		loop=$!
		sleep "$(secs "$f" $((dur * 105 / 100)))"
		kill -9 "$loop" 2>/dev/null   # the loop first: it starts no further add
		[ -s "$T/cur" ] && kill -9 "$(cat "$T/cur")" 2>/dev/null
		wait "$loop" 2>/dev/null
		sleep 0.05
		k=$(cat "$T/started" 2>/dev/null)
		k=${k:-0}   # killed before the first add began
		ok=1
		# entries 1..k-1 exactly once, entry k at most once, none after
		bad=$(q "$db" "with recursive want(i) as (select 1 union all select i + 1 from want where i < $M)
			select group_concat(i || ':' || n) from (select i, (select count(*) from ledger where memo = 'e' || i) n from want)
			where (i < $k and n != 1) or (i = $k and n > 1) or (i > $k and n != 0)")
		[ -z "$bad" ] || { fail "ledger run $run (killed during add $k): entry:count $bad"; ok=0; }
		verify_ok "$db" || { fail "ledger run $run: verify: $(head -3 "$T/verify.out")"; ok=0; }
		# the balance: the start plus exactly the entries present
		want=$(q "$db" "select $base + (select coalesce(sum(amount), 0) from ledger where account_id = 1 and memo like 'e%')")
		got=$(q "$db" "select walk_balance from account where id = 1")
		bal=$("$B" --db "$db" balance acme --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["balance"])')
		raw=$(q "$db" "select (select sum(amount) from ledger where account_id = 1) - (select coalesce(sum(cost + cnam_cost), 0) from cdr where account_id = 1)")
		want4=$(awk -v v="$want" 'BEGIN { printf "%.4f", v / 1e9 }')
		[ "$got" = "$want" ] && [ "$raw" = "$want" ] && [ "$bal" = "$want4" ] ||
			{ fail "ledger run $run: balance walk $got raw $raw shown $bal, want $want"; ok=0; }
		posted=$((posted + $(q "$db" "select count(*) from ledger where memo like 'e%'")))
		RECORDS=$((RECORDS + M))
		if [ $ok -eq 1 ]; then PASS=$((PASS + 1)); fi
	done
	echo "ledger: $run runs killed, $posted entries posted before the kills"
}

# ---- ingest --follow ----------------------------------------------------------
# writer.py SRC DST RATE SEED: append SRC to DST at about RATE rows/s in
# random-sized chunks (cut anywhere: half lines are the rule), and rotate
# DST to DST.1 once, halfway, between two lines (as logrotate does).
cat >"$T/writer.py" <<'PY'
import os, random, sys, time
src, dst, rate, seed = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4])
data = open(src, "rb").read()
r = random.Random(seed)
bpr = len(data) / max(1, data.count(b"\n"))          # bytes per row
half = data.index(b"\n", len(data) // 2) + 1
pos, f, t0 = 0, open(dst, "ab", buffering=0), time.time()
while pos < len(data):
    n = r.randint(1, int(bpr * 6))
    if pos < half < pos + n:
        n = half - pos
    f.write(data[pos:pos + n])
    pos += n
    if pos == half:
        f.close()
        os.rename(dst, dst + ".1")
        f = open(dst, "ab", buffering=0)
    ahead = pos / bpr / rate - (time.time() - t0)
    if ahead > 0:
        time.sleep(ahead)
f.close()
PY
case_ingest() {
	if [ ! -f "$T/ref.db" ]; then
		cp "$T/prep.db" "$T/ref.db"
		"$B" --db "$T/ref.db" import cdr "$T/cdr.csv" >/dev/null || die "reference import failed"
	fi
	ref_bal=$(balances "$T/ref.db")
	ref_rec=$(records "$T/ref.db")
	nrec=$(q "$T/ref.db" "select count(*) from cdr")
	rate=${CRASH_FEED_RATE:-2000}
	kills=0 run=0
	while [ $kills -lt "$KILLS" ]; do
		run=$((run + 1))
		db=$T/irun.db
		rm -f "$db" "$db-wal" "$db-shm" "$T/live.csv" "$T/live.csv.1"
		cp "$T/prep.db" "$db"
		: >"$T/live.csv"
		python3 "$T/writer.py" "$T/cdr.csv" "$T/live.csv" "$rate" "$((SEED + run))" &
		wpid=$!
		ok=1 k=0
		for f in $(rand 100000); do
			"$B" --db "$db" ingest --follow "$T/live.csv" --quiet >/dev/null 2>"$T/ingest.err" &
			fpid=$!
			sleep "$(secs "$f" 500)"
			kill -0 "$wpid" 2>/dev/null || { kill -0 "$fpid" 2>/dev/null && break; }
			kill -9 "$fpid" 2>/dev/null
			wait "$fpid" 2>/dev/null
			k=$((k + 1))
			verify_ok "$db" || { fail "ingest run $run: verify after kill $k: $(head -3 "$T/verify.out")"; ok=0; }
			if [ -s "$T/ingest.err" ]; then fail "ingest run $run: $(head -3 "$T/ingest.err")"; ok=0; fi
			kill -0 "$wpid" 2>/dev/null || break
		done
		wait "$wpid"
		# the writer is done: let the follower catch up, then stop it cleanly
		if ! kill -0 "$fpid" 2>/dev/null; then
			"$B" --db "$db" ingest --follow "$T/live.csv" --quiet >/dev/null 2>"$T/ingest.err" &
			fpid=$!
		fi
		size=$(wc -c <"$T/live.csv")
		i=0
		while [ "$(q "$db" "select offset from ingest")" != "$size" ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i + 1)); done
		kill -TERM "$fpid"
		wait "$fpid"
		st=$?
		[ $st -eq 0 ] || { fail "ingest run $run: the follower exited $st on SIGTERM: $(head -3 "$T/ingest.err")"; ok=0; }
		verify_ok "$db" || { fail "ingest run $run: verify at the end: $(head -3 "$T/verify.out")"; ok=0; }
		got=$(records "$db")
		[ "$got" = "$ref_rec" ] || { fail "ingest run $run ($k kills): records $got, want $ref_rec"; ok=0; }
		[ "$(balances "$db")" = "$ref_bal" ] || { fail "ingest run $run: balances differ from the uninterrupted import"; ok=0; }
		[ "$(q "$db" "select files from ingest")" = 2 ] || { fail "ingest run $run: the rotation was not followed"; ok=0; }
		kills=$((kills + k))
		RECORDS=$((RECORDS + nrec))
		if [ $ok -eq 1 ]; then PASS=$((PASS + k)); else FAIL=$((FAIL + 1)); fi
	done
	echo "ingest: $run feeds of $nrec CDRs at $rate rows/s with a rotation, follower killed $kills times"
}

for c in $CASES; do
	case $c in
	import) case_import ;;
	ledger) case_ledger ;;
	ingest) case_ingest ;;
	*) die "unknown case $c" ;;
	esac
done

echo "crash: $RECORDS records and entries checked"
echo "crash: $PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
