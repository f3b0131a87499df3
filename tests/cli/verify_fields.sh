#!/bin/sh
# verify_fields.sh: `billtop verify` re-derives every derived field (issue 10).
#
# First an end to end run with emergency calls: an account suspended by its
# calls (balance below zero), an Asterisk cdr_csv file (the 21-column layout
# of tests/realdata/asterisk-cdr_csv-21col-multileg.csv: peeraccount,
# linkedid, sequence) with 911 and 112 calls, a second leg of a 911 call,
# ordinary calls during and outside the suspension, a call that did not
# connect; then a late file (calls dated inside the suspension, imported
# after the account was restored) and a UK account with a dial plan (999,
# 112, an extension). Emergency calls are never charged and never flagged as
# made while suspended; ordinary calls during the suspension are; verify is
# clean. Then one tampering per derived field, each expecting verify to exit
# 1 and name the record or cell and the field.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
B=${BILLTOP:-$HERE/../../billtop}
T=$(mktemp -d "${TMPDIR:-/tmp}/billtop-vfields.XXXXXX")
trap 'rm -rf "$T"' EXIT
export BILLTOP_NOW="2026-11-20 12:00:00"
unset BILLTOP_DB
db() { "$B" --db "$T/t.db" "$@"; }
q() { sqlite3 "$T/t.db" "$1"; }
flag() { q "SELECT suspended FROM cdr WHERE record_id = 'asterisk:$1'"; }

db init >/dev/null; ok "init"
cat >"$T/us.csv" <<'CSV'
prefix,description,rate,first increment,increment
1206,US Seattle,0.5000,60,60
44,United Kingdom,0.5000,60,60
CSV
db rates import "$T/us.csv" --deck us >/dev/null; ok "deck"
db account add acme >/dev/null && db account set acme --deck us >/dev/null; ok "account acme"
db ledger add acme deposit 1.00 --at "2026-11-01 00:00" --memo opening >/dev/null; ok "opening deposit 1.00"

