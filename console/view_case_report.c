/* view_case_report.c: a stored case reopened (Enter in the case list): the
 * letter to the carrier of its latest version (the engineer's conclusion
 * when there is one) exactly as saved, the same text as `billtop case ID
 * --report text` (inv_case_print); the status and verdict in the title
 * (notes are internal: `billtop case ID` shows them). Read only: a case's
 * findings never change. Letters are at most 80 columns; older reports
 * are wider, so Left/Right (h/l) scroll sideways as well as Up/Down.
 *
 * Keys: e exports the case (text, CSV or JSON as stored); a adds a note
 * and c closes the case (not on a read-only console), then the text is
 * read again. Memory: the view owns the text and its line index. */
#include <stdlib.h>
#include <string.h>

#include "../data/inv_report.h"
#include "../data/inv_session.h"
#include "inv_ui.h"

typedef struct {
	int64_t id;
	char *text;                /* owned */
	char **lines;              /* into text; owned */
	int nlines, top, left, rows, width;
} report_priv;

static int load(view *v)
{
	report_priv *p = v->priv;
	tui *t = v->t;
	char *text, *s;
	size_t len;
	inv_case_row r;
	if (inv_case_print(t->db, p->id, INV_REPORT_TEXT, &text, &len) != DB_OK) {
		tui_set_status(t, "case %lld: %s", (long long)p->id, db_errmsg(t->db));
		return -1;
	}
	free(p->text);
	free(p->lines);
	p->text = text;
	p->nlines = 0;
	p->width = 0;
	for (s = text; *s; s++)
		p->nlines += *s == '\n';
	if (!(p->lines = calloc((size_t)p->nlines + 1, sizeof *p->lines))) {
		p->nlines = 0;
		tui_set_status(t, "out of memory");
		return -1;
	}
	p->nlines = 0;
	for (s = text; *s;) {
		char *nl = strchr(s, '\n');
		p->lines[p->nlines++] = s;
		if (!nl)
			break;
		*nl = '\0';
		if ((int)(nl - s) > p->width)
			p->width = (int)(nl - s);
		s = nl + 1;
	}
	if (inv_case_get(t->db, p->id, &r) == DB_OK) {
		snprintf(v->title, sizeof v->title, "%.60s  case %lld  %s  %s%s", v->account.name, (long long)p->id,
		         r.status, r.concluded, r.versions > 1 ? " (concluded)" : "");
		inv_case_row_free(&r);
	}
	return 0;
}

static int report_open(view *v)
{
	report_priv *p;
	int64_t id;
	if (view_cases_selected(tui_top(v->t), &id) != 0) {
		tui_set_status(v->t, "select a case in the case list first");
		return -1;
	}
	if (!(v->priv = p = calloc(1, sizeof(report_priv))))
		return -1;
	p->id = id;
	return load(v);
}

static void report_close(view *v)
{
	report_priv *p = v->priv;
	if (p) {
		free(p->text);
		free(p->lines);
	}
	free(p);
}

static void report_reload(view *v)
{
	load(v);
}

static void report_draw(view *v, int top, int rows, int cols)
{
	report_priv *p = v->priv;
	p->rows = rows;
	if (p->top > p->nlines - rows)
		p->top = p->nlines - rows;
	if (p->top < 0)
		p->top = 0;
	for (int i = 0; i < rows && p->top + i < p->nlines; i++) {
		const char *l = p->lines[p->top + i];
		int bold = !strncmp(l, "VERDICT", 7) || !strncmp(l, "case ", 5);
		if ((int)strlen(l) <= p->left)
			continue;
		if (bold)
			attron(A_BOLD);
		tui_text(v->t, top + i, 0, cols, l + p->left);
		if (bold)
			attroff(A_BOLD);
	}
}

static int report_handle(view *v, tui_action a, int ch)
{
	report_priv *p = v->priv;
	tui *t = v->t;
	int max = p->nlines - p->rows > 0 ? p->nlines - p->rows : 0;
	if (ch == 'c') { /* c is CDRs elsewhere; here it closes the case */
		if (inv_ui_case_close(t, p->id) == 0)
			load(v);
		return 1;
	}
	if (tui_scroll(a, &p->top, p->rows > 1 ? p->rows - 1 : 1, max))
		return 1;
	switch (a) {
	case ACT_LEFT: p->left = p->left > 20 ? p->left - 20 : 0; return 1;
	case ACT_RIGHT: if (p->left + 20 < p->width) p->left += 20; return 1;
	case ACT_EXPORT: inv_ui_case_export(t, p->id, v->account.name); return 1;
	case ACT_NOTE:
		if (inv_ui_case_note(t, p->id) == 0)
			load(v);
		return 1;
	case ACT_ENTER: return 1;
	default: return tui_open_account_view(t, a, &v->account);
	}
}

const view_ops view_case_report_ops = {
	.name = "case",
	.open = report_open,
	.draw = report_draw,
	.handle = report_handle,
	.reload = report_reload,
	.close = report_close,
	.hints = "h/l sideways  e export  a note  c close",
};
