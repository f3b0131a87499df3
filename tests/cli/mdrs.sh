#!/bin/sh
# mdrs.sh: every message (issue 11). `billtop mdrs ACCOUNT` lists each
# stored message record with its charge; checked against the database
# read apart with sqlite3:
#   - the CSV rows are the messages imported, one each, oldest first;
#   - the total is the statement's messaging line for the same period
#     (a small file and every demo account, months ended and to date);
#   - --from/--to bound by time, [from, to);
#   - --as-of (and now) leaves later messages out with a warning on stderr;
#   - a cell a spreadsheet would run as a formula is neutralised in CSV.
# Prints "cli-mdrs: N passed, N failed"; exits non-zero on a failure.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
B=${BILLTOP:-$HERE/../../billtop}
T=$(mktemp -d "${TMPDIR:-/tmp}/billtop-mdrs.XXXXXX")
trap '[ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT
unset BILLTOP_DB
export BILLTOP_NOW="2026-03-18 15:30:00"
DB=$T/s.db
db() { "$B" --db "$DB" "$@"; }
q() { sqlite3 "$DB" "$1"; }
ids() { python3 -c 'import csv, sys; print(" ".join(r["message_id"] for r in csv.DictReader(sys.stdin)))'; }
# the statement's messaging cost (JSON) of ACCOUNT for MONTH
stmt_msg() { "$B" --db "$1" statement "$2" --month "$3" --format json |
	python3 -c 'import json, sys; print(json.load(sys.stdin)["usage"]["messaging_cost"])'; }
