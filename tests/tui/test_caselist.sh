#!/usr/bin/env bash
# test_caselist.sh: the dispute cases list on the list base (issue 11):
# with two cases on two accounts of the demo database (made with
# `billtop investigate ACCOUNT --theirs FILE`),
#   - I on the accounts list lists both; the detail line holds the selected
#     case whole at 80x24 (status, account, opened by, verdict, period,
#     money in dispute, their file's name);
#   - `/` narrows the list as it is typed, Esc shows every case again, `n`
#     goes to the next match;
#   - `o` sorts by a column and the same again reverses;
#   - `e` writes the CSV `billtop cases --format csv` writes (every
#     account's, and one account's from that account's list);
#   - Enter still opens the case's letter, c still closes a case;
#   - in the dispute wizard, the daily table (D) and the missing calls (M)
#     are lists too: `/`, `o`, `e` and the detail line; Enter on a day and
#     h/l keep their meaning.
# Usage: BILLTOP=path/to/billtop bash tests/tui/test_caselist.sh
# Prints "tui-caselist: N passed, N failed"; exits 1 on any failure.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
BILLTOP=${BILLTOP:-./billtop}
. "$HERE/lib.sh"
tui_init tui-caselist
TMP=$TUI_TMP
DB=$TMP/c.db
NOW="2026-11-18 14:30:00"
export USER=caselist LOGNAME=caselist
bt() { BILLTOP_NOW="$NOW" "$BILLTOP" --db "$DB" "$@"; }
S=c1
keys() { tui_keys "$S" "$@"; }
screen() { tui_screen "$S"; }
see() { expect_screen "$1" "$S" "$2" "${3:-5}"; }
answer() {
	tui_wait "$S" "$1" || { fail "no prompt \"$1\""; screen | sed 's/^/  | /' >&2; }
	keys C-u
	[ -z "$2" ] || tui_type "$S" "$2"
	keys Enter
}
# the list's rows: lines whose first field is a case id (open or closed)
rows() { screen | awk '$1 ~ /^[0-9]+$/ && ($2 == "open" || $2 == "closed")'; }
ids() { rows | awk '{ printf "%s ", $1 }'; }
export_csv() {
	keys e
	tui_wait "$S" "export as" || fail "no export prompt"
	keys c
	answer "export to" "$1"
	see "export written: $1" "wrote $1"
}

# ---- the fixture: two cases on two accounts ----------------------------------------------
bt demo --seed 7 --quiet >/dev/null || { echo "tui-caselist: demo failed" >&2; exit 2; }
MAP="start=start,src=src,dst=dst,billsec=billsec,disposition=disposition"
bt cdrs acme-voip --from 2026-11-17 --to 2026-11-18 --format csv | head -500 >"$TMP/acme-their-file.csv"
bt cdrs globex-telecom --from 2026-11-16 --to 2026-11-17 --format csv | head -300 \
	>"$TMP/globex-carrier-statement-of-november-2026.csv"
bt investigate acme-voip --theirs "$TMP/acme-their-file.csv" --theirs-format generic --theirs-map "$MAP" \
	>/dev/null 2>&1 || { echo "tui-caselist: investigate acme-voip failed" >&2; exit 2; }
bt investigate globex-telecom --theirs "$TMP/globex-carrier-statement-of-november-2026.csv" \
	--theirs-format generic --theirs-map "$MAP" >/dev/null 2>&1 ||
	{ echo "tui-caselist: investigate globex-telecom failed" >&2; exit 2; }
bt cases --format csv >"$TMP/cli-all.csv"
expect_eq "fixture: two cases" "$(($(wc -l <"$TMP/cli-all.csv") - 1))" 2
# case 2 (globex, the newer) lists first
G=$(python3 -c 'import csv,sys; r=[x for x in csv.DictReader(open(sys.argv[1])) if x["account"]=="globex-telecom"][0]; print(r["case"], r["concluded"], r["disputed"], r["operator"], r["from"][:10])' "$TMP/cli-all.csv")
read -r GID GVERDICT GDISPUTED GOP GFROM <<<"$G"

