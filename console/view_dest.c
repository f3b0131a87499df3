/* view_dest.c: per-destination breakout of one account's calls for a
 * window (h/l cycle 3 days / a week / a month): calls, connected, minutes,
 * ASR, ACD and cost per rated prefix, on the list base (listview.h): in
 * the report's order (cost, highest first), `o` sorts by a column, `/`
 * narrows by prefix or destination as you type, `e` exports; the detail
 * line holds the selected destination whole.
 *
 * The rows are report_get_usage(..., BY_DESTINATION)'s, read from the
 * per-day destination rollups: the same figures as `billtop usage ACCOUNT
 * --window W --by destination`, and the CSV export is that command's CSV
 * (the rows shown, in the order shown). The TOTAL line is the report's
 * total, or with a `/` text the sum of the rows shown. This file lays the
 * figures out only.
 *
 * Memory: the console owns the priv (priv_size); the view owns the report
 * inside it (report_usage_free). */
#include <stdlib.h>
#include <string.h>

#include "../core/tm.h"
#include "../data/out.h"
#include "../data/report.h"
#include "../front/render.h"
#include "listview.h"
#include "lvkit.h"
#include "windowed.h"

#define NWIN 3
static const report_window WINDOWS[NWIN] = { WIN_3D, WIN_WEEK, WIN_MONTH };

typedef struct {
	listview lv;
	windowed_sel w;
	report_usage u;          /* owned: report_usage_free; u.b in the report's order */
} dest_priv;

/* A destination bucket's label is "PREFIX description": the description. */
static const char *description(const report_bucket *b)
{
	size_t n = strlen(b->prefix);
	return b->prefix[0] ? b->label + n + (b->label[n] == ' ') : b->label;
}

/* ---- the list's callbacks ------------------------------------------------ */

enum { C_PREFIX, C_DEST, C_CALLS, C_CONN, C_MIN, C_ASR, C_ACD, C_COST, C_N };

static const report_bucket *row_at(view *v, int i)
{
	return &((dest_priv *)v->priv)->u.b[i];
}

static int d_count(view *v)
{
	dest_priv *p = v->priv;
	return p->w.loaded ? p->u.n : 0;
}

static void figure(view *v, const report_bucket *b, int col, char *buf, size_t n)
{
	switch (col) {
	case C_CALLS: snprintf(buf, n, "%lld", (long long)b->calls); break;
	case C_CONN: snprintf(buf, n, "%lld", (long long)b->connected); break;
	case C_MIN: render_minutes(b->billsec_ms, buf, n); break;
	case C_ASR: render_asr(report_asr_bp(b->calls, b->connected), 1, buf, n); break;
	case C_ACD: render_acd(report_acd_ms(b->connected, b->billsec_ms), buf, n); break;
	case C_COST: money_format(b->cost, v->account.decimals, buf, n); break;
	default: buf[0] = '\0';
	}
}

static void d_cell(view *v, int i, int col, char *buf, size_t n)
{
	const report_bucket *b = row_at(v, i);
	if (col == C_PREFIX)
		snprintf(buf, n, "%s", b->prefix[0] ? b->prefix : "-");
	else if (col == C_DEST)
		snprintf(buf, n, "%s", description(b));
	else
		figure(v, b, col, buf, n);
}

static int by_prefix(view *v, int a, int b) { return strcmp(row_at(v, a)->prefix, row_at(v, b)->prefix); }
static int by_dest(view *v, int a, int b) { return strcmp(description(row_at(v, a)), description(row_at(v, b))); }
static int by_calls(view *v, int a, int b) { return lv_cmp64(row_at(v, a)->calls, row_at(v, b)->calls); }
static int by_conn(view *v, int a, int b) { return lv_cmp64(row_at(v, a)->connected, row_at(v, b)->connected); }
static int by_min(view *v, int a, int b) { return lv_cmp64(row_at(v, a)->billsec_ms, row_at(v, b)->billsec_ms); }
static int by_asr(view *v, int a, int b)
{
	const report_bucket *x = row_at(v, a), *y = row_at(v, b);
	return lv_cmp64(report_asr_bp(x->calls, x->connected), report_asr_bp(y->calls, y->connected));
}
static int by_acd(view *v, int a, int b)
{
	const report_bucket *x = row_at(v, a), *y = row_at(v, b);
	return lv_cmp64(report_acd_ms(x->connected, x->billsec_ms), report_acd_ms(y->connected, y->billsec_ms));
}
static int by_cost(view *v, int a, int b) { return lv_cmp64(row_at(v, a)->cost, row_at(v, b)->cost); }

static int d_match(view *v, int i, const char *text)
{
	const report_bucket *b = row_at(v, i);
	return strncmp(b->prefix, text, strlen(text)) == 0 || tui_contains(b->label, text);
}

