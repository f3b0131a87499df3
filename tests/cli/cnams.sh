#!/bin/sh
# cnams.sh: every CNAM charge (issue 11). `billtop cnams ACCOUNT` lists
# each lookup fee on a call and each ledger entry of kind cnam, with its
# source; checked against the statement (the oracle) and sqlite3:
#   - the total is the statement's CNAM line, the call rows its lookup
#     count, for a small file with ledger cnam entries, a period corrected
#     by a re-rating (CNAM fees are not re-rated: the line is unchanged),
#     and every demo account, months ended and to date;
#   - a row says where its fee comes from (call or ledger), the number
#     looked up and the name the caller id returned;
#   - CSV and JSON carry the same rows; a period with no lookups lists
#     none and totals 0; an unknown account and --to before --from are
#     refused.
# Prints "cli-cnams: N passed, N failed"; exits non-zero on a failure.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
B=${BILLTOP:-$HERE/../../billtop}
T=$(mktemp -d "${TMPDIR:-/tmp}/billtop-cnams.XXXXXX")
trap '[ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT
unset BILLTOP_DB
export BILLTOP_NOW="2026-12-01 12:00:00"
export USER=carol
DB=$T/s.db
db() { "$B" --db "$DB" "$@"; }
q() { sqlite3 "$DB" "$1"; }
# the statement's CNAM line (JSON usage.cnam_cost) and lookup count of ACCOUNT for MONTH
stmt_cnam() { "$B" --db "$1" statement "$2" --month "$3" --format json 2>/dev/null |
	python3 -c 'import json, sys; print(json.load(sys.stdin)["usage"]["cnam_cost"])'; }
stmt_lookups() { "$B" --db "$1" statement "$2" --month "$3" --format json 2>/dev/null |
	python3 -c 'import json, sys; print(json.load(sys.stdin)["usage"]["cnam_lookups"])'; }
