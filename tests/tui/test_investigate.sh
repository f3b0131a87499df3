#!/usr/bin/env bash
# test_investigate.sh: screen tests of the dispute wizard (issue 4) in the
# console. They drive the real binary in a real terminal (tmux, 80x24 unless
# said otherwise) and compare what the screens say with the command line
# for the same files:
#   - a demo database (BILLTOP_NOW unset) and "their" file made from `billtop
#     cdrs ACCOUNT --format csv` minus every call of its busiest hour
#   - i on the account, the prompts (defaults shown), the run: the wizard's
#     day, verdict, worst hour and missing ids = `billtop investigate
#     --report json`; H marks the worst hour, D the worst day
#   - overriding a step (y) takes another path (a duration question, another
#     verdict) and is noted in the case; answering the engine's way again
#     (n) brings the first path back
#   - e writes the report: text = `billtop case ID --report text`, JSON =
#     `billtop case ID --report json`, byte for byte
#   - a adds a note; after a restart the case is in the case list (I), its
#     stored report opens, exports, and c closes it
#   - a duration fault (one day 30 s longer per call, one call 300 s): S
#     shows the single call of `investigate --report json` and our rating
#   - read-only: the investigation runs and says the case was not saved;
#     Esc at a prompt cancels; 132x43 and --ascii read cleanly
#
# Usage: BILLTOP=path/to/billtop bash tests/tui/test_investigate.sh
# Prints "tui-investigate: N passed, N failed"; exits 1 on any failure.
# Needs tmux and python3 (lib.sh's helpers: a private tmux server).

set -u
HERE=$(cd "$(dirname "$0")" && pwd)
BILLTOP=${BILLTOP:-./billtop}
. "$HERE/lib.sh"
tui_init tui-investigate
TMP=$TUI_TMP
DB=$TMP/inv.db

bt() { env -u BILLTOP_NOW "$BILLTOP" --db "$DB" "$@"; }
json() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"; }
expect_has() { [ -n "$3" ] || { fail "$1 (nothing to look for)"; return; }; expect_contains "$1" "$2" "$3"; }
expect_lacks() { case "$2" in *"$3"*) fail "$1"; printf '  has: %s\n' "$3" >&2 ;; *) ok ;; esac; }
expect_same_file() {
	if cmp -s "$2" "$3"; then ok; else fail "$1"; diff "$3" "$2" 2>&1 | head -10 >&2; fi
}

N=0
S=""
# start COLS ROWS [BILLTOP ARGS...]: a new console in S, on the accounts list
start() {
	local cols=$1 rows=$2
	shift 2
	N=$((N + 1))
	S=i$N
	tui_start "$S" "$cols" "$rows" LANG=C.UTF-8 -- --db "$DB" "$@"
	see "the console starts ($*)" "accounts ("
}
keys() { tui_keys "$S" "$@"; }
text() { tui_type "$S" "$1"; }
screen() { tui_screen "$S"; }
see() { expect_screen "$1" "$S" "$2" "${3:-5}"; }
line_with() { screen | grep -F -- "$1" | head -1; }
settle() {
	local a b i=0
	a=$(screen)
	while [ $i -lt 25 ]; do
		sleep 0.2
		b=$(screen)
		[ "$a" = "$b" ] && return 0
		a=$b
		i=$((i + 1))
	done
}
# answer PROMPT TEXT: wait for a prompt, replace its pre-filled text
answer() {
	tui_wait "$S" "$1" || { fail "no prompt \"$1\""; screen | sed 's/^/  | /' >&2; }
	keys C-u
	[ -z "$2" ] || text "$2"
	keys Enter
}
# open_account: the account's dashboard from the accounts list
open_account() {
	keys /
	answer "search account:" "$ACC"
	keys Enter
	see "the dashboard of $ACC opens" "dashboard"
}
# investigate FILE: i and the prompts, defaults taken, until the wizard shows
investigate() {
	keys i
	answer "their CDR file:" "$1"
	tui_wait "$S" "format (" || fail "no format prompt"
	keys Enter
	tui_wait "$S" "--map" || fail "no --map prompt"
	keys Enter
	tui_wait "$S" "--tz" || fail "no --tz prompt"
	keys Enter
	tui_wait "$S" "from (Enter" || fail "no period prompt"
	keys Enter
	tui_wait "$S" "tolerances:" || fail "no tolerance prompt"
	expect_has "the tolerances are offered with their defaults" "$(screen | tail -1)" \
		"count=0.5%,seconds=0.5%,cost=0.5%,cost-abs=0.01,time=5s"
	keys Enter
	tui_wait "$S" "flags (" || fail "no flags prompt"
	keys Enter
	see "the wizard opens on its first step ($(basename "$1"))" "STEP 1 of" 60
	settle
}
case_id() { screen | head -1 | sed -n 's/.*  case \([0-9][0-9]*\)  .*/\1/p'; }

