/* view_inv_days.c: the investigation's daily table (`D` in the wizard):
 * every UTC day with a call on either side, ours / theirs / theirs - ours,
 * the day the tree runs on marked with '*' (and in red), the period's
 * totals at the foot. The rows are the engine's buckets (recon_result.days),
 * as in the report's daily table, on the list base (listview.h: `/`
 * narrows, `o` sorts, `n` the next match, `e` exports the table as shown,
 * CSV or text; the detail line holds the selected day whole).
 *
 * Enter on a day runs the tree on that day instead (the engineer's choice:
 * recon_opts.force_day, through the wizard) and goes back to the wizard's
 * next step. The wizard's y/n/o answers are its own screen's: here n and o
 * are the list's.
 *
 * Memory: the console owns the priv (priv_size); the rows are the
 * wizard's, read through it on every draw (they do not change while this
 * screen is on top). */
#include <stdlib.h>
#include <string.h>

#include "inv_ui.h"
#include "listview.h"
#include "lvkit.h"

#define WIDE 132 /* from this width every column shows (as inv_ui's table) */

typedef struct {
	listview lv;               /* first */
	view *wiz;                 /* the wizard below (owns the case) */
} days_priv;

enum { C_DAY, C_CALLS0, C_CALLS1, C_CALLSD, C_CONN0, C_CONN1, C_CONND, C_SECS0, C_SECS1, C_SECSD, C_COST0, C_COST1,
       C_COSTD, C_N };

static const inv_case *case_of(view *v)
{
	return inv_ui_case(((days_priv *)v->priv)->wiz);
}

static const recon_bucket *day_at(view *v, int i)
{
	return &case_of(v)->res.days[i];
}

static int l_count(view *v)
{
	return case_of(v)->res.nday;
}

static void num(int64_t x, int plus, char *buf, size_t n)
{
	snprintf(buf, n, plus && x > 0 ? "+%lld" : "%lld", (long long)x);
}

/* One column's figure of bucket b (the day's label aside). */
static void figure(const recon_bucket *b, int col, int d, char *buf, size_t n)
{
	switch (col) {
	case C_CALLS0: num(b->calls[0], 0, buf, n); break;
	case C_CALLS1: num(b->calls[1], 0, buf, n); break;
	case C_CALLSD: num(b->calls[1] - b->calls[0], 1, buf, n); break;
	case C_CONN0: num(b->connected[0], 0, buf, n); break;
	case C_CONN1: num(b->connected[1], 0, buf, n); break;
	case C_CONND: num(b->connected[1] - b->connected[0], 1, buf, n); break;
	case C_SECS0: inv_ui_secs(b->billsec_ms[0], 0, buf, n); break;
	case C_SECS1: inv_ui_secs(b->billsec_ms[1], 0, buf, n); break;
	case C_SECSD: inv_ui_secs(b->billsec_ms[1] - b->billsec_ms[0], 1, buf, n); break;
	case C_COST0: inv_ui_money(b->cost[0], d, 0, buf, n); break;
	case C_COST1: inv_ui_money(b->cost[1], d, 0, buf, n); break;
	case C_COSTD: inv_ui_money(b->cost[1] - b->cost[0], d, 1, buf, n); break;
	default: buf[0] = '\0';
	}
}

static void l_cell(view *v, int i, int col, char *buf, size_t n)
{
	const inv_case *c = case_of(v);
	if (col == C_DAY) {
		char day[24];
		inv_ui_day(c->res.days[i].start, day, sizeof day);
		snprintf(buf, n, "%s%s", day, i == c->res.worst_day ? " *" : "");
		return;
	}
	figure(&c->res.days[i], col, c->account.decimals, buf, n);
}

static void total_cell(view *v, int col, char *buf, size_t n)
{
	const inv_case *c = case_of(v);
	recon_bucket tot;
	if (col == C_DAY) {
		snprintf(buf, n, "total");
		return;
	}
	memset(&tot, 0, sizeof tot);
	for (int i = 0; i < c->res.nday; i++)
		for (int s = 0; s < 2; s++) {
			tot.calls[s] += c->res.days[i].calls[s];
			tot.connected[s] += c->res.days[i].connected[s];
			tot.billsec_ms[s] += c->res.days[i].billsec_ms[s];
			tot.cost[s] += c->res.days[i].cost[s];
		}
	figure(&tot, col, c->account.decimals, buf, n);
}

static void l_detail(view *v, int i, char *buf, size_t n)
{
	const inv_case *c = case_of(v);
	const recon_bucket *b = &c->res.days[i];
	char day[24], x[12][48];
	inv_ui_day(b->start, day, sizeof day);
	for (int k = C_CALLS0; k < C_N; k++)
		figure(b, k, c->account.decimals, x[k - 1], sizeof x[0]);
	snprintf(buf, n,
	         "%s%s  calls %s/%s (%s)  connected %s/%s (%s)\nseconds %s/%s (%s)  cost %s/%s (%s)",
	         day, i == c->res.worst_day ? " (the tree's day)" : "", x[0], x[1], x[2], x[3], x[4], x[5], x[6], x[7],
	         x[8], x[9], x[10], x[11]);
}

static int l_attr(view *v, int i)
{
	return i == case_of(v)->res.worst_day ? tui_attr(v->t, CP_BAD) : 0;
}

static int64_t l_key(view *v, int i)
{
	return day_at(v, i)->start;
}

/* Sorts: money and counts by value (a bucket's field picked by column). */
#define BY(NAME, EXPR)                                                                                           \
	static int NAME(view *v, int a, int b)                                                                   \
	{                                                                                                        \
		const recon_bucket *x = day_at(v, a), *y = day_at(v, b);                                         \
		return lv_cmp64(EXPR(x), EXPR(y));                                                               \
	}
