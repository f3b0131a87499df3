/* view_cnams.c: one account's CNAM charges one by one, newest first, as
 * `billtop cnams` lists them (oldest first there): each lookup fee on a
 * call (the number looked up, the name returned) and each ledger entry of
 * kind cnam, with its source; on the list base (listview.h: `/` narrows the
 * loaded rows as you type, `o` sorts them, `e` exports, the detail lines
 * hold the selected charge whole). Opened with Enter on the CNAM
 * statistics screen (view_cnam.c) or with C from any account screen.
 *
 * Paging: the keyset window the calls and messages lists share (lvwin.h),
 * on cnamq's order (time, id * 2 + source): one keyset query a page, never
 * OFFSET; Home reads the newest page and End the oldest.
 *
 * As of: charges dated after the console's as-of time (A, or now) are not
 * listed; the title counts them. The title's total is every listed charge
 * of the period (the statement's CNAM line for the same period), not only
 * the loaded window.
 *
 * f: from/to and a text found in the number, caller id, call id or memo,
 * read on the server. e: with no `/` text, the whole f-filtered period in
 * the CSV or text form of `billtop cnams` (render_cnam.c), so an export of
 * the unfiltered screen equals the command's output byte for byte; with a
 * `/` text, the rows it shows.
 *
 * Memory: the console owns the priv (priv_size); the view owns its window
 * inside it. */
#include <stdlib.h>
#include <string.h>

#include "../core/tm.h"
#include "../data/cnamq.h"
#include "../front/render_cnam.h"
#include "listview.h"
#include "lvkit.h"
#include "lvwin.h"

typedef struct {
	lvwin_list l;              /* first: lv_draw, lvwin_view_* */
	lv_period per;
	char text[64];
	int64_t lookups, entries, later_n; /* listed in the period: lookups, ledger entries; dated later */
	money_t total;
} cnams_priv;

enum { C_AT, C_SOURCE, C_ID, C_NUMBER, C_NAME, C_FEE, C_N };

static int collect(const cnamq_row *r, void *ctx)
{
	return lvwin_put(ctx, r);
}

/* The filter as typed, cut at the as-of time: later charges are not listed. */
static void base_filter(view *v, cnamq_filter *f)
{
	cnams_priv *p = v->priv;
	memset(f, 0, sizeof *f);
	f->from = p->per.from;
	f->to = lv_period_end(&p->per, v->t);
	f->text = p->text[0] ? p->text : NULL;
	f->newest_first = 1;
}

/* lvwin's read: one keyset query. */
static int w_read(view *v, lvwin_dir dir, const lvwin_key *k, int limit, void *out)
{
	tui *t = v->t;
	lvwin_sink c = { out, sizeof(cnamq_row), 0, limit };
	cnamq_filter f;
	int st;
	base_filter(v, &f);
	f.limit = limit;
	f.newest_first = !(dir == LVWIN_OLDEST || dir == LVWIN_NEWER);
	if (dir == LVWIN_OLDER || dir == LVWIN_NEWER) {
		f.has_past = 1;
		f.past_at = k->at;
		f.past_key = k->id;
	}
	tui_busy_begin(t, "reading CNAM lookups");
	st = cnamq_each(t->db, &v->account, &f, collect, &c);
	tui_busy_end(t);
	return lvwin_read_end(v, "CNAM lookups", st, &c);
}

/* The window's key: (time, id * 2 + source), cnamq's order. */
static lvwin_key w_key(const void *row)
{
	const cnamq_row *r = row;
	lvwin_key k = { r->at, r->key };
	return k;
}

static const lvwin_ops WINDOW_OPS = { sizeof(cnamq_row), w_read, w_key };

/* Counts and charge of the period (no text filter: the statement's
 * figure), and the charges dated after the as-of time. */
static void load_sums(view *v)
{
	cnams_priv *p = v->priv;
	cnamq_filter f;
	int64_t later_lookups = 0, later_entries = 0;
	money_t ignored;
	base_filter(v, &f);
	p->lookups = p->entries = p->later_n = 0;
	p->total = 0;
	if ((!p->text[0] && cnamq_sum(v->t->db, &v->account, f.from, f.to, &p->lookups, &p->entries, &p->total) != DB_OK)
	    || (f.to < p->per.to && cnamq_sum(v->t->db, &v->account, f.to > p->per.from ? f.to : p->per.from, p->per.to,
	                                      &later_lookups, &later_entries, &ignored) != DB_OK))
		tui_set_status(v->t, "CNAM lookups: %s", db_errmsg(v->t->db));
	p->later_n = later_lookups + later_entries;
}

