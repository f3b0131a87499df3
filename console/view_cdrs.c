/* view_cdrs.c: one account's calls, newest first, as `billtop cdrs` lists
 * them, over any number of rows, on the list base (listview.h) with the
 * keyset window the messages list shares (lvwin.h: at most LVWIN_WINDOW
 * rows in memory, every read one keyset query, never OFFSET).
 *
 * Filters (f): from/to, number substring, disposition, rate prefix,
 * unrated only; they are the cdrq_filter of `billtop cdrs` and show in the
 * title. `/` narrows the loaded rows as you type; `o` sorts the loaded
 * rows. Enter explains the selected call (view_explain.c reads it through
 * view_cdrs_selected). e exports the whole filtered set in the CSV or text
 * form of `billtop cdrs` (render.c); with a `/` text, the rows shown.
 *
 * Memory: the console owns the priv (priv_size); the view owns its window
 * inside it (lvwin_view_close). */
#include <stdlib.h>
#include <string.h>

#include "../core/tm.h"
#include "../data/archive.h"
#include "../data/cdrq.h"
#include "../data/store.h"
#include "../front/render.h"
#include "listview.h"
#include "lvkit.h"
#include "lvwin.h"

typedef struct {
	lvwin_list l;              /* first: lv_draw, lvwin_view_* */
	/* filters: texts as typed, and their parsed forms */
	lv_period per;
	char number[64], disposition[40], prefix[RATE_PREFIX_MAX + 1];
	int unrated;
	int64_t archived;          /* PostgreSQL: calls before it archived (archive_end), 0 none */
} cdrs_priv;

static int collect(const cdrq_row *r, void *ctx)
{
	return lvwin_put(ctx, r);
}

static void base_filter(const cdrs_priv *p, cdrq_filter *f)
{
	memset(f, 0, sizeof *f);
	f->from = p->per.from;
	f->to = p->per.to;
	f->unrated_only = p->unrated;
	f->number = p->number[0] ? p->number : NULL;
	f->disposition = p->disposition[0] ? p->disposition : NULL;
	f->prefix = p->prefix[0] ? p->prefix : NULL;
}

/* lvwin's read: one keyset query. */
static int w_read(view *v, lvwin_dir dir, const lvwin_key *k, int limit, void *out)
{
	tui *t = v->t;
	lvwin_sink c = { out, sizeof(cdrq_row), 0, limit };
	cdrq_filter f;
	int st;
	base_filter(v->priv, &f);
	f.limit = limit;
	f.oldest_first = dir == LVWIN_OLDEST || dir == LVWIN_NEWER;
	if (dir == LVWIN_OLDER) {
		f.before_start = k->at;
		f.before_id = k->id;
	} else if (dir == LVWIN_NEWER) {
		f.after_start = k->at;
		f.after_id = k->id;
	}
	tui_busy_begin(t, "reading calls");
	st = cdrq_each(t->db, &v->account, &f, collect, &c);
	tui_busy_end(t);
	return lvwin_read_end(v, "calls", st, &c);
}

static lvwin_key w_key(const void *row)
{
	const cdrq_row *r = row;
	lvwin_key k = { r->start, r->id };
	return k;
}

static const lvwin_ops WINDOW_OPS = { sizeof(cdrq_row), w_read, w_key };

static void set_title(view *v)
{
	cdrs_priv *p = v->priv;
	char f[120];
	size_t k = lv_filter_text(&p->per, p->number, f, sizeof f);
#define ADD(...) (k < sizeof f ? (k += (size_t)snprintf(f + k, sizeof f - k, __VA_ARGS__)) : k)
	if (p->disposition[0]) ADD(" %s", p->disposition);
	if (p->prefix[0]) ADD(" p%s", p->prefix);
	if (p->unrated) ADD(" unrated");
#undef ADD
	/* compact, so that a filter or two still fit the 80-column title */
	if (f[0])
		snprintf(v->title, sizeof v->title, "%.48s  calls [%.80s]%s", v->account.name, f + 1,
		         p->l.w.newer_waiting ? " (newer: Home)" : "");
	else
		snprintf(v->title, sizeof v->title, "%.64s  calls%s", v->account.name,
		         p->l.w.newer_waiting ? " (newer above: Home)" : ", newest first");
	/* the listing cannot show calls `billtop archive` took out: say so
	 * when the period reaches before its end (as `billtop cdrs` notes) */
	if (p->archived && p->per.from < p->archived) {
		char m[32];
		size_t len = strlen(v->title);
		tm_format(p->archived, m, sizeof m);
		snprintf(v->title + len, sizeof v->title - len, "  (before %.7s: archived)", m);
	}
}

