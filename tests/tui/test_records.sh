#!/usr/bin/env bash
# test_records.sh: every record in the console (issue 11), on a fixed clock.
#   - CNAM lookups: Enter on the CNAM statistics screen (and C from any
#     account screen) lists every CNAM charge, lookups on calls and ledger
#     cnam entries, with the number looked up and the name returned; the
#     title's total is the statement's CNAM line; f filters; e exports CSV
#     and text equal to `billtop cnams`, byte for byte
#   - rejects: X on the accounts list lists the rows --keep-going refused
#     (file, line, reason, the row); f filters; e exports CSV equal to
#     `billtop rejects --format csv`
#   - audit: W on the accounts list lists who did what; f filters; e
#     exports CSV equal to `billtop audit --format csv`
#   - ? lists C, X and W (one action table)
#
# Usage: BILLTOP=path/to/billtop bash tests/tui/test_records.sh   (default ./billtop)
# Prints "tui-records: N passed, N failed"; exits 1 on any failure.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
BILLTOP=${BILLTOP:-./billtop}
. "$HERE/lib.sh"
tui_init tui-records
DB=$TUI_TMP/r.db
NOW='2026-12-01 12:00:00'
cli() { USER=carol BILLTOP_NOW="$NOW" "$BILLTOP" --db "$DB" "$@"; }

cli init >/dev/null
cli account add acme --decimals 4 >/dev/null
cat >"$TUI_TMP/calls.csv" <<'CSV'
call_id,start,src,dst,duration,billsec,disposition,clid,cnam_fee
c1,2026-11-02 10:00:00,15551230001,15550009999,60,60,ANSWERED,"""SMITH JOHN"" <15551230001>",0.0039
c2,2026-11-03 11:00:00,15551230002,15550009999,30,30,ANSWERED,"""15551230002"" <15551230002>",0.0040
c3,2026-11-04 12:00:00,15550009999,12125550100,90,90,ANSWERED,,
c4,2026-11-20 09:00:00,15551230003,15550009999,0,0,NO ANSWER,WIRELESS CALLER <15551230003>,0.0039
c5,2026-11-21 09:00:00,15551230005,15550009999,notanumber,0,ANSWERED,,0.0039
c6,2026-11-22 09:00:00,15551230006,15550009999,10,10,ANSWERED,,0.00391
CSV
cli import cdr "$TUI_TMP/calls.csv" --format generic --account acme --keep-going >/dev/null 2>&1
[ "$(sqlite3 "$DB" 'select count(*) from reject')" -ge 2 ] || { echo "tui-records: no rejects to show" >&2; exit 2; }
cli ledger add acme deposit 10 --memo "opening" --at "2026-10-01" >/dev/null
cli ledger add acme cnam 1.25 --memo "CNAM dip service, November" --at "2026-11-01 00:00" >/dev/null
cli ledger add acme cnam 0.01 --memo "$(printf 'dip \033]0;pwned\007 fee')" --at "2026-11-15 00:00" >/dev/null
stmt=$(cli statement acme --month 2026-11 --format json 2>/dev/null |
	python3 -c 'import json, sys; print(json.load(sys.stdin)["usage"]["cnam_cost"])')

# export KEY PATH: e, the format's key, the path
export_to() {
	tui_keys "$S" e
	tui_wait "$S" "csv or text" || fail "no export prompt"
	tui_keys "$S" "$1"
	tui_wait "$S" "export to" || fail "no export path prompt"
	tui_keys "$S" C-u; tui_type "$S" "$2"; tui_keys "$S" Enter
	expect_screen "the export $2 is written" "$S" "wrote $2"
}
same() { # same NAME FILE-A FILE-B
	if cmp -s "$2" "$3"; then ok; else fail "$1"; diff "$2" "$3" | head -5 >&2; fi
}

S=r1
tui_start "$S" 120 30 LANG=C.UTF-8 "BILLTOP_NOW=$NOW" -- --db "$DB"
expect_screen "the console starts" "$S" "accounts (1)"

# ---- rejects ----------------------------------------------------------------
tui_keys "$S" X
expect_screen "X opens the rejects screen" "$S" "rejected rows"
expect_screen "a rejected row: its file" "$S" "calls.csv"
line5=$(tui_screen "$S" | grep '"c5"')
expect_contains "a rejected row: its line and reason" "$line5" "     6 field 5 (duration): bad duration"
expect_contains "a rejected row: its row's text" "$line5" '"c5","2026-11-21 09:00:00"'
expect_contains "a cut path shows a sign, its end kept" "$line5" "…"
expect_screen "the detail lines hold the selected row whole" "$S" "$TUI_TMP/calls.csv:6: field 5 (duration)"
expect_contains "a cut reason shows a sign" "$line5" 'bad duration "notan…'

