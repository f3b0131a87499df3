#!/bin/sh
# money_hygiene.sh: the decimals an account keeps (issue 10). An amount with
# more decimals than the account keeps is refused with the reason, never
# rounded: `ledger add` (every kind, signed adjustments too; exit 1, nothing
# posted, nothing in the audit), message costs and CNAM fees in imported
# files (FILE:LINE: reason; kept with --keep-going). Accounts of 2, 4 and 9
# decimals. Afterwards no balance, ledger amount or stored charge has more
# decimals than its account keeps, and verify is clean; the demo keeps the
# rule too. Prints "cli-money: N passed, N failed".
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
B=${BILLTOP:-$HERE/../../billtop}
T=$(mktemp -d "${TMPDIR:-/tmp}/billtop-money.XXXXXX")
trap 'rm -rf "$T"' EXIT
export BILLTOP_NOW="2026-11-20 12:00:00"
unset BILLTOP_DB SSH_CLIENT
export USER=alice
db() { "$B" --db "$T/t.db" "$@"; }
q() { sqlite3 -cmd ".timeout 5000" "$T/t.db" "$1"; }

db init >/dev/null
db account add two --decimals 2 >/dev/null
db account add four >/dev/null
db account add nine --decimals 9 >/dev/null

# refused ACCOUNT KIND AMOUNT MESSAGE: exit 1, the message, nothing posted
# (a signed amount "-1.5" is an argument: only "--name" is an option)
refused() {
	n0=$(q "select count(*) from ledger")
	out=$(db ledger add "$1" "$2" "$3" --memo "hygiene" 2>&1); st=$?
	expect_eq "$1 $2 $3 is refused (exit 1)" "$st" "1"
	expect_contains "$1 $2 $3: the reason" "$out" "$4"
	expect_eq "$1 $2 $3: nothing posted" "$(q "select count(*) from ledger")" "$n0"
}
# posted ACCOUNT KIND AMOUNT SHOWN: exit 0, the entry shown as posted
posted() {
	out=$(db ledger add "$1" "$2" "$3" --memo "hygiene" 2>&1); st=$?
	expect_eq "$1 $2 $3 is posted" "$st" "0"
	expect_contains "$1 $2 $3 shown as $4" "$out" "$1 $2 $4 at"
}

# ---- ledger add, per account decimals ---------------------------------------------------
refused four deposit 1.23456 "billtop: deposit 1.23456 has 5 decimals; account four keeps 4: post 1.2346 or 1.2345; nothing posted"
posted four deposit 1.2346 1.2346
posted four deposit 1.23450000 1.2345
refused four mrc 0.00001 "mrc 0.00001 has 5 decimals; account four keeps 4: post 0.0001; nothing posted"
refused four adjustment -1.23456 "adjustment -1.23456 has 5 decimals; account four keeps 4: post -1.2346 or -1.2345; nothing posted"
posted four adjustment -1.2346 -1.2346
refused four payment 0.00005 "payment 0.00005 has 5 decimals; account four keeps 4: post 0.0001; nothing posted"

refused two deposit 10.005 "deposit 10.005 has 3 decimals; account two keeps 2: post 10.01 or 10.00; nothing posted"
refused two nrc 2.501 "nrc 2.501 has 3 decimals; account two keeps 2: post 2.50 or 2.51; nothing posted"
refused two adjustment -0.125 "adjustment -0.125 has 3 decimals; account two keeps 2: post -0.13 or -0.12; nothing posted"
posted two deposit 10.5 10.50
posted two adjustment -0.12 -0.12

posted nine deposit 1.123456789 1.123456789
posted nine adjustment -0.000000001 -0.000000001
out=$(db ledger add nine deposit 1.1234567891 --memo hygiene 2>&1); st=$?
expect_eq "ten decimals are no amount at all (exit 1)" "$st" "1"
expect_contains "ten decimals: the parser's reason" "$out" "more than 9 decimals"

# --ref: a refused amount posts nothing and does not take the key
refused four deposit 5.00001 "deposit 5.00001 has 5 decimals"
out=$(db ledger add four deposit 5.00001 --memo "wire 9" --ref wire-9 2>&1); st=$?
expect_eq "a refused amount with --ref exits 1" "$st" "1"
out=$(db ledger add four deposit 5 --memo "wire 9" --ref wire-9 2>&1); st=$?
expect_eq "the key is still free for the amount that fits" "$st" "0"
expect_eq "the ref names the 5.0000 entry" "$(q "select amount from ledger where ref = 'wire-9'")" "5000000000"