/* The archive's end, read when the list is (re)loaded: an archive by
 * another process shows at the next reload. */
static void read_archived(view *v)
{
	cdrs_priv *p = v->priv;
	if (archive_end(v->t->db, &p->archived) != DB_OK)
		p->archived = 0;
}

/* ---- the list's callbacks ------------------------------------------------ */

enum { C_START, C_START16, C_FROM, C_TO, C_DISP, C_BILLSEC, C_PREFIX, C_BILLED, C_COST, C_CNAM, C_STATE, C_N };
#define WIDE 124               /* from here: seconds, prefix, CNAM, state */

static const cdrq_row *row_at(view *v, int i)
{
	return lvwin_row(&((cdrs_priv *)v->priv)->l.w, i);
}

static void c_cell(view *v, int i, int col, char *buf, size_t n)
{
	const cdrq_row *r = row_at(v, i);
	int d = v->account.decimals;
	char at[24];
	switch (col) {
	case C_START: tm_format(r->start, buf, n); break;
	case C_START16:
		tm_format(r->start, at, sizeof at);
		snprintf(buf, n, "%.16s", at);
		break;
	case C_FROM: snprintf(buf, n, "%s", r->src); break;
	case C_TO: snprintf(buf, n, "%s", r->dst); break;
	case C_DISP: snprintf(buf, n, "%s", r->disposition); break;
	case C_BILLSEC: render_billsec(r->billsec_ms, buf, n); break;
	case C_PREFIX: snprintf(buf, n, "%s", r->prefix[0] ? r->prefix : "-"); break;
	case C_BILLED: snprintf(buf, n, "%lld", (long long)r->billed_secs); break;
	case C_COST: money_format(r->cost, d, buf, n); break;
	case C_CNAM: money_format(r->cnam_cost, d, buf, n); break;
	case C_STATE:
		snprintf(buf, n, "%s%s", store_cdr_state_name(r->state), r->suspended ? " SUSPENDED" : "");
		break;
	default: buf[0] = '\0';
	}
}

static int by_start(view *v, int a, int b)
{
	int c = lv_cmp64(row_at(v, a)->start, row_at(v, b)->start);
	return c ? c : lv_cmp64(row_at(v, a)->id, row_at(v, b)->id);
}
static int by_from(view *v, int a, int b) { return strcmp(row_at(v, a)->src, row_at(v, b)->src); }
static int by_to(view *v, int a, int b) { return strcmp(row_at(v, a)->dst, row_at(v, b)->dst); }
static int by_disp(view *v, int a, int b) { return strcmp(row_at(v, a)->disposition, row_at(v, b)->disposition); }
static int by_billsec(view *v, int a, int b) { return lv_cmp64(row_at(v, a)->billsec_ms, row_at(v, b)->billsec_ms); }
static int by_prefix(view *v, int a, int b) { return strcmp(row_at(v, a)->prefix, row_at(v, b)->prefix); }
static int by_billed(view *v, int a, int b) { return lv_cmp64(row_at(v, a)->billed_secs, row_at(v, b)->billed_secs); }
static int by_cost(view *v, int a, int b) { return lv_cmp64(row_at(v, a)->cost, row_at(v, b)->cost); }
static int by_cnam(view *v, int a, int b) { return lv_cmp64(row_at(v, a)->cnam_cost, row_at(v, b)->cnam_cost); }
static int by_state(view *v, int a, int b) { return lv_cmp64(row_at(v, a)->state, row_at(v, b)->state); }

static int c_attr(view *v, int i)
{
	const cdrq_row *r = row_at(v, i);
	return r->suspended ? tui_attr(v->t, CP_BAD) : r->state == CDR_UNRATED ? tui_attr(v->t, CP_WARN) : 0;
}

static int64_t c_key(view *v, int i)
{
	return row_at(v, i)->id;
}

