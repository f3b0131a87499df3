#!/bin/sh
# dates.sh: dates as real files write them (issue 9), end to end.
#   - day-first, two-digit years, no seconds (FreePBX CDR Reports re-saved by
#     a spreadsheet: rows of freepbx-cdrreports-excel-6col-cr-b.csv);
#   - month-first with AM/PM; epoch milliseconds; ISO unchanged;
#   - a file whose every date reads both ways (freepbx-cdrreports-excel-6col-cr.csv:
#     every row is 04/09/17) is refused naming the ambiguity, and imports
#     with --date-format;
#   - the epoch of a unique id decides the order (FreePBX asteriskcdrdb.cdr
#     rows "1/9/2017 16:33:01" with uniqueid 1504279981.1, laid out with the
#     CDR Reports header) and the offset gives the zone hint;
#   - a row that does not fit the decided order is FILE:LINE: reason;
#   - the zone hint on tests/realdata/asterisk-cdr_custom.csv (written at UTC+3);
#   - import mdr, ingest and investigate read dates the same way;
#   - the order comes from a sample: a 200,000-row ambiguous file is refused
#     in under a second.
# The rows are the corpus helper's real rows (docs/real-input/dates.md names the files).
# Prints "cli-dates: N passed, N failed"; exits non-zero on a failure.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
B=${BILLTOP:-$HERE/../../billtop}
case "$B" in /*) ;; *) B="$(cd "$(dirname "$B")" && pwd)/$(basename "$B")" ;; esac
REAL=${BILLTOP_REALDATA:-$HERE/../realdata}
T=$(mktemp -d "${TMPDIR:-/tmp}/billtop-dates.XXXXXX")
trap '[ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT
DB=$T/b.db
db() { "$B" --db "$DB" "$@"; }
q() { sqlite3 "$DB" "$1"; }
"$B" --db "$DB" init >/dev/null
db account add acme >/dev/null
starts() { db cdrs acme --format csv --limit 100 | python3 -c '
import csv, sys
r = list(csv.DictReader(sys.stdin))
print(" ".join(sorted(x["start"].replace(" ", "T") for x in r)))'; }
reset() { rm -f "$DB" "$DB-wal" "$DB-shm"; "$B" --db "$DB" init >/dev/null; db account add acme >/dev/null; }

H='calldate,src,dst,duration,billsec,disposition'

# ---- day-first, two-digit year, no seconds: 24/08/17 decides ----------------
printf '%s\n' "$H" '24/08/17 09:32,41000,4502,20,0,NO ANSWER' '24/08/17 09:28,4003,300010001,331,328,ANSWERED' \
	'04/09/17 12:39,114,113,8,6,ANSWERED' >"$T/dmy.csv"
out=$(db import cdr "$T/dmy.csv" --account acme 2>&1); ok "day-first file imports"
expect_contains "three rows stored" "$out" "3 rows: 3 stored"
expect_eq "day-first, 2-digit years, no seconds" "$(starts)" "2017-08-24T09:28:00 2017-08-24T09:32:00 2017-09-04T12:39:00"

# ---- month-first with AM/PM -------------------------------------------------
reset
printf '%s\n' "$H" '9/1/2017 4:33:01 PM,105,200,27,27,ANSWERED' '9/21/2017 12:05:09 AM,105,201,10,10,ANSWERED' \
	'12/31/2017 12:00:00 PM,105,202,5,5,ANSWERED' >"$T/mdy.csv"
db import cdr "$T/mdy.csv" --account acme >/dev/null 2>&1; ok "month-first file imports"
expect_eq "month-first, 12 AM = 00, 12 PM = 12" "$(starts)" "2017-09-01T16:33:01 2017-09-21T00:05:09 2017-12-31T12:00:00"

# ---- epoch milliseconds and seconds (a generic file) --------------------------
reset
printf '%s\n' 'start,dst,billsec' '1504525166000,113,6' '1504525135,110,8' >"$T/epoch.csv"
db import cdr "$T/epoch.csv" --account acme >/dev/null 2>&1; ok "epoch file imports"
expect_eq "epoch ms and s" "$(starts)" "2017-09-04T11:38:55 2017-09-04T11:39:26"

# ---- ambiguous: refused naming it; --date-format states it ------------------
reset
printf '%s\n' "$H" '04/09/17 12:39,114,113,8,6,ANSWERED' '04/09/17 12:38,114,110,9,8,ANSWERED' >"$T/amb.csv"
out=$(db import cdr "$T/amb.csv" --account acme 2>&1); st=$?
expect_eq "ambiguous file refused (exit 1)" "$st" "1"
expect_contains "the refusal names the ambiguity and the way out" "$out" \
	"$T/amb.csv: ambiguous dates: every date in the sample reads as day-first (DMY) and as month-first (MDY) (e.g. \"04/09/17 12:39\" on line 2): give --date-format '%d/%m/%y %H:%M' (day first) or '%m/%d/%y %H:%M' (month first)"
expect_eq "nothing stored" "$(q 'select count(*) from cdr')" "0"
db import cdr "$T/amb.csv" --account acme --date-format '%d/%m/%y %H:%M' >/dev/null 2>&1; ok "--date-format accepted"
expect_eq "read as stated" "$(starts)" "2017-09-04T12:38:00 2017-09-04T12:39:00"
reset
db import cdr "$T/amb.csv" --account acme --date-format '%m/%d/%y %H:%M' >/dev/null 2>&1
expect_eq "the other order when stated" "$(starts)" "2017-04-09T12:38:00 2017-04-09T12:39:00"
out=$(db import cdr "$T/amb.csv" --account acme --date-format '%d/%m/%Y %H:%M' 2>&1)
expect_contains "a format the rows do not fit: FILE:LINE: where it stopped" "$out" \
	"amb.csv:2: field 1 (calldate): bad time \"04/09/17 12:39\": at character 7 (\"17 12:39\"): expected a 4-digit year (%Y)"
out=$(db import cdr "$T/amb.csv" --account acme --date-format '%d/%q/%y' 2>&1)
expect_contains "a bad --date-format is named" "$out" "%q at character 4 is not supported"

# ---- a row that does not fit the decided order ------------------------------
reset
printf '%s\n' "$H" '24/08/17 09:32,41000,4502,20,0,NO ANSWER' '08/24/17 09:28,4003,300010001,331,328,ANSWERED' \
	>"$T/misfit.csv"
out=$(db import cdr "$T/misfit.csv" --account acme 2>&1)
expect_contains "a contradiction in the sample is refused" "$out" "contradictory dates: \"24/08/17 09:32\" on line 2 cannot be month-first (MDY), \"08/24/17 09:28\" on line 3 cannot be day-first (DMY)"
awk 'NR == 1 { print; next } { for (i = 0; i < 2500; i++) print }' "$T/dmy.csv" >"$T/late.csv"
printf '%s\n' '31/02/17 09:32,41000,4502,20,0,NO ANSWER' >>"$T/late.csv"
out=$(db import cdr "$T/late.csv" --account acme --keep-going 2>&1)
expect_contains "a row past the sample that does not fit is rejected" "$out" "7501 rows: 3 stored"
expect_contains "... alone (the copies are identical duplicates)" "$out" "7497 duplicates, 1 rejected"
expect_eq "with its line and reason" "$(q "select line || ': ' || reason from reject")" \
	"7502: field 1 (calldate): bad time \"31/02/17 09:32\": out of range read day-first (DMY), as the file's dates are"

# ---- the unique id's epoch decides, and tells the zone -----------------------
reset
HR='calldate,clid,src,dst,dcontext,channel,dstchannel,lastapp,lastdata,duration,billsec,disposition,amaflags,accountcode,uniqueid,userfield'
printf '%s\n' "$HR" \
	'1/9/2017 16:33:01,"""Test User"" <105>",105,*60,from-internal,SIP/105-00000001,,Wait,1,27,27,ANSWERED,3,,1504279981.1,' \
	'1/9/2017 16:34:03,"""Test User"" <105>",105,i,sub-hr24format,SIP/105-00000002,,Playback,at-tone-time-exactly,37,37,ANSWERED,3,,1504280043.2,' \
	'1/9/2017 16:35:06,"""Test User"" <105>",105,*60,from-internal,SIP/105-00000003,,Hangup,,83,83,ANSWERED,3,,1504280106.3,' \
	>"$T/uid.csv"
out=$(db import cdr "$T/uid.csv" --account acme 2>&1); ok "the epoch decides: imports"
expect_eq "read day-first" "$(starts)" "2017-09-01T16:33:01 2017-09-01T16:34:03 2017-09-01T16:35:06"
expect_contains "zone hint: 1 h ahead" "$out" \
	"uid.csv: warning: times are 1 h ahead of the unique ids' clock: the switch wrote local time (UTC+1, e.g. Europe/Paris); give --tz"
reset
out=$(db import cdr "$T/uid.csv" --account acme --tz +01:00 2>&1)
expect_eq "with --tz: no hint" "$(printf '%s' "$out" | grep -c warning)" "0"
expect_eq "and the times are the epochs" "$(starts)" "2017-09-01T15:33:01 2017-09-01T15:34:03 2017-09-01T15:35:06"

# ---- the real cdr_custom file was written at UTC+3 --------------------------
reset
out=$(db import cdr "$REAL/asterisk-cdr_custom.csv" --account acme 2>&1); ok "realdata cdr_custom imports"
expect_contains "the hint on the real file" "$out" \
	"asterisk-cdr_custom.csv: warning: times are 3 h ahead of the unique ids' clock: the switch wrote local time (UTC+3, e.g. Europe/Moscow); give --tz"
expect_contains "the import goes on (a warning, not a refusal)" "$out" "14 rows: 14 stored"
reset
out=$(db import cdr "$REAL/asterisk-cdr_csv-21col-multileg.csv" --account acme 2>&1)
expect_eq "a file written in UTC: no hint" "$(printf '%s' "$out" | grep -c warning)" "0"

# ---- a headerless Asterisk file with day-first times is detected ------------
reset
sed -n 1,2p "$REAL/asterisk-cdr_csv-18col-dispositions.csv" | sed 's/"2009-01-14 \([0-9:]*\)"/"14\/01\/2009 \1"/g' >"$T/ast.csv"
out=$(db import cdr "$T/ast.csv" --account acme 2>&1); ok "asterisk cdr_csv with day-first times imports"
expect_contains "detected as asterisk" "$out" "(asterisk): 2 rows"
expect_eq "read day-first (14 > 12)" "$(starts)" "2009-01-14T23:51:15 2009-01-14T23:51:15"

# ---- import mdr -------------------------------------------------------------
reset
printf '%s\n' 'id,time,direction,from,to,type,segments,cost' 'm1,13/01/2017 10:00,out,1,2,sms,1,0.01' \
	'm2,04/01/2017 10:00,out,1,2,sms,1,0.01' >"$T/mdr.csv"
out=$(db import mdr "$T/mdr.csv" --account acme 2>&1); ok "day-first messages import"
expect_eq "messages read day-first" "$(q "select group_concat(datetime(at, 'unixepoch'), ' ') from (select at from mdr order by at)")" \
	"2017-01-04 10:00:00 2017-01-13 10:00:00"
printf '%s\n' 'id,time,direction,from,to,type,segments,cost' 'm1,04/01/2017 10:00,out,1,2,sms,1,0.01' >"$T/mdr2.csv"
out=$(db import mdr "$T/mdr2.csv" --account acme 2>&1)
expect_contains "ambiguous messages refused" "$out" "mdr2.csv: ambiguous dates"
db import mdr "$T/mdr2.csv" --account acme --date-format '%m/%d/%Y %H:%M' >/dev/null 2>&1; ok "mdr --date-format"

# ---- ingest -----------------------------------------------------------------
reset
cp "$T/amb.csv" "$T/feed.csv"
out=$(db ingest "$T/feed.csv" --account acme 2>&1)
expect_contains "ingest refuses the ambiguous file" "$out" "feed.csv: ambiguous dates"
db ingest "$T/feed.csv" --account acme --date-format '%d/%m/%y %H:%M' >/dev/null 2>&1; ok "ingest --date-format"
expect_eq "ingest read as stated" "$(starts)" "2017-09-04T12:38:00 2017-09-04T12:39:00"

cp "$REAL/asterisk-cdr_custom.csv" "$T/custom-feed.csv"
out=$(db ingest "$T/custom-feed.csv" --account acme 2>&1)
expect_contains "ingest notes the zone hint" "$out" \
	"custom-feed.csv: warning: times are 3 h ahead of the unique ids' clock: the switch wrote local time (UTC+3, e.g. Europe/Moscow); give --tz"

# ---- investigate: their file -------------------------------------------------
out=$(db investigate acme --theirs "$T/amb.csv" 2>&1)
expect_contains "investigate refuses their ambiguous file" "$out" "ambiguous dates"
out=$(db investigate acme --theirs "$T/amb.csv" --theirs-date-format '%d/%m/%y %H:%M' 2>&1)
expect_eq "investigate reads it with --theirs-date-format" "$(printf '%s' "$out" | grep -c 'ambiguous\|bad time')" "0"

# ---- a sample, never the whole file ------------------------------------------
awk -v h="$H" 'BEGIN { print h; for (i = 0; i < 200000; i++) print "04/09/17 12:39,114,113,8,6,ANSWERED" }' >"$T/big.csv"
t0=$(date +%s%N)
out=$(db import cdr "$T/big.csv" --account acme 2>&1)
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
expect_contains "a big ambiguous file is refused" "$out" "ambiguous dates"
printf '%s\n' '13/09/17 12:39,114,113,8,6,ANSWERED' >>"$T/big.csv"
out=$(db import cdr "$T/big.csv" --account acme 2>&1)
expect_contains "a deciding date past the first 2,000 rows is not read by the sample" "$out" "ambiguous dates"
[ "$ms" -lt 1000 ]; ok "... in under a second ($ms ms)"

echo "cli-dates: $PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
