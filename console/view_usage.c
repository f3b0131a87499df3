/* view_usage.c: one account's usage for a chosen window: the last 12 hours
 * by hour, 3 days / a week / a month by day, or this week by weekday
 * (h/l and Left/Right cycle). A table of calls, connected, ASR, ACD,
 * minutes and call cost per bucket with a bar column (o cycles what the
 * bar measures), the total, and the window's charges by kind. Above the
 * table a graph of the bar's measure over the window (usage_graph.c: its
 * bucket values are the table's), as tall as the rows the table leaves
 * (5 rows at least, 16 at most; the table scrolls below it).
 *
 * The figures are report_get_usage()'s, the same call `billtop usage
 * ACCOUNT --window W --format json` prints, and `e` exports exactly what
 * `billtop usage ACCOUNT --window W --format csv` (or the text format)
 * writes. This file only lays them out. */
#include <stdlib.h>

#include "../core/tm.h"
#include "../data/report.h"
#include "../front/render.h"
#include "tui.h"
#include "usage_graph.h"
#include "windowed.h"

#define NWIN 5

static const report_window WINDOWS[NWIN] = { WIN_12H, WIN_3D, WIN_WEEK, WIN_MONTH, WIN_THIS_WEEK };

enum { BAR_MINUTES, BAR_CALLS, BAR_COST, NBARS };
static const char *const BAR_NAMES[NBARS] = { "minutes", "calls", "calls cost" };

typedef struct {
	windowed_sel w;      /* top: the first bucket shown */
	int bar;             /* BAR_* */
	report_usage u;      /* owned: report_usage_free */
} usage_priv;

/* ---- data ------------------------------------------------------------ */

static int load(view *v)
{
	usage_priv *p = v->priv;
	tui *t = v->t;
	report_window w = WINDOWS[p->w.win];
	int64_t from, to;
	int st;

	report_usage_free(&p->u);
	windowed_begin(v, &p->w, w, &from, &to);
	/* rollups only: a month is 720 rows, no progress needed */
	st = report_get_usage_asof(t->db, &v->account, from, to, report_window_default_by(w), tui_as_of(t), &p->u);
	snprintf(v->title, sizeof v->title, "%s  usage  %s by %s", v->account.name, report_window_name(w),
	         report_by_name(report_window_default_by(w)));
	if (st != DB_OK) {
		report_usage_free(&p->u);
		tui_set_status(t, "usage: %s", db_errmsg(t->db));
		return -1;
	}
	p->w.loaded = 1;
	if (p->w.top > p->u.n)
		p->w.top = 0;
	return 0;
}

static int usage_open(view *v)
{
	if (!(v->priv = calloc(1, sizeof(usage_priv))))
		return -1;
	return load(v);
}

static void usage_close(view *v)
{
	usage_priv *p = v->priv;
	if (p)
		report_usage_free(&p->u);
	free(p);
}

static void usage_reload(view *v)
{
	load(v);
}

/* ---- drawing --------------------------------------------------------- */

static int64_t bar_value(const usage_priv *p, const report_bucket *b)
{
	return p->bar == BAR_CALLS ? b->calls : p->bar == BAR_COST ? b->cost : b->billsec_ms;
}

/* One table row. `wide` adds the messaging and CNAM columns (132+ cols). */
static void bucket_row(tui *t, int y, int cols, const char *label, const report_bucket *b, int d, int wide)
{
	char asr[32], acd[32], min[32], cost[40];
	render_asr(report_asr_bp(b->calls, b->connected), 1, asr, sizeof asr);
	render_acd(report_acd_ms(b->connected, b->billsec_ms), acd, sizeof acd);
	render_minutes(b->billsec_ms, min, sizeof min);
	money_format(b->cost, d, cost, sizeof cost);
	tui_textf(t, y, 0, cols, "%-16.16s %6lld %6lld %6s %6s %9s %11s", label, (long long)b->calls,
	          (long long)b->connected, asr, acd, min, cost);
	if (wide) {
		char mc[40], cc[40];
		money_format(b->cost_msg, d, mc, sizeof mc);
		money_format(b->cost_cnam, d, cc, sizeof cc);
		tui_textf(t, y, 66, cols - 66, " %7lld %11s %11s", (long long)b->msgs, mc, cc);
	}
}

