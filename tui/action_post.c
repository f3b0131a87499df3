/* action_post.c: the console's p (post a ledger entry). Not a view: a short
 * dialogue of prompts (kind, amount, memo, reference, confirmation) that
 * validates with the same core rules as `billtop ledger add` and posts
 * through the same function (post_ledger_entry_ref), then reloads every
 * open screen. The optional reference is `--ref`'s idempotency key (a bank
 * or payment id): when two engineers enter the same customer payment, the
 * second finds the first's entry and posts nothing. The
 * console's own writes do not change PRAGMA data_version on its own
 * connection, so the live poll would not notice them. */
#include <string.h>

#include "../core/ledger.h"
#include "../core/money.h"
#include "../data/post.h"
#include "../data/report.h"
#include "tui.h"

static void reload_all(tui *t)
{
	for (int i = 0; i < t->depth; i++)
		if (t->stack[i]->ops->reload)
			t->stack[i]->ops->reload(t->stack[i]);
	t->dirty = 1;
}

int tui_post(tui *t, const account_info *a)
{
	char kind_text[32], amount_text[64], memo[256], ref[128], yes[8], shown[40];
	post_result pr;
	ledger_kind kind;
	money_t entered, posted;
	int64_t id = 0;
	report_balance b;
	int st;

	if (t->read_only) {
		tui_set_status(t, "read-only: ledger entries cannot be posted from this console");
		return -1;
	}
	if (!tui_prompt(t, "post kind (deposit payment adjustment mrc nrc e911 cnam):", "", kind_text,
	                sizeof kind_text))
		return 1;
	if (ledger_kind_parse(kind_text, &kind) != 0 || kind == LEDGER_USAGE) {
		tui_set_status(t, "post: unknown kind \"%.20s\" (deposit payment adjustment mrc nrc e911 cnam)",
		               kind_text);
		return -1;
	}
	if (!tui_prompt(t, kind == LEDGER_ADJUSTMENT ? "amount (signed: -5.00 debits, 5.00 credits):"
	                                             : "amount (positive; the kind gives the sign):",
	                "", amount_text, sizeof amount_text))
		return 1;
	if ((st = money_parse(amount_text, strlen(amount_text), &entered)) != MONEY_OK) {
		tui_set_status(t, "post: amount \"%.30s\": %s", amount_text, money_strerror(st));
		return -1;
	}
	if (!tui_prompt(t, "memo (required: why):", "", memo, sizeof memo))
		return 1;
	if (!memo[strspn(memo, " ")]) {
		tui_set_status(t, "post: a memo is required (every entry says why); nothing posted");
		return -1;
	}
	if (!tui_prompt(t, "reference (payment or ticket id, posted at most once; Enter: none):", "", ref,
	                sizeof ref))
		return 1;
	if ((st = ledger_signed_amount(kind, entered, memo, &posted)) != LEDGER_OK) {
		tui_set_status(t, "post: %s %s: %s", ledger_kind_name(kind), amount_text, ledger_strerror(st));
		return -1;
	}
	money_format(posted, a->decimals, shown, sizeof shown);
	{
		char q[160];
		snprintf(q, sizeof q, "post %s %s %s to %.40s? (y/n)", ledger_kind_name(kind), shown, a->currency,
		         a->name);
		if (!tui_prompt(t, q, "", yes, sizeof yes) || (yes[0] | 0x20) != 'y') {
			tui_set_status(t, "post cancelled: nothing written");
			return 1;
		}
	}
	memset(&pr, 0, sizeof pr);
	st = post_ledger_entry_ref(t->db, a->id, kind, posted, memo, db_now(), ref[0] ? ref : NULL, &pr);
	if (st == DB_EEXISTS) {
		char other[40];
		money_format(pr.amount, a->decimals, other, sizeof other);
		tui_set_status(t, "not posted: reference %.60s already names entry #%lld (%s %s)", ref,
		               (long long)pr.id, pr.kind, other);
		return -1;
	}
	if (st != DB_OK) {
		tui_set_status(t, "post failed: %s", db_errmsg(t->db));
		return -1;
	}
	if (pr.existing) {
		tui_set_status(t, "already posted as entry #%lld (reference %.60s): nothing posted again",
		               (long long)pr.id, ref);
		return 0;
	}
	id = pr.id;
	reload_all(t);
	if (report_get_balance_asof(t->db, a, db_now(), &b) == DB_OK) {   /* now: scheduled entries apart */
		char bal[40];
		money_format(b.balance, a->decimals, bal, sizeof bal);
		tui_set_status(t, "posted entry #%lld: %s %s; balance %s %s%s", (long long)id, ledger_kind_name(kind),
		               shown, bal, a->currency, b.suspended ? " (suspended)" : "");
	} else {
		tui_set_status(t, "posted entry #%lld: %s %s", (long long)id, ledger_kind_name(kind), shown);
	}
	return 0;
}