# ---- the database and their files --------------------------------------------------

bt demo --quiet >/dev/null 2>&1 || { echo "tui-investigate: demo failed" >&2; exit 2; }
bt account list --format json >"$TMP/accounts.json"
ACC=$(json "$TMP/accounts.json" "sorted(a['name'] for a in d)[0]")
bt cdrs "$ACC" --format csv >"$TMP/ours.csv"
python3 - "$TMP" <<'PY'
# miss.csv: their file lacks every call of our busiest hour.
# dur.csv: on our busiest day their connected calls last 30 s longer, and one
# of them (the day's first connected call) 300 s: the engine's single call.
import collections, csv, sys
d = sys.argv[1]
rows = list(csv.reader(open(f"{d}/ours.csv", newline="")))
head, body = rows[0], rows[1:]
start, billsec, disp = head.index("start"), head.index("billsec"), head.index("disposition")
hours = collections.Counter(r[start][:13] for r in body)
hour = max(sorted(hours), key=lambda h: hours[h])
days = collections.Counter(r[start][:10] for r in body if float(r[billsec]) > 0)
day = max(sorted(days), key=lambda k: days[k])
def write(name, rs):
    with open(f"{d}/{name}", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(head)
        w.writerows(rs)
write("miss.csv", [r for r in body if r[start][:13] != hour])
conn = sorted((r for r in body if r[start][:10] == day and float(r[billsec]) > 0), key=lambda r: (r[start], r[0]))
one = conn[0][0]
out = []
for r in body:
    r = list(r)
    if r[start][:10] == day and float(r[billsec]) > 0:
        r[billsec] = "%.3f" % (float(r[billsec]) + (300 if r[0] == one else 30))
    out.append(r)
write("dur.csv", out)
open(f"{d}/fault.txt", "w").write(f"{hour}\n{day}\n{one}\n")
PY
HOUR=$(sed -n 1p "$TMP/fault.txt")
bt investigate "$ACC" --theirs "$TMP/miss.csv" --report json -o "$TMP/cli.json" 2>/dev/null \
	|| { echo "tui-investigate: investigate failed" >&2; exit 2; }
VERDICT=$(json "$TMP/cli.json" "d['verdict']")
WDAY=$(json "$TMP/cli.json" "d['worst_day']['date']")
WHOUR=$(json "$TMP/cli.json" "d['worst_hour']['hour'][11:16]")
NMISS=$(json "$TMP/cli.json" "len(d['missing_theirs'])")
json "$TMP/cli.json" "'\n'.join(d['missing_theirs'])" >"$TMP/cli-missing.txt"
expect_eq "the fault is the one made (CLI verdict)" "$VERDICT" "missing_calls"
expect_eq "the CLI's worst hour is the hour removed" "$WDAY ${WHOUR:0:2}" "$HOUR"

# ---- the wizard ---------------------------------------------------------------------

start 80 24
open_account
investigate "$TMP/miss.csv"
CASE=$(case_id)
[ -n "$CASE" ] || { fail "the title names the saved case"; screen | head -1 >&2; CASE=0; }
see "the run says the case was saved" "case $CASE saved (verdict $VERDICT)"
tui_clean "wizard step 1 at 80x24" "$S"
expect_has "step 1 asks whether a day differs" "$(screen)" "Do the daily totals differ substantially"
expect_has "step 1 shows the worst day of investigate --report json" "$(line_with "$WDAY")" "$WDAY"
expect_has "step 1: the engine answers yes" "$(screen)" "The engine's answer: YES"
expect_has "step 1 says why (the figures)" "$(screen)" "differ beyond tolerance"
keys Enter
see "Enter takes the answer: step 2" "STEP 2 of 2: Do the connected-call totals roughly match?"
expect_has "step 2: the engine answers no" "$(screen)" "The engine's answer: NO"
expect_has "step 2's figures are the worst day's" "$(line_with "why:")" "$WDAY"
keys Enter
see "Enter again: the verdict" "VERDICT: $VERDICT"
expect_has "the verdict names the worst hour" "$(screen)" "worst hour $WDAY $WHOUR"
expect_has "the verdict counts the calls they lack" "$(screen)" "calls they lack: $NMISS of ours"

# M: every missing id, in the report's order, paging down
keys M
see "M lists the missing calls" "they lack: $NMISS of ours"
settle
: >"$TMP/tui-missing.txt"
for _ in $(seq 1 $((NMISS / 10 + 2))); do
	screen | awk '$2 ~ /^#[0-9]+$/ {print $1}' >>"$TMP/tui-missing.txt"
	keys NPage
	sleep 0.15
done
awk '!seen[$0]++' "$TMP/tui-missing.txt" >"$TMP/tui-missing-u.txt"
expect_same_file "M lists the missing ids of investigate --report json (missing_theirs)" \
	"$TMP/tui-missing-u.txt" "$TMP/cli-missing.txt"
keys l
settle
expect_has "l switches to the calls we lack (their file lines)" "$(line_with "RECORD ID")" "LINE"
keys q
see "q returns to the wizard" "VERDICT: $VERDICT"

keys H
see "H shows the worst day hour by hour" "$WDAY by UTC hour"
expect_has "H marks the worst hour" "$(screen)" "$WHOUR *"
keys q D
see "D shows the daily table" "UTC days; * the day the tree runs on"
expect_has "D marks the worst day" "$(screen)" "$WDAY *"
# Enter on another day runs the tree on it; y with no day gives it back
keys Up Enter
see "Enter in D runs the tree on the day chosen" "the engineer chose the day"
expect_has "the path marks the engineer's day" "$(line_with "path:")" "1 day: yes!"
keys q
see "q back to step 1" "STEP 1 of"
keys y
answer "investigate which UTC day" ""
see "an empty day gives the choice back to the engine" "the engine's day again"
expect_has "the engine's day again: the path is the engine's" "$(line_with "path:")" "1 day: yes > 2 connected: no"
keys End
see "End: the verdict" "VERDICT: $VERDICT"
keys S
see "S without a single call says so" "no single call on this path"

# override: q back to step 2, y (connected totals match): a duration question
keys q
see "q goes back a step" "STEP 2 of 2"
keys y
see "y re-runs the tree: a third step" "STEP 3 of 3: Do the duration totals roughly match?"
expect_has "the path marks the engineer's answer" "$(line_with "path:")" "2 connected: yes!"
# the conclusion is kept as the case's next version (issue 11), the note says why
see "the override is saved as the case's next version" "case $CASE version "
keys Enter
settle
V2=$(screen | sed -n 's/^VERDICT: \([a-z_]*\).*/\1/p')
case "$V2" in duration|rating) ok ;; *) fail "the overridden path ends in duration or rating (got \"$V2\")" ;; esac
bt case "$CASE" >"$TMP/case-notes.txt" 2>&1   # the state (notes) leads; --report text is the letter alone
expect_has "the case's notes record the override" "$(cat "$TMP/case-notes.txt")" \
	"override: \"Do the connected-call totals roughly match?\" yes (the engine: no)"