static int64_t d_key(view *v, int i)
{
	/* the prefix names the destination in one report: its FNV-1a hash */
	uint64_t h = 14695981039346656037u;
	for (const char *c = row_at(v, i)->prefix; *c; c++)
		h = (h ^ (unsigned char)*c) * 1099511628211u;
	return (int64_t)(h >> 1);
}

static void d_detail(view *v, int i, char *buf, size_t n)
{
	const report_bucket *b = row_at(v, i);
	char m[32], asr[32], acd[32], cost[40];
	figure(v, b, C_MIN, m, sizeof m);
	figure(v, b, C_ASR, asr, sizeof asr);
	figure(v, b, C_ACD, acd, sizeof acd);
	figure(v, b, C_COST, cost, sizeof cost);
	snprintf(buf, n, "%s %s: %lld calls, %lld connected, %s minutes, ASR %s, ACD %s, cost %s %s",
	         b->prefix[0] ? b->prefix : "-", description(b), (long long)b->calls, (long long)b->connected, m, asr, acd,
	         cost, v->account.currency);
}

/* The TOTAL: the report's, or with a `/` text the sum of the rows shown. */
static void shown_total(view *v, report_bucket *t)
{
	dest_priv *p = v->priv;
	if (!p->lv.filter[0]) {
		*t = p->u.total;
		return;
	}
	memset(t, 0, sizeof *t);
	for (int k = 0; k < listview_shown(&p->lv); k++) {
		const report_bucket *b = row_at(v, listview_row(&p->lv, k));
		t->calls += b->calls;
		t->connected += b->connected;
		t->billsec_ms += b->billsec_ms;
		t->billed_secs += b->billed_secs;
		t->cost += b->cost;
	}
}

static void total_cell(view *v, int col, char *buf, size_t n)
{
	dest_priv *p = v->priv;
	report_bucket t;
	if (col == C_PREFIX) {
		snprintf(buf, n, "TOTAL");
		return;
	}
	if (col == C_DEST) {
		if (p->lv.filter[0])
			snprintf(buf, n, "%d of %d destinations", listview_shown(&p->lv), p->u.n);
		else
			snprintf(buf, n, "%d destinations", p->u.n);
		return;
	}
	shown_total(v, &t);
	figure(v, &t, col, buf, n);
}

static int d_export(view *v, FILE *f, tui_export_format fmt);

static const lv_column COLUMNS[C_N] = {
	[C_PREFIX] = { "PREFIX", 6, 8, LV_LEFT, 0, 0, by_prefix, 0 },
	[C_DEST] = { "DESTINATION", 12, 0, LV_LEFT, 0, 0, by_dest, 0 },
	[C_CALLS] = { "CALLS", 6, 6, LV_RIGHT, 0, 0, by_calls, 0 },
	[C_CONN] = { "CONN", 6, 6, LV_RIGHT, 0, 0, by_conn, 0 },
	[C_MIN] = { "MINUTES", 9, 9, LV_RIGHT, 0, 0, by_min, 0 },
	[C_ASR] = { "ASR", 6, 6, LV_RIGHT, 0, 0, by_asr, 0 },
	[C_ACD] = { "ACD", 6, 6, LV_RIGHT, 0, 0, by_acd, 0 },
	[C_COST] = { "CALLS COST", 11, 11, LV_RIGHT, 0, 0, by_cost, 0 },
};

static const listview_ops LIST = {
	.columns = COLUMNS,
	.ncolumns = C_N,
	.count = d_count,
	.cell = d_cell,
	.match = d_match,
	.detail = d_detail,
	.detail_lines = 1,
	.key = d_key,
	.export_rows = d_export,
	.export_kind = "destinations",
	.empty = "no calls in this window (h/l changes the window)",
};

/* ---- data ------------------------------------------------------------ */

static int load(view *v)
{
	dest_priv *p = v->priv;
	tui *t = v->t;
	report_window w = WINDOWS[p->w.win];
	int64_t from, to;
	int st;

	report_usage_free(&p->u);
	windowed_begin(v, &p->w, w, &from, &to);
	st = report_get_usage_asof(t->db, &v->account, from, to, BY_DESTINATION, tui_as_of(t), &p->u);
	snprintf(v->title, sizeof v->title, "%s  destinations  %s", v->account.name, report_window_name(w));
	if (st != DB_OK) {
		report_usage_free(&p->u);
		listview_rebuild(&p->lv, v);
		tui_set_status(t, "destinations: %s", db_errmsg(t->db));
		return -1;
	}
	p->w.loaded = 1;
	listview_rebuild(&p->lv, v); /* keeps the selected prefix */
	return 0;
}

static int dest_open(view *v)
{
	dest_priv *p = v->priv;
	listview_init(&p->lv, &LIST);
	return load(v);
}

static void dest_close(view *v)
{
	dest_priv *p = v->priv;
	listview_free(&p->lv);
	report_usage_free(&p->u);
}