# the "CNAM X" and "N lookups" of the text footer
footer_total() { tail -n 1 | sed -n 's/.*CNAM \([-0-9.]*\) .*/\1/p'; }
footer_lookups() { tail -n 1 | sed -n 's/^\([0-9]*\) lookup.*/\1/p'; }
# CSV: the sum of the fee column and the count of call rows
csv_sum() { python3 -c '
import csv, sys
from decimal import Decimal
rows = list(csv.DictReader(sys.stdin))
print(sum((Decimal(r["fee"]) for r in rows), Decimal("0")).quantize(Decimal(10) ** -int(sys.argv[1])),
      sum(r["source"] == "call" for r in rows))' "$1"; }
next_month() { date -u -d "$1-01 +1 month" +%F; }

# ---- a small file: lookups on calls, ledger cnam entries, a correction ------
db init >/dev/null; ok "init"
db account add acme --decimals 4 >/dev/null; ok "account add (no deck: calls stored unrated)"
cat >"$T/calls.csv" <<'CSV'
call_id,start,src,dst,duration,billsec,disposition,clid,cnam_fee
c1,2026-11-02 10:00:00,15551230001,15550009999,60,60,ANSWERED,"""SMITH JOHN"" <15551230001>",0.0039
c2,2026-11-03 11:00:00,15551230002,15550009999,30,30,ANSWERED,"""15551230002"" <15551230002>",0.0040
c3,2026-11-04 12:00:00,15550009999,12125550100,90,90,ANSWERED,,
c4,2026-11-20 09:00:00,15551230003,15550009999,0,0,NO ANSWER,WIRELESS CALLER <15551230003>,0.0039
c5,2026-10-30 23:59:59,15551230004,15550009999,10,10,ANSWERED,"""DOE JANE"" <15551230004>",0.0050
CSV
db import cdr "$T/calls.csv" --format generic --account acme >/dev/null 2>&1; ok "import calls with CNAM fees"
db ledger add acme deposit 10 --memo "opening" --at "2026-10-01" >/dev/null; ok "deposit"
db ledger add acme cnam 1.25 --memo "CNAM dip service, November" --at "2026-11-01 00:00" >/dev/null; ok "ledger cnam"
db ledger add acme cnam 0.5 --memo "CNAM storage" --at "2026-11-30 23:59:59" >/dev/null; ok "ledger cnam, last second"
csv=$(db cnams acme --from 2026-11-01 --to 2026-12-01 --format csv); ok "cnams --format csv"
set -- $(printf '%s\n' "$csv" | csv_sum 4)
nov_csv=$1; nov_calls=$2
txt=$(db cnams acme --from 2026-11-01 --to 2026-12-01)
expect_eq "November: text total = CSV fee sum" "$(printf '%s\n' "$txt" | footer_total)" "$nov_csv"
expect_eq "November total = statement CNAM line" "$nov_csv" "$(stmt_cnam "$DB" acme 2026-11)"
expect_eq "November total: 3 lookups + 2 ledger entries" "$nov_csv" "1.7618"
expect_eq "November: call rows = statement lookups" "$nov_calls" "$(stmt_lookups "$DB" acme 2026-11)"
expect_eq "November: text lookups = statement lookups" "$(printf '%s\n' "$txt" | footer_lookups)" "3"
expect_contains "a lookup row: time, source, call, number, name, caller id, fee" "$csv" \
	'2026-11-02 10:00:00,"call","generic:c1/'
expect_contains "... the number looked up, the name returned, the caller id, the fee" "$csv" \
	'","15551230001","SMITH JOHN","""SMITH JOHN"" <15551230001>",0.0039,"",0'
expect_contains "a caller id that is only the number returns no name" "$csv" \
	'","15551230002","","""15551230002"" <15551230002>",0.0040'
expect_contains "an unquoted name is read" "$csv" '"15551230003","WIRELESS CALLER"'
expect_contains "a ledger row: its source, entry and memo" "$csv" \
	',"ledger","ledger:'
expect_contains "the ledger memo is carried" "$csv" '"CNAM dip service, November"'
expect_eq "rows oldest first, the ledger's first second included" \
	"$(printf '%s\n' "$csv" | sed 1d | cut -d, -f1 | tr '\n' '|')" \
	"2026-11-01 00:00:00|2026-11-02 10:00:00|2026-11-03 11:00:00|2026-11-20 09:00:00|2026-11-30 23:59:59|"
case "$csv" in *c3*) FAIL=$((FAIL + 1)); echo "FAIL: a call without a CNAM fee is listed" >&2 ;; *) PASS=$((PASS + 1)) ;; esac
oct=$(db cnams acme --from 2026-10-01 --to 2026-11-01 | footer_total)
expect_eq "October total = statement CNAM line" "$oct" "$(stmt_cnam "$DB" acme 2026-10)"
expect_eq "October: one lookup" "$oct" "0.0050"

# the period re-rated: a deck added, the unrated calls corrected; CNAM fees stay
cat >"$T/deck.csv" <<'CSV'
prefix,description,rate,first increment,increment,connect fee
1,USA,0.0100,60,60,0
CSV
db rates import "$T/deck.csv" --deck d1 >/dev/null; ok "deck"
db account set acme --deck d1 >/dev/null; ok "account set --deck"
db rerate acme --only-unrated --memo "deck added" >/dev/null 2>&1; ok "rerate (corrections)"
expect_eq "the corrections exist" "$(q 'select count(*) > 0 from rating_now')" "1"
csv2=$(db cnams acme --from 2026-11-01 --to 2026-12-01 --format csv)
set -- $(printf '%s\n' "$csv2" | csv_sum 4)
expect_eq "re-rated November: total = statement CNAM line" "$1" "$(stmt_cnam "$DB" acme 2026-11)"
expect_eq "re-rated November: CNAM fees are not re-rated" "$1" "$nov_csv"

# ---- formats, empty period, refusals ----------------------------------------
json=$(db cnams acme --from 2026-11-01 --to 2026-12-01 --format json); ok "cnams --format json"
expect_eq "JSON: same rows and total as CSV" "$(printf '%s\n' "$json" | python3 -c '
import json, sys
from decimal import Decimal
d = json.load(sys.stdin)
print(len(d), sum((Decimal(r["fee"]) for r in d), Decimal(0)), sum(r["source"] == "call" for r in d))')" \
	"5 $nov_csv 3"
