#!/bin/sh
# concurrency.sh: the live feed under readers (issue 5): "a writer feeding
# 2,000 CDRs per second while four console or CLI readers poll: no reader
# ever sees an error from a busy database, no balance shown is older than one
# second, nothing is lost". Run by run.sh (section 6), by `make -C tests/bench
# bench-concurrency`, and short, for correctness only, by
# tests/stress/concurrency.sh (make check).
#
#  - the writer: `billtop ingest --follow Master.csv --verbose` on a database
#    with the gencdr deck and four accounts (acme, globex, initech, umbrella;
#    150.00 deposited on 2024-01-01, so they go below zero and are suspended
#    during the run); its stderr goes through `concurrency.py stamp`, which
#    notes when each batch's "committed" line arrives.
#  - the switch: `gencdr N Master.csv --pace RATE` appends whole Asterisk
#    lines in a chunk every 10 ms and logs each chunk's wall-clock time.
#  - four readers polling every BENCH_CONC_POLL_MS (default 100) for the whole
#    run, through billtop's real read paths:
#      cli-acme, cli-globex  `billtop balance ACCOUNT --format json`, a new
#                            process each poll (open, read, exit);
#      console-accounts      the console itself (80x24 in tmux) on the accounts
#                            list, which shows all four balances;
#      console-initech       the console on initech's dashboard.
#    The consoles poll SQLite's data_version every 200 ms themselves and
#    reload; the reader reads their screen with `tmux capture-pane` (what a
#    user sees, when the user sees it; a failed reload shows on the status
#    line for 8 s, so a capture every 100 ms cannot miss it). The console in
#    tmux, rather than a C program doing what the dashboard does, because it
#    is the real path end to end (poll, reload, draw); a capture costs a few
#    ms, and the sampling (100 ms) only bounds how much of a peak the maximum
#    could miss.
#  - staleness of each poll (concurrency.py explains it): when it returned,
#    minus when the oldest CDR it should show but does not was appended.
#  - at the end: the generator stops, readers go on for 2 s, the follower
#    catches up (time printed) and gets SIGTERM (must exit 0). Then nothing
#    lost: the followed database against an uninterrupted `import cdr` of the
#    same file into a fresh copy: record count (= rows appended), distinct
#    ids, digest of the sorted ids, total charge, every balance, status and
#    suspension; `billtop verify` and integrity_check pass; busy errors 0.
#  - baselines in the same run (BENCH_CONC_BASE_SECS, default 10; 0 skips):
#    the writer alone (same feed rate, no readers: commit lag), the readers
#    alone (on that database, no writer: poll latency), and the follower's
#    capacity (`billtop ingest FILE` of the run's whole file into a fresh
#    copy: rows/s) next to the one-transaction `import cdr` of it.
#
# Environment: BILLTOP, GENCDR (paths), BENCH_CONC_SECS (default 60),
# BENCH_CONC_RATE (CDRs/s, default 2000), BENCH_CONC_POLL_MS,
# BENCH_CONC_BASE_SECS, CONC_OUT (working directory, default out/conc),
# CONC_CHECK=1: correctness only, no figures (prints "concurrency: N passed,
# N failed"). Prints "CONC key value" lines for run.sh's summary. Exits
# non-zero when something could not run or a correctness check failed
# (errors seen by a reader, records lost or doubled, verify); never on a
# timing. Needs tmux, sqlite3, python3.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
B=${BILLTOP:?BILLTOP must name the billtop binary}
GENCDR=${GENCDR:?GENCDR must name the gencdr binary}
SECS=${BENCH_CONC_SECS:-60}
RATE=${BENCH_CONC_RATE:-2000}
POLL=${BENCH_CONC_POLL_MS:-100}
BASE=${BENCH_CONC_BASE_SECS:-10}
CHECK=${CONC_CHECK:-0}
D=${CONC_OUT:-$HERE/out/conc}
PY="python3 $HERE/concurrency.py"
ACCOUNTS="acme globex initech umbrella"
SOCK=billtop-conc-$$
unset BILLTOP_DB BILLTOP_NOW
PIDS=
PASS=0
FAIL=0

die() { echo "concurrency: $*" >&2; exit 2; }
for t in tmux sqlite3 python3; do
	command -v "$t" >/dev/null 2>&1 || die "$t is required (scripts/deps.sh installs it)"
done
for n in "$SECS" "$RATE" "$POLL" "$BASE"; do
	case $n in ''|*[!0-9]*) die "BENCH_CONC_SECS, _RATE, _POLL_MS and _BASE_SECS must be whole numbers";; esac
