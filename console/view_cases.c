/* view_cases.c: dispute cases, open ones first, then newest first: an
 * account's (`I` on an account), or every account's (`I` on the accounts
 * list: the view's account has id 0), on the list base (listview.h: `/`
 * narrows as you type, `o` sorts, `n` the next match, cut cells end in an
 * ellipsis and the detail lines hold the selected case whole). Columns:
 * id, status, account (all accounts), who opened it, the verdict (the
 * engineer's conclusion when there is one, marked *), the money in
 * dispute, and as the width allows the opening time, period, notes and
 * their file's name. The rows are `billtop cases [ACCOUNT]`'s
 * (inv_case_each).
 *
 * Keys: Enter reopens the case's stored report (view_case_report.c, read
 * only: a case's findings never change; its own e exports the letter); e
 * exports the list: the shown rows in their shown order, as `billtop cases
 * [ACCOUNT] --format csv|text` writes them (so an unfiltered, unsorted
 * export equals the command's output byte for byte); a adds a note; c
 * closes the case (after a yes); i starts a new investigation. Notes and
 * closing need write access (refused, with the reason, on a read-only
 * console). Another process's changes show at once (reload on
 * data_version).
 *
 * Memory: the console owns the priv (priv_size); the view owns its rows
 * (lv_rows of whole inv_case_row copies, notes dropped: only their count
 * is kept). */
#include <stdlib.h>
#include <string.h>

#include "../core/money.h"
#include "../core/tm.h"
#include "../front/text.h"
#include "inv_ui.h"
#include "listview.h"
#include "lvkit.h"

typedef struct {
	inv_case_row r;            /* notes and notes_buf NULL */
	int notes;                 /* lines of notes */
} case_item;

typedef struct {
	listview lv;               /* first: lv_draw */
	lv_rows rows;              /* case_item */
} cases_priv;

enum { C_CASE, C_STATUS, C_ACCOUNT, C_BY, C_VERDICT, C_DISPUTE, C_OPENED, C_PERIOD, C_NOTES, C_FILE, C_N };

static int collect(const inv_case_row *r, void *ctx)
{
	cases_priv *p = ctx;
	case_item *it;
	if (!(it = lv_rows_add(&p->rows)))
		return 1;
	it->r = *r;
	it->r.notes = NULL;
	it->r.notes_buf = NULL;
	for (const char *s = r->notes ? r->notes : ""; *s; s++)
		it->notes += *s == '\n';
	return 0;
}

/* ---- the list's callbacks ------------------------------------------------ */

static const case_item *row_at(view *v, int i)
{
	return lv_rows_at(&((cases_priv *)v->priv)->rows, i);
}

static int l_count(view *v)
{
	return ((cases_priv *)v->priv)->rows.n;
}

/* The verdict shown: the engineer's conclusion, marked *, or the engine's. */
static void verdict_text(const inv_case_row *r, char *buf, size_t n)
{
	snprintf(buf, n, "%s%s", r->concluded[0] ? r->concluded : r->verdict, r->versions > 1 ? "*" : "");
}

/* The file name: what tells cases apart (the path is in the detail). */
static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

static void period_text(const inv_case_row *r, char *buf, size_t n)
{
	char from[24], to[24];
	inv_ui_day(r->from, from, sizeof from);
	inv_ui_day(r->to, to, sizeof to);
	snprintf(buf, n, "%s..%s", from, to);
}

static void l_cell(view *v, int i, int col, char *buf, size_t n)
{
	const case_item *it = row_at(v, i);
	const inv_case_row *r = &it->r;
	char t[24];
	switch (col) {
	case C_CASE: snprintf(buf, n, "%lld", (long long)r->id); break;
	case C_STATUS: snprintf(buf, n, "%s", r->status); break;
	case C_ACCOUNT: snprintf(buf, n, "%s", r->account); break;
	case C_BY: snprintf(buf, n, "%s", r->operator_); break;
	case C_VERDICT: verdict_text(r, buf, n); break;
	case C_DISPUTE: snprintf(buf, n, "%s", r->disputed); break;
	case C_OPENED:
		tm_format(r->created, t, sizeof t);
		snprintf(buf, n, "%.16s", t);
		break;
	case C_PERIOD: period_text(r, buf, n); break;
	case C_NOTES: snprintf(buf, n, "%d", it->notes); break;
	case C_FILE: snprintf(buf, n, "%s", base_name(r->their_path)); break;
	default: buf[0] = '\0';
	}
}