/* The selected call whole: id, numbers, state, prefix, CNAM, caller name. */
static void c_detail(view *v, int i, char *buf, size_t n)
{
	const cdrq_row *r = row_at(v, i);
	int d = v->account.decimals;
	char cnam[40], total[40];
	money_format(r->cnam_cost, d, cnam, sizeof cnam);
	money_format(r->cost + r->cnam_cost, d, total, sizeof total);
	/* the id first (what a carrier asks for), then what the table cuts */
	snprintf(buf, n, "%s  %s%s  clid %s  %s -> %s  prefix %s  CNAM %s  total %s", r->record_id,
	         store_cdr_state_name(r->state), r->suspended ? " (started while SUSPENDED)" : "",
	         r->clid[0] ? r->clid : "-", r->src, r->dst, r->prefix[0] ? r->prefix : "-", cnam, total);
}

static void c_status(view *v, char *buf, size_t n)
{
	lvwin_status(&((cdrs_priv *)v->priv)->l.w, "every call", buf, n);
}

static int c_more(view *v, lv_more which)
{
	cdrs_priv *p = v->priv;
	int changed = lvwin_more(&p->l.w, v, which);
	set_title(v);
	return changed;
}

static int c_export(view *v, FILE *f, tui_export_format fmt);

static const lv_column COLUMNS[C_N] = {
	[C_START] = { "START (UTC)", 19, 19, LV_LEFT, 0, WIDE, by_start, 0 },
	[C_START16] = { "START (UTC)", 16, 16, LV_LEFT, 0, 0, by_start, WIDE },
	[C_FROM] = { "FROM", 12, 20, LV_LEFT, 0, 0, by_from, 0 },
	[C_TO] = { "TO", 14, 20, LV_LEFT, 0, 0, by_to, 0 },
	[C_DISP] = { "DISPOSITION", 9, 11, LV_LEFT, 0, 0, by_disp, 0 },
	[C_BILLSEC] = { "BILLSEC", 8, 9, LV_RIGHT, 0, 0, by_billsec, 0 },
	[C_PREFIX] = { "PREFIX", 8, 8, LV_LEFT, 0, WIDE, by_prefix, 0 },
	[C_BILLED] = { "BILLED", 6, 6, LV_RIGHT, 0, 0, by_billed, 0 },
	[C_COST] = { "COST", 9, 10, LV_RIGHT, 0, 0, by_cost, 0 },
	[C_CNAM] = { "CNAM", 8, 8, LV_RIGHT, 0, WIDE, by_cnam, 0 },
	[C_STATE] = { "STATE", 8, 0, LV_LEFT, 0, WIDE, by_state, 0 },
};

/* Enter: explain the call (view_explain.c reads it through
 * view_cdrs_selected). */
static void c_enter(view *v, int i)
{
	(void)i;
	tui_push(v->t, &view_explain_ops, &v->account);
}

static const listview_ops LIST = {
	.columns = COLUMNS,
	.ncolumns = C_N,
	.count = lvwin_view_count,
	.cell = c_cell,
	.detail = c_detail,
	.detail_lines = 1,
	.attr = c_attr,
	.key = c_key,
	.export_rows = c_export,
	.export_kind = "calls",
	.more = c_more,
	.empty = "no calls match (f changes the filters; f then x clears them)",
	.status = c_status,
	.enter = c_enter,
};

/* ---- the view ------------------------------------------------------------ */

static int load_newest(view *v)
{
	cdrs_priv *p = v->priv;
	int st = lvwin_load(&p->l, v);
	set_title(v);
	return st;
}

static int cdrs_open(view *v)
{
	cdrs_priv *p = v->priv;
	if (lvwin_open(&p->l, v, &WINDOW_OPS, &LIST, "calls") != 0)
		return -1;
	lv_period_clear(&p->per);
	read_archived(v);
	return load_newest(v);
}

/* Another process wrote. On the newest call, follow the newest calls;
 * scrolled down, re-read the same window in place (a late call may land
 * in it) and only note that newer calls are waiting. */
static void cdrs_reload(view *v)
{
	cdrs_priv *p = v->priv;
	int following = p->l.lv.sel == 0 && p->l.lv.sort_col < 0 && !p->l.lv.filter[0];
	read_archived(v);
	lvwin_reload(&p->l.w, v, following);
	listview_rebuild(&p->l.lv, v);
	if (following)
		p->l.lv.sel = 0;
	set_title(v);
}

/* ---- filters ------------------------------------------------------------ */

