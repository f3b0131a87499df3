/* nav.c: which screen each account action opens. One place, so the
 * dashboard, the CDR list and the help screen agree. */
#include "tui.h"

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
	/* dispute investigations: the wizard prompts for their file when it opens */
	case ACT_INVESTIGATE: ops = &view_investigate_ops; break;
	case ACT_CASES: ops = &view_cases_ops; break;
	default: return 0;
	}
	tui_push(t, ops, account);
	return 1;
}
