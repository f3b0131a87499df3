#!/bin/sh
# formats.sh: CDR exports as PBXs write them (issue 9), through `billtop
# import cdr`: --map by column number on a file without a header, --format
# auto with --map, the Asterisk cdr table (asterisk-db) with and without a
# header, Grandstream UCM rows sharing a Unique ID (every segment's talk
# time billed, a re-import all duplicates), a messages file refused by
# `import cdr` and a calls file by `import mdr`. Rows are the real ones of
# tests/unit/test_cdrfmt2.c (sources there). Prints "cli-formats: N passed,
# N failed".
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
B=${BILLTOP:-$HERE/../../billtop}
T=$(mktemp -d "${TMPDIR:-/tmp}/billtop-fmt.XXXXXX")
trap 'rm -rf "$T"' EXIT
export BILLTOP_NOW="2026-11-20 12:00:00"
unset BILLTOP_DB
db() { "$B" --db "$T/t.db" "$@"; }
q() { sqlite3 "$T/t.db" "$1"; }

db init >/dev/null; ok "init"
printf 'prefix,rate\n1,0.01\n6,0.01\n0,0.01\n' >"$T/deck.csv"
db rates import "$T/deck.csv" --deck d >/dev/null; ok "deck"
for a in nomap auto adb adbh ucm ucmg; do db account add $a >/dev/null && db account set $a --deck d >/dev/null; done

# ---- --map by column number, no header ---------------------------------------
# 3CX v16 CDR log (no header), lines 2-3 of tests/corpus/cdr/3cx-cdr-log-v16.csv
cat >"$T/3cx.csv" <<'CSV'
Call 9745,00000171DEE8BB1E_2512,,2020/05/04 10:58:46,,2020/05/04 10:59:02,Failed_Cancelled,Ext.315,Ext.184,315,184,184,,,,,,,,,Internal,Internal,Internal,from disp,to disp,fin disp,
Call 9746,00000171DEE97C16_2514,00:00:18,2020/05/04 10:59:35,2020/05/04 10:59:36,2020/05/04 10:59:54,TerminatedByDst,0450070206,Ext.610,10000,610,610,ReplacedDst,Ext.124,124,,,,,"Chain: 0450070206,Ext.610,Ext.124,",External,Internal,Internal,from disp,to disp,fin disp,
CSV
out=$(db import cdr "$T/3cx.csv" --account nomap 2>&1); st=$?
expect_eq "headerless file without --map refused" "$st" "1"
expect_contains "the refusal names --map by number" "$out" "--map FIELD=NUMBER"
out=$(db import cdr "$T/3cx.csv" --account nomap --map call_id=2,billsec=3,start=4,answer=5,end=6,disposition=7,src=10,dst=11 2>&1)
ok "--map by number on a headerless file"
expect_contains "read as generic, both rows stored" "$out" "(generic): 2 rows: 2 stored"
expect_eq "18 s of talk, one connected call" \
	"$(q "select count(*), sum(billsec_ms) from cdr c join account a on a.id=c.account_id where a.name='nomap' and connected=1")" "1|18000"

# ---- --format auto honours --map ---------------------------------------------
printf 'When,Number,Secs\n2024-01-02 03:04:05,15551234567,9\n' >"$T/named.csv"
db import cdr "$T/named.csv" --account auto --map start=When,dst=Number,billsec=Secs >/dev/null
ok "--format auto with a map of names"
expect_eq "mapped" "$(q "select dst, billsec_ms from cdr c join account a on a.id=c.account_id where a.name='auto'")" "15551234567|9000"
db import cdr "$T/3cx.csv" --account auto --format auto --map start=4,dst=11,billsec=3 >/dev/null
ok "--format auto with a map of numbers"

# ---- the Asterisk cdr table -----------------------------------------------------
# FreePBX asteriskcdrdb.cdr dumped without a header (25 fields), dates
# written year-first (see test_cdrfmt2.c)
cat >"$T/adb.csv" <<'CSV'
"2017-09-01 16:33:01","""Test User"" <105>","105","*60","from-internal","SIP/105-00000001",,"Wait","1","27","27","ANSWERED","3",,"1504279981.1",,,,"105","Test User",,,,"0",
"2017-09-01 16:34:03","""Test User"" <105>","105","i","sub-hr24format","SIP/105-00000002",,"Playback","at-tone-time-exactly","37","37","ANSWERED","3",,"1504280043.2",,,,"105","Test User",,,,"0",
CSV
out=$(db import cdr "$T/adb.csv" --account adb 2>&1); ok "asterisk-db without a header"
expect_contains "detected as asterisk-db, no header row taken" "$out" "(asterisk-db): 2 rows: 2 stored"
expect_eq "talk and end = calldate + duration" \
	"$(q "select sum(billsec_ms), min(end - start) from cdr c join account a on a.id=c.account_id where a.name='adb'")" "64000|27"
