/* view_cnam.c: one account's CNAM statistics for a window (h/l cycle 3
 * days / a week / a month / this month): caller-name lookups charged on
 * calls and their cost day by day with a bar of lookups, the CNAM fees
 * posted to the ledger beside them, and the list of those fee entries;
 * `e` exports the same figures (CSV or text).
 *
 * Figures come from report_get_cnam_stats (data/report_stats.c): lookups
 * and their charges from the hourly rollups, fees from the ledger. The
 * total of both is what `billtop balance` calls CNAM for the same days.
 * This file lays them out only; memos are shown with control characters
 * made visible (tui_text). */
#include <stdlib.h>

#include "../core/tm.h"
#include "../data/out.h"
#include "../data/report_stats.h"
#include "tui.h"
#include "windowed.h"

#define NWIN 4
static const report_window WINDOWS[NWIN] = { WIN_3D, WIN_WEEK, WIN_MONTH, WIN_THIS_MONTH };

typedef struct {
	windowed_sel w;
	report_cnam_stats s;     /* owned: report_cnam_stats_free */
} cnam_priv;

static int load(view *v)
{
	cnam_priv *p = v->priv;
	tui *t = v->t;
	report_window w = WINDOWS[p->w.win];
	int64_t from, to;
	int st;

	report_cnam_stats_free(&p->s);
	windowed_begin(v, &p->w, w, &from, &to);
	/* rollups and the window's ledger entries: small, bounded queries */
	st = report_get_cnam_stats(t->db, &v->account, from, to, &p->s);
	snprintf(v->title, sizeof v->title, "%s  CNAM  %s", v->account.name, report_window_name(w));
	if (st != DB_OK) {
		tui_set_status(t, "CNAM: %s", db_errmsg(t->db));
		return -1;
	}
	p->w.loaded = 1;
	return 0;
}

static int cnam_open(view *v)
{
	if (!(v->priv = calloc(1, sizeof(cnam_priv))))
		return -1;
	return load(v);
}

static void cnam_close(view *v)
{
	cnam_priv *p = v->priv;
	if (p)
		report_cnam_stats_free(&p->s);
	free(p);
}

static void cnam_reload(view *v)
{
	load(v);
}

/* ---- drawing --------------------------------------------------------- */

static void day_row(tui *t, int y, int cols, const report_cnam_day *dd, int d)
{
	char lc[40], fees[40], total[40];
	money_format(dd->lookup_cost, d, lc, sizeof lc);
	money_format(dd->fees, d, fees, sizeof fees);
	money_format(dd->lookup_cost + dd->fees, d, total, sizeof total);
	tui_textf(t, y, 0, cols, "%-14s %9lld %13s %13s %13s", dd->label, (long long)dd->lookups, lc, fees, total);
}

static void cnam_draw(view *v, int top, int rows, int cols)
{
	cnam_priv *p = v->priv;
	tui *t = v->t;
	const report_cnam_stats *s = &p->s;
	int d = v->account.decimals, y = top, end = top + rows, list, feemin;
	int barx = 67, barw = cols - barx - 1;
	char from[24], to[24];
	int64_t max = 1;

	tui_text(t, y, 0, 8, "window:");
	windowed_tabs(t, y, 8, cols, WINDOWS, NWIN, p->w.win);
	if (p->w.loaded) {
		tm_format(s->from, from, sizeof from);
		tm_format(s->to, to, sizeof to);
		tui_textf(t, y, cols - 25, 25, "%.10s to %.10s", from, to);
	}
	y++;
	if (!p->w.loaded) {
		tui_text(t, y + 1, 2, cols - 2, "no figures: press R to retry");
		return;
	}

	attron(A_BOLD);
	tui_textf(t, y, 0, cols, "%-14s %9s %13s %13s %13s", "DAY (UTC)", "LOOKUPS", "LOOKUP COST", "LEDGER FEES",
	          "CNAM TOTAL");
	tui_text(t, y, barx, barw, "lookups");
	attroff(A_BOLD);
	y++;
	/* below the days: the total, a rule, the fee header and at least one
	 * fee line (three when there are); the fees take what else is left */
	feemin = s->nfees ? (s->nfees < 3 ? s->nfees : 3) : 1;
	list = end - y - 3 - feemin;
	if (list > s->n)
		list = s->n;
	if (list < 1)
		list = 1;
	for (int i = 0; i < s->n; i++)
		if (s->d[i].lookups > max)
			max = s->d[i].lookups;
	if (s->n > list && list > 1)
		list--; /* the last line says which days are shown */
	if (p->w.top > s->n - list)
		p->w.top = s->n - list > 0 ? s->n - list : 0;
	for (int i = p->w.top; i < s->n && i < p->w.top + list; i++, y++) {
		day_row(t, y, cols, &s->d[i], d);
		tui_bar(t, y, barx, barw, s->d[i].lookups, max, 0);
	}
	if (s->n > list) {
		attron(tui_attr(t, CP_DIM));
		tui_textf(t, y++, 0, cols, "  days %d-%d of %d (Up/Down scroll)", p->w.top + 1,
		          p->w.top + list < s->n ? p->w.top + list : s->n, s->n);
		attroff(tui_attr(t, CP_DIM));
	}
	attron(A_BOLD);
	day_row(t, y++, cols, &s->total, d);
	attroff(A_BOLD);
	tui_hline(t, y++, 0, cols);
	attron(A_BOLD);
	tui_textf(t, y++, 0, cols, "CNAM FEES ON THE LEDGER (%d%s)", s->nfees, s->fees_truncated ? "+, first shown" : "");
	attroff(A_BOLD);
	if (s->nfees == 0 && y < end)
		tui_text(t, y++, 2, cols - 2, "none in this window");
	for (int i = 0; i < s->nfees && y < end; i++, y++) {
		const report_entry *e = &s->fees[i];
		char when[24], amt[40];
		tm_format(e->at, when, sizeof when);
		money_format(-e->amount, d, amt, sizeof amt);
		tui_textf(t, y, 2, 43, "%.16s  #%-8lld %13s", when, (long long)e->id, amt);
		tui_text(t, y, 47, cols - 47, e->memo);
	}
}

