#!/usr/bin/env bash
# test_lists.sh: the list screens on the list base (console/listview.c), on
# the demo database at 80x24, with the CLI as the oracle (issue 11):
#   - accounts, ledger, calls, messages, rates, destinations: `/` narrows the rows as each
#     key is typed (the status line's "row X of Y (filtered from Z: /TEXT)"
#     and every row shown matches); Esc clears it
#   - `o` then a column's number sorts by it (the column's values on screen
#     are in order), the same again reverses, 0 goes back
#   - `e` writes a CSV equal to the CLI's: `billtop account list`, `ledger
#     list`, `cdrs`, `mdrs`, `rates list`, `usage --by destination` with
#     --format csv (rows and totals)
#   - the ledger's detail lines show a long memo whole at 80x24
#
# Usage: BILLTOP=path/to/billtop bash tests/tui/test_lists.sh   (default ./billtop)
# Prints "tui-lists: N passed, N failed"; exits 1 on any failure.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
BILLTOP=${BILLTOP:-./billtop}
. "$HERE/lib.sh"
tui_init tui-lists
DB=$TUI_TMP/lists.db
tui_demo_db "$DB" || { echo "tui-lists: demo failed" >&2; exit 2; }
cli() { "$BILLTOP" --db "$DB" "$@"; }

S=l
tui_start "$S" 80 24 LANG=C.UTF-8 -- --db "$DB"
expect_screen "the console starts" "$S" "accounts ("

screen() { tui_screen "$S"; }
keys() { tui_keys "$S" "$@"; }
see() { expect_screen "$1" "$S" "$2"; }
status() { screen | grep -m1 '^─row'; }
# the list's rows: from line 3 to the status line, blank lines dropped
# (destinations: the window line first, its header on line 3)
rows() { screen | awk 'NR < 3 { next } /^─row/ { exit } { print }' | sed '/^ *$/d' | grep -v '^PREFIX  *DESTINATION'; }
nrows() { rows | wc -l | tr -d ' '; }

