#!/bin/sh
# crash_rerate.sh: kill `billtop rerate` with SIGKILL at random moments and
# prove that a correction is all or nothing (issue 10).
#
# A database with CRASH_ROWS Asterisk CDRs (tests/bench/gencdr.c) of four
# accounts rated on deck d gets a corrected deck `fix` (every rate + 0.0013,
# every connect fee + 0.0001). `billtop rerate --all --deck fix` (one
# transaction per account) is run once uninterrupted (the reference), then
# CRASH_KILLS times on a fresh copy, killed after a random sleep between 0
# and 1.05 x the reference's time. Right after each kill, for every account:
# either no call has a correction and its charges are the old total, or
# every call the reference corrected has one and its charges are the new
# total (never a mix), and `verify` passes. The rerate is then run again to
# completion: verify passes and every balance, status and suspension equals
# the reference.
#
# Environment: BILLTOP, CRASH_KILLS (default 10), CRASH_ROWS (default
# 10000), CRASH_SEED (default: the time; printed), CC. Prints "crash rerate:
# N passed, N failed" and exits non-zero on a failure.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$HERE/../..
B=${BILLTOP:-$ROOT/billtop}
KILLS=${CRASH_KILLS:-10}
ROWS=${CRASH_ROWS:-10000}
SEED=${CRASH_SEED:-$(date +%s)}
T=$(mktemp -d "${TMPDIR:-/tmp}/billtop-crash-rerate.XXXXXX")
trap 'rm -rf "$T"' EXIT
unset BILLTOP_DB BILLTOP_NOW
PASS=0
FAIL=0
ACCOUNTS="acme globex initech umbrella"

fail() { FAIL=$((FAIL + 1)); echo "FAIL: $*" >&2; }
die() { echo "crash rerate: $*" >&2; exit 2; }
now_ms() { date +%s%3N; }
q() { sqlite3 "$1" "$2"; }
rand() { awk -v s="$SEED" -v n="$1" 'BEGIN { srand(s * 1000 + 77); for (i = 0; i < n; i++) printf "%.6f\n", rand() }'; }
secs() { awk -v f="$1" -v d="$2" 'BEGIN { printf "%.3f", f * d / 1000 }'; }
# (PostgreSQL suite, PG_SUITE=1: PRAGMA integrity_check is SQLite's; verify alone)
verify_ok() { "$B" --db "$1" verify >"$T/verify.out" 2>&1 && { [ "${PG_SUITE:-}" = 1 ] || [ "$(q "$1" "pragma integrity_check")" = ok ]; }; }
[ "${PG_SUITE:-}" = 1 ] && echo "skip (PostgreSQL): PRAGMA integrity_check is SQLite's (billtop verify still runs)" >&2
balances() {
	"$B" --db "$1" balance --format json | python3 -c '
import json, sys
for a in json.load(sys.stdin):
    print(a["account"], a["balance"], a["status"], a["suspended_since"])'
	q "$1" "select account_id, at, event, balance, cause_kind, cause_id from suspension order by account_id, at, id" | md5sum
	q "$1" "select id, suspended from cdr where suspended = 1 order by id" | md5sum
}
# per account: "name corrections charges", one line each
per_account() {
	q "$1" "select a.name, (select count(*) from rating g join cdr c on c.id = g.cdr_id where c.account_id = a.id and g.seq > 0),
		(select coalesce(sum(cost), 0) from cdr_now where account_id = a.id) from account a order by a.name"
}

${CC:-cc} -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -o "$T/gencdr" \
	"$ROOT/tests/bench/gencdr.c" "$ROOT/core/gen.c" "$ROOT/core/tm.c" || die "cannot build gencdr"
