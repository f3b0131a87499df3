/* view_explain.c: how one call was rated: rate row (prefix, description,
 * rate, increments, grace, connect fee), answered and billed seconds, the
 * exact cost before rounding, the rounding and the final cost. The text is
 * `billtop explain CALL-ID`'s, written by render.c from cdrq_explain_call,
 * so the screen and the command cannot disagree.
 *
 * The call is the one selected in the CDR list below this view (read once,
 * at open, through view_cdrs_selected). Memory: the view owns the rendered
 * text and its line index. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../data/cdrq.h"
#include "../front/render.h"
#include "tui.h"

typedef struct {
	char call_id[32];          /* "#ROWID": exact, whatever the source */
	char *text;                /* rendered explanation; owned */
	size_t len;
	char **lines;              /* pointers into text; owned */
	int nlines, top;
	char record_id[CDR_RECORD_ID_MAX + 1];
	money_t cost, cnam;
	int decimals;
} explain_priv;

static void free_text(explain_priv *p)
{
	free(p->text);
	free(p->lines);
	p->text = NULL;
	p->lines = NULL;
	p->nlines = 0;
}

/* Render the explanation into memory and split it into lines. */
static int load(view *v)
{
	explain_priv *p = v->priv;
	tui *t = v->t;
	cdrq_explain e;
	FILE *f;
	char *s;

	if (cdrq_explain_call(t->db, p->call_id, &e) != DB_OK) {
		tui_set_status(t, "explain: %s", db_errmsg(t->db));
		return -1;
	}
	free_text(p);
	if (!(f = open_memstream(&p->text, &p->len)))
		return tui_set_status(t, "explain: out of memory"), -1;
	render_explain_text(f, &e);
	{
		rerate_rating *hist = NULL;
		int nhist = 0;
		if (rerate_history(t->db, e.call.id, &hist, &nhist) == DB_OK)
			render_explain_ratings(f, hist, nhist, e.account.decimals);
		free(hist);
	}
	if (fclose(f) != 0 || !p->text)
		return tui_set_status(t, "explain: out of memory"), -1;
	for (s = p->text; *s; s++)
		p->nlines += *s == '\n';
	if (!(p->lines = calloc((size_t)p->nlines + 1, sizeof *p->lines)))
		return tui_set_status(t, "explain: out of memory"), -1;
	p->nlines = 0;
	for (s = p->text; *s;) {
		char *nl = strchr(s, '\n');
		p->lines[p->nlines++] = s;
		if (!nl)
			break;
		*nl = '\0';
		s = nl + 1;
	}
	snprintf(p->record_id, sizeof p->record_id, "%s", e.call.record_id);
	p->cost = e.call.cost;
	p->cnam = e.call.cnam_cost;
	p->decimals = e.account.decimals;
	snprintf(v->title, sizeof v->title, "%.48s  explain %.90s", v->account.name, e.call.record_id);
	return 0;
}

static int explain_open(view *v)
{
	explain_priv *p;
	int64_t id;
	if (!(v->priv = p = calloc(1, sizeof(explain_priv))))
		return -1;
	if (view_cdrs_selected(tui_top(v->t), &id) != 0) {
		tui_set_status(v->t, "explain: select a call in the call list first");
		return -1;
	}
	snprintf(p->call_id, sizeof p->call_id, "#%lld", (long long)id);
	return load(v);
}

static void explain_close(view *v)
{
	explain_priv *p = v->priv;
	if (p)
		free_text(p);
	free(p);
}

static void explain_reload(view *v)
{
	load(v); /* a posted call never changes; this only follows a re-rating */
}

static void explain_draw(view *v, int top, int rows, int cols)
{
	explain_priv *p = v->priv;
	tui *t = v->t;
	int y = top;
	char cost[40], cnam[40], total[40];
	for (int i = p->top; i < p->nlines && y < top + rows - 3; i++, y++) {
		if (i == 0)
			attron(A_BOLD);
		tui_text(t, y, 0, cols, p->lines[i]); /* numbers and names made visible */
		if (i == 0)
			attroff(A_BOLD);
	}
	y = top + rows - 3;
	tui_hline(t, y++, 0, cols);
	money_format(p->cost, p->decimals, cost, sizeof cost);
	money_format(p->cnam, p->decimals, cnam, sizeof cnam);
	money_format(p->cost + p->cnam, p->decimals, total, sizeof total);
	tui_textf(t, y++, 0, cols, "charged for this call: %s + CNAM lookup %s = %s", cost, cnam, total);
	attron(tui_attr(t, CP_DIM));
	tui_textf(t, y, 0, cols, "same as: billtop explain %s", p->record_id);
	attroff(tui_attr(t, CP_DIM));
}

static int explain_handle(view *v, tui_action a, int ch)
{
	explain_priv *p = v->priv;
	switch (a) {
	case ACT_UP: if (p->top > 0) p->top--; return 1;
	case ACT_DOWN: if (p->top + 1 < p->nlines) p->top++; return 1;
	case ACT_PAGE_UP: p->top = p->top > 10 ? p->top - 10 : 0; return 1;
	case ACT_PAGE_DOWN: p->top = p->top + 10 < p->nlines ? p->top + 10 : (p->nlines ? p->nlines - 1 : 0); return 1;
	case ACT_HOME: p->top = 0; return 1;
	case ACT_END: p->top = p->nlines ? p->nlines - 1 : 0; return 1;
	case ACT_ENTER: return 1;
	default: return tui_open_account_view(v->t, a, &v->account);
	}
}

const view_ops view_explain_ops = {
	.name = "explain",
	.open = explain_open,
	.draw = explain_draw,
	.handle = explain_handle,
	.reload = explain_reload,
	.close = explain_close,
	.hints = "Up/Down scroll  q the calls",
};
