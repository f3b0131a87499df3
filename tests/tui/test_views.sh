#!/usr/bin/env bash
# test_views.sh: screen tests for the statement, call list, explain, ledger
# screens and posting. They drive the real binary in a real terminal (tmux,
# 80x24 unless said otherwise), read the screen as a user would, and compare
# it with what the command line says for the same database:
#   - the statement's closing balance = `statement --format json` closing_balance
#   - an exported statement = `billtop statement` (text) / --format csv, byte for byte
#   - the call list's first row = `billtop cdrs --limit 1`; End shows the oldest
#   - Enter on a call shows `billtop explain`'s billed seconds and cost lines
#   - a filtered export = `billtop cdrs --number N --format csv`
#   - posting a deposit moves the balance shown, and `billtop balance` agrees
#   - read-only refuses to post; memos show control characters escaped
#   - every screen reads at 80x24 and 132x43, UTF-8 and --ascii, colour and not
#
# Usage: BILLTOP=path/to/billtop bash tests/tui/test_views.sh   (default ./billtop)
# Prints "tui-views: N passed, N failed"; exits 1 on any failure.
# Needs tmux and python3. The terminal helpers are tests/tui/lib.sh's (bash):
# a private tmux server, unique session names, all killed at exit.

set -u
HERE=$(cd "$(dirname "$0")" && pwd)
BILLTOP=${BILLTOP:-./billtop}
. "$HERE/lib.sh"
tui_init tui-views
TMP=$TUI_TMP
DB=$TMP/v.db
# A fixed "now" for the demo, the commands and the console alike, so the
# month and "recent" notes cannot change between the screen and the command.
BILLTOP_NOW='2026-03-18 15:30:00'
export BILLTOP_NOW
MONTH=2026-03
PREV=2026-02

pass() { ok; }

expect_has() {   # expect_has NAME HAYSTACK NEEDLE: an empty needle fails
	[ -n "$3" ] || { fail "$1 (nothing to look for: a command gave no output)"; return; }
	expect_contains "$1" "$2" "$3"
}

expect_lacks() {   # expect_lacks NAME HAYSTACK NEEDLE
	case "$2" in *"$3"*) fail "$1"; printf '  has: %s\n' "$3" >&2 ;; *) ok ;; esac
}

expect_same_file() {   # expect_same_file NAME GOT WANT
	if cmp -s "$2" "$3"; then ok; else
		fail "$1"; diff "$3" "$2" 2>&1 | head -10 >&2; fi
}

# ---- the terminal (lib.sh), for one console at a time ----------------------

