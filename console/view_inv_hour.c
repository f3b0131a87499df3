/* view_inv_hour.c: the day the tree ran on, hour by hour (`H` in the
 * wizard): ours / theirs / theirs - ours per UTC hour (inv_hour_totals:
 * each side bucketed by its own start, as the engine does), with the
 * engine's worst hour marked '*' when calls are missing, and the engine's
 * figures for that hour below. The connected calls of that hour without a
 * counterpart are `M` (view_inv_calls.c). On the list base through
 * inv_table.h: `/` narrows, `o` sorts, `e` exports the 24 hours, the
 * detail line holds the selected hour whole.
 *
 * Memory: the console owns the priv (priv_size); the 24 buckets are in it,
 * computed at open (the wizard does not re-run while this view is above
 * it). */
#include <stdlib.h>
#include <string.h>

#include "../data/inv_session.h"
#include "inv_table.h"

typedef struct {
	inv_table tb;              /* first */
	view *wiz;                 /* the wizard below (owns the case) */
	int64_t day;
	recon_bucket hours[24];
} hour_priv;

static int hour_open(view *v)
{
	hour_priv *p = v->priv;
	inv_case *c = inv_ui_case(tui_top(v->t));
	char d[24];
	int worst;
	if (!c || c->res.worst_day < 0 || c->res.worst_day >= c->res.nday) {
		tui_set_status(v->t, "no day to show hour by hour");
		return -1;
	}
	p->wiz = tui_top(v->t);
	p->day = c->res.days[c->res.worst_day].start;
	inv_hour_totals(c, p->day, p->hours);
	worst = c->res.has_worst_hour ? (int)((c->res.worst_hour.start - p->day) / 3600) : -1;
	p->tb.rows = p->hours;
	p->tb.nrows = 24;
	p->tb.mark = worst >= 0 && worst <= 23 ? worst : -1;
	p->tb.decimals = c->account.decimals;
	inv_table_init(&p->tb, v, 1);
	inv_ui_day(p->day, d, sizeof d);
	snprintf(v->title, sizeof v->title, "%.60s  investigation: %s hour by hour (UTC)", v->account.name, d);
	return 0;
}

static void hour_close(view *v)
{
	inv_table_free(&((hour_priv *)v->priv)->tb);
}

static void hour_draw(view *v, int top, int rows, int cols)
{
	hour_priv *p = v->priv;
	tui *t = v->t;
	const inv_case *c = inv_ui_case(p->wiz);
	int y, foot = p->tb.mark >= 0 ? 3 : 0;
	char label[32], day[24];

	inv_ui_day(p->day, day, sizeof day);
	if (p->tb.mark >= 0)
		tui_textf(t, top, 0, cols, "%s by UTC hour; * the hour that differs most (the engine's worst hour)", day);
	else
		tui_textf(t, top, 0, cols, "%s by UTC hour (verdict %s: the engine looked for no hour)", day,
		          recon_verdict_name(c->res.verdict));
	inv_table_draw(&p->tb, v, top + 1, rows - 1 - foot, cols);
	if (p->tb.mark >= 0) {
		y = top + rows - foot;
		tui_textf(t, y++, 0, cols, "the engine's worst hour (calls paired across the day, within the tolerance):");
		inv_ui_hour(c->res.worst_hour.start, label, sizeof label);
		snprintf(p->tb.extra_label, sizeof p->tb.extra_label, "%s", label + 11);
		p->tb.extra = &c->res.worst_hour;
		inv_table_draw_extra(&p->tb, v, y++, cols);
		tui_textf(t, y, 0, cols, "connected calls of that hour they lack: %zu, we lack: %zu  (M in the wizard)",
		          c->res.nmissing_theirs, c->res.nmissing_ours);
	}
}

static int hour_handle(view *v, tui_action a, int ch)
{
	hour_priv *p = v->priv;
	if (listview_handle(&p->tb.lv, v, a, ch))
		return 1;
	if (a == ACT_INV_HOUR || a == ACT_ENTER)
		return 1;
	return 0;
}

const view_ops view_inv_hour_ops = {
	.name = "investigation hours",
	.open = hour_open,
	.draw = hour_draw,
	.handle = hour_handle,
	.reload = NULL,
	.close = hour_close,
	.hints = "/ filter  o sort  e export  q the wizard",
	.priv_size = sizeof(hour_priv),
};