# 10:00 3 min at 0.50 -> balance -0.50: suspended by this call (not flagged:
# it started while active). 11:00 911, 11:05 its second leg (same linkedid,
# also to 911), 11:30 112, all during the suspension: never charged, never
# flagged, nor at 11:06 the transfer of that 911 call to a ten-digit number
# (a third leg, same linkedid: part of an emergency call whatever its own
# number). 12:00 an ordinary call: flagged. 12:30 no answer: not flagged.
# 2026-11-03 00:00 a deposit restores; 09:00 911 and 10:00 an ordinary call
# after it: neither flagged.
cat >"$T/calls.csv" <<'EOF'
"acme","2125550100","12065550100","from-internal","""Acme"" <2125550100>","SIP/acme-00000001","SIP/trunk-00000002","Dial","SIP/trunk/12065550100,60","2026-11-02 10:00:00","2026-11-02 10:00:05","2026-11-02 10:03:05",185,180,"ANSWERED","DOCUMENTATION","1793613600.1","","","1793613600.1",1
"acme","2125550100","911","from-internal","""Acme"" <2125550100>","SIP/acme-00000003","SIP/trunk-00000004","Dial","SIP/trunk/911,60","2026-11-02 11:00:00","2026-11-02 11:00:02","2026-11-02 11:05:02",302,300,"ANSWERED","DOCUMENTATION","1793617200.3","","","1793617200.3",3
"acme","2125550100","911","from-internal","""Acme"" <2125550100>","SIP/acme-00000003","SIP/psap2-00000005","Dial","SIP/psap2/911,60","2026-11-02 11:05:02","2026-11-02 11:05:03","2026-11-02 11:06:03",61,60,"ANSWERED","DOCUMENTATION","1793617502.5","","","1793617200.3",5
"acme","2125550100","12065550199","from-internal","""Acme"" <2125550100>","SIP/acme-00000016","SIP/trunk-00000020","Dial","SIP/trunk/12065550199,60","2026-11-02 11:06:03","2026-11-02 11:06:04","2026-11-02 11:07:04",61,60,"ANSWERED","DOCUMENTATION","1793617563.20","","","1793617200.3",20
"acme","2125550100","112","from-internal","""Acme"" <2125550100>","SIP/acme-00000006","SIP/trunk-00000007","Dial","SIP/trunk/112,60","2026-11-02 11:30:00","2026-11-02 11:30:01","2026-11-02 11:31:01",61,60,"ANSWERED","DOCUMENTATION","1793619000.6","","","1793619000.6",6
"acme","2125550100","12065550101","from-internal","""Acme"" <2125550100>","SIP/acme-00000008","SIP/trunk-00000009","Dial","SIP/trunk/12065550101,60","2026-11-02 12:00:00","2026-11-02 12:00:03","2026-11-02 12:02:03",123,120,"ANSWERED","DOCUMENTATION","1793620800.8","","","1793620800.8",8
"acme","2125550100","12065550102","from-internal","""Acme"" <2125550100>","SIP/acme-00000010","SIP/trunk-00000011","Dial","SIP/trunk/12065550102,60","2026-11-02 12:30:00","","2026-11-02 12:30:30",30,0,"NO ANSWER","DOCUMENTATION","1793622600.10","","","1793622600.10",10
"acme","2125550100","911","from-internal","""Acme"" <2125550100>","SIP/acme-00000012","SIP/trunk-00000013","Dial","SIP/trunk/911,60","2026-11-03 09:00:00","2026-11-03 09:00:01","2026-11-03 09:02:01",121,120,"ANSWERED","DOCUMENTATION","1793696400.12","","","1793696400.12",12
"acme","2125550100","12065550103","from-internal","""Acme"" <2125550100>","SIP/acme-00000014","SIP/trunk-00000015","Dial","SIP/trunk/12065550103,60","2026-11-03 10:00:00","2026-11-03 10:00:02","2026-11-03 10:01:02",62,60,"ANSWERED","DOCUMENTATION","1793700000.14","","","1793700000.14",14
EOF
out=$(db import cdr "$T/calls.csv" --format asterisk); ok "import the Asterisk file"
expect_contains "three emergency calls, one extra leg" "$out" "3 rated, 0 unrated, 1 not connected, 2 extra legs, 3 emergency"
db ledger add acme deposit 10 --at "2026-11-03 00:00" --memo "top-up" >/dev/null; ok "deposit 10 restores"
expect_eq "suspension history" "$(q "SELECT group_concat(event || ' ' || datetime(at, 'unixepoch') || ' ' || cause_kind || ' ' || cause_id, '; ') FROM suspension")" \
	"suspended 2026-11-02 10:00:00 cdr 1; restored 2026-11-03 00:00:00 ledger 2"
expect_eq "emergency calls never charged" "$(q "SELECT COUNT(*), SUM(cost + cnam_cost), SUM(billed_secs) FROM cdr WHERE dst IN ('911', '112')")" "4|0|0"
expect_eq "911 during the suspension: not flagged" "$(flag 1793617200.3/3)" "0"
expect_eq "its second leg: not flagged" "$(flag 1793617502.5/5)" "0"
expect_eq "its transfer to a number: not flagged" "$(flag 1793617563.20/20)" "0"
expect_eq "112 during the suspension: not flagged" "$(flag 1793619000.6/6)" "0"
expect_eq "911 after the restore: not flagged" "$(flag 1793696400.12/12)" "0"
expect_eq "the call that suspended: not flagged" "$(flag 1793613600.1/1)" "0"
expect_eq "an ordinary call during the suspension: flagged" "$(flag 1793620800.8/8)" "1"
expect_eq "no answer during the suspension: not flagged" "$(flag 1793622600.10/10)" "0"
expect_eq "an ordinary call after the restore: not flagged" "$(flag 1793700000.14/14)" "0"
expect_contains "balance" "$(db balance acme)" "8.0000"
db verify >"$T/v.txt"; ok "verify clean after the import"

# A late file: calls of 2026-11-02 imported after the restore (the walk goes
# back over the suspension): the 911 is not flagged, the ordinary call is.
cat >"$T/late.csv" <<'EOF'
"acme","2125550100","911","from-internal","""Acme"" <2125550100>","SIP/acme-00000016","SIP/trunk-00000017","Dial","SIP/trunk/911,60","2026-11-02 13:00:00","2026-11-02 13:00:01","2026-11-02 13:03:01",181,180,"ANSWERED","DOCUMENTATION","1793624400.16","","","1793624400.16",16
"acme","2125550100","12065550104","from-internal","""Acme"" <2125550100>","SIP/acme-00000018","SIP/trunk-00000019","Dial","SIP/trunk/12065550104,60","2026-11-02 13:30:00","2026-11-02 13:30:01","2026-11-02 13:31:01",61,60,"ANSWERED","DOCUMENTATION","1793626200.18","","","1793626200.18",18
EOF
db import cdr "$T/late.csv" --format asterisk >/dev/null; ok "late file"
expect_eq "late 911: not flagged" "$(flag 1793624400.16/16)" "0"
expect_eq "late ordinary call: flagged" "$(flag 1793626200.18/18)" "1"
expect_eq "late 911: not charged" "$(q "SELECT cost FROM cdr WHERE record_id = 'asterisk:1793624400.16/16'")" "0"
# A ledger entry dated inside the suspension makes the walk go over it again
# (walk.c): the second leg of the 911 call must stay unflagged.
db ledger add acme adjustment 0.01 --at "2026-11-02 00:00" --memo "late credit" >/dev/null; ok "late ledger entry"
expect_eq "911 leg still not flagged after the walk went back" "$(flag 1793617502.5/5)" "0"
expect_eq "nor any emergency call" "$(q "SELECT COUNT(*) FROM cdr WHERE dst IN ('911', '112') AND suspended != 0")" "0"
db verify >"$T/v.txt"; ok "verify clean after the late records"
# A walk that goes back over a wrongly flagged emergency call clears it.
cp "$T/t.db" "$T/w.db"
sqlite3 "$T/w.db" "UPDATE cdr SET suspended = 1 WHERE record_id = 'asterisk:1793617200.3/3'"
"$B" --db "$T/w.db" ledger add acme adjustment 0.01 --at "2026-11-02 00:00" --memo "late credit" --ref again >/dev/null; ok "another late entry"
expect_eq "the walk cleared the wrong flag of the 911 call" "$(sqlite3 "$T/w.db" "SELECT suspended FROM cdr WHERE record_id = 'asterisk:1793617200.3/3'")" "0"
"$B" --db "$T/w.db" verify >/dev/null; ok "verify clean after the walk's repair"

# A UK account with a dial plan: 999 and 112 are emergency, 201 an extension
# (internal): none flagged while suspended; an ordinary call is.
db account add uk --country 44 >/dev/null && db account set uk --deck us >/dev/null; ok "account uk (dial plan +44)"
cat >"$T/uk.csv" <<'EOF'
"uk","02079460001","02079460000","from-internal","""UK"" <02079460001>","SIP/uk-00000001","SIP/trunk-00000002","Dial","SIP/trunk/02079460000,60","2026-11-05 10:00:00","2026-11-05 10:00:01","2026-11-05 10:02:01",121,120,"ANSWERED","DOCUMENTATION","1793872800.1","","","1793872800.1",1
"uk","02079460001","999","from-internal","""UK"" <02079460001>","SIP/uk-00000003","SIP/trunk-00000004","Dial","SIP/trunk/999,60","2026-11-05 10:10:00","2026-11-05 10:10:01","2026-11-05 10:12:01",121,120,"ANSWERED","DOCUMENTATION","1793873400.3","","","1793873400.3",3
"uk","02079460001","112","from-internal","""UK"" <02079460001>","SIP/uk-00000005","SIP/trunk-00000006","Dial","SIP/trunk/112,60","2026-11-05 10:20:00","2026-11-05 10:20:01","2026-11-05 10:21:01",61,60,"ANSWERED","DOCUMENTATION","1793874000.5","","","1793874000.5",5
"uk","02079460001","201","from-internal","""UK"" <02079460001>","SIP/uk-00000007","SIP/201-00000008","Dial","SIP/201,60","2026-11-05 10:30:00","2026-11-05 10:30:01","2026-11-05 10:31:01",61,60,"ANSWERED","DOCUMENTATION","1793874600.7","","","1793874600.7",7
"uk","02079460001","02079460002","from-internal","""UK"" <02079460001>","SIP/uk-00000009","SIP/trunk-00000010","Dial","SIP/trunk/02079460002,60","2026-11-05 10:40:00","2026-11-05 10:40:01","2026-11-05 10:41:01",61,60,"ANSWERED","DOCUMENTATION","1793875200.9","","","1793875200.9",9
EOF
db import cdr "$T/uk.csv" --format asterisk >/dev/null; ok "UK file"
expect_eq "uk: states" "$(q "SELECT group_concat(state, '') FROM (SELECT state FROM cdr c JOIN account a ON a.id = c.account_id WHERE a.name = 'uk' ORDER BY start)")" "04450"
expect_eq "uk: flags (999, 112, extension not flagged)" "$(q "SELECT group_concat(suspended, '') FROM (SELECT suspended FROM cdr c JOIN account a ON a.id = c.account_id WHERE a.name = 'uk' ORDER BY start)")" "00001"
expect_eq "uk: emergency and internal not charged" "$(q "SELECT SUM(cost) FROM cdr WHERE dst IN ('999', '112', '201')")" "0"
db verify >"$T/v.txt"; ok "verify clean with the dial plan account"
printf 'id,time,direction,from,to,type,segments,cost,account\nm1,2026-11-02 12:10:00,outbound,2125550100,12065550100,sms,1,0.01,acme\nm2,2026-11-04 12:00:00,inbound,12065550100,2125550100,mms,2,0.02,acme\n' >"$T/m.csv"
db import mdr "$T/m.csv" >/dev/null; ok "messages"
expect_eq "message during the suspension flagged, after not" "$(q "SELECT group_concat(suspended, '') FROM (SELECT suspended FROM mdr ORDER BY at)")" "10"
db verify >"$T/v.txt"; ok "verify clean with messages"

