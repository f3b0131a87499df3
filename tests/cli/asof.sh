#!/bin/sh
# asof.sh: "as of now" (issue 10). Every figure is computed as of a time,
# the clock ($BILLTOP_NOW, --now) or --as-of TIME; what is dated later (a
# scheduled ledger entry, calls from a switch whose clock runs ahead)
# counts from its own time and is shown apart, never in today's balance or
# status. Each rule below is checked on a fixed clock.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
B=${BILLTOP:-$HERE/../../billtop}
T=$(mktemp -d "${TMPDIR:-/tmp}/billtop-asof.XXXXXX")
trap 'rm -rf "$T"' EXIT
unset BILLTOP_DB
export BILLTOP_NOW="2026-12-02 12:30:00"
db() { "$B" --db "$T/t.db" "$@"; }
lacks() {   # lacks NAME HAYSTACK NEEDLE
	case "$2" in *"$3"*) false ;; *) true ;; esac
	ok "$1"
}

# ---- rule 1: one clock: $BILLTOP_NOW or --now, checked -----------------------
db init >/dev/null; ok "init"
db account add acme --decimals 4 >/dev/null; ok "account add"
out=$(db balance acme)
expect_contains "balance is as of \$BILLTOP_NOW" "$out" "as of 2026-12-02 12:30:00 UTC"
out=$("$B" --db "$T/t.db" --now '2026-06-01 08:00' balance acme)
expect_contains "--now overrides \$BILLTOP_NOW" "$out" "as of 2026-06-01 08:00:00 UTC"
expect_status "a BILLTOP_NOW that is not a time is refused (not the real clock)" 2 \
	env BILLTOP_NOW="yesterday" "$B" --db "$T/t.db" balance acme
expect_status "--now that is not a time is refused" 2 "$B" --db "$T/t.db" --now 2026-13-45 balance acme
out=$(env -u BILLTOP_NOW "$B" --db "$T/t.db" --now 1796212800 ledger add acme deposit 1 --memo clock)
expect_contains "--now fixes the time of an entry (epoch seconds)" "$out" "at 2026-12-02 12:00:00"
expect_eq "--now also stamps the posting time" \
	"$(sqlite3 "$T/t.db" "select at, posted from ledger where memo = 'clock'")" "1796212800|1796212800"

# the demo never writes anything dated after its clock
"$B" --db "$T/demo.db" --now '2026-03-18 15:30:00' demo --quiet >/dev/null 2>&1; ok "demo"
NOWS=$(date -u -d '2026-03-18 15:30:00' +%s)
expect_eq "demo: no call starts, answers or ends after its clock" \
	"$(sqlite3 "$T/demo.db" "select count(*) from cdr where start > $NOWS or answer > $NOWS or end > $NOWS")" "0"
expect_eq "demo: no message after its clock" "$(sqlite3 "$T/demo.db" "select count(*) from mdr where at > $NOWS")" "0"
expect_eq "demo: no ledger entry after its clock" "$(sqlite3 "$T/demo.db" "select count(*) from ledger where at > $NOWS")" "0"
expect_eq "demo: calls up to its clock's hour are there" \
	"$(sqlite3 "$T/demo.db" "select count(*) > 0 from cdr where start >= $NOWS - 3600")" "1"

# balance --as-of any second = an independent sum over the raw records
for at in '2026-03-18 15:29:59' '2026-03-18 14:37:12' '2026-03-10 09:00:00' '2026-03-10 08:59:59' '2026-02-01 00:00:01'; do
	T0=$(date -u -d "$at" +%s)
	want=$(sqlite3 "$T/demo.db" "select a.name, (select coalesce(sum(amount),0) from ledger where account_id=a.id and at <= $T0)
		- (select coalesce(sum(cost + cnam_cost),0) from cdr where account_id=a.id and start <= $T0)
		- (select coalesce(sum(cost),0) from mdr where account_id=a.id and at <= $T0) from account a order by a.name" |
		awk -F'|' '{ printf "%s %.4f\n", $1, $2 / 1e9 }')
	got=$("$B" --db "$T/demo.db" --now '2026-03-18 15:30:00' balance --as-of "$at" --format json |
		python3 -c "import json,sys; [print(b['account'], b['balance']) for b in sorted(json.load(sys.stdin), key=lambda b: b['account'])]")
	expect_eq "demo: balance --as-of '$at' = the records up to it, summed apart" "$got" "$want"
done

