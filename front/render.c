/* render.c: statement, call record, explanation and usage forms shared by
 * the command line (cmd_report.c, cmd_cdrs.c) and the console's screens and
 * exports. See render.h for the contract: same data in, same bytes out. */
#include "render.h"

#include <string.h>

#include "../core/columns.h"
#include "../core/figure.h"
#include "../data/store.h"
#include "text.h"

#define RULE "------------------------------------------------------------------------"

/* ---- statement ------------------------------------------------------ */

/* Correction lines (issue 10): each re-rating run that changed calls of
 * the period, included in the calls line above it, as a debit (negative
 * when it charged more). */
static void render_statement_corrections(FILE *f, const report_statement *s, int d)
{
	for (int i = 0; i < s->ncorr; i++) {
		const rerate_correction *c = &s->corr[i];
		char line[80], memo[300];
		out_visible(c->memo, memo, sizeof memo, 0);
		snprintf(line, sizeof line, "  incl. correction: rerate #%lld, %lld calls", (long long)c->run_id,
		         (long long)c->calls);
		fprintf(f, "%-44s  %14s\n", line, cli_money(-c->delta, d));
		fprintf(f, "    %s UTC by %s, deck %s: %s\n", cli_time_text(c->at), cli_vis(c->operator_),
		        cli_vis(c->deck), memo);
	}
}

/* The bytes of s that go on one line of a `cols`-wide column: all that
 * fits, broken at the last blank when the rest goes on the next line. */
static size_t memo_chunk(const char *s, int cols)
{
	size_t k = col_fit(s, cols, NULL), b = k;
	if (!s[k])
		return k;
	while (b > 0 && s[b] != ' ')
		b--;
	return b > 0 ? b : k > 0 ? k : strlen(s);
}

/* The first k bytes of s padded with blanks to `cols` display columns (no
 * padding when cols is 0), in a static rotating buffer (4 slots). */
static const char *pad_cols(const char *s, size_t k, int cols)
{
	static char buf[4][400];
	static int slot;
	char *b = buf[slot++ % 4];
	int w;
	snprintf(b, sizeof buf[0], "%.*s", (int)k, s);
	w = col_width(b);
	for (size_t n = strlen(b); w < cols && n + 1 < sizeof buf[0]; w++, n++) {
		b[n] = ' ';
		b[n + 1] = '\0';
	}
	return b;
}

void render_statement_text(FILE *f, const account_info *a, const report_statement *s, const char *label)
{
	int d = a->decimals;
	char name[200], line[80], m[32];
	out_visible(a->name, name, sizeof name, 0);
	fprintf(f, "STATEMENT  %s  %s  (%s)\n", name, label, a->currency);
	if (s->to_date)   /* the period has not ended: figures to date (report.h) */
		fprintf(f, "Period %s to %s UTC, to date (as of %s UTC)\n", cli_time_text(s->from),
		        cli_time_text(s->to), cli_time_text(s->as_of));
	else
		fprintf(f, "Period %s to %s UTC\n", cli_time_text(s->from), cli_time_text(s->to));
	fprintf(f, "%s\n", RULE);
	fprintf(f, "%-19s  %-10s  %-24s  %14s\n", "DATE (UTC)", "KIND", "MEMO", "AMOUNT");
	fprintf(f, "%-19s  %-10s  %-24s  %14s\n", cli_time_text(s->from), "", "opening balance",
	        cli_money(s->opening, d));
	for (int i = 0; i < s->n; i++) {
		char memo[300];
		const char *p = memo;
		size_t k = 0;
		out_visible(s->e[i].memo, memo, sizeof memo, 0);
		/* a memo wider than its column goes on under it, whole */
		for (int first = 1; first || *p; first = 0) {
			k = memo_chunk(p, 24);
			if (first)
				fprintf(f, "%-19s  %-10s  %s  %14s\n", cli_time_text(s->e[i].at), s->e[i].kind,
				        pad_cols(p, k, 24), cli_money(s->e[i].amount, d));
			else
				fprintf(f, "%-19s  %-10s  %s\n", "", "", pad_cols(p, k, 0));
			p += k;
			while (*p == ' ')
				p++;
		}
	}
	fprintf(f, "%s\n", RULE);
	fprintf(f, "%-44s  %14s\n", "MRC (monthly recurring)", cli_money(-s->mrc, d));
	fprintf(f, "%-44s  %14s\n", "NRC (non-recurring)", cli_money(-s->nrc, d));
	fprintf(f, "%-44s  %14s\n", "Deposits and payments", cli_money(s->credits, d));
	fprintf(f, "%-44s  %14s\n", "E911 fees", cli_money(-s->e911, d));
	fprintf(f, "%-44s  %14s\n", "Adjustments", cli_money(s->adjustments, d));
	render_billed_minutes(s->billed_secs, m, sizeof m);
	snprintf(line, sizeof line, "Calls: %lld (%lld connected), %s min billed", (long long)s->calls,
	         (long long)s->connected, m);
	fprintf(f, "%-44s  %14s\n", line, cli_money(-s->usage_calls, d));
	render_statement_corrections(f, s, d);
	snprintf(line, sizeof line, "Messaging: %lld messages", (long long)s->msgs);
	fprintf(f, "%-44s  %14s\n", line, cli_money(-s->usage_msg, d));
	snprintf(line, sizeof line, "CNAM: %lld lookups", (long long)s->cnam_lookups);
	fprintf(f, "%-44s  %14s\n", line, cli_money(-(s->usage_cnam + s->cnam_fees), d));
	fprintf(f, "%s\n", RULE);
	fprintf(f, "%-44s  %14s\n", s->to_date ? "Balance to date" : "Closing balance", cli_money(s->closing, d));
	if (s->to_date && s->scheduled)
		fprintf(f, "Scheduled: %lld ledger entr%s later in the period, %s (not in the figures above).\n",
		        (long long)s->scheduled, s->scheduled == 1 ? "y" : "ies", cli_money(s->scheduled_amount, d));
	if (s->recent)
		fprintf(f, "Note: the period ended less than 24 hours ago; late CDRs may still arrive.\n");
}

