#!/usr/bin/env bash
# test_figures.sh: figures that add up and text that is never cut without a
# sign (issue 11), in a real terminal (tmux):
#   - the console shows the rounded figures the CLI prints (1 of 6 = 16.7 %),
#     USAGE COST on the dashboard, CALLS COST on the usage screen
#   - cut text ends with an ellipsis (UTF-8 "…", ASCII "~"), at 80x24
#   - the statement's heading, its late-CDR note and its memos are whole at
#     80x24 (a long memo goes on under itself)
#   - a status message wider than the screen wraps, whole
#   - a resize while a prompt (or a one-key question, or the post dialogue)
#     is open lays the whole screen out at the new size and keeps the text
#   - the statement by year (Y), equal to `billtop statement --year`, and the
#     width used at 132 columns
#
# Usage: BILLTOP=path/to/billtop bash tests/tui/test_figures.sh
# Prints "tui-figures: N passed, N failed"; exits 1 on any failure.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
BILLTOP=${BILLTOP:-./billtop}
. "$HERE/lib.sh"
tui_init tui-figures
DB=$TUI_TMP/f.db
NOW='2026-12-01 10:00:00'
b() { BILLTOP_NOW="$NOW" "$BILLTOP" --db "$DB" "$@"; }
expect_lacks() { case "$2" in *"$3"*) fail "$1"; printf '  has: %s\n' "$3" >&2 ;; *) ok ;; esac; }
line() { tui_screen "$1" | sed -n "$2p"; }   # line S N: the screen's line N (1 = the title bar)
# wait_line NAME S N TEXT: wait until line N holds TEXT (a resize is drawn
# when the console reads KEY_RESIZE: poll, never sleep a fixed time)
wait_line() {
	local end=$(( $(now_ms) + 5000 ))
	while :; do
		case "$(line "$2" "$3")" in *"$4"*) ok; return 0 ;; esac
		if [ "$(now_ms)" -ge "$end" ]; then
			fail "$1 (line $3 lacks \"$4\")"; tui_screen "$2" | sed 's/^/  | /' >&2; return 1
		fi
		sleep 0.05
	done
}

MEMO="opening deposit by wire transfer, bank reference ACME-2026-11-15-0001"
ACCT=acme-international-telecommunications-wholesale   # too long for the title bar at 80
printf 'prefix,description,rate,first increment,increment\n1,US,0.60,1,1\n' >"$TUI_TMP/deck.csv"
cat >"$TUI_TMP/cdr.csv" <<'CSV'
call_id,start,src,dst,billsec,disposition
a1,2026-12-01 05:10:00,15550001111,12065550100,37,ANSWERED
b1,2026-12-01 06:10:00,15550001111,12065550100,10,ANSWERED
b2,2026-12-01 06:20:00,15550001111,12065550100,11,ANSWERED
c1,2026-12-01 07:01:00,15550001111,12065550100,1,ANSWERED
c2,2026-12-01 07:02:00,15550001111,12065550100,0,NO ANSWER
c3,2026-12-01 07:03:00,15550001111,12065550100,0,NO ANSWER
c4,2026-12-01 07:04:00,15550001111,12065550100,0,NO ANSWER
c5,2026-12-01 07:05:00,15550001111,12065550100,0,BUSY
c6,2026-12-01 07:06:00,15550001111,12065550100,0,FAILED
d1,2026-12-01 08:10:00,15550001111,12065550100,1,ANSWERED
e1,2026-12-01 09:10:00,15550001111,12065550100,1,ANSWERED
CSV
b init >/dev/null
b rates import "$TUI_TMP/deck.csv" --deck us >/dev/null
b account add $ACCT >/dev/null
b account set $ACCT --deck us >/dev/null
b ledger add $ACCT deposit 5 --memo "$MEMO" --at '2026-11-15 09:00' >/dev/null
b ledger add $ACCT mrc 1 --memo "MRC 2026-01" --at '2026-01-01 00:00' >/dev/null
b import cdr "$TUI_TMP/cdr.csv" --account $ACCT --format generic >/dev/null 2>&1

