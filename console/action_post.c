/* action_post.c: the console's p (post a ledger entry). Not a view: a short
 * dialogue of prompts (kind, amount, memo, reference, confirmation) that
 * validates with the same core rules as `billtop ledger add` (an amount
 * with more decimals than the account keeps is refused at once, with the
 * reason), shows the entry back exactly as it will be posted (kind, signed
 * amount in the account's decimals, account, memo, reference) for a y/n,
 * and posts through the same function (post_ledger_entry_ref), then
 * reloads every open screen. The optional reference is `--ref`'s idempotency key (a bank
 * or payment id): when two engineers enter the same customer payment, the
 * second finds the first's entry and posts nothing. The
 * console's own writes do not change PRAGMA data_version on its own
 * connection, so the live poll would not notice them. */
#include <string.h>

#include "../core/columns.h"
#include "../core/ledger.h"
#include "../core/money.h"
#include "../data/out.h"
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

/* Draws l1 and l2 on the two rows above the prompt (NULL: a blank row);
 * control characters are made visible (tui_text). The prompts keep them
 * (tui_prompt_note), so a resize during the dialogue draws them again. */
static void above_prompt(tui *t, const char *l1, const char *l2)
{
	tui_prompt_note(t, l1, l2);
}

/* The amount prompt. An amount with more decimals than the account keeps
 * is refused at once, with the reason on the rows above, and asked again
 * (Esc cancels): it is never rounded for the operator. Returns 0 with
 * *entered, 1 when cancelled, -1 (status set) on an amount that is not one. */
static int ask_amount(tui *t, const account_info *a, ledger_kind kind, char *text, size_t n, money_t *entered)
{
	const char *label = kind == LEDGER_ADJUSTMENT ? "amount (signed: -5.00 debits, 5.00 credits):"
	                                              : "amount (positive; the kind gives the sign):";
	char why[300], l1[320], l2[320];
	int st;

	for (;;) {
		if (!tui_prompt(t, label, "", text, n)) {
			above_prompt(t, NULL, NULL);
			return 1;
		}
		if ((st = money_parse(text, strlen(text), entered)) != MONEY_OK) {
			above_prompt(t, NULL, NULL);
			tui_set_status(t, "post: amount \"%s\": %s", text, money_strerror(st));   /* whole: the status wraps */
			return -1;
		}
		if (!post_decimals_why(a, kind, *entered, why, sizeof why)) {
			above_prompt(t, NULL, NULL);
			return 0;
		}
		/* "deposit 1.23456 has 5 decimals; account x keeps 4: post 1.2346
		 * or 1.2345" on two rows: the reason, then what would fit */
		char *cut = strstr(why, ": post ");
		if (cut)
			*cut = '\0';
		snprintf(l1, sizeof l1, "  not posted: %s", why);
		snprintf(l2, sizeof l2, "  %s%s(Esc cancels)", cut ? cut + 2 : "", cut ? "; type it again " : "");
		above_prompt(t, l1, l2);
	}
}

/* The confirmation: the memo and the reference on the two rows above the
 * prompt, whose line reads "post deposit +1.2346 USD to acme now? (y/n)",
 * answered on one key. Returns 1 for y, 0 for no (n, Enter, Esc). */
static int confirm(tui *t, const account_info *a, ledger_kind kind, const char *shown, const char *memo,
                   const char *ref)
{
	char q[400], l1[300], l2[160], name[200];

	snprintf(l1, sizeof l1, "  memo:      %s", memo);
	snprintf(l2, sizeof l2, "  reference: %s", ref[0] ? ref : "none");
	above_prompt(t, l1, l2);
	/* a long name is cut with an ellipsis, so that (y/n) stays on the line */
	char vis[200];
	out_visible(a->name, vis, sizeof vis, t->ascii);   /* measured as it will show */
	col_clip(vis, 40, t->ascii, name, sizeof name);
	snprintf(q, sizeof q, "post %s %s %s to %s now? (y/n)", ledger_kind_name(kind), shown, a->currency, name);
	return tui_confirm(t, q);
}

static int post_dialogue(tui *t, const account_info *a)
{
	char kind_text[32], amount_text[64], memo[256], ref[128], shown[40];
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
	/* The kind is a menu: one key each, no Enter (Esc cancels). */
	switch (tui_ask_key(t, "post kind: d deposit  p payment  a adjustment  m mrc  n nrc  e e911  c cnam",
	                    "dpamnec")) {
	case 'd': snprintf(kind_text, sizeof kind_text, "deposit"); break;
	case 'p': snprintf(kind_text, sizeof kind_text, "payment"); break;
	case 'a': snprintf(kind_text, sizeof kind_text, "adjustment"); break;
	case 'm': snprintf(kind_text, sizeof kind_text, "mrc"); break;
	case 'n': snprintf(kind_text, sizeof kind_text, "nrc"); break;
	case 'e': snprintf(kind_text, sizeof kind_text, "e911"); break;
	case 'c': snprintf(kind_text, sizeof kind_text, "cnam"); break;
	default: return 1;
	}
	if (ledger_kind_parse(kind_text, &kind) != 0 || kind == LEDGER_USAGE)
		return -1; /* NEVER: every menu key names a kind a user may post */
	if ((st = ask_amount(t, a, kind, amount_text, sizeof amount_text, &entered)) != 0)
		return st;
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
	/* Shown back exactly as it will be posted: the signed effect with the
	 * account's decimals (the amount fits them: checked above), the
	 * account, the memo and the reference. */
	shown[0] = posted > 0 ? '+' : '\0';
	money_format(posted, a->decimals, shown + (posted > 0), sizeof shown - 1);
	if (!confirm(t, a, kind, shown, memo, ref)) {
		tui_set_status(t, "post cancelled: nothing written");
		return 1;
	}
	memset(&pr, 0, sizeof pr);
	st = post_ledger_entry_ref(t->db, a->id, kind, posted, memo, db_now(), ref[0] ? ref : NULL, &pr);
	if (st == DB_EEXISTS) {
		char other[40];
		money_format(pr.amount, a->decimals, other, sizeof other);
		tui_set_status(t, "not posted: reference %s already names entry #%lld (%s %s)", ref,
		               (long long)pr.id, pr.kind, other);
		return -1;
	}
	if (st != DB_OK) {
		tui_set_status(t, "post failed: %s", db_errmsg(t->db));
		return -1;
	}
	if (pr.existing) {
		tui_set_status(t, "already posted as entry #%lld (reference %s): nothing posted again",
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

int tui_post(tui *t, const account_info *a)
{
	int rc = post_dialogue(t, a);
	tui_prompt_note(t, NULL, NULL);   /* the dialogue's lines end with it */
	return rc;
}