static void ask_filter(view *v)
{
	cdrs_priv *p = v->priv;
	tui *t = v->t;
	char which[2] = "";
	/* a menu: one key picks, Esc leaves it */
	which[0] = (char)tui_ask_key(t, "filter: f from  t to  n number  d disposition  p prefix  u unrated  x clear:",
	                             "ftndpux");
	if (!which[0])
		return;
	switch (which[0]) {
	case 'f':
	case 't':
		if (!lv_ask_period(t, &p->per, which[0]))
			return;
		break;
	case 'n':
		if (!lv_ask_text(t, "number contains (from or to; empty: any):", p->number, sizeof p->number))
			return;
		break;
	case 'd':
		if (!lv_ask_text(t, "disposition (ANSWERED, NO ANSWER, BUSY, FAILED...; empty: any):", p->disposition,
		                    sizeof p->disposition))
			return;
		break;
	case 'p':
		if (!lv_ask_text(t, "destination rate prefix (as rated, e.g. 44; empty: any):", p->prefix,
		                    sizeof p->prefix))
			return;
		break;
	case 'u':
		p->unrated = !p->unrated;
		break;
	case 'x':
		lv_period_clear(&p->per);
		p->number[0] = p->disposition[0] = p->prefix[0] = '\0';
		p->unrated = 0;
		break;
	default:
		tui_set_status(t, "filter: say f, t, n, d, p, u or x");
		return;
	}
	load_newest(v);
}

/* ---- export ---------------------------------------------------------------- */

typedef struct {
	lv_out o;
	int64_t n;
	money_t total;
} export_ctx;

static int write_one(const cdrq_row *r, void *ctx)
{
	export_ctx *x = ctx;
	x->n++;
	x->total += r->cost + r->cnam_cost;
	if (x->o.csv_mode)
		render_cdr_csv_row(&x->o.csv, r, x->o.d);
	else
		render_cdr_text_row(x->o.f, r, x->o.d);
	return ferror(x->o.f) != 0; /* stop at a full disk */
}

/* e: the whole filtered set (not only the window), newest first, in the
 * form of `billtop cdrs --format csv` or `billtop cdrs` (Esc cancels); with
 * a `/` text or a sort, the rows shown. */
static int c_export(view *v, FILE *f, tui_export_format fmt)
{
	cdrs_priv *p = v->priv;
	tui *t = v->t;
	export_ctx x;
	memset(&x, 0, sizeof x);
	lv_out_init(&x.o, v, f, fmt);
	if (x.o.csv_mode)
		render_cdr_csv_header(&x.o.csv);
	else
		render_cdr_text_header(f);
	if (!p->l.lv.filter[0] && p->l.lv.sort_col < 0) {
		cdrq_filter flt;
		int st;
		base_filter(p, &flt);
		tui_busy_begin(t, "exporting calls");
		st = cdrq_each(t->db, &v->account, &flt, write_one, &x);
		tui_busy_end(t);
		if (lv_export_end(t, st) != 0)
			return -1;
	} else {
		for (int k = 0; k < listview_shown(&p->l.lv); k++)
			write_one(row_at(v, listview_row(&p->l.lv, k)), &x);
	}
	if (!x.o.csv_mode)
		render_cdr_text_footer(f, x.n, x.total, x.o.d, v->account.currency);
	return 0;
}

static int cdrs_handle(view *v, tui_action a, int ch)
{
	cdrs_priv *p = v->priv;
	tui *t = v->t;
	if (listview_handle(&p->l.lv, v, a, ch))
		return 1;
	switch (a) {
	case ACT_FILTER: ask_filter(v); return 1;
	case ACT_CDRS: return 1;
	default: return tui_open_account_view(t, a, &v->account);
	}
}

int view_cdrs_selected(const view *v, int64_t *cdr_id)
{
	const cdrs_priv *p;
	int sel;
	if (!v || v->ops != &view_cdrs_ops || !(p = v->priv) || (sel = listview_selected(&p->l.lv)) < 0)
		return -1;
	*cdr_id = ((const cdrq_row *)lvwin_row(&p->l.w, sel))->id;
	return 0;
}

const view_ops view_cdrs_ops = {
	.name = "calls",
	.open = cdrs_open,
	.draw = lv_draw,
	.handle = cdrs_handle,
	.reload = cdrs_reload,
	.close = lvwin_view_close,
	.hints = "Enter explain  f filter  / narrow  o sort  e export",
	.priv_size = sizeof(cdrs_priv),
};