static int by_id(view *v, int a, int b) { return lv_cmp64(row_at(v, a)->r.id, row_at(v, b)->r.id); }
static int by_status(view *v, int a, int b) { return strcmp(row_at(v, a)->r.status, row_at(v, b)->r.status); }
static int by_account(view *v, int a, int b) { return strcmp(row_at(v, a)->r.account, row_at(v, b)->r.account); }
static int by_operator(view *v, int a, int b) { return strcmp(row_at(v, a)->r.operator_, row_at(v, b)->r.operator_); }
static int by_created(view *v, int a, int b) { return lv_cmp64(row_at(v, a)->r.created, row_at(v, b)->r.created); }
static int by_notes(view *v, int a, int b) { return lv_cmp64(row_at(v, a)->notes, row_at(v, b)->notes); }

static int by_verdict(view *v, int a, int b)
{
	char x[32], y[32];
	verdict_text(&row_at(v, a)->r, x, sizeof x);
	verdict_text(&row_at(v, b)->r, y, sizeof y);
	return strcmp(x, y);
}

static int by_period(view *v, int a, int b)
{
	const inv_case_row *x = &row_at(v, a)->r, *y = &row_at(v, b)->r;
	int c = lv_cmp64(x->from, y->from);
	return c ? c : lv_cmp64(x->to, y->to);
}

static int by_file(view *v, int a, int b)
{
	return strcmp(base_name(row_at(v, a)->r.their_path), base_name(row_at(v, b)->r.their_path));
}

/* The money in dispute by value; a case without a figure sorts first. */
static int by_dispute(view *v, int a, int b)
{
	const char *x = row_at(v, a)->r.disputed, *y = row_at(v, b)->r.disputed;
	money_t mx = 0, my = 0;
	int hx = x[0] && money_parse(x, strlen(x), &mx) == MONEY_OK,
	    hy = y[0] && money_parse(y, strlen(y), &my) == MONEY_OK;
	if (hx != hy)
		return hx - hy;
	return lv_cmp64(mx, my);
}

/* The case whole: every column's text, the verdicts of both versions, the
 * path of their file (its name first: the path may be cut). */
static void l_detail(view *v, int i, char *buf, size_t n)
{
	const case_item *it = row_at(v, i);
	const inv_case_row *r = &it->r;
	char period[56], verdict[32], opened[24], engine[48] = "", dir[4096];
	size_t dlen = strlen(r->their_path) - strlen(base_name(r->their_path));
	verdict_text(r, verdict, sizeof verdict);
	if (r->versions > 1)
		snprintf(engine, sizeof engine, " (engine: %s)", r->verdict);
	period_text(r, period, sizeof period);
	tm_format(r->created, opened, sizeof opened);
	snprintf(dir, sizeof dir, "%.*s", (int)dlen, r->their_path);
	snprintf(buf, n,
	         "case %lld  %s  %s  verdict %s%s  in dispute %s %s\n"
	         "%s  opened %.16s by %s  %d note%s\n"
	         "their file %s%s%s",
	         (long long)r->id, r->status, r->account, verdict, engine, r->disputed[0] ? r->disputed : "-",
	         r->currency, period, opened, r->operator_[0] ? r->operator_ : "?", it->notes,
	         it->notes == 1 ? "" : "s", base_name(r->their_path), dlen ? " in " : "", dir);
}

static int64_t l_key(view *v, int i)
{
	return row_at(v, i)->r.id;
}

/* ---- e: `billtop cases [ACCOUNT] --format csv|text` of the shown rows ---- */

