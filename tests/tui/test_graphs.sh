#!/bin/bash
# test_graphs.sh: the usage graphs of the dashboard and the usage screen
# (console/graph.c, usage_graph.c) in a real terminal, at 80x24 and 132x43,
# UTF-8 and ASCII (LANG=C, --ascii): the glyphs, the legend and the axis
# labels show, wider terminals get more graphs, and the graphs' figures are
# the CLI's: the legend's "max" is the largest bucket of `billtop usage`,
# and the dashboard's CSV export carries each series exactly as `billtop
# usage --window W --by B --format csv` writes it. The clock is fixed
# (--now) so the console and the CLI see the same windows.
#
# BILLTOP=path/to/billtop bash tests/tui/test_graphs.sh
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
BILLTOP=${BILLTOP:-$HERE/../../billtop}
. "$HERE/lib.sh"
tui_init tui-graphs

DB="$TUI_TMP/demo.db"
tui_demo_db "$DB" || { echo "tui-graphs: cannot build the demo database" >&2; exit 1; }
ACC=acme-voip
NOW=$(date -u '+%Y-%m-%d %H:%M:%S')
cli() { "$BILLTOP" --db "$DB" --now "$NOW" "$@"; }
# the largest bucket of a window's measure, as the axis writes it
cli_max() {   # cli_max WINDOW BY FIELD
	cli usage $ACC --window "$1" --by "$2" --format json | python3 -c "
import json,sys
d=json.load(sys.stdin); f=sys.argv[1]
v=max(b[f] for b in d['buckets'])
s=str(v)
if f=='minutes' or '.' in s: s=s.rstrip('0').rstrip('.') if '.' in s else s
print(s)" "$3"
}
MAX12_CALLS=$(cli_max 12h hour calls)
MAX12_COST=$(cli_max 12h hour cost)
MAX3D_CALLS=$(cli_max 3d hour calls)
[ -n "$MAX12_CALLS" ] && [ "$MAX12_CALLS" != 0 ] || { echo "tui-graphs: the demo has no calls in 12h" >&2; exit 1; }

# legend_max S NAME [PER]: the "max" figure of the first legend of NAME
# (and of buckets PER, when given; a narrow legend leaves "per PER" out)
legend_max() {
	tui_screen "$1" | python3 -c "
import re,sys
name,per=re.escape(sys.argv[1]),sys.argv[2]
pat=name+(' per '+per if per else '( per [a-z]+)?')+r'( \(last \d+ of \d+\))?  max ([0-9.]+)'
m=re.search(pat, sys.stdin.read())
print(m.group(m.lastindex) if m else '')" "$2" "${3:-}"
}

