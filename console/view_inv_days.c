/* view_inv_days.c: the investigation's daily table (`D` in the wizard):
 * every UTC day with a call on either side, ours / theirs / theirs - ours,
 * the day the tree runs on marked with '*' (and in bold or red), the
 * period's totals at the foot. The rows are the engine's buckets
 * (recon_result.days), as in the report's daily table.
 *
 * Enter on a day runs the tree on that day instead (the engineer's choice:
 * recon_opts.force_day, through the wizard) and goes back to the wizard's
 * next step. Memory: nothing owned but the view's position; the figures
 * are read from the wizard below on every draw. */
#include <stdlib.h>
#include <string.h>

#include "inv_ui.h"

typedef struct {
	view *wiz;                 /* the wizard below (owns the case) */
	int sel, top, list_rows;
} days_priv;

static int days_open(view *v)
{
	days_priv *p;
	inv_case *c = inv_ui_case(tui_top(v->t));
	if (!c) {
		tui_set_status(v->t, "the daily table belongs to an investigation (i on an account)");
		return -1;
	}
	if (!(v->priv = p = calloc(1, sizeof(days_priv))))
		return -1;
	p->wiz = tui_top(v->t);
	p->sel = c->res.worst_day >= 0 ? c->res.worst_day : 0;
	p->top = -1; /* centre the selection at the first draw */
	snprintf(v->title, sizeof v->title, "%.60s  investigation: daily totals (UTC)", v->account.name);
	return 0;
}

static void days_close(view *v)
{
	free(v->priv);
}

static void days_draw(view *v, int top, int rows, int cols)
{
	days_priv *p = v->priv;
	tui *t = v->t;
	const inv_case *c = inv_ui_case(p->wiz);
	const recon_result *r = &c->res;
	recon_bucket tot;
	int y = top, d = c->account.decimals;
	char label[32];

	tui_textf(t, y++, 0, cols, "%d UTC days; * the day the tree runs on%s; diff = theirs - ours", r->nday,
	          r->worst_day < 0 ? " (none: no day differs beyond tolerance)" : "");
	inv_ui_bucket_header(t, y, cols, "day");
	y += 2;
	p->list_rows = top + rows - 1 - y;
	if (p->list_rows < 1)
		p->list_rows = 1;
	if (p->sel >= r->nday)
		p->sel = r->nday ? r->nday - 1 : 0;
	if (p->top < 0)
		p->top = p->sel - p->list_rows / 2;
	if (p->sel < p->top)
		p->top = p->sel;
	if (p->sel >= p->top + p->list_rows)
		p->top = p->sel - p->list_rows + 1;
	if (p->top > r->nday - p->list_rows)
		p->top = r->nday - p->list_rows;
	if (p->top < 0)
		p->top = 0;
	for (int i = 0; i < p->list_rows && p->top + i < r->nday; i++) {
		int k = p->top + i, attr = 0;
		inv_ui_day(r->days[k].start, label, sizeof label);
		if (k == r->worst_day)
			snprintf(label + 10, sizeof label - 10, " *");
		if (k == p->sel)
			attr = tui_attr(t, CP_SELECT);
		else if (k == r->worst_day)
			attr = tui_attr(t, CP_BAD);
		attron(attr);
		move(y + i, 0);
		for (int x = 0; x < cols; x++)
			addch(' ');
		inv_ui_bucket_row(t, y + i, cols, label, &r->days[k], d);
		attroff(attr);
	}
	memset(&tot, 0, sizeof tot);
	for (int i = 0; i < r->nday; i++)
		for (int s = 0; s < 2; s++) {
			tot.calls[s] += r->days[i].calls[s];
			tot.connected[s] += r->days[i].connected[s];
			tot.billsec_ms[s] += r->days[i].billsec_ms[s];
			tot.cost[s] += r->days[i].cost[s];
		}
	attron(A_BOLD);
	inv_ui_bucket_row(t, top + rows - 1, cols, "total", &tot, d);
	attroff(A_BOLD);
}

static int days_handle(view *v, tui_action a, int ch)
{
	days_priv *p = v->priv;
	const inv_case *c = inv_ui_case(p->wiz);
	int n = c->res.nday, page = p->list_rows > 1 ? p->list_rows - 1 : 1;
	switch (a) {
	case ACT_UP: if (p->sel > 0) p->sel--; return 1;
	case ACT_DOWN: if (p->sel + 1 < n) p->sel++; return 1;
	case ACT_PAGE_UP: p->sel = p->sel > page ? p->sel - page : 0; return 1;
	case ACT_PAGE_DOWN: p->sel = p->sel + page < n ? p->sel + page : (n ? n - 1 : 0); return 1;
	case ACT_HOME: p->sel = 0; return 1;
	case ACT_END: p->sel = n ? n - 1 : 0; return 1;
	case ACT_ENTER:
		if (n && inv_ui_force_day(p->wiz, c->res.days[p->sel].start) == 0)
			tui_pop(v->t); /* back to the wizard, on the next step */
		return 1;
	case ACT_INV_DAYS: return 1;
	default: return 0; /* the wizard's other keys: q back to it first */
	}
}

const view_ops view_inv_days_ops = {
	"investigation days", days_open, days_draw, days_handle, NULL, days_close,
	"Enter run the tree on this day",
};
