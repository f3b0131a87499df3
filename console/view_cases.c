/* view_cases.c: dispute cases, open ones first, then newest first: an
 * account's (`I` on an account), or every account's (`I` on the accounts
 * list: the view's account has id 0). Columns: id, status, account (all
 * accounts), who opened it, the verdict (the engineer's conclusion when
 * there is one, marked *), the money in dispute, and on wide terminals the
 * opening time, period, notes and their file. The rows are `billtop cases
 * [ACCOUNT]`'s (inv_case_each).
 *
 * Keys: Enter reopens the case's stored report (view_case_report.c, read
 * only: a case's findings never change); e exports it (text, CSV or JSON,
 * exactly `billtop case ID --report KIND`); a adds a note; c closes the
 * case (after a yes); i starts a new investigation. Notes and closing need
 * write access (refused, with the reason, on a read-only console). Another
 * process's changes show at once (reload on data_version).
 *
 * Memory: the view owns its rows. */
#include <stdlib.h>
#include <string.h>

#include "../core/tm.h"
#include "inv_ui.h"

typedef struct {
	int64_t id, created, from, to, account_id;
	char status[8], verdict[24], their_path[256], account[ACCOUNT_NAME_MAX + 1], operator_[64];
	char disputed[48];
	int notes, concluded;
} case_item;

typedef struct {
	case_item *rows;
	int n, cap, sel, top, list_rows;
} cases_priv;

static int collect(const inv_case_row *r, void *ctx)
{
	cases_priv *p = ctx;
	case_item *it;
	if (p->n == p->cap) {
		int ncap = p->cap ? p->cap * 2 : 32;
		case_item *nr = realloc(p->rows, (size_t)ncap * sizeof *nr);
		if (!nr)
			return 1;
		p->rows = nr;
		p->cap = ncap;
	}
	it = &p->rows[p->n++];
	memset(it, 0, sizeof *it);
	it->id = r->id;
	it->created = r->created;
	it->from = r->from;
	it->to = r->to;
	snprintf(it->status, sizeof it->status, "%s", r->status);
	snprintf(it->verdict, sizeof it->verdict, "%s", r->concluded[0] ? r->concluded : r->verdict);
	it->concluded = r->versions > 1;
	it->account_id = r->account_id;
	snprintf(it->account, sizeof it->account, "%s", r->account);
	snprintf(it->operator_, sizeof it->operator_, "%s", r->operator_);
	snprintf(it->disputed, sizeof it->disputed, "%s", r->disputed);
	/* the tail of a long path: the file name is what tells cases apart */
	{
		size_t len = strlen(r->their_path), keep = sizeof it->their_path - 1;
		const char *from = len > keep ? r->their_path + len - keep : r->their_path;
		memcpy(it->their_path, from, strlen(from) + 1); /* at most keep + 1 bytes */
	}
	for (const char *s = r->notes; *s; s++)
		it->notes += *s == '\n';
	return 0;
}

static int load(view *v)
{
	cases_priv *p = v->priv;
	int64_t keep = p->n && p->sel < p->n ? p->rows[p->sel].id : 0;
	p->n = 0;
	if (inv_case_each(v->t->db, v->account.id, collect, p) != DB_OK) {
		tui_set_status(v->t, "cases: %s", db_errmsg(v->t->db));
		return -1;
	}
	for (int i = 0; keep && i < p->n; i++)
		if (p->rows[i].id == keep)
			p->sel = i;
	if (p->sel >= p->n)
		p->sel = p->n ? p->n - 1 : 0;
	if (v->account.id)
		snprintf(v->title, sizeof v->title, "%.60s  dispute cases (%d)", v->account.name, p->n);
	else
		snprintf(v->title, sizeof v->title, "dispute cases, every account (%d)", p->n);
	return 0;
}

static int cases_open(view *v)
{
	if (!(v->priv = calloc(1, sizeof(cases_priv))))
		return -1;
	return load(v);
}

static void cases_close(view *v)
{
	cases_priv *p = v->priv;
	if (p)
		free(p->rows);
	free(p);
}

static void cases_reload(view *v)
{
	load(v);
}

int view_cases_selected(const view *v, int64_t *id)
{
	const cases_priv *p;
	if (!v || v->ops != &view_cases_ops || !(p = v->priv) || p->n == 0)
		return -1;
	*id = p->rows[p->sel].id;
	return 0;
}

/* The selected case's account (the list of every account's cases opens
 * the report under the case's own account). */
static int selected_account(view *v, account_info *a)
{
	cases_priv *p = v->priv;
	if (v->account.id) {
		*a = v->account;
		return 0;
	}
	if (account_get(v->t->db, p->rows[p->sel].account_id, a) != DB_OK) {
		tui_set_status(v->t, "case %lld: %s", (long long)p->rows[p->sel].id, db_errmsg(v->t->db));
		return -1;
	}
	return 0;
}

/* The tail of s that fits in w columns, "..." first when cut (the file
 * name is what tells cases apart). */
static const char *tail(const char *s, int w, char *buf, size_t n)
{
	size_t len = strlen(s);
	if (w < 4 || (int)len <= w)
		return s;
	snprintf(buf, n, "...%s", s + len - (size_t)(w - 3));
	return buf;
}

/* Columns: CASE STATUS [ACCOUNT] BY VERDICT IN DISPUTE, then, as the width
 * allows, OPENED, PERIOD, NOTES, THEIR FILE. */