# narrow TEXT: type TEXT one key at a time; after each key the status line
# names the text typed so far
narrow() {
	local i part
	keys /
	for ((i = 1; i <= ${#1}; i++)); do
		part=${1:0:i}
		tui_type "$S" "${1:i-1:1}"
		tui_wait "$S" ": /$part)" || fail "/: the status line does not show /$part"
	done
}
# shown_of: the Y of "row X of Y"
shown_of() { status | sed -n 's/^─row [0-9]* of \([0-9]*\).*/\1/p'; }

# export PATH: e, csv, the path
export_csv() {
	keys e
	tui_wait "$S" "csv or text" || fail "no export prompt"
	keys c
	tui_wait "$S" "export to" || fail "no export path prompt"
	keys C-u
	tui_type "$S" "$1"
	keys Enter
	see "export written: $1" "wrote $1"
}

# field N of the rows as one line per row (awk fields; right-aligned
# numbers come out whole; N < 0 counts from the end: -1 is the last)
column() { rows | awk -v f="$1" '{ print (f < 0 ? $(NF + f + 1) : $f) }'; }
is_sorted() {   # is_sorted NAME [-r]: stdin numbers (or text) in order
	python3 -c '
import sys
from decimal import Decimal
v = [l.strip() for l in sys.stdin if l.strip()]
try: k = [Decimal(x) for x in v]
except Exception: k = v
r = len(sys.argv) > 1
sys.exit(0 if len(k) > 1 and k == sorted(k, reverse=r) else 1)' ${2:-}
}
expect_sorted() {   # expect_sorted NAME FIELD [-r]
	if column "$2" | is_sorted "$1" "${3:-}"; then ok; else
		fail "$1"; column "$2" | head -5 | sed 's/^/  | /' >&2; fi
}
# sort_by KEY: the one-key sort menu
sort_by() {
	keys o
	tui_wait "$S" "sort:" || fail "no sort menu"
	keys "$1"
}

# same_rows NAME A.csv B.csv: the same rows (any order), and the same total
# of column TOTAL (a 0-based index; - for none)
same_rows() {
	python3 - "$2" "$3" "$4" <<'EOF' && ok || fail "$1"
import csv, sys
from decimal import Decimal
a = list(csv.reader(open(sys.argv[1], newline='')))
b = list(csv.reader(open(sys.argv[2], newline='')))
if a[0] != b[0]: print("  header differs", a[0], b[0], file=sys.stderr); sys.exit(1)
if sorted(a[1:]) != sorted(b[1:]):
    print("  rows differ: %d vs %d" % (len(a) - 1, len(b) - 1), file=sys.stderr); sys.exit(1)
if sys.argv[3] != '-':
    i = int(sys.argv[3])
    ta = sum(Decimal(r[i]) for r in a[1:]); tb = sum(Decimal(r[i]) for r in b[1:])
    if ta != tb: print("  totals differ", ta, tb, file=sys.stderr); sys.exit(1)
EOF
}

# ---- accounts ---------------------------------------------------------------

cli account list --format csv >"$TUI_TMP/acc-cli.csv"
NACC=$(($(wc -l <"$TUI_TMP/acc-cli.csv") - 1))
see "accounts: row 1 of $NACC" "row 1 of $NACC"
cnt() { python3 -c 'import csv,sys; print(sum(1 for r in list(csv.reader(open(sys.argv[1])))[1:] if sys.argv[2] in r[0].lower()))' "$TUI_TMP/acc-cli.csv" "$1"; }
narrow "ec"
expect_eq "accounts: /ec leaves the accounts named *ec*" "$(shown_of)" "$(cnt ec)"
narrow_more() { tui_type "$S" "$1"; tui_wait "$S" ": /$2)" || fail "/: no /$2"; }
narrow_more h ech
expect_eq "accounts: /ech narrows further as it is typed" "$(shown_of)" "$(cnt ech)"
expect_contains "accounts: and says from how many" "$(status)" "(filtered from $NACC: /ech)"
keys Escape
tui_wait_gone "$S" "filtered from" || fail "accounts: Esc does not clear the filter"
expect_eq "accounts: Esc shows every account again" "$(nrows)" "$NACC"

sort_by 2   # BALANCE
see "accounts: sorted by balance" "sorted by BALANCE"
expect_sorted "accounts: o 2 orders the balances" 2
sort_by 2
see "accounts: again: reversed" "sorted by BALANCE, reversed"
expect_sorted "accounts: o 2 again reverses them" 2 -r
export_csv "$TUI_TMP/acc.csv"
cut -d, -f1-7 "$TUI_TMP/acc.csv" | tr -d '\r' >"$TUI_TMP/acc7.csv"
tr -d '\r' <"$TUI_TMP/acc-cli.csv" >"$TUI_TMP/acc-cli-lf.csv"
same_rows "accounts: the export's account columns = billtop account list --format csv" \
	"$TUI_TMP/acc7.csv" "$TUI_TMP/acc-cli-lf.csv" -
sort_by 0
tui_wait_gone "$S" "sorted by" || fail "accounts: o 0 does not return to the screen's order"
ACC=$(sed -n 2p "$TUI_TMP/acc-cli.csv" | cut -d, -f1 | tr -d '"')

# ---- ledger -------------------------------------------------------------------

keys Enter
see "the dashboard of $ACC" "$ACC  dashboard"
keys L
see "the ledger" "ledger, newest first"
cli ledger list "$ACC" --format csv >"$TUI_TMP/led-cli.csv"
NLED=$(($(wc -l <"$TUI_TMP/led-cli.csv") - 1))
lcnt() { python3 -c '
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))[1:]
t = sys.argv[2].lower()
print(sum(1 for r in rows if any(t in c.lower() for c in (r[0], r[1], r[2], r[3], r[4], r[5]))))' "$TUI_TMP/led-cli.csv" "$1"; }
narrow "mr"
expect_eq "ledger: /mr" "$(shown_of)" "$(lcnt mr)"
narrow_more c mrc
expect_eq "ledger: /mrc narrows as typed" "$(shown_of)" "$(lcnt mrc)"
if rows | grep -viq mrc; then fail "ledger: a row without mrc is shown"; rows | grep -vi mrc | head -3 >&2; else ok; fi
keys Enter
see "ledger: Enter keeps the filter" "(filtered from $NLED: /mrc)"
keys /
tui_wait "$S" "Esc clears" || fail "ledger: no / line"
keys Escape
tui_wait_gone "$S" "filtered from" || fail "ledger: Esc does not clear the filter"
# n: the next row matching the last / text, among every row
keys Home n
tui_wait_gone "$S" "─row 1 of" || fail "ledger: n does not move"
sel=$(screen | awk '/^─row/ { getline; print; exit }')
case "$(printf '%s' "$sel" | tr 'A-Z' 'a-z')" in *mrc*) ok ;; *) fail "ledger: n does not select a row matching mrc"; printf '  | %s\n' "$sel" >&2 ;; esac
sort_by 4   # AMOUNT
see "ledger: sorted by amount" "sorted by AMOUNT"
expect_sorted "ledger: o 4 orders the amounts" 5
export_csv "$TUI_TMP/led.csv"
same_rows "ledger: the export = billtop ledger list --format csv (rows, total of amounts)" \
	"$TUI_TMP/led.csv" "$TUI_TMP/led-cli.csv" 3
