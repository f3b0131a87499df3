/* view_dashboard.c: one account, live: balance and status, statistics for
 * 12 hours / 3 days / a week / a month, this week's calls and minutes per
 * weekday as bars, cost by kind for 12 hours and this week, usage graphs
 * (usage_graph.c: the past 12 hours or 3 days by hour, the week or the month
 * by day; h/l the window, o the measure), suspension history. Everything
 * comes from rollups and the ledger (no CDR scans), so a refresh after
 * another process writes costs a few small queries; drawing reads nothing.
 *
 * Width: below 120 columns the graph of one measure sits right of the
 * weekday bars (o also cycles to the cost by kind there); from 120 the
 * cost by kind stays, the month's graph of the measure is beside it, and
 * the chosen window's calls, minutes and call cost are drawn side by side
 * below, as tall as the rows left over by the suspension history. `e`
 * exports balance, status and every series (CSV: `billtop usage --format
 * csv` blocks, exact; text: the figures and the graphs). */
#include <stdlib.h>
#include <string.h>

#include "../core/tm.h"
#include "../data/out.h"
#include "../data/report.h"
#include "../data/series.h"
#include "../data/suspensions.h"
#include "../front/asof.h"
#include "../front/render.h"
#include "tui.h"
#include "usage_graph.h"

#define NWIN 4
#define NHIST 32

typedef struct {
	report_balance bal;
	report_usage win[NWIN];     /* 12h (by hour), 3d, week, month (by day) */
	report_usage week;          /* this ISO week by weekday */
	report_usage d3h;           /* 3 days by hour (graphs) */
	report_usage m10;           /* 12 hours by 10 minutes: loaded only while that graph is chosen */
	susp_row hist[NHIST];
	int nhist;
	int64_t loaded_at;
	int graph;                  /* the graphs' window: G_* */
	int measure;                /* UG_* or, below 120 columns, UG_NMEASURES: cost by kind */
} dash_priv;

/* the graphs' windows (h/l): `billtop usage --window W --by B` each, but
 * for 12 hours by 10 minutes (data/series.c: its six buckets of an hour
 * add up to the hour's figures); that one is the first shown when the
 * terminal is wide enough for one column a bucket (252 columns) */
enum { G_12H, G_12H10, G_3DH, G_WEEK, G_MONTH, NGRAPHS };
static const char *const GRAPH_TITLES[NGRAPHS] = { "PAST 12 HOURS BY HOUR (UTC)", "PAST 12 HOURS BY 10 MINUTES (UTC)",
	                                           "PAST 3 DAYS BY HOUR (UTC)", "PAST 7 DAYS BY DAY (UTC)",
	                                           "PAST 30 DAYS BY DAY (UTC)" };
static const char *const GRAPH_WINDOWS[NGRAPHS] = { "12h", "12h", "3d", "week", "month" };
static const char *const GRAPH_BY[NGRAPHS] = { "hour", "10min", "hour", "day", "day" };

static const report_usage *graph_usage(const dash_priv *p, int g)
{
	return g == G_12H ? &p->win[0] : g == G_12H10 ? &p->m10 : g == G_3DH ? &p->d3h : g == G_WEEK ? &p->win[2]
	                                                                                                : &p->win[3];
}

static const report_window WINDOWS[NWIN] = { WIN_12H, WIN_3D, WIN_WEEK, WIN_MONTH };
static const char *const WINDOW_LABELS[NWIN] = { "12 hours", "3 days", "7 days", "30 days" };

static void free_data(dash_priv *p)
{
	for (int i = 0; i < NWIN; i++)
		report_usage_free(&p->win[i]);
	report_usage_free(&p->week);
	report_usage_free(&p->d3h);
	report_usage_free(&p->m10);
}

