#!/bin/sh
# watch.sh: `billtop watch --exec CMD` (issue 10): one run of CMD per
# transition (low balance crossed downward, suspended, restored) with the
# facts in BILLTOP_* variables; nothing repeated by a second run or a
# restart; nothing missed while no watcher runs; a failing command retried
# and reported, an account's later alerts held back until it succeeds; a
# watcher killed while CMD runs sends that alert again (at least once);
# the daemon notices a commit of another process within a second; a new
# low-balance mark records the history without sending it; verify names a
# missing, extra or altered alert; a transition dated after now (BILLTOP_NOW)
# waits for its time; a schema 7 database (before alerts) gets its crossings.
# Prints "cli-watch: N passed, N failed".
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
B=${BILLTOP:-$HERE/../../billtop}
T=$(mktemp -d "${TMPDIR:-/tmp}/billtop-watch.XXXXXX")
WPID=
trap '[ -n "$WPID" ] && kill "$WPID" 2>/dev/null; rm -rf "$T"' EXIT
export BILLTOP_NOW="2026-11-20 12:00:00"
unset BILLTOP_DB SSH_CLIENT
export USER=alice
db() { "$B" --db "$T/t.db" "$@"; }
q() { sqlite3 -cmd ".timeout 5000" "$T/t.db" "$1"; }
post() { db ledger add "$@" --memo test >/dev/null || echo "post $* failed" >&2; }
export OUT="$T/sent.txt"
: >"$OUT"
cat >"$T/rec.sh" <<'SH'
#!/bin/sh
echo "$BILLTOP_ACCOUNT|$BILLTOP_EVENT|$BILLTOP_BALANCE $BILLTOP_CURRENCY|$BILLTOP_AT|$BILLTOP_CAUSE_KIND $BILLTOP_CAUSE_ID|${BILLTOP_LOW_BALANCE-none}|$BILLTOP_CAUSE|try $BILLTOP_ATTEMPT" >>"$OUT"
SH
cat >"$T/fail.sh" <<'SH'
#!/bin/sh
echo "tried $BILLTOP_ALERT_ID" >>"$OUT.fail"
exit 3
SH
chmod +x "$T/rec.sh" "$T/fail.sh"
lines() { wc -l <"$OUT" | tr -d ' '; }

db init >/dev/null
db account add acme --low-balance 10 >/dev/null
db account add beta >/dev/null
printf 'prefix,description,rate\n1,US,6.00\n' >"$T/deck.csv"
db rates import "$T/deck.csv" --deck std >/dev/null
db account set acme --deck std >/dev/null

# ---- transitions, sent once each --------------------------------------------------
post acme deposit 50 --at "2026-11-20 09:00"
post acme mrc 45 --at "2026-11-20 10:00"          # 50 -> 5: below the mark 10
printf 'call_id,start,src,dst,billsec,disposition\nc-1030,2026-11-20 10:30:00,15550001111,12065550100,100,ANSWERED\n' \
	>"$T/cdr.csv"
db import cdr "$T/cdr.csv" --account acme --format generic >/dev/null   # 100 s at 6.00/min = 10.00: 5 -> -5
post acme deposit 100 --at "2026-11-20 11:00"     # -5 -> 95: restored
post beta deposit 1 --at "2026-11-20 09:00"
post beta nrc 2 --at "2026-11-20 09:30"           # 1 -> -1: suspended (beta has no mark)
out=$(db watch --once --exec "$T/rec.sh" 2>&1); st=$?
expect_eq "watch --once sends all and exits 0" "$st" "0"
expect_eq "one line per transition, in order, with the facts" "$(cat "$OUT")" \
"beta|suspended|-1.0000 USD|2026-11-20T09:30:00Z|ledger 5|none|ledger entry 5 (nrc -2.0000)|try 1
acme|low_balance|5.0000 USD|2026-11-20T10:00:00Z|ledger 2|10.0000|ledger entry 2 (mrc -45.0000)|try 1
acme|suspended|-5.0000 USD|2026-11-20T10:30:00Z|cdr generic:c-1030/fnv:7355d514fc8ab5de|10.0000|call generic:c-1030/fnv:7355d514fc8ab5de|try 1
acme|restored|95.0000 USD|2026-11-20T11:00:00Z|ledger 3|10.0000|ledger entry 3 (deposit 100.0000)|try 1"
expect_contains "each one reported" "$out" "sent alert 2: acme suspended at 2026-11-20 10:30:00, balance -5.0000 USD, cause call generic:c-1030/fnv:7355d514fc8ab5de"
out=$(db watch --once --exec "$T/rec.sh" 2>&1); st=$?
expect_eq "a second run exits 0" "$st" "0"
expect_eq "and repeats nothing" "$(lines)" "4"
expect_eq "recorded as sent" "$(q "select group_concat(status || attempts, ' ') from alert")" "sent1 sent1 sent1 sent1"
db verify >/dev/null; ok "verify clean after sending"

