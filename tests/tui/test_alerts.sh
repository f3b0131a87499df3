#!/usr/bin/env bash
# test_alerts.sh: the console's accounts list shows an account's transitions
# (issue 10) as another process commits them: the line under the list names
# the latest event of any account (every width) and, 100 columns or wider, the LAST
# EVENT column each account's latest. The clock is fixed (BILLTOP_NOW) so
# the times on screen are known.
#
# BILLTOP=path/to/billtop bash tests/tui/test_alerts.sh
# Prints "tui-alerts: N passed, N failed"; exits 1 on any failure.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
BILLTOP=${BILLTOP:-$HERE/../../billtop}
. "$HERE/lib.sh"
tui_init tui-alerts

NOW="2026-11-20 12:00:00"
DB="$TUI_TMP/t.db"
bt() { BILLTOP_NOW="$NOW" "$BILLTOP" --db "$DB" "$@"; }
bt init >/dev/null
bt account add acme --low-balance 10 >/dev/null
bt account add beta >/dev/null
bt ledger add acme deposit 50 --at "2026-11-19 09:00" --memo t >/dev/null

tui_start wide 120 24 LANG=C.UTF-8 TERM=xterm-256color "BILLTOP_NOW=$NOW" -- --db "$DB"
tui_start narrow 80 24 LANG=C.UTF-8 TERM=xterm-256color "BILLTOP_NOW=$NOW" -- --db "$DB"
expect_screen "wide: accounts" wide "accounts (2)"
expect_screen "wide: a LAST EVENT column" wide "LAST EVENT"
expect_screen "narrow: accounts" narrow "accounts (2)"

bt ledger add acme mrc 45 --at "2026-11-19 10:00" --memo t >/dev/null     # 50 -> 5: below 10, yesterday
expect_screen "wide: the low-balance crossing in acme's row, dated (not today)" wide "low balance 11-19 10:00"
expect_screen "narrow: and under the list, with balance and cause" narrow "last event: acme low balance 11-19 10:00, balance 5.0000 USD, ledger entry 2"
bt ledger add acme mrc 10 --at "2026-11-20 11:30" --memo t >/dev/null     # 5 -> -5: suspended today
expect_screen "wide: suspended, today's time only" wide "suspended 11:30"
expect_screen "narrow: the line follows" narrow "last event: acme suspended 11:30, balance -5.0000 USD"
row=$(tui_screen wide | grep '^acme')
expect_contains "wide: on acme's row" "$row" "suspended 11:30"
row=$(tui_screen wide | grep '^beta')
case "$row" in *suspended*|*"low balance"*|*restored*) fail "wide: beta has no event" ;; *) ok ;; esac
bt ledger add beta nrc 1 --at "2026-11-20 11:45" --memo t >/dev/null      # 0 -> -1: beta suspended
expect_screen "narrow: the latest event of any account" narrow "last event: beta suspended 11:45"

tui_report tui-alerts
