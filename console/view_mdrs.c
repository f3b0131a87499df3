/* view_mdrs.c: one account's messages (MDRs), newest first, as `billtop
 * mdrs` lists them, over any number of rows, on the list base (listview.h)
 * with the keyset window the calls list shares (lvwin.h). Opened with
 * Enter on the messaging screen (view_msg.c) or with its key from any
 * account screen.
 *
 * As of: messages dated after the console's as-of time (A, or now) are not
 * listed; the title counts them. The title's total is the charge of every
 * listed message in the period (what the statement's messaging line says
 * for the same period), not only the loaded window.
 *
 * Filters (f): from/to and a text found in from, to, type or direction.
 * `/` narrows the loaded rows as you type; `o` sorts the loaded rows. e
 * exports the whole filtered set in the CSV or text form of `billtop mdrs`
 * (render_mdr.c); with a `/` text, the rows shown.
 *
 * Memory: the console owns the priv (priv_size); the view owns its window
 * inside it. */
#include <stdlib.h>
#include <string.h>

#include "../core/tm.h"
#include "../data/mdrq.h"
#include "../front/render_mdr.h"
#include "listview.h"
#include "lvkit.h"
#include "lvwin.h"

typedef struct {
	lvwin_list l;              /* first: lv_draw, lvwin_view_* */
	lv_period per;
	char text[64];
	int64_t total_n, later_n;  /* messages listed in the period; dated after the as-of time */
	money_t total;
} mdrs_priv;

static int collect(const mdrq_row *r, void *ctx)
{
	return lvwin_put(ctx, r);
}

/* The filter as typed, cut at the as-of time: later messages are not listed. */
static void base_filter(view *v, mdrq_filter *f)
{
	mdrs_priv *p = v->priv;
	memset(f, 0, sizeof *f);
	f->from = p->per.from;
	f->to = lv_period_end(&p->per, v->t);
	f->text = p->text[0] ? p->text : NULL;
}

/* lvwin's read: one keyset query. */
static int w_read(view *v, lvwin_dir dir, const lvwin_key *k, int limit, void *out)
{
	tui *t = v->t;
	lvwin_sink c = { out, sizeof(mdrq_row), 0, limit };
	mdrq_filter flt, *f = &flt;
	int st;
	base_filter(v, f);
	f->limit = limit;
	f->oldest_first = dir == LVWIN_OLDEST || dir == LVWIN_NEWER;
	if (dir == LVWIN_OLDER) {
		f->before_at = k->at;
		f->before_id = k->id;
	} else if (dir == LVWIN_NEWER) {
		f->after_at = k->at;
		f->after_id = k->id;
	}
	tui_busy_begin(t, "reading messages");
	st = mdrq_each(t->db, &v->account, f, collect, &c);
	tui_busy_end(t);
	return lvwin_read_end(v, "messages", st, &c);
}

/* Count and charge of the period (no text filter: the statement's figure),
 * and the messages dated after the as-of time. */
static void load_sums(view *v)
{
	mdrs_priv *p = v->priv;
	mdrq_filter f;
	base_filter(v, &f);
	p->total_n = p->later_n = 0;
	p->total = 0;
	money_t ignored;
	if ((!p->text[0] && mdrq_sum(v->t->db, &v->account, f.from, f.to, &p->total_n, &p->total) != DB_OK)
	    || (f.to < p->per.to && mdrq_sum(v->t->db, &v->account, f.to > p->per.from ? f.to : p->per.from, p->per.to,
	                                     &p->later_n, &ignored) != DB_OK))
		tui_set_status(v->t, "messages: %s", db_errmsg(v->t->db));
}

/* the title for width columns (lv_title: narrow screens get the short forms) */
static void m_title(view *v, int width, char *buf, size_t n)
{
	mdrs_priv *p = v->priv;
	char tot[80] = "", tshort[80] = "", later[60] = "";
	if (!p->text[0]) {
		char m[40];
		money_format(p->total, v->account.decimals, m, sizeof m);
		snprintf(tot, sizeof tot, "  %lld, charges %s", (long long)p->total_n, m);
		snprintf(tshort, sizeof tshort, "  %lld: %s", (long long)p->total_n, m);
	}
	if (p->later_n)
		snprintf(later, sizeof later, "  (%lld later: not listed)", (long long)p->later_n);
	lv_title(v, "messages", &p->per, p->text, tot, tshort, later, width, buf, n);
}

static void set_title(view *v)
{
	m_title(v, (int)sizeof v->title - 1, v->title, sizeof v->title);
}

static lvwin_key w_key(const void *row)
{
	const mdrq_row *r = row;
	lvwin_key k = { r->at, r->id };
	return k;
}

static const lvwin_ops WINDOW_OPS = { sizeof(mdrq_row), w_read, w_key };

