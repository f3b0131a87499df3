/* view_inv_calls.c: the calls each side lacks (`M` in the wizard, when
 * calls are missing): the connected calls of the engine's worst hour with
 * no counterpart on the other side. Two lists, switched with h/l (or
 * Left/Right): calls they lack (ours: record id and cdr row), calls we lack
 * (theirs: record id and file line). The order is the engine's (ascending
 * within each side), the same as the report's missing_theirs and
 * missing_ours, so what is on screen can be read against the JSON.
 *
 * Memory: nothing owned; the lists are read from the wizard below. */
#include <stdlib.h>
#include <string.h>

#include "../core/tm.h"
#include "inv_ui.h"

typedef struct {
	view *wiz;                 /* the wizard below (owns the case) */
	int list;                  /* 0: calls they lack (ours); 1: calls we lack (theirs) */
	int sel[2], top[2], list_rows;
} calls_priv;

static int calls_open(view *v)
{
	calls_priv *p;
	inv_case *c = inv_ui_case(tui_top(v->t));
	if (!c || !c->res.has_worst_hour) {
		tui_set_status(v->t, "no missing calls to list");
		return -1;
	}
	if (!(v->priv = p = calloc(1, sizeof(calls_priv))))
		return -1;
	p->wiz = tui_top(v->t);
	p->list = c->res.nmissing_theirs == 0 && c->res.nmissing_ours > 0;
	snprintf(v->title, sizeof v->title, "%.60s  investigation: missing calls", v->account.name);
	return 0;
}

static void calls_close(view *v)
{
	free(v->priv);
}

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

static void calls_draw(view *v, int top, int rows, int cols)
{
	calls_priv *p = v->priv;
	tui *t = v->t;
	const inv_case *c = inv_ui_case(p->wiz);
	const int *idx;
	const inv_side *side;
	size_t n;
	int y = top, d = c->account.decimals, *sel = &p->sel[p->list], *tp = &p->top[p->list];
	int sw = cols >= 100 ? 19 : 11; /* the start: date and time, or the time alone (the hour is above) */
	char hour[24], head[2][96];

	inv_ui_hour(c->res.worst_hour.start, hour, sizeof hour);
	snprintf(head[0], sizeof head[0], " they lack: %zu of ours ", c->res.nmissing_theirs);
	snprintf(head[1], sizeof head[1], " we lack: %zu of theirs ", c->res.nmissing_ours);
	tui_textf(t, y, 0, cols, "connected calls of %s UTC without a counterpart:", hour);
	y++;
	for (int k = 0, x = 0; k < 2; k++) {
		if (k == p->list)
			attron(tui_attr(t, CP_SELECT) | A_BOLD);
		tui_text(t, y, x, cols - x, head[k]);
		if (k == p->list)
			attroff(tui_attr(t, CP_SELECT) | A_BOLD);
		x += (int)strlen(head[k]) + 2;
	}
	tui_text(t, y, cols - 12 > 0 ? cols - 12 : 0, 12, "h/l switch");
	y++;
	list_of(c, p->list, &idx, &n, &side);
	attron(A_BOLD);
	tui_textf(t, y++, 0, cols, "%-20s %-8s %-*s %-15s %9s %10s", "RECORD ID", p->list == 0 ? "ROW" : "LINE", sw,
	          "START (UTC)", "TO", "SECONDS", "COST");
	attroff(A_BOLD);
	p->list_rows = top + rows - y;
	if (p->list_rows < 1)
		p->list_rows = 1;
	if (n == 0) {
		tui_text(t, y, 2, cols - 2, p->list == 0 ? "none: their file has every connected call of ours in that hour"
		                                         : "none: we have every connected call of theirs in that hour");
		return;
	}
	if (*sel >= (int)n)
		*sel = (int)n - 1;
	if (*sel < *tp)
		*tp = *sel;
	if (*sel >= *tp + p->list_rows)
		*tp = *sel - p->list_rows + 1;
	for (int i = 0; i < p->list_rows && *tp + i < (int)n; i++) {
		const recon_call *k = &side->calls[idx[*tp + i]];
		char where[24], start[24], secs[32], cost[48];
		snprintf(where, sizeof where, p->list == 0 ? "#%lld" : "%lld", (long long)k->ref);
		tm_format(k->start, start, sizeof start);
		inv_ui_secs(k->billsec_ms, 0, secs, sizeof secs);
		if (k->has_cost)
			inv_ui_money(k->cost, d, 0, cost, sizeof cost);
		else
			snprintf(cost, sizeof cost, "-");
		if (*tp + i == *sel)
			attron(tui_attr(t, CP_SELECT));
		move(y + i, 0);
		for (int x = 0; x < cols && *tp + i == *sel; x++)
			addch(' ');
		tui_textf(t, y + i, 0, cols, "%-20.20s %-8s %-*s %-15.15s %9s %10s", k->id, where, sw,
		          sw == 19 ? start : start + 11, k->dst, secs, cost);
		if (*tp + i == *sel)
			attroff(tui_attr(t, CP_SELECT));
	}
	if ((int)n > p->list_rows) {
		attron(tui_attr(t, CP_DIM));
		tui_textf(t, top, cols - 16 > 0 ? cols - 16 : 0, 16, "%5d of %zu", *sel + 1, n);
		attroff(tui_attr(t, CP_DIM));
	}
}

static int calls_handle(view *v, tui_action a, int ch)
{
	calls_priv *p = v->priv;
	const inv_case *c = inv_ui_case(p->wiz);
	int n = (int)(p->list == 0 ? c->res.nmissing_theirs : c->res.nmissing_ours);
	int *sel = &p->sel[p->list], page = p->list_rows > 1 ? p->list_rows - 1 : 1;
	switch (a) {
	case ACT_LEFT:
	case ACT_RIGHT: p->list = !p->list; return 1;
	case ACT_UP: if (*sel > 0) (*sel)--; return 1;
	case ACT_DOWN: if (*sel + 1 < n) (*sel)++; return 1;
	case ACT_PAGE_UP: *sel = *sel > page ? *sel - page : 0; return 1;
	case ACT_PAGE_DOWN: *sel = *sel + page < n ? *sel + page : (n ? n - 1 : 0); return 1;
	case ACT_HOME: *sel = 0; return 1;
	case ACT_END: *sel = n ? n - 1 : 0; return 1;
	case ACT_ENTER:
	case ACT_INV_CALLS: return 1;
	default: return 0;
	}
}

const view_ops view_inv_calls_ops = {
	"investigation missing calls", calls_open, calls_draw, calls_handle, NULL, calls_close,
	"h/l they lack / we lack  Up/Down move",
};