done
[ "$SECS" -ge 1 ] && [ "$RATE" -ge 1 ] || die "BENCH_CONC_SECS and BENCH_CONC_RATE must be at least 1"
[ "$CHECK" = 1 ] && BASE=0
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	tmux -L "$SOCK" kill-server 2>/dev/null
}
trap cleanup EXIT
trap 'exit 130' INT TERM
rm -rf "$D"
mkdir -p "$D" || die "cannot create $D"
# A private copy: other people's builds may replace the binary during the run
# (a reader's exec would then fail with ETXTBSY, which is not billtop's error).
cp "$B" "$D/billtop" || die "no billtop binary at $B (run make)"
B=$D/billtop

now_ns() { date +%s%N; }
calc() { awk "BEGIN {printf \"${2:-%.2f}\", $1}"; }
met() { awk "BEGIN {print (($1) ? \"met\" : \"NOT met\")}"; }
say() { [ "$CHECK" = 1 ] || echo "$@"; }
ok() { PASS=$((PASS + 1)); }
fail() { FAIL=$((FAIL + 1)); echo "FAIL: $*" >&2; }
check() { if [ "$2" = "$3" ]; then ok; else fail "$1: got '$2', want '$3'"; fi; }
q() { sqlite3 "$1" "$2"; }

# ---- the database ----------------------------------------------------------------
"$GENCDR" --deck 200 "$D/deck.csv" || die "gencdr --deck failed"
"$B" --db "$D/prep.db" init >/dev/null || die "init failed"
"$B" --db "$D/prep.db" rates import "$D/deck.csv" --deck d >/dev/null || die "deck import failed"
for a in $ACCOUNTS; do
	"$B" --db "$D/prep.db" account add "$a" >/dev/null &&
	"$B" --db "$D/prep.db" account set "$a" --deck d >/dev/null &&
	"$B" --db "$D/prep.db" ledger add "$a" deposit 150 --memo opening --at 2024-01-01 >/dev/null || die "prepare $a"
done
fresh() { rm -f "$1" "$1-wal" "$1-shm"; cp "$D/prep.db" "$1"; }

# ---- the pieces --------------------------------------------------------------------
# follow NAME: ingest --follow NAME.csv on NAME.db, stderr stamped to NAME.stamp
follow() {
	rm -f "$D/$1.fifo"
	mkfifo "$D/$1.fifo" || die "mkfifo failed"
	$PY stamp "$D/$1.stamp" <"$D/$1.fifo" &
	SPID=$!
	"$B" --db "$D/$1.db" ingest --follow "$D/$1.csv" --verbose >"$D/$1.out" 2>"$D/$1.fifo" &
	FPID=$!
	PIDS="$PIDS $SPID $FPID"
}
# feed NAME ROWS: the paced generator, in the background (GPID)
feed() {
	"$GENCDR" "$2" "$D/$1.csv" --pace "$RATE" --times "$D/$1.times" &
	GPID=$!
	PIDS="$PIDS $GPID"
}
# caught_up NAME: wait until the follower has committed the whole file
# (60 s at most); sets CATCHUP_S
caught_up() {
	size=$(wc -c <"$D/$1.csv")
	t0=$(now_ns)
	i=0
	while [ "$(q "$D/$1.db" "select offset from ingest" 2>/dev/null)" != "$size" ] && [ $i -lt 3000 ]; do
		sleep 0.02
		i=$((i + 1))
	done
	CATCHUP_S=$(calc "($(now_ns) - $t0) / 1e9" "%.2f")
	[ "$(q "$D/$1.db" "select offset from ingest")" = "$size" ]
}
# stop_follower NAME: SIGTERM; the follower must exit 0 (sets FST)
stop_follower() {
	kill -TERM "$FPID"
	wait "$FPID"
	FST=$?
	wait "$SPID"
}
# consoles DB: the two consoles in tmux, one on the accounts list, one on
# initech's dashboard
screen_has() { tmux -L "$SOCK" capture-pane -p -t "$1" 2>/dev/null | grep -q "$2"; }
wait_screen() {
	i=0
	while ! screen_has "$1" "$2"; do
		i=$((i + 1))
		[ $i -lt 500 ] || { tmux -L "$SOCK" capture-pane -p -t "$1" >&2; die "console $1: \"$2\" never showed"; }
		sleep 0.02
	done
}
consoles() {
	tmux -L "$SOCK" kill-server 2>/dev/null
	for s in accounts initech; do
		tmux -L "$SOCK" -f /dev/null new-session -d -s "$s" -x 80 -y 24 \
			"env -u NO_COLOR LANG=C.UTF-8 TERM=xterm-256color $B --db $1; echo \"[billtop exited \$?]\"; sleep 600" ||
			die "tmux new-session failed"
	done
	wait_screen accounts "accounts (4)"
	wait_screen initech "accounts (4)"
	tmux -L "$SOCK" send-keys -t initech Down Down Enter
	wait_screen initech "initech  dashboard"
}
# readers DB PHASE: the four readers, in the background (RPIDS); stop_readers
readers() {
	rm -f "$D/stop"
	RPIDS=
	for a in acme globex; do
		CONC_BILLTOP=$B CONC_DB=$1 CONC_POLL_MS=$POLL CONC_STOP=$D/stop $PY cli "$D/$2.cli-$a.log" "$a" &
		RPIDS="$RPIDS $!"
	done
	for s in accounts initech; do
		CONC_TMUX_SOCK=$SOCK CONC_POLL_MS=$POLL CONC_STOP=$D/stop $PY screen "$D/$2.console-$s.log" "$s" &
		RPIDS="$RPIDS $!"
	done
	PIDS="$PIDS $RPIDS"
}
stop_readers() {
	: >"$D/stop"
	for p in $RPIDS; do wait "$p" || fail "a reader (pid $p) exited with status $?"; done
}
reader_logs() {
	for r in cli-acme cli-globex console-accounts console-initech; do printf ' %s=%s' "$r" "$D/$1.$r.log"; done
}

