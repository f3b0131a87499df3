/* asof.c: the lines about what is dated after the as-of time (asof.h). */
#include "asof.h"

#include "text.h"

int asof_later_lines(const account_info *a, const report_later *l, char out[ASOF_LINES][ASOF_LINE_MAX])
{
	int n = 0, d = a->decimals;
	if (l->entries)
		snprintf(out[n++], ASOF_LINE_MAX, "scheduled: %lld ledger entr%s dated later, %s %s from %s UTC"
		         " (not in this balance)", (long long)l->entries, l->entries == 1 ? "y" : "ies",
		         cli_money(l->amount, d), a->currency, cli_time_text(l->first_at));
	if (l->records)
		snprintf(out[n++], ASOF_LINE_MAX, "warning: %lld call/message record%s dated after it (%s to %s UTC),"
		         " %s %s: a switch clock running ahead? counted from their own time",
		         (long long)l->records, l->records == 1 ? "" : "s", cli_time_text(l->rec_first),
		         cli_time_text(l->rec_last), cli_money(-l->charges, d), a->currency);
	if (l->next_event)
		snprintf(out[n++], ASOF_LINE_MAX, "scheduled: %s at %s UTC", l->next_event == 1 ? "suspended" : "restored",
		         cli_time_text(l->next_at));
	return n;
}

void asof_print_later(FILE *f, const account_info *a, const report_later *l)
{
	char lines[ASOF_LINES][ASOF_LINE_MAX];
	int n = asof_later_lines(a, l, lines);
	for (int i = 0; i < n; i++)
		fprintf(f, "  %s\n", lines[i]);
}