# ---- every account's cases at 80x24 --------------------------------------------------------
tui_start "$S" 80 24 LANG=C.UTF-8 "BILLTOP_NOW=$NOW" -- --db "$DB"
see "the console starts" "accounts ("
keys I
see "I lists every account's cases" "dispute cases, every account (2)"
expect_eq "both cases listed, the newest first" "$(ids)" "2 1 "
# the detail line: the selected case whole
scr=$(screen)
expect_contains "detail: the case, its status and account" "$scr" "case $GID  open  globex-telecom"
expect_contains "detail: who opened it" "$scr" "by $GOP"
expect_contains "detail: the verdict" "$scr" "verdict $GVERDICT"
expect_contains "detail: the period" "$scr" "$GFROM.."
expect_contains "detail: the money in dispute" "$scr" "in dispute $GDISPUTED USD"
expect_contains "detail: their file's name whole" "$scr" "their file globex-carrier-statement-of-november-2026.csv"
expect_eq "the screen fits 80 columns" "$(screen | python3 -c 'import sys; print(next((l for l in sys.stdin.read().split("\n") if len(l) > 80), ""))')" ""
tui_clean "case list at 80x24" "$S"

# ---- / narrows as it is typed --------------------------------------------------------------
keys /
tui_type "$S" "a"
tui_wait "$S" ": /a)" || fail "/: the status line does not show /a"
expect_eq "/a: both cases still (acme, globex... both hold an a)" "$(ids)" "2 1 "
tui_type "$S" "c"
tui_wait "$S" ": /ac)" || fail "/: the status line does not show /ac"
expect_eq "/ac narrows to acme's case as it is typed" "$(ids)" "1 "
expect_contains "and says from how many" "$(screen)" "filtered from 2"
expect_contains "the detail follows the selection" "$(screen)" "case 1  open  acme-voip"
keys Escape
tui_wait_gone "$S" "filtered from" || fail "Esc does not clear the filter"
expect_eq "Esc shows every case again" "$(ids)" "2 1 "
keys /
tui_type "$S" "2026"
keys Enter
keys /
tui_wait "$S" ": /2026)" || fail "/2026 not kept"
keys Escape
tui_wait_gone "$S" "filtered from" || fail "/ Esc does not clear /2026"
keys Home n
see "n: the next case matching the last text" "case 1  open  acme-voip"

# ---- o sorts and reverses ------------------------------------------------------------------
keys o
tui_wait "$S" "sort:" || fail "no sort menu"
expect_contains "the sort menu offers the account" "$(screen)" "3 ACCOUNT"
keys 3
see "o 3: sorted by account" "ACCOUNT^"
expect_eq "o 3 orders the accounts" "$(ids)" "1 2 "
keys o
tui_wait "$S" "sort:" || fail "no sort menu"
keys 3
see "o 3 again: reversed" "ACCOUNTv"
expect_eq "the same again reverses" "$(ids)" "2 1 "
keys o
tui_wait "$S" "sort:" || fail "no sort menu"
keys 0
tui_wait_gone "$S" "ACCOUNTv" || fail "o 0 keeps the sort"

# ---- e writes billtop cases' CSV -----------------------------------------------------------
export_csv "$TMP/tui-all.csv"
if cmp -s "$TMP/tui-all.csv" "$TMP/cli-all.csv"; then ok; else
	fail "e: the CSV differs from billtop cases --format csv"
	diff "$TMP/cli-all.csv" "$TMP/tui-all.csv" | head -5 >&2
fi

keys e
tui_wait "$S" "export as" || fail "no export prompt"
keys t
answer "export to" "$TMP/tui-all.txt"
see "text export written" "wrote $TMP/tui-all.txt"
bt cases >"$TMP/cli-all.txt"
if cmp -s "$TMP/tui-all.txt" "$TMP/cli-all.txt"; then ok; else
	fail "e: the text differs from billtop cases"
	diff "$TMP/cli-all.txt" "$TMP/tui-all.txt" | head -5 >&2
fi

# ---- Enter and c keep their meaning --------------------------------------------------------
keys Home Enter
see "Enter opens the case's letter" "Billing dispute: the calls of account globex-telecom"
keys q
see "q returns to the list" "dispute cases, every account (2)"
tui_stop "$S"

