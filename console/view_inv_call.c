/* view_inv_call.c: the single call (`S` in the wizard, for a duration or a
 * rating verdict): the matched pair whose seconds (duration) or cost
 * (rating) differ most on the day, both records side by side, the
 * difference, their per-minute rate implied by their cost, and our rating
 * of the call: `billtop explain`'s text (render_explain_text of the
 * engine's cdrq_explain), so the screen and the command agree.
 *
 * Memory: the view owns the rendered lines (made at open: the wizard does
 * not re-run while this view is above it). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/tm.h"
#include "../data/store.h"
#include "inv_ui.h"
#include "../front/render.h"

typedef struct {
	char *text;                /* owned */
	size_t len;
	char **lines;              /* into text; owned */
	int nlines, top, rows;
} call_priv;

static const char *when(int64_t t, char *buf, size_t n)
{
	if (t == TM_NONE)
		snprintf(buf, n, "-");
	else
		tm_format(t, buf, n);
	return buf;
}

/* The side-by-side table and our rating into f. */
static void render(FILE *f, const inv_case *c)
{
	const recon_result *r = &c->res;
	const recon_call *o = &c->ours.calls[r->single.ours], *t = &c->theirs.calls[r->single.theirs];
	int d = c->account.decimals;
	char a[64], b[64];

	fprintf(f, "the matched call of the day whose %s differs most\n",
	        r->verdict == RECON_VERDICT_RATING ? "cost" : "duration");
	fprintf(f, "%-16s %-30s %s\n", "", "OURS", "THEIRS");
#define ROW(label, x, y) fprintf(f, "%-16s %-30.30s %s\n", label, x, y)
	ROW("record id", o->id, t->id);
	snprintf(a, sizeof a, "cdr #%lld", (long long)o->ref);
	snprintf(b, sizeof b, "line %lld", (long long)t->ref);
	ROW("where", a, b);
	ROW("start (UTC)", when(o->start, a, sizeof a), when(t->start, b, sizeof b));
	ROW("answer (UTC)", when(o->answer, a, sizeof a), when(t->answer, b, sizeof b));
	ROW("from", o->src, t->src);
	ROW("to", o->dst, t->dst);
	ROW("connected", o->connected ? "yes" : "no", t->connected ? "yes" : "no");
	inv_ui_secs(o->billsec_ms, 0, a, sizeof a);
	inv_ui_secs(t->billsec_ms, 0, b, sizeof b);
	ROW("seconds", a, b);
	snprintf(a, sizeof a, o->billed_secs >= 0 ? "%lld" : "-", (long long)o->billed_secs);
	snprintf(b, sizeof b, t->billed_secs >= 0 ? "%lld" : "-", (long long)t->billed_secs);
	ROW("billed seconds", a, b);
	ROW("prefix", *o->prefix ? o->prefix : "-", *t->prefix ? t->prefix : "-");
	if (o->has_cost)
		inv_ui_money(o->cost, d, 0, a, sizeof a);
	else
		snprintf(a, sizeof a, "-");
	if (t->has_cost)
		inv_ui_money(t->cost, d, 0, b, sizeof b);
	else
		snprintf(b, sizeof b, "-");
	ROW("cost", a, b);
#undef ROW
	inv_ui_secs(r->single_diff_ms, 1, a, sizeof a);
	inv_ui_money(r->single_diff_cost, d, 1, b, sizeof b);
	fprintf(f, "%-16s seconds %s, cost %s (theirs - ours); their clock %+lld s\n", "difference", a, b,
	        (long long)r->single.dt);
	if (t->has_cost && t->billed_secs > 0
	    && money_format_fraction((__int128)t->cost * 60, t->billed_secs, 9, a, sizeof a) >= 0)
		fprintf(f, "%-16s %s/min implied (their cost x 60 / their billed seconds)\n", "their rate", a);
	fprintf(f, "\nOUR RATING (billtop explain #%lld)\n", (long long)o->ref);
	if (c->has_explain)
		render_explain_text(f, &c->explain);
	else
		fprintf(f, "  not available\n");
}

static int call_open(view *v)
{
	call_priv *p;
	inv_case *c = inv_ui_case(tui_top(v->t));
	FILE *f;
	char *s;
	if (!c || !c->res.has_single) {
		tui_set_status(v->t, "no single call on this path");
		return -1;
	}
	if (!(v->priv = p = calloc(1, sizeof(call_priv))))
		return -1;
	if (!(f = open_memstream(&p->text, &p->len)))
		return tui_set_status(v->t, "out of memory"), -1;
	render(f, c);
	if (fclose(f) != 0 || !p->text)
		return tui_set_status(v->t, "out of memory"), -1;
	for (s = p->text; *s; s++)
		p->nlines += *s == '\n';
	if (!(p->lines = calloc((size_t)p->nlines + 1, sizeof *p->lines)))
		return tui_set_status(v->t, "out of memory"), -1;
	p->nlines = 0;
	for (s = p->text; *s;) {
		char *nl = strchr(s, '\n');
		p->lines[p->nlines++] = s;
		if (!nl)
			break;
		*nl = '\0';
		s = nl + 1;
	}
	snprintf(v->title, sizeof v->title, "%.60s  investigation: the single call", v->account.name);
	return 0;
}

static void call_close(view *v)
{
	call_priv *p = v->priv;
	if (p) {
		free(p->text);
		free(p->lines);
	}
	free(p);
}

static void call_draw(view *v, int top, int rows, int cols)
{
	call_priv *p = v->priv;
	p->rows = rows;
	if (p->top > p->nlines - rows)
		p->top = p->nlines - rows;
	if (p->top < 0)
		p->top = 0;
	for (int i = 0; i < rows && p->top + i < p->nlines; i++) {
		const char *l = p->lines[p->top + i];
		int head = l[0] >= 'A' && l[0] <= 'Z' && l[1] >= 'A' && l[1] <= 'Z'; /* "OURS", "OUR RATING" */
		if (head)
			attron(A_BOLD);
		tui_text(v->t, top + i, 0, cols, l);
		if (head)
			attroff(A_BOLD);
	}
}

static int call_handle(view *v, tui_action a, int ch)
{
	call_priv *p = v->priv;
	int max = p->nlines - p->rows > 0 ? p->nlines - p->rows : 0;
	if (tui_scroll(a, &p->top, p->rows > 1 ? p->rows - 1 : 1, max))
		return 1;
	return a == ACT_ENTER || a == ACT_INV_SINGLE;
}

const view_ops view_inv_call_ops = {
	.name = "investigation single call",
	.open = call_open,
	.draw = call_draw,
	.handle = call_handle,
	.reload = NULL,
	.close = call_close,
	.hints = "Up/Down scroll  q the wizard",
};
