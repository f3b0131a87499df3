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
#include "lvwin.h"

typedef struct {
	listview lv;
	lvwin w;
	char from_text[40], to_text[40], text[64];
	int64_t from, to;
	int64_t total_n, later_n;  /* messages listed in the period; dated after the as-of time */
	money_t total;
} mdrs_priv;

typedef struct {
	mdrq_row *out;
	int n, max;
} collect_ctx;

static int collect(const mdrq_row *r, void *ctx)
{
	collect_ctx *c = ctx;
	c->out[c->n++] = *r;
	return c->n >= c->max;
}

/* The filter as typed, cut at the as-of time: later messages are not listed. */
static void base_filter(view *v, mdrq_filter *f)
{
	mdrs_priv *p = v->priv;
	int64_t asof = tui_as_of(v->t);
	memset(f, 0, sizeof *f);
	f->from = p->from;
	f->to = p->to;
	if (asof < INT64_MAX && asof + 1 < f->to)
		f->to = asof + 1;
	f->text = p->text[0] ? p->text : NULL;
}

/* lvwin's read: one keyset query. */
static int w_read(view *v, lvwin_dir dir, const lvwin_key *k, int limit, void *out)
{
	tui *t = v->t;
	collect_ctx c = { out, 0, limit };
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
	if (st != DB_OK) {
		if (!t->cancelled)
			tui_set_status(t, "messages: %s", db_errmsg(t->db));
		return -1;
	}
	return c.n;
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
	    || (f.to < p->to && mdrq_sum(v->t->db, &v->account, f.to > p->from ? f.to : p->from, p->to, &p->later_n,
	                                 &ignored) != DB_OK))
		tui_set_status(v->t, "messages: %s", db_errmsg(v->t->db));
}

static void set_title(view *v)
{
	mdrs_priv *p = v->priv;
	char f[120] = "", tot[80] = "", later[60] = "";
	size_t k = 0;
#define ADD(...) (k < sizeof f ? (k += (size_t)snprintf(f + k, sizeof f - k, __VA_ARGS__)) : k)
	if (p->from_text[0]) ADD(" >=%s", p->from_text);
	if (p->to_text[0]) ADD(" <%s", p->to_text);
	if (p->text[0]) ADD(" ~%s", p->text);
#undef ADD
	if (!p->text[0]) {
		char m[40];
		money_format(p->total, v->account.decimals, m, sizeof m);
		snprintf(tot, sizeof tot, "  %lld, charges %s", (long long)p->total_n, m);
	}
	if (p->later_n)
		snprintf(later, sizeof later, "  (%lld later: not listed)", (long long)p->later_n);
	snprintf(v->title, sizeof v->title, "%.40s  messages%s%.50s%s%.50s", v->account.name, f[0] ? " [" : "",
	         f[0] ? f + 1 : "", f[0] ? "]" : "", tot);
	if (later[0] && strlen(v->title) + strlen(later) < sizeof v->title)
		strcat(v->title, later);
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
	return lvwin_row(&((mdrs_priv *)v->priv)->w, i);
}

static int m_count(view *v)
{
	return ((mdrs_priv *)v->priv)->w.n;
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

static int cmp64(int64_t a, int64_t b)
{
	return (a > b) - (a < b);
}

static int by_time(view *v, int a, int b)
{
	int c = cmp64(row_at(v, a)->at, row_at(v, b)->at);
	return c ? c : cmp64(row_at(v, a)->id, row_at(v, b)->id);
}
static int by_dir(view *v, int a, int b) { return strcmp(row_at(v, a)->direction, row_at(v, b)->direction); }
static int by_from(view *v, int a, int b) { return strcmp(row_at(v, a)->src, row_at(v, b)->src); }
static int by_to(view *v, int a, int b) { return strcmp(row_at(v, a)->dst, row_at(v, b)->dst); }
static int by_type(view *v, int a, int b) { return strcmp(row_at(v, a)->type, row_at(v, b)->type); }
static int by_segs(view *v, int a, int b) { return cmp64(row_at(v, a)->segments, row_at(v, b)->segments); }
static int by_charge(view *v, int a, int b) { return cmp64(row_at(v, a)->cost, row_at(v, b)->cost); }

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
	mdrs_priv *p = v->priv;
	snprintf(buf, n, "%s", p->w.at_newest && p->w.at_oldest ? "every message" : p->w.at_oldest ? "the oldest loaded"
	                       : p->w.at_newest ? "the newest loaded; more below" : "loaded; more either way");
}

static int m_more(view *v, lv_more which)
{
	return lvwin_more(&((mdrs_priv *)v->priv)->w, v, which);
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
	.count = m_count,
	.cell = m_cell,
	.detail = m_detail,
	.detail_lines = 1,
	.attr = m_attr,
	.key = m_key,
	.export_rows = m_export,
	.export_kind = "messages",
	.more = m_more,
	.empty = "no messages match (f changes the filters; f then x clears them)",
	.status = m_status,
};

/* ---- the view ------------------------------------------------------------ */

static int load_newest(view *v)
{
	mdrs_priv *p = v->priv;
	int st = lvwin_newest(&p->w, v);
	listview_rebuild(&p->lv, v);
	p->lv.sel = 0;
	load_sums(v);
	set_title(v);
	return st;
}

