#!/bin/sh
# run.sh: command-line tests. Drives the real binary ($BILLTOP) against
# temporary databases and the real CDR files in tests/realdata (copied from ../shared/realdata).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
B=${BILLTOP:-$HERE/../../billtop}
REAL=${BILLTOP_REALDATA:-$HERE/../realdata}
T=$(mktemp -d "${TMPDIR:-/tmp}/billtop-cli.XXXXXX")
trap 'rm -rf "$T"' EXIT
export BILLTOP_NOW="2026-11-20 12:00:00"
unset BILLTOP_DB
db() { "$B" --db "$T/t.db" "$@"; }

# ---- init, accounts, decks ------------------------------------------------
db init >/dev/null; ok "init"
pg_skip "the file mode of a SQLite file" || expect_eq "database is created 0600" "$(stat -c %a "$T/t.db")" "600"
expect_status "a command on a missing database fails" 1 "$B" --db "$T/missing.db" balance
out=$("$B" --db "$T/missing.db" balance 2>&1)
pg_skip "a missing PostgreSQL database is made by createdb, not init" || expect_contains "missing database names the fix" "$out" "billtop --db $T/missing.db init"
db account add acme --decimals 4 --rounding half-up >/dev/null; ok "account add"
expect_status "duplicate account refused" 1 db account add acme
expect_status "bad rounding refused" 1 db account add x --rounding sideways
db account list --format json >"$T/a.json"; ok "account list json"
expect_eq "account list json" "$(json_get "$T/a.json" "d[0]['name'], d[0]['decimals'], d[0]['rounding']")" "acme 4 half-up"

cat >"$T/deck.csv" <<'CSV'
prefix,description,rate,first increment,increment,connect_fee,grace
1,US,0.005,1,1,0,0
44,UK,0.0090,30,6,0.01,0
4420,UK London,0.0080,60,60,0,5
CSV
db rates import "$T/deck.csv" --deck std >/dev/null; ok "rates import"
db account set acme --deck std >/dev/null; ok "account set deck"
printf 'prefix,rate\n1,0.005\n12x,0.01\n' >"$T/baddeck.csv"
out=$(db rates import "$T/baddeck.csv" --deck bad 2>&1); st=$?
expect_eq "bad deck refused" "$st" "1"
expect_contains "bad deck names file and line" "$out" "$T/baddeck.csv:3: prefix \"12x\" is not digits"
expect_eq "bad deck left nothing" "$(sqlite3 "$T/t.db" "select count(*) from deck where name='bad'")" "0"
# a NUL byte once cut prefix 441 to 44 and rate 0.005<NUL>9 to 0.005 (fuzz_deck)
printf 'prefix,description,rate\n44\0001,UK,0.005\n' >"$T/nuldeck.csv"
out=$(db rates import "$T/nuldeck.csv" --deck nul 2>&1); st=$?
expect_eq "deck with a NUL byte refused" "$st" "1"
expect_contains "NUL byte named with file and line" "$out" "$T/nuldeck.csv:2: field 1 holds a NUL byte"
printf 'prefix,rate\n1,0.0051\n' >"$T/deck2.csv"
out=$(db rates import "$T/deck2.csv" --deck std 2>&1)
expect_contains "changed rate without --effective refused" "$out" "--effective"

# ---- the DESIGN.md worked example ----------------------------------------
{
	echo "call_id,start,src,dst,billsec,disposition"
	i=0
	while [ $i -lt 100 ]; do
		printf 'w%03d,2026-11-02 10:%02d:00,15550001111,12065550100,9.1,ANSWERED\n' $i $((i % 60))
		i=$((i + 1))
	done
} >"$T/worked.csv"
db import cdr "$T/worked.csv" --account acme --format generic >/dev/null; ok "worked example import"
db balance acme --format json >"$T/b.json"; ok "balance json"
expect_eq "100 x 9.1 s at 0.005/min, 1/1, half-up: balance -0.0800 (not -0.0758)" \
	"$(json_get "$T/b.json" "d['balance'], d['breakdown']['calls'], d['status']")" "-0.0800 0.0800 suspended"