expect_eq "JSON: a lookup names the number and the name" "$(printf '%s\n' "$json" |
	python3 -c 'import json, sys; r = json.load(sys.stdin)[1]; print(r["source"], r["number"], r["name"], r["fee"])')" \
	"call 15551230001 SMITH JOHN 0.0039"
empty=$(db cnams acme --from 2026-06-01 --to 2026-07-01)
expect_eq "a period with no lookups: the footer says none" "$(printf '%s\n' "$empty" | tail -n 1)" \
	"0 lookups, 0 ledger entries, CNAM 0.0000 USD"
expect_eq "a period with no lookups = statement CNAM line" "$(printf '%s\n' "$empty" | footer_total)" \
	"$(stmt_cnam "$DB" acme 2026-06)"
expect_eq "a period with no lookups: CSV has the header only" \
	"$(db cnams acme --from 2026-06-01 --to 2026-07-01 --format csv | wc -l | tr -d ' ')" "1"
expect_eq "a period with no lookups: JSON is an empty list" \
	"$(db cnams acme --from 2026-06-01 --to 2026-07-01 --format json | tr -d ' \n')" "[]"
expect_status "cnams needs an account" 2 "$B" --db "$DB" cnams
expect_status "an unknown account is refused" 1 "$B" --db "$DB" cnams nosuch
expect_contains "and named" "$("$B" --db "$DB" cnams nosuch 2>&1)" 'no account named "nosuch"'
expect_status "--to before --from is refused" 2 "$B" --db "$DB" cnams acme --from 2026-11-02 --to 2026-11-01
expect_contains "and says so" "$("$B" --db "$DB" cnams acme --from 2026-11-02 --to 2026-11-01 2>&1)" \
	"is before --from"
expect_status "a bad format is refused" 2 "$B" --db "$DB" cnams acme --format xml
out=$(db cnams acme --as-of '2026-11-10' --format csv 2>"$T/err" | sed 1d | wc -l | tr -d ' ')
expect_eq "--as-of leaves later charges out" "$out" "4"
expect_contains "--as-of warns on stderr" "$(cat "$T/err")" \
	"warning: 2 CNAM charges dated after the --as-of time (2026-11-20 09:00:00 to 2026-11-30 23:59:59 UTC) not listed"
db cnams acme --from 2026-11-01 --to 2026-12-01 --format csv -o "$T/o.csv" 2>/dev/null; ok "-o FILE"
expect_eq "-o writes what stdout has" "$(cat "$T/o.csv")" "$csv2"

# ---- the demo ----------------------------------------------------------------
export BILLTOP_NOW="2026-03-18 15:30:00"
D=$T/demo.db
"$B" --db "$D" demo --quiet >/dev/null 2>&1; ok "demo"
"$B" --db "$D" ledger add globex-telecom cnam 2.5 --memo "CNAM monthly" --at "2026-02-15" >/dev/null; ok "demo ledger cnam"
for acct in $(sqlite3 "$D" "select name from account order by name"); do
	dec=$(sqlite3 "$D" "select decimals from account where name = '$acct'")
	for m in 2026-02 2026-03; do
		"$B" --db "$D" cnams "$acct" --from "$m-01" --to "$(next_month "$m")" --format csv >"$T/d.csv" 2>/dev/null
		set -- $(csv_sum "$dec" <"$T/d.csv")
		expect_eq "demo $acct $m: total = statement CNAM line" "$1" "$(stmt_cnam "$D" "$acct" "$m" 2>/dev/null)"
		expect_eq "demo $acct $m: lookups = statement lookups" "$2" "$(stmt_lookups "$D" "$acct" "$m" 2>/dev/null)"
		tot=$("$B" --db "$D" cnams "$acct" --from "$m-01" --to "$(next_month "$m")" 2>/dev/null | footer_total)
		expect_eq "demo $acct $m: text total = CSV total" "$tot" "$1"
	done
done

echo "cli-cnams: $PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
