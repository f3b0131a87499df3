/* view_statement.c: one account's statement for a month or a year: opening
 * balance, the period's MRC, NRC and other ledger transactions, totals by
 * kind, usage (calls, messaging, CNAM) and the closing balance. The figures
 * are those of `billtop statement ACCOUNT --month YYYY-MM` (or `--year
 * YYYY`: one report_get_statement call); `e` writes the very same text or
 * CSV through render.c.
 *
 * Keys: Y switches month / year; Left/h/[ and Right/l/] move a month (a
 * year); Up/Down/PgUp/PgDn/Home/End scroll the transactions; e exports.
 * At 132 columns and more the summary uses the width (each line whole,
 * the re-rating corrections listed). Memory: the view owns its
 * report_statement (freed on reload and close). */
#include <stdlib.h>
#include <string.h>

#include "../core/columns.h"
#include "../core/tm.h"
#include "../data/out.h"
#include "../data/report.h"
#include "../front/render.h"
#include "tui.h"

typedef struct {
	int year, month;           /* the period shown (month unused by year) */
	int by_year;               /* Y: the whole year, as `--year` */
	report_statement s;        /* owned; report_statement_free */
	int loaded;
	int top;                   /* first transaction shown */
	int list_rows;             /* lines for transactions, from the last draw */
	int shown;                 /* transactions drawn by the last draw */
	char label[16];            /* "2026-11", or "2026" by year */
} stmt_priv;