# ---- a failing command: retried, reported, later alerts of the account held back ---
post acme mrc 200 --at "2026-11-20 11:30"         # 95 -> -105: low balance and suspended
out=$(db watch --once --exec "$T/fail.sh" 2>&1); st=$?
expect_eq "a failing command: exit 1" "$st" "1"
expect_contains "reported with the alert and the reason" "$out" \
	"FAILED alert 5: acme low_balance at 2026-11-20 11:30:00, balance -105.0000 USD, cause ledger entry 6 (mrc -200.0000): exit status 3 (attempt 1); next try in 1 s"
expect_eq "the account's later alert waited (tried once, alert 5 only)" "$(cat "$OUT.fail")" "tried 5"
expect_eq "kept pending with the error" "$(q "select status, attempts, last_error from alert where id = 5")" \
	"pending|1|exit status 3"
out=$(db watch --status); st=$?
expect_contains "watch --status lists it" "$out" "acme                 low_balance 2026-11-20 11:30:00      -105.0000  pending     1  ledger entry 6 (mrc -200.0000): exit status 3"
expect_contains "with the counts" "$out" "alerts: 4 sent, 2 pending (1 failing), 0 sending, 0 withdrawn, 0 skipped"
db watch --status --format json >"$T/status.json"; ok "watch --status --format json"
expect_eq "JSON: counts and the failing alert" \
	"$(json_get "$T/status.json" "d['counts']['pending'], d['counts']['failing'], d['alerts'][0]['event'], d['alerts'][0]['balance'], d['alerts'][0]['attempts'], d['alerts'][0]['last_error'], d['alerts'][0]['cause_id']")" \
	"2 1 low_balance -105.0000 1 exit status 3 6"
out=$(db watch --once --exec "$T/rec.sh" 2>&1); st=$?
expect_eq "then succeeding: exit 0" "$st" "0"
expect_eq "both sent, in order, the first on its second try" "$(tail -n 2 "$OUT" | cut -d'|' -f2,8)" \
"low_balance|try 2
suspended|try 1"

# ---- a command that hangs: --timeout ------------------------------------------------
post beta deposit 5 --at "2026-11-20 11:40"       # beta restored
out=$(db watch --once --timeout 1 --exec "sleep 30" 2>&1); st=$?
expect_eq "a command past --timeout fails" "$st" "1"
expect_contains "named as timed out" "$out" "timed out after 1 s (killed)"