keys q q
see "back at step 2" "STEP 2 of 3"
keys n
see "n (the engine's answer) brings the first path back" "VERDICT: $VERDICT"
expect_has "the path is the engine's again" "$(line_with "path:")" "2 connected: no > verdict: $VERDICT"

# e: the report of the path shown = the stored case
keys e
tui_wait "$S" "export as csv, text or json (Enter: text)" || fail "no export format menu"
keys Enter   # the menu's default, one key
answer "export to" "$TMP/wiz.txt"
see "e says where the report went" "wrote $TMP/wiz.txt"
bt case "$CASE" --report text >"$TMP/case.txt"
expect_same_file "e (text) = billtop case $CASE --report text" "$TMP/wiz.txt" "$TMP/case.txt"
keys e
tui_wait "$S" "export as" || fail "no export format menu"
keys j
answer "export to" "$TMP/wiz.json"
see "e json: written" "wrote $TMP/wiz.json"
bt case "$CASE" --report json >"$TMP/case.json"
expect_same_file "e (json) = billtop case $CASE --report json" "$TMP/wiz.json" "$TMP/case.json"
expect_eq "the exported report has the CLI's verdict, day, hour and missing ids" \
	"$(json "$TMP/wiz.json" "d['verdict'], d['worst_day']['date'], d['worst_hour']['hour'], d['missing_theirs']")" \
	"$(json "$TMP/cli.json" "d['verdict'], d['worst_day']['date'], d['worst_hour']['hour'], d['missing_theirs']")"

