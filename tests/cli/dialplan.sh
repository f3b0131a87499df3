#!/bin/sh
# dialplan.sh: dial plans (issue 9). On an A-Z deck, the PBX extension 500
# rated as the Falkland Islands and national numbers rated on whatever
# foreign prefix they start with (2079460000 as Egypt, 20). An account with
# --country 44 normalises every destination to E.164 first: extensions and
# feature codes are internal (never charged, never unrated), invalid numbers
# unrated with the reason. An account without a plan keeps today's results.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
B=${BILLTOP:-$HERE/../../billtop}
T=$(mktemp -d "${TMPDIR:-/tmp}/billtop-dialplan.XXXXXX")
trap 'rm -rf "$T"' EXIT
export BILLTOP_NOW="2026-11-20 12:00:00"
unset BILLTOP_DB
db() { "$B" --db "$T/t.db" "$@"; }
q() { sqlite3 "$T/t.db" "$1"; }

db init >/dev/null; ok "init"
cat >"$T/az.csv" <<'CSV'
prefix,description,rate,first increment,increment
1,USA,0.0100,60,60
20,Egypt,0.1500,60,60
44,United Kingdom,0.0200,60,60
4420,UK London,0.0150,60,60
447,UK Mobile,0.0500,60,60
500,Falkland Islands,1.1900,60,60
CSV
db rates import "$T/az.csv" --deck az >/dev/null; ok "A-Z deck"

# ---- account options --------------------------------------------------------
db account add uk --country 44 >"$T/add.txt"; ok "account add --country 44"
expect_contains "add shows the plan" "$(cat "$T/add.txt")" "dial plan: +44 (United Kingdom), trunk 0, international 00, national numbers 9-10 digits"
db account add old >/dev/null; ok "account without a plan"
db account set uk --deck az >/dev/null && db account set old --deck az >/dev/null; ok "decks"
out=$(db account add x --country 0 2>&1); st=$?
expect_eq "bad country refused" "$st" "1"
expect_contains "and says why" "$out" "country calling code \"0\""
out=$(db account add x --country 263 2>&1); st=$?
expect_eq "a code outside the table needs the prefixes" "$st" "1"
expect_contains "and says so" "$out" "give --national-prefix and --intl-prefix"
db account add zw --country 263 --national-prefix 0 --intl-prefix 00 >/dev/null; ok "custom plan with both prefixes"
expect_status "--intl-prefix without --country" 2 db account add y --intl-prefix 00
db account add ru --country 7 >/dev/null; ok "account add --country 7"
db account set ru --intl-prefix 00 >/dev/null; ok "account set --intl-prefix alone"
db account set ru --national-prefix none >/dev/null; ok "account set --national-prefix none"
db account list --format json >"$T/al.json"; ok "account list json"
expect_eq "list json: the plan" "$(json_get "$T/al.json" "tuple([a['dial_plan'] and (a['name'], a['dial_plan']['country'], a['dial_plan']['national_prefix'], ','.join(a['dial_plan']['intl_prefixes'])) for a in d if a['name'] in ('ru', 'uk')])")" \
	"('ru', '7', '', '00') ('uk', '44', '0', '00')"
expect_eq "list json: no plan is null" "$(json_get "$T/al.json" "[a['dial_plan'] for a in d if a['name'] == 'old'][0]")" "None"
expect_contains "list text shows the plan" "$(db account list)" "44/0/00"
db account set ru --country none >/dev/null; ok "account set --country none"
expect_eq "plan removed" "$(q "select dial_cc is null from account where name = 'ru'")" "1"

# ---- one day of calls, both accounts ---------------------------------------
cdrs() {   # cdrs PREFIX: the same destinations, ids PREFIX1..
	echo "call_id,start,src,dst,billsec,disposition"
	echo "${1}1,2026-11-02 10:00:00,201,500,60,ANSWERED"
	echo "${1}2,2026-11-02 10:01:00,201,02079460000,60,ANSWERED"
	echo "${1}3,2026-11-02 10:02:00,201,00442079460000,60,ANSWERED"
	echo "${1}4,2026-11-02 10:03:00,201,+44 20 7946 0000,60,ANSWERED"
	echo "${1}5,2026-11-02 10:04:00,201,2079460000,60,ANSWERED"
	echo "${1}6,2026-11-02 10:05:00,201,01234,60,ANSWERED"
	echo "${1}7,2026-11-02 10:06:00,201,*97,60,ANSWERED"
	echo "${1}8,2026-11-02 10:07:00,201,999,60,ANSWERED"
	echo "${1}9,2026-11-02 10:08:00,201,sip:07700900123@pbx;user=phone,60,ANSWERED"
	echo "${1}10,2026-11-02 10:09:00,201,500,0,NO ANSWER"
}
cdrs u >"$T/u.csv"
cdrs o >"$T/o.csv"
db import cdr "$T/u.csv" --account uk --format generic >"$T/imp.txt" 2>"$T/imp.err"; ok "import with a plan"
expect_contains "summary counts internal calls apart" "$(cat "$T/imp.txt")" "2 internal calls"
expect_contains "summary: one unrated" "$(cat "$T/imp.txt")" "1 unrated"
db import cdr "$T/o.csv" --account old --format generic >/dev/null 2>&1; ok "import without a plan"

st() { q "select state || ' ' || coalesce(prefix, '-') || ' ' || cost from cdr where record_id like 'generic:$1/%'"; }
expect_eq "500 is internal, charged 0" "$(st u1)" "5 - 0"
expect_eq "02079460000 rates on 4420 (not unrated, not 20)" "$(st u2)" "0 4420 15000000"
expect_eq "00442079460000 the same" "$(st u3)" "0 4420 15000000"
expect_eq "+44 20 7946 0000 the same" "$(st u4)" "0 4420 15000000"
expect_eq "2079460000 is London, not Egypt" "$(st u5)" "0 4420 15000000"
expect_eq "01234: unrated" "$(st u6)" "1 - 0"
expect_eq "01234: with the reason" "$(q "select unrated_reason from cdr where record_id like 'generic:u6/%'")" \
	"invalid number: trunk 0, then 4 digits: national numbers of United Kingdom have 9 to 10"