# ---- one tampering per derived field --------------------------------------
# tamper NAME SQL NEEDLE: on a copy, run SQL (the append-only triggers
# dropped), expect verify to exit 1 and print NEEDLE.
N=0
tamper() {
	N=$((N + 1))
	cp "$T/t.db" "$T/x$N.db"
	sqlite3 "$T/x$N.db" "DROP TRIGGER IF EXISTS cdr_charge_immutable; DROP TRIGGER IF EXISTS cdr_no_delete;
		DROP TRIGGER IF EXISTS mdr_no_delete; $2" || { FAIL=$((FAIL + 1)); echo "FAIL: $1: SQL" >&2; return; }
	out=$("$B" --db "$T/x$N.db" verify); st=$?
	expect_eq "$1: verify exit status" "$st" "1"
	expect_contains "$1: named" "$out" "$3"
}
cdr() { echo "(SELECT id FROM cdr WHERE record_id = 'asterisk:$1')"; }

# The suspended flag of calls and messages, both ways.
tamper "911 flagged" "UPDATE cdr SET suspended = 1 WHERE id = $(cdr 1793617200.3/3)" \
	"call asterisk:1793617200.3/3: flagged as made while suspended, but it is an emergency call (never suspended)"
tamper "911 leg flagged" "UPDATE cdr SET suspended = 1 WHERE id = $(cdr 1793617502.5/5)" \
	"call asterisk:1793617502.5/5: flagged as made while suspended, but it is a leg of an emergency call (never suspended)"
