#!/usr/bin/env bash
# test_golden.sh: whole-screen captures of every console screen compared
# with the files kept in tests/tui/golden/ (issue 11), so any change to a
# figure, a label or a layout shows up in review as a diff of those files.
#
# The demo database is built with the clock fixed (BILLTOP_NOW) and a fixed
# --seed, and the console runs with the same clock: every screen is the same
# on every machine and every run. Each screen is captured at 80x24 and
# 132x43 (UTF-8, colour off in the capture: the text is compared, not the
# attributes), and the accounts list and dashboard also in ASCII (LANG=C).
#
#   BILLTOP=path/to/billtop bash tests/tui/test_golden.sh
#   GOLDEN_UPDATE=1 ... writes the captures as the new golden files (then
#   review them with `git diff tests/tui/golden`).
# Prints "tui-golden: N passed, N failed"; on a difference prints the diff.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
BILLTOP=${BILLTOP:-$HERE/../../billtop}
. "$HERE/lib.sh"
tui_init tui-golden
GOLD="$HERE/golden"
NOW="2026-11-18 14:30:00"
DB="$TUI_TMP/golden.db"
# who posted is part of some screens: the same name on every machine
export USER=golden LOGNAME=golden
unset SSH_CLIENT SSH_CONNECTION
BILLTOP_NOW="$NOW" "$BILLTOP" --db "$DB" demo --seed 7 --quiet >/dev/null ||
	{ echo "tui-golden: cannot build the demo database" >&2; exit 1; }

# Screens: NAME|KEYS (tmux key names, space-separated, typed from the
# accounts list)|TEXT that shows when the screen is up.
SCREENS='
accounts||ACCOUNT
help|?|help
dashboard|Enter|acme-voip
statement|Enter s|acme-voip
cdrs|Enter c|acme-voip
explain|Enter c Enter|acme-voip
usage|Enter u|acme-voip
destinations|Enter b|acme-voip
messaging|Enter m|acme-voip
messages|Enter t|acme-voip
cnam|Enter N|acme-voip
rates|Enter r|acme-voip
ledger|Enter L|acme-voip
cases|Enter I|acme-voip
cases-all|I|cases
cnams|Enter C|acme-voip
rejects|X|reject
audit|W|audit
statement-year|Enter s Y|acme-voip
dashboard-10min|Enter l|acme-voip
post-menu|Enter p|post kind
'

# stable S: the screen unchanged over 300 ms (the first paint is done).
stable() {
	local a b i
	a=$(tui_screen "$1")
	for i in $(seq 1 40); do
		sleep 0.15
		b=$(tui_screen "$1")
		[ "$a" = "$b" ] && { sleep 0.15; [ "$(tui_screen "$1")" = "$b" ] && return 0; }
		a=$b
	done
	return 1
}

n=0
# shot NAME KEYS TEXT COLS ROWS [ENV...]
shot() {
	local name=$1 keys=$2 text=$3 cols=$4 rows=$5 s file got
	shift 5
	n=$((n + 1)); s="g$n"
	tui_start "$s" "$cols" "$rows" LANG=C.UTF-8 TERM=xterm NO_COLOR=1 BILLTOP_NOW="$NOW" USER=golden \
		LOGNAME=golden "$@" -- --db "$DB"
	tui_wait "$s" "ACCOUNT" 10 || { fail "$name ${cols}x$rows: the console did not start"; tui_stop "$s"; return; }
	stable "$s"
	for k in $keys; do tui_keys "$s" "$k"; stable "$s"; done
	tui_wait "$s" "$text" 5 || true
	stable "$s" || { fail "$name ${cols}x$rows: the screen never settled"; tui_stop "$s"; return; }
	got="$TUI_TMP/$name.txt"
	tui_screen "$s" > "$got"
	tui_stop "$s"
	file="$GOLD/$name-${cols}x$rows.txt"
	if [ "${GOLDEN_UPDATE:-}" = 1 ]; then
		cp "$got" "$file"; ok; return
	fi
	if [ ! -f "$file" ]; then
		fail "$name ${cols}x$rows: no golden file $file (GOLDEN_UPDATE=1 writes it)"
	elif cmp -s "$got" "$file"; then
		ok
	else
		fail "$name ${cols}x$rows differs from $file:"
		diff -u "$file" "$got" | head -40 >&2
	fi
}

while IFS='|' read -r name keys text; do
	[ -n "$name" ] || continue
	shot "$name" "$keys" "$text" 80 24
	shot "$name" "$keys" "$text" 132 43
done <<< "$SCREENS"
# ASCII drawing (no UTF-8 locale)
shot accounts-ascii "" ACCOUNT 80 24 LANG=C
shot dashboard-ascii "Enter" acme-voip 80 24 LANG=C

tui_report tui-golden
