/* view_statement.c: one account's statement for a month: opening balance,
 * the month's MRC, NRC and other ledger transactions, totals by kind, usage
 * (calls, messaging, CNAM) and the closing balance. The figures are those
 * of `billtop statement ACCOUNT --month YYYY-MM` (one report_get_statement
 * call); `e` writes the very same text or CSV through render.c.
 *
 * Keys: Left/h/[ and Right/l/] move a month; Up/Down/PgUp/PgDn/Home/End
 * scroll the transactions; e exports. Memory: the view owns its
 * report_statement (freed on reload and close). */
#include <stdlib.h>
#include <string.h>

#include "../core/tm.h"
#include "../data/report.h"
#include "../front/render.h"
#include "tui.h"

typedef struct {
	int year, month;           /* the period shown */
	report_statement s;        /* owned; report_statement_free */
	int loaded;
	int top;                   /* first transaction shown */
	int list_rows;             /* transactions that fit, from the last draw */
	char label[16];            /* "2026-11" */
} stmt_priv;

static void month_range(int y, int m, int64_t *from, int64_t *to)
{
	*from = tm_month_start(y, m);
	*to = m == 12 ? tm_month_start(y + 1, 1) : tm_month_start(y, m + 1);
}

/* Load the statement for p->year/p->month. On failure the previous
 * statement is kept and the status line says why; returns 0 or -1. */
static int load(view *v)
{
	stmt_priv *p = v->priv;
	tui *t = v->t;
	report_statement s;
	account_info fresh;
	int64_t from, to;

	if (account_get(t->db, v->account.id, &fresh) == DB_OK)
		v->account = fresh; /* decimals or currency may have changed */
	month_range(p->year, p->month, &from, &to);
	if (report_get_statement_asof(t->db, &v->account, from, to, tui_as_of(t), &s) != DB_OK) {
		tui_set_status(t, "statement: %s", db_errmsg(t->db));
		return -1;
	}
	if (p->loaded)
		report_statement_free(&p->s);
	p->s = s;
	p->loaded = 1;
	snprintf(p->label, sizeof p->label, "%04d-%02d", p->year, p->month);
	if (p->top > p->s.n)
		p->top = 0;
	snprintf(v->title, sizeof v->title, "%s  statement %s  (h/l month)", v->account.name, p->label);
	return 0;
}

static int stmt_open(view *v)
{
	stmt_priv *p;
	int d;
	if (!(v->priv = p = calloc(1, sizeof(stmt_priv))))
		return -1;
	/* default: the month of "now" (the clock, or the as-of time: A) */
	tm_civil_from_days(tm_floor_month(tui_as_of(v->t)) / 86400, &p->year, &p->month, &d);
	return load(v);
}

static void stmt_close(view *v)
{
	stmt_priv *p = v->priv;
	if (p && p->loaded)
		report_statement_free(&p->s);
	free(p);
}

static void stmt_reload(view *v)
{
	load(v);
}

/* One summary cell: label left, amount right, `w` columns wide. */
static void cell(tui *t, int y, int x, int w, const char *label, money_t amount, int d)
{
	char m[40];
	money_format(amount, d, m, sizeof m);
	tui_textf(t, y, x, w, "%-*.*s %14s", w - 15, w - 15, label, m);
}

