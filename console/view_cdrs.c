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
 * inside it (lvwin_free in close). */
#include <stdlib.h>
#include <string.h>

#include "../core/tm.h"
#include "../data/cdrq.h"
#include "../data/store.h"
#include "../front/render.h"
#include "listview.h"
#include "lvwin.h"

typedef struct {
	listview lv;
	lvwin w;
	/* filters: texts as typed, and their parsed forms */
	char from_text[40], to_text[40], number[64], disposition[40], prefix[RATE_PREFIX_MAX + 1];
	int64_t from, to;
	int unrated;
} cdrs_priv;

typedef struct {
	cdrq_row *out;
	int n, max;
} collect_ctx;

static int collect(const cdrq_row *r, void *ctx)
{
	collect_ctx *c = ctx;
	c->out[c->n++] = *r;
	return c->n >= c->max;
}

static void base_filter(const cdrs_priv *p, cdrq_filter *f)
{
	memset(f, 0, sizeof *f);
	f->from = p->from;
	f->to = p->to;
	f->unrated_only = p->unrated;
	f->number = p->number[0] ? p->number : NULL;
	f->disposition = p->disposition[0] ? p->disposition : NULL;
	f->prefix = p->prefix[0] ? p->prefix : NULL;
}

/* lvwin's read: one keyset query. */
static int w_read(view *v, lvwin_dir dir, const lvwin_key *k, int limit, void *out)
{
	tui *t = v->t;
	collect_ctx c = { out, 0, limit };
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
	if (st != DB_OK) {
		if (!t->cancelled)
			tui_set_status(t, "calls: %s", db_errmsg(t->db));
		return -1;
	}
	return c.n;
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
	char f[120] = "";
	size_t k = 0;
#define ADD(...) (k < sizeof f ? (k += (size_t)snprintf(f + k, sizeof f - k, __VA_ARGS__)) : k)
	if (p->from_text[0]) ADD(" >=%s", p->from_text);
	if (p->to_text[0]) ADD(" <%s", p->to_text);
	if (p->number[0]) ADD(" ~%s", p->number);
	if (p->disposition[0]) ADD(" %s", p->disposition);
	if (p->prefix[0]) ADD(" p%s", p->prefix);
	if (p->unrated) ADD(" unrated");
#undef ADD
	/* compact, so that a filter or two still fit the 80-column title */
	if (f[0])
		snprintf(v->title, sizeof v->title, "%.48s  calls [%.80s]%s", v->account.name, f + 1,
		         p->w.newer_waiting ? " (newer: Home)" : "");
	else
		snprintf(v->title, sizeof v->title, "%.64s  calls%s", v->account.name,
		         p->w.newer_waiting ? " (newer above: Home)" : ", newest first");
}

/* ---- the list's callbacks ------------------------------------------------ */

enum { C_START, C_START16, C_FROM, C_TO, C_DISP, C_BILLSEC, C_PREFIX, C_BILLED, C_COST, C_CNAM, C_STATE, C_N };
#define WIDE 124               /* from here: seconds, prefix, CNAM, state */

static const cdrq_row *row_at(view *v, int i)
{
	return lvwin_row(&((cdrs_priv *)v->priv)->w, i);
}

static int c_count(view *v)
{
	return ((cdrs_priv *)v->priv)->w.n;
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

static int cmp64(int64_t a, int64_t b)
{
	return (a > b) - (a < b);
}

static int by_start(view *v, int a, int b)
{
	int c = cmp64(row_at(v, a)->start, row_at(v, b)->start);
	return c ? c : cmp64(row_at(v, a)->id, row_at(v, b)->id);
}
static int by_from(view *v, int a, int b) { return strcmp(row_at(v, a)->src, row_at(v, b)->src); }
static int by_to(view *v, int a, int b) { return strcmp(row_at(v, a)->dst, row_at(v, b)->dst); }
static int by_disp(view *v, int a, int b) { return strcmp(row_at(v, a)->disposition, row_at(v, b)->disposition); }
static int by_billsec(view *v, int a, int b) { return cmp64(row_at(v, a)->billsec_ms, row_at(v, b)->billsec_ms); }
static int by_prefix(view *v, int a, int b) { return strcmp(row_at(v, a)->prefix, row_at(v, b)->prefix); }
static int by_billed(view *v, int a, int b) { return cmp64(row_at(v, a)->billed_secs, row_at(v, b)->billed_secs); }
static int by_cost(view *v, int a, int b) { return cmp64(row_at(v, a)->cost, row_at(v, b)->cost); }
static int by_cnam(view *v, int a, int b) { return cmp64(row_at(v, a)->cnam_cost, row_at(v, b)->cnam_cost); }
static int by_state(view *v, int a, int b) { return cmp64(row_at(v, a)->state, row_at(v, b)->state); }

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
	snprintf(buf, n, "%s  %s%s  prefix %s  CNAM %s  total %s  clid %s  %s -> %s", r->record_id,
	         store_cdr_state_name(r->state), r->suspended ? " (started while SUSPENDED)" : "",
	         r->prefix[0] ? r->prefix : "-", cnam, total, r->clid[0] ? r->clid : "-", r->src, r->dst);
}

