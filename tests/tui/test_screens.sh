#!/usr/bin/env bash
# test_screens.sh: every console screen in a real terminal (tmux), read as
# a user reads it, and compared with what the command line says.
#
# Screens: accounts, dashboard, usage, destinations, messaging, CNAM, rates,
# help. Terminals: 80x24 and 132x43; colour on, NO_COLOR=1 and --no-color;
# UTF-8 (LANG=C.UTF-8) and ASCII (--ascii, LANG=C); TERM xterm,
# xterm-256color, screen, tmux-256color and vt100 (every one at both sizes).
# Then: resize below the minimum and back, and the exports (usage CSV and
# text byte-for-byte as `billtop usage`, destinations as `--by destination`).
#
# BILLTOP=path/to/billtop bash tests/tui/test_screens.sh
# Prints "tui-screens: N passed, N failed"; exits 1 on any failure.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
BILLTOP=${BILLTOP:-$HERE/../../billtop}
. "$HERE/lib.sh"
tui_init tui-screens
ACTIONS_C="$HERE/../../console/actions.c"

DB="$TUI_TMP/demo.db"
tui_demo_db "$DB" || { echo "tui-screens: cannot build the demo database" >&2; exit 1; }
ACC=acme-voip   # first by name: the accounts list opens on it
cli() { "$BILLTOP" --db "$DB" "$@"; }
# py EXPR: evaluate a Python expression with `d` = JSON from stdin
pyj() { python3 -c "import json,sys; d=json.load(sys.stdin); v=($1); print(*(v if isinstance(v,(tuple,list)) else (v,)))"; }
# pys CODE: Python with `s` = the screen text from stdin (lines: `L`)
pys() { python3 -c "import sys,re; s=sys.stdin.read(); L=s.split('\n'); $1"; }

