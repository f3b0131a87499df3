/* view_cnams.c: one account's CNAM charges one by one, newest first, as
 * `billtop cnams` lists them (oldest first there): each lookup fee on a
 * call (the number looked up, the name returned) and each ledger entry of
 * kind cnam, with its source. Opened with Enter on the CNAM statistics
 * screen (view_cnam.c) or with its key (C) from any account screen.
 *
 * Paging contract (as view_mdrs.c): at most WINDOW rows in memory; every
 * read is one keyset query (cnamq_each past a row, limit FETCH), never
 * OFFSET; Home reads the newest page and End the oldest.
 *
 * As of: charges dated after the console's as-of time (A, or now) are not
 * listed; the title counts them. The title's total is every listed charge
 * of the period (the statement's CNAM line for the same period), not only
 * the loaded window.
 *
 * Filters (f): from/to and a text found in the number, caller id, call id
 * or memo. / searches the loaded rows by number or name. e exports the
 * whole filtered set in the CSV or text form of `billtop cnams`
 * (render_cnam.c).
 *
 * Memory: the view owns its window and filter texts. */
#include <stdlib.h>
#include <string.h>

#include "../core/tm.h"
#include "../data/cnamq.h"
#include "../front/render_cnam.h"
#include "tui.h"

#define FETCH 200              /* rows per query */
#define WINDOW 800             /* rows kept in memory */

typedef struct {
	cnamq_row *rows;            /* WINDOW + FETCH slots; rows[0..n) newest first */
	cnamq_row *buf;             /* FETCH slots, for ascending reads */
	int n, sel, top, list_rows;
	int at_newest, at_oldest;
	char from_text[40], to_text[40], text[64];
	int64_t from, to;
	int64_t lookups, entries, later_n; /* listed in the period: lookups, ledger entries; dated later */
	money_t total;
	char search[64];
} cnams_priv;

typedef struct {
	cnamq_row *out;
	int n, max;
} collect_ctx;

static int collect(const cnamq_row *r, void *ctx)
{
	collect_ctx *c = ctx;
	c->out[c->n++] = *r;
	return c->n >= c->max;
}

/* The filter as typed, cut at the as-of time: later charges are not listed. */
static void base_filter(view *v, cnamq_filter *f)
{
	cnams_priv *p = v->priv;
	int64_t asof = tui_as_of(v->t);
	memset(f, 0, sizeof *f);
	f->from = p->from;
	f->to = p->to;
	if (asof < INT64_MAX && asof + 1 < f->to)
		f->to = asof + 1;
	f->text = p->text[0] ? p->text : NULL;
	f->newest_first = 1;
}

static int fetch(view *v, const cnamq_filter *f, cnamq_row *out, int max)
{
	tui *t = v->t;
	collect_ctx c = { out, 0, max };
	int st;
	tui_busy_begin(t, "reading CNAM lookups");
	st = cnamq_each(t->db, &v->account, f, collect, &c);
	tui_busy_end(t);
	if (st != DB_OK) {
		if (!t->cancelled)
			tui_set_status(t, "CNAM lookups: %s", db_errmsg(t->db));
		return -1;
	}
	return c.n;
}

/* Count and charge of the period (no text filter: the statement's figure),
 * and the charges dated after the as-of time. */
static void load_sums(view *v)
{
	cnams_priv *p = v->priv;
	cnamq_filter f;
	base_filter(v, &f);
	int64_t later_lookups = 0, later_entries = 0;
	p->lookups = p->entries = p->later_n = 0;
	p->total = 0;
	money_t ignored;
	if ((!p->text[0] && cnamq_sum(v->t->db, &v->account, f.from, f.to, &p->lookups, &p->entries, &p->total) != DB_OK)
	    || (f.to < p->to && cnamq_sum(v->t->db, &v->account, f.to > p->from ? f.to : p->from, p->to, &later_lookups,
	                                  &later_entries, &ignored) != DB_OK))
		tui_set_status(v->t, "CNAM lookups: %s", db_errmsg(v->t->db));
	p->later_n = later_lookups + later_entries;
}

static void set_title(view *v)
{
	cnams_priv *p = v->priv;
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
		snprintf(tot, sizeof tot, "  %lld lookups + %lld fees: CNAM %s", (long long)p->lookups,
		         (long long)p->entries, m);
	}
	if (p->later_n)
		snprintf(later, sizeof later, "  (%lld later: not listed)", (long long)p->later_n);
	snprintf(v->title, sizeof v->title, "%.30s  CNAM lookups%s%.40s%s%.60s", v->account.name, f[0] ? " [" : "",
	         f[0] ? f + 1 : "", f[0] ? "]" : "", tot);
	if (later[0] && strlen(v->title) + strlen(later) < sizeof v->title)
		strcat(v->title, later);
}