# a: a note
keys a
answer "note for case $CASE:" "sent to the carrier"
see "a: the note is added" "note added to case $CASE"
expect_has "billtop case shows the note" "$(bt case "$CASE")" "sent to the carrier"
case "$(bt case "$CASE" --report text)" in
*"sent to the carrier"*) fail "the letter (case --report text) carries an internal note" ;; *) ok ;; esac
keys Q
tui_stop "$S"

# ---- the cases after a restart --------------------------------------------------------------

start 80 24
open_account
keys I
see "I lists the account's cases" "dispute cases (2)"
settle
row=$(screen | awk -v c="$CASE" '$1 == c' | head -1)
expect_has "case $CASE is listed with its verdict" "$row" "$VERDICT"
expect_has "case $CASE is listed as open" "$row" "open"
expect_has "case $CASE names who opened it" "$row" "$(bt case "$CASE" --report json | python3 -c "import json,sys; print(json.load(sys.stdin)['operator'][:10])")"
tui_clean "case list at 80x24" "$S"
keys Enter
# the stored report is the letter to the carrier: the verdict in the title, no notes (issue 11)
see "Enter reopens the stored report" "Billing dispute: the calls of account"
expect_has "the stored report says the verdict" "$(screen | head -1)" "case $CASE  open  $VERDICT"
case "$(screen)" in *"sent to the carrier"*) fail "the letter shows an internal note" ;; *) ok ;; esac
keys e
tui_wait "$S" "export as" || fail "no export format menu"
keys t
answer "export to" "$TMP/stored.txt"
see "the stored report exports" "wrote $TMP/stored.txt"
bt case "$CASE" --report text >"$TMP/case2.txt"
expect_same_file "the stored report's export = billtop case $CASE --report text" "$TMP/stored.txt" "$TMP/case2.txt"
keys q
see "q returns to the case list" "dispute cases (2)"
keys c
tui_wait "$S" "close case $CASE for good? (y/n)" || fail "no close prompt"
keys y   # one key, no Enter
see "c closes the case" "case $CASE closed"
settle
expect_has "the list shows it closed" "$(screen | awk -v c="$CASE" '$1 == c' | head -1)" "closed"
expect_has "billtop cases agrees" "$(bt cases "$ACC" --format json)" "\"status\": \"closed\""
keys Q
tui_stop "$S"

# ---- a duration fault: the single call --------------------------------------------------------

bt investigate "$ACC" --theirs "$TMP/dur.csv" --report json -o "$TMP/dur.json" 2>/dev/null
ONE=$(sed -n 3p "$TMP/fault.txt")
expect_eq "the duration fault: CLI verdict and single call" \
	"$(json "$TMP/dur.json" "d['verdict'], d['single_call']['theirs']['id']")" "duration $ONE"
