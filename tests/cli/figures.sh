#!/bin/sh
# figures.sh: figures that add up (issue 11). Percentages, minutes and ACD
# are rounded half-up, once, to the digit shown (1 of 6 answered is 16.7 %,
# never 16.6); a TOTAL is the exact sum rounded once, and when the rounded
# rows do not add up to it a note says what they add up to; CSV carries the
# exact values beside the rounded ones; "CALLS COST" says what it holds.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
B=${BILLTOP:-$HERE/../../billtop}
T=$(mktemp -d "${TMPDIR:-/tmp}/billtop-figures.XXXXXX")
trap 'rm -rf "$T"' EXIT
export BILLTOP_NOW="2026-12-02 12:30:00"
unset BILLTOP_DB
db() { "$B" --db "$T/t.db" "$@"; }
# row LABEL: the usage text line that starts with LABEL, blanks squeezed
row() { printf '%s\n' "$out" | grep "^$1" | tr -s ' '; }

cat >"$T/deck.csv" <<'CSV'
prefix,description,rate,first increment,increment
1,US,0.60,1,1
CSV
# 08:00 one call of 37 s (0.6167 min); 09:00 10 s + 11 s (ACD 10.5 s);
# 10:00 six calls, one answered (1 of 6); 11:00 and 12:00 one second each
cat >"$T/cdr.csv" <<'CSV'
call_id,start,src,dst,billsec,disposition
a1,2026-12-02 08:10:00,15550001111,12065550100,37,ANSWERED
b1,2026-12-02 09:10:00,15550001111,12065550100,10,ANSWERED
b2,2026-12-02 09:20:00,15550001111,12065550100,11,ANSWERED
c1,2026-12-02 10:01:00,15550001111,12065550100,1,ANSWERED
c2,2026-12-02 10:02:00,15550001111,12065550100,0,NO ANSWER
c3,2026-12-02 10:03:00,15550001111,12065550100,0,NO ANSWER
c4,2026-12-02 10:04:00,15550001111,12065550100,0,NO ANSWER
c5,2026-12-02 10:05:00,15550001111,12065550100,0,BUSY
c6,2026-12-02 10:06:00,15550001111,12065550100,0,FAILED
d1,2026-12-02 11:10:00,15550001111,12065550100,1,ANSWERED
e1,2026-12-02 12:10:00,15550001111,12065550100,1,ANSWERED
CSV
db init >/dev/null; ok "init"
db rates import "$T/deck.csv" --deck us >/dev/null; ok "deck"
db account add acme >/dev/null && db account set acme --deck us >/dev/null; ok "account"
db ledger add acme deposit 5 --memo open --at '2026-12-01 00:00' >/dev/null; ok "deposit"
db import cdr "$T/cdr.csv" --account acme --format generic >/dev/null 2>&1; ok "import"

# ---- rounded half-up, once ------------------------------------------------------
out=$(db usage acme)
expect_eq "1 of 6 answered is 16.7 %, not 16.6" "$(row '2026-12-02 10:00')" \
	"2026-12-02 10:00 6 1 16.7% 0:01 0.02 0.0100"
expect_eq "ACD of 10 s and 11 s is 0:11 (10.5 s rounded), minutes 0.35" "$(row '2026-12-02 09:00')" \
	"2026-12-02 09:00 2 2 100.0% 0:11 0.35 0.2100"
expect_eq "37 s is 0.62 min (0.6167 rounded, not cut to 0.61)" "$(row '2026-12-02 08:00')" \
	"2026-12-02 08:00 1 1 100.0% 0:37 0.62 0.3700"
expect_eq "1 s is 0.02 min" "$(row '2026-12-02 12:00')" "2026-12-02 12:00 1 1 100.0% 0:01 0.02 0.0100"

# ---- the totals rule ----------------------------------------------------------------
expect_eq "TOTAL: the exact 61 s rounded once is 1.02 min; 6 of 11 is 54.5 %" "$(row TOTAL)" \
	"TOTAL 11 6 54.5% 0:10 1.02 0.6100"
expect_contains "the rows add up to 1.03: a note says so" "$out" \
	"note: rows are rounded one by one, TOTAL once from the exact sum: the MINUTES rows add up to 1.03"
out=$(db usage acme --window 3d)
case "$out" in *"note: rows"*) false ;; *) true ;; esac
ok "no note when the rows add up (3 days by day: one day holds every call)"

# ---- one meaning per label -------------------------------------------------------------
out=$(db usage acme)
expect_contains "the usage column says it is the calls' cost" "$(printf '%s\n' "$out" | sed -n 2p)" "MINUTES   CALLS COST"

# ---- the statement's billed minutes ---------------------------------------------------
out=$(db statement acme --month 2026-12 2>/dev/null)
expect_contains "61 billed seconds are 1.02 min (cut said 1.01)" "$out" "Calls: 11 (6 connected), 1.02 min billed"

# ---- CSV: the exact values beside the rounded ones ---------------------------------
db usage acme --format csv | tr -d '\r' >"$T/u.csv"; ok "usage csv (RFC 4180 CRLF dropped to compare)"
expect_eq "csv header: calls_cost and the exact billsec" "$(head -1 "$T/u.csv")" \
	'"bucket","calls","connected","asr_pct","acd_s","minutes","billed_seconds","calls_cost","billsec"'
expect_eq "csv 10:00 row: 16.7, the exact 1.000 s" "$(grep '10:00' "$T/u.csv")" \
	'"2026-12-02 10:00",6,1,"16.7",1,"0.02",1,0.0100,"1.000"'
expect_eq "csv total: exact seconds and money" "$(grep '^"total"' "$T/u.csv")" \
	'"total",11,6,"54.5",10,"1.02",61,0.6100,"61.000"'
expect_eq "csv: the exact billsec of the rows sums to the total's" \
	"$(python3 -c "import csv,sys; r=list(csv.DictReader(open(sys.argv[1]))); print(sum(float(x['billsec']) for x in r[:-1]) == float(r[-1]['billsec']))" "$T/u.csv")" "True"
db usage acme --format json >"$T/u.json"; ok "usage json"
expect_eq "json keeps the exact integers" "$(json_get "$T/u.json" "d['total']['billsec_ms'], d['total']['connected'], d['total']['calls']")" \
	"61000 6 11"

# ---- nothing cut without a sign in the text forms ------------------------------------
MEMO="opening deposit by wire transfer, bank reference ACME-2026-11-15-0001"
db ledger add acme nrc 1 --memo "$MEMO" --at '2026-12-01 09:00' >/dev/null; ok "a long memo"
out=$(db statement acme --month 2026-12 2>/dev/null)
expect_contains "a memo wider than its column goes on under it, whole" "$out" \
"2026-12-01 09:00:00  nrc         opening deposit by wire          -1.0000
                                 transfer, bank reference
                                 ACME-2026-11-15-0001"
printf 'call_id,start,src,dst,billsec,disposition\nz1,2026-12-02 12:20:00,15550001111,12065550100,1,ANSWERED-BY-A-MACHINE\n' >"$T/z.csv"
db import cdr "$T/z.csv" --account acme --format generic >/dev/null 2>&1; ok "a long disposition"
expect_contains "cdrs: a field wider than its column ends with ~" "$(db cdrs acme --limit 1)" " ANSWERED-B~ "
expect_contains "and the CSV has it whole" "$(db cdrs acme --limit 1 --format csv)" "ANSWERED-BY-A-MACHINE"

echo "figures: $PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