/* ---- export ------------------------------------------------------------ */

/* day,lookups,lookup_cost,ledger_fees,total: one line per day, then total. */
static void write_csv(FILE *f, const report_cnam_stats *s, int d)
{
	out_csv c;
	const char *h[] = { "day", "lookups", "lookup_cost", "ledger_fees", "total" };
	out_csv_init(&c, f);
	for (int i = 0; i < 5; i++)
		out_csv_cell(&c, h[i]);
	out_csv_end(&c);
	for (int i = 0; i <= s->n; i++) {
		const report_cnam_day *dd = i < s->n ? &s->d[i] : &s->total;
		char day[16];
		snprintf(day, sizeof day, "%.10s", dd->label);
		out_csv_cell(&c, day);
		out_csv_int(&c, dd->lookups);
		out_csv_money(&c, dd->lookup_cost, d);
		out_csv_money(&c, dd->fees, d);
		out_csv_money(&c, dd->lookup_cost + dd->fees, d);
		out_csv_end(&c);
	}
}

static void write_text(FILE *f, const account_info *a, report_window w, const report_cnam_stats *s)
{
	int d = a->decimals;
	windowed_heading(f, a, "CNAM", w, s->from, s->to, "");
	fprintf(f, "%-14s %9s %13s %13s %13s\n", "DAY (UTC)", "LOOKUPS", "LOOKUP COST", "LEDGER FEES", "CNAM TOTAL");
	for (int i = 0; i <= s->n; i++) {
		const report_cnam_day *dd = i < s->n ? &s->d[i] : &s->total;
		char lc[40], fees[40], total[40];
		money_format(dd->lookup_cost, d, lc, sizeof lc);
		money_format(dd->fees, d, fees, sizeof fees);
		money_format(dd->lookup_cost + dd->fees, d, total, sizeof total);
		fprintf(f, "%-14s %9lld %13s %13s %13s\n", i < s->n ? dd->label : "TOTAL", (long long)dd->lookups, lc, fees,
		        total);
	}
	fprintf(f, "\nCNAM fees on the ledger: %d%s\n", s->nfees, s->fees_truncated ? " (more not listed)" : "");
	for (int i = 0; i < s->nfees; i++) {
		char when[24], amt[40], memo[300];
		tm_format(s->fees[i].at, when, sizeof when);
		money_format(-s->fees[i].amount, d, amt, sizeof amt);
		out_visible(s->fees[i].memo, memo, sizeof memo, 0);
		fprintf(f, "  %s  #%-8lld %13s  %s\n", when, (long long)s->fees[i].id, amt, memo);
	}
}

static int export_write(FILE *f, tui_export_format fmt, void *ctx)
{
	const view *v = ctx;
	const cnam_priv *p = v->priv;
	if (fmt == TUI_EXPORT_CSV)
		write_csv(f, &p->s, v->account.decimals);
	else
		write_text(f, &v->account, WINDOWS[p->w.win], &p->s);
	return 0;
}

/* ---- keys -------------------------------------------------------------- */

static int cnam_handle(view *v, tui_action a, int ch)
{
	cnam_priv *p = v->priv;
	tui *t = v->t;
	int page = t->rows - 10;
	if (tui_scroll(a, &p->w.top, page, p->s.n))
		return 1;
	if (windowed_keys(v, &p->w, a, WINDOWS, NWIN, load, "cnam", export_write))
		return 1;
	switch (a) {
	case ACT_CNAM:
		return 1;
	case ACT_ENTER: /* the window's charges, one by one */
		tui_push_period(t, &view_cnams_ops, &v->account, p->s.from, p->s.to);
		return 1;
	default:
		return tui_open_account_view(t, a, &v->account);
	}
}

const view_ops view_cnam_ops = {
	.name = "CNAM",
	.open = cnam_open,
	.draw = cnam_draw,
	.handle = cnam_handle,
	.reload = cnam_reload,
	.close = cnam_close,
	.hints = "h/l window  Enter lookups one by one  e export  d dashboard",
};