# ---- killed while the command runs: sent again (at least once) ---------------------
"$B" --db "$T/t.db" watch --once --exec "$T/rec.sh; sleep 10" >/dev/null 2>&1 &
WPID=$!
i=0; while [ "$(lines)" -lt 7 ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
kill -9 $WPID; wait $WPID 2>/dev/null; WPID=
expect_eq "a watcher killed while CMD runs leaves the alert sending" "$(q "select status from alert where id = 7")" "sending"
out=$(db watch --once --exec "$T/rec.sh" 2>&1); st=$?
expect_contains "the next one says it may repeat" "$out" "1 alert(s) were being sent when a watcher stopped"
expect_eq "and sends it again" "$(grep -c '^beta|restored' "$OUT")" "2"

# ---- the daemon: notices a commit within a second; restart misses nothing ----------
n0=$(lines)
"$B" --db "$T/t.db" watch --exec "$T/rec.sh" 2>"$T/watch.err" &
WPID=$!
sleep 0.5
t0=$(date +%s%N)
post acme deposit 1000 --at "2026-11-20 11:45"    # -105 -> 895: restored
i=0; while [ "$(lines)" -le "$n0" ] && [ $i -lt 500 ]; do sleep 0.01; i=$((i + 1)); done
t1=$(date +%s%N)
ms=$(( (t1 - t0) / 1000000 ))
echo "watch: a transition committed by another process was sent ${ms} ms after the ledger command started" >&2
expect_eq "the daemon sent the new transition" "$(tail -n 1 "$OUT" | cut -d'|' -f1,2)" "acme|restored"
[ "$ms" -lt 5000 ]; ok "within 5 s (measured ${ms} ms, including the ledger command)"
kill -TERM $WPID; wait $WPID; st=$?; WPID=
expect_eq "SIGTERM stops the daemon cleanly" "$st" "0"
expect_contains "saying what it did" "$(cat "$T/watch.err")" "stopped: 1 sent"
post acme mrc 2000 --at "2026-11-20 11:50"        # while no watcher runs: low balance, suspended
n1=$(lines)
"$B" --db "$T/t.db" watch --exec "$T/rec.sh" 2>/dev/null &
WPID=$!
i=0; while [ "$(lines)" -lt $((n1 + 2)) ] && [ $i -lt 500 ]; do sleep 0.01; i=$((i + 1)); done
kill -TERM $WPID; wait $WPID; WPID=
expect_eq "a restart sends what happened while it was down" "$(tail -n 2 "$OUT" | cut -d'|' -f1,2,3)" \
"acme|low_balance|-1105.0000 USD
acme|suspended|-1105.0000 USD"
# the daemon retries a failure after its backoff (1 s), by itself
cat >"$T/flaky.sh" <<'SH'
#!/bin/sh
[ -e "$OUT.once" ] || { : >"$OUT.once"; exit 1; }
exec "$(dirname "$0")/rec.sh"
SH
chmod +x "$T/flaky.sh"
n1=$(lines)
"$B" --db "$T/t.db" watch --exec "$T/flaky.sh" 2>"$T/flaky.err" &
WPID=$!
sleep 0.3
post acme deposit 3000 --at "2026-11-20 11:55"    # -1105 -> 1895: restored (fails once)
post acme mrc 2900 --at "2026-11-20 11:56"        # 1895 -> -1005: low balance, suspended
i=0; while [ "$(lines)" -lt $((n1 + 3)) ] && [ $i -lt 500 ]; do sleep 0.01; i=$((i + 1)); done
kill -TERM $WPID; wait $WPID; WPID=
expect_eq "the daemon retried the failed alert by itself after 1 s; the account's later ones waited for it" \
	"$(tail -n 3 "$OUT" | cut -d'|' -f1,2,8)" \
"acme|restored|try 2
acme|low_balance|try 1
acme|suspended|try 1"
expect_contains "after reporting the failure" "$(cat "$T/flaky.err")" "exit status 1 (attempt 1); next try in 1 s"
expect_eq "and nothing twice" "$(sort "$OUT" | uniq -d | grep -vc '^beta|restored')" "0"
expect_eq "alerts counted: every transition sent" \
	"$(q "select count(*) from alert where status = 'sent'")|$(q "select (select count(*) from suspension) + (select count(*) from balance_mark)")" "13|13"

# ---- a new low-balance mark: history recorded, not sent -----------------------------
m=$(q "select max(id) from alert")
db account set acme --low-balance 1 >/dev/null      # 5 -> -5 at 10:30 crosses 1, not 10
expect_eq "crossings of the new mark in the past are skipped" \
	"$(q "select group_concat(status, ' ') from alert where event = 'low_balance' and id > $m")" "skipped"
n2=$(lines)
db watch --once --exec "$T/rec.sh" >/dev/null 2>&1
expect_eq "and not sent" "$(lines)" "$n2"
db verify >/dev/null; ok "verify clean after the mark changed"

# ---- verify names a missing, extra or altered alert -----------------------------------
cp "$T/t.db" "$T/clean.db"
q "delete from alert where cause_kind = 'cdr'"
out=$(db verify 2>&1); st=$?
expect_eq "verify fails on a missing alert" "$st" "1"
expect_contains "naming it" "$out" "alerts: account acme, suspended at 2026-11-20 10:30:00 (cdr 1) has no alert"
cp "$T/clean.db" "$T/t.db"; rm -f "$T/t.db-wal" "$T/t.db-shm"
q "insert into alert(account_id, event, at, balance, cause_kind, cause_id, created) values(2, 'suspended', 1795165200, 0, 'ledger', 5, 0)"
out=$(db verify 2>&1); st=$?
expect_eq "verify fails on an invented alert" "$st" "1"
expect_contains "naming it" "$out" "account beta, suspended at 2026-11-20 09:00:00 (ledger 5) is an alert (pending) of no transition"
cp "$T/clean.db" "$T/t.db"; rm -f "$T/t.db-wal" "$T/t.db-shm"
q "update alert set balance = 1 where event = 'low_balance' and status = 'skipped'"
out=$(db verify 2>&1); st=$?
expect_eq "verify fails on an altered alert" "$st" "1"
expect_contains "naming it" "$out" "is an alert (skipped) whose balance 1 differs"
cp "$T/clean.db" "$T/t.db"; rm -f "$T/t.db-wal" "$T/t.db-shm"
q "delete from balance_mark where id = (select max(id) from balance_mark)"
out=$(db verify 2>&1); st=$?
expect_eq "verify fails on a missing low-balance crossing" "$st" "1"
expect_contains "naming the account and the crossing" "$out" "account acme: low-balance crossing missing"

# ---- a late record re-walks: an unsent alert that did not happen is withdrawn --------
cp "$T/clean.db" "$T/t.db"; rm -f "$T/t.db-wal" "$T/t.db-shm"
db account add gamma --low-balance 5 >/dev/null
post gamma deposit 10 --at "2026-11-20 08:00"
post gamma nrc 11 --at "2026-11-20 09:00"         # 10 -> -1: low balance, suspended
post gamma deposit 20 --at "2026-11-20 08:30"     # late: 30 -> 19, never below the mark
expect_eq "the re-walk withdrew both unsent alerts" \
	"$(q "select group_concat(event || ' ' || status, ', ') from alert a join account c on c.id = a.account_id where c.name = 'gamma'")" \
	"low_balance withdrawn, suspended withdrawn"
db account add delta >/dev/null
post delta deposit 10 --at "2026-11-20 08:00"
post delta nrc 11 --at "2026-11-20 09:00"         # 10 -> -1: suspended
post delta nrc 1 --at "2026-11-20 08:30"          # late: the same transition, at -2
expect_eq "a late record before an unsent transition gives its alert the new balance" \
	"$(q "select a.status, a.balance from alert a join account c on c.id = a.account_id where c.name = 'delta'")" \
	"pending|-2000000000"
n3=$(lines)
db watch --once --exec "$T/rec.sh" >/dev/null 2>&1
expect_eq "nothing is sent for gamma's, delta's is" "$(tail -n +$((n3 + 1)) "$OUT" | cut -d'|' -f1-3)" "delta|suspended|-2.0000 USD"
db verify >/dev/null; ok "verify clean after the re-walk"

# ---- a transition dated after now alerts when its time comes -------------------------
db account add eps >/dev/null
db account set eps --deck std >/dev/null
post eps deposit 1 --at "2026-11-20 08:00"
printf 'call_id,start,src,dst,billsec,disposition\ne-1230,2026-11-20 12:30:00,15550001111,12065550100,60,ANSWERED\n' \
	>"$T/late.csv"
db import cdr "$T/late.csv" --account eps --format generic >/dev/null 2>&1   # a switch clock 30 min ahead: 1 -> -5
n4=$(lines)
db watch --once --exec "$T/rec.sh" >/dev/null 2>&1
expect_eq "a suspension dated 12:30 is not sent at 12:00" "$(lines)" "$n4"
BILLTOP_NOW="2026-11-20 12:30:00" db watch --once --exec "$T/rec.sh" >/dev/null 2>&1
expect_eq "it is at 12:30" "$(tail -n +$((n4 + 1)) "$OUT" | cut -d'|' -f1,2,4)" "eps|suspended|2026-11-20T12:30:00Z"

# ---- a schema 7 database (before alerts) gets its crossings, recorded as history ----
if pg_skip "the schema 7 fixture and its migration are SQLite's"; then :; else
cp "$T/clean.db" "$T/v6.db"; rm -f "$T/v6.db-wal" "$T/v6.db-shm"
sqlite3 "$T/v6.db" "drop table alert; drop table balance_mark; drop table investigation_version; pragma user_version = 7"
"$B" --db "$T/v6.db" verify >/dev/null; ok "a schema 7 database migrates to 8 and verifies clean"
expect_eq "its transitions and crossings are skipped alerts" \
	"$(sqlite3 "$T/v6.db" "select count(*), min(status), max(status) from alert")|$(sqlite3 "$T/v6.db" "select count(*) from balance_mark")" \
	"13|skipped|skipped|4"
fi

# ---- usage --------------------------------------------------------------------------
expect_status "watch without --exec or --status is a usage error" 2 db watch
expect_status "--status with --exec is a usage error" 2 db watch --status --exec true

echo "cli-watch: $PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