static void export_row(lv_out *x, const case_item *it)
{
	const inv_case_row *r = &it->r;
	if (x->csv_mode) {
		out_csv_int(&x->csv, r->id);
		out_csv_cell(&x->csv, r->account);
		out_csv_cell(&x->csv, r->status);
		out_csv_cell(&x->csv, r->verdict);
		out_csv_cell(&x->csv, r->concluded);
		out_csv_int(&x->csv, r->versions);
		out_csv_cell(&x->csv, r->disputed);
		out_csv_cell(&x->csv, r->currency);
		out_csv_time(&x->csv, r->created);
		out_csv_cell(&x->csv, r->operator_);
		out_csv_time(&x->csv, r->from);
		out_csv_time(&x->csv, r->to);
		out_csv_cell(&x->csv, r->their_path);
		out_csv_cell(&x->csv, r->their_format);
		out_csv_int(&x->csv, it->notes);
		out_csv_end(&x->csv);
	} else {
		char verdict[40], from[24], to[24];
		tm_format(r->from, from, sizeof from);
		tm_format(r->to, to, sizeof to);
		snprintf(verdict, sizeof verdict, "%s%s", r->concluded, r->versions > 1 ? "*" : "");
		fprintf(x->f, "%5lld  %-6s %-12s %-10s %-16s %.10s..%.10s %12s %s\n", (long long)r->id, r->status,
		        cli_vis(r->account), cli_vis(r->operator_), verdict, from, to, r->disputed, r->currency);
	}
}

static int l_export(view *v, FILE *f, tui_export_format fmt)
{
	cases_priv *p = v->priv;
	lv_out x;
	int shown = listview_shown(&p->lv);
	lv_out_init(&x, v, f, fmt);
	if (x.csv_mode) {
		static const char *const h[] = { "case", "account", "status", "verdict", "concluded", "versions",
			"disputed", "currency", "created", "operator", "from",
			"to", "their_path", "their_format", "notes", NULL };
		for (int i = 0; h[i]; i++)
			out_csv_cell(&x.csv, h[i]);
		out_csv_end(&x.csv);
	} else {
		fprintf(f, "%5s  %-6s %-12s %-10s %-16s %-22s %12s\n", "case", "status", "account", "opened by",
		        "verdict", "period", "in dispute");
	}
	for (int k = 0; k < shown && !ferror(f); k++)
		export_row(&x, row_at(v, listview_row(&p->lv, k)));
	if (!x.csv_mode)
		fprintf(f, shown ? "(open cases first; * the engineer's conclusion; in dispute: theirs - ours)\n"
		                 : "(no cases: `billtop investigate ACCOUNT --theirs FILE` opens one)\n");
	return ferror(f) ? -1 : 0;
}

/* Enter: the stored report, under the case's own account (the list of
 * every account's cases holds several). */
static void l_enter(view *v, int row)
{
	const inv_case_row *r = &row_at(v, row)->r;
	account_info acc;
	if (v->account.id) {
		acc = v->account;
	} else if (account_get(v->t->db, r->account_id, &acc) != DB_OK) {
		tui_set_status(v->t, "case %lld: %s", (long long)r->id, db_errmsg(v->t->db));
		return;
	}
	tui_push(v->t, &view_case_report_ops, &acc);
}

/* At 80 columns an account's list shows CASE..OPENED, every account's
 * CASE..OPENED too (ACCOUNT takes PERIOD's place); 132 shows them all. */
#define CASE_COLUMNS(...)                                                            \
	{                                                                                  \
		[C_CASE] = { "CASE", 5, 5, LV_RIGHT, 0, 0, by_id, 0 },                         \
		[C_STATUS] = { "STATUS", 6, 6, LV_LEFT, 0, 0, by_status, 0 },                  \
		[C_ACCOUNT] = __VA_ARGS__,                                                     \
		[C_BY] = { "OPENED BY", 10, 10, LV_LEFT, 0, 0, by_operator, 0 },               \
		[C_VERDICT] = { "VERDICT", 14, 16, LV_LEFT, 0, 0, by_verdict, 0 },             \
		[C_DISPUTE] = { "IN DISPUTE", 12, 12, LV_RIGHT, 0, 0, by_dispute, 0 },         \
		[C_OPENED] = { "OPENED (UTC)", 16, 16, LV_LEFT, 1, 0, by_created, 0 },         \
		[C_PERIOD] = { "PERIOD (UTC)", 22, 22, LV_LEFT, 2, 0, by_period, 0 },          \
		[C_NOTES] = { "NOTES", 5, 5, LV_RIGHT, 3, 0, by_notes, 0 },                    \
		[C_FILE] = { "THEIR FILE", 10, 0, LV_LEFT, 4, 0, by_file, 0 },                 \
	}