# ---- 80x24, UTF-8 ---------------------------------------------------------
tui_start u80 80 24 LANG=C.UTF-8 TERM=xterm-256color -- --db "$DB" --now "$NOW"
expect_screen "80x24: accounts" u80 "accounts (4)"
tui_keys u80 Enter
expect_screen "80x24: dashboard" u80 "$ACC  dashboard"
expect_screen "80x24: the graph's legend" u80 "calls per hour  max"
scr=$(tui_screen u80)
expect_contains "80x24: the y axis (top tick)" "$scr" "┤"
expect_contains "80x24: the x axis corner" "$scr" "0└"
expect_contains "80x24: hour labels" "$scr" "h "
expect_contains "80x24: the weekday chart stays" "$scr" "THIS WEEK"
# eighth blocks in the graph panel (right of column 46), not only in the weekday bars
got=$(printf '%s\n' "$scr" | python3 -c "
import sys
print(int(any(ch in '▁▂▃▄▅▆▇█' for l in sys.stdin.read().split('\n')[9:19] for ch in l[46:])))")
expect_eq "80x24: eighth blocks in the graph" "$got" 1
expect_eq "80x24: legend max = billtop usage 12h max calls" "$(legend_max u80 calls)" "$MAX12_CALLS"
tui_clean "80x24 dashboard" u80
# o: the measure; at 80 columns the fourth is the cost by kind
tui_keys u80 o
expect_screen "80x24 o: minutes" u80 "minutes  max"
tui_keys u80 o
expect_screen "80x24 o: call cost" u80 "call cost (USD)"
# 34 columns: the legend keeps what a row stands for (the max is checked at 132)
expect_screen "80x24: cost legend: what a row is" u80 "call cost (USD)  row = "
tui_keys u80 o
expect_screen "80x24 o: cost by kind" u80 "COST BY"
tui_keys u80 o
expect_screen "80x24 o: back to calls" u80 "calls per hour"
# l: 12 hours by 10 minutes, then 3 days by hour (72 buckets in 34
# columns: braille, or the last ones that fit)
tui_keys u80 l
expect_screen "80x24 l: 12 hours by 10 minutes" u80 "graphs: PAST 12 HOURS BY 10 MINUTES"
# (how many fit depends on the widths of the week's table beside it and of
# the y labels, figures of the real clock's data: 64 at 08:3x, 62 at 08:51)
expect_screen "80x24 l: its legend: the last buckets that fit" u80 " of 72)  row = "
fit=$(tui_screen u80 | sed -n 's/.*calls (last \([0-9]*\) of 72).*/\1/p' | head -1)
if [ -n "$fit" ] && [ "$fit" -ge 60 ] && [ "$fit" -lt 72 ]; then ok; else fail "80x24 l: 60 to 71 of the 72 buckets fit (got '$fit')"; fi
tui_keys u80 l
expect_screen "80x24 l l: 3 days by hour" u80 "graphs: PAST 3 DAYS BY HOUR"
scr=$(tui_screen u80)
got=$(printf '%s\n' "$scr" | python3 -c "
import sys
print(int(any(0x2800 <= ord(ch) <= 0x28ff for ch in sys.stdin.read())))")
expect_eq "80x24: braille for 72 buckets" "$got" 1
# the usage screen: a graph over the table, the table's TOTAL still there
tui_keys u80 u
expect_screen "80x24: usage" u80 "usage  12h by hour"
expect_screen "80x24 usage: graph legend" u80 "minutes per hour  max"
expect_screen "80x24 usage: the total stays" u80 "TOTAL"
tui_keys u80 o
expect_screen "80x24 usage o: calls" u80 "calls per hour  max"
expect_eq "80x24 usage: legend max = billtop usage" "$(legend_max u80 calls)" "$MAX12_CALLS"
tui_clean "80x24 usage" u80
tui_stop u80

# ---- 132x43, UTF-8: three graphs side by side, the width used ------------
tui_start u132 132 43 LANG=C.UTF-8 TERM=xterm-256color -- --db "$DB" --now "$NOW"
expect_screen "132x43: accounts" u132 "accounts (4)"
tui_keys u132 Enter
expect_screen "132x43: graphs title" u132 "PAST 12 HOURS BY HOUR (UTC)"
scr=$(tui_screen u132)
got=$(printf '%s\n' "$scr" | grep -c "calls per hour.*minutes per hour.*call cost")
expect_eq "132x43: calls, minutes and cost side by side" "$got" 1
expect_contains "132x43: the cost by kind stays" "$scr" "COST BY"
expect_contains "132x43: the month beside it" "$scr" "calls per day"
got=$(printf '%s\n' "$scr" | awk '{ if (length($0) > 100) n++ } END { print (n >= 10) }')
expect_eq "132x43: the dashboard uses the width (>= 10 lines past column 100)" "$got" 1
expect_eq "132x43: legend max = billtop usage" "$(legend_max u132 calls hour)" "$MAX12_CALLS"
tui_keys u132 l
expect_screen "132x43 l: 12 hours by 10 minutes" u132 "PAST 12 HOURS BY 10 MINUTES (UTC)"
expect_screen "132x43 l: 10-minute legends" u132 "calls per 10 min"
tui_clean "132x43 dashboard" u132

# e: the dashboard's export; each series = billtop usage --format csv
tui_keys u132 e
expect_screen "export: format prompt" u132 "export as csv or text"
tui_type u132 c
expect_screen "export: path prompt" u132 "export to"
tui_keys u132 Enter
F="$TUI_TMP/billtop-dashboard-$ACC.csv"
expect_screen "export: written" u132 "wrote $F"
for wb in "12h hour" "3d hour" "week day" "month day" "this-week weekday"; do
	set -- $wb
	cli usage $ACC --window "$1" --by "$2" --format csv >"$TUI_TMP/cli.csv"
	python3 - "$F" "$1" "$2" >"$TUI_TMP/block.csv" <<'PY'
import sys
lines = open(sys.argv[1], newline='').read().split('\r\n')
mark = '"window","%s","%s"' % (sys.argv[2], sys.argv[3])
i = lines.index(mark) + 1
out = []
while i < len(lines) and not lines[i].startswith('"window"') and lines[i] != '':
    out.append(lines[i]); i += 1
sys.stdout.write(''.join(l + '\r\n' for l in out))
PY
	cmp -s "$TUI_TMP/cli.csv" "$TUI_TMP/block.csv" && ok || fail "dashboard export: the $1 by $2 series differs from billtop usage"
done
BAL=$(cli balance $ACC --format json | python3 -c "import json,sys; print(json.load(sys.stdin)['balance'])")
expect_contains "export: balance and status" "$(sed -n 2p "$F")" "$BAL,\"active"
tui_keys u132 e
expect_screen "export text: format prompt" u132 "export as csv or text"
tui_type u132 t
expect_screen "export text: path prompt" u132 "export to"
tui_keys u132 Enter
T="$TUI_TMP/billtop-dashboard-$ACC.txt"
expect_screen "export text: written" u132 "wrote $T"
txt=$(cat "$T" 2>/dev/null)
expect_contains "export text: balance" "$txt" "balance $BAL USD"
expect_contains "export text: the CLI's table" "$txt" "$(cli usage $ACC --window 12h | sed -n 2p)"
expect_contains "export text: a graph" "$txt" "calls per hour  max $MAX12_CALLS"
LC_ALL=C grep -qP '[^\x00-\x7f]' "$T" && fail "export text: not ASCII" || ok
# the 10-minute buckets (shown, so exported) add up to billtop usage's hours
got=$(python3 - "$F" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline='')))
i = rows.index(['window', '12h', '10min']) + 2
hours = {}
while rows[i][0] != 'total':
    hours[rows[i][0][:13]] = hours.get(rows[i][0][:13], 0) + int(rows[i][1]); i += 1