static int load(view *v)
{
	dash_priv *p = v->priv;
	tui *t = v->t;
	int64_t now = tui_as_of(t), from, to;   /* the clock, or the as-of time (A) */
	account_info fresh;

	free_data(p);
	if (account_get(t->db, v->account.id, &fresh) == DB_OK)
		v->account = fresh; /* decimals, deck or low mark may have changed */
	if (report_get_balance_asof(t->db, &v->account, now, &p->bal) != DB_OK)
		goto fail;
	for (int i = 0; i < NWIN; i++) {
		report_window_range(WINDOWS[i], now, &from, &to);
		if (report_get_usage_asof(t->db, &v->account, from, to, i == 0 ? BY_HOUR : BY_DAY, now, &p->win[i])
		    != DB_OK)
			goto fail;
	}
	report_window_range(WIN_THIS_WEEK, now, &from, &to);
	if (report_get_usage_asof(t->db, &v->account, from, to, BY_WEEKDAY, now, &p->week) != DB_OK)
		goto fail;
	report_window_range(WIN_3D, now, &from, &to);
	if (report_get_usage_asof(t->db, &v->account, from, to, BY_HOUR, now, &p->d3h) != DB_OK)
		goto fail;
	if (p->graph == G_12H10) {
		report_window_range(WIN_12H, now, &from, &to);
		if (series_get_calls(t->db, &v->account, from, to, SERIES_STEP_10MIN, now, &p->m10) != DB_OK)
			goto fail;
	}
	if (susp_recent(t->db, v->account.id, p->hist, NHIST, &p->nhist) != DB_OK)
		goto fail;
	p->loaded_at = now;
	if (t->as_of != TM_NONE) {
		char when[32];
		tm_format(now, when, sizeof when);
		snprintf(v->title, sizeof v->title, "%s  dashboard as of %.16s", v->account.name, when);
	} else {
		snprintf(v->title, sizeof v->title, "%s  dashboard", v->account.name);
	}
	return 0;
fail:
	tui_set_status(t, "dashboard: %s", db_errmsg(t->db));
	return -1;
}

static int dash_open(view *v)
{
	dash_priv *p;
	if (!(v->priv = p = calloc(1, sizeof(dash_priv))))
		return -1;
	/* by 10 minutes first when each of the three graphs has a column for
	 * each of the 72 buckets (and its axis) */
	p->graph = v->t->cols / UG_NMEASURES - 2 >= 72 + 10 ? G_12H10 : G_12H;
	return load(v);
}

static void dash_close(view *v)
{
	if (v->priv)
		free_data(v->priv);
	free(v->priv);
}

static void dash_refresh(view *v)
{
	load(v);
}

static void stats_row(tui *t, int y, const char *label, const report_bucket *b, int d)
{
	char asr[32], acd[32], min[32], cost[40];
	render_asr(report_asr_bp(b->calls, b->connected), 1, asr, sizeof asr);
	render_acd(report_acd_ms(b->connected, b->billsec_ms), acd, sizeof acd);
	render_minutes(b->billsec_ms, min, sizeof min);
	money_format(b->cost + b->cost_msg + b->cost_cnam, d, cost, sizeof cost);
	tui_textf(t, y, 0, 80, "%-9s %9lld %9lld %7s %6s %11s %14s", label, (long long)b->calls,
	          (long long)b->connected, asr, acd, min, cost);
}

static void kind_row(tui *t, int y, int x, const char *label, money_t a, money_t b, int d)
{
	char sa[40], sb[40];
	money_format(a, d, sa, sizeof sa);
	money_format(b, d, sb, sizeof sb);
	tui_textf(t, y, x, 34, "%-11s%11s %11s", label, sa, sb);
}

