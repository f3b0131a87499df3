/* inv_table.c: see inv_table.h. */
#include "inv_table.h"

#include <stdio.h>
#include <string.h>

#include "lvkit.h"

#define WIDE 132 /* from this width every column shows (as inv_ui's table) */

enum { C_LABEL, C_CALLS0, C_CALLS1, C_CALLSD, C_CONN0, C_CONN1, C_CONND, C_SECS0, C_SECS1, C_SECSD, C_COST0,
       C_COST1, C_COSTD, C_N };

static inv_table *tb_of(view *v)
{
	return v->priv;
}

static const recon_bucket *at(view *v, int i)
{
	return &tb_of(v)->rows[i];
}

static int l_count(view *v)
{
	return tb_of(v)->nrows;
}

static void num(int64_t x, int plus, char *buf, size_t n)
{
	snprintf(buf, n, plus && x > 0 ? "+%lld" : "%lld", (long long)x);
}

/* One column's figure of bucket b (the label aside). */
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

/* "2026-11-17" or "14:00" (the hours' day is in the title) */
static void label(const inv_table *tb, int i, char *buf, size_t n)
{
	char day[24];
	if (tb->hours) {
		snprintf(buf, n, "%02d:00", i);
		return;
	}
	inv_ui_day(tb->rows[i].start, day, sizeof day);
	snprintf(buf, n, "%s", day);
}

static void l_cell(view *v, int i, int col, char *buf, size_t n)
{
	inv_table *tb = tb_of(v);
	if (col == C_LABEL) {
		char l[24];
		label(tb, i, l, sizeof l);
		snprintf(buf, n, "%s%s", l, i == tb->mark ? " *" : "");
		return;
	}
	figure(&tb->rows[i], col, tb->decimals, buf, n);
}

static void total_cell(view *v, int col, char *buf, size_t n)
{
	inv_table *tb = tb_of(v);
	recon_bucket tot;
	if (col == C_LABEL) {
		snprintf(buf, n, "total");
		return;
	}
	memset(&tot, 0, sizeof tot);
	for (int i = 0; i < tb->nrows; i++)
		for (int s = 0; s < 2; s++) {
			tot.calls[s] += tb->rows[i].calls[s];
			tot.connected[s] += tb->rows[i].connected[s];
			tot.billsec_ms[s] += tb->rows[i].billsec_ms[s];
			tot.cost[s] += tb->rows[i].cost[s];
		}
	figure(&tot, col, tb->decimals, buf, n);
}

static void extra_cell(view *v, int col, char *buf, size_t n)
{
	inv_table *tb = tb_of(v);
	if (col == C_LABEL)
		snprintf(buf, n, "%s", tb->extra_label);
	else
		figure(tb->extra, col, tb->decimals, buf, n);
}

static void l_detail(view *v, int i, char *buf, size_t n)
{
	inv_table *tb = tb_of(v);
	char l[24], x[C_N][48];
	label(tb, i, l, sizeof l);
	for (int k = C_CALLS0; k < C_N; k++)
		figure(&tb->rows[i], k, tb->decimals, x[k], sizeof x[0]);
	snprintf(buf, n, "%s%s  calls %s/%s (%s)  connected %s/%s (%s)\nseconds %s/%s (%s)  cost %s/%s (%s)", l,
	         i != tb->mark ? "" : tb->hours ? " (the worst hour)" : " (the tree's day)", x[C_CALLS0], x[C_CALLS1],
	         x[C_CALLSD], x[C_CONN0], x[C_CONN1], x[C_CONND], x[C_SECS0], x[C_SECS1], x[C_SECSD], x[C_COST0],
	         x[C_COST1], x[C_COSTD]);
}

static int l_attr(view *v, int i)
{
	return i == tb_of(v)->mark ? tui_attr(v->t, CP_BAD) : 0;
}

static int64_t l_key(view *v, int i)
{
	return at(v, i)->start;
}