/* ---- the list's callbacks ------------------------------------------------ */

enum { C_TIME, C_TIME16, C_DIR, C_DIR3, C_FROM, C_TO, C_TYPE, C_SEGS, C_CHARGE, C_FLAG, C_N };
#define WIDE 100               /* from here: seconds, the direction whole */

static const mdrq_row *row_at(view *v, int i)
{
	return lvwin_row(&((mdrs_priv *)v->priv)->l.w, i);
}

static void m_cell(view *v, int i, int col, char *buf, size_t n)
{
	const mdrq_row *r = row_at(v, i);
	char at[24];
	switch (col) {
	case C_TIME: tm_format(r->at, buf, n); break;
	case C_TIME16:
		tm_format(r->at, at, sizeof at);
		snprintf(buf, n, "%.16s", at);
		break;
	case C_DIR: snprintf(buf, n, "%s", r->direction); break;
	case C_DIR3: snprintf(buf, n, "%.3s", r->direction); break; /* a short form; the detail has it whole */
	case C_FROM: snprintf(buf, n, "%s", r->src); break;
	case C_TO: snprintf(buf, n, "%s", r->dst); break;
	case C_TYPE: snprintf(buf, n, "%s", r->type); break;
	case C_SEGS: snprintf(buf, n, "%lld", (long long)r->segments); break;
	case C_CHARGE: money_format(r->cost, v->account.decimals, buf, n); break;
	case C_FLAG: snprintf(buf, n, "%s", !r->suspended ? "" : v->t->cols >= WIDE ? "SUSPENDED" : "S"); break;
	default: buf[0] = '\0';
	}
}

static int by_time(view *v, int a, int b)
{
	int c = lv_cmp64(row_at(v, a)->at, row_at(v, b)->at);
	return c ? c : lv_cmp64(row_at(v, a)->id, row_at(v, b)->id);
}
static int by_dir(view *v, int a, int b) { return strcmp(row_at(v, a)->direction, row_at(v, b)->direction); }
static int by_from(view *v, int a, int b) { return strcmp(row_at(v, a)->src, row_at(v, b)->src); }
static int by_to(view *v, int a, int b) { return strcmp(row_at(v, a)->dst, row_at(v, b)->dst); }
static int by_type(view *v, int a, int b) { return strcmp(row_at(v, a)->type, row_at(v, b)->type); }
static int by_segs(view *v, int a, int b) { return lv_cmp64(row_at(v, a)->segments, row_at(v, b)->segments); }
static int by_charge(view *v, int a, int b) { return lv_cmp64(row_at(v, a)->cost, row_at(v, b)->cost); }

static int m_attr(view *v, int i)
{
	return row_at(v, i)->suspended ? tui_attr(v->t, CP_BAD) : 0;
}

static int64_t m_key(view *v, int i)
{
	return row_at(v, i)->id;
}

static void m_detail(view *v, int i, char *buf, size_t n)
{
	const mdrq_row *r = row_at(v, i);
	char cost[40];
	money_format(r->cost, v->account.decimals, cost, sizeof cost);
	snprintf(buf, n, "%s  %s %s -> %s  %lld segment%s  charge %s%s", r->record_id, r->direction, r->src, r->dst,
	         (long long)r->segments, r->segments == 1 ? "" : "s", cost, r->suspended ? "  (while SUSPENDED)" : "");
}

static void m_status(view *v, char *buf, size_t n)
{
	lvwin_status(&((mdrs_priv *)v->priv)->l.w, "every message", buf, n);
}

static int m_export(view *v, FILE *f, tui_export_format fmt);

static const lv_column COLUMNS[C_N] = {
	[C_TIME] = { "TIME (UTC)", 19, 19, LV_LEFT, 0, WIDE, by_time, 0 },
	[C_TIME16] = { "TIME (UTC)", 16, 16, LV_LEFT, 0, 0, by_time, WIDE },
	[C_DIR] = { "DIRECTION", 9, 9, LV_LEFT, 0, WIDE, by_dir, 0 },
	[C_DIR3] = { "DIR", 3, 3, LV_LEFT, 0, 0, by_dir, WIDE },
	[C_FROM] = { "FROM", 14, 20, LV_LEFT, 0, 0, by_from, 0 },
	[C_TO] = { "TO", 14, 20, LV_LEFT, 0, 0, by_to, 0 },
	[C_TYPE] = { "TYPE", 4, 5, LV_LEFT, 0, 0, by_type, 0 },
	[C_SEGS] = { "SEGS", 4, 4, LV_RIGHT, 0, 0, by_segs, 0 },
	[C_CHARGE] = { "CHARGE", 9, 10, LV_RIGHT, 0, 0, by_charge, 0 },
	[C_FLAG] = { "", 1, 0, LV_LEFT, 0, 0, NULL, 0 },
};