tui_keys "$S" j
expect_screen "the detail line shows the selected row whole" "$S" "calls.csv:7: CNAM fee 0.00391 has 5 decimals"
export_to c "$TUI_TMP/rej.csv"
cli rejects --format csv >"$TUI_TMP/rej-cli.csv"
same "rejects: the exported CSV differs from billtop rejects --format csv" "$TUI_TMP/rej.csv" "$TUI_TMP/rej-cli.csv"
tui_keys "$S" f; tui_wait "$S" "filter:" || fail "no filter prompt"
tui_type "$S" n; tui_wait "$S" "contains" || fail "no text prompt"
tui_type "$S" "c6,"; tui_keys "$S" Enter
expect_screen "f n: the filter is in the title" "$S" "[~c6,]"
if tui_screen "$S" | grep -q '"c5"'; then fail "the filter leaves c5 listed"; else ok; fi
expect_screen "the filter keeps c6" "$S" "c6,2026-11-22"
tui_keys "$S" q
expect_screen "q goes back to the accounts" "$S" "accounts (1)"

# ---- audit ------------------------------------------------------------------
tui_keys "$S" W
expect_screen "W opens the audit screen" "$S" "audit: who did what"
expect_screen "who: the operator" "$S" "carol"
expect_contains "a ledger entry: what and its detail" "$(tui_screen "$S" | grep 'CNAM dip')" "ledger"
tui_keys "$S" G
expect_screen "an import: its counts on the detail line" "$S" "6 rows, 4 stored, 0 duplicates, 2 rejected"
export_to c "$TUI_TMP/aud.csv"
cli audit --format csv >"$TUI_TMP/aud-cli.csv"
same "audit: the exported CSV differs from billtop audit --format csv" "$TUI_TMP/aud.csv" "$TUI_TMP/aud-cli.csv"
tui_keys "$S" /; tui_type "$S" "import"
expect_screen "/ narrows as you type" "$S" "(filtered from 4: /import)"
tui_keys "$S" Enter
if tui_screen "$S" | grep -q 'CNAM dip'; then fail "the filter leaves the ledger entry listed"; else ok; fi
tui_keys "$S" X
expect_screen "X from the audit switches to the rejects" "$S" "rejected rows"
tui_keys "$S" q
expect_screen "q: back to the accounts, not to the audit (a switch)" "$S" "accounts (1)"

# ---- CNAM lookups -----------------------------------------------------------
tui_keys "$S" Enter
expect_screen "Enter opens the dashboard" "$S" "acme  dashboard"
tui_keys "$S" N
expect_screen "N opens the CNAM statistics" "$S" "acme  CNAM"
# Enter lists what the window counts: the month (30 days, 2026-11-02 on)
# holds 3 lookups and the fee of 11-15, not the fee of 11-01
tui_keys "$S" l l
expect_screen "l l: the month window" "$S" "acme  CNAM  month"
win=$(cli cnams acme --from 2026-11-02 --to 2026-12-02 | grep -m1 ' lookups, ')
tui_keys "$S" Enter
expect_screen "Enter on CNAM opens the window's lookups" "$S" "acme  CNAM lookups [>=2026-11-02 <2026-12-02]"
expect_eq "billtop cnams for the window" "$win" "3 lookups, 1 ledger entry, CNAM 0.0218 USD"
expect_screen "... its count and charge, as billtop cnams" "$S" "3 + 1 fee: CNAM 0.0218"
if tui_screen "$S" | grep -q 'CNAM dip'; then fail "a fee before the window is listed"; else ok; fi
tui_keys "$S" f; tui_wait "$S" "filter:" || fail "no filter prompt"
tui_type "$S" x
expect_screen "f x: every lookup" "$S" "acme  CNAM lookups  3 + 2 fees"
expect_screen "a lookup: the name returned" "$S" "SMITH JOHN"
expect_contains "a lookup's row: time, source, number, name, fee" "$(tui_screen "$S" | grep 'SMITH JOHN')" \
	"2026-11-02 10:00:00 call"