expect_eq "balance json keys" "$(json_get "$T/b.json" "sorted(k for k in d if k in ('account','balance','status','suspended_since','breakdown'))")" \
	"['account', 'balance', 'breakdown', 'status', 'suspended_since']"
out=$(db explain w000)
expect_contains "explain shows billsec rounding" "$out" "9.100 s -> billsec 10 s"
expect_contains "explain shows exact cost" "$out" "0.000833333"
expect_contains "explain shows the rounded cost" "$out" "cost        0.0008 USD"
expect_contains "explain names the rate row" "$out" "prefix 1 \"US\""

# re-import is a no-op
db import cdr "$T/worked.csv" --account acme --format generic >"$T/re.txt"; ok "re-import"
expect_contains "re-import adds nothing" "$(cat "$T/re.txt")" "0 stored"
expect_eq "re-import keeps the balance" "$(db balance acme --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["balance"])')" "-0.0800"

# ---- ledger and suspension -----------------------------------------------
expect_status "ledger add needs a memo" 2 db ledger add acme deposit 10
expect_status "negative deposit refused" 1 db ledger add acme deposit -5 --memo x
db ledger add acme deposit 10.00 --memo "top-up" --at "2026-11-03 00:00" >/dev/null; ok "ledger deposit"
db balance acme --format json >"$T/b.json"
expect_eq "deposit restores the account" "$(json_get "$T/b.json" "d['balance'], d['status'], d['suspended_since']")" "9.9200 active None"
db ledger add acme mrc 9.92 --memo "November MRC" --at "2026-11-03 01:00" >/dev/null
expect_eq "balance exactly zero stays active" "$(db balance acme --format json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["balance"], d["status"])')" "0.0000 active"
db ledger add acme nrc 0.0001 --memo "port" --at "2026-11-03 02:00" >/dev/null
db balance acme --format json >"$T/b.json"
expect_eq "one nano below zero suspends" "$(json_get "$T/b.json" "d['balance'], d['status'], d['suspended_since']")" "-0.0001 suspended 2026-11-03T02:00:00Z"
expect_eq "suspension history has both transitions" \
	"$(sqlite3 "$T/t.db" "select group_concat(event || '@' || cause_kind, ' ') from (select * from suspension order by at, id)")" \
	"suspended@cdr restored@ledger suspended@ledger"
db ledger add acme adjustment -1 --memo "goodwill reversal" >/dev/null; ok "signed adjustment"
expect_status "ledger entries cannot be updated" 19 sqlite3 "$T/t.db" "update ledger set amount = 0"
expect_status "ledger entries cannot be deleted" 19 sqlite3 "$T/t.db" "delete from ledger"
expect_status "read-only console cannot post" 1 "$B" --db "$T/t.db" --read-only ledger add acme deposit 1 --memo x
db ledger list acme --format csv >"$T/l.csv"; ok "ledger list csv"
expect_eq "ledger list rows" "$(wc -l <"$T/l.csv")" "5"