static void stmt_draw(view *v, int top, int rows, int cols)
{
	stmt_priv *p = v->priv;
	tui *t = v->t;
	const report_statement *s = &p->s;
	const account_info *a = &v->account;
	int d = a->decimals, y = top, bottom = top + rows;
	int memo_w = cols - 19 - 2 - 10 - 2 - 14 - 2;
	char from[24], to[24], m[40], line[96];

	tm_format(s->from, from, sizeof from);
	tm_format(s->to, to, sizeof to);
	attron(A_BOLD);
	tui_textf(t, y, 0, cols, "Statement %s (%s)", p->label, a->currency);
	attroff(A_BOLD);
	tui_textf(t, y, 25, cols - 25, "%.10s to %.10s UTC", from, to);
	if (s->recent) {
		attron(tui_attr(t, CP_WARN));
		tui_text(t, y, 56, cols - 56, "late CDRs may still arrive");
		attroff(tui_attr(t, CP_WARN));
	} else if (s->to_date) {
		/* the period has not ended: its figures to the as-of time */
		attron(tui_attr(t, CP_DIM));
		tui_text(t, y, 56, cols - 56, s->scheduled ? "to date, + scheduled" : "to date");
		attroff(tui_attr(t, CP_DIM));
	}
	y++;
	attron(A_BOLD);
	tui_textf(t, y++, 0, cols, "%-19s  %-10s  %14s  %s", "DATE (UTC)", "KIND", "AMOUNT", "MEMO");
	attroff(A_BOLD);
	money_format(s->opening, d, m, sizeof m);
	tui_textf(t, y++, 0, cols, "%-19s  %-10s  %14s  %s", from, "", m, "opening balance");

	/* the transactions: what is left above the 7-line summary */
	p->list_rows = bottom - 7 - y;
	if (p->list_rows < 1)
		p->list_rows = 1;
	if (p->top > s->n - p->list_rows)
		p->top = s->n - p->list_rows > 0 ? s->n - p->list_rows : 0;
	if (s->n == 0)
		tui_text(t, y, 2, cols - 2, "no MRC, NRC or other ledger transactions in this month");
	for (int i = 0; i < p->list_rows && p->top + i < s->n; i++) {
		const report_entry *e = &s->e[p->top + i];
		char at[24];
		tm_format(e->at, at, sizeof at);
		money_format(e->amount, d, m, sizeof m);
		tui_textf(t, y + i, 0, 49, "%-19s  %-10s  %14s", at, e->kind, m);
		tui_text(t, y + i, 49, memo_w > 0 ? memo_w : 0, e->memo); /* made visible */
	}
	if (s->n > p->list_rows) {
		attron(tui_attr(t, CP_DIM));
		tui_textf(t, bottom - 8 < y ? y : bottom - 8, cols - 20, 20, "%d-%d of %d", p->top + 1,
		          p->top + p->list_rows < s->n ? p->top + p->list_rows : s->n, s->n);
		attroff(tui_attr(t, CP_DIM));
	}

	/* totals: ledger kinds left, usage right (the statement's figures) */
	y = bottom - 7;
	tui_hline(t, y++, 0, cols);
	cell(t, y, 0, 38, "MRC (monthly recurring)", -s->mrc, d);
	tui_textf(t, y++, 40, cols - 40, "Calls: %lld (%lld connected)", (long long)s->calls, (long long)s->connected);
	cell(t, y, 0, 38, "NRC (non-recurring)", -s->nrc, d);
	snprintf(line, sizeof line, "  %lld.%02lld min billed", (long long)(s->billed_secs / 60),
	         (long long)(s->billed_secs % 60 * 100 / 60));
	cell(t, y++, 40, 40, line, -s->usage_calls, d);
	cell(t, y, 0, 38, "Deposits and payments", s->credits, d);
	snprintf(line, sizeof line, "Messaging: %lld messages", (long long)s->msgs);
	cell(t, y++, 40, 40, line, -s->usage_msg, d);
	cell(t, y, 0, 38, "E911 fees", -s->e911, d);
	snprintf(line, sizeof line, "CNAM: %lld lookups", (long long)s->cnam_lookups);
	cell(t, y++, 40, 40, line, -(s->usage_cnam + s->cnam_fees), d);
	cell(t, y++, 0, 38, "Adjustments", s->adjustments, d);
	y = bottom - 1;
	money_format(s->closing, d, m, sizeof m);
	if (s->to_date)
		tm_format(s->as_of, to, sizeof to);
	attron(A_BOLD);
	tui_textf(t, y, 0, cols, "%s %.16s  %14s %s", s->to_date ? "Balance to date" : "Closing balance", to, m,
	          a->currency);
	attroff(A_BOLD);
	if (s->closing < 0) {
		attron(tui_attr(t, CP_BAD));
		tui_text(t, y, 54, cols - 54, "below zero");
		attroff(tui_attr(t, CP_BAD));
	}
}

/* ---- export ----------------------------------------------------------- */

static int write_statement(FILE *f, tui_export_format fmt, void *ctx)
{
	view *v = ctx;
	stmt_priv *p = v->priv;
	if (fmt == TUI_EXPORT_CSV)
		render_statement_csv(f, &v->account, &p->s);
	else
		render_statement_text(f, &v->account, &p->s, p->label);
	return 0;
}

static void export(view *v)
{
	stmt_priv *p = v->priv;
	char stem[200];
	/* refresh first: the file must show what the database says now */
	if (load(v) != 0)
		return;
	snprintf(stem, sizeof stem, "statement-%s-%s", v->account.name, p->label);
	tui_export(v->t, stem, write_statement, v);
}

static void move_month(view *v, int delta)
{
	stmt_priv *p = v->priv;
	int y = p->year, m = p->month + delta, old_y = p->year, old_m = p->month;
	if (m < 1) {
		m = 12;
		y--;
	} else if (m > 12) {
		m = 1;
		y++;
	}
	if (y < 1970 || y > 9999) {
		tui_set_status(v->t, "statement: no months before 1970 or after 9999");
		return;
	}
	p->year = y;
	p->month = m;
	p->top = 0;
	if (load(v) != 0) {
		/* keep showing the month that loaded (the status says why) */
		p->year = old_y;
		p->month = old_m;
	}
}

static int stmt_handle(view *v, tui_action a, int ch)
{
	stmt_priv *p = v->priv;
	int page = p->list_rows > 1 ? p->list_rows - 1 : 1;
	if (a != ACT_DOWN && tui_scroll(a, &p->top, page, p->s.n))
		return 1;
	switch (a) {
	case ACT_LEFT: move_month(v, -1); return 1;
	case ACT_RIGHT: move_month(v, +1); return 1;
	case ACT_DOWN: if (p->top + p->list_rows < p->s.n) p->top++; return 1;
	case ACT_EXPORT: export(v); return 1;
	case ACT_STATEMENT: return 1;
	default: return tui_open_account_view(v->t, a, &v->account);
	}
}

const view_ops view_statement_ops = {
	"statement", stmt_open, stmt_draw, stmt_handle, stmt_reload, stmt_close,
	"h/l month  e export  c CDRs  L ledger  p post",
};