db import cdr "$T/adb.csv" --account adb --format cdr_mysql >/dev/null; ok "alias cdr_mysql"
expect_eq "re-import: duplicates" "$(q "select count(*) from cdr c join account a on a.id=c.account_id where a.name='adb'")" "2"
# ingest resumes a headerless asterisk-db file without taking its first row for a header
head -n 1 "$T/adb.csv" >"$T/adb-live.csv"
live() { "$B" --db "$T/live.db" "$@"; }
live init >/dev/null && live account add live >/dev/null
live ingest "$T/adb-live.csv" --account live >/dev/null 2>&1; ok "ingest asterisk-db"
tail -n 1 "$T/adb.csv" >>"$T/adb-live.csv"
out=$(live ingest "$T/adb-live.csv" --account live 2>&1); ok "ingest asterisk-db resumed"
expect_contains "resumed: the new row only" "$out" "(asterisk-db): 1 rows in 1 batches: 1 stored"
expect_eq "both rows, once" "$(sqlite3 "$T/live.db" "select count(*) from cdr")" "2"
# ... and a headed one, its header read again
printf 'calldate,src,dst,billsec,disposition,uniqueid\n2017-09-01 16:33:01,1,2,5,ANSWERED,1504283581.1\n' >"$T/adbh-live.csv"
live ingest "$T/adbh-live.csv" --account live --format asterisk-db >/dev/null 2>&1; ok "ingest headed asterisk-db"
printf '2017-09-01 16:34:01,1,2,6,ANSWERED,1504283641.2\n' >>"$T/adbh-live.csv"
out=$(live ingest "$T/adbh-live.csv" --account live --format asterisk-db 2>&1); ok "ingest headed asterisk-db resumed"
expect_contains "resumed past its header" "$out" "(asterisk-db): 1 rows in 1 batches: 1 stored"
expect_eq "mapped by that header" "$(sqlite3 "$T/live.db" "select billsec_ms from cdr where call_key = '1504283641.2'")" "6000"
# FreePBX CDR Reports download (header), clid re-quoted for strict CSV
cat >"$T/adbh.csv" <<'CSV'
calldate,clid,src,dst,dcontext,channel,dstchannel,lastapp,lastdata,duration,billsec,disposition,amaflags,accountcode,uniqueid,userfield
2017-09-04 17:23:11,"""User 9"" <113>",113,0,from-internal,Local/0@from-internal-00000010;2,,,,0,0,NO ANSWER,3,,1504542191.248,
2017-09-04 17:23:11,"""User 9"" <113>",113,105,ext-local,SIP/113-000000d6,Local/0@from-internal-00000010;1,VoiceMail,"105@default,u",2,2,ANSWERED,3,,1504542191.246,
CSV
out=$(db import cdr "$T/adbh.csv" --account adbh --format freepbx-db 2>&1); ok "asterisk-db with a header"
expect_contains "header read, two rows" "$out" "(asterisk-db): 2 rows: 2 stored"
expect_eq "one connected" "$(q "select count(*) from cdr c join account a on a.id=c.account_id where a.name='adbh' and connected=1")" "1"