tamper "late 911 flagged" "UPDATE cdr SET suspended = 1 WHERE id = $(cdr 1793624400.16/16)" \
	"call asterisk:1793624400.16/16: flagged as made while suspended, but it is an emergency call"
tamper "internal call flagged" "UPDATE cdr SET suspended = 1 WHERE id = $(cdr 1793874600.7/7)" \
	"call asterisk:1793874600.7/7: flagged as made while suspended, but it is an internal call (never suspended)"
tamper "not connected call flagged" "UPDATE cdr SET suspended = 1 WHERE id = $(cdr 1793622600.10/10)" \
	"call asterisk:1793622600.10/10: flagged as made while suspended, but it did not connect"
tamper "call outside the suspension flagged" "UPDATE cdr SET suspended = 1 WHERE id = $(cdr 1793700000.14/14)" \
	"call asterisk:1793700000.14/14: flagged as made while suspended, but account acme was active then (since 2026-11-03 00:00:00)"
tamper "call before any suspension flagged" "UPDATE cdr SET suspended = 1 WHERE id = $(cdr 1793613600.1/1)" \
	"call asterisk:1793613600.1/1: flagged as made while suspended, but account acme was never suspended before it"
tamper "flag missing" "UPDATE cdr SET suspended = 0 WHERE id = $(cdr 1793620800.8/8)" \
	"call asterisk:1793620800.8/8: not flagged as made while suspended, but account acme was suspended (since 2026-11-02 10:00:00)"