void render_statement_csv(FILE *f, const account_info *a, const report_statement *s)
{
	out_csv c;
	int d = a->decimals;
	const char *h[] = { "date", "kind", "memo", "amount" };
	out_csv_init(&c, f);
	for (int i = 0; i < 4; i++)
		out_csv_cell(&c, h[i]);
	out_csv_end(&c);
	out_csv_time(&c, s->from); out_csv_cell(&c, "opening"); out_csv_cell(&c, "opening balance");
	out_csv_money(&c, s->opening, d); out_csv_end(&c);
	for (int i = 0; i < s->n; i++) {
		out_csv_time(&c, s->e[i].at);
		out_csv_cell(&c, s->e[i].kind);
		out_csv_cell(&c, s->e[i].memo);
		out_csv_money(&c, s->e[i].amount, d);
		out_csv_end(&c);
	}
	out_csv_time(&c, s->to); out_csv_cell(&c, "usage"); out_csv_cell(&c, "calls");
	out_csv_money(&c, -s->usage_calls, d); out_csv_end(&c);
	for (int i = 0; i < s->ncorr; i++) { /* included in the calls row above */
		char memo[700];
		const rerate_correction *k = &s->corr[i];
		snprintf(memo, sizeof memo, "included in calls: rerate #%lld, %lld calls, deck %s, by %s: %s",
		         (long long)k->run_id, (long long)k->calls, k->deck, k->operator_, k->memo);
		out_csv_time(&c, k->at); out_csv_cell(&c, "correction"); out_csv_cell(&c, memo);
		out_csv_money(&c, -k->delta, d); out_csv_end(&c);
	}
	out_csv_time(&c, s->to); out_csv_cell(&c, "usage"); out_csv_cell(&c, "messaging");
	out_csv_money(&c, -s->usage_msg, d); out_csv_end(&c);
	out_csv_time(&c, s->to); out_csv_cell(&c, "usage"); out_csv_cell(&c, "cnam lookups");
	out_csv_money(&c, -s->usage_cnam, d); out_csv_end(&c);
	out_csv_time(&c, s->to_date ? s->as_of : s->to); out_csv_cell(&c, "closing");
	out_csv_cell(&c, s->to_date ? "balance to date" : "closing balance");
	out_csv_money(&c, s->closing, d); out_csv_end(&c);
}

/* ---- call records --------------------------------------------------- */

void render_billsec(int64_t billsec_ms, char *buf, size_t n)
{
	snprintf(buf, n, "%lld.%03lld", (long long)(billsec_ms / 1000), (long long)(billsec_ms % 1000));
}

void render_cdr_csv_header(out_csv *c)
{
	static const char *const h[] = { "call_id", "start", "src", "dst", "clid", "disposition", "billsec", "prefix",
	                                 "billed_seconds", "cost", "cnam_cost", "total", "state",
	                                 "started_while_suspended" };
	for (size_t i = 0; i < sizeof h / sizeof h[0]; i++)
		out_csv_cell(c, h[i]);
	out_csv_end(c);
}