/* the title for width columns (lv_title: narrow screens get the short forms) */
static void c_title(view *v, int width, char *buf, size_t n)
{
	cnams_priv *p = v->priv;
	char tot[80] = "", tshort[80] = "", later[60] = "";
	if (!p->text[0]) {
		char m[40];
		money_format(p->total, v->account.decimals, m, sizeof m);
		if (p->entries) {
			snprintf(tot, sizeof tot, "  %lld + %lld fee%s: CNAM %s", (long long)p->lookups, (long long)p->entries,
			         p->entries == 1 ? "" : "s", m);
			snprintf(tshort, sizeof tshort, "  %lld+%lld: %s", (long long)p->lookups, (long long)p->entries, m);
		} else {
			snprintf(tot, sizeof tot, "  %lld: CNAM %s", (long long)p->lookups, m);
			snprintf(tshort, sizeof tshort, "  %lld: %s", (long long)p->lookups, m);
		}
	}
	if (p->later_n)
		snprintf(later, sizeof later, "  (%lld later: not listed)", (long long)p->later_n);
	lv_title(v, "CNAM lookups", &p->per, p->text, tot, tshort, later, width, buf, n);
}

static void set_title(view *v)
{
	c_title(v, (int)sizeof v->title - 1, v->title, sizeof v->title);
}

/* ---- the list's callbacks ------------------------------------------------ */

static const cnamq_row *row_at(view *v, int i)
{
	return lvwin_row(&((cnams_priv *)v->priv)->l.w, i);
}

static void l_cell(view *v, int i, int col, char *buf, size_t n)
{
	const cnamq_row *r = row_at(v, i);
	switch (col) {
	case C_AT: tm_format(r->at, buf, n); break;
	case C_SOURCE: snprintf(buf, n, "%s", render_cnam_source(r)); break;
	case C_ID: render_cnam_ref(r, buf, n); break;
	case C_NUMBER: snprintf(buf, n, "%s", r->number[0] ? r->number : "-"); break;
	case C_NAME:
		if (r->source == CNAMQ_LEDGER)
			snprintf(buf, n, "%s", r->memo);
		else
			render_cnam_name(r, buf, n);
		if (!buf[0])
			snprintf(buf, n, "-");
		break;
	case C_FEE: money_format(r->fee, v->account.decimals, buf, n); break;
	default: buf[0] = '\0';
	}
}

static int by_at(view *v, int a, int b) { return lv_cmp64(row_at(v, a)->at, row_at(v, b)->at); }
static int by_source(view *v, int a, int b) { return lv_cmp64(row_at(v, a)->source, row_at(v, b)->source); }
static int by_number(view *v, int a, int b) { return strcmp(row_at(v, a)->number, row_at(v, b)->number); }
static int by_fee(view *v, int a, int b) { return lv_cmp64(row_at(v, a)->fee, row_at(v, b)->fee); }
static int by_name(view *v, int a, int b)
{
	char x[CDR_FIELD_MAX + 1], y[CDR_FIELD_MAX + 1];
	l_cell(v, a, C_NAME, x, sizeof x);
	l_cell(v, b, C_NAME, y, sizeof y);
	return strcmp(x, y);
}

static void l_detail(view *v, int i, char *buf, size_t n)
{
	const cnamq_row *r = row_at(v, i);
	char fee[40], ref[CDR_RECORD_ID_MAX + 32], name[CDR_FIELD_MAX + 1], at[24];
	money_format(r->fee, v->account.decimals, fee, sizeof fee);
	render_cnam_ref(r, ref, sizeof ref);
	render_cnam_name(r, name, sizeof name);
	tm_format(r->at, at, sizeof at);
	if (r->source == CNAMQ_LEDGER)
		snprintf(buf, n, "%s at %s UTC: a ledger cnam entry, fee %s %s\nmemo: %s", ref, at, fee,
		         v->account.currency, r->memo);
	else
		snprintf(buf, n, "%s at %s UTC: lookup of %s (calling %s), name %s, fee %s %s: the call's CNAM fee, "
		         "as its file gave it%s\ncaller id: %s", ref, at, r->number, r->dst, name[0] ? name : "(none stored)",
		         fee, v->account.currency, r->suspended ? " (while SUSPENDED)" : "", r->clid[0] ? r->clid : "-");
}

static int l_attr(view *v, int i)
{
	return row_at(v, i)->suspended ? tui_attr(v->t, CP_BAD) : 0;
}

static int64_t l_key(view *v, int i)
{
	return row_at(v, i)->key;
}

typedef struct {
	lv_out o;
	int64_t lookups, entries;
	money_t total;
} export_ctx;

static int write_one(const cnamq_row *r, void *ctx)
{
	export_ctx *x = ctx;
	if (r->source == CNAMQ_CALL)
		x->lookups++;
	else
		x->entries++;
	x->total += r->fee;
	if (x->o.csv_mode)
		render_cnam_csv_row(&x->o.csv, r, x->o.d);
	else
		render_cnam_text_row(x->o.f, r, x->o.d);
	return ferror(x->o.f) != 0; /* stop at a full disk */
}

