/* view_inv_hour.c: the day the tree ran on, hour by hour (`H` in the
 * wizard): ours / theirs / theirs - ours per UTC hour (inv_hour_totals:
 * each side bucketed by its own start, as the engine does), with the
 * engine's worst hour marked '*' when calls are missing, and the engine's
 * figures for that hour below. The connected calls of that hour without a
 * counterpart are `M` (view_inv_calls.c).
 *
 * Memory: the 24 buckets are computed at open (the wizard does not re-run
 * while this view is above it). */
#include <stdlib.h>
#include <string.h>

#include "../data/inv_session.h"
#include "inv_ui.h"

typedef struct {
	view *wiz;                 /* the wizard below (owns the case) */
	int64_t day;
	recon_bucket hours[24];
	int worst;                 /* index of the engine's worst hour, -1 when none */
	int top, list_rows;
} hour_priv;

static int hour_open(view *v)
{
	hour_priv *p;
	inv_case *c = inv_ui_case(tui_top(v->t));
	char d[24];
	if (!c || c->res.worst_day < 0 || c->res.worst_day >= c->res.nday) {
		tui_set_status(v->t, "no day to show hour by hour");
		return -1;
	}
	if (!(v->priv = p = calloc(1, sizeof(hour_priv))))
		return -1;
	p->wiz = tui_top(v->t);
	p->day = c->res.days[c->res.worst_day].start;
	inv_hour_totals(c, p->day, p->hours);
	p->worst = c->res.has_worst_hour ? (int)((c->res.worst_hour.start - p->day) / 3600) : -1;
	if (p->worst < -1 || p->worst > 23)
		p->worst = -1;
	p->top = p->worst > 4 ? p->worst - 4 : 0;
	inv_ui_day(p->day, d, sizeof d);
	snprintf(v->title, sizeof v->title, "%.60s  investigation: %s hour by hour (UTC)", v->account.name, d);
	return 0;
}

static void hour_close(view *v)
{
	free(v->priv);
}

static void hour_draw(view *v, int top, int rows, int cols)
{
	hour_priv *p = v->priv;
	tui *t = v->t;
	const inv_case *c = inv_ui_case(p->wiz);
	int y = top, d = c->account.decimals, foot = p->worst >= 0 ? 4 : 0;
	char label[32], day[24];

	inv_ui_day(p->day, day, sizeof day);
	if (p->worst >= 0)
		tui_textf(t, y++, 0, cols, "%s by UTC hour; * the hour that differs most (the engine's worst hour)", day);
	else
		tui_textf(t, y++, 0, cols, "%s by UTC hour (verdict %s: the engine looked for no hour)", day,
		          recon_verdict_name(c->res.verdict));
	inv_ui_bucket_header(t, y, cols, "hour");
	y += 2;
	p->list_rows = top + rows - foot - y;
	if (p->list_rows < 1)
		p->list_rows = 1;
	if (p->top > 24 - p->list_rows)
		p->top = 24 - p->list_rows;
	if (p->top < 0)
		p->top = 0;
	for (int i = 0; i < p->list_rows && p->top + i < 24; i++) {
		int k = p->top + i;
		snprintf(label, sizeof label, "%02d:00%s", k, k == p->worst ? " *" : "");
		if (k == p->worst)
			attron(tui_attr(t, CP_SELECT));
		move(y + i, 0);
		for (int x = 0; x < cols && k == p->worst; x++)
			addch(' ');
		inv_ui_bucket_row(t, y + i, cols, label, &p->hours[k], d);
		if (k == p->worst)
			attroff(tui_attr(t, CP_SELECT));
	}
	if (p->worst >= 0) {
		y = top + rows - foot;
		tui_hline(t, y++, 0, cols);
		tui_textf(t, y++, 0, cols, "the engine's worst hour (calls paired across the day, within the tolerance):");
		inv_ui_hour(c->res.worst_hour.start, label, sizeof label);
		inv_ui_bucket_row(t, y++, cols, label + 11, &c->res.worst_hour, d);
		tui_textf(t, y, 0, cols, "connected calls of that hour they lack: %zu, we lack: %zu  (M in the wizard)",
		          c->res.nmissing_theirs, c->res.nmissing_ours);
	}
}

static int hour_handle(view *v, tui_action a, int ch)
{
	hour_priv *p = v->priv;
	int page = p->list_rows > 1 ? p->list_rows - 1 : 1;
	if (tui_scroll(a, &p->top, page, 24 - p->list_rows > 0 ? 24 - p->list_rows : 0))
		return 1;
	if (a == ACT_INV_HOUR || a == ACT_ENTER)
		return 1;
	return 0;
}

const view_ops view_inv_hour_ops = {
	"investigation hours", hour_open, hour_draw, hour_handle, NULL, hour_close,
	"Up/Down scroll  q the wizard",
};