static void dash_draw(view *v, int top, int rows, int cols)
{
	dash_priv *p = v->priv;
	tui *t = v->t;
	const account_info *a = &v->account;
	int d = a->decimals, y = top, wide = cols >= 120;
	int kinds = wide || p->measure == UG_NMEASURES;   /* the cost by kind is shown */
	char bal[48], since[24], mark[48];
	int64_t maxc = 1, maxm = 1;

	/* balance and status */
	money_format(p->bal.balance, d, bal, sizeof bal);
	attron(A_BOLD);
	tui_textf(t, y, 0, 40, "Balance %s %s", bal, a->currency);
	attroff(A_BOLD);
	if (p->bal.suspended) {
		tm_format(p->bal.suspended_since, since, sizeof since);
		attron(tui_attr(t, CP_BAD));
		tui_textf(t, y, 30, cols - 30, "SUSPENDED since %.16s: all services but E911", since);
		attroff(tui_attr(t, CP_BAD));
	} else {
		attron(tui_attr(t, p->bal.low ? CP_WARN : CP_GOOD));
		tui_text(t, y, 30, 20, p->bal.low ? "ACTIVE, LOW BALANCE" : "ACTIVE");
		attroff(tui_attr(t, p->bal.low ? CP_WARN : CP_GOOD));
		if (a->has_low_balance) {
			money_format(a->low_balance, d, mark, sizeof mark);
			tui_textf(t, y, 52, cols - 52, "low mark %s", mark);
		}
	}
	y++;
	if (p->bal.later.entries || p->bal.later.records) {
		/* dated after the as-of time: shown apart, never in the figures */
		char lines[ASOF_LINES][ASOF_LINE_MAX];
		int n = asof_later_lines(a, &p->bal.later, lines), w = 0;
		for (int i = 0; i < n; i++)   /* a warning first, else the first line */
			if (strncmp(lines[i], "warning:", 8) == 0) {
				w = i;
				break;
			}
		attron(tui_attr(t, CP_WARN));
		tui_text(t, y, 0, cols, lines[w]);
		attroff(tui_attr(t, CP_WARN));
	} else if (p->bal.unrated) {
		attron(tui_attr(t, CP_WARN));
		tui_textf(t, y, 0, cols, "%lld connected calls are unrated (not charged): press c, then f",
		          (long long)p->bal.unrated);
		attroff(tui_attr(t, CP_WARN));
	} else {
		tui_hline(t, y, 0, cols);
	}
	y++;

	/* statistics per window */
	attron(A_BOLD);
	tui_textf(t, y++, 0, 80, "%-9s %9s %9s %7s %6s %11s %14s", "PAST", "CALLS", "CONNECTED", "ASR", "ACD",
	          "MINUTES", "USAGE COST");
	attroff(A_BOLD);
	for (int i = 0; i < NWIN; i++)
		stats_row(t, y++, WINDOW_LABELS[i], &p->win[i].total, d);
	tui_hline(t, y++, 0, cols);

	/* this week's bars | cost by kind or a graph | (wide) the month's graph */
	for (int i = 0; i < 7; i++) {
		if (p->week.b[i].calls > maxc) maxc = p->week.b[i].calls;
		if (p->week.b[i].billsec_ms > maxm) maxm = p->week.b[i].billsec_ms;
	}
	attron(A_BOLD);
	tui_textf(t, y, 0, 45, "THIS WEEK  %s calls  %s minutes", t->ascii ? "#" : "\xe2\x96\x88",
	          t->ascii ? "=" : "\xe2\x96\x92");
	if (kinds)
		tui_textf(t, y, 46, 34, "%-11s%11s %11s", "COST BY", "12 hours", "this week");
	attroff(A_BOLD);
	/* wide: the rows the side-by-side graphs get below this block (9 rows
	 * and a rule), when the suspension history keeps up to 4 lines */
	int keep = 2 + (p->nhist < 1 ? 1 : p->nhist < 4 ? p->nhist : 4);
	int gh = top + rows - (y + 10) - keep - 1;
	if (!kinds)   /* the chosen window's graph of the chosen measure, 9 rows */
		ug_draw(t, graph_usage(p, p->graph), p->measure, a, y, 46, 9, cols - 46);
	else if (wide)   /* beside the cost by kind: the month by day, or the chosen
	                    window when there is no room for it below */
		ug_draw(t, gh >= 5 ? &p->win[3] : graph_usage(p, p->graph), p->measure, a, y, 82, 9, cols - 82);
	y++;
	{
		const report_usage *h = &p->win[0], *w = &p->week;
		const char *labels[] = { "calls", "messaging", "CNAM", "E911", "MRC", "NRC", "adjustments" };
		money_t hv[] = { h->k_calls, h->k_msg, h->k_cnam, h->k_e911, h->k_mrc, h->k_nrc, h->k_adj };
		money_t wv[] = { w->k_calls, w->k_msg, w->k_cnam, w->k_e911, w->k_mrc, w->k_nrc, w->k_adj };
		money_t ht = 0, wt = 0;
		for (int i = 0; i < 7; i++) {
			const report_bucket *b = &w->b[i];
			char min[32];
			render_minutes(b->billsec_ms, min, sizeof min);
			tui_textf(t, y + i, 0, 4, "%s", b->label);
			tui_bar(t, y + i, 4, 12, b->calls, maxc, 0);
			tui_textf(t, y + i, 17, 6, "%6lld", (long long)b->calls);
			tui_bar(t, y + i, 24, 11, b->billsec_ms, maxm, 1);
			tui_textf(t, y + i, 36, 9, "%9s", min);
			if (kinds)
				kind_row(t, y + i, 46, labels[i], hv[i], wv[i], d);
			ht += hv[i];
			wt += wv[i];
		}
		y += 7;
		if (kinds) {
			attron(A_BOLD);
			kind_row(t, y, 46, "total", ht, wt, d);
			attroff(A_BOLD);
		}
		tui_textf(t, y, 0, 45, "calls max %lld/day", (long long)maxc);
		y++;
	}
	tui_hline(t, y++, 0, cols);

	/* wide: the chosen window's three measures side by side, as tall as
	 * the rows left when the suspension history keeps up to 4 lines */
	if (wide) {
		if (gh >= 5) {
			int gw = cols / UG_NMEASURES;
			attron(A_BOLD);
			tui_textf(t, y, 0, cols, "%s   (h/l window, o measure above, e export)", GRAPH_TITLES[p->graph]);
			attroff(A_BOLD);
			for (int m = 0; m < UG_NMEASURES; m++)
				ug_draw(t, graph_usage(p, p->graph), m, a, y + 1, m * gw, gh, gw - 2);
			y += gh + 1;
			tui_hline(t, y++, 0, cols);
		}
	}

	/* suspension history: as many as fit, newest first */
	attron(A_BOLD);
	tui_text(t, y++, 0, cols, "SUSPENSION HISTORY (below zero: suspended; above zero: restored)");
	attroff(A_BOLD);
	int room = top + rows - y;
	if (p->nhist == 0 && room > 0)
		tui_text(t, y++, 2, cols - 2, "never suspended");
	for (int i = 0; i < p->nhist && room > 0; i++, room--) {
		char when[24], b[40];
		const susp_row *h = &p->hist[i];
		tm_format(h->at, when, sizeof when);
		money_format(h->balance, d, b, sizeof b);
		attron(tui_attr(t, h->event[0] == 's' ? CP_BAD : CP_GOOD));
		tui_textf(t, y, 2, 10, "%s", h->event);
		attroff(tui_attr(t, h->event[0] == 's' ? CP_BAD : CP_GOOD));
		/* a transition dated after the as-of time is scheduled: not in effect yet */
		tui_textf(t, y, 13, cols - 13, "%.16s  balance %12s  %sby %s #%lld", when, b,
		          h->at > p->loaded_at ? "SCHEDULED, " : "",
		          strcmp(h->cause, "cdr") == 0 ? "call" : strcmp(h->cause, "mdr") == 0 ? "message" : "ledger entry",
		          (long long)h->cause_id);
		y++;
	}
}

