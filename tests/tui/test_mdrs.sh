#!/usr/bin/env bash
# test_mdrs.sh: the console's messages list (issue 11), on a fixed clock.
#   - Enter on the messaging screen lists the messages its window counts
#     (as many as it counts, none before it); t lists every message: a known
#     message's number and charge are on screen; the title's total is the charge of
#     the messages up to the clock; a message dated later is not listed
#   - t opens it from an account screen, and ? lists t (one action table)
#   - e exports CSV and text equal to `billtop mdrs`, byte for byte
#   - at 80x24 the window's title says its days, count and charge shorter
#
# Usage: BILLTOP=path/to/billtop bash tests/tui/test_mdrs.sh   (default ./billtop)
# Prints "tui-mdrs: N passed, N failed"; exits 1 on any failure.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
BILLTOP=${BILLTOP:-./billtop}
. "$HERE/lib.sh"
tui_init tui-mdrs
DB=$TUI_TMP/m.db
NOW='2026-03-18 15:30:00'
cli() { BILLTOP_NOW="$NOW" "$BILLTOP" --db "$DB" "$@"; }

cli init >/dev/null
cli account add acme --decimals 4 >/dev/null
printf '%s\n' 'id,time,direction,from,to,type,segments,cost' \
	'm1,2026-02-03 10:00:00,out,15551230001,15557770001,sms,1,0.0075' \
	'm2,2026-03-01 08:00:00,in,15551230002,15557770002,mms,3,0.0210' \
	'm3,2026-03-20 09:00:00,out,15551230003,15557770003,sms,1,0.0075' >"$TUI_TMP/m.csv"
cli import mdr "$TUI_TMP/m.csv" --account acme >/dev/null 2>&1 || { echo "tui-mdrs: import failed" >&2; exit 2; }

S=m1
tui_start "$S" 100 50 LANG=C.UTF-8 "BILLTOP_NOW=$NOW" -- --db "$DB"
expect_screen "the console starts" "$S" "accounts (1)"
tui_keys "$S" Enter
expect_screen "Enter opens the dashboard" "$S" "acme  dashboard"
tui_keys "$S" m
expect_screen "m opens messaging" "$S" "acme  messaging"
# Enter lists the messages the window counts, no others: the 3d window
# (2026-03-16 on) has none, the 30 days (2026-02-17 on) have m2, not m1
tui_keys "$S" Enter
expect_screen "Enter on messaging opens the window's messages" "$S" "acme  messages [>=2026-03-16 <2026-03-19]"
expect_screen "... none in the 3 days" "$S" "0, charges 0.0000"
tui_keys "$S" q
expect_screen "q: back to messaging" "$S" "acme  messaging  3d"
tui_keys "$S" l l
expect_screen "l l: the month (30 days)" "$S" "acme  messaging  month"
win=$(tui_screen "$S" | awk '$1 == "total" {print $2}')
tui_keys "$S" Enter
expect_screen "Enter: the 30 days' messages" "$S" "acme  messages [>=2026-02-17 <2026-03-19]"
expect_screen "... as many as messaging counts ($win)" "$S" "  $win, charges 0.0210"
if tui_screen "$S" | grep -q 15551230001; then fail "a message before the window is listed"; else ok; fi
tui_keys "$S" q
expect_screen "q: back to messaging" "$S" "acme  messaging  month"
tui_keys "$S" t
expect_screen "t: every message" "$S" "acme  messages  2, charges"
expect_screen "a known message: its sender" "$S" "15551230002"
expect_contains "a known message: its charge on its row" "$(tui_screen "$S" | grep 15551230002)" "0.0210"
expect_contains "its row: time, direction, type, segments" "$(tui_screen "$S" | grep 15551230002)" \
	"2026-03-01 08:00:00 inbound   15551230002          15557770002          mms      3     0.0210"
expect_screen "the title totals the messages up to the clock" "$S" "2, charges 0.0285"
expect_screen "the title counts the later message" "$S" "(1 later: not listed)"
if tui_screen "$S" | grep -q 15551230003; then fail "a message dated after the clock is listed"; else ok; fi

