/* view_inv_calls.c: the calls each side lacks (`M` in the wizard, when
 * calls are missing): the connected calls of the engine's worst hour with
 * no counterpart on the other side. Two lists, switched with h/l (or
 * Left/Right): calls they lack (ours: record id and cdr row), calls we lack
 * (theirs: record id and file line). The order is the engine's (ascending
 * within each side), the same as the report's missing_theirs and
 * missing_ours, so what is on screen can be read against the JSON.
 *
 * Each list is on the list base (listview.h) with its own `/` text, `o`
 * sort and selection: `n` the next match, `e` exports the list shown
 * (the columns' cells, CSV or text), the detail line holds the selected
 * call whole (a record id the column cuts reads whole there).
 *
 * Memory: the console owns the priv (priv_size); the lists are read from
 * the wizard below (they do not change while this screen is on top). */
#include <stdlib.h>
#include <string.h>

#include "../core/tm.h"
#include "inv_ui.h"
#include "listview.h"
#include "lvkit.h"

typedef struct {
	listview lv[2];            /* per list: they lack (ours), we lack (theirs) */
	view *wiz;                 /* the wizard below (owns the case) */
	int list;                  /* 0: calls they lack (ours); 1: calls we lack (theirs) */
} calls_priv;

enum { C_ID, C_REF, C_START, C_TO, C_SECS, C_COST, C_N };

/* The list `list`'s call indexes and side. */
static void list_of(const inv_case *c, int list, const int **idx, size_t *n, const inv_side **side)
{
	if (list == 0) {
		*idx = c->res.missing_theirs;
		*n = c->res.nmissing_theirs;
		*side = &c->ours;
	} else {
		*idx = c->res.missing_ours;
		*n = c->res.nmissing_ours;
		*side = &c->theirs;
	}
}

static const inv_case *case_of(view *v)
{
	return inv_ui_case(((calls_priv *)v->priv)->wiz);
}

/* The list's row i (callbacks run for the list shown: p->list). */
static const recon_call *call_at(view *v, int i)
{
	const int *idx;
	size_t n;
	const inv_side *side;
	list_of(case_of(v), ((calls_priv *)v->priv)->list, &idx, &n, &side);
	return &side->calls[idx[i]];
}

static int l_count(view *v)
{
	const int *idx;
	size_t n;
	const inv_side *side;
	list_of(case_of(v), ((calls_priv *)v->priv)->list, &idx, &n, &side);
	return (int)n;
}

static void ref_text(view *v, const recon_call *k, char *buf, size_t n)
{
	snprintf(buf, n, ((calls_priv *)v->priv)->list == 0 ? "#%lld" : "%lld", (long long)k->ref);
}

static void cost_text(view *v, const recon_call *k, char *buf, size_t n)
{
	if (k->has_cost)
		inv_ui_money(k->cost, case_of(v)->account.decimals, 0, buf, n);
	else
		snprintf(buf, n, "-");
}

static void l_cell(view *v, int i, int col, char *buf, size_t n)
{
	const recon_call *k = call_at(v, i);
	char start[24];
	switch (col) {
	case C_ID: snprintf(buf, n, "%s", k->id); break;
	case C_REF: ref_text(v, k, buf, n); break;
	case C_START:
		tm_format(k->start, start, sizeof start);
		/* the time alone below 100 columns (the hour is above) */
		snprintf(buf, n, "%s", v->t->cols >= 100 ? start : start + 11);
		break;
	case C_TO: snprintf(buf, n, "%s", k->dst); break;
	case C_SECS: inv_ui_secs(k->billsec_ms, 0, buf, n); break;
	case C_COST: cost_text(v, k, buf, n); break;
	default: buf[0] = '\0';
	}
}

static void l_detail(view *v, int i, char *buf, size_t n)
{
	const recon_call *k = call_at(v, i);
	char start[24], secs[32], cost[48], ref[32];
	tm_format(k->start, start, sizeof start);
	inv_ui_secs(k->billsec_ms, 0, secs, sizeof secs);
	cost_text(v, k, cost, sizeof cost);
	ref_text(v, k, ref, sizeof ref);
	snprintf(buf, n, "%s %s %s  id %s\n%s UTC  from %s to %s  %s s  cost %s",
	         ((calls_priv *)v->priv)->list == 0 ? "our call, cdr row" : "their call, line", ref,
	         ((calls_priv *)v->priv)->list == 0 ? "(they lack it)" : "(we lack it)", k->id, start, k->src, k->dst,
	         secs, cost);
}

static int64_t l_key(view *v, int i)
{
	return call_at(v, i)->ref;
}

static int by_id(view *v, int a, int b) { return strcmp(call_at(v, a)->id, call_at(v, b)->id); }
static int by_ref(view *v, int a, int b) { return lv_cmp64(call_at(v, a)->ref, call_at(v, b)->ref); }
static int by_start(view *v, int a, int b) { return lv_cmp64(call_at(v, a)->start, call_at(v, b)->start); }
static int by_to(view *v, int a, int b) { return strcmp(call_at(v, a)->dst, call_at(v, b)->dst); }
static int by_secs(view *v, int a, int b) { return lv_cmp64(call_at(v, a)->billsec_ms, call_at(v, b)->billsec_ms); }