# ---- what the command line says ------------------------------------------
expected() {
	BAL=$(cli balance $ACC --format json | pyj "d['balance']")
	WEEK=$(cli usage $ACC --window this-week --by weekday --format json | pyj "[b['calls'] for b in d['buckets']]")
	U12=$(cli usage $ACC --window 12h --format json | pyj "d['total']['calls'], d['total']['connected'], d['total']['cost']")
	U3D=$(cli usage $ACC --window 3d --format json | pyj "d['total']['calls'], d['total']['connected'], d['total']['cost']")
	DEST=$(cli usage $ACC --window 3d --by destination --format json | pyj "len(d['buckets']), d['total']['calls'], d['buckets'][0]['prefix']")
	RANGE3D=$(cli usage $ACC --window 3d --format json | python3 -c "
import json,sys,datetime
d=json.load(sys.stdin)
f=lambda s: int(datetime.datetime.strptime(s,'%Y-%m-%dT%H:%M:%SZ').replace(tzinfo=datetime.timezone.utc).timestamp())
print(f(d['from']), f(d['to']))")
	set -- $RANGE3D
	MSGS=$(sqlite3 "$DB" "select count(*) from mdr m join account a on a.id=m.account_id where a.name='$ACC' and m.at>=$1 and m.at<$2")
	CNAM=$(sqlite3 "$DB" "select total(cnam_lookups) from rollup_hour r join account a on a.id=r.account_id where a.name='$ACC' and r.hour>=$1 and r.hour<$2" | sed 's/\.0$//')
	RATES=$(cli rates list demo-deck --format json | pyj "len(d)")
	ACCBAL=$(cli balance --format json | pyj "[a['balance'] for a in d if a['account']=='umbrella-calls'][0]")
}
expected

# Every (keys, scope, help) of the action table, as the help screen prints it.
HELP_LINES=$(python3 - "$ACTIONS_C" <<'PY'
import re, sys
src = open(sys.argv[1]).read()
for keys, scope, text in re.findall(r'"([^"]*)",\s*"([^"]*)",\s*"([^"]*)"\s*}', src):
    print("%-16s %-8s %s" % (keys, scope, text))
PY
)
[ "$(printf '%s\n' "$HELP_LINES" | wc -l)" -ge 20 ] || fail "could not read the action table from $ACTIONS_C"

# ---- one tour of every screen in one terminal configuration -------------
# tour NAME COLS ROWS CHARSET(utf8|ascii) COLOUR(1|0) VAR=VALUE... -- ARGS...
tour() {
	local name=$1 cols=$2 rows=$3 charset=$4 colour=$5 s scr got
	shift 5
	s="c$((++TOURS))"
	tui_start "$s" "$cols" "$rows" "$@" -- --db "$DB" "${EXTRA[@]}"
	check_screen() {   # check_screen SCREEN-NAME
		tui_clean "$name $1" "$s"
		if [ "$charset" = ascii ]; then tui_ascii_only "$name $1" "$s"; fi
		if [ "$1" = dashboard ]; then
			if [ "$colour" = 1 ]; then expect_eq "$name $1: colour in use" "$(tui_colours "$s")" 1
			else expect_eq "$name $1: no colour" "$(tui_colours "$s")" 0; fi
			if [ "$charset" = utf8 ]; then
				case "$(tui_screen "$s")" in *"─"*) ok ;; *) fail "$name: UTF-8 rules not drawn" ;; esac
			fi
		fi
	}

	# accounts
	expect_screen "$name accounts title" "$s" "accounts (4)"
	scr=$(tui_screen "$s")
	expect_contains "$name accounts: names" "$scr" "umbrella-calls"
	expect_contains "$name accounts: umbrella's balance = billtop balance" "$scr" "$ACCBAL"
	check_screen accounts

	# dashboard
	tui_keys "$s" Enter
	expect_screen "$name dashboard title" "$s" "$ACC  dashboard"
	expect_screen "$name dashboard balance = billtop balance" "$s" "Balance $BAL USD"
	got=$(tui_screen "$s" | pys "print(*[int(l[17:23]) for l in L if l[:3] in ('Mon','Tue','Wed','Thu','Fri','Sat','Sun')])")
	expect_eq "$name dashboard weekday calls = usage --by weekday" "$got" "$WEEK"
	check_screen dashboard

	# usage
	tui_keys "$s" u
	expect_screen "$name usage title" "$s" "usage  12h by hour"
	got=$(tui_screen "$s" | pys "print(*[l.split()[i] for l in L if l.startswith('TOTAL') for i in (1,2,6)])")
	expect_eq "$name usage 12h total (calls connected cost) = usage --format json" "$got" "$U12"
	check_screen usage
	tui_keys "$s" l
	expect_screen "$name usage l: 3d" "$s" "usage  3d by day"
	got=$(tui_screen "$s" | pys "print(*[l.split()[i] for l in L if l.startswith('TOTAL') for i in (1,2,6)])")
	expect_eq "$name usage 3d total = usage --window 3d" "$got" "$U3D"
	tui_keys "$s" q
	expect_screen "$name back to the dashboard" "$s" "$ACC  dashboard"

	# destinations
	tui_keys "$s" b
	expect_screen "$name destinations title" "$s" "destinations  3d"
	got=$(tui_screen "$s" | pys "
t=[l for l in L if l.startswith('TOTAL')][0].split()
rows=[l for l in L[3:] if re.match(r'^\d+ ', l)]
print(t[1], t[3], rows[0].split()[0])")
	expect_eq "$name destinations (count, calls, top prefix) = usage --by destination" "$got" "$DEST"
	check_screen destinations
	tui_keys "$s" q
	expect_screen "$name back" "$s" "$ACC  dashboard"

	# messaging
	tui_keys "$s" m
	expect_screen "$name messaging title" "$s" "messaging  3d"
	got=$(tui_screen "$s" | pys "print(*[l.split()[1] for l in L if l.startswith('total ')])")
	expect_eq "$name messaging 3d total = message records" "$got" "$MSGS"
	expect_contains "$name messaging split shown" "$(tui_screen "$s")" "SMS outbound"
	check_screen messaging
	tui_keys "$s" q
	expect_screen "$name back" "$s" "$ACC  dashboard"

	# CNAM
	tui_keys "$s" N
	expect_screen "$name CNAM title" "$s" "CNAM  3d"
	got=$(tui_screen "$s" | pys "print(*[l.split()[1] for l in L if l.startswith('total ')])")
	expect_eq "$name CNAM 3d lookups = rollups" "$got" "$CNAM"
	check_screen CNAM
	tui_keys "$s" q
	expect_screen "$name back" "$s" "$ACC  dashboard"

	# rates
	tui_keys "$s" r
	expect_screen "$name rates title" "$s" "rates  deck demo-deck"
	expect_screen "$name rates count = rates list" "$s" "of $RATES"
	expect_contains "$name rates first row" "$(tui_screen "$s")" "USA domestic"
	check_screen rates
	tui_keys "$s" q
	expect_screen "$name back" "$s" "$ACC  dashboard"

	# help: every line of the action table, scrolling when it does not fit
	tui_keys "$s" '?'
	expect_screen "$name help title" "$s" "KEYS"
	scr=$(tui_screen "$s")
	prev=$scr
	for page in 1 2 3 4; do   # page down until the last page; vt100 has no PgDn key
		tui_keys "$s" C-f
		tui_wait_gone "$s" "$(printf '%s\n' "$prev" | sed -n 3p)" 2 >/dev/null || break
		prev=$(tui_screen "$s")
		scr="$scr
$prev"
	done
	got=$(printf '%s\n' "$HELP_LINES" | while IFS= read -r line; do
		case "$scr" in *"${line:0:$((cols - 2))}"*) ;; *) echo "$line" ;; esac; done)
	expect_eq "$name help lists every action of the table" "$got" ""
	check_screen help
	tui_keys "$s" q q Q
	expect_screen "$name quits cleanly" "$s" "[billtop exited 0]"
	tui_stop "$s"
}