sort_by 0
tui_wait_gone "$S" "sorted by" || fail "ledger: o 0"
# a long memo: cut in the table with an ellipsis, whole in the detail lines
MEMO="credit for the outage of the Frankfurt trunk group between 02:10 and 04:55 UTC, ticket CX-20931, agreed with the carrier's NOC on the bridge call"
cli ledger add "$ACC" adjustment 0.01 --memo "$MEMO" >/dev/null
see "ledger: the new entry arrives" "credit for the outage"
keys Home
detail=$(screen | awk '/^─row/ { on = 1; next } on && NR < 24 { printf "%s ", $0 }' | tr -s ' ')
expect_contains "ledger: the detail lines hold the long memo whole at 80x24" "$detail" "$MEMO"
expect_contains "ledger: the table cuts it with an ellipsis" "$(rows | grep -m1 'credit for')" "…"
keys q

# ---- calls --------------------------------------------------------------------

keys c
see "the calls" "calls, newest first"
see "calls: a window of loaded rows" "row 1 of 200"
narrow "+4"
n4=$(shown_of)
narrow_more 4 "+44"
n44=$(shown_of)
if [ "$n44" -le "$n4" ] && [ "$n44" -gt 0 ]; then ok; else fail "calls: /+44 ($n44) does not narrow /+4 ($n4)"; fi
if rows | grep -vq '+44'; then fail "calls: a row without +44 is shown"; else ok; fi
keys Escape
tui_wait_gone "$S" "filtered from" || fail "calls: Esc does not clear the filter"
sort_by 7   # COST
see "calls: sorted by cost" "sorted by COST"
expect_sorted "calls: o 7 orders the costs" -1
sort_by 0
tui_wait_gone "$S" "sorted by" || fail "calls: o 0"
export_csv "$TUI_TMP/cdrs.csv"
cli cdrs "$ACC" --format csv >"$TUI_TMP/cdrs-cli.csv"
if cmp -s "$TUI_TMP/cdrs.csv" "$TUI_TMP/cdrs-cli.csv"; then ok; else fail "calls: the export differs from billtop cdrs --format csv"; fi
keys q

# ---- messages -------------------------------------------------------------------