/* ---- export -------------------------------------------------------------- */

static const report_usage *export_series(const dash_priv *p, int i, const char **window, const char **by)
{
	if (i < NGRAPHS) {
		*window = GRAPH_WINDOWS[i];
		*by = GRAPH_BY[i];
		return graph_usage(p, i);
	}
	*window = "this-week";
	*by = "weekday";
	return &p->week;
}

/* CSV: the balance and status, then each series as `billtop usage ACCOUNT
 * --window W --by B --format csv` writes it (exact values), each after a
 * "window","W","B" line. Text: the same figures as `billtop usage` prints
 * them, each followed by its graphs in ASCII. */
static int export_write(FILE *f, tui_export_format fmt, void *ctx)
{
	const view *v = ctx;
	const dash_priv *p = v->priv;
	const account_info *a = &v->account;
	char bal[48], when[24], since[24];
	const char *status = p->bal.suspended ? "suspended" : p->bal.low ? "active, low balance" : "active";
	money_format(p->bal.balance, a->decimals, bal, sizeof bal);
	tm_format(p->loaded_at, when, sizeof when);
	since[0] = '\0';
	if (p->bal.suspended)
		tm_format(p->bal.suspended_since, since, sizeof since);
	if (fmt == TUI_EXPORT_CSV) {
		static const char *const h[] = { "account", "currency", "as_of", "balance", "status", "suspended_since" };
		out_csv c;
		out_csv_init(&c, f);
		for (size_t i = 0; i < sizeof h / sizeof h[0]; i++)
			out_csv_cell(&c, h[i]);
		out_csv_end(&c);
		out_csv_cell(&c, a->name);
		out_csv_cell(&c, a->currency);
		out_csv_time(&c, p->loaded_at);
		out_csv_money(&c, p->bal.balance, a->decimals);
		out_csv_cell(&c, status);
		out_csv_time(&c, p->bal.suspended ? p->bal.suspended_since : TM_NONE);
		out_csv_end(&c);
	} else {
		fprintf(f, "%s dashboard as of %s UTC\n", a->name, when);
		fprintf(f, "balance %s %s, %s%s%s\n", bal, a->currency, status, since[0] ? " since " : "", since);
	}
	for (int i = 0; i <= NGRAPHS; i++) {
		const char *w, *by;
		const report_usage *u = export_series(p, i, &w, &by);
		if (!u->b)
			continue;   /* the 10-minute buckets when they are not shown */
		if (fmt == TUI_EXPORT_CSV) {
			out_csv c;
			out_csv_init(&c, f);
			out_csv_cell(&c, "window");
			out_csv_cell(&c, w);
			out_csv_cell(&c, by);
			out_csv_end(&c);
			render_usage_csv(f, u, a->decimals);
		} else {
			fputc('\n', f);
			if (i == G_12H10)   /* not a `billtop usage` window: its graphs only */
				fprintf(f, "%s %s\n", a->name, GRAPH_TITLES[i]);
			else
				render_usage_text(f, a, w, u);
			if (i < NGRAPHS)
				for (int m = 0; m < UG_NMEASURES; m++) {
					fputc('\n', f);
					ug_text(f, u, m, a, 10, 80);
				}
		}
	}
	return 0;
}