# ---- rule 3: a ledger entry dated in the future ------------------------------
db account add initech --decimals 4 >/dev/null; ok "account add initech"
db ledger add initech deposit 10 --memo open --at 2026-11-01 >/dev/null; ok "opening deposit"
db ledger add initech mrc 20 --memo "December MRC" --at 2026-12-01 >/dev/null; ok "mrc: suspended"
out=$(db ledger add initech deposit 500 --memo typo --at 2027-12-02 2>&1); st=$?
expect_eq "a future --at is refused" "$st" "1"
expect_contains "the refusal says why and what to do" "$out" "is after now (2026-12-02 12:30:00 UTC)"
expect_contains "the refusal names --future" "$out" "give --future to schedule it"
expect_eq "nothing posted" "$(sqlite3 "$T/t.db" "select count(*) from ledger where memo = 'typo'")" "0"
out=$(db ledger add initech deposit 500 --memo wire --at '2026-12-03 09:00' --future); ok "--future schedules it"
expect_contains "ledger add says scheduled, with when" "$out" "scheduled: takes effect at 2026-12-03 09:00:00"
expect_contains "ledger add's balance is now's: still suspended" "$out" "balance -10.0000 USD, suspended (now)"
out=$(db balance initech)
expect_contains "balance now: the scheduled deposit cannot restore early" "$out" \
	"initech: -10.0000 USD, SUSPENDED since 2026-12-01 00:00:00 UTC"
expect_contains "balance shows the scheduled entry apart" "$out" \
	"scheduled: 1 ledger entry dated later, 500.0000 USD from 2026-12-03 09:00:00 UTC (not in this balance)"
expect_contains "balance shows the scheduled restoration" "$out" "scheduled: restored at 2026-12-03 09:00:00 UTC"
db balance initech --format json >"$T/b.json"; ok "balance json"
expect_eq "json: balance, status, scheduled entries, next transition" \
	"$(json_get "$T/b.json" "d['balance'], d['status'], d['scheduled']['entries'], d['scheduled']['amount'], d['next_transition'], d['next_transition_at']")" \
	"-10.0000 suspended 1 500.0000 restored 2026-12-03T09:00:00Z"
out=$(db balance initech --as-of '2026-12-03 08:59:59')
expect_contains "--as-of a second before: still suspended" "$out" "-10.0000 USD, SUSPENDED"
out=$(db balance initech --as-of '2026-12-03 09:00:01')
expect_contains "--as-of a second after: restored" "$out" "initech: 490.0000 USD, active, as of 2026-12-03 09:00:01 UTC"
expect_eq "the suspension history: restored at the entry's own time" \
	"$(sqlite3 "$T/t.db" "select event, datetime(at, 'unixepoch') from suspension s join account a on a.id = s.account_id where a.name = 'initech' order by s.at")" \
	"$(printf 'suspended|2026-12-01 00:00:00\nrestored|2026-12-03 09:00:00')"
out=$(db ledger list initech)
expect_contains "ledger list marks the scheduled entry" "$out" "wire  [SCHEDULED: takes effect at its time]"
db ledger list initech --format json >"$T/l.json"; ok "ledger list json"
expect_eq "ledger list json: scheduled flags" "$(json_get "$T/l.json" "[e['scheduled'] for e in d]")" "[False, False, True]"
expect_eq "ledger list csv: a scheduled column" "$(db ledger list initech --format csv | tail -1 | tr -d "\r" | awk -F, '{print $NF}')" '"scheduled"'
out=$(db ledger list initech --as-of '2026-12-04')
lacks "ledger list --as-of after it: no longer scheduled" "$out" "SCHEDULED"
# nor can a scheduled debit suspend early
db ledger add acme deposit 5 --memo top >/dev/null; ok "acme deposit"
db ledger add acme mrc 30 --memo "January MRC" --at 2027-01-01 --future >/dev/null; ok "scheduled mrc"
out=$(db balance acme)
expect_contains "a scheduled debit does not suspend now" "$out" "acme: 6.0000 USD, active"
expect_contains "...and says when it will" "$out" "scheduled: suspended at 2027-01-01 00:00:00 UTC"
out=$(db balance acme --as-of 2027-01-01)
expect_contains "--as-of its time: suspended" "$out" "acme: -24.0000 USD, SUSPENDED since 2027-01-01 00:00:00 UTC"
db verify >/dev/null; ok "verify: the scheduled entries derive cleanly"

# ---- rule 2: records dated after now: apart, counted from their time ---------
cat >"$T/deck.csv" <<'CSV'
prefix,description,rate,first increment,increment
1,US,0.60,60,60
CSV
db rates import "$T/deck.csv" --deck us >/dev/null; ok "deck"
db account add globex --decimals 4 >/dev/null; ok "globex"
db account set globex --deck us >/dev/null; ok "globex deck"
db ledger add globex deposit 1 --memo open --at '2026-12-02 00:00' >/dev/null; ok "globex deposit"
# 12:05 is before now (12:30) in the same hour; 12:45 is after it (a switch
# whose clock runs 15 min ahead); 13:10 later still
cat >"$T/cdr.csv" <<'CSV'
call_id,start,src,dst,billsec,disposition
c1,2026-12-02 11:00:00,15550001111,12065550100,60,ANSWERED
c2,2026-12-02 12:05:00,15550001111,12065550100,60,ANSWERED
c3,2026-12-02 12:45:00,15550001111,12065550100,60,ANSWERED
c4,2026-12-02 13:10:00,15550001111,12065550100,60,ANSWERED
CSV
db import cdr "$T/cdr.csv" --account globex --format generic >/dev/null; ok "import with calls dated ahead"
out=$(db balance globex)
expect_contains "balance now: the calls up to now only (two of four, one in now's hour)" "$out" \
	"globex: -0.2000 USD, SUSPENDED since 2026-12-02 12:05:00 UTC"