/* A call without a cost sorts first. */
static int by_cost(view *v, int a, int b)
{
	const recon_call *x = call_at(v, a), *y = call_at(v, b);
	if (x->has_cost != y->has_cost)
		return x->has_cost - y->has_cost;
	return lv_cmp64(x->cost, y->cost);
}

#define CALL_COLUMNS(REF_TITLE)                                                      \
	{                                                                            \
		[C_ID] = { "RECORD ID", 20, 32, LV_LEFT, 0, 0, by_id, 0 },           \
		[C_REF] = { REF_TITLE, 8, 8, LV_LEFT, 0, 0, by_ref, 0 },             \
		[C_START] = { "START (UTC)", 11, 19, LV_LEFT, 0, 0, by_start, 0 },   \
		[C_TO] = { "TO", 15, 15, LV_LEFT, 0, 0, by_to, 0 },                  \
		[C_SECS] = { "SECONDS", 9, 9, LV_RIGHT, 0, 0, by_secs, 0 },          \
		[C_COST] = { "COST", 10, 10, LV_RIGHT, 0, 0, by_cost, 0 },           \
	}
static const lv_column COLUMNS_OURS[C_N] = CALL_COLUMNS("ROW");
static const lv_column COLUMNS_THEIRS[C_N] = CALL_COLUMNS("LINE");

#define CALL_OPS(COLS, KIND, EMPTY)                                                      \
	{                                                                                \
		.columns = COLS, .ncolumns = C_N, .count = l_count, .cell = l_cell,     \
		.detail = l_detail, .detail_lines = 2, .key = l_key, .export_kind = KIND, \
		.empty = EMPTY,                                                          \
	}
static const listview_ops LIST[2] = {
	CALL_OPS(COLUMNS_OURS, "missing-they-lack", "none: their file has every connected call of ours in that hour"),
	CALL_OPS(COLUMNS_THEIRS, "missing-we-lack", "none: we have every connected call of theirs in that hour"),
};

static int calls_open(view *v)
{
	calls_priv *p = v->priv;
	inv_case *c = inv_ui_case(tui_top(v->t));
	if (!c || !c->res.has_worst_hour) {
		tui_set_status(v->t, "no missing calls to list");
		return -1;
	}
	p->wiz = tui_top(v->t);
	for (p->list = 0; p->list < 2; p->list++) {
		listview_init(&p->lv[p->list], &LIST[p->list]);
		listview_rebuild(&p->lv[p->list], v);
	}
	p->list = c->res.nmissing_theirs == 0 && c->res.nmissing_ours > 0;
	snprintf(v->title, sizeof v->title, "%.60s  investigation: missing calls", v->account.name);
	return 0;
}

static void calls_close(view *v)
{
	calls_priv *p = v->priv;
	listview_free(&p->lv[0]);
	listview_free(&p->lv[1]);
}

static void calls_draw(view *v, int top, int rows, int cols)
{
	calls_priv *p = v->priv;
	tui *t = v->t;
	const inv_case *c = case_of(v);
	char hour[24], head[2][96];

	inv_ui_hour(c->res.worst_hour.start, hour, sizeof hour);
	snprintf(head[0], sizeof head[0], " they lack: %zu of ours ", c->res.nmissing_theirs);
	snprintf(head[1], sizeof head[1], " we lack: %zu of theirs ", c->res.nmissing_ours);
	tui_textf(t, top, 0, cols, "connected calls of %s UTC without a counterpart:", hour);
	for (int k = 0, x = 0; k < 2; k++) {
		if (k == p->list)
			attron(tui_attr(t, CP_SELECT) | A_BOLD);
		tui_text(t, top + 1, x, cols - x, head[k]);
		if (k == p->list)
			attroff(tui_attr(t, CP_SELECT) | A_BOLD);
		x += (int)strlen(head[k]) + 2;
	}
	tui_text(t, top + 1, cols - 12 > 0 ? cols - 12 : 0, 12, "h/l switch");
	listview_draw(&p->lv[p->list], v, top + 2, rows - 2, cols);
}

static int calls_handle(view *v, tui_action a, int ch)
{
	calls_priv *p = v->priv;
	switch (a) {
	case ACT_LEFT:
	case ACT_RIGHT: p->list = !p->list; return 1;
	case ACT_ENTER:
	case ACT_INV_CALLS: return 1;
	default: return listview_handle(&p->lv[p->list], v, a, ch);
	}
}

const view_ops view_inv_calls_ops = {
	.name = "investigation missing calls",
	.open = calls_open,
	.draw = calls_draw,
	.handle = calls_handle,
	.reload = NULL,
	.close = calls_close,
	.hints = "h/l they lack / we lack  / filter  o sort  e export",
	.priv_size = sizeof(calls_priv),
};