# ---- the console's figures are the CLI's, rounded -----------------------------------
S=fig
tui_start $S 80 24 LANG=C.UTF-8 "BILLTOP_NOW=$NOW" -- --db "$DB"
expect_screen "the console starts" $S "accounts ("
tui_keys $S Enter
expect_screen "the dashboard" $S "USAGE COST"
expect_contains "a title too long for its bar ends with an ellipsis" "$(line $S 1)" \
	" billtop  acme-international-telecommunications-wh… "
expect_contains "12 hours: 6 of 11 connected is 54.5 %, 61 s is 1.02 min" "$(tui_screen $S | grep '^12 hours' | tr -s ' ')" \
	"12 hours 11 6 54.5% 0:10 1.02 0.6100"
tui_keys $S u
expect_screen "the usage screen names the calls' cost" $S "CALLS COST"
expect_contains "usage: 1 of 6 answered is 16.7 %" "$(tui_screen $S | grep '^2026-12-01 07:00' | tr -s ' ')" \
	"2026-12-01 07:00 6 1 16.7% 0:01 0.02 0.0100"
expect_contains "usage: 10 s and 11 s make an ACD of 0:11" "$(tui_screen $S | grep '^2026-12-01 06:00' | tr -s ' ')" \
	"2026-12-01 06:00 2 2 100.0% 0:11 0.35 0.2100"
expect_contains "the CLI says the same" "$(b usage $ACCT | grep '^2026-12-01 07:00' | tr -s ' ')" \
	"2026-12-01 07:00 6 1 16.7% 0:01 0.02 0.0100"

# ---- the statement at 80x24: heading whole, the memo cut with an ellipsis --------------
tui_keys $S s
expect_screen "the statement of this month" $S "Statement 2026-12 (USD)"
expect_screen "the calls line: 61 billed seconds are 1.02 min (cut said 1.01)" $S "1.02 min billed"
tui_keys $S h
expect_screen "November, ended 10 hours ago" $S "Statement 2026-11 (USD)  2026-11-01 to 2026-12-01 UTC"
expect_screen "the late-CDR note is whole at 80x24 (on a line of its own)" $S \
	"late CDRs may still arrive (the period ended less than 24 hours ago)"
expect_screen "a memo wider than its column goes on under it, whole (1)" $S \
	"2026-11-15 09:00:00  deposit             5.0000  opening deposit by wire"
expect_screen "(2)" $S "                                                 transfer, bank reference"
expect_screen "(3)" $S "                                                 ACME-2026-11-15-0001"

# ---- the statement by year ----------------------------------------------------------
tui_keys $S Y
expect_screen "Y: the year" $S "Statement 2026 (USD)  2026-01-01 to 2027-01-01 UTC"
expect_contains "the year holds January's MRC" "$(tui_screen $S)" "MRC 2026-01"
closing=$(b statement $ACCT --year 2026 --format json 2>/dev/null | python3 -c "import json,sys; print(json.load(sys.stdin)['closing_balance'])")
expect_contains "the year's balance is the CLI's --year" "$(tui_screen $S | grep 'Balance to date')" "$closing USD"
tui_keys $S h
expect_screen "h: the year before" $S "Statement 2025 (USD)"
tui_keys $S l Y
expect_screen "Y again: back to the month" $S "Statement 2026-11 (USD)"
tui_keys $S '?'
expect_screen "the help" $S "KEYS"
tui_keys $S NPage
expect_screen "the help lists Y" $S "statement by month / by year"
tui_keys $S q
expect_screen "back to the statement" $S "Statement 2026-11 (USD)"