void render_cdr_csv_row(out_csv *c, const cdrq_row *r, int d)
{
	char billsec[24];
	render_billsec(r->billsec_ms, billsec, sizeof billsec);
	out_csv_cell(c, r->record_id);
	out_csv_time(c, r->start);
	out_csv_cell(c, r->src);
	out_csv_cell(c, r->dst);
	out_csv_cell(c, r->clid);
	out_csv_cell(c, r->disposition);
	out_csv_cell(c, billsec);
	out_csv_cell(c, r->prefix);
	out_csv_int(c, r->billed_secs);
	out_csv_money(c, r->cost, d);
	out_csv_money(c, r->cnam_cost, d);
	out_csv_money(c, r->cost + r->cnam_cost, d);
	out_csv_cell(c, store_cdr_state_name(r->state));
	out_csv_int(c, r->suspended);
	out_csv_end(c);
}

void render_cdr_text_header(FILE *f)
{
	fprintf(f, "%-19s %-16s %-16s %-11s %9s %-8s %5s %10s %8s\n", "START (UTC)", "FROM", "TO",
	        "DISPOSITION", "BILLSEC", "PREFIX", "BILLED", "COST", "CNAM");
}

void render_cdr_text_row(FILE *f, const cdrq_row *r, int d)
{
	char billsec[24];
	render_billsec(r->billsec_ms, billsec, sizeof billsec);
	int why = r->state == CDR_UNRATED && r->unrated_reason[0];
	/* columns cut with "~" (cli_col): the CSV form has every field whole */
	fprintf(f, "%s %s %s %s %9s %s %5lld %10s %8s %s%s%s%s\n",
	        cli_time_text(r->start), cli_col(r->src, 16), cli_col(r->dst, 16), cli_col(r->disposition, 11), billsec,
	        cli_col(r->prefix[0] ? r->prefix : "-", 8),
	        (long long)r->billed_secs, cli_money(r->cost, d), cli_money(r->cnam_cost, d),
	        r->state == CDR_RATED || r->state == CDR_NOT_CONNECTED ? "" : store_cdr_state_name(r->state),
	        why ? ": " : "", why ? cli_vis(r->unrated_reason) : "", r->suspended ? " SUSPENDED" : "");
}

void render_cdr_text_footer(FILE *f, int64_t n, money_t total, int d, const char *currency)
{
	fprintf(f, "%lld calls, charges %s %s\n", (long long)n, cli_money(total, d), currency);
}

/* ---- explanation ---------------------------------------------------- */

/* The normalisation line (issue 9): the number as written, the rule, the
 * result; and the plan it was read with. */
void render_explain_number(FILE *f, const cdrq_explain *e)
{
	char dst[80], rule[256];
	out_visible(e->call.dst, dst, sizeof dst, 0);
	if (e->has_plan) {
		char plan[200];
		dialplan_result_text(&e->dial, rule, sizeof rule);
		dialplan_describe(&e->plan, plan, sizeof plan);
		fprintf(f, "  number      %s -> %s\n", dst, rule);
		fprintf(f, "  dial plan   %s\n", plan);
	} else {
		fprintf(f, "  number      %s -> no dial plan: digits only, a leading 00 or 011 dropped -> %s\n", dst,
		        e->digits[0] ? e->digits : "(none)");
	}
}