tamper "flag not 0 or 1" "UPDATE cdr SET suspended = 2 WHERE id = $(cdr 1793620800.8/8)" \
	"call asterisk:1793620800.8/8: suspended flag is 2, not 0 or 1"
tamper "message flag missing" "UPDATE mdr SET suspended = 0 WHERE record_id = 'mdr:m1'" \
	"message mdr:m1: not flagged as made while suspended"
tamper "message flagged outside" "UPDATE mdr SET suspended = 1 WHERE record_id = 'mdr:m2'" \
	"message mdr:m2: flagged as made while suspended, but account acme was active then"

# Every column of every rollup table.
for c in calls connected duration_ms billsec_ms billed_secs unrated cost_calls cost_cnam cnam_lookups msgs msg_segments cost_msg internal; do
	tamper "rollup_hour.$c" "UPDATE rollup_hour SET $c = $c + 1 WHERE account_id = 1 AND hour = 1793620800" \
		"rollup_hour cell (account acme, hour 2026-11-02 12:00:00): $c "
done
tamper "rollup_hour cell missing" "DELETE FROM rollup_hour WHERE account_id = 1 AND hour = 1793620800" \
	"rollup_hour cell (account acme, hour 2026-11-02 12:00:00): missing"
tamper "rollup_hour cell extra" "INSERT INTO rollup_hour(account_id, hour) VALUES(1, 1700000000 - 1700000000 % 3600)" \
	"rollup_hour cell (account acme, hour 2023-11-14 22:00:00): extra"
for c in calls connected billsec_ms billed_secs cost; do
	tamper "rollup_dest_day.$c" "UPDATE rollup_dest_day SET $c = $c + 1 WHERE account_id = 1 AND day = 1793577600 AND prefix = '1206'" \
		"rollup_dest_day cell (account acme, day 2026-11-02 00:00:00, prefix 1206): $c "
done
tamper "rollup_dest_day cell missing" "DELETE FROM rollup_dest_day WHERE account_id = 1 AND day = 1793577600 AND prefix = ''" \
	"rollup_dest_day cell (account acme, day 2026-11-02 00:00:00, prefix ): missing"