# e: CSV, then text, equal to billtop mdrs
tui_keys "$S" e
tui_wait "$S" "csv or text" || fail "no export prompt"
tui_keys "$S" c  # the format menu takes one key (issue 11)
tui_wait "$S" "export to" || fail "no export path prompt"
tui_keys "$S" C-u; tui_type "$S" "$TUI_TMP/x.csv"; tui_keys "$S" Enter
expect_screen "the CSV export is written" "$S" "wrote $TUI_TMP/x.csv"
cli mdrs acme --format csv >"$TUI_TMP/cli.csv" 2>/dev/null
if cmp -s "$TUI_TMP/x.csv" "$TUI_TMP/cli.csv"; then ok; else fail "exported CSV differs from billtop mdrs --format csv"; fi
tui_keys "$S" e
tui_wait "$S" "csv or text" || fail "no export prompt"
tui_keys "$S" t
tui_wait "$S" "export to" || fail "no export path prompt"
tui_keys "$S" C-u; tui_type "$S" "$TUI_TMP/x.txt"; tui_keys "$S" Enter
expect_screen "the text export is written" "$S" "wrote $TUI_TMP/x.txt"
cli mdrs acme >"$TUI_TMP/cli.txt" 2>/dev/null
if cmp -s "$TUI_TMP/x.txt" "$TUI_TMP/cli.txt"; then ok; else fail "exported text differs from billtop mdrs"; fi

# t from another account screen; ? lists it
tui_keys "$S" q q d
expect_screen "back to the dashboard" "$S" "dashboard"
tui_keys "$S" t
expect_screen "t opens the messages list" "$S" "acme  messages"
tui_keys "$S" '?'
expect_screen "? lists t" "$S" "messages one by one; Enter on messaging: its window"
tui_stop "$S"

# 80x24: the window's title keeps its period (as days) and totals; "billtop  " gives way
# (before: "billtop  acme  messages [>=2026-02-17 <2026-…" lost both)
S=m3
tui_start "$S" 80 24 LANG=C.UTF-8 "BILLTOP_NOW=$NOW" -- --db "$DB"
expect_screen "80x24: the console starts" "$S" "accounts (1)"
tui_keys "$S" Enter m
expect_screen "80x24: messaging" "$S" "acme  messaging"
tui_keys "$S" l l
expect_screen "80x24: the month" "$S" "acme  messaging  month"
tui_keys "$S" Enter
expect_screen "80x24: the 30 days' messages, their first and last day, count and charge" "$S" \
	" acme  messages 02-17..03-18  1, charges 0.0210"
tui_keys "$S" q t
expect_screen "80x24: every message (no period): the totals in full; the later count gives way" "$S" "billtop  acme  messages  2, charges 0.0285"
tui_stop "$S"

# the demo: thousands of messages, paged by keyset; End reaches the oldest,
# Home the newest, as billtop mdrs lists them
D=$TUI_TMP/demo.db
BILLTOP_NOW="$NOW" "$BILLTOP" --db "$D" demo --quiet >/dev/null 2>&1 || { echo "tui-mdrs: demo failed" >&2; exit 2; }
ACC=$(sqlite3 "$D" "select name from account order by name limit 1")
BILLTOP_NOW="$NOW" "$BILLTOP" --db "$D" mdrs "$ACC" --format csv >"$TUI_TMP/d.csv" 2>/dev/null
oldest=$(sed -n 2p "$TUI_TMP/d.csv" | cut -d, -f2)
oldest_id=$(sed -n 2p "$TUI_TMP/d.csv" | cut -d, -f1 | tr -d '"')
newest=$(tail -n 1 "$TUI_TMP/d.csv" | cut -d, -f2)
S=m2
tui_start "$S" 100 30 LANG=C.UTF-8 "BILLTOP_NOW=$NOW" -- --db "$D"
expect_screen "demo: the console starts" "$S" "accounts"
tui_keys "$S" Enter
expect_screen "demo: the dashboard" "$S" "$ACC  dashboard"
tui_keys "$S" t
expect_screen "demo: the newest message first ($newest)" "$S" "$newest"
tui_keys "$S" G
expect_screen "demo: End selects the oldest message ($oldest_id)" "$S" "$oldest_id  "
expect_screen "demo: the oldest message is $oldest" "$S" "$oldest"
tui_keys "$S" g
expect_screen "demo: Home is back at the newest" "$S" "$newest"
tui_report tui-mdrs
