#!/usr/bin/env bash
# test_asof.sh: the console's "as of" choice (issue 10), on a fixed clock.
#   - the title bar shows the clock ($BILLTOP_NOW); the accounts list shows
#     balance and status as of it, and marks an account with records dated
#     later (a scheduled deposit, calls from a switch running ahead)
#   - A asks for a time: the title bar says AS OF it, the accounts list and
#     the dashboard show balance and status as of it, equal to `billtop
#     balance --as-of` for the same time; the suspension history marks a
#     transition dated after it SCHEDULED
#   - A with an empty answer goes back to now; a bad time is refused
#   - ? lists the key (the one action table)
#
# Usage: BILLTOP=path/to/billtop bash tests/tui/test_asof.sh   (default ./billtop)
# Prints "tui-asof: N passed, N failed"; exits 1 on any failure.

set -u
HERE=$(cd "$(dirname "$0")" && pwd)
BILLTOP=${BILLTOP:-./billtop}
. "$HERE/lib.sh"
tui_init tui-asof
DB=$TUI_TMP/a.db
NOW='2026-12-02 12:30:00'
LATER='2026-12-03 09:00:01'

cli() { BILLTOP_NOW="$NOW" "$BILLTOP" --db "$DB" "$@"; }
jq1() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

# initech: suspended since Dec 1, a deposit scheduled for Dec 3 09:00
cli init >/dev/null
cli account add initech --decimals 4 >/dev/null
cli ledger add initech deposit 10 --memo open --at 2026-11-01 >/dev/null
cli ledger add initech mrc 20 --memo "December MRC" --at 2026-12-01 >/dev/null
cli ledger add initech deposit 500 --memo wire --at '2026-12-03 09:00' --future >/dev/null \
	|| { echo "tui-asof: cannot schedule the deposit" >&2; exit 2; }

S=a1
tui_start "$S" 80 24 LANG=C.UTF-8 "BILLTOP_NOW=$NOW" -- --db "$DB"
expect_screen "the console starts" "$S" "accounts (1)"
expect_screen "the title bar shows the clock" "$S" "2026-12-02 12:30 UTC"
expect_screen "initech is suspended now, marked as having later records" "$S" "SUSPENDED 2026-12-01 *"
expect_screen "the title explains the mark" "$S" "*: later"
want=$(cli balance initech --format json | jq1 "d['balance']")
expect_contains "the balance now = billtop balance" "$(tui_screen "$S" | grep initech)" "$want"

# A: as of a second after the scheduled deposit
tui_keys "$S" A
expect_screen "A asks for the time" "$S" "as of (YYYY-MM-DD"
tui_keys "$S" C-u
tui_type "$S" "$LATER"
tui_keys "$S" Enter
expect_screen "the title bar says AS OF" "$S" "AS OF $LATER"
expect_screen "as of then, initech is active" "$S" "active"
want=$(cli balance initech --as-of "$LATER" --format json | jq1 "d['balance'], d['status']")
expect_eq "billtop balance --as-of agrees (active)" "$want" "490.0000 active"
expect_contains "the balance as of then = billtop balance --as-of" "$(tui_screen "$S" | grep initech)" "490.0000"
tui_keys "$S" Enter
expect_screen "the dashboard is as of then" "$S" "initech  dashboard as of 2026-12-03 09:00"
expect_screen "dashboard: balance as of then" "$S" "Balance 490.0000 USD"
expect_screen "dashboard: restored (history, not scheduled)" "$S" "restored"
case "$(tui_screen "$S")" in *SCHEDULED*) fail "nothing is scheduled as of then" ;; *) ok ;; esac

# A, empty: back to now, on the dashboard
tui_keys "$S" A
expect_screen "A again shows the as-of time" "$S" "as of (YYYY-MM-DD"
tui_keys "$S" C-u Enter
expect_screen "back to now: the clock in the title bar" "$S" "2026-12-02 12:30 UTC"
expect_screen "dashboard now: suspended" "$S" "SUSPENDED since 2026-12-01 00:00"
expect_screen "dashboard now: the scheduled deposit apart" "$S" "scheduled: 1 ledger entry dated later"
expect_screen "dashboard now: the restoration is SCHEDULED" "$S" "SCHEDULED"
expect_contains "dashboard now: balance -10" "$(tui_screen "$S")" "Balance -10.0000 USD"

# a bad time is refused, the figures stay as they were
tui_keys "$S" A
expect_screen "A asks" "$S" "as of (YYYY-MM-DD"
tui_keys "$S" C-u
tui_type "$S" "next tuesday"
tui_keys "$S" Enter
expect_screen "a bad time is refused" "$S" "not a time"
expect_screen "still as of now" "$S" "2026-12-02 12:30 UTC"

# the ledger marks the scheduled entry
tui_keys "$S" L
expect_screen "ledger: the scheduled entry is marked" "$S" "SCHEDULED"
tui_keys "$S" q

# ? lists the key
tui_keys "$S" '?'
expect_screen "help lists A" "$S" "as of: figures at a time"
tui_keys "$S" Q
tui_stop "$S"

tui_report tui-asof