N=0
S=""
# start COLS ROWS [VAR=VALUE...] [-- BILLTOP ARGS...]: a new console in S.
start() {
	local cols=$1 rows=$2
	shift 2
	N=$((N + 1))
	S=v$N
	local envs=() args=()
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do envs+=("$1"); shift; done
	[ $# -gt 0 ] && shift
	args=("$@")
	tui_start "$S" "$cols" "$rows" LANG=C.UTF-8 "BILLTOP_NOW=$BILLTOP_NOW" "${envs[@]}" -- --db "$DB" "${args[@]}"
	see "the console starts (${envs[*]} ${args[*]})" "accounts ("
}

stop() { tui_stop "$S"; }
keys() { tui_keys "$S" "$@"; }
text() { [ -z "$1" ] || tui_type "$S" "$1"; }
screen() { tui_screen "$S"; }
wait_for() { [ -n "$1" ] && tui_wait "$S" "$1"; }
see() { expect_screen "$1" "$S" "$2"; }   # see NAME TEXT: the screen comes to show TEXT

# settle: wait until two captures 0.2 s apart agree.
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

line_with() { screen | grep -F -- "$1" | head -1; }   # first screen line containing $1

# prompt_answer PROMPT ANSWER: wait for a prompt, replace its pre-filled text.
prompt_answer() {
	wait_for "$1" || fail "no prompt \"$1\""
	keys C-u
	text "$2"
	keys Enter
}
# prompt_key PROMPT KEY: a y/n or menu question, answered on one key (no Enter)
prompt_key() {
	wait_for "$1" || fail "no prompt \"$1\""
	keys "$2"
}

json() {   # json FILE EXPR
	python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"
}

# ---- the database ----------------------------------------------------------

"$BILLTOP" --db "$DB" demo --quiet >/dev/null 2>&1 || { echo "tui-views: demo failed" >&2; exit 2; }
"$BILLTOP" --db "$DB" account list --format json >"$TMP/accounts.json"
ACC=$(json "$TMP/accounts.json" "sorted(a['name'] for a in d)[0]")   # the first row on screen

# ---- statement ---------------------------------------------------------------

start 80 24
keys Enter
see "Enter opens the dashboard" "dashboard"
keys s
see "s opens this month's statement ($MONTH)" "Statement $MONTH"
settle
"$BILLTOP" --db "$DB" statement "$ACC" --month "$MONTH" --format json >"$TMP/st.json" 2>/dev/null
want=$(json "$TMP/st.json" "d['closing_balance']")
# the current month is shown to date: "Balance to date 2026-03-18 15:30  AMOUNT USD"
got=$(line_with "Balance to date" | awk '{print $6}')
expect_eq "statement $MONTH balance to date = statement --format json" "$got" "$want"
want=$(json "$TMP/st.json" "d['opening_balance']")
got=$(line_with "opening balance" | awk '{print $3}')
expect_eq "statement $MONTH opening balance" "$got" "$want"
kinds=$(json "$TMP/st.json" "' '.join(t['kind'] for t in d['transactions'])")
for k in $kinds; do
	expect_has "statement lists a $k transaction" "$(screen)" "  $k "
done

keys h
see "h moves to the previous month" "Statement $PREV"
settle
"$BILLTOP" --db "$DB" statement "$ACC" --month "$PREV" --format json >"$TMP/prev.json" 2>/dev/null
want=$(json "$TMP/prev.json" "d['closing_balance']")
got=$(line_with "Closing balance" | awk '{print $5}')
expect_eq "statement $PREV closing balance after h" "$got" "$want"
keys l
see "l moves back to $MONTH" "Statement $MONTH"

# e: text, then CSV; the files must equal the command's output byte for byte
keys e
prompt_key "csv or text" t
prompt_answer "export to" "$TMP/st.txt"
see "the status line names the written file" "wrote $TMP/st.txt"
"$BILLTOP" --db "$DB" statement "$ACC" --month "$MONTH" >"$TMP/st-cli.txt" 2>/dev/null
expect_same_file "exported statement (text) = billtop statement" "$TMP/st.txt" "$TMP/st-cli.txt"
keys e
prompt_key "csv or text" c
prompt_answer "export to" "$TMP/st.csv"
see "csv export: written path shown" "wrote $TMP/st.csv"
"$BILLTOP" --db "$DB" statement "$ACC" --month "$MONTH" --format csv >"$TMP/st-cli.csv" 2>/dev/null
expect_same_file "exported statement (csv) = billtop statement --format csv" "$TMP/st.csv" "$TMP/st-cli.csv"
# overwriting asks first; n leaves the file alone
keys e
prompt_key "csv or text" c
prompt_answer "export to" "$TMP/st.txt"
prompt_key "overwrite" n
see "refusing to overwrite says so" "left as it was"
expect_same_file "a refused overwrite leaves the file" "$TMP/st.txt" "$TMP/st-cli.txt"

# ---- call list and explain -------------------------------------------------------

keys q c
see "c opens the call list" "calls, newest first"
settle
"$BILLTOP" --db "$DB" cdrs "$ACC" --limit 1 --format csv | sed -n 2p >"$TMP/first.csv"
id=$(python3 -c "import csv,sys; r=next(csv.reader(open(sys.argv[1]))); print(r[0])" "$TMP/first.csv")
row=$(screen | sed -n 3p)
python3 -c "import csv,sys; r=next(csv.reader(open(sys.argv[1]))); print('\n'.join([r[1][:16], r[2][:12], r[3][:14], r[6], r[9]]))" \
	"$TMP/first.csv" >"$TMP/first.fields"
while IFS= read -r f; do   # start (to the minute), from, to, billsec, cost of `cdrs --limit 1`
	expect_has "first call row shows $f (cdrs --limit 1)" "$row" "$f"
done <"$TMP/first.fields"
expect_has "the selected call's id is shown" "$(screen | sed -n 23p)" "$id"

keys Enter
see "Enter explains the selected call" "explain $id"
settle
"$BILLTOP" --db "$DB" explain "$id" >"$TMP/explain.txt"
shown=$(screen)
while IFS= read -r l; do   # every line of `billtop explain`, as far as 80 columns show it
	expect_has "explain shows: $l" "$shown" "$(printf '%s' "$l" | cut -c1-79)"
done <"$TMP/explain.txt"
expect_has "explain names the command" "$shown" "billtop explain $id"
keys q
see "q returns to the calls" "calls, newest first"

# a connected, rated call: the same billed seconds and cost as `billtop explain`
keys f
prompt_key "filter:" d
prompt_answer "disposition" ANSWERED
see "the title shows the disposition filter" "calls [ANSWERED]"
settle
rid=$(screen | sed -n 23p | awk '{print $1}')
keys Enter
see "Enter explains $rid" "explain $rid"
settle
"$BILLTOP" --db "$DB" explain "$rid" >"$TMP/explain2.txt"
shown=$(screen)
for field in "  billed  " "  exact cost" "  rounding" "  cost  "; do
	want=$(grep -F -- "$field" "$TMP/explain2.txt" | head -1)
	[ -n "$want" ] || { fail "billtop explain $rid has no \"$field\" line"; continue; }
	expect_has "explain $rid shows \"$want\"" "$shown" "$want"
done
keys q f
prompt_key "filter:" x
see "f x clears the filters" "calls, newest first"

# End: the oldest call, read directly
keys End
oldest=$("$BILLTOP" --db "$DB" cdrs "$ACC" --format csv | tail -1 | cut -d, -f1 | tr -d '"')
see "End selects the oldest call ($oldest)" "$oldest "
expect_has "End shows the oldest call" "$(screen | sed -n 23p)" "$oldest "
keys Home
see "Home returns to the newest call" "$id "

# paging past the in-memory window and back: 60 pages of 19 rows down (row
# 1141, beyond the 800-row window), 30 up (row 571); the selected call is
# the one `billtop cdrs` lists at that position
nth() { "$BILLTOP" --db "$DB" cdrs "$ACC" --limit "$1" --format csv | tail -1 | cut -d, -f1 | tr -d '"'; }
i=0; while [ $i -lt 60 ]; do keys NPage; i=$((i + 1)); done
want=$(nth 1141)
see "60 x PgDn selects call 1141 ($want)" "$want "
i=0; while [ $i -lt 30 ]; do keys PPage; i=$((i + 1)); done
want=$(nth 571)
see "then 30 x PgUp selects call 571 ($want)" "$want "
keys Home
see "Home again" "$id "

# filter by number, then export the filtered set
num=$("$BILLTOP" --db "$DB" cdrs "$ACC" --format csv | sed -n 20p | cut -d, -f4 | tr -d "\"'+" | cut -c1-6)
keys f
prompt_key "filter:" n
prompt_answer "number contains" "$num"
see "the title shows the number filter" "~$num"
settle
fid=$("$BILLTOP" --db "$DB" cdrs "$ACC" --number "$num" --limit 1 --format csv | sed -n 2p | cut -d, -f1 | tr -d '"')
expect_has "filtered list starts at cdrs --number $num --limit 1" "$(screen | sed -n 23p)" "$fid "
keys e
prompt_key "csv or text" c
prompt_answer "export to" "$TMP/calls.csv"
see "call export: written path shown" "wrote $TMP/calls.csv"
"$BILLTOP" --db "$DB" cdrs "$ACC" --number "$num" --format csv >"$TMP/calls-cli.csv"
expect_same_file "exported calls = billtop cdrs --number N --format csv" "$TMP/calls.csv" "$TMP/calls-cli.csv"
keys e
prompt_key "csv or text" t
prompt_answer "export to" "$TMP/calls.txt"
see "call export (text): written path shown" "wrote $TMP/calls.txt"
"$BILLTOP" --db "$DB" cdrs "$ACC" --number "$num" >"$TMP/calls-cli.txt"
expect_same_file "exported calls (text) = billtop cdrs --number N" "$TMP/calls.txt" "$TMP/calls-cli.txt"
keys f
prompt_key "filter:" x
see "f x clears the filters" "calls, newest first"

# ---- posting and the ledger --------------------------------------------------------

keys q
see "q returns to the dashboard" "dashboard"
settle
before=$(line_with "Balance " | awk '{print $2}')
"$BILLTOP" --db "$DB" balance "$ACC" --format json >"$TMP/b0.json"
expect_eq "dashboard balance = billtop balance" "$before" "$(json "$TMP/b0.json" "d['balance']")"
keys p
prompt_answer "post kind" deposit
prompt_answer "amount" 12.34
prompt_answer "memo" "tui-views deposit"
prompt_answer "reference" ""
prompt_key "(y/n)" y
see "posting says posted" "posted entry"
settle
after=$(line_with "Balance " | awk '{print $2}')
want=$(python3 -c "from decimal import Decimal as D; import sys; print(D(sys.argv[1]) + D('12.34'))" "$before")
expect_eq "the dashboard balance moved by the deposit" "$after" "$want"
"$BILLTOP" --db "$DB" balance "$ACC" --format json >"$TMP/b1.json"
expect_eq "billtop balance agrees after posting" "$after" "$(json "$TMP/b1.json" "d['balance']")"
"$BILLTOP" --db "$DB" ledger list "$ACC" --format json >"$TMP/l.json"
expect_eq "the entry is in the ledger" "$(json "$TMP/l.json" "[(e['kind'], e['amount'], e['memo']) for e in d][-1]")" \
	"('deposit', '12.3400', 'tui-views deposit')"

keys L
see "L opens the ledger" "ledger, newest first"
settle
expect_has "the ledger shows the new entry at the top" "$(screen | sed -n 3p)" "tui-views deposit"
# a refused post: no memo
keys p
prompt_answer "post kind" payment
prompt_answer "amount" 1
prompt_answer "memo" ""
see "posting without a memo is refused" "memo is required"
# another process posts a memo with an escape sequence: it shows escaped
# (an OSC "set title" sequence: sent raw, it would retitle the terminal)
"$BILLTOP" --db "$DB" ledger add "$ACC" adjustment 0.01 --memo "$(printf 'esc\033]0;pwned\007!')" >/dev/null
see "a memo's ESC and BEL show as \\x1b and \\x07 (the ledger reloads live)" 'esc\x1b]0;pwned\x07!'
# a post with an idempotency key: the selected (newest) entry shows its ref
"$BILLTOP" --db "$DB" ledger add "$ACC" deposit 2 --memo "retry-safe" --ref "pay-2026-0042" >/dev/null
see "a posted --ref shows in the entry's detail" "ref pay-2026-0042"
# the console's reference: the same payment entered twice posts once
post_ref() {   # post_ref AMOUNT REF
	keys p
	prompt_answer "post kind" payment
	prompt_answer "amount" "$1"
	prompt_answer "memo" "bank transfer"
	prompt_answer "reference" "$2"
	prompt_key "(y/n)" y
}
post_ref 7.50 bank-77
see "a post with a reference is posted" "posted entry"
see "and shows its reference" "ref bank-77"
n0=$("$BILLTOP" --db "$DB" ledger list "$ACC" --format json | python3 -c "import json,sys; print(len(json.load(sys.stdin)))")
post_ref 7.50 bank-77
see "the same payment again: nothing posted" "already posted as entry"
post_ref 8.50 bank-77
see "another amount under the same reference is refused" "not posted: reference bank-77 already names entry"
expect_eq "the ledger holds the payment once" \
	"$("$BILLTOP" --db "$DB" ledger list "$ACC" --format json | python3 -c "import json,sys; d=json.load(sys.stdin); print(len(d), sum(1 for e in d if e.get('ref') == 'bank-77'))")" "$n0 1"
stop

# ---- read-only ------------------------------------------------------------------------

start 80 24 -- --read-only
keys Enter
see "read-only: dashboard" "dashboard"
keys p
see "read-only refuses to post" "read-only"
expect_lacks "read-only shows no prompt" "$(screen)" "post kind"
stop

# ---- every screen, every terminal ---------------------------------------------------

# check_screen NAME: no escape garbage or error words, ASCII only in ASCII
# modes, no colour with NO_COLOR / --no-color (lib.sh's readers)
check_screen() {
	tui_clean "$1" "$S"
	case $mode in *ascii*) tui_ascii_only "$1" "$S" ;; esac
	case $mode in *NO_COLOR*|*no-color*) expect_eq "$1: no colour" "$(tui_colours "$S")" 0 ;; esac
}

for mode in "80 24" "132 43" "80 24 NO_COLOR=1" "80 24 TERM=vt100 -- --ascii" "132 43 -- --ascii --no-color" \
	"80 24 TERM=screen" "80 24 TERM=xterm-256color"; do
	# shellcheck disable=SC2086
	start $mode
	keys Enter
	see "[$mode] dashboard" "dashboard"
	keys s
	see "[$mode] statement shows the balance to date" "Balance to date"
	check_screen "[$mode] statement"
	keys q c
	see "[$mode] call list shows its header" "START (UTC)"
	expect_lacks "[$mode] call list: not too small" "$(screen)" "terminal too small"
	keys Enter
	see "[$mode] explain shows the exact cost" "exact cost"
	check_screen "[$mode] explain"
	keys q q L
	see "[$mode] ledger shows its header" "AT (UTC)"
	see "[$mode] ledger shows the selected entry's memo (the detail line, listview)" "memo: "
	check_screen "[$mode] ledger"
	stop
done

tui_report tui-views
