#!/usr/bin/env bash
# test_disputes.sh: the dispute wizard reaches the right conclusion and keeps
# it (issue 11). The fixture of tests/cli/disputes.sh (disputes_gen.py: our
# switch's Asterisk file; their carrier CSV with calls missing on 2026-11-02
# and four calls 90 s longer on 2026-11-03):
#   - the wizard walks the engine's day (2026-11-03) to a duration verdict,
#     never "rating", its single call +90 s;
#   - overriding the day (D, Enter on 2026-11-02) ends in missing calls, and
#     the case keeps that conclusion as its next version: `billtop case ID`
#     shows it, `--version 1` the engine's first answer, `cases` the
#     concluded verdict;
#   - I on the accounts list lists every account's cases, the concluded
#     verdict marked *.
# Usage: BILLTOP=path/to/billtop bash tests/tui/test_disputes.sh
# Prints "tui-disputes: N passed, N failed"; exits 1 on any failure.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
BILLTOP=${BILLTOP:-./billtop}
. "$HERE/lib.sh"
tui_init tui-disputes
TMP=$TUI_TMP
DB=$TMP/d.db
NOW="2026-11-20 12:00:00"
bt() { BILLTOP_NOW="$NOW" "$BILLTOP" --db "$DB" "$@"; }
json() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"; }
S=d1
keys() { tui_keys "$S" "$@"; }
screen() { tui_screen "$S"; }
see() { expect_screen "$1" "$S" "$2" "${3:-5}"; }
answer() {
	tui_wait "$S" "$1" || { fail "no prompt \"$1\""; screen | sed 's/^/  | /' >&2; }
	keys C-u
	[ -z "$2" ] || tui_type "$S" "$2"
	keys Enter
}

# ---- the fixture ------------------------------------------------------------------------
bt init >/dev/null
bt account add acme --decimals 4 --rounding half-up >/dev/null
bt account add other --decimals 4 >/dev/null
printf 'prefix,description,rate,first increment,increment\n1206,Seattle,0.0100,6,6\n1212,New York,0.0120,6,6\n44,UK,0.0200,60,60\n' >"$TMP/deck.csv"
bt rates import "$TMP/deck.csv" --deck std >/dev/null
bt account set acme --deck std >/dev/null
python3 "$HERE/../cli/disputes_gen.py" ours "$TMP/ours.csv"
bt import cdr "$TMP/ours.csv" --account acme --format asterisk >/dev/null 2>&1
bt cdrs acme --format json >"$TMP/cdrs.json"
python3 "$HERE/../cli/disputes_gen.py" theirs "$TMP/cdrs.json" "$TMP" || { echo "tui-disputes: fixture failed" >&2; exit 2; }

# ---- the wizard -------------------------------------------------------------------------
tui_start "$S" 80 24 LANG=C.UTF-8 "BILLTOP_NOW=$NOW" -- --db "$DB"
see "the console starts" "accounts ("
keys /
answer "search account:" "acme"
keys Enter
see "the dashboard opens" "dashboard"
keys i
answer "their CDR file:" "$TMP/carrier.csv"
for p in "format (" "--map" "--tz" "from (Enter" "tolerances:" "flags ("; do
	tui_wait "$S" "$p" || fail "no prompt \"$p\""
	keys Enter
done
see "the wizard opens" "STEP 1 of" 30
CASE=$(screen | head -1 | sed -n 's/.*  case \([0-9][0-9]*\)  .*/\1/p')
[ -n "$CASE" ] || { fail "the title names the saved case"; CASE=0; }
expect_contains "the engine's day is 2026-11-03" "$(screen)" "2026-11-03"
keys End
see "the engine's path ends in a duration verdict" "VERDICT: duration"
case "$(screen)" in *"VERDICT: rating"*) fail "a +90 s call called a rating issue" ;; *) ok ;; esac
expect_contains "the verdict lists every day that differs" "$(screen)" "EVERY DAY THAT DIFFERS (2)"
expect_contains "and mentions the missing calls of the other day" "$(screen)" \
	"2026-11-02  missing calls -0.0470: they lack 4 of ours, we lack 2 of theirs"
keys S
see "S: the single call" "+90"
keys q D
see "D shows the days" "UTC days; * the day the tree runs on"
keys Up Enter
see "Enter on 2026-11-02 runs the tree on it" "the engineer chose the day 2026-11-02"
see "the override is kept as the case's next version" "case $CASE version 2"
keys End
see "the engineer's path ends in missing calls" "VERDICT: missing_calls"

# ---- what the case keeps ----------------------------------------------------------------
bt case "$CASE" --report json >"$TMP/c.json"
expect_eq "case ID: the engineer's conclusion" \
	"$(json "$TMP/c.json" "d['version'], d['verdict'], d['worst_day']['date'], d['steps'][0]['overridden']")" \
	"2 missing_calls 2026-11-02 True"
expect_eq "case ID: the missing calls of that day, both ways" \
	"$(json "$TMP/c.json" "[(f['missing_ours_count'], f['missing_theirs_count']) for f in d['findings'] if f['day'] == '2026-11-02']")" \
	"[(2, 4)]"
bt case "$CASE" --version 1 --report json >"$TMP/c1.json"
expect_eq "--version 1: the engine's first answer" "$(json "$TMP/c1.json" "d['version'], d['verdict']")" "1 duration"
bt cases --format json >"$TMP/cases.json"
expect_eq "cases: the concluded verdict" \
	"$(json "$TMP/cases.json" "[(c['verdict'], c['concluded']) for c in d if c['case'] == $CASE]")" \
	"[('duration', 'missing_calls')]"

# ---- every account's cases from the accounts list -----------------------------------------
keys q q q q
see "back on the accounts list" "accounts ("
keys I
see "I lists every account's cases" "dispute cases, every account"
expect_contains "the case with its concluded verdict, marked" "$(screen | awk -v c="$CASE" '$1 == c')" "missing_calls*"
expect_contains "and its account" "$(screen | awk -v c="$CASE" '$1 == c')" "acme"
keys Enter
see "Enter opens the letter" "Billing dispute: the calls of account acme"
expect_eq "the letter fits 80 columns" "$(screen | awk 'length($0) > 80' | head -1)" ""
tui_stop "$S"
tui_report tui-disputes
