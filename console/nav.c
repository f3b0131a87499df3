/* nav.c: which screen each account action opens, and how. One place, so
 * the dashboard, the CDR list and the help screen agree.
 *
 * The stack holds drill-downs only (tig, htop): the accounts list, an
 * account's dashboard (Enter), and what Enter opens below. An account's
 * screens (statement, CDRs, usage, destinations, messaging, CNAM, rates,
 * ledger) are siblings: switching from one to another replaces it, so
 * any number of switches leaves the stack as deep as one, and q from a
 * switched-to screen goes back to what lay under it (the dashboard, or
 * the drill-down it was switched from). From the dashboard or any other
 * screen, the first switch stacks once. d goes back to the dashboard. */
#include "tui.h"

/* The account screens one switches between (see above). */
static int is_sibling(const view_ops *ops)
{
	return ops == &view_statement_ops || ops == &view_cdrs_ops || ops == &view_usage_ops
	       || ops == &view_dest_ops || ops == &view_msg_ops || ops == &view_cnam_ops
	       || ops == &view_rates_ops || ops == &view_ledger_ops || ops == &view_mdrs_ops
	       || ops == &view_cnams_ops;
}

static int same_account(const view *v, const account_info *account)
{
	return v && v->has_account && account && v->account.id == account->id;
}

/* Open `ops` for `account` as a switch or a drill-down (see above). */
static void open_screen(tui *t, const view_ops *ops, const account_info *account)
{
	view *top = tui_top(t);
	view *under = t->depth >= 2 ? t->stack[t->depth - 2] : NULL;
	if (same_account(top, account) && top->ops == ops)
		return; /* already there */
	if (ops == &view_dashboard_ops && same_account(top, account) && is_sibling(top->ops)) {
		if (under && under->ops == ops && same_account(under, account))
			tui_pop(t); /* back to the dashboard below */
		else
			tui_replace(t, ops, account);
		return;
	}
	if (is_sibling(ops) && same_account(top, account) && is_sibling(top->ops)) {
		tui_replace(t, ops, account);
		return;
	}
	tui_push(t, ops, account);
}

int tui_open_account_view(tui *t, tui_action a, const account_info *account)
{
	const view_ops *ops = NULL;
	switch (a) {
	case ACT_DASHBOARD: ops = &view_dashboard_ops; break;
	/* statement, CDRs, ledger, posting: add their cases here */
	case ACT_STATEMENT: ops = &view_statement_ops; break;
	case ACT_CDRS: ops = &view_cdrs_ops; break;
	case ACT_LEDGER: ops = &view_ledger_ops; break;
	case ACT_POST: tui_post(t, account); return 1; /* an action, not a screen */
	/* usage, destinations, messaging, CNAM, rates: add their cases here */
	case ACT_USAGE: ops = &view_usage_ops; break;
	case ACT_DESTINATIONS: ops = &view_dest_ops; break;
	case ACT_MESSAGING: ops = &view_msg_ops; break;
	case ACT_MESSAGES: ops = &view_mdrs_ops; break;
	case ACT_CNAM: ops = &view_cnam_ops; break;
	case ACT_RATES: ops = &view_rates_ops; break;
	case ACT_CNAMS: ops = &view_cnams_ops; break;
	/* screens of the whole database (scope global): a drill-down from
	 * wherever they are opened, the account not needed */
	case ACT_REJECTS:
	case ACT_AUDIT: {
		const view_ops *g = a == ACT_REJECTS ? &view_rejects_ops : &view_audit_ops;
		view *top = tui_top(t);
		if (top && (top->ops == &view_rejects_ops || top->ops == &view_audit_ops)) {
			if (top->ops != g) /* one to the other: a switch, not a drill-down */
				tui_replace(t, g, NULL);
		} else {
			tui_push(t, g, NULL);
		}
		return 1;
	}
	/* dispute investigations: the wizard prompts for their file when it opens */
	case ACT_INVESTIGATE: ops = &view_investigate_ops; break;
	case ACT_CASES: ops = &view_cases_ops; break;
	default: return 0;
	}
	open_screen(t, ops, account);
	return 1;
}