/* Sorts: counts, seconds and money by value. */
#define BY(NAME, EXPR)                                            \
	static int NAME(view *v, int a, int b)                    \
	{                                                         \
		const recon_bucket *x = at(v, a), *y = at(v, b);  \
		return lv_cmp64(EXPR(x), EXPR(y));                \
	}
#define F_START(p) ((p)->start)
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
BY(by_start, F_START)
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

/* Titles as the report's daily table (lower case, ours / theirs / diff). */
#define TABLE_COLUMNS(LABEL)                                                        \
	{                                                                           \
		[C_LABEL] = { LABEL, 12, 12, LV_LEFT, 0, 0, by_start, 0 },          \
		[C_CALLS0] = { "calls ours", 10, 10, LV_RIGHT, 0, WIDE, by_calls0, 0 }, \
		[C_CALLS1] = { "theirs", 7, 7, LV_RIGHT, 0, WIDE, by_calls1, 0 },   \
		[C_CALLSD] = { "diff", 6, 6, LV_RIGHT, 0, WIDE, by_callsd, 0 },     \
		[C_CONN0] = { "conn ours", 9, 9, LV_RIGHT, 0, 0, by_conn0, 0 },     \
		[C_CONN1] = { "theirs", 6, 7, LV_RIGHT, 0, 0, by_conn1, 0 },        \
		[C_CONND] = { "diff", 6, 6, LV_RIGHT, 0, 0, by_connd, 0 },          \
		[C_SECS0] = { "secs ours", 11, 11, LV_RIGHT, 0, WIDE, by_secs0, 0 }, \
		[C_SECS1] = { "theirs", 11, 11, LV_RIGHT, 0, WIDE, by_secs1, 0 },   \
		[C_SECSD] = { "secs diff", 10, 10, LV_RIGHT, 0, 0, by_secsd, 0 },   \
		[C_COST0] = { "cost ours", 10, 10, LV_RIGHT, 0, 0, by_cost0, 0 },   \
		[C_COST1] = { "theirs", 10, 10, LV_RIGHT, 0, 0, by_cost1, 0 },      \
		[C_COSTD] = { "diff", 9, 10, LV_RIGHT, 0, 0, by_costd, 0 },         \
	}
static const lv_column COLUMNS_DAYS[C_N] = TABLE_COLUMNS("day");
static const lv_column COLUMNS_HOURS[C_N] = TABLE_COLUMNS("hour");

#define TABLE_OPS(COLS, KIND)                                                               \
	{                                                                                   \
		.columns = COLS, .ncolumns = C_N, .count = l_count, .cell = l_cell,        \
		.detail = l_detail, .detail_lines = 2, .attr = l_attr, .key = l_key,       \
		.export_kind = KIND, .empty = "no calls on either side",                   \
	}
static const listview_ops LIST_DAYS = TABLE_OPS(COLUMNS_DAYS, "investigation-days");
static const listview_ops LIST_HOURS = TABLE_OPS(COLUMNS_HOURS, "investigation-hours");

void inv_table_init(inv_table *tb, view *v, int hours)
{
	tb->hours = hours;
	listview_init(&tb->lv, hours ? &LIST_HOURS : &LIST_DAYS);
	listview_rebuild(&tb->lv, v);
	if (tb->mark >= 0)
		listview_select(&tb->lv, tb->mark);
}

void inv_table_free(inv_table *tb)
{
	listview_free(&tb->lv);
}

void inv_table_draw(inv_table *tb, view *v, int top, int rows, int cols)
{
	listview_draw(&tb->lv, v, top, rows - 1, cols);
	listview_draw_line(&tb->lv, v, top + rows - 1, cols, total_cell);
}

void inv_table_draw_extra(inv_table *tb, view *v, int y, int cols)
{
	if (tb->extra)
		listview_draw_line(&tb->lv, v, y, cols, extra_cell);
}