# ---- one account's list at 132x43 ----------------------------------------------------------
tui_start "$S" 132 43 LANG=C.UTF-8 "BILLTOP_NOW=$NOW" -- --db "$DB"
see "the console starts" "accounts ("
keys Enter
see "the dashboard opens" "dashboard"
keys I
see "I lists the account's cases" "dispute cases (1)"
scr=$(screen)
for h in CASE STATUS "OPENED BY" VERDICT "IN DISPUTE" "OPENED (UTC)" "PERIOD (UTC)" NOTES "THEIR FILE"; do
	expect_contains "132x43: the column $h" "$(echo "$scr" | grep -m1 'CASE')" "$h"
done
expect_contains "132x43: their file's name in its column" "$(rows)" "acme-their-file.csv"
bt cases acme-voip --format csv >"$TMP/cli-acme.csv"
export_csv "$TMP/tui-acme.csv"
if cmp -s "$TMP/tui-acme.csv" "$TMP/cli-acme.csv"; then ok; else
	fail "e: the account's CSV differs from billtop cases acme-voip --format csv"
	diff "$TMP/cli-acme.csv" "$TMP/tui-acme.csv" | head -5 >&2
fi
keys c
tui_wait "$S" "close case 1 for good? (y/n)" || fail "c: no close prompt"
keys y
see "c closes the case" "case 1 closed"
tui_stop "$S"

# ---- the wizard's daily table (D) on the list base -----------------------------------------
# their file: acme-voip's calls of three days, every fifth left out
bt cdrs acme-voip --from 2026-11-15 --to 2026-11-18 --format csv | awk 'NR == 1 || NR % 5' >"$TMP/three.csv"
bt investigate acme-voip --theirs "$TMP/three.csv" --report json >"$TMP/three.json" 2>/dev/null ||
	{ fail "investigate three days"; }
daily() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($1)" "$TMP/three.json"; }
tui_start "$S" 80 24 LANG=C.UTF-8 "BILLTOP_NOW=$NOW" -- --db "$DB"
see "the console starts" "accounts ("
keys Enter
see "the dashboard opens" "dashboard"
keys i
answer "their CDR file:" "$TMP/three.csv"
for p in "format (" "--map" "--tz" "from (Enter" "tolerances:" "flags ("; do
	tui_wait "$S" "$p" || fail "no prompt \"$p\""
	keys Enter
done
see "the wizard opens" "STEP 1 of" 30
keys D
see "D shows the days" "UTC days; * the day the tree runs on"
# the table's rows (not the detail line, which starts with the day too)
drows() { screen | awk '$1 ~ /^2026-[0-9][0-9]-[0-9][0-9]$/ && $2 != "calls" && $2 != "(the" { printf "%s ", $1 }'; }
expect_eq "D: every day, in order" "$(drows)" "$(daily "' '.join(x['date'] for x in d['daily']) + ' '")"
WDAY=$(daily "d['worst_day']['date']")
expect_contains "D: the detail line holds the worst day whole" "$(screen)" \
	"$WDAY (the tree's day)  calls $(daily "d['worst_day']['calls_ours']")/$(daily "d['worst_day']['calls_theirs']")"
keys /
tui_type "$S" "11-16"
tui_wait "$S" ": /11-16)" || fail "D /: no /11-16"
expect_eq "D: / narrows the days as typed" "$(drows)" "2026-11-16 "
keys /
keys Escape
tui_wait_gone "$S" "filtered from" || fail "D: / Esc does not clear"
keys o
tui_wait "$S" "sort:" || fail "D: no sort menu"
expect_contains "D: the menu offers cost ours" "$(screen)" "6 cost ours"
keys 6
see "D: o 6 sorts by our cost (the mark left of a right-aligned title)" "^cost ours"
expect_eq "D: o 6 orders the days by our cost" "$(drows)" \
	"$(daily "' '.join(x['date'] for x in sorted(d['daily'], key=lambda x: float(x['cost_ours']))) + ' '")"
keys o
tui_wait "$S" "sort:" || fail "D: no sort menu"
keys 6
see "D: again reverses" "vcost ours"
expect_eq "D: reversed" "$(drows)" \
	"$(daily "' '.join(x['date'] for x in sorted(d['daily'], key=lambda x: -float(x['cost_ours']))) + ' '")"