expect_contains "the calls dated after now are shown apart, with a warning" "$out" \
	"warning: 2 call/message records dated after it (2026-12-02 12:45:00 to 2026-12-02 13:10:00 UTC), -1.2000 USD"
db balance globex --format json >"$T/g.json"; ok "balance json"
expect_eq "json: dated_later" "$(json_get "$T/g.json" "d['balance'], d['dated_later']['records'], d['dated_later']['charges']")" \
	"-0.2000 2 1.2000"
out=$(db balance globex --as-of '2026-12-02 12:45:00')
expect_contains "--as-of 12:45 counts the 12:45 call" "$out" "globex: -0.8000 USD"
out=$(db cdrs globex 2>"$T/cdrs.err")
lacks "cdrs does not list a call dated after now" "$out" "2026-12-02 12:45"
expect_contains "cdrs lists the calls up to now" "$out" "2026-12-02 12:05"
expect_contains "cdrs warns of the calls dated after now" "$(cat "$T/cdrs.err")" \
	"warning: 2 calls dated after now (2026-12-02 12:45:00 to 2026-12-02 13:10:00 UTC) not listed"
out=$(db cdrs globex --as-of '2026-12-02 14:00' 2>&1)
expect_contains "cdrs --as-of later lists them" "$out" "2026-12-02 13:10"
db usage globex --window 12h --format json >"$T/u.json"; ok "usage json"
expect_eq "usage 12h now: two calls, 0.60 each" "$(json_get "$T/u.json" "d['total']['calls'], d['total']['cost']")" "2 1.2000"
db usage globex --window 12h --as-of '2026-12-02 13:30' --format json >"$T/u2.json"; ok "usage --as-of"
expect_eq "usage --as-of 13:30: all four" "$(json_get "$T/u2.json" "d['total']['calls'], d['total']['cost']")" "4 2.4000"
db verify >/dev/null; ok "verify"

# ---- rule 4: statements: to date, and late CDRs only for a period just ended -
out=$(db statement globex --month 2026-12 2>&1)
expect_contains "the current month is a statement to date" "$out" "to date (as of 2026-12-02 12:30:00 UTC)"
expect_contains "its balance is the balance now" "$out" "Balance to date                                      -0.2000"
lacks "no late-CDR warning for a period not ended" "$out" "late CDRs"
db statement initech --month 2026-12 --format json >"$T/s.json"; ok "statement json"
expect_eq "statement json: to date, the balance now, the scheduled entry apart" \
	"$(json_get "$T/s.json" "d['to_date'], d['closing_balance'], d['scheduled_entries'], d['scheduled_amount'], d['period_recent']")" \
	"True -10.0000 1 500.0000 False"
out=$(db statement initech --month 2026-11 --as-of '2026-12-01 10:00' 2>&1)
expect_contains "a period ended 10 h before: late CDRs may still arrive" "$out" "late CDRs may still arrive"
out=$(db statement initech --month 2026-11 2>&1)
lacks "a period ended 36 h before: no warning" "$out" "late CDRs"

# ---- import: records dated after now are counted and said ---------------------
db account add skew --decimals 4 >/dev/null
printf 'call_id,start,dst,billsec\ns1,2026-12-02 12:00:00,12065550100,60\ns2,2026-12-02 13:15:00,12065550100,60\n' >"$T/skew.csv"
out=$(db import cdr "$T/skew.csv" --account skew 2>&1); ok "import with a call after now"
expect_contains "import says a record is dated after now" "$out" "warning: 1 records dated after now"
printf 'call_id,start,dst,billsec\ns3,2026-12-02 14:00:00,12065550100,60\n' >"$T/skew2.csv"
db import cdr "$T/skew2.csv" --account skew --report json >"$T/skew.json" 2>/dev/null
expect_eq "json: dated_later" "$(json_get "$T/skew.json" "d[0]['dated_later']")" "1"
out=$(db import cdr "$T/skew.csv" --account skew 2>&1)
lacks "a re-import stores nothing, says nothing dated later" "$out" "dated after now"

printf 'call_id,start,dst,billsec\ni1,2026-12-02 12:00:00,12065550100,60\ni2,2026-12-02 13:15:00,12065550100,60\n' >"$T/skew3.csv"
out=$(db ingest "$T/skew3.csv" --account skew --format generic 2>&1); ok "ingest with a call after now"
expect_contains "ingest says it too" "$out" "warning: 1 records dated after now when stored"

echo "cli-asof: $PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