# ---- malformed input: all or nothing, or keep the rejects -----------------
cp "$T/worked.csv" "$T/bad.csv"
echo "b1,2026-11-02 11:00:00,1555,12065550100,12,ANSWERED" >>"$T/bad.csv"
echo "b2,2026-13-02 11:00:00,1555,12065550100,12,ANSWERED" >>"$T/bad.csv"
echo "b3,2026-11-02 11:00:00,1555,12065550100,1x2,ANSWERED" >>"$T/bad.csv"
before=$(sqlite3 "$T/t.db" "select count(*) from cdr")
out=$(db import cdr "$T/bad.csv" --account acme --format generic 2>&1); st=$?
expect_eq "bad row fails the import" "$st" "1"
expect_contains "bad time named by file and line" "$out" "$T/bad.csv:103:"
expect_eq "failed import changed nothing" "$(sqlite3 "$T/t.db" "select count(*) from cdr")" "$before"
db import cdr "$T/bad.csv" --account acme --format generic --keep-going >/dev/null 2>&1; st=$?
expect_eq "keep-going import: some rows rejected, exit 4" "$st" "4"
expect_eq "keep-going stored the good row" "$(sqlite3 "$T/t.db" "select count(*) from cdr")" "$((before + 1))"
out=$(db rejects)
expect_contains "rejects keep line 103" "$out" "bad.csv:103:"
expect_contains "rejects keep line 104" "$out" "bad.csv:104:"
# amounts one record may carry (cdr.h CDR_AMOUNT_MAX): two CNAM fees of
# 9223372036.854775807 overflowed the rollups (fuzz_import); a negative fee
# would have credited the account
printf 'call_id,start,dst,billsec,cnam_fee\nf1,2026-11-02 12:00:00,12065550100,9,9223372036.854775807\n' >"$T/fee.csv"
out=$(db import cdr "$T/fee.csv" --account acme 2>&1); st=$?
expect_eq "huge CNAM fee refused" "$st" "1"
expect_contains "huge CNAM fee named" "$out" "fee.csv:2: field 5 (cnam_fee): fee out of range"
printf 'call_id,start,dst,billsec,cnam_fee\nf2,2026-11-02 12:00:00,12065550100,9,-5\n' >"$T/fee.csv"
out=$(db import cdr "$T/fee.csv" --account acme 2>&1); st=$?
expect_eq "negative CNAM fee refused" "$st" "1"
expect_contains "negative CNAM fee named" "$out" "fee.csv:2: field 5 (cnam_fee): fee out of range"
printf '"a","b\n' >"$T/quote.csv"
out=$(db import cdr "$T/quote.csv" --account acme --format asterisk 2>&1); st=$?
expect_eq "unterminated quote refused" "$st" "1"
expect_contains "unterminated quote names line 1" "$out" "quote.csv:1:"

# ---- messaging records and local time zones --------------------------------
cat >"$T/mdr.csv" <<'CSV'
id,time,direction,from,to,type,segments,cost
m1,2026-11-04 09:00:00,outbound,12065550100,12065550199,sms,2,0.0080
m2,2026-11-04 09:01:00,outbound,12065550100,12065550199,mms,1,0.0150
m3,2026-11-04 09:02:00,inbound,12065550199,12065550100,sms,1,0.0040
CSV
db import mdr "$T/mdr.csv" --account acme >/dev/null; ok "mdr import"
db import mdr "$T/mdr.csv" --account acme >/dev/null; ok "mdr re-import"
expect_eq "messages stored once, cost exact" "$(sqlite3 "$T/t.db" "select count(*), sum(cost) from mdr")" "3|27000000"
printf 'id,time,from,to,cost\nm9,2026-11-04 09:00:00,1,2,0.1234567891\n' >"$T/mdr-bad.csv"
out=$(db import mdr "$T/mdr-bad.csv" --account acme 2>&1); st=$?
expect_eq "ten decimals refused" "$st" "1"
expect_contains "money with 10 decimals is an error naming the line" "$out" "mdr-bad.csv:2: bad cost"
printf 'call_id,start,src,dst,billsec\ntz1,2026-07-01 08:00:00,1,12065550100,5\n' >"$T/tz.csv"
db import cdr "$T/tz.csv" --account acme --format generic --tz America/New_York >/dev/null 2>&1; ok "--tz import"
expect_eq "local New York summer time stored as UTC" \
	"$(sqlite3 "$T/t.db" "select datetime(start, 'unixepoch') from cdr where record_id like 'generic:tz1/%'")" "2026-07-01 12:00:00"
expect_status "unknown zone refused" 1 db import cdr "$T/tz.csv" --account acme --format generic --tz Mars/Olympus

