#!/usr/bin/env bash
# test_nav.sh: the console's navigation, as tig and htop do it:
#   - switching between an account's screens (s c u b m N r L) replaces the
#     screen: after 20 switches no "too many screens", and q, q, q leave
#     (switched-to screen -> dashboard -> accounts list -> out)
#   - Esc and Backspace go back but never quit: on the accounts list they
#     do nothing; only q there (and Q anywhere) quits
#   - an escape sequence the terminal description does not know (ESC [ 9 9 ~,
#     PgDn under TERM=vt100) and Alt+x (ESC x) are ignored, not read as Esc
#     then letters
#   - y/n questions and the CDR filter menu take one key, no Enter; Esc = no
#
# Usage: BILLTOP=path/to/billtop bash tests/tui/test_nav.sh   (default ./billtop)
# Prints "tui-nav: N passed, N failed"; exits 1 on any failure. Needs tmux.

set -u
HERE=$(cd "$(dirname "$0")" && pwd)
BILLTOP=${BILLTOP:-./billtop}
. "$HERE/lib.sh"
tui_init tui-nav
DB=$TUI_TMP/n.db
tui_demo_db "$DB"

N=0
S=""
start() {   # start [VAR=VALUE...]: a new 80x24 console in S
	N=$((N + 1))
	S=n$N
	tui_start "$S" 80 24 LANG=C.UTF-8 TERM=xterm-256color "$@" -- --db "$DB"
	expect_screen "the console starts" "$S" "accounts ("
}
keys() { tui_keys "$S" "$@"; }
see() { expect_screen "$1" "$S" "$2"; }
screen() { tui_screen "$S"; }
# settle: wait until two captures 0.2 s apart agree (the keys are handled)
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
alive() {   # alive NAME: billtop has not exited
	case "$(screen)" in *"billtop exited"*) fail "$1: billtop quit"; screen | sed 's/^/  | /' >&2 ;; *) ok ;; esac
}
title() { screen | head -1; }

# ---- 20 switches, then q counts --------------------------------------------

start
keys Enter
see "Enter opens the dashboard" "dashboard"
i=0
for k in s c u b m N r L s c u b m N r L s c u b; do
	keys "$k"
	case $k in
	s) want=statement ;; c) want=calls ;; u) want=usage ;; b) want=destinations ;;
	m) want=messaging ;; N) want=CNAM ;; r) want=rates ;; L) want=ledger ;;
	esac
	tui_wait "$S" "$want" || fail "switch $i ($k) did not show \"$want\""
	i=$((i + 1))
done
settle
expect_contains "20 switches: the destinations screen" "$(title)" "destinations"
case "$(screen)" in *"too many screens"*) fail "20 switches filled the stack" ;; *) ok ;; esac
keys q
settle
expect_contains "q from a switched-to screen: back to the dashboard" "$(title)" "dashboard"
keys q
settle
expect_contains "q again: the accounts list" "$(title)" "accounts ("
alive "two q after 20 switches"
keys q
see "the third q quits (q on the first screen)" "billtop exited 0"
tui_stop "$S"

# d from a switched-to screen goes back to the dashboard below, not on top
start
keys Enter
see "dashboard" "dashboard"
keys s c d
settle
expect_contains "d: the dashboard" "$(title)" "dashboard"
keys q
settle
expect_contains "d returned to the dashboard: q leaves it" "$(title)" "accounts ("
tui_stop "$S"

# ---- Esc never quits --------------------------------------------------------

start
keys Escape
see "Esc on the accounts list says how to quit" "q or Q quits"
settle
alive "Esc on the accounts list"
expect_contains "Esc: still the accounts list" "$(title)" "accounts ("
keys BSpace
settle
alive "Backspace on the accounts list"
keys Enter
see "dashboard" "dashboard"
keys Escape
settle
expect_contains "Esc on the dashboard: back to the accounts list" "$(title)" "accounts ("

# ---- unknown escape sequences and Alt+key are ignored ----------------------

keys Enter
see "dashboard again" "dashboard"
settle
before=$(screen)
tui_keys "$S" -H 1b 5b 39 39 7e     # ESC [ 9 9 ~: no key has it
settle
alive "ESC [ 9 9 ~"
expect_contains "ESC [ 9 9 ~ is ignored: still the dashboard" "$(title)" "dashboard"
expect_eq "ESC [ 9 9 ~ changed nothing on the screen" "$(screen)" "$before"
tui_keys "$S" -H 1b 78              # Alt+x
settle
expect_contains "Alt+x is ignored: still the dashboard" "$(title)" "dashboard"
keys Q
see "Q quits from anywhere" "billtop exited 0"
tui_stop "$S"

# under TERM=vt100, tmux's PgDn (ESC [ 6 ~) and F10 (ESC [ 2 1 ~) are unknown
start TERM=vt100
keys NPage
settle
alive "PgDn under TERM=vt100 on the accounts list"
keys F10
settle
alive "F10 under TERM=vt100 on the accounts list"
expect_contains "vt100: still the accounts list" "$(title)" "accounts ("
keys Enter
see "vt100: dashboard" "dashboard"
keys NPage
settle
expect_contains "vt100 PgDn is not read as Esc (back)" "$(title)" "dashboard"
tui_stop "$S"

# ---- one-key answers ---------------------------------------------------------

post_to_confirm() {
	keys p
	tui_wait "$S" "post kind" || fail "no post kind menu"
	keys d
	tui_wait "$S" "amount" || fail "no amount prompt"
	tui_type "$S" 1; keys Enter
	tui_wait "$S" "memo" || fail "no memo prompt"
	tui_type "$S" "nav test"; keys Enter
	tui_wait "$S" "reference" || fail "no reference prompt"
	keys Enter
	see "the confirmation" "(y/n)"
}
start
keys Enter
see "dashboard" "dashboard"
post_to_confirm
keys y                              # no Enter
see "y alone posts" "posted entry"
settle
expect_contains "after y: the dashboard, nothing else opened" "$(title)" "dashboard"
post_to_confirm
keys Escape
see "Esc answers no" "post cancelled"
post_to_confirm
keys N
see "N answers no" "post cancelled"
keys c
see "calls" "calls"
keys f
see "the filter menu" "filter:"
keys d                              # no Enter
see "d alone picks the disposition filter" "disposition ("
keys Escape
settle
alive "after the filter menu"
keys s
see "s: the statement" "statement"
keys e
see "the export format menu" "export as csv or text"
keys t                              # no Enter
see "t alone picks text: the path prompt offers a .txt" ".txt"
keys Escape
settle
alive "after the export menu"
keys Q
tui_stop "$S"

tui_report tui-nav