static const listview_ops LIST = {
	.columns = COLUMNS,
	.ncolumns = C_N,
	.count = lvwin_view_count,
	.cell = m_cell,
	.detail = m_detail,
	.detail_lines = 1,
	.attr = m_attr,
	.key = m_key,
	.export_rows = m_export,
	.export_kind = "messages",
	.more = lvwin_view_more,
	.empty = "no messages match (f changes the filters; f then x clears them)",
	.status = m_status,
};

/* ---- the view ------------------------------------------------------------ */

static int load_newest(view *v)
{
	mdrs_priv *p = v->priv;
	int st = lvwin_load(&p->l, v);
	load_sums(v);
	set_title(v);
	return st;
}

static int mdrs_open(view *v)
{
	mdrs_priv *p = v->priv;
	if (lvwin_open(&p->l, v, &WINDOW_OPS, &LIST, "messages") != 0)
		return -1;
	lv_period_take(&p->per, v);
	return load_newest(v);
}

/* Another process wrote, or the as-of time changed: read the newest page
 * again, keeping the selected message selected when it is still there. */
static void mdrs_reload(view *v)
{
	mdrs_priv *p = v->priv;
	lvwin_newest(&p->l.w, v);
	listview_rebuild(&p->l.lv, v);
	load_sums(v);
	set_title(v);
}

/* ---- filters and export -------------------------------------------------- */

static void ask_filter(view *v)
{
	mdrs_priv *p = v->priv;
	tui *t = v->t;
	char which[8];
	if (!tui_prompt(t, "filter: f from  t to  n number/type text  x clear:", "", which, sizeof which))
		return;
	switch (which[0]) {
	case 'f':
	case 't':
		if (!lv_ask_period(t, &p->per, which[0]))
			return;
		break;
	case 'n':
		if (!lv_ask_text(t, "from, to, type or direction contains (empty: any):", p->text, sizeof p->text))
			return;
		break;
	case 'x':
		lv_period_clear(&p->per);
		p->text[0] = '\0';
		break;
	default:
		tui_set_status(t, "filter: say f, t, n or x");
		return;
	}
	load_newest(v);
}

typedef struct {
	lv_out o;
	int64_t n, segments;
	money_t total;
} export_ctx;

static int write_one(const mdrq_row *r, void *ctx)
{
	export_ctx *x = ctx;
	x->n++;
	x->segments += r->segments;
	x->total += r->cost;
	if (x->o.csv_mode)
		render_mdr_csv_row(&x->o.csv, r, x->o.d);
	else
		render_mdr_text_row(x->o.f, r, x->o.d);
	return ferror(x->o.f) != 0; /* stop at a full disk */
}

/* e: the whole filtered set, oldest first, in the form of `billtop mdrs
 * --format csv` or `billtop mdrs` (Esc cancels); with a `/` text or a
 * sort, the rows shown. */
static int m_export(view *v, FILE *f, tui_export_format fmt)
{
	mdrs_priv *p = v->priv;
	tui *t = v->t;
	export_ctx x;
	memset(&x, 0, sizeof x);
	lv_out_init(&x.o, v, f, fmt);
	if (x.o.csv_mode)
		render_mdr_csv_header(&x.o.csv);
	else
		render_mdr_text_header(f);
	if (!p->l.lv.filter[0] && p->l.lv.sort_col < 0) {
		mdrq_filter flt;
		int st;
		base_filter(v, &flt);
		flt.oldest_first = 1;
		tui_busy_begin(t, "exporting messages");
		st = mdrq_each(t->db, &v->account, &flt, write_one, &x);
		tui_busy_end(t);
		if (lv_export_end(t, st) != 0)
			return -1;
	} else {
		for (int k = 0; k < listview_shown(&p->l.lv); k++)
			write_one(row_at(v, listview_row(&p->l.lv, k)), &x);
	}
	if (!x.o.csv_mode)
		render_mdr_text_footer(f, x.n, x.segments, x.total, x.o.d, v->account.currency);
	return 0;
}

static int mdrs_handle(view *v, tui_action a, int ch)
{
	mdrs_priv *p = v->priv;
	if (listview_handle(&p->l.lv, v, a, ch))
		return 1;
	switch (a) {
	case ACT_FILTER: ask_filter(v); return 1;
	case ACT_MESSAGES: return 1;
	default: return tui_open_account_view(v->t, a, &v->account);
	}
}

const view_ops view_mdrs_ops = {
	.name = "messages",
	.open = mdrs_open,
	.draw = lv_draw,
	.handle = mdrs_handle,
	.reload = mdrs_reload,
	.close = lvwin_view_close,
	.hints = "f filter  / narrow  o sort  e export",
	.title = m_title,
	.priv_size = sizeof(mdrs_priv),
};