tamper "rollup_dest_day prefix changed" "UPDATE rollup_dest_day SET prefix = '120' WHERE account_id = 1 AND day = 1793577600 AND prefix = '1206'" \
	"rollup_dest_day cell (account acme, day 2026-11-02 00:00:00, prefix 120): extra"
for c in msgs segments cost; do
	tamper "rollup_msg_day.$c" "UPDATE rollup_msg_day SET $c = $c + 1 WHERE type = 0" \
		"rollup_msg_day cell (account acme, day 2026-11-02 00:00:00, type 0, dir 0): $c "
done
tamper "rollup_msg_day direction" "UPDATE rollup_msg_day SET dir = 0 WHERE type = 1" \
	"rollup_msg_day cell (account acme, day 2026-11-04 00:00:00, type 1, dir 1): missing"

# Balances: the rollups against the raw records.
tamper "balance" "UPDATE rollup_hour SET cost_calls = cost_calls + 5 WHERE account_id = 1 AND hour = 1793620800" \
	"account acme: balance from rollups"

# Suspension history: every field, rows missing, extra, of no account.
tamper "suspension time" "UPDATE suspension SET at = at + 60 WHERE cause_kind = 'ledger' AND account_id = 1" \
	": time 2026-11-03 00:01:00, a fresh walk gives restored at 2026-11-03 00:00:00"
S1=$(q "SELECT MIN(id) FROM suspension")   # the first row's id (PostgreSQL numbers with gaps)
tamper "suspension event" "UPDATE suspension SET event = 'restored' WHERE id = (SELECT MIN(id) FROM suspension)" \
	"account acme: suspension row $S1: event restored, a fresh walk gives suspended"
tamper "suspension event not a word" "UPDATE suspension SET event = 'paused' WHERE id = (SELECT MIN(id) FROM suspension)" \
	"account acme: suspension row $S1: event \"paused\""
tamper "suspension balance" "UPDATE suspension SET balance = balance + 1 WHERE id = (SELECT MIN(id) FROM suspension)" \
	"account acme: suspension row $S1: balance -489999999, a fresh walk gives suspended at 2026-11-02 10:00:00, balance -490000000"
tamper "suspension cause kind" "UPDATE suspension SET cause_kind = 'mdr' WHERE id = (SELECT MIN(id) FROM suspension)" \
	"account acme: suspension row $S1: cause mdr 1, a fresh walk gives"
tamper "suspension cause id" "UPDATE suspension SET cause_id = 2 WHERE id = (SELECT MIN(id) FROM suspension)" \
	"account acme: suspension row $S1: cause cdr 2, a fresh walk gives suspended at 2026-11-02 10:00:00, balance -490000000, cause cdr 1"
tamper "suspension row missing" "DELETE FROM suspension WHERE cause_kind = 'ledger' AND account_id = 1" \
	"account acme: suspension history lacks restored at 2026-11-03 00:00:00"
tamper "suspension row extra" "INSERT INTO suspension(account_id, at, event, balance, cause_kind, cause_id) VALUES(1, 1793900000, 'suspended', -1, 'cdr', 8)" \
	"(suspended at 2026-11-05 17:33:20, balance -1, cause cdr 8) is not in a fresh walk"
tamper "suspension row of no account" "INSERT INTO suspension(account_id, at, event, balance, cause_kind, cause_id) VALUES(99, 1793900000, 'suspended', -1, 'cdr', 8)" \
	"account 99 does not exist"