keys t
see "the messages" "messages"
see "messages: a window of loaded rows" "row 1 of 200"
narrow "mm"
nmm=$(shown_of)
narrow_more s mms
if [ "$(shown_of)" -gt 0 ] && [ "$(shown_of)" -le "$nmm" ]; then ok; else fail "messages: /mms does not narrow"; fi
if rows | grep -vq ' mms '; then fail "messages: a row that is not an mms is shown"; else ok; fi
keys Escape
tui_wait_gone "$S" "filtered from" || fail "messages: Esc does not clear the filter"
sort_by 7   # CHARGE
see "messages: sorted by charge" "sorted by CHARGE"
expect_sorted "messages: o 7 orders the charges" 8
sort_by 0
tui_wait_gone "$S" "sorted by" || fail "messages: o 0"
export_csv "$TUI_TMP/mdrs.csv"
cli mdrs "$ACC" --format csv >"$TUI_TMP/mdrs-cli.csv"
if cmp -s "$TUI_TMP/mdrs.csv" "$TUI_TMP/mdrs-cli.csv"; then ok; else fail "messages: the export differs from billtop mdrs --format csv"; fi
keys q

# ---- rates ------------------------------------------------------------------------

keys r
see "the rates" "rates  deck demo-deck"
cli rates list demo-deck --format csv >"$TUI_TMP/rates-cli.csv"
rcnt() { python3 -c '
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))[1:]
t = sys.argv[2]
print(sum(1 for r in rows if r[0].startswith(t) or t.lower() in r[1].lower()))' "$TUI_TMP/rates-cli.csv" "$1"; }
narrow "Can"
expect_eq "rates: /Can" "$(shown_of)" "$(rcnt Can)"
narrow_more ada Canada
expect_eq "rates: /Canada narrows as typed" "$(shown_of)" "$(rcnt Canada)"
keys Escape
tui_wait_gone "$S" "filtered from" || fail "rates: Esc does not clear the filter"
sort_by 3   # RATE/MIN
see "rates: sorted by rate" "sorted by RATE/MIN"
expect_sorted "rates: o 3 orders the rates" -6
sort_by 0
tui_wait_gone "$S" "sorted by" || fail "rates: o 0"
export_csv "$TUI_TMP/rates.csv"
if cmp -s "$TUI_TMP/rates.csv" "$TUI_TMP/rates-cli.csv"; then ok; else fail "rates: the export differs from billtop rates list --format csv"; fi

keys q

# ---- destinations (3d) -------------------------------------------------------------

keys b
see "the destinations" "destinations  3d"
cli usage "$ACC" --window 3d --by destination --format csv >"$TUI_TMP/dest-cli.csv"
dcnt() { python3 -c '
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))[1:]
t = sys.argv[2]
print(sum(1 for r in rows if r[0].split(" ")[0].startswith(t) or t.lower() in r[0].lower()))' "$TUI_TMP/dest-cli.csv" "$1"; }
narrow "mob"
expect_eq "destinations: /mob" "$(shown_of)" "$(dcnt mob)"
narrow_more ile mobile
expect_eq "destinations: /mobile narrows as typed" "$(shown_of)" "$(dcnt mobile)"
# the TOTAL of the rows shown: the calls of the CLI's mobile rows
want=$(python3 -c '
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))[1:]
print(sum(int(r[1]) for r in rows if "mobile" in r[0].lower()))' "$TUI_TMP/dest-cli.csv")
expect_eq "destinations: the TOTAL adds up the rows shown" \
	"$(screen | awk '/^TOTAL/ { print $(NF - 5) }')" "$want"
keys Escape
tui_wait_gone "$S" "filtered from" || fail "destinations: Esc does not clear the filter"
sort_by 3   # CALLS
see "destinations: sorted by calls" "sorted by CALLS"
expect_sorted "destinations: o 3 orders the calls" -6
sort_by 0
tui_wait_gone "$S" "sorted by" || fail "destinations: o 0"
export_csv "$TUI_TMP/dest.csv"
if cmp -s "$TUI_TMP/dest.csv" "$TUI_TMP/dest-cli.csv"; then ok; else fail "destinations: the export differs from billtop usage --by destination --format csv"; fi

tui_report tui-lists