void render_explain_text(FILE *f, const cdrq_explain *e)
{
	int d = e->account.decimals;
	const rate_row *r = &e->rate;
	char exact[64], billsec[32], dst[80], disp[40];
	money_format_fraction(e->exact_num, 60, 12, exact, sizeof exact);
	render_billsec(e->call.billsec_ms, billsec, sizeof billsec);
	out_visible(e->call.dst, dst, sizeof dst, 0);
	out_visible(e->call.disposition, disp, sizeof disp, 0);
	fprintf(f, "call %s (account %s)\n", cli_vis(e->call.record_id), cli_vis(e->account.name));
	fprintf(f, "  started     %s UTC, to %s, %s\n", cli_time_text(e->call.start), dst, disp);
	fprintf(f, "  state       %s\n", store_cdr_state_name(e->call.state));
	render_explain_number(f, e);
	if (e->call.state == CDR_UNRATED && e->call.unrated_reason[0])
		fprintf(f, "  unrated     %s: not charged\n", cli_vis(e->call.unrated_reason));
	if (!e->has_rate) {
		fprintf(f, "  rate        none: %s\n", e->call.state == CDR_UNRATED
		        ? "no deck on the account, or no prefix matches: not charged"
		        : e->call.state == CDR_INTERNAL ? "internal calls are never charged" : "not matched");
		fprintf(f, "  cost        %s\n", cli_money(e->call.cost, d));
		return;
	}
	fprintf(f, "  rate row    #%lld prefix %s \"%s\", effective %s\n", (long long)r->id, r->prefix,
	        cli_vis(r->description), cli_time_text(r->eff_from));
	fprintf(f, "              %s/min, increments %d/%d, grace %d s, connect fee %s\n",
	        cli_money(r->rate_per_min, 4), r->min_secs, r->inc_secs, r->grace_secs, cli_money(r->connect_fee, 4));
	if (e->call.state != CDR_RATED) {
		fprintf(f, "  charge      none (%s)\n", e->call.state == CDR_EXTRA_LEG ? "another leg of this call is billed"
		        : e->call.state == CDR_EMERGENCY ? "emergency calls are never charged" : "not connected");
		return;
	}
	fprintf(f, "  answered    %s s -> billsec %lld s (per-second rounding: full-up)\n", billsec,
	        (long long)e->billsec);
	if (e->call.billed_secs == 0)
		fprintf(f, "  billed      0 s (billsec %s grace %d s)\n", e->billsec == 0 ? "is 0, within" : "<=",
		        r->grace_secs);
	else if (e->billsec <= r->min_secs)
		fprintf(f, "  billed      %lld s (billsec <= first increment %d)\n", (long long)e->call.billed_secs,
		        r->min_secs);
	else
		fprintf(f, "  billed      %lld s = %d + ceil((%lld - %d) / %d) x %d\n", (long long)e->call.billed_secs,
		        r->min_secs, (long long)e->billsec, r->min_secs, r->inc_secs, r->inc_secs);
	fprintf(f, "  exact cost  %s/min x %lld s / 60 + %s = %s\n", cli_money(r->rate_per_min, 4),
	        (long long)e->call.billed_secs, cli_money(r->connect_fee, 4), exact);
	fprintf(f, "  rounding    %s to %d decimals (once per call)\n", round_mode_name(e->account.rounding), d);
	fprintf(f, "  cost        %s %s\n", cli_money(e->call.cost, d), e->account.currency);
	if (e->call.cnam_cost)
		fprintf(f, "  CNAM lookup %s\n", cli_money(e->call.cnam_cost, d));
	if (e->recomputed != e->call.cost)
		fprintf(f, "  WARNING     re-rating now gives %s: run `billtop verify`\n", cli_money(e->recomputed, d));
}

static void rating_text(FILE *f, const rerate_rating *g, int d, money_t prev, int first)
{
	if (g->state == CDR_RATED)
		fprintf(f, "rated prefix %s (rate row #%lld), %lld s, %s", g->prefix, (long long)g->rate_id,
		        (long long)g->billed_secs, cli_money(g->cost, d));
	else
		fprintf(f, "%s%s%s, %s", store_cdr_state_name(g->state), g->unrated_reason[0] ? ": " : "",
		        cli_vis(g->unrated_reason), cli_money(g->cost, d));
	if (!first)
		fprintf(f, " (%s%s)", g->cost - prev > 0 ? "+" : "", cli_money(g->cost - prev, d));
	fprintf(f, "\n");
}

void render_explain_ratings(FILE *f, const rerate_rating *g, int n, int d)
{
	fprintf(f, "  ratings     %d%s\n", n, n == 1 ? " (never corrected)" : " (append-only: the last is current)");
	for (int i = 0; i < n; i++) {
		if (g[i].run_id)
			fprintf(f, "    #%d correction, run #%lld %s UTC by %s, deck %s, \"%s\": ", g[i].seq,
			        (long long)g[i].run_id, cli_time_text(g[i].at), cli_vis(g[i].operator_), cli_vis(g[i].deck),
			        cli_vis(g[i].memo));
		else
			fprintf(f, "    #%d first rating: ", g[i].seq);
		rating_text(f, &g[i], d, i ? g[i - 1].cost : 0, i == 0);
	}
}

/* ---- usage ---------------------------------------------------------- */

/* Each figure is the exact quotient rounded once, half-up (figure.h).
 * render_asr and render_acd take report_asr_bp's and report_acd_ms's
 * quotients, which are cut (floored) to a finer unit than shown; rounding
 * a floored value half-up gives the same digit as rounding the exact one
 * (floor(floor(x) + k) = floor(x + k) for whole k), so it is still one
 * rounding: 1 of 6 = 1666 bp -> 16.7 %. */
void render_minutes(int64_t ms, char *buf, size_t n)
{
	fig_format(fig_minutes_centi_ms(ms), 2, buf, n);
}

void render_billed_minutes(int64_t secs, char *buf, size_t n)
{
	fig_format(fig_minutes_centi_s(secs), 2, buf, n);
}