/* ---- the window ------------------------------------------------------- */

static int load_newest(view *v)
{
	cnams_priv *p = v->priv;
	cnamq_filter f;
	int got;
	base_filter(v, &f);
	f.limit = FETCH;
	if ((got = fetch(v, &f, p->rows, FETCH)) < 0)
		return -1;
	p->n = got;
	p->sel = p->top = 0;
	p->at_newest = 1;
	p->at_oldest = got < FETCH;
	load_sums(v);
	set_title(v);
	return 0;
}

static int load_oldest(view *v)
{
	cnams_priv *p = v->priv;
	cnamq_filter f;
	int got;
	base_filter(v, &f);
	f.newest_first = 0;
	f.limit = FETCH;
	if ((got = fetch(v, &f, p->buf, FETCH)) < 0)
		return -1;
	for (int i = 0; i < got; i++)
		p->rows[i] = p->buf[got - 1 - i];
	p->n = got;
	p->sel = got ? got - 1 : 0;
	p->top = 0;
	p->at_oldest = 1;
	p->at_newest = got < FETCH;
	return 0;
}

static int fetch_older(view *v)
{
	cnams_priv *p = v->priv;
	cnamq_filter f;
	int got;
	if (p->at_oldest || p->n == 0)
		return 0;
	base_filter(v, &f);
	f.past_at = p->rows[p->n - 1].at;
	f.past_source = (int)p->rows[p->n - 1].source;
	f.past_id = p->rows[p->n - 1].id;
	f.limit = FETCH;
	if ((got = fetch(v, &f, p->rows + p->n, FETCH)) < 0)
		return 0;
	p->n += got;
	p->at_oldest = got < FETCH;
	if (p->n > WINDOW) {
		int drop = p->n - WINDOW;
		memmove(p->rows, p->rows + drop, (size_t)WINDOW * sizeof *p->rows);
		p->n = WINDOW;
		p->sel -= drop;
		p->top -= drop;
		p->at_newest = 0;
	}
	return got;
}

static int fetch_newer(view *v)
{
	cnams_priv *p = v->priv;
	cnamq_filter f;
	int got;
	if (p->at_newest || p->n == 0)
		return 0;
	base_filter(v, &f);
	f.past_at = p->rows[0].at;
	f.past_source = (int)p->rows[0].source;
	f.past_id = p->rows[0].id;
	f.newest_first = 0;
	f.limit = FETCH;
	if ((got = fetch(v, &f, p->buf, FETCH)) < 0)
		return 0;
	memmove(p->rows + got, p->rows, (size_t)p->n * sizeof *p->rows);
	for (int i = 0; i < got; i++)
		p->rows[i] = p->buf[got - 1 - i];
	p->n += got;
	p->sel += got;
	p->top += got;
	p->at_newest = got < FETCH;
	if (p->n > WINDOW) {
		p->n = WINDOW;
		p->at_oldest = 0;
	}
	return got;
}

static int cnams_open(view *v)
{
	cnams_priv *p;
	if (!(v->priv = p = calloc(1, sizeof(cnams_priv))))
		return -1;
	p->rows = calloc(WINDOW + FETCH, sizeof *p->rows);
	p->buf = calloc(FETCH, sizeof *p->buf);
	if (!p->rows || !p->buf) {
		tui_set_status(v->t, "CNAM lookups: out of memory");
		return -1;
	}
	p->from = INT64_MIN;
	p->to = INT64_MAX;
	return load_newest(v);
}

static void cnams_close(view *v)
{
	cnams_priv *p = v->priv;
	if (p) {
		free(p->rows);
		free(p->buf);
	}
	free(p);
}

/* Another process wrote, or the as-of time changed: read the newest page
 * again, keeping the selected row selected when it is still there. */
static void cnams_reload(view *v)
{
	cnams_priv *p = v->priv;
	int64_t keep = p->n ? p->rows[p->sel].id : 0;
	cnamq_source ks = p->n ? p->rows[p->sel].source : CNAMQ_CALL;
	if (load_newest(v) == 0)
		for (int i = 0; i < p->n; i++)
			if (p->rows[i].id == keep && p->rows[i].source == ks)
				p->sel = i;
}

/* ---- drawing ---------------------------------------------------------- */

