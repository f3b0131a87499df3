#!/usr/bin/env bash
# test_post.sh: the console's post dialogue and the decimals an account keeps
# (issue 10, "money hygiene"), in a real terminal (tmux, 80x24):
#   - an amount with more decimals than the account keeps is refused at once,
#     with the reason on screen, and nothing is posted
#   - an amount that fits is shown back exactly as it will be posted before
#     the y/n: kind, signed amount in the account's decimals, account, memo,
#     reference; n posts nothing, y posts exactly that
#   - a signed adjustment is shown with its sign; a 2-decimal account shows 2
#
# Usage: BILLTOP=path/to/billtop bash tests/tui/test_post.sh   (default ./billtop)
# Prints "tui-post: N passed, N failed"; exits 1 on any failure.

set -u
HERE=$(cd "$(dirname "$0")" && pwd)
BILLTOP=${BILLTOP:-./billtop}
. "$HERE/lib.sh"
tui_init tui-post
DB=$TUI_TMP/p.db
BILLTOP_NOW='2026-03-18 15:30:00'

b() { BILLTOP_NOW="$BILLTOP_NOW" "$BILLTOP" --db "$DB" "$@"; }
b init >/dev/null
b account add acme >/dev/null                 # 4 decimals (the default)
b account add cents --decimals 2 >/dev/null

S=p
keys() { tui_keys "$S" "$@"; }
text() { [ -z "$1" ] || tmx send-keys -t "$TUI_ID-$S" -l -- "$1"; }   # "--": an amount may start with "-"
screen() { tui_screen "$S"; }
see() { expect_screen "$1" "$S" "$2"; }
entries() { b ledger list "$1" --format json | python3 -c "import json,sys; print(len(json.load(sys.stdin)))"; }
# prompt_answer PROMPT ANSWER: wait for a prompt, type the answer
prompt_answer() {
	tui_wait "$S" "$1" || fail "no prompt \"$1\""
	keys C-u
	text "$2"
	keys Enter
}
# post KIND AMOUNT: open the dialogue from the dashboard, kind and amount
post() {
	keys p
	# the kind is a one-key menu: its first letter (e911: e)
	tui_wait "$S" "post kind" || fail "no post kind menu"
	keys "${1:0:1}"
	prompt_answer "amount" "$2"
}

tui_start "$S" 80 24 LANG=C.UTF-8 "BILLTOP_NOW=$BILLTOP_NOW" -- --db "$DB"
see "the console starts" "accounts ("
keys Enter
see "Enter opens acme's dashboard" "dashboard"

# ---- refused, then typed again: shown back exactly, then posted -------------------------
post deposit 1.23456
see "1.23456 on a 4-decimal account is refused with the reason" \
	"not posted: deposit 1.23456 has 5 decimals; account acme keeps 4"
see "and what would fit" "post 1.2346 or 1.2345; type it again (Esc cancels)"
expect_lacks() { case "$2" in *"$3"*) fail "$1" ;; *) ok ;; esac; }
expect_lacks "no memo is asked for a refused amount" "$(screen)" "memo (required"
expect_eq "nothing posted" "$(entries acme)" "0"
prompt_answer "amount" 1.2346
prompt_answer "memo" "wire 4471"
prompt_answer "reference" "bank-9"
see "the confirmation shows kind, signed amount, currency and account" "post deposit +1.2346 USD to acme now? (y/n)"
see "and the memo" "  memo:      wire 4471"
see "and the reference" "  reference: bank-9"
expect_lacks "the refusal is gone" "$(screen)" "not posted"
keys n
see "n cancels" "post cancelled: nothing written"
expect_eq "nothing posted after n" "$(entries acme)" "0"

post deposit 1.2346
prompt_answer "memo" "wire 4471"
prompt_answer "reference" ""
see "no reference is shown as none" "reference: none"
see "the confirmation line again" "post deposit +1.2346 USD to acme now? (y/n)"
keys y
see "y posts" "posted entry #1: deposit +1.2346; balance 1.2346 USD"
expect_eq "the entry is what was shown" \
	"$(b ledger list acme --format json | python3 -c "import json,sys; e=json.load(sys.stdin)[0]; print(e['kind'], e['amount'], e['memo'])")" \
	"deposit 1.2346 wire 4471"

# a debit and a signed adjustment show their sign
post mrc 2.5
prompt_answer "memo" "service"
prompt_answer "reference" ""
see "a debit is shown negative, in the account's decimals" "post mrc -2.5000 USD to acme now? (y/n)"
keys n
post adjustment -0.00001
see "a signed adjustment with too many decimals is refused" \
	"not posted: adjustment -0.00001 has 5 decimals; account acme keeps 4"
see "zero is not suggested" "  post -0.0001; type it again (Esc cancels)"
keys Escape
see "Esc leaves the dialogue" "? help  q back"   # the key bar (issue 11: its screen keys may be cut)
expect_eq "still one entry" "$(entries acme)" "1"

# ---- a 2-decimal account ------------------------------------------------------------------
keys q
see "q returns to the accounts" "accounts ("
keys Down Enter
see "the second account's dashboard" "cents"
post payment 10.005
see "10.005 on a 2-decimal account is refused" \
	"not posted: payment 10.005 has 3 decimals; account cents keeps 2"
see "with the two amounts that fit" "post 10.01 or 10.00; type it again"
prompt_answer "amount" 10.5
prompt_answer "memo" "cash"
prompt_answer "reference" ""
see "10.5 is shown with the account's 2 decimals" "post payment +10.50 USD to cents now? (y/n)"
keys y
see "and posted" "posted entry #2: payment +10.50"
expect_eq "cents: one entry" "$(entries cents)" "1"

tui_report tui-post
