#!/bin/sh
# disputes.sh: disputes that reach the right conclusion (issue 11). One
# fixture (disputes_gen.py) with two faults on two days: calls missing on
# day A (2026-11-02: four of ours, two of theirs), four calls 90 s longer
# in their file on day B (2026-11-03; the day's seconds stay within the
# 0.5 % tolerance, its charges do not). Checks: every differing day is a
# finding, ordered by money; day B is a duration finding with its single
# call (the headline too, never "rating"); day A lists the missing calls
# both ways; the letter is at most 80 columns, names no local path and
# names the calls as each file writes them; an override is kept as a second
# version and `cases` shows the concluded verdict.
# Prints "cli-disputes: N passed, N failed"; exits non-zero on a failure.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
B=${BILLTOP:-$HERE/../../billtop}
T=$(mktemp -d "${TMPDIR:-/tmp}/billtop-dsp.XXXXXX")
trap 'rm -rf "$T"' EXIT
export BILLTOP_NOW="2026-11-20 12:00:00"
unset BILLTOP_DB
db() { "$B" --db "$T/t.db" "$@"; }
expect_json() { expect_eq "$1" "$(json_get "$2" "$3" 2>&1)" "$4"; }
want() { json_get "$T/expect.json" "$1"; }

db init >/dev/null
db account add acme --decimals 4 --rounding half-up >/dev/null
db account add other --decimals 4 >/dev/null
printf 'prefix,description,rate,first increment,increment\n1206,Seattle,0.0100,6,6\n1212,New York,0.0120,6,6\n44,UK,0.0200,60,60\n' >"$T/deck.csv"
db rates import "$T/deck.csv" --deck std >/dev/null
db account set acme --deck std >/dev/null
python3 "$HERE/disputes_gen.py" ours "$T/ours.csv"; ok "our switch's file generated"
db import cdr "$T/ours.csv" --account acme --format asterisk >/dev/null 2>&1; ok "our calls import (asterisk)"
db cdrs acme --format json >"$T/cdrs.json"
python3 "$HERE/disputes_gen.py" theirs "$T/cdrs.json" "$T"; ok "their file generated"

db investigate acme --theirs "$T/carrier.csv" --report json -o "$T/r.json" 2>"$T/r.err"; ok "investigate"
F="d['findings']"
expect_json "both days are findings, the larger amount first" "$T/r.json" \
	"[f['day'] for f in $F], [f['money'] for f in $F]" \
	"['$(want "d['day_b']")', '$(want "d['day_a']")'] ['$(want "d['money_b']")', '$(want "d['money_a']")']"
expect_json "day B: a duration finding" "$T/r.json" "$F[0]['verdict']" "duration"
expect_json "day B: its single call is one of the longer calls, +90 s" "$T/r.json" \
	"$F[0]['single_call']['ours']['id'] in $(want "d['long_ours']"), $F[0]['single_call']['theirs']['id'] in $(want "d['long_theirs']"), $F[0]['single_call']['diff_seconds']" \
	"True True 90.000"
expect_json "day A: missing calls" "$T/r.json" "$F[1]['verdict']" "missing_calls"
expect_json "day A: the calls they lack (ours)" "$T/r.json" "sorted($F[1]['missing_theirs'])" "$(want "d['gone']")"
expect_json "day A: the calls we lack (theirs)" "$T/r.json" "sorted($F[1]['missing_ours'])" "$(want "d['extra']")"
expect_json "day A: as written in each file" "$T/r.json" \
	"sorted(c['as_written']['id'] for c in $F[1]['missing_theirs_calls']), sorted(c['as_written']['dst'] for c in $F[1]['missing_ours_calls'])" \
	"$(want "d['gone_src']") ['+1 206-555-0001', '+1 206-555-0002']"
expect_json "the headline agrees with its single call" "$T/r.json" \
	"d['verdict'], d['worst_day']['date'], d['single_call']['diff_seconds']" "duration $(want "d['day_b']") 90.000"
expect_json "the existing keys are kept" "$T/r.json" \
	"all(k in d for k in ('daily', 'worst_day', 'steps', 'verdict', 'worst_hour', 'missing_ours', 'missing_theirs', 'single_call', 'causes', 'tolerances'))" "True"