static void cases_draw(view *v, int top, int rows, int cols)
{
	cases_priv *p = v->priv;
	tui *t = v->t;
	int all = v->account.id == 0, y = top;
	int xa = 15, xb = all ? 29 : 15, xv = xb + 11, xd = xv + 17, xo = xd + 13, xp = xo + 18, xn = xp + 24,
	    xf = xn + 7;
	attron(A_BOLD);
	tui_textf(t, y, 0, 15, "%5s  %-6s", "CASE", "STATUS");
	if (all)
		tui_text(t, y, xa, 13, "ACCOUNT");
	tui_text(t, y, xb, 10, "OPENED BY");
	tui_text(t, y, xv, 16, "VERDICT");
	tui_textf(t, y, xd, 12, "%12s", "IN DISPUTE");
	if (cols >= xp)
		tui_text(t, y, xo, 17, "OPENED (UTC)");
	if (cols >= xn)
		tui_text(t, y, xp, 23, "PERIOD (UTC)");
	if (cols >= xf)
		tui_text(t, y, xn, 6, "NOTES");
	if (cols >= xf + 10)
		tui_text(t, y, xf, cols - xf, "THEIR FILE");
	y++;
	attroff(A_BOLD);
	if (p->n == 0) {
		tui_text(t, y + 1, 2, cols - 2, all ? "No cases yet: i on an account starts an investigation."
		                                    : "No cases for this account yet: i starts an investigation.");
		return;
	}
	p->list_rows = top + rows - y;
	if (p->list_rows < 1)
		p->list_rows = 1;
	if (p->sel < p->top)
		p->top = p->sel;
	if (p->sel >= p->top + p->list_rows)
		p->top = p->sel - p->list_rows + 1;
	for (int i = 0; i < p->list_rows && p->top + i < p->n; i++) {
		const case_item *it = &p->rows[p->top + i];
		char opened[24], from[24], to[24], path[300], verdict[32];
		int sel = p->top + i == p->sel, bad = strcmp(it->verdict, "none") != 0;
		tm_format(it->created, opened, sizeof opened);
		if (sel)
			attron(tui_attr(t, CP_SELECT));
		move(y + i, 0);
		for (int x = 0; x < cols && sel; x++)
			addch(' ');
		tui_textf(t, y + i, 0, 15, "%5lld  %-6s", (long long)it->id, it->status);
		if (all)
			tui_text(t, y + i, xa, 13, it->account);
		tui_text(t, y + i, xb, 10, it->operator_);
		snprintf(verdict, sizeof verdict, "%s%s", it->verdict, it->concluded ? "*" : "");
		if (!sel)
			attron(tui_attr(t, bad ? CP_BAD : CP_GOOD));
		tui_text(t, y + i, xv, 16, verdict);
		if (!sel)
			attroff(tui_attr(t, bad ? CP_BAD : CP_GOOD));
		tui_textf(t, y + i, xd, 12, "%12s", it->disputed);
		if (cols >= xp)
			tui_textf(t, y + i, xo, 17, "%.16s", opened);
		if (cols >= xn) {
			inv_ui_day(it->from, from, sizeof from);
			inv_ui_day(it->to, to, sizeof to);
			tui_textf(t, y + i, xp, 23, "%s..%s", from, to);
		}
		if (cols >= xf)
			tui_textf(t, y + i, xn, 6, "%5d", it->notes);
		if (cols >= xf + 10)
			tui_text(t, y + i, xf, cols - xf, tail(it->their_path, cols - xf, path, sizeof path));
		if (sel)
			attroff(tui_attr(t, CP_SELECT));
	}
	if (top + rows - y > p->n - p->top + 1)
		tui_text(t, y + p->n - p->top + 1, 2, cols - 2, "* the engineer's conclusion (the engine's first answer: "
		                                                "case ID --version 1)");
}

static int all_accounts(const view *v) { return v->account.id == 0; }

static int cases_handle(view *v, tui_action a, int ch)
{
	cases_priv *p = v->priv;
	tui *t = v->t;
	int page = p->list_rows > 1 ? p->list_rows - 1 : 1;
	int64_t id = p->n ? p->rows[p->sel].id : 0;
	if (ch == 'c') { /* c is CDRs elsewhere; here it closes the case */
		if (p->n && inv_ui_case_close(t, id) == 0)
			load(v);
		return 1;
	}
	switch (a) {
	case ACT_UP: if (p->sel > 0) p->sel--; return 1;
	case ACT_DOWN: if (p->sel + 1 < p->n) p->sel++; return 1;
	case ACT_PAGE_UP: p->sel = p->sel > page ? p->sel - page : 0; return 1;
	case ACT_PAGE_DOWN: p->sel = p->sel + page < p->n ? p->sel + page : (p->n ? p->n - 1 : 0); return 1;
	case ACT_HOME: p->sel = 0; return 1;
	case ACT_END: p->sel = p->n ? p->n - 1 : 0; return 1;
	case ACT_ENTER: {
		account_info acc;
		if (p->n && selected_account(v, &acc) == 0)
			tui_push(t, &view_case_report_ops, &acc);
		return 1;
	}
	case ACT_EXPORT:
		if (p->n)
			inv_ui_case_export(t, id, all_accounts(v) ? p->rows[p->sel].account : v->account.name);
		return 1;
	case ACT_NOTE:
		if (p->n && inv_ui_case_note(t, id) == 0)
			load(v);
		return 1;
	case ACT_CASES: return 1;
	default: return all_accounts(v) ? 0 : tui_open_account_view(t, a, &v->account);
	}
}

const view_ops view_cases_ops = {
	"cases", cases_open, cases_draw, cases_handle, cases_reload, cases_close,
	"Enter report  e export  a note  c close  i investigate",
};