static int dash_handle(view *v, tui_action a, int ch)
{
	dash_priv *p = v->priv;
	tui *t = v->t;
	switch (a) {
	case ACT_DASHBOARD:
		return 1;
	case ACT_LEFT:
	case ACT_RIGHT:
		p->graph = (p->graph + (a == ACT_RIGHT ? 1 : NGRAPHS - 1)) % NGRAPHS;
		if (p->graph == G_12H10 || p->m10.b)
			load(v);   /* the 10-minute buckets are read while shown only */
		tui_set_status(t, "graphs: %s", GRAPH_TITLES[p->graph]);
		return 1;
	case ACT_SORT:
		/* below 120 columns the panel also offers the cost by kind */
		p->measure = (p->measure + 1) % (t->cols >= 120 ? UG_NMEASURES : UG_NMEASURES + 1);
		tui_set_status(t, "the graph shows %s",
		               p->measure < UG_NMEASURES ? ug_measure_names[p->measure] : "nothing: cost by kind");
		return 1;
	case ACT_EXPORT: {
		char stem[160];
		snprintf(stem, sizeof stem, "dashboard-%s", v->account.name);
		tui_export(t, stem, export_write, v);
		return 1;
	}
	default:
		return tui_open_account_view(t, a, &v->account);
	}
}

const view_ops view_dashboard_ops = {
	.name = "dashboard",
	.open = dash_open,
	.draw = dash_draw,
	.handle = dash_handle,
	.reload = dash_refresh,
	.close = dash_close,
	.hints = "s statement  c CDRs  u usage  b dest  m msgs  N CNAM  r rates  p post  e export  h/l o graph",
};