# the "charges X" of the text footer
footer_charge() { tail -n 1 | sed -n 's/.*charges \([-0-9.]*\) .*/\1/p'; }
# sqlite sum of mdr.cost (nano-units) as decimals
sum_sql() { sqlite3 "$1" "select coalesce(sum(m.cost),0) from mdr m join account a on a.id = m.account_id
	where a.name = '$2' and m.at >= $3 and m.at < $4" | awk -v d="${5:-4}" '{ printf "%.*f\n", d, $1 / 1e9 }'; }
e() { date -u -d "$1" +%s; }

# ---- a small MDR file --------------------------------------------------------
db init >/dev/null; ok "init"
db account add acme --decimals 4 >/dev/null; ok "account add"
printf '%s\n' 'id,time,direction,from,to,type,segments,cost' \
	'm1,2026-02-03 10:00:00,out,=1+2,15551234567,sms,1,0.0075' \
	'm2,2026-02-28 23:59:59,in,15551234567,+15557654321,mms,3,0.02' \
	'm3,2026-03-01 00:00:00,out,15551234567,@SUM(1),sms,2,0.0150' \
	'm4,2026-03-10 12:00:00,out,15551234567,15550000000,sms,1,0.0075' \
	'm5,2026-03-20 09:00:00,out,15551234567,15550000001,sms,1,0.0075' >"$T/m.csv"
db import mdr "$T/m.csv" --account acme >/dev/null 2>&1; ok "import mdr"
csv=$(db mdrs acme --format csv --as-of '2026-12-31' 2>/dev/null); ok "mdrs --format csv"
expect_eq "CSV rows = the messages imported, oldest first" "$(printf '%s\n' "$csv" | ids)" \
	"$(q "select group_concat(record_id, ' ') from (select record_id from mdr order by at, id)")"
expect_eq "CSV row count = stored count" "$(printf '%s\n' "$csv" | sed 1d | wc -l | tr -d ' ')" "$(q 'select count(*) from mdr')"
expect_contains "a formula-looking sender is neutralised" "$csv" '"'"'"'=1+2"'
expect_contains "a formula-looking recipient is neutralised" "$csv" '"'"'"'@SUM(1)"'
expect_contains "a row carries time, direction, type, segments, charge, suspended" "$csv" \
	'"mdr:m2",2026-02-28 23:59:59,"inbound","15551234567","+15557654321","mms",3,0.0200,'
feb=$(db mdrs acme --from 2026-02-01 --to 2026-03-01 | footer_charge)
expect_eq "February total = statement messaging line" "$feb" "$(stmt_msg "$DB" acme 2026-02)"
expect_eq "February total = sum in sqlite" "$feb" "$(sum_sql "$DB" acme "$(e 2026-02-01)" "$(e 2026-03-01)")"
expect_eq "February total is 0.0275" "$feb" "0.0275"
out=$(db mdrs acme --from '2026-02-28 23:59:59' --to '2026-03-01 00:00:00' --format csv | ids)
expect_eq "--from inclusive, --to exclusive" "$out" "mdr:m2"
out=$(db mdrs acme --from 2026-03-01 --format csv 2>/dev/null | ids)
expect_eq "March to date: what is dated after now is not listed" "$out" "mdr:m3 mdr:m4"
err=$(db mdrs acme --from 2026-03-01 2>&1 >/dev/null)
expect_contains "now: a later message is counted on stderr" "$err" "warning: 1 message dated after now"
mar=$(db mdrs acme --from 2026-03-01 --to 2026-04-01 2>/dev/null | footer_charge)
expect_eq "March to date = statement messaging line" "$mar" "$(stmt_msg "$DB" acme 2026-03 2>/dev/null)"
out=$(db mdrs acme --as-of '2026-03-05' --format csv 2>"$T/err" | ids)
expect_eq "--as-of leaves later messages out" "$out" "mdr:m1 mdr:m2 mdr:m3"
expect_contains "--as-of warns on stderr" "$(cat "$T/err")" \
	"warning: 2 messages dated after the --as-of time (2026-03-10 12:00:00 to 2026-03-20 09:00:00 UTC) not listed"
n=$(db mdrs acme --as-of '2026-12-31' --format json | python3 -c 'import json, sys; print(len(json.load(sys.stdin)))')
expect_eq "JSON lists every message" "$n" "5"
expect_status "mdrs needs an account" 2 "$B" --db "$DB" mdrs
expect_status "an unknown account is refused" 1 "$B" --db "$DB" mdrs nosuch

# ---- the demo ----------------------------------------------------------------
D=$T/demo.db
"$B" --db "$D" demo --quiet >/dev/null 2>&1; ok "demo"
for acct in $(sqlite3 "$D" "select name from account order by name"); do
	dec=$(sqlite3 "$D" "select decimals from account where name = '$acct'")
	for m in 2026-02 2026-03; do
		from=$(e "$m-01"); to=$(e "$m-01 +1 month")
		"$B" --db "$D" mdrs "$acct" --from "$m-01" --to "$(date -u -d "$m-01 +1 month" +%F)" --format csv >"$T/d.csv" 2>/dev/null
		expect_eq "demo $acct $m: CSV rows = stored messages" "$(sed 1d "$T/d.csv" | wc -l | tr -d ' ')" \
			"$(sqlite3 "$D" "select count(*) from mdr m join account a on a.id = m.account_id where a.name = '$acct'
				and m.at >= $from and m.at < $to and m.at <= $(e "$BILLTOP_NOW")")"
		tot=$("$B" --db "$D" mdrs "$acct" --from "$m-01" --to "$(date -u -d "$m-01 +1 month" +%F)" 2>/dev/null | footer_charge)
		expect_eq "demo $acct $m: total = statement messaging line" "$tot" "$(stmt_msg "$D" "$acct" "$m" 2>/dev/null)"
		expect_eq "demo $acct $m: total = sum in sqlite" "$tot" "$(sum_sql "$D" "$acct" "$from" "$to" "$dec")"
	done
done

# in/out are stored as inbound/outbound, so the messaging split counts them
# by direction ("other" only for a word that is none of them)
printf '%s\n' 'id,time,direction,from,to,type,segments,cost' \
	'd1,2026-02-05 10:00:00,INCOMING,1,2,sms,1,0.01' 'd2,2026-02-05 10:00:01,mo,1,2,sms,1,0.01' >"$T/d.csv"
db account add dirs >/dev/null
db import mdr "$T/d.csv" --account dirs >/dev/null 2>&1; ok "import mdr (directions)"
expect_eq "directions as stored" "$(q "select group_concat(direction, ' ') from (select direction from mdr where record_id in ('mdr:d1', 'mdr:d2') order by at)")" \
	"inbound mo"
echo "cli-mdrs: $PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