"$T/gencdr" "$ROWS" "$T/cdr.csv" --seed 11 || die "gencdr failed"
"$T/gencdr" --deck 200 "$T/deck.csv" || die "gencdr --deck failed"
# the carrier's corrected deck: every rate + 0.0013, every connect fee + 0.0001
awk -F, 'BEGIN { OFS = "," } NR == 1 { print; next } { $3 = sprintf("%.4f", $3 + 0.0013); $6 = sprintf("%.4f", $6 + 0.0001); print }' \
	"$T/deck.csv" >"$T/fix.csv"
"$B" --db "$T/base.db" init >/dev/null || die "init failed"
"$B" --db "$T/base.db" rates import "$T/deck.csv" --deck d >/dev/null 2>&1 || die "deck import failed"
"$B" --db "$T/base.db" rates import "$T/fix.csv" --deck fix >/dev/null 2>&1 || die "fix deck import failed"
for a in $ACCOUNTS; do
	"$B" --db "$T/base.db" account add "$a" >/dev/null &&
	"$B" --db "$T/base.db" account set "$a" --deck d >/dev/null &&
	"$B" --db "$T/base.db" ledger add "$a" deposit 150 --memo opening --at 2024-01-01 >/dev/null || die "prepare $a"
done
"$B" --db "$T/base.db" import cdr "$T/cdr.csv" >/dev/null || die "import failed"
verify_ok "$T/base.db" || die "the base does not verify: $(cat "$T/verify.out")"
old=$(per_account "$T/base.db")
echo "crash rerate: seed $SEED, $ROWS CDRs, $KILLS kills"

cp "$T/base.db" "$T/ref.db"
t0=$(now_ms)
"$B" --db "$T/ref.db" rerate --all --deck fix --memo "carrier correction" >/dev/null || die "reference rerate failed"
dur=$(($(now_ms) - t0))
verify_ok "$T/ref.db" || die "the reference rerate does not verify: $(cat "$T/verify.out")"
new=$(per_account "$T/ref.db")
ref_bal=$(balances "$T/ref.db")
[ "$old" != "$new" ] || die "the corrected deck changed nothing"
echo "crash rerate: uninterrupted rerate $dur ms"
echo "$new" | sed 's/^/  new: /'

before=0 after=0 mixed=0 run=0
for f in $(rand "$KILLS"); do
	run=$((run + 1))
	db=$T/run.db
	rm -f "$db" "$db-wal" "$db-shm"
	cp "$T/base.db" "$db"
	"$B" --db "$db" rerate --all --deck fix --memo "carrier correction" >/dev/null 2>&1 &
	pid=$!
	sleep "$(secs "$f" $((dur * 105 / 100)))"
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	ok=1
	got=$(per_account "$db")
	# each account: its old line or its new line, nothing else
	for a in $ACCOUNTS; do
		g=$(echo "$got" | grep "^$a|")
		o=$(echo "$old" | grep "^$a|")
		n=$(echo "$new" | grep "^$a|")
		if [ "$g" = "$o" ]; then before=$((before + 1))
		elif [ "$g" = "$n" ]; then after=$((after + 1))
		else fail "run $run: account $a after the kill: $g (old $o, new $n)"; mixed=$((mixed + 1)); ok=0; fi
	done
	verify_ok "$db" || { fail "run $run: verify after the kill: $(head -3 "$T/verify.out")"; ok=0; }
	"$B" --db "$db" rerate --all --deck fix --memo "carrier correction" >/dev/null 2>&1 || { fail "run $run: re-run failed"; ok=0; }
	verify_ok "$db" || { fail "run $run: verify after the re-run: $(head -3 "$T/verify.out")"; ok=0; }
	[ "$(per_account "$db")" = "$new" ] || { fail "run $run: charges after the re-run differ from the reference"; ok=0; }
	[ "$(balances "$db")" = "$ref_bal" ] || { fail "run $run: balances or suspensions differ from the reference"; ok=0; }
	if [ $ok -eq 1 ]; then PASS=$((PASS + 1)); fi
done
echo "crash rerate: $run runs killed (account states: $before old, $after new, $mixed mixed)"
echo "crash rerate: $PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