CASE=$(json_get "$T/r.json" "d['case']")

# their clock 3 h ahead: the days are compared with it removed, the same two findings
python3 - "$T/carrier.csv" "$T/shifted.csv" <<'PY'
import calendar, csv, sys, time
rows = list(csv.reader(open(sys.argv[1])))
for r in rows[1:]:
    r[1] = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(calendar.timegm(time.strptime(r[1], "%Y-%m-%d %H:%M:%S")) + 3 * 3600))
csv.writer(open(sys.argv[2], "w"), lineterminator="\n").writerows(rows)
PY
db investigate acme --theirs "$T/shifted.csv" --from 2026-11-02 --to 2026-11-06 --report json -o "$T/s.json" 2>/dev/null
expect_json "a 3 h clock: the offset found, the same findings" "$T/s.json" \
	"d['verdict'], d['clock_offset_s'], [(f['day'], f['verdict'], f['money']) for f in $F]" \
	"timezone_offset 10800 [('$(want "d['day_b']")', 'duration', '$(want "d['money_b']")'), ('$(want "d['day_a']")', 'missing_calls', '$(want "d['money_a']")')]"

# ---- the letter -------------------------------------------------------------------
db case "$CASE" --report text >"$T/letter.txt"; ok "case ID --report text"
db investigate acme --theirs "$T/carrier.csv" -o "$T/sent.txt" 2>/dev/null; ok "investigate -o letter"
expect_eq "at most 80 columns" "$(awk 'length($0) > 80' "$T/letter.txt" "$T/sent.txt" | head -3)" ""
expect_eq "no path of this machine" "$(grep -c -e "$T" -e /tmp -e /home -e /work "$T/letter.txt" "$T/sent.txt" | grep -v ':0$')" ""
expect_eq "no internal notes or options" "$(grep -ci -e 'notes' -e 'tolerance=' -e 'operator' -e 'root' "$T/letter.txt")" "0"
out=$(cat "$T/letter.txt")
expect_contains "the period" "$out" "2026-11-02 00:00:00 to 2026-11-05 00:00:00 UTC"
expect_contains "both sides' totals" "$out" "Charges (USD)"
for id in $(want "' '.join(d['extra'] + d['long_theirs'][:0])"); do
	expect_contains "their id $id as in their file" "$out" "$id (line "
done
expect_contains "their numbers as written" "$out" "+1 206-555-0001"
for id in $(want "' '.join(d['gone_src'])"); do
	expect_contains "our id $id with its source" "$out" "$id,"
done
expect_contains "the day B finding" "$out" "$(want "d['day_b']"): durations differ (amount +$(want "d['money_b']"))"
expect_contains "the day A finding" "$out" "$(want "d['day_a']"): calls missing"
test -s "$T/sent.csv"; ok "the calls as CSV beside the letter"
# (a cell starting with + gets the apostrophe every CSV export puts before what a spreadsheet would run)
expect_contains "the CSV names their calls as written" "$(cat "$T/sent.csv")" "\"CR-900001\",\"'+1 555-000-7777\",\"'+1 206-555-0001\""
expect_eq "no operator unless --sign" "$(grep -c Regards "$T/sent.txt")" "0"
db investigate acme --theirs "$T/carrier.csv" --sign "Ann Smith, billing" 2>/dev/null >"$T/signed.txt"
expect_contains "--sign NAME signs it" "$(tail -n 2 "$T/signed.txt")" "Ann Smith, billing"

# ---- how many calls a finding lists (--calls) -----------------------------------------
# day C (2026-11-04) loses 30 of our connected calls in a copy of their file:
# every one is counted, the first 20 listed (JSON, letter, CSV) unless --calls
python3 - "$T/carrier.csv" "$T/lost.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))
out, n = [rows[0]], 0
for r in rows[1:]:
    if r[1].startswith("2026-11-04") and r[5] == "ANSWERED" and n < 30:
        n += 1
        continue
    out.append(r)
