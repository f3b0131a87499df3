/* view_inv_days.c: the investigation's daily table (`D` in the wizard):
 * every UTC day with a call on either side, ours / theirs / theirs - ours,
 * the day the tree runs on marked with '*' (and in red), the period's
 * totals at the foot. The rows are the engine's buckets (recon_result.days),
 * as in the report's daily table, on the list base through inv_table.h
 * (`/` narrows, `o` sorts, `n` the next match, `e` exports the table as
 * shown, CSV or text; the detail line holds the selected day whole).
 *
 * Enter on a day runs the tree on that day instead (the engineer's choice:
 * recon_opts.force_day, through the wizard) and goes back to the wizard's
 * next step. The wizard's y/n/o answers are its own screen's: here n and o
 * are the list's.
 *
 * Memory: the console owns the priv (priv_size); the rows are the
 * wizard's (they do not change while this screen is on top). */
#include <stdlib.h>
#include <string.h>

#include "inv_table.h"

typedef struct {
	inv_table tb;              /* first */
	view *wiz;                 /* the wizard below (owns the case) */
} days_priv;

static int days_open(view *v)
{
	days_priv *p = v->priv;
	inv_case *c = inv_ui_case(tui_top(v->t));
	if (!c) {
		tui_set_status(v->t, "the daily table belongs to an investigation (i on an account)");
		return -1;
	}
	p->wiz = tui_top(v->t);
	p->tb.rows = c->res.days;
	p->tb.nrows = c->res.nday;
	p->tb.mark = c->res.worst_day;
	p->tb.decimals = c->account.decimals;
	inv_table_init(&p->tb, v, 0);
	snprintf(v->title, sizeof v->title, "%.60s  investigation: daily totals (UTC)", v->account.name);
	return 0;
}

static void days_close(view *v)
{
	inv_table_free(&((days_priv *)v->priv)->tb);
}

static void days_draw(view *v, int top, int rows, int cols)
{
	days_priv *p = v->priv;
	tui_textf(v->t, top, 0, cols, "%d UTC days; * the day the tree runs on%s; diff = theirs - ours; a/b = ours/theirs",
	          p->tb.nrows, p->tb.mark < 0 ? " (none: no day differs beyond tolerance)" : "");
	inv_table_draw(&p->tb, v, top + 1, rows - 1, cols);
}

static int days_handle(view *v, tui_action a, int ch)
{
	days_priv *p = v->priv;
	int row;
	if (a == ACT_ENTER) { /* not ops.enter: the pop frees this view */
		if ((row = listview_selected(&p->tb.lv)) >= 0 && inv_ui_force_day(p->wiz, p->tb.rows[row].start) == 0)
			tui_pop(v->t); /* back to the wizard, on the next step */
		return 1;
	}
	if (listview_handle(&p->tb.lv, v, a, ch))
		return 1;
	switch (a) {
	case ACT_INV_DAYS: return 1;
	default: return 0; /* the wizard's other keys: q back to it first */
	}
}

const view_ops view_inv_days_ops = {
	.name = "investigation days",
	.open = days_open,
	.draw = days_draw,
	.handle = days_handle,
	.reload = NULL,
	.close = days_close,
	.hints = "Enter tree on this day  / filter  o sort  e export",
	.priv_size = sizeof(days_priv),
};