static void c_status(view *v, char *buf, size_t n)
{
	cdrs_priv *p = v->priv;
	snprintf(buf, n, "%s", p->w.at_newest && p->w.at_oldest ? "every call" : p->w.at_oldest ? "the oldest loaded"
	                       : p->w.at_newest ? "the newest loaded; more below" : "loaded; more either way");
}

static int c_more(view *v, lv_more which)
{
	cdrs_priv *p = v->priv;
	int changed = lvwin_more(&p->w, v, which);
	set_title(v);
	return changed;
}

static int c_export(view *v, FILE *f, tui_export_format fmt);

static const lv_column COLUMNS[C_N] = {
	[C_START] = { "START (UTC)", 19, 19, LV_LEFT, 0, WIDE, by_start, 0 },
	[C_START16] = { "START (UTC)", 16, 16, LV_LEFT, 0, 0, by_start, WIDE },
	[C_FROM] = { "FROM", 12, 16, LV_LEFT, 0, 0, by_from, 0 },
	[C_TO] = { "TO", 14, 16, LV_LEFT, 0, 0, by_to, 0 },
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
	.count = c_count,
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
	int st = lvwin_newest(&p->w, v);
	listview_rebuild(&p->lv, v);
	p->lv.sel = 0;
	set_title(v);
	return st;
}

static int cdrs_open(view *v)
{
	cdrs_priv *p = v->priv;
	listview_init(&p->lv, &LIST);
	if (lvwin_init(&p->w, &WINDOW_OPS) != 0) {
		tui_set_status(v->t, "calls: out of memory");
		return -1;
	}
	p->from = INT64_MIN;
	p->to = INT64_MAX;
	return load_newest(v);
}

static void cdrs_close(view *v)
{
	cdrs_priv *p = v->priv;
	listview_free(&p->lv);
	lvwin_free(&p->w);
}

/* Another process wrote. On the newest call, follow the newest calls;
 * scrolled down, re-read the same window in place (a late call may land
 * in it) and only note that newer calls are waiting. */
static void cdrs_reload(view *v)
{
	cdrs_priv *p = v->priv;
	int following = p->lv.sel == 0 && p->lv.sort_col < 0 && !p->lv.filter[0];
	lvwin_reload(&p->w, v, following);
	listview_rebuild(&p->lv, v);
	if (following)
		p->lv.sel = 0;
	set_title(v);
}

/* ---- filters ------------------------------------------------------------ */

/* Copy a prompt's text into a filter field, cut to fit (NUL-terminated). */
static void copy_text(char *dst, size_t n, const char *src)
{
	size_t len = strlen(src);
	if (len >= n)
		len = n - 1;
	memcpy(dst, src, len);
	dst[len] = '\0';
}