csv.writer(open(sys.argv[2], "w"), lineterminator="\n").writerows(out)
PY
DC="[f for f in d['findings'] if f['day'] == '2026-11-04'][0]"
db investigate acme --theirs "$T/lost.csv" --report json -o "$T/l.json" 2>/dev/null; ok "investigate (30 calls lost)"
expect_json "30 calls they lack: all counted, the first 20 listed" "$T/l.json" \
	"$DC['verdict'], $DC['missing_theirs_count'], len($DC['missing_theirs']), len($DC['missing_theirs_calls'])" \
	"missing_calls 30 20 20"
LC=$(json_get "$T/l.json" "d['case']")
db case "$LC" --report json >"$T/l2.json"
expect_eq "-o writes the report as stored" "$(cmp "$T/l.json" "$T/l2.json" 2>&1 && echo same)" "same"
expect_contains "the letter says how many more" "$(db case "$LC" --report text)" "... and 10 more, not listed in this letter"
expect_eq "the CSV lists the same 20" "$(db case "$LC" --report csv | grep -c '2026-11-04 missing_theirs')" "20"
db investigate acme --theirs "$T/lost.csv" --calls all --report json -o "$T/la.json" 2>/dev/null
expect_json "--calls all lists every one" "$T/la.json" \
	"$DC['missing_theirs_count'], len($DC['missing_theirs']), len($DC['missing_theirs_calls'])" "30 30 30"
db investigate acme --theirs "$T/lost.csv" --calls 3 --report json -o "$T/l3.json" 2>/dev/null
expect_json "--calls 3: three listed, kept with the case's options" "$T/l3.json" \
	"$DC['missing_theirs_count'], len($DC['missing_theirs_calls']), '--calls 3' in d['options']" "30 3 True"
expect_status "--calls 0 is refused" 2 db investigate acme --theirs "$T/lost.csv" --calls 0
expect_status "--calls x is refused" 2 db investigate acme --theirs "$T/lost.csv" --calls x

# ---- the engineer's conclusion ------------------------------------------------------
db investigate acme --theirs "$T/carrier.csv" --override "day=$(want "d['day_a']"),connected=no" \
	--report json -o "$T/o.json" 2>"$T/o.err"; ok "investigate --override"
OC=$(json_get "$T/o.json" "d['case']")
expect_contains "the conclusion is saved as version 2" "$(cat "$T/o.err")" "version 2 (verdict missing_calls)"
db case "$OC" --report json >"$T/o2.json"
expect_json "case ID shows the conclusion" "$T/o2.json" \
	"d['version'], d['verdict'], d['worst_day']['date'], [s['overridden'] for s in d['steps']][:2]" \
	"2 missing_calls $(want "d['day_a']") [True, True]"
db case "$OC" --version 1 --report json >"$T/o1.json"
expect_json "the engine's first answer stays readable" "$T/o1.json" "d['version'], d['verdict']" "1 duration"
expect_status "no version 3" 1 db case "$OC" --version 3
expect_eq "versions in the store" "$(sqlite3 "$T/t.db" "select count(*), max(version) from investigation_version where case_id = $OC")" "1|2"
expect_status "a conclusion cannot be edited" 19 sqlite3 "$T/t.db" "update investigation_version set verdict = 'none'"
expect_status "a conclusion cannot be deleted" 19 sqlite3 "$T/t.db" "delete from investigation_version"
db cases --format json >"$T/cases.json"
expect_json "cases shows the concluded verdict" "$T/cases.json" \
	"[(c['verdict'], c['concluded'], c['versions']) for c in d if c['case'] == $OC]" "[('duration', 'missing_calls', 2)]"
db case "$CASE" --close >/dev/null
db cases --format json >"$T/cases.json"
expect_json "cases: open ones first" "$T/cases.json" "d[-1]['case'], d[-1]['status']" "$CASE closed"
expect_json "cases: who opened, account, period, money" "$T/cases.json" \
	"d[0]['operator'] != '', d[0]['account'], d[0]['from'], d[0]['disputed'] is not None" "True acme 2026-11-02T00:00:00Z True"
expect_contains "cases (text) marks the conclusion" "$(db cases)" "missing_calls*"

echo "cli-disputes: $PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