# ---- a resize while the statement shows: the width is used ------------------------------
tui_resize $S 132 43
expect_screen "132 columns: the memo whole" $S "$MEMO"
tui_keys $S l
expect_screen "December at 132 columns: the calls line whole on one line" $S "Calls: 11 (6 connected), 1.02 min billed"
tui_keys $S h
tui_resize $S 80 24
expect_screen "back to 80: the memo on three lines again" $S "                                                 ACME-2026-11-15-0001"

# ---- a resize during a prompt: the layout follows, the typed text stays ------------------
tui_keys $S p
expect_screen "the post dialogue asks the kind (a one-key menu)" $S "post kind: d deposit"
tui_keys $S d
expect_screen "the dialogue goes on" $S "amount (positive"
tui_type $S 1.23
expect_screen "typed" $S "the sign): 1.23"
tui_resize $S 100 30
wait_line "after the resize the prompt is on the new last line (30), with the text" $S 30 \
	"amount (positive; the kind gives the sign): 1.23"
# the clock ends 4 columns from the right edge: at column 76 of 80, 96 of 100
expect_eq "the title bar spans 100 columns (the clock at the new right edge)" "$(line $S 1 | sed 's/ *$//' | wc -m)" "96"
expect_contains "the screen was laid out again under the prompt" "$(tui_screen $S)" "Statement 2026-11 (USD)"
tui_type $S 456
tui_keys $S Enter
expect_screen "a refused amount: the reason above the prompt" $S "not posted: deposit 1.23456 has 5 decimals"
tui_resize $S 90 26
wait_line "after a resize the prompt is on the new last line (26)" $S 26 "amount (positive"
wait_line "and the reason is drawn again above it" $S 24 "not posted: deposit 1.23456 has 5 decimals"
tui_keys $S Escape
tui_wait_gone $S "amount (positive" || fail "Esc ends the dialogue"
expect_lacks "Esc ends the dialogue: its lines go" "$(tui_screen $S)" "not posted:"
# a one-key question (the export's format), then its path prompt
tui_keys $S e
expect_screen "the export asks the format on one key" $S "export as csv or text"
tui_resize $S 80 24
wait_line "after a resize the question is on the new last line (24)" $S 24 "export as csv or text"
tui_keys $S t
expect_screen "the path prompt" $S "export to (Enter writes, Esc cancels):"
tui_keys $S C-u
tui_type $S "a/very/long/path/that/does/not/fit/in/the/field/of/the/prompt/at/eighty/columns.txt"
wait_line "long input shows its tail after an ellipsis" $S 24 "cancels): …eld/of/the/prompt/at/eighty/columns.txt"
tui_resize $S 132 30
wait_line "after a resize the typed path is still there (wider: more of it)" $S 30 \
	"export to (Enter writes, Esc cancels): a/very/long/path/that/does/not/fit/in/the/field/of/the/prompt/at/eighty/columns.txt"
tui_keys $S Escape
tui_wait_gone $S "export to" || fail "Esc ends the export"
tui_resize $S 80 24
wait_line "80x24 again" $S 24 "? help"

# ---- a status message wider than the screen: whole, on two lines ----------------------
tui_keys $S p
expect_screen "post again" $S "post kind"
tui_keys $S d
tui_type $S 12.345678901234567890123456789012345678901234567890123
tui_keys $S Enter
expect_screen "the error's start" $S 'post: amount "12.345678901234567890123456789012345678901234567890123": amount'
expect_screen "and its end, on the next line: nothing cut" $S "has more than 9 decimals"
tui_stop $S

# ---- ASCII: the ellipsis is "~" -------------------------------------------------------------
S=asc
tui_start $S 80 24 LANG=C "BILLTOP_NOW=$NOW" -- --db "$DB" --ascii
expect_screen "ascii: the console starts" $S "accounts ("
tui_keys $S Enter
expect_screen "ascii: the dashboard" $S "USAGE COST"
expect_contains "ascii: the cut title ends with ~" "$(line $S 1)" " billtop  acme-international-telecommunications-wh~ "
tui_ascii_only "ascii: nothing but ASCII" $S
tui_stop $S

tui_report tui-figures