expect_contains "... its fee" "$(tui_screen "$S" | grep 'SMITH JOHN')" "0.0039"
expect_contains "a ledger cnam entry: its source and memo" "$(tui_screen "$S" | grep 'CNAM dip')" "ledger"
expect_screen "the title's total is the statement's CNAM line ($stmt)" "$S" "CNAM $stmt"
expect_screen "the title counts lookups and fees" "$S" "CNAM lookups  3 + 2 fees: CNAM $stmt"
export_to c "$TUI_TMP/cn.csv"
cli cnams acme --format csv >"$TUI_TMP/cn-cli.csv" 2>/dev/null
same "cnams: the exported CSV differs from billtop cnams --format csv" "$TUI_TMP/cn.csv" "$TUI_TMP/cn-cli.csv"
export_to t "$TUI_TMP/cn.txt"
cli cnams acme >"$TUI_TMP/cn-cli.txt" 2>/dev/null
same "cnams: the exported text differs from billtop cnams" "$TUI_TMP/cn.txt" "$TUI_TMP/cn-cli.txt"
tui_keys "$S" /; tui_type "$S" "SMITH"
expect_screen "/ narrows the loaded rows as you type" "$S" "(filtered from 5: /SMITH)"
tui_keys "$S" Escape
expect_screen "Esc clears it, the row found stays selected" "$S" "row 4 of 5"
tui_keys "$S" f; tui_wait "$S" "filter:" || fail "no filter prompt"
tui_type "$S" n; tui_wait "$S" "contains" || fail "no text prompt"
tui_type "$S" "WIRELESS"; tui_keys "$S" Enter
expect_screen "f n: the filter is in the title" "$S" "[~WIRELESS]"
if tui_screen "$S" | grep -q 'SMITH JOHN'; then fail "the filter leaves SMITH JOHN listed"; else ok; fi
expect_screen "the filter keeps WIRELESS CALLER" "$S" "WIRELESS CALLER"
tui_keys "$S" f; tui_wait "$S" "filter:" || fail "no filter prompt"
tui_type "$S" x
expect_screen "f x clears the filter: a memo's escape sequence shows as text" "$S" 'dip \x1b]0;pwned\x07 fee'
tui_keys "$S" q d
expect_screen "back to the dashboard" "$S" "acme  dashboard"
tui_keys "$S" C
expect_screen "C opens the lookups list from an account screen" "$S" "acme  CNAM lookups"
tui_keys "$S" W
expect_screen "W from an account screen opens the audit" "$S" "audit: who did what"
tui_keys "$S" '?'
expect_screen "? lists X" "$S" "rows imports refused"
expect_screen "? lists W" "$S" "audit: who did what, when"
tui_keys "$S" NPage
expect_screen "? lists C" "$S" "CNAM lookups and fees; Enter on CNAM: its window"
tui_stop "$S"

# the demo: thousands of lookups, paged by keyset; End reaches the oldest,
# Home the newest, as billtop cnams lists them
D=$TUI_TMP/demo.db
DNOW='2026-03-18 15:30:00'
BILLTOP_NOW="$DNOW" "$BILLTOP" --db "$D" demo --quiet >/dev/null 2>&1 || { echo "tui-records: demo failed" >&2; exit 2; }
ACC=$(sqlite3 "$D" "select name from account order by name limit 1")
BILLTOP_NOW="$DNOW" "$BILLTOP" --db "$D" cnams "$ACC" --format csv >"$TUI_TMP/d.csv" 2>/dev/null
oldest=$(sed -n 2p "$TUI_TMP/d.csv" | cut -d, -f1)
oldest_id=$(sed -n 2p "$TUI_TMP/d.csv" | cut -d, -f3 | tr -d '"')
newest=$(tail -n 1 "$TUI_TMP/d.csv" | cut -d, -f1)
S=r2
tui_start "$S" 100 30 LANG=C.UTF-8 "BILLTOP_NOW=$DNOW" -- --db "$D"
expect_screen "demo: the console starts" "$S" "accounts"
tui_keys "$S" Enter
expect_screen "demo: the dashboard" "$S" "$ACC  dashboard"
tui_keys "$S" C
expect_screen "demo: the newest lookup first ($newest)" "$S" "$newest"
tui_keys "$S" G
expect_screen "demo: End selects the oldest lookup ($oldest_id)" "$S" "$oldest_id at "
expect_screen "demo: the oldest lookup is $oldest" "$S" "$oldest"
tui_keys "$S" g
expect_screen "demo: Home is back at the newest" "$S" "$newest"
tui_keys "$S" NPage NPage NPage NPage NPage NPage NPage NPage NPage NPage NPage NPage
tui_wait_gone "$S" "$newest" || fail "demo: paging down leaves the newest shown"
# the twelve keys may still be on their way: poll (5 s) until the row passes 200
for i in $(seq 1 100); do
	r=$(tui_screen "$S" | grep -o 'row [0-9]* of' | tr -dc '0-9')
	[ "${r:-0}" -gt 200 ] && break
	sleep 0.05
done
if [ "${r:-0}" -gt 200 ]; then ok; else fail "demo: paging down past the first page of 200 (row ${r:-?})"; fi
tui_stop "$S"
tui_report tui-records