# ---- Grandstream UCM: one call, three segments ---------------------------------
cat >"$T/ucm.csv" <<'CSV'
Account Code,Caller Number,Callee Number,Context,CallerID,Source Channel,Dest Channel,Lastapp,Lastdata,Start Time,Answer Time,End Time,Call Time,Talk Time,Disposition,Amaflags,Unique ID,Userfield,Dest Channel Extension,Caller Name
,01001234567,6500,ext-did-0001,"""x"" <01001234567>",PJSIP/trunk_1-00000001,,BackGround,ivr,2026-09-28 10:00:00,2026-09-28 10:00:00,2026-09-28 10:00:10,0:00:10,0:00:10,ANSWERED,DOCUMENTATION,1790589600.1,,,x
,01001234567,6006,ext-local,"""x"" <01001234567>",PJSIP/trunk_1-00000001,PJSIP/6006-00000002,Dial,PJSIP/6006,2026-09-28 10:00:10,2026-09-28 10:00:15,2026-09-28 10:01:50,0:01:40,0:01:35,ANSWERED,DOCUMENTATION,1790589600.1,,6006,x
,01001234567,6007,ext-local,"""x"" <01001234567>",PJSIP/trunk_1-00000001,PJSIP/6007-00000003,Dial,PJSIP/6007,2026-09-28 10:01:50,2026-09-28 10:01:52,2026-09-28 10:02:12,0:00:22,0:00:20,ANSWERED,DOCUMENTATION,1790589600.1,,6007,x
CSV
out=$(db import cdr "$T/ucm.csv" --account ucm 2>&1); ok "grandstream import"
expect_contains "three rows sharing a Unique ID are three records" "$out" "(grandstream): 3 rows: 3 stored (3 rated"
expect_eq "billed talk time is the call's 125 s" \
	"$(q "select sum(billed_secs) from cdr c join account a on a.id=c.account_id where a.name='ucm' and state=0")" "125"
out=$(db import cdr "$T/ucm.csv" --account ucm 2>&1); ok "grandstream re-import"
expect_contains "re-import: three duplicates" "$out" "0 stored"
expect_contains "re-import: three duplicates (count)" "$out" "3 duplicates"
out=$(db import cdr "$T/ucm.csv" --account ucmg --format generic 2>&1); ok "the same as generic"
expect_contains "generic keeps every row (no silent duplicates)" "$out" "3 stored (1 rated, 0 unrated, 0 not connected, 2 extra legs"

# ---- messages vs calls ----------------------------------------------------------
printf 'id,time,direction,from,to,type,segments,cost\nm1,2026-11-04 09:00:00,outbound,12065550100,12065550199,sms,2,0.0080\n' >"$T/mdr.csv"
out=$(db import cdr "$T/mdr.csv" --account nomap 2>&1); st=$?
expect_eq "messages file refused by import cdr" "$st" "1"
expect_contains "names the file and points to import mdr" "$out" "$T/mdr.csv"
expect_contains "points to import mdr" "$out" "billtop import mdr"
out=$(db import cdr "$T/mdr.csv" --account nomap --format generic 2>&1)
expect_contains "refused by content with --format generic too" "$out" "mdr.csv:1: a messages file"
out=$(db import mdr "$T/adbh.csv" --account nomap 2>&1); st=$?
expect_eq "calls file refused by import mdr" "$st" "1"
expect_contains "names the file, line and import cdr" "$out" "adbh.csv:1: a calls file (duration, billsec): use \`billtop import cdr\`"
expect_eq "nothing stored from either" "$(q "select count(*) from mdr")" "0"

# ---- a generic file imported before record ids carried a digest ---------------------
# Until issue 9 a generic row with an id was stored as "generic:ID"; now it is
# "generic:ID/fnv:DIGEST". A database holding the old ids must not store (and
# charge) the same rows again when their file is imported anew.
cat >"$T/old.csv" <<'CSV'
call_id,start,dst,billsec,disposition
g1,2026-11-05 09:00:00,12065550100,60,ANSWERED
g2,2026-11-05 09:05:00,12065550101,30,ANSWERED
CSV
db account add legacy --deck std >/dev/null 2>&1 || db account add legacy >/dev/null
db import cdr "$T/old.csv" --account legacy >/dev/null 2>&1; ok "generic import"
# make them what an older billtop stored: the id without its digest
sqlite3 "$T/t.db" "DROP TRIGGER cdr_charge_immutable; UPDATE cdr SET record_id = substr(record_id, 1, instr(record_id, '/fnv:') - 1) WHERE record_id LIKE 'generic:g_/fnv:%'"
expect_eq "the rows carry old ids" "$(q "select group_concat(record_id, ' ') from (select record_id from cdr where record_id like 'generic:g_' order by 1)")" "generic:g1 generic:g2"
out=$(db import cdr "$T/old.csv" --account legacy 2>&1); ok "re-import over old ids"
expect_contains "re-import over old ids: nothing stored twice" "$out" "0 stored"
expect_contains "re-import over old ids: two duplicates" "$out" "2 duplicates"
printf 'call_id,start,dst,billsec,disposition\ng1,2026-11-05 09:00:00,12065550100,61,ANSWERED\n' >"$T/old2.csv"
out=$(db import cdr "$T/old2.csv" --account legacy 2>&1); ok "another row under an old id"
expect_contains "a row that differs from the old one is kept" "$out" "1 stored"

echo "cli-formats: $PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