static void cnams_draw(view *v, int top, int rows, int cols)
{
	cnams_priv *p = v->priv;
	tui *t = v->t;
	int d = v->account.decimals, wide = cols >= 100;
	p->list_rows = rows - 2;
	if (p->list_rows < 1)
		p->list_rows = 1;
	attron(A_BOLD);
	if (wide)
		tui_textf(t, top, 0, cols, "%-19s %-6s %-28s %-16s %-24s %10s", "TIME (UTC)", "SOURCE", "ID", "NUMBER",
		          "NAME / MEMO", "FEE");
	else
		tui_textf(t, top, 0, cols, "%-16s %-6s %-16s %-14s %-14s %9s", "TIME (UTC)", "SOURCE", "ID", "NUMBER",
		          "NAME / MEMO", "FEE");
	attroff(A_BOLD);
	if (p->n == 0) {
		tui_text(t, top + 2, 2, cols - 4, "no CNAM lookups or fees match");
		if (strchr(v->title, '['))
			tui_text(t, top + 3, 2, cols - 4, "(f changes the filters; f then x clears them)");
		return;
	}
	if (p->sel < p->top)
		p->top = p->sel;
	if (p->sel >= p->top + p->list_rows)
		p->top = p->sel - p->list_rows + 1;
	if (p->top < 0)
		p->top = 0;
	for (int i = 0; i < p->list_rows && p->top + i < p->n; i++) {
		const cnamq_row *r = &p->rows[p->top + i];
		int y = top + 1 + i, attr = 0;
		char at[24], fee[40], ref[CDR_RECORD_ID_MAX + 32], name[CDR_FIELD_MAX + 1];
		const char *what;
		tm_format(r->at, at, sizeof at);
		money_format(r->fee, d, fee, sizeof fee);
		render_cnam_ref(r, ref, sizeof ref);
		render_cnam_name(r, name, sizeof name);
		what = r->source == CNAMQ_LEDGER ? r->memo : name[0] ? name : "-";
		if (p->top + i == p->sel)
			attr = tui_attr(t, CP_SELECT);
		else if (r->suspended)
			attr = tui_attr(t, CP_BAD);
		attron(attr);
		move(y, 0);
		for (int k = 0; k < cols; k++)
			addch(' ');
		/* numbers, names and memos come from files and operators: tui_text shows them visible */
		if (wide) {
			tui_text(t, y, 0, 19, at);
			tui_text(t, y, 20, 6, render_cnam_source(r));
			tui_text_cut(t, y, 27, 28, ref, 0);
			tui_text_cut(t, y, 56, 16, r->number[0] ? r->number : "-", 0);
			tui_text_cut(t, y, 73, 24, what, 0);
			tui_textf(t, y, 98, cols - 98, "%10s%s", fee, r->suspended ? " SUSPENDED" : "");
		} else {
			tui_text(t, y, 0, 16, at);
			tui_text(t, y, 17, 6, render_cnam_source(r));
			tui_text_cut(t, y, 24, 16, ref, 0);
			tui_text_cut(t, y, 41, 14, r->number[0] ? r->number : "-", 0);
			tui_text_cut(t, y, 56, 14, what, 0);
			tui_textf(t, y, 71, cols - 71, "%9s%s", fee, r->suspended ? " S" : "");
		}
		attroff(attr);
	}
	if (p->top + p->list_rows > p->n && p->at_oldest && top + 1 + p->n - p->top < top + rows - 1) {
		attron(tui_attr(t, CP_DIM));
		tui_text(t, top + 1 + p->n - p->top, 2, cols - 2, "(oldest)");
		attroff(tui_attr(t, CP_DIM));
	}
	{ /* the detail line: the whole row, what a column cuts */
		const cnamq_row *r = &p->rows[p->sel];
		char fee[40], line[2400], ref[CDR_RECORD_ID_MAX + 32], name[CDR_FIELD_MAX + 1];
		money_format(r->fee, d, fee, sizeof fee);
		render_cnam_ref(r, ref, sizeof ref);
		render_cnam_name(r, name, sizeof name);
		if (r->source == CNAMQ_LEDGER)
			snprintf(line, sizeof line, "%s  ledger cnam entry  \"%s\"  fee %s", ref, r->memo, fee);
		else
			snprintf(line, sizeof line, "%s  lookup of %s -> %s  name %s  caller id %s  fee %s (the call's CNAM fee)%s",
			         ref, r->number, r->dst, name[0] ? name : "(none stored)", r->clid[0] ? r->clid : "-", fee,
			         r->suspended ? "  (while SUSPENDED)" : "");
		attron(tui_attr(t, CP_DIM));
		move(top + rows - 1, 0);
		clrtoeol();
		tui_text(t, top + rows - 1, 0, cols, line);
		attroff(tui_attr(t, CP_DIM));
	}
}