say "host: $(uname -srm), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
say "feed $RATE CDRs/s for $SECS s; readers poll every $POLL ms; baselines $BASE s each"

# ---- baseline 1: the writer alone ----------------------------------------------------
if [ "$BASE" -gt 0 ]; then
	say
	say "-- baseline: the writer alone ($RATE CDRs/s for $BASE s, no readers)"
	fresh "$D/w.db"
	: >"$D/w.csv"
	follow w
	sleep 1   # as in the run: the follower is up before the first line
	feed w $((RATE * BASE))
	wait "$GPID" || die "gencdr --pace failed"
	caught_up w || die "the follower did not catch up (writer alone)"
	stop_follower w
	[ "$FST" = 0 ] || die "ingest --follow exited $FST (writer alone): $(tail -3 "$D/w.out")"
	say "  caught up $CATCHUP_S s after the last chunk"
	$PY analyze base_writer --times "$D/w.times" --stamp "$D/w.stamp" >"$D/base_writer.txt" || die "analyze failed"
	grep -v '^CONC ' "$D/base_writer.txt"
	grep '^CONC ' "$D/base_writer.txt"

	say
	say "-- baseline: the readers alone ($BASE s on that database, no writer)"
	consoles "$D/w.db"
	readers "$D/w.db" base
	sleep "$BASE"
	stop_readers
	tmux -L "$SOCK" kill-server 2>/dev/null
	# shellcheck disable=SC2046
	$PY analyze base_readers $(reader_logs base) >"$D/base_readers.txt" || die "analyze failed"
	grep -v '^CONC ' "$D/base_readers.txt"
	grep '^CONC ' "$D/base_readers.txt"
fi

# ---- the run: writer and four readers -------------------------------------------------
say
say "-- the run: $RATE CDRs/s for $SECS s with four readers"
fresh "$D/live.db"
: >"$D/live.csv"
follow live
consoles "$D/live.db"
readers "$D/live.db" run
sleep 1
feed live $((RATE * SECS))
wait "$GPID" || die "gencdr --pace failed"
sleep 2
stop_readers
caught_up live || fail "the follower did not catch up within 60 s of the last chunk"
stop_follower live
check "ingest --follow exits 0 on SIGTERM" "$FST" 0
tmux -L "$SOCK" kill-server 2>/dev/null
ROWS=$(awk 'END {print $1}' "$D/live.times")
say "  caught up $CATCHUP_S s after the last chunk; follower: $(cat "$D/live.out")"