static void dest_reload(view *v)
{
	load(v);
}

/* ---- drawing --------------------------------------------------------- */

static void dest_draw(view *v, int top, int rows, int cols)
{
	dest_priv *p = v->priv;
	tui *t = v->t;
	const report_usage *u = &p->u;
	int x;
	char from[24], to[24];

	tui_text(t, top, 0, 8, "window:");
	x = windowed_tabs(t, top, 8, cols, WINDOWS, NWIN, p->w.win);
	(void)x;
	tm_format(u->from, from, sizeof from);
	tm_format(u->to, to, sizeof to);
	tui_textf(t, top, cols - 25, 25, "%.10s to %.10s", from, to);
	if (!p->w.loaded) {
		tui_text(t, top + 2, 2, cols - 2, "no figures: press R to retry");
		return;
	}
	listview_draw(&p->lv, v, top + 1, rows - 2, cols);
	listview_draw_line(&p->lv, v, top + rows - 1, cols, total_cell);
}

/* ---- export ------------------------------------------------------------ */

/* The console's own text form (no command prints it): prefix and
 * description apart, in the order shown, and the sort named. */
static void write_text(FILE *f, const account_info *a, report_window w, const char *sort, const report_usage *u)
{
	char sorted[160];
	snprintf(sorted, sizeof sorted, ", sorted by %s", sort);
	windowed_heading(f, a, "destinations", w, u->from, u->to, sorted);
	fprintf(f, "%-10s %-32s %8s %9s %10s %7s %6s %12s\n", "PREFIX", "DESTINATION", "CALLS", "CONNECTED", "MINUTES",
	        "ASR", "ACD", "CALLS COST");
	for (int i = 0; i <= u->n; i++) {
		const report_bucket *k = i < u->n ? &u->b[i] : &u->total;
		char m[32], pct[32], acd[32], lab[100], cost[40];
		const char *desc = i == u->n ? "TOTAL" : description(k);
		render_minutes(k->billsec_ms, m, sizeof m);
		render_asr(report_asr_bp(k->calls, k->connected), 1, pct, sizeof pct);
		render_acd(report_acd_ms(k->connected, k->billsec_ms), acd, sizeof acd);
		out_visible(desc, lab, sizeof lab, 0);
		money_format(k->cost, a->decimals, cost, sizeof cost);
		fprintf(f, "%-10s %-32.32s %8lld %9lld %10s %7s %6s %12s\n", i < u->n ? k->prefix : "", lab,
		        (long long)k->calls, (long long)k->connected, m, pct, acd, cost);
	}
}

/* The rows shown, in the order shown, as `billtop usage --by destination`
 * writes them (CSV; unsorted and unfiltered it is that command's output),
 * or the console's text form. */
static int d_export(view *v, FILE *f, tui_export_format fmt)
{
	dest_priv *p = v->priv;
	report_usage shown = p->u;
	char sort[120];
	int n = listview_shown(&p->lv);
	if (!(shown.b = calloc((size_t)(n ? n : 1), sizeof *shown.b))) {
		tui_set_status(v->t, "export: out of memory");
		return -1;
	}
	for (int k = 0; k < n; k++)
		shown.b[k] = *row_at(v, listview_row(&p->lv, k));
	shown.n = n;
	shown_total(v, &shown.total);
	if (fmt == TUI_EXPORT_CSV) {
		render_usage_csv(f, &shown, v->account.decimals);
	} else {
		snprintf(sort, sizeof sort, "%s%s%s%s", p->lv.sort_col >= 0 ? COLUMNS[p->lv.sort_col].title : "cost",
		         p->lv.sort_rev ? ", reversed" : "", p->lv.filter[0] ? ", only /" : "", p->lv.filter);
		write_text(f, &v->account, WINDOWS[p->w.win], sort, &shown);
	}
	free(shown.b);
	return 0;
}

static int dest_export_write(FILE *f, tui_export_format fmt, void *ctx)
{
	return d_export(ctx, f, fmt);
}

/* ---- keys -------------------------------------------------------------- */

static int dest_handle(view *v, tui_action a, int ch)
{
	dest_priv *p = v->priv;
	tui *t = v->t;
	/* h/l; e: the windowed screens' file name, billtop-destinations-ACCOUNT-WINDOW */
	if (windowed_keys(v, &p->w, a, WINDOWS, NWIN, load, "destinations", dest_export_write))
		return 1;
	if (a == ACT_DESTINATIONS)
		return 1;
	if (listview_handle(&p->lv, v, a, ch))
		return 1;
	return tui_open_account_view(t, a, &v->account);
}

const view_ops view_dest_ops = {
	.name = "destinations",
	.open = dest_open,
	.draw = dest_draw,
	.handle = dest_handle,
	.reload = dest_reload,
	.close = dest_close,
	.hints = "h/l window  / narrow  o sort  e export",
	.priv_size = sizeof(dest_priv),
};