/* ---- filters, search, export ------------------------------------------ */

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
	cnams_priv *p = v->priv;
	tui *t = v->t;
	char which[8], buf[64];
	int64_t when;
	if (!tui_prompt(t, "filter: f from  t to  n number/name/id/memo text  x clear:", "", which, sizeof which))
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
		if (!tui_prompt(t, "number, caller id, call id or memo contains (empty: any):", p->text, buf, sizeof buf))
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

static int search_from(cnams_priv *p, int start)
{
	for (int k = 0; k < p->n; k++) {
		int i = (start + k) % p->n;
		if (tui_contains(p->rows[i].number, p->search) || tui_contains(p->rows[i].clid, p->search)
		    || tui_contains(p->rows[i].memo, p->search)) {
			p->sel = i;
			return 1;
		}
	}
	return 0;
}

typedef struct {
	FILE *f;
	out_csv csv;
	int csv_mode, d;
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
	if (x->csv_mode)
		render_cnam_csv_row(&x->csv, r, x->d);
	else
		render_cnam_text_row(x->f, r, x->d);
	return ferror(x->f) != 0; /* stop at a full disk */
}

/* The whole filtered set, oldest first, in the form of `billtop cnams
 * --format csv` or `billtop cnams`. Esc cancels. */
static int write_cnams(FILE *f, tui_export_format fmt, void *ctx)
{
	view *v = ctx;
	tui *t = v->t;
	export_ctx x;
	cnamq_filter flt;
	int st;
	memset(&x, 0, sizeof x);
	x.f = f;
	x.csv_mode = fmt == TUI_EXPORT_CSV;
	x.d = v->account.decimals;
	out_csv_init(&x.csv, f);
	if (x.csv_mode)
		render_cnam_csv_header(&x.csv);
	else
		render_cnam_text_header(f);
	base_filter(v, &flt);
	flt.newest_first = 0;
	tui_busy_begin(t, "exporting CNAM lookups");
	st = cnamq_each(t->db, &v->account, &flt, write_one, &x);
	tui_busy_end(t);
	if (st != DB_OK) {
		tui_set_status(t, "export %s: the file is incomplete", t->cancelled ? "cancelled" : db_errmsg(t->db));
		return -1;
	}
	if (!x.csv_mode)
		render_cnam_text_footer(f, x.lookups, x.entries, x.total, x.d, v->account.currency);
	return 0;
}

static int cnams_handle(view *v, tui_action a, int ch)
{
	cnams_priv *p = v->priv;
	tui *t = v->t;
	int page = p->list_rows > 1 ? p->list_rows - 1 : 1;
	switch (a) {
	case ACT_DOWN:
		if (p->sel + 1 >= p->n)
			fetch_older(v);
		if (p->sel + 1 < p->n)
			p->sel++;
		return 1;
	case ACT_UP:
		if (p->sel == 0)
			fetch_newer(v);
		if (p->sel > 0)
			p->sel--;
		return 1;
	case ACT_PAGE_DOWN:
		if (p->sel + page >= p->n)
			fetch_older(v);
		p->sel = p->sel + page < p->n ? p->sel + page : (p->n ? p->n - 1 : 0);
		p->top += page;
		return 1;
	case ACT_PAGE_UP:
		if (p->sel - page < 0)
			fetch_newer(v);
		p->sel = p->sel > page ? p->sel - page : 0;
		p->top -= page;
		return 1;
	case ACT_HOME:
		if (p->at_newest)
			p->sel = 0;
		else
			load_newest(v);
		return 1;
	case ACT_END:
		if (p->at_oldest)
			p->sel = p->n ? p->n - 1 : 0;
		else
			load_oldest(v);
		return 1;
	case ACT_FILTER: ask_filter(v); return 1;
	case ACT_SEARCH:
		if (tui_prompt(t, "search loaded rows for number or name:", p->search, p->search, sizeof p->search)
		    && p->search[0] && !search_from(p, p->sel + 1))
			tui_set_status(t, "no loaded row matches \"%s\" (f n filters every row)", p->search);
		return 1;
	case ACT_SEARCH_NEXT:
		if (p->search[0] && !search_from(p, p->sel + 1))
			tui_set_status(t, "no loaded row matches \"%s\"", p->search);
		return 1;
	case ACT_EXPORT: {
		char stem[200];
		snprintf(stem, sizeof stem, "cnams-%s", v->account.name);
		tui_export(t, stem, write_cnams, v);
		return 1;
	}
	case ACT_CNAMS: return 1;
	default: return tui_open_account_view(t, a, &v->account);
	}
}

const view_ops view_cnams_ops = {
	"CNAM lookups", cnams_open, cnams_draw, cnams_handle, cnams_reload, cnams_close,
	"f filter  / search  e export  Home/End",
};