#define F_DAY(p) ((p)->start)
#define F_CALLS0(p) ((p)->calls[0])
#define F_CALLS1(p) ((p)->calls[1])
#define F_CALLSD(p) ((p)->calls[1] - (p)->calls[0])
#define F_CONN0(p) ((p)->connected[0])
#define F_CONN1(p) ((p)->connected[1])
#define F_CONND(p) ((p)->connected[1] - (p)->connected[0])
#define F_SECS0(p) ((p)->billsec_ms[0])
#define F_SECS1(p) ((p)->billsec_ms[1])
#define F_SECSD(p) ((p)->billsec_ms[1] - (p)->billsec_ms[0])
#define F_COST0(p) ((p)->cost[0])
#define F_COST1(p) ((p)->cost[1])
#define F_COSTD(p) ((p)->cost[1] - (p)->cost[0])
BY(by_day, F_DAY)
BY(by_calls0, F_CALLS0)
BY(by_calls1, F_CALLS1)
BY(by_callsd, F_CALLSD)
BY(by_conn0, F_CONN0)
BY(by_conn1, F_CONN1)
BY(by_connd, F_CONND)
BY(by_secs0, F_SECS0)
BY(by_secs1, F_SECS1)
BY(by_secsd, F_SECSD)
BY(by_cost0, F_COST0)
BY(by_cost1, F_COST1)
BY(by_costd, F_COSTD)

/* 80 columns: day, connected, the seconds' difference, cost (as the
 * report's narrow table); from WIDE every figure. Titles as the
 * report's daily table (lower case, ours / theirs / diff). */
static const lv_column COLUMNS[C_N] = {
	[C_DAY] = { "day", 12, 12, LV_LEFT, 0, 0, by_day, 0 },
	[C_CALLS0] = { "calls ours", 10, 10, LV_RIGHT, 0, WIDE, by_calls0, 0 },
	[C_CALLS1] = { "theirs", 7, 7, LV_RIGHT, 0, WIDE, by_calls1, 0 },
	[C_CALLSD] = { "diff", 6, 6, LV_RIGHT, 0, WIDE, by_callsd, 0 },
	[C_CONN0] = { "conn ours", 9, 9, LV_RIGHT, 0, 0, by_conn0, 0 },
	[C_CONN1] = { "theirs", 6, 7, LV_RIGHT, 0, 0, by_conn1, 0 },
	[C_CONND] = { "diff", 6, 6, LV_RIGHT, 0, 0, by_connd, 0 },
	[C_SECS0] = { "secs ours", 11, 11, LV_RIGHT, 0, WIDE, by_secs0, 0 },
	[C_SECS1] = { "theirs", 11, 11, LV_RIGHT, 0, WIDE, by_secs1, 0 },
	[C_SECSD] = { "secs diff", 10, 10, LV_RIGHT, 0, 0, by_secsd, 0 },
	[C_COST0] = { "cost ours", 10, 10, LV_RIGHT, 0, 0, by_cost0, 0 },
	[C_COST1] = { "theirs", 10, 10, LV_RIGHT, 0, 0, by_cost1, 0 },
	[C_COSTD] = { "diff", 9, 10, LV_RIGHT, 0, 0, by_costd, 0 },
};

static const listview_ops LIST = {
	.columns = COLUMNS,
	.ncolumns = C_N,
	.count = l_count,
	.cell = l_cell,
	.detail = l_detail,
	.detail_lines = 2,
	.attr = l_attr,
	.key = l_key,
	.export_kind = "investigation-days",
	.empty = "no calls on either side",
};

static int days_open(view *v)
{
	days_priv *p = v->priv;
	inv_case *c = inv_ui_case(tui_top(v->t));
	if (!c) {
		tui_set_status(v->t, "the daily table belongs to an investigation (i on an account)");
		return -1;
	}
	p->wiz = tui_top(v->t);
	listview_init(&p->lv, &LIST);
	listview_rebuild(&p->lv, v);
	if (c->res.worst_day >= 0)
		listview_select(&p->lv, c->res.worst_day);
	snprintf(v->title, sizeof v->title, "%.60s  investigation: daily totals (UTC)", v->account.name);
	return 0;
}

static void days_close(view *v)
{
	listview_free(&((days_priv *)v->priv)->lv);
}

static void days_draw(view *v, int top, int rows, int cols)
{
	days_priv *p = v->priv;
	const recon_result *r = &case_of(v)->res;
	tui_textf(v->t, top, 0, cols, "%d UTC days; * the day the tree runs on%s; diff = theirs - ours; a/b = ours/theirs",
	          r->nday, r->worst_day < 0 ? " (none: no day differs beyond tolerance)" : "");
	listview_draw(&p->lv, v, top + 1, rows - 2, cols);
	listview_draw_line(&p->lv, v, top + rows - 1, cols, total_cell);
}

static int days_handle(view *v, tui_action a, int ch)
{
	days_priv *p = v->priv;
	int row;
	if (a == ACT_ENTER) { /* not ops.enter: the pop frees this view */
		if ((row = listview_selected(&p->lv)) >= 0 && inv_ui_force_day(p->wiz, day_at(v, row)->start) == 0)
			tui_pop(v->t); /* back to the wizard, on the next step */
		return 1;
	}
	if (listview_handle(&p->lv, v, a, ch))
		return 1;
	switch (a) {
	case ACT_INV_DAYS: return 1;
	default: return 0; /* the wizard's other keys: q back to it first */
	}
}

const view_ops view_inv_days_ops = {
	"investigation days", days_open, days_draw, days_handle, NULL, days_close,
	"Enter tree on this day  / filter  o sort  e export", sizeof(days_priv),
};