/* one account: no ACCOUNT column (wide_only past any terminal) */
static const lv_column COLUMNS_ONE[C_N] =
	CASE_COLUMNS({ "ACCOUNT", 10, 13, LV_LEFT, 0, 1 << 30, by_account, 0 });
static const lv_column COLUMNS_ALL[C_N] =
	CASE_COLUMNS({ "ACCOUNT", 10, 13, LV_LEFT, 0, 0, by_account, 0 });

#define CASE_OPS(COLS, EMPTY)                                                           \
	{                                                                                   \
		.columns = COLS, .ncolumns = C_N, .count = l_count, .cell = l_cell,            \
		.detail = l_detail, .detail_lines = 3, .key = l_key, .export_rows = l_export,  \
		.export_kind = "cases", .empty = EMPTY, .enter = l_enter,                      \
	}
static const listview_ops LIST_ONE =
	CASE_OPS(COLUMNS_ONE, "No cases for this account yet: i starts an investigation.");
static const listview_ops LIST_ALL = CASE_OPS(COLUMNS_ALL, "No cases yet: i on an account starts an investigation.");

/* ---- the view -------------------------------------------------------------- */

static int load(view *v)
{
	cases_priv *p = v->priv;
	int st;
	lv_rows_clear(&p->rows, NULL);
	st = inv_case_each(v->t->db, v->account.id, collect, p);
	listview_rebuild(&p->lv, v);
	if (v->account.id)
		snprintf(v->title, sizeof v->title, "%.60s  dispute cases (%d)", v->account.name, p->rows.n);
	else
		snprintf(v->title, sizeof v->title, "dispute cases, every account (%d)", p->rows.n);
	return lv_load_end(v, "cases", st, p->rows.oom);
}

static int cases_open(view *v)
{
	cases_priv *p = v->priv;
	listview_init(&p->lv, v->account.id ? &LIST_ONE : &LIST_ALL);
	p->rows.size = sizeof(case_item);
	return load(v);
}

static void cases_close(view *v)
{
	cases_priv *p = v->priv;
	lv_rows_free(&p->rows, NULL);
	listview_free(&p->lv);
}

static void cases_reload(view *v)
{
	load(v);
}

int view_cases_selected(const view *v, int64_t *id)
{
	const cases_priv *p;
	int row;
	if (!v || v->ops != &view_cases_ops || !(p = v->priv) || (row = listview_selected(&p->lv)) < 0)
		return -1;
	*id = ((const case_item *)lv_rows_at(&p->rows, row))->r.id;
	return 0;
}

static int cases_handle(view *v, tui_action a, int ch)
{
	cases_priv *p = v->priv;
	tui *t = v->t;
	int64_t id;
	int have = view_cases_selected(v, &id) == 0;
	if (ch == 'c') { /* c is CDRs elsewhere; here it closes the case */
		if (have && inv_ui_case_close(t, id) == 0)
			load(v);
		return 1;
	}
	if (listview_handle(&p->lv, v, a, ch))
		return 1;
	switch (a) {
	case ACT_NOTE:
		if (have && inv_ui_case_note(t, id) == 0)
			load(v);
		return 1;
	case ACT_CASES: return 1;
	default: return v->account.id == 0 ? 0 : tui_open_account_view(t, a, &v->account);
	}
}

const view_ops view_cases_ops = {
	.name = "cases",
	.open = cases_open,
	.draw = lv_draw,
	.handle = cases_handle,
	.reload = cases_reload,
	.close = cases_close,
	.hints = "/ filter  o sort  e export  a note  c close  i new case",
	.priv_size = sizeof(cases_priv),
};