static void ask_filter(view *v)
{
	cdrs_priv *p = v->priv;
	tui *t = v->t;
	char which[2] = "", buf[64];
	int64_t when;
	/* a menu: one key picks, Esc leaves it */
	which[0] = (char)tui_ask_key(t, "filter: f from  t to  n number  d disposition  p prefix  u unrated  x clear:",
	                             "ftndpux");
	if (!which[0])
		return;
	switch (which[0]) {
	case 'f':
	case 't':
		if (!tui_prompt(t, which[0] == 'f' ? "from (YYYY-MM-DD[ HH:MM], UTC; empty: any):"
		                                   : "to, exclusive (YYYY-MM-DD[ HH:MM], UTC; empty: any):",
		                which[0] == 'f' ? p->from_text : p->to_text, buf, sizeof buf))
			return;
		if (buf[0] && tm_parse_utc(buf, strlen(buf), &when) != TM_OK) {
			tui_set_status(t, "filter: \"%s\" is not a time (YYYY-MM-DD[ HH:MM[:SS]])", buf);
			return;
		}
		if (which[0] == 'f') {
			copy_text(p->from_text, sizeof p->from_text, buf);
			p->from = buf[0] ? when : INT64_MIN;
		} else {
			copy_text(p->to_text, sizeof p->to_text, buf);
			p->to = buf[0] ? when : INT64_MAX;
		}
		break;
	case 'n':
		if (!tui_prompt(t, "number contains (from or to; empty: any):", p->number, buf, sizeof buf))
			return;
		copy_text(p->number, sizeof p->number, buf);
		break;
	case 'd':
		if (!tui_prompt(t, "disposition (ANSWERED, NO ANSWER, BUSY, FAILED...; empty: any):", p->disposition, buf,
		                sizeof buf))
			return;
		copy_text(p->disposition, sizeof p->disposition, buf);
		break;
	case 'p':
		if (!tui_prompt(t, "destination rate prefix (as rated, e.g. 44; empty: any):", p->prefix, buf, sizeof buf))
			return;
		snprintf(p->prefix, sizeof p->prefix, "%.*s", (int)sizeof p->prefix - 1, buf);
		break;
	case 'u':
		p->unrated = !p->unrated;
		break;
	case 'x':
		p->from_text[0] = p->to_text[0] = p->number[0] = p->disposition[0] = p->prefix[0] = '\0';
		p->from = INT64_MIN;
		p->to = INT64_MAX;
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
	FILE *f;
	out_csv csv;
	int csv_mode, d;
	int64_t n;
	money_t total;
} export_ctx;

static int write_one(const cdrq_row *r, void *ctx)
{
	export_ctx *x = ctx;
	x->n++;
	x->total += r->cost + r->cnam_cost;
	if (x->csv_mode)
		render_cdr_csv_row(&x->csv, r, x->d);
	else
		render_cdr_text_row(x->f, r, x->d);
	return ferror(x->f) != 0; /* stop at a full disk */
}

/* The whole filtered set (not only the window), newest first, in the form
 * of `billtop cdrs --format csv` or `billtop cdrs`. Esc cancels. */
static int write_calls(FILE *f, tui_export_format fmt, void *ctx)
{
	view *v = ctx;
	tui *t = v->t;
	export_ctx x;
	cdrq_filter flt;
	int st;
	memset(&x, 0, sizeof x);
	x.f = f;
	x.csv_mode = fmt == TUI_EXPORT_CSV;
	x.d = v->account.decimals;
	out_csv_init(&x.csv, f);
	if (x.csv_mode)
		render_cdr_csv_header(&x.csv);
	else
		render_cdr_text_header(f);
	base_filter(v->priv, &flt);
	tui_busy_begin(t, "exporting calls");
	st = cdrq_each(t->db, &v->account, &flt, write_one, &x);
	tui_busy_end(t);
	if (st != DB_OK) {
		tui_set_status(t, "export %s: the file is incomplete",
		               t->cancelled ? "cancelled" : db_errmsg(t->db));
		return -1;
	}
	if (!x.csv_mode)
		render_cdr_text_footer(f, x.n, x.total, x.d, v->account.currency);
	return 0;
}

/* e: the whole filtered set; with a `/` text, the rows shown. */
static int c_export(view *v, FILE *f, tui_export_format fmt)
{
	cdrs_priv *p = v->priv;
	export_ctx x;
	if (!p->lv.filter[0] && p->lv.sort_col < 0)
		return write_calls(f, fmt, v);
	memset(&x, 0, sizeof x);
	x.f = f;
	x.csv_mode = fmt == TUI_EXPORT_CSV;
	x.d = v->account.decimals;
	out_csv_init(&x.csv, f);
	if (x.csv_mode)
		render_cdr_csv_header(&x.csv);
	else
		render_cdr_text_header(f);
	for (int k = 0; k < listview_shown(&p->lv); k++)
		write_one(row_at(v, listview_row(&p->lv, k)), &x);
	if (!x.csv_mode)
		render_cdr_text_footer(f, x.n, x.total, x.d, v->account.currency);
	return 0;
}

static void cdrs_draw(view *v, int top, int rows, int cols)
{
	cdrs_priv *p = v->priv;
	listview_draw(&p->lv, v, top, rows, cols);
}

static int cdrs_handle(view *v, tui_action a, int ch)
{
	cdrs_priv *p = v->priv;
	tui *t = v->t;
	if (listview_handle(&p->lv, v, a, ch))
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
	if (!v || v->ops != &view_cdrs_ops || !(p = v->priv) || (sel = listview_selected(&p->lv)) < 0)
		return -1;
	*cdr_id = ((const cdrq_row *)lvwin_row(&p->w, sel))->id;
	return 0;
}

const view_ops view_cdrs_ops = {
	"calls", cdrs_open, cdrs_draw, cdrs_handle, cdrs_reload, cdrs_close,
	"Enter explain  f filter  / narrow  o sort  e export", sizeof(cdrs_priv),
};