void render_asr(int64_t bp, int percent_sign, char *buf, size_t n)
{
	fig_format(fig_div_half_up(bp, 10), 1, buf, n);
	if (percent_sign && strlen(buf) + 2 <= n)
		strcat(buf, "%");
}

void render_pct(int64_t part, int64_t whole, int percent_sign, char *buf, size_t n)
{
	fig_format(fig_pct_tenths(part, whole), 1, buf, n);
	if (percent_sign && strlen(buf) + 2 <= n)
		strcat(buf, "%");
}

void render_acd(int64_t ms, char *buf, size_t n)
{
	int64_t s = fig_div_half_up(ms, 1000);
	snprintf(buf, n, "%lld:%02lld", (long long)(s / 60), (long long)(s % 60));
}

void render_usage_csv(FILE *f, const report_usage *u, int d)
{
	out_csv c;
	static const char *const h[] = { "bucket", "calls", "connected", "asr_pct", "acd_s", "minutes",
	                                 "billed_seconds", "calls_cost", "billsec" };
	out_csv_init(&c, f);
	for (size_t i = 0; i < sizeof h / sizeof h[0]; i++)
		out_csv_cell(&c, h[i]);
	out_csv_end(&c);
	for (int i = 0; i <= u->n; i++) {
		const report_bucket *k = i < u->n ? &u->b[i] : &u->total;
		char m[32], pct[32], billsec[24];
		render_minutes(k->billsec_ms, m, sizeof m);
		render_pct(k->connected, k->calls, 0, pct, sizeof pct);
		render_billsec(k->billsec_ms, billsec, sizeof billsec);
		out_csv_cell(&c, i < u->n ? k->label : "total");
		out_csv_int(&c, k->calls);
		out_csv_int(&c, k->connected);
		out_csv_cell(&c, pct);
		out_csv_int(&c, fig_avg_secs(k->billsec_ms, k->connected));
		out_csv_cell(&c, m);
		out_csv_int(&c, k->billed_secs);
		out_csv_money(&c, k->cost, d);
		out_csv_cell(&c, billsec);   /* exact: the sum of the calls' answered time */
		out_csv_end(&c);
	}
}

int render_usage_minutes_note(const report_usage *u, char *buf, size_t n)
{
	int64_t rows = 0, total = fig_minutes_centi_ms(u->total.billsec_ms);
	char sum[32];
	for (int i = 0; i < u->n; i++)
		rows += fig_minutes_centi_ms(u->b[i].billsec_ms);
	if (rows == total)
		return 0;
	fig_format(rows, 2, sum, sizeof sum);
	snprintf(buf, n, "note: rows are rounded one by one, TOTAL once from the exact sum: the MINUTES rows add up to %s",
	         sum);
	return 1;
}

void render_usage_text(FILE *f, const account_info *a, const char *window, const report_usage *u)
{
	int d = a->decimals;
	char name[200], note[160];
	out_visible(a->name, name, sizeof name, 0);
	fprintf(f, "%s usage, %s by %s, %s to %s UTC\n", name, window, report_by_name(u->by), cli_time_text(u->from),
	        cli_time_text(u->to));
	fprintf(f, "%-28s %8s %9s %7s %6s %10s %12s\n", "BUCKET", "CALLS", "CONNECTED", "ASR", "ACD", "MINUTES",
	        "CALLS COST");
	for (int i = 0; i <= u->n; i++) {
		const report_bucket *k = i < u->n ? &u->b[i] : &u->total;
		char m[32], pct[32], acd[32];
		const char *lab = cli_col(i < u->n ? k->label : "TOTAL", 28);
		render_minutes(k->billsec_ms, m, sizeof m);
		render_pct(k->connected, k->calls, 1, pct, sizeof pct);
		render_acd(report_acd_ms(k->connected, k->billsec_ms), acd, sizeof acd);
		fprintf(f, "%s %8lld %9lld %7s %6s %10s %12s\n", lab, (long long)k->calls, (long long)k->connected,
		        pct, acd, m, cli_money(k->cost, d));
	}
	if (render_usage_minutes_note(u, note, sizeof note))
		fprintf(f, "%s\n", note);
	fprintf(f, "charges: calls %s, messaging %s, CNAM %s, E911 %s, MRC %s, NRC %s, adjustments %s\n",
	        cli_money(u->k_calls, d), cli_money(u->k_msg, d), cli_money(u->k_cnam, d), cli_money(u->k_e911, d),
	        cli_money(u->k_mrc, d), cli_money(u->k_nrc, d), cli_money(u->k_adj, d));
}