/* See the top: the whole period, oldest first, or the rows `/` shows. */
static int l_export(view *v, FILE *f, tui_export_format fmt)
{
	cnams_priv *p = v->priv;
	tui *t = v->t;
	export_ctx x;
	memset(&x, 0, sizeof x);
	lv_out_init(&x.o, v, f, fmt);
	if (x.o.csv_mode)
		render_cnam_csv_header(&x.o.csv);
	else
		render_cnam_text_header(f);
	if (!p->l.lv.filter[0]) {
		cnamq_filter flt;
		int st;
		base_filter(v, &flt);
		flt.newest_first = 0;
		tui_busy_begin(t, "exporting CNAM lookups");
		st = cnamq_each(t->db, &v->account, &flt, write_one, &x);
		tui_busy_end(t);
		if (lv_export_end(t, st) != 0)
			return -1;
	} else {
		for (int k = 0; k < listview_shown(&p->l.lv); k++)
			if (write_one(row_at(v, listview_row(&p->l.lv, k)), &x))
				break;
	}
	if (!x.o.csv_mode)
		render_cnam_text_footer(f, x.lookups, x.entries, x.total, x.o.d, v->account.currency);
	return 0;
}

static const lv_column COLUMNS[C_N] = {
	[C_AT] = { "TIME (UTC)", 16, 19, LV_LEFT, 0, 0, by_at },
	[C_SOURCE] = { "SOURCE", 6, 6, LV_LEFT, 0, 0, by_source },
	[C_ID] = { "ID", 10, 28, LV_LEFT, 2, 0, NULL },
	[C_NUMBER] = { "NUMBER", 11, 16, LV_LEFT, 0, 0, by_number },
	[C_NAME] = { "NAME / MEMO", 12, 0, LV_LEFT, 1, 0, by_name },
	[C_FEE] = { "FEE", 9, 12, LV_RIGHT, 0, 0, by_fee },
};

static const listview_ops LIST = {
	.columns = COLUMNS,
	.ncolumns = C_N,
	.count = lvwin_view_count,
	.cell = l_cell,
	.detail = l_detail,
	.detail_lines = 3,
	.attr = l_attr,
	.key = l_key,
	.export_rows = l_export,
	.export_kind = "cnams",
	.more = lvwin_view_more,
	.empty = "no CNAM lookups or fees (f changes the filters; f then x clears them)",
};

/* ---- the view -------------------------------------------------------------- */

static int load(view *v)
{
	cnams_priv *p = v->priv;
	int st = lvwin_load(&p->l, v);
	load_sums(v);
	set_title(v);
	return st;
}

static int cnams_open(view *v)
{
	cnams_priv *p = v->priv;
	if (lvwin_open(&p->l, v, &WINDOW_OPS, &LIST, "CNAM lookups") != 0)
		return -1;
	lv_period_take(&p->per, v);
	return load(v);
}

/* Another process wrote, or the as-of time changed: following the newest
 * (the selection on the first row), the newest page again; else the window
 * re-read in place (lvwin_reload); the base keeps the selected row by key. */
static void cnams_reload(view *v)
{
	cnams_priv *p = v->priv;
	lvwin_reload(&p->l.w, v, p->l.lv.sel == 0 && p->l.lv.sort_col < 0);
	listview_rebuild(&p->l.lv, v);
	load_sums(v);
	set_title(v);
}

/* f: the filters read on the server (the period and a text). */
static void ask_filter(view *v)
{
	cnams_priv *p = v->priv;
	tui *t = v->t;
	int which = tui_ask_key(t, "filter: f from  t to  n number/name/id/memo text  x clear", "ftnx");
	switch (which) {
	case 'f':
	case 't':
		if (!lv_ask_period(t, &p->per, which))
			return;
		break;
	case 'n':
		if (!lv_ask_text(t, "number, caller id, call id or memo contains (empty: any):", p->text, sizeof p->text))
			return;
		break;
	case 'x':
		lv_period_clear(&p->per);
		p->text[0] = '\0';
		break;
	default:
		return;
	}
	load(v);
}

static int cnams_handle(view *v, tui_action a, int ch)
{
	cnams_priv *p = v->priv;
	if (listview_handle(&p->l.lv, v, a, ch))
		return 1;
	switch (a) {
	case ACT_FILTER: ask_filter(v); return 1;
	case ACT_CNAMS: return 1;
	default: return tui_open_account_view(v->t, a, &v->account);
	}
}

const view_ops view_cnams_ops = {
	.name = "CNAM lookups",
	.open = cnams_open,
	.draw = lv_draw,
	.handle = cnams_handle,
	.reload = cnams_reload,
	.close = lvwin_view_close,
	.hints = "/ narrow  f filter  o sort  e export  Home/End",
	.title = c_title,
	.priv_size = sizeof(cnams_priv),
};
