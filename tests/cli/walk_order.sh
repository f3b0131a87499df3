#!/bin/sh
# walk_order.sh: the suspension walk takes calls that start in the same
# second in id order (the walk's order is time, class, id), also when it
# reads them again (a re-rate, verify): the calls' index orders a second's
# calls by caller number, not by id. Two calls of one second, the first
# stored (lower id) from the higher caller number: the deposit covers the
# first, the second suspends the account, and the transition names the
# second whatever walked it.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
B=${BILLTOP:-$HERE/../../billtop}
T=$(mktemp -d "${TMPDIR:-/tmp}/billtop-walkorder.XXXXXX")
trap 'rm -rf "$T"' EXIT
export BILLTOP_NOW="2026-12-01 12:00:00"
unset BILLTOP_DB
db() { "$B" --db "$T/t.db" "$@"; }
q() { sqlite3 "$T/t.db" "$1"; }

db init >/dev/null; ok "init"
db account add acme >/dev/null; ok "account"
printf 'prefix,description,rate,first increment,increment,connect fee\n1,USA,0.5000,60,60,0\n' >"$T/d.csv"
printf 'prefix,description,rate,first increment,increment,connect fee\n1,USA,0.5100,60,60,0\n' >"$T/fix.csv"
db rates import "$T/d.csv" --deck d >/dev/null 2>&1; ok "deck d"
db rates import "$T/fix.csv" --deck fix >/dev/null 2>&1; ok "deck fix"
db account set acme --deck d >/dev/null; ok "deck set"
db ledger add acme deposit 0.75 --memo "opening deposit" --at "2026-11-01 00:00" >/dev/null; ok "deposit"
cat >"$T/calls.csv" <<'CSV'
call_id,start,src,dst,billsec,disposition
a,2026-11-02 10:00:00,299,12125550100,60,ANSWERED
b,2026-11-02 10:00:00,201,12125550101,60,ANSWERED
CSV
db import cdr "$T/calls.csv" --format generic --account acme >/dev/null 2>&1; ok "import"
second=$(q "select id from cdr where src = '201'")
expect_eq "the second call stored has the higher id" "$(q "select max(id) from cdr")" "$second"
expect_eq "the import suspends on the second call" \
	"$(q "select event || ' ' || cause_kind || ' ' || cause_id from suspension")" "suspended cdr $second"
db verify >/dev/null 2>&1; ok "verify walks it again the same way"
db rerate acme --deck fix --memo "carrier correction" >/dev/null 2>&1; ok "rerate"
expect_eq "both calls corrected" "$(q "select count(*) from rating")" "2"
expect_eq "the re-rate's walk suspends on the second call too" \
	"$(q "select event || ' ' || cause_kind || ' ' || cause_id from suspension")" "suspended cdr $second"
expect_eq "the walk's position is the second call" "$(q "select walk_class || ' ' || walk_id from account")" "1 $second"
db verify >/dev/null 2>&1; ok "verify after the rerate"
echo "cli-walk-order: $PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