print(*[hours[k] for k in sorted(hours)])
PY
)
want=$(cli usage $ACC --window 12h --format json | python3 -c "import json,sys; print(*[b['calls'] for b in json.load(sys.stdin)['buckets']])")
expect_eq "export: 10-minute calls per hour = billtop usage --window 12h" "$got" "$want"
tui_keys u132 l
expect_screen "132x43 l l: 3 days by hour" u132 "PAST 3 DAYS BY HOUR (UTC)"
expect_eq "132x43 3d: legend max = billtop usage --window 3d --by hour" "$(legend_max u132 calls hour)" "$MAX3D_CALLS"
tui_stop u132

# ---- ASCII: LANG=C at 80x24, --ascii at 132x43 ------------------------------
tui_start a80 80 24 LANG=C TERM=xterm -- --db "$DB" --now "$NOW"
expect_screen "ascii 80x24: accounts" a80 "accounts (4)"
tui_keys a80 Enter
expect_screen "ascii 80x24: legend" a80 "calls per hour  max"
scr=$(tui_screen a80)
got=$(printf '%s\n' "$scr" | python3 -c "
import sys
L=sys.stdin.read().split('\n')[9:19]
print(int(any('#' in l[46:] for l in L)), int(any('+' in l[46:] for l in L)), int(any('0+' in l for l in L)))")
expect_eq "ascii 80x24: # bars, + ticks, 0+ corner in the graph" "$got" "1 1 1"
expect_eq "ascii 80x24: legend max = billtop usage" "$(legend_max a80 calls)" "$MAX12_CALLS"
tui_ascii_only "ascii 80x24 dashboard" a80
tui_keys a80 u
expect_screen "ascii 80x24: usage graph" a80 "minutes per hour  max"
tui_ascii_only "ascii 80x24 usage" a80
tui_clean "ascii 80x24 usage" a80
tui_stop a80

tui_start a132 132 43 LANG=C.UTF-8 TERM=xterm -- --db "$DB" --now "$NOW" --ascii
expect_screen "--ascii 132x43: accounts" a132 "accounts (4)"
tui_keys a132 Enter
expect_screen "--ascii 132x43: graphs" a132 "PAST 12 HOURS BY HOUR (UTC)"
expect_screen "--ascii 132x43: cost graph" a132 "call cost (USD)  max $MAX12_COST"
tui_ascii_only "--ascii 132x43 dashboard" a132
tui_keys a132 l l
expect_screen "--ascii 132x43: 3 days, the last buckets that fit" a132 "(last "
tui_ascii_only "--ascii 132x43 3 days" a132
tui_stop a132

tui_report tui-graphs