# nothing refused is in the audit: every posted amount fits its account
audit=$(db audit --format csv 2>&1)
expect_contains "the audit lists the posted amounts" "$audit" "1.2346"
for a in 1.23456 0.00001 -1.23456 0.00005 10.005 2.501 -0.125 5.00001; do
	case "$audit" in *"$a"*) expect_eq "the audit lacks $a" "present" "absent" ;; *) PASS=$((PASS + 1)) ;; esac
done

# ---- message costs and CNAM fees in files -----------------------------------------------------
cat >"$T/mdr.csv" <<'CSV'
id,time,direction,from,to,type,segments,cost
m1,2026-11-04 09:00:00,outbound,12065550100,12065550199,sms,1,0.0040
m2,2026-11-04 09:01:00,outbound,12065550100,12065550199,sms,1,0.00475
m3,2026-11-04 09:02:00,outbound,12065550100,12065550199,mms,1,0.0150
CSV
out=$(db import mdr "$T/mdr.csv" --account four 2>&1); st=$?
expect_eq "a message cost with 5 decimals refuses the file (exit 1)" "$st" "1"
expect_contains "FILE:LINE: the reason" "$out" \
	"mdr.csv:3: message cost 0.00475 has 5 decimals; account four keeps 4: a carrier's charge is never rounded"
expect_eq "nothing imported" "$(q "select count(*) from mdr")" "0"
out=$(db import mdr "$T/mdr.csv" --account four --keep-going 2>&1); st=$?
expect_eq "--keep-going: the others stored, exit 4" "$st" "4"
expect_eq "two messages stored, exactly" "$(q "select count(*), sum(cost) from mdr")" "2|19000000"
out=$(db rejects 2>&1)
expect_contains "the row is kept with its line and reason" "$out" "mdr.csv:3: message cost 0.00475 has 5 decimals"
expect_contains "and its text" "$out" '"m2","2026-11-04 09:01:00"'
# the same file on a 9-decimal account: every cost fits
out=$(db import mdr "$T/mdr.csv" --account nine 2>&1); st=$?
expect_eq "the same costs fit a 9-decimal account" "$st" "0"
# a 2-decimal account cannot take a 0.004 SMS: every row refused
out=$(db import mdr "$T/mdr.csv" --account two --keep-going 2>&1); st=$?
imp=$(q "select max(id) from import")   # the store numbers imports (PostgreSQL: with gaps)
expect_eq "a 2-decimal account: every row rejected, exit 5" "$st" "5"
expect_contains "0.004 has 3 decimals" "$(db rejects --import "$imp" 2>&1)" "mdr.csv:2: message cost 0.004 has 3 decimals; account two keeps 2"
# the account is resolved per row (no --account): the check is per row's account
cat >"$T/mdr2.csv" <<'CSV'
id,time,from,to,cost,account
n1,2026-11-05 09:00:00,1,2,0.05,two
n2,2026-11-05 09:00:00,1,2,0.055,two
n3,2026-11-05 09:00:00,1,2,0.055,four
CSV
out=$(db import mdr "$T/mdr2.csv" --keep-going 2>&1); st=$?
imp=$(q "select max(id) from import")
expect_eq "per row's account: one rejected, exit 4" "$st" "4"
expect_contains "the row of the 2-decimal account" "$(db rejects --import "$imp" 2>&1)" "mdr2.csv:3: message cost 0.055 has 3 decimals; account two keeps 2"
expect_eq "the same cost stored for the 4-decimal account" "$(q "select count(*) from mdr where record_id like '%n3%'")" "1"

