#!/usr/bin/env bash
# test_live.sh: a ledger entry written by another process shows on the open
# dashboard within 1 second (the console polls SQLite's data_version).
#
# Opens the dashboard of a demo database in tmux, runs `billtop ledger add
# ACCOUNT deposit 123.45 --memo live` from the shell, then reads the screen
# every 50 ms until the new balance (old + 123.45, which `billtop balance`
# must also say) shows; fails after 1 s. Prints the measured latency. The same again for an
# adjustment that takes money away, and with the usage screen on top (the
# dashboard below it must be fresh when the user comes back).
#
# BILLTOP=path/to/billtop bash tests/tui/test_live.sh
# Prints "tui-live: N passed, N failed"; exits 1 on any failure.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
BILLTOP=${BILLTOP:-$HERE/../../billtop}
. "$HERE/lib.sh"
tui_init tui-live

DB="$TUI_TMP/demo.db"
tui_demo_db "$DB" || { echo "tui-live: cannot build the demo database" >&2; exit 1; }
ACC=acme-voip
balance() { "$BILLTOP" --db "$DB" balance $ACC --format json | python3 -c "import json,sys; print(json.load(sys.stdin)['balance'])"; }

# live_check NAME DELTA LEDGER-ARGS...: post, then poll for the new balance.
# The expected balance is computed before the write (old + DELTA, exact
# decimals) so nothing slow runs inside the timed second; the clock starts
# when `ledger add` has returned (its transaction is committed by then).
live_check() {
	local name=$1 delta=$2 t0 ta t1 old new seen=0
	shift 2
	old=$(balance)
	new=$(python3 -c "from decimal import Decimal as D; import sys; print(D(sys.argv[1]) + D(sys.argv[2]))" "$old" "$delta")
	ta=$(now_ms)
	"$BILLTOP" --db "$DB" ledger add $ACC "$@" >/dev/null || { fail "$name: ledger add failed"; return; }
	t0=$(now_ms)
	while [ $(( $(now_ms) - t0 )) -le 1000 ]; do
		case "$(tui_screen live)" in *"Balance $new USD"*) seen=1; break ;; esac
		sleep 0.05
	done
	t1=$(now_ms)
	if [ $seen = 1 ]; then
		ok
		echo "tui-live: $name: balance $new on screen $((t1 - t0)) ms after the write ($((t1 - ta)) ms after starting ledger add)"
	else
		fail "$name: balance $new not on the dashboard within 1 s"
		tui_screen live | sed 's/^/  | /' >&2
	fi
	expect_eq "$name: billtop balance agrees" "$(balance)" "$new"
}

tui_start live 80 24 LANG=C.UTF-8 TERM=xterm-256color -- --db "$DB"
expect_screen "accounts" live "accounts (4)"
tui_keys live Enter
OLD=$(balance)
expect_screen "dashboard shows the balance" live "Balance $OLD USD"

live_check "deposit 123.45" 123.45 deposit 123.45 --memo live
live_check "adjustment -0.0001" -0.0001 adjustment -0.0001 --memo "live, negative"

# with another screen on top, the dashboard underneath is reloaded too
tui_keys live u
expect_screen "usage on top" live "usage  12h by hour"
"$BILLTOP" --db "$DB" ledger add $ACC deposit 1 --memo "while away" >/dev/null
NEW=$(balance)
tui_keys live q
expect_screen "back on the dashboard: fresh balance" live "Balance $NEW USD" 1

tui_report tui-live