static int mdrs_open(view *v)
{
	mdrs_priv *p = v->priv;
	listview_init(&p->lv, &LIST);
	if (lvwin_init(&p->w, &WINDOW_OPS) != 0) {
		tui_set_status(v->t, "messages: out of memory");
		return -1;
	}
	p->from = INT64_MIN;
	p->to = INT64_MAX;
	return load_newest(v);
}

static void mdrs_close(view *v)
{
	mdrs_priv *p = v->priv;
	listview_free(&p->lv);
	lvwin_free(&p->w);
}

/* Another process wrote, or the as-of time changed: read the newest page
 * again, keeping the selected message selected when it is still there. */
static void mdrs_reload(view *v)
{
	mdrs_priv *p = v->priv;
	lvwin_newest(&p->w, v);
	listview_rebuild(&p->lv, v);
	load_sums(v);
	set_title(v);
}

static void mdrs_draw(view *v, int top, int rows, int cols)
{
	mdrs_priv *p = v->priv;
	listview_draw(&p->lv, v, top, rows, cols);
}

/* ---- filters and export -------------------------------------------------- */

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
	mdrs_priv *p = v->priv;
	tui *t = v->t;
	char which[8], buf[64];
	int64_t when;
	if (!tui_prompt(t, "filter: f from  t to  n number/type text  x clear:", "", which, sizeof which))
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
		if (!tui_prompt(t, "from, to, type or direction contains (empty: any):", p->text, buf, sizeof buf))
			return;
		copy_text(p->text, sizeof p->text, buf);
		break;
	case 'x':
		p->from_text[0] = p->to_text[0] = p->text[0] = '\0';
		p->from = INT64_MIN;
		p->to = INT64_MAX;
		break;
	default:
		tui_set_status(t, "filter: say f, t, n or x");
		return;
	}
	load_newest(v);
}

typedef struct {
	FILE *f;
	out_csv csv;
	int csv_mode, d;
	int64_t n, segments;
	money_t total;
} export_ctx;

static int write_one(const mdrq_row *r, void *ctx)
{
	export_ctx *x = ctx;
	x->n++;
	x->segments += r->segments;
	x->total += r->cost;
	if (x->csv_mode)
		render_mdr_csv_row(&x->csv, r, x->d);
	else
		render_mdr_text_row(x->f, r, x->d);
	return ferror(x->f) != 0; /* stop at a full disk */
}

/* The whole filtered set, oldest first, in the form of `billtop mdrs
 * --format csv` or `billtop mdrs`. Esc cancels. */
static int write_messages(FILE *f, tui_export_format fmt, void *ctx)
{
	view *v = ctx;
	tui *t = v->t;
	export_ctx x;
	mdrq_filter flt;
	int st;
	memset(&x, 0, sizeof x);
	x.f = f;
	x.csv_mode = fmt == TUI_EXPORT_CSV;
	x.d = v->account.decimals;
	out_csv_init(&x.csv, f);
	if (x.csv_mode)
		render_mdr_csv_header(&x.csv);
	else
		render_mdr_text_header(f);
	base_filter(v, &flt);
	flt.oldest_first = 1;
	tui_busy_begin(t, "exporting messages");
	st = mdrq_each(t->db, &v->account, &flt, write_one, &x);
	tui_busy_end(t);
	if (st != DB_OK) {
		tui_set_status(t, "export %s: the file is incomplete", t->cancelled ? "cancelled" : db_errmsg(t->db));
		return -1;
	}
	if (!x.csv_mode)
		render_mdr_text_footer(f, x.n, x.segments, x.total, x.d, v->account.currency);
	return 0;
}

/* e: the whole filtered set; with a `/` text or a sort, the rows shown. */
static int m_export(view *v, FILE *f, tui_export_format fmt)
{
	mdrs_priv *p = v->priv;
	export_ctx x;
	if (!p->lv.filter[0] && p->lv.sort_col < 0)
		return write_messages(f, fmt, v);
	memset(&x, 0, sizeof x);
	x.f = f;
	x.csv_mode = fmt == TUI_EXPORT_CSV;
	x.d = v->account.decimals;
	out_csv_init(&x.csv, f);
	if (x.csv_mode)
		render_mdr_csv_header(&x.csv);
	else
		render_mdr_text_header(f);
	for (int k = 0; k < listview_shown(&p->lv); k++)
		write_one(row_at(v, listview_row(&p->lv, k)), &x);
	if (!x.csv_mode)
		render_mdr_text_footer(f, x.n, x.segments, x.total, x.d, v->account.currency);
	return 0;
}

static int mdrs_handle(view *v, tui_action a, int ch)
{
	mdrs_priv *p = v->priv;
	if (listview_handle(&p->lv, v, a, ch))
		return 1;
	switch (a) {
	case ACT_FILTER: ask_filter(v); return 1;
	case ACT_MESSAGES: return 1;
	default: return tui_open_account_view(v->t, a, &v->account);
	}
}

const view_ops view_mdrs_ops = {
	"messages", mdrs_open, mdrs_draw, mdrs_handle, mdrs_reload, mdrs_close,
	"f filter  / narrow  o sort  e export", sizeof(mdrs_priv),
};