# CNAM fees, as message costs
printf 'call_id,start,dst,billsec,cnam_fee\nc1,2026-11-06 12:00:00,12065550100,9,0.0039\nc2,2026-11-06 12:01:00,12065550100,9,0.00039\n' >"$T/cnam.csv"
out=$(db import cdr "$T/cnam.csv" --account four 2>&1); st=$?
expect_eq "a CNAM fee with 5 decimals refuses the file (exit 1)" "$st" "1"
expect_contains "FILE:LINE: the fee's reason" "$out" "cnam.csv:3: CNAM fee 0.00039 has 5 decimals; account four keeps 4"
out=$(db import cdr "$T/cnam.csv" --account four --keep-going 2>&1); st=$?
expect_eq "--keep-going keeps the call whose fee fits" "$st" "4"
expect_eq "its fee stored exactly" "$(q "select count(*), sum(cnam_cost) from cdr")" "1|3900000"

# ---- afterwards: nothing shows more decimals than its account keeps ---------------------------
for a in two four nine; do
	dec=$(q "select decimals from account where name = '$a'")
	db balance "$a" --format json >"$T/b.json"
	bal=$(json_get "$T/b.json" "d['balance']")
	expect_eq "$a: the balance has $dec decimals" "$(printf '%s' "${bal#*.}" | wc -c | tr -d ' ')" "$dec"
	nano=$(q "select (select coalesce(sum(amount), 0) from ledger where account_id = a.id)
	                - (select coalesce(sum(cost), 0) from mdr where account_id = a.id)
	                - (select coalesce(sum(cost + cnam_cost), 0) from cdr where account_id = a.id)
	          from account a where a.name = '$a'")
	unit=1; i=$dec; while [ "$i" -lt 9 ]; do unit=$((unit * 10)); i=$((i + 1)); done
	expect_eq "$a: the stored records sum to a whole number of the account's units" "$((nano % unit))" "0"
	expect_eq "$a: the balance shown is that sum" "$(python3 -c "from decimal import Decimal as D; import sys; print(D(sys.argv[1]) * 10**9)" "$bal" | sed 's/\..*//')" "$nano"
done
expect_eq "no ledger amount, message cost or CNAM fee beyond its account's decimals" \
	"$(q "select count(*) from (
	        select l.amount v, a.decimals d from ledger l join account a on a.id = l.account_id
	  union all select m.cost, a.decimals from mdr m join account a on a.id = m.account_id
	  union all select c.cnam_cost, a.decimals from cdr c join account a on a.id = c.account_id
	  union all select c.cost, a.decimals from cdr c join account a on a.id = c.account_id) s
	  where s.v % (select x from (select 1 x, 9 d union select 10, 8 union select 100, 7 union select 1000, 6
	        union select 10000, 5 union select 100000, 4 union select 1000000, 3 union select 10000000, 2
	        union select 100000000, 1 union select 1000000000, 0) p where p.d = s.d) != 0")" "0"
db verify >/dev/null 2>&1; ok "verify is clean"

# ---- the demo keeps the rule -------------------------------------------------------------------------
"$B" --db "$T/demo.db" demo --quiet >/dev/null 2>&1; ok "demo"
expect_eq "demo: every ledger amount, message cost and charge fits its account's decimals" \
	"$(sqlite3 "$T/demo.db" "select count(*) from (
	        select l.amount v, a.decimals d from ledger l join account a on a.id = l.account_id
	  union all select m.cost, a.decimals from mdr m join account a on a.id = m.account_id
	  union all select c.cost + c.cnam_cost, a.decimals from cdr c join account a on a.id = c.account_id)
	  where d != 4 or v % 100000 != 0")" "0"

# ---- the low-balance mark is an amount of the account too --------------------
"$B" --db "$T/lb.db" init >/dev/null; ok "init lb"
expect_status "account add: a mark with more decimals than the account keeps is refused" 1 \
	"$B" --db "$T/lb.db" account add lb --decimals 2 --low-balance 50.125
out=$("$B" --db "$T/lb.db" account add lb --decimals 2 --low-balance 50.125 2>&1)
expect_contains "it says why" "$out" "50.125 has 3 decimals; account lb keeps 2"
"$B" --db "$T/lb.db" account add lb --decimals 2 --low-balance 50.12 >/dev/null; ok "a mark that fits is taken"
expect_status "account set: refused likewise" 1 "$B" --db "$T/lb.db" account set lb --low-balance 7.001
expect_eq "the mark is unchanged" "$(sqlite3 "$T/lb.db" "select low_balance from account where name = 'lb'")" "50120000000"

echo "cli-money: $PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