TOURS=0
# size, charset, colour; how; TERM (each TERM at both sizes)
EXTRA=(); tour "80x24 xterm-256color utf8 colour"   80 24 utf8 1 LANG=C.UTF-8 TERM=xterm-256color
EXTRA=(); tour "132x43 xterm utf8 NO_COLOR"         132 43 utf8 0 LANG=C.UTF-8 TERM=xterm NO_COLOR=1
EXTRA=(--ascii --no-color); tour "80x24 screen --ascii --no-color" 80 24 ascii 0 LANG=C.UTF-8 TERM=screen
EXTRA=(); tour "132x43 tmux-256color LANG=C colour" 132 43 ascii 1 LANG=C TERM=tmux-256color
EXTRA=(); tour "80x24 vt100 LANG=C NO_COLOR"        80 24 ascii 0 LANG=C TERM=vt100 NO_COLOR=1
EXTRA=(--no-color); tour "132x43 vt100 utf8 --no-color" 132 43 utf8 0 LANG=C.UTF-8 TERM=vt100
EXTRA=(); tour "80x24 tmux-256color utf8 NO_COLOR"  80 24 utf8 0 LANG=C.UTF-8 TERM=tmux-256color NO_COLOR=1
EXTRA=(--ascii); tour "132x43 screen --ascii colour" 132 43 ascii 1 LANG=C.UTF-8 TERM=screen
EXTRA=(); tour "80x24 xterm LANG=C colour"          80 24 ascii 1 LANG=C TERM=xterm
EXTRA=(); tour "132x43 xterm-256color utf8 colour"  132 43 utf8 1 LANG=C.UTF-8 TERM=xterm-256color

# ---- resize: below the minimum, and back ----------------------------------
tui_start rs 80 24 LANG=C.UTF-8 TERM=xterm-256color -- --db "$DB"
expect_screen "resize: accounts" rs "accounts (4)"
tui_keys rs Enter
expect_screen "resize: dashboard" rs "Balance $BAL USD"
tui_resize rs 70 20
expect_screen "resize to 70x20: terminal too small" rs "terminal too small"
tui_clean "resize 70x20" rs
tui_resize rs 80 24
expect_screen "resize back to 80x24 redraws the dashboard" rs "Balance $BAL USD"
expect_screen "resize back: the title" rs "$ACC  dashboard"
case "$(tui_screen rs)" in *"terminal too small"*) fail "resize back: the message is still there" ;; *) ok ;; esac
tui_resize rs 132 43
expect_screen "resize to 132x43: hourly breakdown appears" rs "PAST 12 HOURS BY HOUR"
tui_stop rs