# ---- nothing lost ------------------------------------------------------------------------
fresh "$D/ref.db"
t0=$(now_ns)
"$B" --db "$D/ref.db" import cdr "$D/live.csv" --quiet >"$D/ref.out" 2>&1 || die "reference import failed: $(cat "$D/ref.out")"
IMP_S=$(calc "($(now_ns) - $t0) / 1e9" "%.2f")
records() {
	printf '%s %s ' "$(q "$1" "select count(*) from cdr")" "$(q "$1" "select count(distinct record_id) from cdr")"
	q "$1" "select record_id from cdr order by record_id" | md5sum | cut -c1-32
}
# Both databases read on one fixed clock a day ahead: `balance` says "as of"
# when it computed, and the feed's last calls are seconds old.
STATE_NOW=$(date -u -d '+1 day' '+%Y-%m-%d %H:%M:%S')
state() {
	"$B" --db "$1" --now "$STATE_NOW" balance --format json
	q "$1" "select sum(cost), sum(cnam_cost), sum(billed_secs) from cdr"
	q "$1" "select a.name, s.at, s.event, s.balance from suspension s join account a on a.id = s.account_id order by a.name, s.at, s.id"
}
F0=$FAIL
check "records in the followed database: count = rows appended" "$(q "$D/live.db" "select count(*) from cdr")" "$ROWS"
check "records (count, distinct, digest of the ids) as an uninterrupted import" "$(records "$D/live.db")" "$(records "$D/ref.db")"
check "balances, charges and suspensions as an uninterrupted import" "$(state "$D/live.db" | md5sum)" "$(state "$D/ref.db" | md5sum)"
"$B" --db "$D/live.db" verify >"$D/verify.out" 2>&1
check "billtop verify on the followed database" "$?" 0
check "integrity_check" "$(q "$D/live.db" "pragma integrity_check")" ok
check "no rejected rows" "$(q "$D/live.db" "select count(*) from reject")" 0
NSUSP=$(q "$D/live.db" "select count(*) from suspension")
if [ "$FAIL" = "$F0" ]; then LOST_OK=yes; else LOST_OK=NO; fi

$PY analyze run --times "$D/live.times" --ref "$D/ref.db" --stamp "$D/live.stamp" $(reader_logs run) \
	>"$D/run.txt" || die "analyze failed"
cval() { awk -v k="run_$1" '$1 == "CONC" && $2 == k { print $3 }' "$D/run.txt"; }
for r in cli-acme cli-globex console-accounts console-initech; do
	[ "$(cval "${r}_polls")" -gt 0 ] 2>/dev/null && ok || fail "$r: no polls"
	check "$r: errors seen" "$(cval "${r}_errors")" 0
done
check "busy errors, all readers" "$(cval busy)" 0
check "balances shown that match no prefix of the feed" "$(cval unexplained)" 0

if [ "$CHECK" = 1 ]; then
	[ "$FAIL" -eq 0 ] || grep -v '^CONC ' "$D/run.txt" >&2
	echo "concurrency: $ROWS CDRs at $RATE/s followed under 4 readers ($(cval polls) polls); $ROWS records checked"
	echo "concurrency: $PASS passed, $FAIL failed"
	[ "$FAIL" -eq 0 ]
	exit
fi

grep -v '^CONC ' "$D/run.txt"
echo "  records checked: $ROWS (count, distinct ids, digest, charges, balances and $NSUSP suspension transitions equal to an uninterrupted import; verify and integrity_check pass)"

# ---- baseline 3: the follower's capacity ------------------------------------------------
fresh "$D/cap.db"
t0=$(now_ns)
"$B" --db "$D/cap.db" ingest "$D/live.csv" --quiet >"$D/cap.out" 2>&1 || die "ingest (capacity) failed: $(cat "$D/cap.out")"
CAP_S=$(calc "($(now_ns) - $t0) / 1e9" "%.2f")
CAP_RPS=$(calc "$ROWS / $CAP_S" "%.0f")
echo "  baseline: the follower's capacity, \`ingest\` of the whole file (batches of 500): $CAP_S s = $CAP_RPS rows/s ($(calc "$CAP_RPS / $RATE" "%.0f")x the feed); \`import cdr\` of it (one transaction): $IMP_S s = $(calc "$ROWS / $IMP_S" "%.0f") rows/s"

SMAX=$(cval stale_max_ms)
SP99=$(cval stale_p99_ms)
echo "staleness over all readers: p99 $SP99 ms, max $SMAX ms (target <= 1000 ms: $(met "$SMAX <= 1000")); busy errors $(cval busy) (target 0: $(met "$(cval busy) == 0")); nothing lost or doubled: $LOST_OK"
grep '^CONC ' "$D/run.txt"
echo "CONC catchup_s $CATCHUP_S"
echo "CONC cap_rps $CAP_RPS"
echo "CONC import_s $IMP_S"
echo "CONC records $ROWS"
echo "CONC lost_ok $LOST_OK"
echo "CONC checks $PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