expect_eq "*97 is internal" "$(st u7)" "5 - 0"
expect_eq "999 is emergency" "$(st u8)" "4 - 0"
expect_eq "a SIP URI to a UK mobile rates on 447" "$(st u9)" "0 447 50000000"
expect_eq "unanswered 500 stays not connected" "$(st u10)" "2 - 0"
expect_eq "the plan is kept on each call" "$(q "select count(*) from cdr where dialplan = '44/0/00'")" "10"

# without a plan: today's results, byte for byte
expect_eq "no plan: 500 rates as the Falklands" "$(st o1)" "0 500 1190000000"
expect_eq "no plan: 02079460000 unrated" "$(st o2)" "1 - 0"
expect_eq "no plan: 00442079460000 on 4420" "$(st o3)" "0 4420 15000000"
expect_eq "no plan: 2079460000 as Egypt" "$(st o5)" "0 20 150000000"
expect_eq "no plan: *97 read as 97, unrated" "$(st o7)" "1 - 0"
expect_eq "no plan: no dial plan kept" "$(q "select count(*) from cdr where dialplan is not null and account_id = (select id from account where name = 'old')")" "0"

# ---- balance, cdrs ----------------------------------------------------------
db balance uk --format json >"$T/b.json"; ok "balance json"
expect_eq "balance: 1 unrated, 2 internal, charges 4 x 0.015 + 0.05" \
	"$(json_get "$T/b.json" "d['unrated_calls'], d['internal_calls'], d['breakdown']['calls']")" "1 2 0.1100"
out=$(db balance uk)
expect_contains "balance text: the unrated warning counts only the invalid number" "$out" "warning: 1 connected calls are unrated"
expect_contains "balance text: internal calls counted apart" "$out" "2 internal calls"
out=$(db cdrs uk --unrated)
expect_contains "cdrs --unrated shows the reason" "$out" "unrated: invalid number: trunk 0, then 4 digits"
expect_eq "cdrs --internal lists the two" "$(db cdrs uk --internal --format json | python3 -c 'import json,sys; print(sorted(c["dst"] for c in json.load(sys.stdin)))')" "['*97', '500']"
expect_eq "cdrs json: the reason" "$(db cdrs uk --unrated --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["unrated_reason"][:22])')" "invalid number: trunk "

# ---- explain ----------------------------------------------------------------
out=$(db explain u2)
expect_contains "explain: the normalisation" "$out" "number      02079460000 -> trunk 0 dropped, country 44 added -> 442079460000"
expect_contains "explain: the plan" "$out" "dial plan   +44 (United Kingdom)"
expect_contains "explain: internal" "$(db explain u1)" "500 -> 3 digits without '+': extension or short code -> internal"
expect_contains "explain: the reason of an unrated call" "$(db explain u6)" "unrated     invalid number: trunk 0, then 4 digits"
expect_contains "explain without a plan" "$(db explain o1)" "number      500 -> no dial plan: digits only"
db explain u4 --format json >"$T/e.json"; ok "explain json"
expect_eq "explain json: the number" "$(json_get "$T/e.json" "d['number']['dial_plan'], d['number']['class'], d['number']['e164']")" "44/0/00 external 442079460000"

# ---- a later change of plan does not rewrite history; verify ----------------
db account set uk --country 1 >/dev/null; ok "plan changed after the import"
db verify >"$T/v.txt"; ok "verify passes (calls keep the plan they were rated with)"
cp "$T/t.db" "$T/t2.db"
sqlite3 "$T/t.db" "DROP TRIGGER cdr_charge_immutable; UPDATE cdr SET state = 1 WHERE record_id like 'generic:u1/%';
	UPDATE rollup_hour SET internal = internal - 1, unrated = unrated + 1"
out=$(db verify); st=$?
expect_eq "verify fails on a tampered state" "$st" "1"
expect_contains "and names the call and the plan" "$out" "to 500: stored unrated, the dial plan 44/0/00 gives internal"
sqlite3 "$T/t2.db" "DROP TRIGGER cdr_charge_immutable; UPDATE cdr SET unrated_reason = 'no rate deck' WHERE record_id like 'generic:u6/%'"
out=$("$B" --db "$T/t2.db" verify); st=$?
expect_eq "verify fails on a tampered reason" "$st" "1"
expect_contains "and says which" "$out" "to 01234: unrated for \"no rate deck\""
cp "$T/t2.db" "$T/t3.db"
sqlite3 "$T/t3.db" "CREATE TRIGGER cdr_charge_immutable BEFORE UPDATE OF account_id, record_id, start,
  billsec_ms, state, rate_id, billed_secs, cost, cnam_cost, dialplan, unrated_reason ON cdr
  BEGIN SELECT RAISE(ABORT, 'rated call records are append-only'); END;"
pg_skip "the test writes the trigger in SQLite's syntax" || expect_status "an unrated reason cannot be rewritten" 19 sqlite3 "$T/t3.db" "UPDATE cdr SET unrated_reason = 'x' WHERE record_id like 'generic:u6/%'"
pg_skip "the test writes the trigger in SQLite's syntax" || expect_status "nor a plan" 19 sqlite3 "$T/t3.db" "UPDATE cdr SET dialplan = NULL WHERE record_id like 'generic:u6/%'"

echo "dialplan: $PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