export_csv "$TMP/days.csv"
expect_eq "D: e writes a header and the three days" "$(wc -l <"$TMP/days.csv" | tr -d ' ')" 4
expect_contains "D: the CSV holds our cost of the worst day" "$(grep "^\"\\?$WDAY" "$TMP/days.csv")" \
	"$(daily "d['worst_day']['cost_ours']")"
keys End
tui_wait "$S" "row 3 of 3" || fail "D: End"
keys Enter
see "D: Enter still runs the tree on the day chosen" "the engineer chose the day"
# ---- the worst day by hour (H) on the list base --------------------------------------------
keys End H
see "H shows the day by hour" "by UTC hour"
# the list's rows: between the header and the status line
hrows() { screen | awk '/^hour / { on = 1; next } /^─row/ { on = 0 } on && $1 ~ /^[0-2][0-9]:00$/ { printf "%s ", $1 }'; }
expect_contains "H: the worst hour marked and selected" "$(screen)" "(the worst hour)  calls"
keys /
tui_type "$S" "09:"
tui_wait "$S" ": /09:)" || fail "H /: no /09:"
expect_eq "H: / narrows the hours as typed" "$(hrows)" "09:00 "
keys /
keys Escape
tui_wait_gone "$S" "filtered from" || fail "H: / Esc does not clear"
export_csv "$TMP/hours.csv"
expect_eq "H: e writes a header and the 24 hours" "$(wc -l <"$TMP/hours.csv" | tr -d ' ')" 25
keys o
tui_wait "$S" "sort:" || fail "H: no sort menu"
keys 2
see "H: o 2 sorts by our connected calls" "sorted by conn ours"
conn=$(screen | awk '/^hour / { on = 1; next } /^─row/ { on = 0 } on && $1 ~ /^[0-2][0-9]:00$/ { print ($2 == "*" ? $3 : $2) }')
expect_eq "H: o 2 orders the hours" "$conn" "$(printf '%s\n' "$conn" | sort -n)"
keys q
see "q back to the wizard" "VERDICT:"

# ---- the missing calls (M) on the list base ------------------------------------------------
keys End M
see "M lists the missing calls" "they lack: "
NM=$(screen | sed -n 's/.*they lack: \([0-9][0-9]*\) of ours.*/\1/p' | head -1)
mrows() { screen | awk '$2 ~ /^#[0-9]+$/'; }
expect_eq "M: every call they lack on the screen" "$(mrows | wc -l | tr -d ' ')" "$NM"
expect_contains "M: the detail line holds the selected call whole" "$(screen)" "our call, cdr row $(mrows | awk 'NR == 1 { print $2 }') (they lack it)"
keys o
tui_wait "$S" "sort:" || fail "M: no sort menu"
expect_contains "M: the menu offers the seconds" "$(screen)" "5 SECONDS"
keys 5
see "M: o 5 sorts by seconds" "sorted by SECONDS"
secs=$(mrows | awk '{ print $5 }')
expect_eq "M: o 5 orders the calls by seconds" "$secs" "$(printf '%s\n' "$secs" | sort -n)"
keys o
tui_wait "$S" "sort:" || fail "M: no sort menu"
keys 5
see "M: again reverses" "sorted by SECONDS, reversed"
secs=$(mrows | awk '{ print $5 }')
expect_eq "M: reversed" "$secs" "$(printf '%s\n' "$secs" | sort -rn)"
ONE=$(mrows | awk 'NR == 2 { print $1 }')
keys /
tui_type "$S" "$ONE"
tui_wait "$S" ": /$ONE)" || fail "M /: no /$ONE"
expect_eq "M: / narrows to the call typed" "$(mrows | awk '{ print $1 }')" "$ONE"
keys /
keys Escape
tui_wait_gone "$S" "filtered from" || fail "M: / Esc does not clear"
export_csv "$TMP/missing.csv"
expect_eq "M: e writes a header and every call they lack" "$(wc -l <"$TMP/missing.csv" | tr -d ' ')" "$((NM + 1))"
keys l
see "M: l still switches to the calls we lack" "LINE"
tui_stop "$S"

tui_report tui-caselist