static void usage_draw(view *v, int top, int rows, int cols)
{
	usage_priv *p = v->priv;
	tui *t = v->t;
	const report_usage *u = &p->u;
	int d = v->account.decimals, y = top;
	int wide = cols >= 120, barx = wide ? 99 : 67, barw = cols - barx - 1;
	int list, end = top + rows;
	char from[24], to[24];
	int64_t max = 1;

	/* the window selector: the current one in brackets (and reversed),
	 * then the window's bounds as [from, to) in UTC */
	windowed_tabs(t, y, 0, cols, WINDOWS, NWIN, p->w.win);
	tm_format(u->from, from, sizeof from);
	tm_format(u->to, to, sizeof to);
	if (p->w.loaded)
		tui_textf(t, y, cols - 37, 37, "%.16s to %.16s", from, to);
	y++;
	if (!p->w.loaded) {
		tui_text(t, y + 1, 2, cols - 2, "no figures: press R to retry");
		return;
	}

	/* the graph of the bar's measure: what the table leaves, 6..16 rows */
	{
		static const int MEASURE[NBARS] = { UG_MINUTES, UG_CALLS, UG_COST };
		int gh = end - y - (u->n + 4);   /* heading, total, charges (2) */
		if (gh > 16)
			gh = 16;
		if (gh < 5)
			gh = 5;
		if (end - y - gh >= 6)
			y += ug_draw(t, u, MEASURE[p->bar], &v->account, y, 0, gh, cols);
	}

	attron(A_BOLD);
	tui_textf(t, y, 0, cols, "%-16s %6s %6s %6s %6s %9s %11s", u->by == BY_HOUR ? "HOUR (UTC)" : u->by == BY_DAY ? "DAY (UTC)" : "WEEKDAY",
	          "CALLS", "CONN", "ASR", "ACD", "MINUTES", "CALLS COST");
	if (wide)
		tui_textf(t, y, 66, cols - 66, " %7s %11s %11s", "MSGS", "MSG COST", "CNAM COST");
	tui_textf(t, y, barx, barw, "%s", BAR_NAMES[p->bar]);
	attroff(A_BOLD);
	y++;

	for (int i = 0; i < u->n; i++)
		if (bar_value(p, &u->b[i]) > max)
			max = bar_value(p, &u->b[i]);
	/* rows left for buckets: total + charges (2 lines) below */
	list = end - y - 3;
	if (u->n > list && list > 1)
		list--; /* a line says which rows are shown */
	if (list < 1)
		list = 1;
	if (p->w.top > u->n - list)
		p->w.top = u->n - list > 0 ? u->n - list : 0;
	for (int i = p->w.top; i < u->n && i < p->w.top + list; i++, y++) {
		bucket_row(t, y, cols, u->b[i].label, &u->b[i], d, wide);
		tui_bar(t, y, barx, barw, bar_value(p, &u->b[i]), max, p->bar == BAR_CALLS ? 0 : 1);
	}
	if (u->n > list) {
		attron(tui_attr(t, CP_DIM));
		tui_textf(t, y, 0, cols, "  rows %d-%d of %d (Up/Down scroll)", p->w.top + 1,
		          p->w.top + list < u->n ? p->w.top + list : u->n, u->n);
		attroff(tui_attr(t, CP_DIM));
		y++;
	}
	attron(A_BOLD);
	bucket_row(t, y++, cols, "TOTAL", &u->total, d, wide);
	attroff(A_BOLD);
	{
		char c[7][40];
		money_format(u->k_calls, d, c[0], sizeof c[0]);
		money_format(u->k_msg, d, c[1], sizeof c[1]);
		money_format(u->k_cnam, d, c[2], sizeof c[2]);
		money_format(u->k_e911, d, c[3], sizeof c[3]);
		money_format(u->k_mrc, d, c[4], sizeof c[4]);
		money_format(u->k_nrc, d, c[5], sizeof c[5]);
		money_format(u->k_adj, d, c[6], sizeof c[6]);
		attron(tui_attr(t, CP_DIM));
		tui_textf(t, y++, 0, cols, "charges: calls %s  messaging %s  CNAM %s  E911 %s", c[0], c[1], c[2], c[3]);
		tui_textf(t, y++, 0, cols, "         MRC %s  NRC %s  adjustments %s   (%s)", c[4], c[5], c[6],
		          v->account.currency);
		attroff(tui_attr(t, CP_DIM));
	}
}

/* ---- export ------------------------------------------------------------ */

static int export_write(FILE *f, tui_export_format fmt, void *ctx)
{
	const view *v = ctx;
	const usage_priv *p = v->priv;
	if (fmt == TUI_EXPORT_CSV)
		render_usage_csv(f, &p->u, v->account.decimals);
	else
		render_usage_text(f, &v->account, report_window_name(WINDOWS[p->w.win]), &p->u);
	return 0;
}

/* ---- keys -------------------------------------------------------------- */

static int usage_handle(view *v, tui_action a, int ch)
{
	usage_priv *p = v->priv;
	tui *t = v->t;
	int page = t->rows - 8;
	if (tui_scroll(a, &p->w.top, page, p->u.n))
		return 1;
	if (windowed_keys(v, &p->w, a, WINDOWS, NWIN, load, "usage", export_write))
		return 1;
	switch (a) {
	case ACT_SORT:
		p->bar = (p->bar + 1) % NBARS;
		tui_set_status(t, "the graph and the bar show %s", BAR_NAMES[p->bar]);
		return 1;
	case ACT_USAGE:
		return 1;
	default:
		return tui_open_account_view(t, a, &v->account);
	}
}

const view_ops view_usage_ops = {
	.name = "usage",
	.open = usage_open,
	.draw = usage_draw,
	.handle = usage_handle,
	.reload = usage_reload,
	.close = usage_close,
	.hints = "h/l window  o graph/bar measure  e export  d dashboard",
};
