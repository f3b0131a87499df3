#!/bin/sh
# rerate.sh: re-rating as append-only corrections (issue 10).
#   - calls stored unrated (no deck yet) are rated by `rerate --only-unrated`
#     once the account has a deck; a destination the deck lacks stays unrated;
#   - a corrected deck (--deck NAME) applied to a period: every total checked
#     against an independent rating in Python (the rule of DESIGN.md, Decimal
#     arithmetic), calls outside the period untouched;
#   - balance, usage (rollups), the statement, the suspension history and the
#     suspended flags follow the correction; the statement shows each run;
#   - explain lists every rating, cdrs shows the current one;
#   - the same rerate twice changes nothing; --dry-run writes nothing;
#   - a correction cannot be made by hand (triggers), verify passes after a
#     rerate and names a tampered correction.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
B=${BILLTOP:-$HERE/../../billtop}
T=$(mktemp -d "${TMPDIR:-/tmp}/billtop-rerate.XXXXXX")
trap 'rm -rf "$T"' EXIT
export BILLTOP_NOW="2026-12-01 12:00:00" # after every call of the test (figures are as of now)
export USER=carol
unset BILLTOP_DB
db() { "$B" --db "$T/t.db" "$@"; }
q() { sqlite3 "$T/t.db" "$1"; }
# state: a digest of everything a rerate may write
state() { q "select * from cdr order by id; select * from rating; select * from rating_now; select * from rerate; select * from rerate_day;
	select * from rollup_hour; select * from rollup_dest_day; select * from suspension; select * from account" | md5sum; }

db init >/dev/null; ok "init"
db account add acme >/dev/null; ok "account without a deck"
db ledger add acme deposit 3 --memo "opening deposit" --at "2026-11-01 00:00" >/dev/null; ok "deposit"

# 60 calls over November (2 a day at 10:00 and 15:30), destinations in
# turn; durations with fractions of a second; every 7th not answered.
python3 - "$T/calls.csv" <<'PY'
import sys
dsts = ["12125550100", "442079460000", "447700900123", "33612345678", "8613800138000", "99912345"]
secs = ["9.1", "61", "125.4", "0", "30", "59.9", "3", "600", "1", "61.2"]
with open(sys.argv[1], "w") as f:
    f.write("call_id,start,src,dst,billsec,disposition\n")
    for i in range(60):
        day, half = 1 + i // 2, i % 2
        start = "2026-11-%02d %s" % (day, "10:00:00" if half == 0 else "15:30:00")
        bs = secs[i % len(secs)]
        disp = "NO ANSWER" if i % 7 == 6 else "ANSWERED"
        if disp != "ANSWERED":
            bs = "0"
        f.write("r%d,%s,201,%s,%s,%s\n" % (i, start, dsts[i % len(dsts)], bs, disp))
PY
db import cdr "$T/calls.csv" --format generic --account acme >/dev/null 2>&1; ok "import with no deck"
expect_eq "every connected call unrated" "$(q "select count(*) from cdr_now where state = 1")" \
	"$(q "select count(*) from cdr_now where connected = 1")"

cat >"$T/d1.csv" <<'CSV'
prefix,description,rate,first increment,increment,connect fee
1,USA,0.0100,60,60,0
44,United Kingdom,0.0200,60,60,0
447,UK Mobile,0.0500,30,6,0
33,France,0.0300,1,1,0
86,China,0.0400,60,1,0.0100
CSV
# the carrier's correction: other prices and increments, and a connect fee
cat >"$T/fix.csv" <<'CSV'
prefix,description,rate,first increment,increment,connect fee
1,USA,0.0090,6,6,0
44,United Kingdom,0.0250,1,1,0.0020
447,UK Mobile,0.1500,30,6,0
33,France,0.0300,60,60,0
86,China,0.0400,60,1,0.0100
999,Test,0.5000,60,60,0
CSV
db rates import "$T/d1.csv" --deck d1 >/dev/null; ok "deck d1"
db rates import "$T/fix.csv" --deck fix >/dev/null; ok "deck fix"

# ---- scope and usage errors -------------------------------------------------
expect_status "rerate needs --memo" 2 db rerate acme
expect_status "ACCOUNT or --all" 2 db rerate --memo x
out=$(db rerate acme --memo x 2>&1); st=$?
expect_eq "no deck: refused" "$st" "1"
expect_contains "and says how" "$out" "has no rate deck"
expect_status "unknown deck" 1 db rerate acme --deck nope --memo x

# ---- unrated calls rated once the account has a deck ------------------------
db account set acme --deck d1 >/dev/null; ok "account set --deck"
db import cdr "$T/calls.csv" --format generic --account acme >/dev/null 2>&1
expect_eq "importing again adds nothing (the issue)" "$(q "select count(*) from cdr_now where state = 1")" \
	"$(q "select count(*) from cdr_now where connected = 1")"
before=$(state)
db rerate acme --only-unrated --dry-run >"$T/dry.txt"; ok "dry run"
expect_eq "dry run writes nothing" "$(state)" "$before"
expect_contains "dry run: per prefix" "$(cat "$T/dry.txt")" "447 "
expect_contains "dry run says so" "$(cat "$T/dry.txt")" "dry run: nothing written"
db rerate acme --only-unrated --memo "deck d1 added" --format json >"$T/r1.json"; ok "rerate --only-unrated"
dest999=$(q "select count(*) from cdr_now where dst = '99912345' and connected = 1")
expect_eq "all but 999 rated" "$(q "select count(*) from cdr_now where state = 1")" "$dest999"
expect_eq "999 stays unrated, with the reason" "$(q "select distinct unrated_reason from cdr_now where state = 1")" \
	"no rate for 99912345"
expect_eq "json: newly rated, and 999's reason corrected" \
	"$(json_get "$T/r1.json" "d[0]['newly_rated'] + $dest999 == d[0]['corrected'] and d[0]['run'] == 1")" "True"
db verify >"$T/v.txt"; ok "verify after the first rerate"

# ---- independent computation -------------------------------------------------
# python_total DECK-FOR-CALL: the total charge of every call, each rated by
# the deck the function names, with the rule of DESIGN.md.
cat >"$T/rate.py" <<'PY'
import csv, sys
from decimal import Decimal, ROUND_HALF_UP, ROUND_CEILING
def deck(path):
    rows = {}
    for r in csv.DictReader(open(path)):
        rows[r["prefix"]] = (Decimal(r["rate"]), int(r["first increment"]), int(r["increment"]), Decimal(r["connect fee"]))
    return rows
def cost(d, dst, billsec):
    for n in range(len(dst), 0, -1):
        if dst[:n] in d:
            rate, mn, inc, fee = d[dst[:n]]
            bs = int((Decimal(billsec)).to_integral_value(ROUND_CEILING))
            if bs == 0:
                return Decimal(0)
            billed = mn if bs <= mn else mn + -(-(bs - mn) // inc) * inc
            return (rate * billed / 60 + fee).quantize(Decimal("0.0001"), ROUND_HALF_UP)
    return Decimal(0)
d1, fix = deck(sys.argv[2]), deck(sys.argv[3])
lo, hi = sys.argv[4], sys.argv[5]          # the period given to rerate --deck fix
total = Decimal(0); period = Decimal(0)
for r in csv.DictReader(open(sys.argv[1])):
    if r["disposition"] != "ANSWERED":
        continue
    use = fix if lo <= r["start"] < hi else d1
    c = cost(use, r["dst"], r["billsec"])
    total += c
    if lo <= r["start"] < hi:
        period += c
print(total, period)
PY
py() { python3 "$T/rate.py" "$T/calls.csv" "$T/d1.csv" "$T/fix.csv" "$1" "$2"; }
sum_cdrs() { db cdrs acme --format json | python3 -c '
import json, sys
from decimal import Decimal
print(sum(Decimal(c["cost"]) for c in json.load(sys.stdin)))'; }
set -- $(py "9999" "9999")
expect_eq "total on d1 = independent computation" "$(sum_cdrs)" "$1"
d1_total=$1

# ---- a corrected deck applied to a period -----------------------------------
bal_before=$(db balance acme --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["balance"])')
susp_before=$(q "select count(*) from suspension")
db rerate acme --deck fix --from 2026-11-10 --to 2026-11-20 --dry-run >"$T/dry2.txt"; ok "dry run on fix"
expect_contains "dry run: the difference per prefix" "$(cat "$T/dry2.txt")" "999                 2           0.0000           1.5000          +1.5000"
before=$(state)
db rerate acme --deck fix --from 2026-11-10 --to 2026-11-20 --memo "carrier sent a wrong price" \
	--format json >"$T/r2.json"; ok "rerate --deck fix on a period"
set -- $(py "2026-11-10" "2026-11-20")
expect_eq "new total = independent computation" "$(sum_cdrs)" "$1"
new_total=$1
expect_eq "json: was/now difference" "$(json_get "$T/r2.json" "d[0]['difference']")" \
	"$(python3 -c "from decimal import Decimal as D; print('%+.4f' % (D('$new_total') - D('$d1_total')))" | sed 's/^+//')"
expect_eq "calls outside the period untouched" \
	"$(q "select count(*) from rating g join cdr c on c.id = g.cdr_id where g.seq = 2 and (c.start < strftime('%s','2026-11-10') or c.start >= strftime('%s','2026-11-20'))")" "0"
expect_eq "999 rated in the period on fix" "$(q "select count(*) from cdr_now where state = 1")" \
	"$(q "select count(*) from cdr_now where dst = '99912345' and connected = 1 and (start < strftime('%s','2026-11-10') or start >= strftime('%s','2026-11-20'))")"
# balance follows: deposit - charges
bal=$(db balance acme --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["balance"])')
expect_eq "balance follows" "$bal" "$(python3 -c "from decimal import Decimal as D; print(D('3') - D('$new_total'))")"
# usage (rollups) follows: the window's total is the calls' (cdrs) in it
db usage acme --window month --by destination --format json >"$T/u.json"
ufrom=$(json_get "$T/u.json" "d['from']"); uto=$(json_get "$T/u.json" "d['to']")
expect_eq "usage by destination follows" "$(json_get "$T/u.json" "str(sum(__import__('decimal').Decimal(b['cost']) for b in d['buckets']))")" \
	"$(db cdrs acme --from "$ufrom" --to "$uto" --format json | python3 -c '
import json, sys
from decimal import Decimal
print(sum(Decimal(c["cost"]) for c in json.load(sys.stdin)))')"
expect_eq "rollups hold the new total" "$(q "select sum(cost_calls) from rollup_hour")" \
	"$(python3 -c "from decimal import Decimal as D; print(int(D('$new_total') * 10**9))")"
expect_eq "usage: 999 has a bucket now" "$(json_get "$T/u.json" "any(b['prefix'] == '999' for b in d['buckets'])")" "True"
# suspension history follows: d1 left the account positive, fix makes it negative
expect_eq "before: never suspended" "$susp_before" "0"
expect_eq "after: suspended by a corrected call" "$(q "select event || ' ' || cause_kind from suspension order by at limit 1")" "suspended cdr"
expect_eq "balance status suspended" "$(db balance acme --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])')" "suspended"
expect_eq "calls after the suspension flagged" "$(q "select count(*) > 0 from cdr_now where suspended = 1")" "1"
db verify >"$T/v.txt"; ok "verify after the corrected deck"

# ---- the statement ------------------------------------------------------------
db statement acme --month 2026-11 >"$T/st.txt" 2>/dev/null; ok "statement"
expect_contains "statement: the first run's line" "$(cat "$T/st.txt")" "incl. correction: rerate #1"
expect_contains "statement: the second run's line" "$(cat "$T/st.txt")" "incl. correction: rerate #2"
expect_contains "statement: who and why" "$(cat "$T/st.txt")" "by carol, deck fix: carrier sent a wrong price"
db statement acme --month 2026-11 --format json >"$T/st.json" 2>/dev/null
expect_eq "statement: the runs add up to the calls' charge" \
	"$(json_get "$T/st.json" "str(sum(__import__('decimal').Decimal(c['calls_cost_difference']) for c in d['corrections']))")" "$new_total"
expect_eq "statement closing = balance" "$(json_get "$T/st.json" "d['closing_balance']")" "$bal"

# ---- explain and cdrs -----------------------------------------------------------
call=$(q "select record_id from cdr_now where dst = '447700900123' and connected = 1 and start >= strftime('%s','2026-11-10') and start < strftime('%s','2026-11-20') and billsec_ms > 0 limit 1")
db explain "$call" >"$T/ex.txt"; ok "explain"
expect_contains "explain: three ratings" "$(cat "$T/ex.txt")" "ratings     3"
expect_contains "explain: the first" "$(cat "$T/ex.txt")" "#0 first rating: unrated: no rate deck"
expect_contains "explain: the correction with who and why" "$(cat "$T/ex.txt")" "by carol, deck fix, \"carrier sent a wrong price\": rated prefix 447"
db explain "$call" --format json >"$T/ex.json"
expect_eq "explain json: current is the last" "$(json_get "$T/ex.json" "[r['current'] for r in d['ratings']]")" "[False, False, True]"
expect_eq "explain json: the current cost is the call's" "$(json_get "$T/ex.json" "d['ratings'][-1]['cost'] == d['cost']")" "True"
cost_cdrs=$(db cdrs acme --format json | python3 -c "import json,sys; print([c['cost'] for c in json.load(sys.stdin) if c['call_id'] == '$call'][0])")
expect_eq "cdrs shows the current rating" "$cost_cdrs" "$(json_get "$T/ex.json" "d['ratings'][-1]['cost']")"
expect_eq "cdrs counts its corrections" \
	"$(db cdrs acme --format json | python3 -c "import json,sys; print([c['corrections'] for c in json.load(sys.stdin) if c['call_id'] == '$call'][0])")" "2"

expect_eq "the cdr row keeps the first rating" "$(q "select state || ' ' || cost || ' ' || unrated_reason from cdr where record_id = '$call'")" \
	"1 0 no rate deck"

# ---- twice = nothing ----------------------------------------------------------
before=$(state)
db rerate acme --deck fix --from 2026-11-10 --to 2026-11-20 --memo "again" >"$T/again.txt"; ok "same rerate again"
expect_eq "the same rerate twice changes nothing" "$(state)" "$before"
expect_contains "and says so" "$(cat "$T/again.txt")" "none would change: nothing written"
db rerate acme --only-unrated --memo "again" >/dev/null; ok "only-unrated again"
expect_eq "nothing either" "$(state)" "$before"
db rerate --all --deck fix --from 2026-11-10 --to 2026-11-20 --memo "again, all" >"$T/all.txt"; ok "--all"
expect_eq "--all: nothing either" "$(state)" "$before"

# ---- append-only ----------------------------------------------------------------
out=$(q "update cdr set cost = 0 where id = 1" 2>&1)
expect_contains "a call's charge cannot be edited" "$out" "append-only"
out=$(q "update rating set cost = 0 where cdr_id = 1" 2>&1)
expect_contains "a rating cannot be edited" "$out" "append-only"
out=$(q "delete from rating" 2>&1)
expect_contains "nor deleted" "$out" "append-only"
out=$(q "delete from rerate" 2>&1)
expect_contains "nor a run" "$out" "append-only"

# ---- verify names a tampered correction ---------------------------------------------
cp "$T/t.db" "$T/tamper.db"
sqlite3 "$T/tamper.db" "drop trigger rating_append_only_u;
	update rating set cost = cost + 1000000 where seq = 2 and cdr_id = (select min(cdr_id) from rating where seq = 2)"
out=$("$B" --db "$T/tamper.db" verify 2>&1); st=$?
expect_eq "verify fails on a tampered correction" "$st" "1"
expect_contains "and names the call" "$out" "its charge is not its latest rating (#2)"
expect_contains "and the rating re-rated" "$out" "rating #2 stores"
cp "$T/t.db" "$T/tamper.db"
sqlite3 "$T/tamper.db" "update rating_now set cost = cost + 1 where cdr_id = (select min(cdr_id) from rating_now)"
out=$("$B" --db "$T/tamper.db" verify 2>&1)
expect_contains "verify: a tampered current rating" "$out" "its charge is not its latest rating"
expect_contains "verify: and the balance it moved" "$out" "balance from rollups"
cp "$T/t.db" "$T/tamper.db"
sqlite3 "$T/tamper.db" "drop trigger rating_append_only_d; delete from rating where seq = 1 and cdr_id = (select min(cdr_id) from rating where seq = 2)"
out=$("$B" --db "$T/tamper.db" verify 2>&1)
expect_contains "verify: a lost correction" "$out" "broken chain of corrections"

echo "rerate: $PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