# ---- a bad row deep in a file larger than the reader's batches -------------
awk 'BEGIN { print "call_id,start,src,dst,billsec"
	for (i = 1; i <= 10000; i++)
		printf "big%05d,2026-11-05 %02d:%02d:%02d,1555,12065550100,%s\n", i, int(i / 3600) % 24, int(i / 60) % 60, i % 60, (i == 5000 ? "x" : "7") }' >"$T/big.csv"
db account add bulk >/dev/null
before=$(sqlite3 "$T/t.db" "select count(*) from cdr")
out=$(db import cdr "$T/big.csv" --account bulk --format generic 2>&1); st=$?
expect_eq "bad row at line 5001 fails the import" "$st" "1"
expect_contains "and is named" "$out" "big.csv:5001:"
expect_eq "nothing of the 10,000 rows went in" "$(sqlite3 "$T/t.db" "select count(*) from cdr")" "$before"
db import cdr "$T/big.csv" --account bulk --format generic --keep-going >/dev/null 2>&1; st=$?
expect_eq "big keep-going: one row rejected, exit 4" "$st" "4"
expect_eq "keep-going stores the 9,999 good rows" "$(sqlite3 "$T/t.db" "select count(*) from cdr")" "$((before + 9999))"

# ---- unknown accounts ------------------------------------------------------
printf 'call_id,start,src,dst,billsec,account\nu1,2026-11-02 10:00:00,1,12065550100,5,ghost\n' >"$T/ghost.csv"
out=$(db import cdr "$T/ghost.csv" --format generic 2>&1); st=$?
expect_eq "unknown account rejected" "$st" "1"
expect_contains "unknown account names the line" "$out" "ghost.csv:2: unknown account \"ghost\""
db import cdr "$T/ghost.csv" --format generic --create-accounts >/dev/null 2>&1; ok "--create-accounts"
db balance ghost --format json >"$T/g.json"
expect_eq "created account has an unrated call" "$(json_get "$T/g.json" "d['balance'], d['unrated_calls']")" "0.0000 1"
out=$(db cdrs ghost --unrated)
expect_contains "cdrs --unrated lists it" "$out" "unrated"