# The walk position cached on the account row.
tamper "walk_balance" "UPDATE account SET walk_balance = walk_balance + 1 WHERE name = 'acme'" "account acme: walk_balance"
tamper "walk_status" "UPDATE account SET walk_status = 1 WHERE name = 'acme'" "account acme: walk_status suspended, a fresh walk gives active"
tamper "walk_since" "UPDATE account SET walk_since = NULL WHERE name = 'acme'" "account acme: walk_since none, a fresh walk gives 2026-11-03 00:00:00"
tamper "walk_at" "UPDATE account SET walk_at = walk_at - 1 WHERE name = 'acme'" "account acme: walk position (walk_at"
tamper "walk_class" "UPDATE account SET walk_class = 0 WHERE name = 'acme'" "account acme: walk position"
tamper "walk_id" "UPDATE account SET walk_id = walk_id + 1 WHERE name = 'acme'" "account acme: walk position"
tamper "walk_at unset" "UPDATE account SET walk_at = NULL WHERE name = 'acme'" "account acme: walk_at unset, a fresh walk has events"

# Charges, states, legs, reasons of single calls.
tamper "cost" "UPDATE cdr SET cost = cost + 1 WHERE id = $(cdr 1793700000.14/14)" \
	"call asterisk:1793700000.14/14: stored cost 500000001"
tamper "prefix" "UPDATE cdr SET prefix = '120' WHERE id = $(cdr 1793700000.14/14)" \
	"call asterisk:1793700000.14/14: prefix 120, but its rate row 1 is for prefix 1206"
tamper "911 charged" "UPDATE cdr SET cost = 1 WHERE id = $(cdr 1793617200.3/3)" \
	"call asterisk:1793617200.3/3: charged 1 nano-units for 0 billed s, but it is emergency"
tamper "billed seconds on a call not rated" "UPDATE cdr SET billed_secs = 60 WHERE id = $(cdr 1793619000.6/6)" \
	"call asterisk:1793619000.6/6: charged 0 nano-units for 60 billed s, but it is emergency"
tamper "billed leg cleared" "UPDATE cdr SET billed_leg = 0 WHERE id = $(cdr 1793617200.3/3)" \
	"call asterisk:1793617200.3/3: billed_leg is 0, but it is the billed leg of call 1793617200.3"
# (a second billed leg of one call is refused by the unique index cdr_one_billed_leg)
# (on PostgreSQL a call's billed leg is cdr_call's, which spans archived
# months: the extra leg still has one there, and verify names the row that
# lost its billed leg instead)
if [ "${PG_SUITE:-}" = 1 ]; then
	tamper "extra leg without a billed leg" "UPDATE cdr SET billed_leg = 0 WHERE id = $(cdr 1793617200.3/3)" \
		"call 1793617200.3: a cdr_call row without its billed leg"
else
	tamper "extra leg without a billed leg" "UPDATE cdr SET billed_leg = 0 WHERE id = $(cdr 1793617200.3/3)" \
		"call asterisk:1793617502.5/5: an extra leg, but call 1793617200.3 has no billed leg"
fi
tamper "billed leg on a call that did not connect" "UPDATE cdr SET billed_leg = 1 WHERE id = $(cdr 1793622600.10/10)" \
	"call asterisk:1793622600.10/10: billed_leg is 1, but it did not connect"
tamper "unrated reason on a rated call" "UPDATE cdr SET unrated_reason = 'no rate deck' WHERE id = $(cdr 1793700000.14/14)" \
	"call asterisk:1793700000.14/14: unrated reason \"no rate deck\", but it is rated"

# Import counts.
for c in inserted unrated rejected; do
	tamper "import.$c" "UPDATE import SET $c = $c + 1 WHERE kind = 'cdr' AND path LIKE '%calls.csv'" "): $c "
done
tamper "import.rows" "UPDATE import SET rows = rows + 1 WHERE kind = 'cdr' AND path LIKE '%calls.csv'" "): rows 10 != inserted 9 + duplicates 0 + rejected 0"
tamper "import.duplicates" "UPDATE import SET duplicates = 1 WHERE kind = 'mdr'" "): rows 2 != inserted 2 + duplicates 1 + rejected 0"

echo "verify_fields: $PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
