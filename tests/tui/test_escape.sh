#!/bin/bash
# test_escape.sh: Esc in a prompt closes it even when a resize (SIGWINCH)
# arrives in the same moment. console.c's swallow_escape read the
# KEY_RESIZE that followed the Esc as the second byte of an Alt+key and
# dropped both: the prompt stayed open and took the next keys (seen once in
# test_figures on the PostgreSQL store under load). Eight times: the post
# dialogue's amount prompt, Esc and a resize sent back to back.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
BILLTOP=${BILLTOP:-$HERE/../../billtop}
. "$HERE/lib.sh"
tui_init tui-escape
DB=$TUI_TMP/e.db
"$BILLTOP" --db "$DB" init >/dev/null
"$BILLTOP" --db "$DB" account add acme >/dev/null
tui_start e 80 24 LANG=C.UTF-8 -- --db "$DB"
expect_screen "the console starts" e "accounts ("
tui_keys e Enter
expect_screen "the dashboard" e "USAGE COST"
for i in 1 2 3 4 5 6 7 8; do
	tui_keys e p
	expect_screen "the post dialogue ($i)" e "post kind: d deposit"
	tui_keys e d
	expect_screen "the amount prompt ($i)" e "amount (positive"
	tui_keys e Escape
	tui_resize e $((80 + i % 2 * 4)) 24
	if tui_wait_gone e "amount (positive" 3 && tui_wait e "USAGE COST" && ! tui_screen e | grep -q "amount (positive"; then
		ok
	else
		fail "Esc then a resize: the prompt closes ($i)"
		tui_keys e Escape
		tui_wait_gone e "amount (positive" 3
	fi
done
tui_report tui-escape