# ---- every real file imports, or is refused naming the line ---------------
"$B" --db "$T/r.db" init >/dev/null
"$B" --db "$T/r.db" account add pbx --decimals 8 >/dev/null
"$B" --db "$T/r.db" rates import "$T/deck.csv" --deck std >/dev/null
"$B" --db "$T/r.db" account set pbx --deck std >/dev/null
for f in "$REAL"/*.csv; do
	name=$(basename "$f")
	out=$("$B" --db "$T/r.db" import cdr "$f" --account pbx 2>&1); st=$?
	case "$name" in
	*unterminated*)
		expect_eq "$name refused" "$st" "1"
		expect_contains "$name: reason names line 1" "$out" "line 1" ;;
	*)
		expect_eq "$name imports" "$st" "0" ;;
	esac
done
# Flowroute: our rate x their billed_duration reproduces their cost_subtotal
"$B" --db "$T/r.db" cdrs pbx --format json >"$T/c.json"
expect_eq "multi-leg Asterisk calls billed once per call" \
	"$(sqlite3 "$T/r.db" "select count(*) from (select call_key from cdr where billed_leg=1 group by account_id, call_key having count(*) > 1)")" "0"
"$B" --db "$T/r.db" verify >/dev/null; ok "verify after real data"

# Flowroute: its own rate x billed_duration reproduces its cost_subtotal.
cat >"$T/fr-deck.csv" <<'CSV'
prefix,description,rate,first increment,increment
1877,US toll free,0.000000,6,6
1206338,Seattle (inbound DID),0.001500,6,6
1206992,Seattle,0.009800,6,6
CSV
"$B" --db "$T/fr.db" init >/dev/null
"$B" --db "$T/fr.db" account add fr --decimals 8 >/dev/null
"$B" --db "$T/fr.db" rates import "$T/fr-deck.csv" --deck fr >/dev/null
"$B" --db "$T/fr.db" account set fr --deck fr >/dev/null
"$B" --db "$T/fr.db" import cdr "$REAL/flowroute-cdr-export-sdk-sample.csv" --account fr >/dev/null 2>&1; ok "flowroute import"
expect_eq "flowroute: our billed seconds and cost equal its billed_duration and cost_subtotal" \
	"$(sqlite3 "$T/fr.db" "select group_concat(billed_secs || '=' || their_billed || ':' || cost, ' ') from (select * from cdr order by start)")" \
	"108=108:17640000 30=30:750000 42=42:0"
expect_eq "flowroute CNAM lookup fee kept per call" "$(sqlite3 "$T/fr.db" "select sum(cnam_cost) from cdr")" "3900000"

# ---- statement, usage, cdrs exports ---------------------------------------
db statement acme --month 2026-11 --format json >"$T/s.json" 2>/dev/null; ok "statement json"
expect_eq "statement opening/closing" "$(json_get "$T/s.json" "d['opening_balance'], d['closing_balance'], len(d['transactions'])")" \
	"-0.0004 -1.0285 4"
db statement acme --month 2026-11 -o "$T/s.txt" 2>/dev/null; ok "statement text to a file"
expect_contains "statement text has MRC line" "$(cat "$T/s.txt")" "November MRC"
# the current month is shown to date; late CDRs are warned of only for a
# period that ended less than 24 hours before (issue 10)
out=$(db statement acme --month 2026-11 2>&1)
expect_contains "current period: to date" "$out" "to date (as of 2026-11-20 12:00:00 UTC)"
case "$out" in *"late CDRs"*) false ;; *) true ;; esac; ok "no late-CDR warning for a period not ended"
out=$(db statement acme --month 2026-11 --as-of '2026-12-01 10:00' 2>&1 >/dev/null)
expect_contains "recent period warning" "$out" "late CDRs"
db usage acme --window month --format json >"$T/u.json"; ok "usage json"
expect_eq "usage month totals" "$(json_get "$T/u.json" "d['total']['calls'], d['total']['connected'], d['total']['cost']")" "101 101 0.0810"
db usage acme --window this-week --by weekday --format json >"$T/w.json"; ok "usage by weekday"
db usage acme --window month --by destination --format csv >"$T/d.csv"; ok "usage by destination"
expect_contains "destination breakout names the prefix" "$(cat "$T/d.csv")" "1 US"
db cdrs acme --format csv -o "$T/c.csv" 2>/dev/null; ok "cdrs csv export"
expect_eq "cdrs csv rows" "$(wc -l <"$T/c.csv")" "103"

# ---- formula cells are neutralised in CSV exports -------------------------
printf 'call_id,start,src,dst,billsec\nf1,2026-11-02 10:00:00,"=HYPERLINK(""x"")",12065550100,5\n' >"$T/f.csv"
db import cdr "$T/f.csv" --account acme --format generic >/dev/null 2>&1; ok "formula row imports"
expect_contains "formula neutralised" "$(db cdrs acme --format csv)" "\"'=HYPERLINK(\"\"x\"\")\""

# ---- verify catches tampering ---------------------------------------------
db verify >/dev/null; ok "verify clean"
sqlite3 "$T/t.db" "update rollup_hour set cost_calls = cost_calls + 1 where rowid in (select rowid from rollup_hour limit 1)" 2>/dev/null ||
	sqlite3 "$T/t.db" "update rollup_hour set cost_calls = cost_calls + 1 where hour = (select min(hour) from rollup_hour)"
expect_status "verify finds a tampered rollup" 1 db verify

# ---- help ------------------------------------------------------------------
"$B" help >/dev/null; ok "help"
out=$("$B" import --help)
expect_contains "command help" "$out" "--keep-going"
expect_status "unknown command" 2 "$B" frobnicate

echo "cli: $PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