static void period_range(const stmt_priv *p, int64_t *from, int64_t *to)
{
	int y = p->year, m = p->month;
	if (p->by_year) {
		*from = tm_month_start(y, 1);
		*to = tm_month_start(y + 1, 1);
		return;
	}
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
	period_range(p, &from, &to);
	if (report_get_statement_asof(t->db, &v->account, from, to, tui_as_of(t), &s) != DB_OK) {
		tui_set_status(t, "statement: %s", db_errmsg(t->db));
		return -1;
	}
	if (p->loaded)
		report_statement_free(&p->s);
	p->s = s;
	p->loaded = 1;
	if (p->by_year)
		snprintf(p->label, sizeof p->label, "%04d", p->year);
	else
		snprintf(p->label, sizeof p->label, "%04d-%02d", p->year, p->month);
	if (p->top > p->s.n)
		p->top = 0;
	snprintf(v->title, sizeof v->title, "%s  statement %s", v->account.name, p->label);
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

/* The heading: the period and its bounds, and the note on its state. The
 * note goes on the same line when it fits whole, else on the next one;
 * returns the lines used (1 or 2). */
static int heading(view *v, int y, int cols)
{
	stmt_priv *p = v->priv;
	tui *t = v->t;
	const report_statement *s = &p->s;
	char from[24], to[24], head[160], note[160] = "";
	int attr = 0, hw;

	tm_format(s->from, from, sizeof from);
	tm_format(s->to, to, sizeof to);
	snprintf(head, sizeof head, "Statement %s (%s)  %.10s to %.10s UTC", p->label, v->account.currency, from, to);
	if (s->recent) {
		snprintf(note, sizeof note, "late CDRs may still arrive (the period ended less than 24 hours ago)");
		attr = tui_attr(t, CP_WARN);
	} else if (s->to_date) {
		/* the period has not ended: its figures to the as-of time */
		snprintf(note, sizeof note, "%s", s->scheduled ? "to date, + scheduled" : "to date");
		attr = tui_attr(t, CP_DIM);
	}
	attron(A_BOLD);
	tui_text(t, y, 0, cols, head);
	attroff(A_BOLD);
	if (!note[0])
		return 1;
	hw = col_width(head) + 2;
	attron(attr);
	if (hw + col_width(note) <= cols) {
		tui_text(t, y, hw, cols - hw, note);
		attroff(attr);
		return 1;
	}
	tui_text(t, y + 1, 2, cols - 2, note);
	attroff(attr);
	return 2;
}

/* The totals, on SUMMARY_LINES lines above the closing balance: ledger
 * kinds left, usage right (the statement's figures). At 132 columns and
 * more each usage line is whole on one line and the re-rating corrections
 * included in the calls line are listed (two rows). */
#define SUMMARY_LINES 7

static void summary(view *v, int y, int cols)
{
	stmt_priv *p = v->priv;
	tui *t = v->t;
	const report_statement *s = &p->s;
	int d = v->account.decimals, wide = cols >= 132;
	int lw = wide ? 60 : 38, rx = lw + 2, rw = wide ? cols - rx : 40;
	char line[160], min[32];
	int ly = y + 1, ry = y + 1;

	tui_hline(t, y, 0, cols);
	render_billed_minutes(s->billed_secs, min, sizeof min);
	cell(t, ly++, 0, lw, "MRC (monthly recurring)", -s->mrc, d);
	cell(t, ly++, 0, lw, "NRC (non-recurring)", -s->nrc, d);
	cell(t, ly++, 0, lw, "Deposits and payments", s->credits, d);
	cell(t, ly++, 0, lw, "E911 fees", -s->e911, d);
	cell(t, ly++, 0, lw, "Adjustments", s->adjustments, d);
	if (wide) {
		snprintf(line, sizeof line, "Calls: %lld (%lld connected), %s min billed", (long long)s->calls,
		         (long long)s->connected, min);
		cell(t, ry++, rx, rw, line, -s->usage_calls, d);
		/* the corrections included in the calls line above: two rows */
		int shown = s->ncorr > 2 ? 1 : s->ncorr;
		for (int i = 0; i < shown; i++) {
			char memo[100];
			out_visible(s->corr[i].memo, memo, sizeof memo, 0);
			snprintf(line, sizeof line, "  incl. rerate #%lld, %lld calls: %s", (long long)s->corr[i].run_id,
			         (long long)s->corr[i].calls, memo);
			cell(t, ry++, rx, rw, line, -s->corr[i].delta, d);
		}
		if (s->ncorr > shown) {
			attron(tui_attr(t, CP_DIM));
			tui_textf(t, ry++, rx, rw, "  and %d more corrections (e exports them all)", s->ncorr - shown);
			attroff(tui_attr(t, CP_DIM));
		}
	} else {
		tui_textf(t, ry++, rx, cols - rx, "Calls: %lld (%lld connected)", (long long)s->calls,
		          (long long)s->connected);
		snprintf(line, sizeof line, "  %s min billed", min);
		cell(t, ry++, rx, rw, line, -s->usage_calls, d);
	}
	snprintf(line, sizeof line, "Messaging: %lld messages", (long long)s->msgs);
	cell(t, ry++, rx, rw, line, -s->usage_msg, d);
	snprintf(line, sizeof line, "CNAM: %lld lookups", (long long)s->cnam_lookups);
	cell(t, ry++, rx, rw, line, -(s->usage_cnam + s->cnam_fees), d);
}

#define MEMO_LINES 16

/* A memo (already made visible) broken into lines of `w` columns, at the
 * last blank that fits where there is one: off[] and len[] get each line's
 * bytes (at most MEMO_LINES; the last takes the rest). Returns the lines. */
static int memo_lines(const char *vis, int w, size_t *off, size_t *len)
{
	size_t at = 0;
	int n = 0;
	if (w < 1)
		w = 1;
	do {
		size_t k = col_fit(vis + at, w, NULL), b = k;
		if (vis[at + k] && n < MEMO_LINES - 1) {
			while (b > 0 && vis[at + b] != ' ')
				b--;
			if (b == 0)
				b = k ? k : 1;
		} else if (vis[at + k]) {
			b = strlen(vis + at);   /* the last line: tui_text ends it with an ellipsis */
		}
		off[n] = at;
		len[n++] = b;
		at += b;
		while (vis[at] == ' ')
			at++;
	} while (vis[at] && n < MEMO_LINES);
	return n;
}

static int entry_lines(const view *v, const report_entry *e, int memo_w)
{
	char vis[600];
	size_t off[MEMO_LINES], len[MEMO_LINES];
	out_visible(e->memo, vis, sizeof vis, v->t->ascii);
	return memo_lines(vis, memo_w, off, len);
}

/* The transactions from p->top on, each memo whole on as many lines as it
 * needs (a memo longer than the space left ends with an ellipsis; e exports
 * it whole). Keeps the last page full: top is moved up while the entries
 * from it to the end fit. */
static void draw_entries(view *v, int y, int end, int cols)
{
	stmt_priv *p = v->priv;
	tui *t = v->t;
	const report_statement *s = &p->s;
	int d = v->account.decimals, memo_w = cols - 49 > 1 ? cols - 49 : 1, used = 0;

	for (int i = s->n - 1; i >= 0; i--) {   /* the last page: as many as fit */
		used += entry_lines(v, &s->e[i], memo_w);
		if (used > end - y)
			break;
		if (p->top > i)
			p->top = i;
	}
	if (p->top >= s->n)
		p->top = s->n > 0 ? s->n - 1 : 0;
	p->shown = 0;
	for (int i = p->top; i < s->n && y < end; i++) {
		const report_entry *e = &s->e[i];
		char at[24], m[40], vis[600];
		size_t off[MEMO_LINES], len[MEMO_LINES];
		int n;
		out_visible(e->memo, vis, sizeof vis, t->ascii);
		n = memo_lines(vis, memo_w, off, len);
		if (y + n > end && p->shown > 0)
			break;   /* the next page shows it whole */
		tm_format(e->at, at, sizeof at);
		money_format(e->amount, d, m, sizeof m);
		tui_textf(t, y, 0, 49, "%-19s  %-10s  %14s", at, e->kind, m);
		for (int k = 0; k < n && y < end; k++, y++) {
			char part[600];
			/* the screen's last line for it takes the rest (cut with a sign) */
			snprintf(part, sizeof part, "%.*s", (int)(y == end - 1 ? strlen(vis + off[k]) : len[k]), vis + off[k]);
			tui_text(t, y, 49, memo_w, part);
		}
		p->shown++;
	}
}

static void stmt_draw(view *v, int top, int rows, int cols)
{
	stmt_priv *p = v->priv;
	tui *t = v->t;
	const report_statement *s = &p->s;
	const account_info *a = &v->account;
	int d = a->decimals, y = top, bottom = top + rows, sum = SUMMARY_LINES;
	char from[24], to[24], m[40];

	tm_format(s->from, from, sizeof from);
	tm_format(s->to, to, sizeof to);
	y += heading(v, y, cols);
	attron(A_BOLD);
	tui_textf(t, y++, 0, cols, "%-19s  %-10s  %14s  %s", "DATE (UTC)", "KIND", "AMOUNT", "MEMO");
	attroff(A_BOLD);
	money_format(s->opening, d, m, sizeof m);
	tui_textf(t, y++, 0, cols, "%-19s  %-10s  %14s  %s", from, "", m, "opening balance");

	/* the transactions: what is left above the summary */
	p->list_rows = bottom - sum - y;
	if (p->list_rows < 1)
		p->list_rows = 1;
	if (s->n == 0)
		tui_text(t, y, 2, cols - 2, p->by_year ? "no MRC, NRC or other ledger transactions in this year"
		                                       : "no MRC, NRC or other ledger transactions in this month");
	draw_entries(v, y, y + p->list_rows, cols);
	if (p->shown < s->n) {
		attron(tui_attr(t, CP_DIM));
		tui_textf(t, bottom - sum - 1 < y ? y : bottom - sum - 1, cols - 20, 20, "%d-%d of %d", p->top + 1,
		          p->top + p->shown, s->n);
		attroff(tui_attr(t, CP_DIM));
	}

	summary(v, bottom - sum, cols);
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

/* h/l: the previous or next month (by year: year). */
static void move_period(view *v, int delta)
{
	stmt_priv *p = v->priv;
	int y = p->year, m = p->month, old_y = p->year, old_m = p->month;
	if (p->by_year) {
		y += delta;
	} else if ((m += delta) < 1) {
		m = 12;
		y--;
	} else if (m > 12) {
		m = 1;
		y++;
	}
	if (y < 1970 || y > 9999) {
		tui_set_status(v->t, "statement: no periods before 1970 or after 9999");
		return;
	}
	p->year = y;
	p->month = m;
	p->top = 0;
	if (load(v) != 0) {
		/* keep showing the period that loaded (the status says why) */
		p->year = old_y;
		p->month = old_m;
	}
}

/* Y: the year of the month shown, or back to that month. */
static void toggle_year(view *v)
{
	stmt_priv *p = v->priv;
	p->by_year = !p->by_year;
	p->top = 0;
	if (load(v) != 0)
		p->by_year = !p->by_year;
}

static int stmt_handle(view *v, tui_action a, int ch)
{
	stmt_priv *p = v->priv;
	int page = p->shown > 1 ? p->shown - 1 : 1;
	if (a != ACT_DOWN && tui_scroll(a, &p->top, page, p->s.n))
		return 1;
	switch (a) {
	case ACT_LEFT: move_period(v, -1); return 1;
	case ACT_RIGHT: move_period(v, +1); return 1;
	case ACT_PERIOD: toggle_year(v); return 1;
	case ACT_DOWN: if (p->top + p->shown < p->s.n) p->top++; return 1;
	case ACT_EXPORT: export(v); return 1;
	case ACT_STATEMENT: return 1;
	default: return tui_open_account_view(v->t, a, &v->account);
	}
}

const view_ops view_statement_ops = {
	.name = "statement",
	.open = stmt_open,
	.draw = stmt_draw,
	.handle = stmt_handle,
	.reload = stmt_reload,
	.close = stmt_close,
	.hints = "h/l period  Y month/year  e export  c CDRs  L ledger  p post",
};