OURS_ID=$(json "$TMP/dur.json" "d['single_call']['ours']['id']")
start 132 43
open_account
investigate "$TMP/dur.csv"
tui_clean "wizard at 132x43" "$S"
keys End
see "End: the verdict" "VERDICT: duration"
keys S
see "S shows the single call" "the matched call of the day whose duration differs most"
expect_has "S: our side is investigate's single call" "$(line_with "record id")" "$OURS_ID"
expect_has "S: their side too" "$(line_with "record id")" "$ONE"
expect_has "S: the difference is the 300 s made" "$(line_with "difference")" "seconds +300.000"
expect_has "S: our rating of the call" "$(screen)" "OUR RATING (billtop explain #"
expect_has "S: the rate row we rated with" "$(screen)" "rate row"
keys q D
see "D at 132 columns" "UTC days; * the day the tree runs on"
expect_eq "D at 132 columns shows ours/theirs of calls, connected, seconds and cost" \
	"$(line_with "day    " | grep -o ours | wc -l)" 4
keys Q
tui_stop "$S"

# ---- read-only, Esc, --ascii -------------------------------------------------------------------

NCASES=$(bt cases "$ACC" --format json | python3 -c "import json,sys; print(len(json.load(sys.stdin)))")
start 80 24 --read-only --ascii
open_account
keys i
answer "their CDR file:" "$TMP/miss.csv"
tui_wait "$S" "format (" || fail "no format prompt"
keys Escape
see "Esc at a prompt cancels the investigation" "investigation cancelled"
investigate "$TMP/miss.csv"
see "read-only: the wizard says the case was not saved" "read-only: the case was NOT saved"
expect_has "read-only: the title says so" "$(screen | head -1)" "NOT SAVED"
tui_ascii_only "wizard with --ascii" "$S"
keys a
see "read-only: no notes" "read-only: the case was not saved, so it takes no notes"
keys Enter Enter
see "read-only: the wizard still walks to the verdict" "VERDICT: $VERDICT"
keys q q
keys I
see "read-only: the case list opens" "dispute cases ($NCASES)"
keys c
see "read-only: closing is refused" "read-only: closing a case needs write access"
keys Q
tui_stop "$S"
expect_eq "read-only stored no case" \
	"$(bt cases "$ACC" --format json | python3 -c "import json,sys; print(len(json.load(sys.stdin)))")" "$NCASES"

start 80 24
open_account
# Esc while loading: their file is a FIFO that never ends (a switch export
# still being written, or a wrong path to a huge file): without the cancel
# the load would never return. A period is given, so our side is read on
# other threads at the same time and must stop too.
mkfifo "$TMP/endless.csv"
python3 - "$TMP/ours.csv" "$TMP/endless.csv" <<'PY' &
import sys
rows = open(sys.argv[1]).read().splitlines(True)
try:
    with open(sys.argv[2], "w") as f:
        f.write(rows[0])
        while True:
            f.writelines(rows[1:])
except (BrokenPipeError, OSError):
    pass
PY
ENDLESS=$!
read -r DAY1 DAY2 <<EOF
$(python3 -c "
import csv, datetime, sys
r = list(csv.DictReader(open(sys.argv[1])))
d = min(x['start'][:10] for x in r)
print(d, datetime.date.fromisoformat(d) + datetime.timedelta(days=120))" "$TMP/ours.csv")
EOF
keys i
answer "their CDR file:" "$TMP/endless.csv"
answer "format (" generic
answer "--map" ""
answer "--tz" ""
answer "from (Enter" "$DAY1"
answer "to (" "$DAY2"
answer "tolerances:" "count=0.5%,seconds=0.5%,cost=0.5%,cost-abs=0.01,time=5s"
answer "flags (" ""
see "loading an endless file shows that Esc cancels" "(Esc cancels)" 10
sleep 1
keys Escape
see "Esc while loading stops it" "investigation cancelled while loading: nothing was saved" 10
kill "$ENDLESS" 2>/dev/null; wait "$ENDLESS" 2>/dev/null
keys Q
tui_stop "$S"
expect_eq "a cancelled investigation stored no case" \
	"$(bt cases "$ACC" --format json | python3 -c "import json,sys; print(len(json.load(sys.stdin)))")" "$NCASES"

tui_report tui-investigate