# ---- exports ----------------------------------------------------------------
# export S NAME FORMAT: press e, answer the format, take the offered path
export_as() {
	tui_keys "$1" e
	expect_screen "$2: format prompt" "$1" "export as csv or text"
	tui_type "$1" "${3:0:1}"   # the format's first letter, one key
	expect_screen "$2: path prompt" "$1" "export to"
	tui_keys "$1" Enter
}
tui_start ex 80 24 LANG=C.UTF-8 TERM=xterm-256color -- --db "$DB"
expect_screen "export: accounts" ex "accounts (4)"
tui_keys ex Enter u
expect_screen "export: usage" ex "usage  12h by hour"
export_as ex "usage csv" csv
expect_screen "usage csv: written path shown" ex "wrote $TUI_TMP/billtop-usage-$ACC-12h.csv"
cli usage $ACC --window 12h --format csv >"$TUI_TMP/cli-usage.csv"
cmp -s "$TUI_TMP/cli-usage.csv" "$TUI_TMP/billtop-usage-$ACC-12h.csv" && ok || fail "usage CSV export differs from billtop usage --format csv"
export_as ex "usage text" text
expect_screen "usage text: written path shown" ex "wrote $TUI_TMP/billtop-usage-$ACC-12h.txt"
cli usage $ACC --window 12h >"$TUI_TMP/cli-usage.txt"
cmp -s "$TUI_TMP/cli-usage.txt" "$TUI_TMP/billtop-usage-$ACC-12h.txt" && ok || fail "usage text export differs from billtop usage"
export_as ex "overwrite" csv
expect_screen "an existing file is not overwritten without asking" ex "file exists: overwrite? (y/n)"
tui_keys ex n
expect_screen "overwrite refused" ex "export cancelled"
tui_keys ex l
expect_screen "export: usage 3d" ex "usage  3d by day"
export_as ex "usage 3d csv" csv
expect_screen "usage 3d csv written" ex "wrote $TUI_TMP/billtop-usage-$ACC-3d.csv"
cli usage $ACC --window 3d --format csv >"$TUI_TMP/cli-usage3d.csv"
cmp -s "$TUI_TMP/cli-usage3d.csv" "$TUI_TMP/billtop-usage-$ACC-3d.csv" && ok || fail "usage 3d CSV export differs"
tui_keys ex q b
expect_screen "export: destinations" ex "destinations  3d"
export_as ex "destinations csv" csv
expect_screen "destinations csv written" ex "wrote $TUI_TMP/billtop-destinations-$ACC-3d.csv"
cli usage $ACC --window 3d --by destination --format csv >"$TUI_TMP/cli-dest.csv"
cmp -s "$TUI_TMP/cli-dest.csv" "$TUI_TMP/billtop-destinations-$ACC-3d.csv" && ok || fail "destinations CSV export differs from usage --by destination"
tui_keys ex q m
expect_screen "export: messaging" ex "messaging  3d"
export_as ex "messaging csv" csv
expect_screen "messaging csv written" ex "wrote $TUI_TMP/billtop-messaging-$ACC-3d.csv"
got=$(python3 -c "import csv,sys; r=list(csv.reader(open(sys.argv[1]))); print(r[0]==['day','type','direction','messages','segments','cost'], [x[3] for x in r if x[0]=='total' and x[1]=='all'][0])" "$TUI_TMP/billtop-messaging-$ACC-3d.csv")
expect_eq "messaging csv: header and total" "$got" "True $MSGS"
tui_keys ex q N
expect_screen "export: CNAM" ex "CNAM  3d"
export_as ex "CNAM text" text
expect_screen "CNAM text written" ex "wrote $TUI_TMP/billtop-cnam-$ACC-3d.txt"
expect_contains "CNAM text export" "$(cat "$TUI_TMP/billtop-cnam-$ACC-3d.txt" 2>/dev/null)" "LOOKUPS"
tui_stop ex

tui_report tui-screens
