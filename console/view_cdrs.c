/* view_cdrs.c: one account's calls, newest first, as `billtop cdrs` lists
 * them, over any number of rows.
 *
 * Paging contract: only a window of at most WINDOW rows is in memory. Every
 * read is one keyset query (cdrq_each with before_* or after_*, limit
 * FETCH), never OFFSET, so the millionth page costs what the first does:
 * scrolling down past the window reads the next older page and drops rows
 * from the newer end; scrolling up past it reads the next newer page
 * (oldest_first with after_*); Home reads the newest page and End the
 * oldest (oldest_first alone), without walking the pages between.
 *
 * Filters (f): from/to, number substring, disposition, rate prefix,
 * unrated only; they are the cdrq_filter of `billtop cdrs` and show in the
 * title. / searches the loaded rows. Enter explains the selected call
 * (view_explain.c reads it through view_cdrs_selected). e exports the whole
 * filtered set in the CSV or text form of `billtop cdrs` (render.c).
 *
 * Memory: the view owns its window and filter texts. */
#include <stdlib.h>
#include <string.h>

#include "../core/tm.h"
#include "../data/cdrq.h"
#include "../data/store.h"
#include "../front/render.h"
#include "tui.h"

#define FETCH 200              /* rows per query */
#define WINDOW 800             /* rows kept in memory */

typedef struct {
	cdrq_row *rows;            /* WINDOW + FETCH slots; rows[0..n) newest first */
	cdrq_row *buf;             /* FETCH slots, for ascending reads */
	int n, sel, top, list_rows;
	int at_newest, at_oldest;  /* the window reaches the newest / oldest match */
	int newer_waiting;         /* calls newer than the window arrived */
	/* filters: texts as typed, and their parsed forms */
	char from_text[40], to_text[40], number[64], disposition[40], prefix[RATE_PREFIX_MAX + 1];
	int64_t from, to;
	int unrated;
	char search[64];
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

/* One query into out[0..max). Returns the rows read, or -1 after putting
 * the reason (or "cancelled", when Esc interrupted it) in the status line. */
static int fetch(view *v, const cdrq_filter *f, cdrq_row *out, int max)
{
	tui *t = v->t;
	collect_ctx c = { out, 0, max };
	int st;
	tui_busy_begin(t, "reading calls");
	st = cdrq_each(t->db, &v->account, f, collect, &c);
	tui_busy_end(t);
	if (st != DB_OK) {
		if (!t->cancelled)
			tui_set_status(t, "calls: %s", db_errmsg(t->db));
		return -1;
	}
	return c.n;
}

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
		         p->newer_waiting ? " (newer: Home)" : "");
	else
		snprintf(v->title, sizeof v->title, "%.64s  calls%s", v->account.name,
		         p->newer_waiting ? " (newer above: Home)" : ", newest first");
}

/* ---- the window ------------------------------------------------------- */

static int load_newest(view *v)
{
	cdrs_priv *p = v->priv;
	cdrq_filter f;
	int got;
	base_filter(p, &f);
	f.limit = FETCH;
	if ((got = fetch(v, &f, p->rows, FETCH)) < 0)
		return -1;
	p->n = got;
	p->sel = p->top = 0;
	p->at_newest = 1;
	p->at_oldest = got < FETCH;
	p->newer_waiting = 0;
	set_title(v);
	return 0;
}

static int load_oldest(view *v)
{
	cdrs_priv *p = v->priv;
	cdrq_filter f;
	int got;
	base_filter(p, &f);
	f.oldest_first = 1;
	f.limit = FETCH;
	if ((got = fetch(v, &f, p->buf, FETCH)) < 0)
		return -1;
	for (int i = 0; i < got; i++)
		p->rows[i] = p->buf[got - 1 - i];
	p->n = got;
	p->sel = got ? got - 1 : 0;
	p->top = 0; /* the draw brings the selection into view */
	p->at_oldest = 1;
	p->at_newest = got < FETCH;
	if (p->at_newest)
		p->newer_waiting = 0;
	set_title(v);
	return 0;
}

/* Read the page older than the window; returns rows added (0 at the end). */
static int fetch_older(view *v)
{
	cdrs_priv *p = v->priv;
	cdrq_filter f;
	int got;
	if (p->at_oldest || p->n == 0)
		return 0;
	base_filter(p, &f);
	f.before_start = p->rows[p->n - 1].start;
	f.before_id = p->rows[p->n - 1].id;
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

/* Read the page newer than the window; returns rows added (0 at the top). */
static int fetch_newer(view *v)
{
	cdrs_priv *p = v->priv;
	cdrq_filter f;
	int got;
	if (p->at_newest || p->n == 0)
		return 0;
	base_filter(p, &f);
	f.after_start = p->rows[0].start;
	f.after_id = p->rows[0].id;
	f.oldest_first = 1;
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
	if (p->at_newest && p->newer_waiting) {
		p->newer_waiting = 0;
		set_title(v);
	}
	if (p->n > WINDOW) {
		p->n = WINDOW;
		p->at_oldest = 0;
	}
	return got;
}

static int cdrs_open(view *v)
{
	cdrs_priv *p;
	if (!(v->priv = p = calloc(1, sizeof(cdrs_priv))))
		return -1;
	p->rows = calloc(WINDOW + FETCH, sizeof *p->rows);
	p->buf = calloc(FETCH, sizeof *p->buf);
	if (!p->rows || !p->buf) {
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
	if (p) {
		free(p->rows);
		free(p->buf);
	}
	free(p);
}

/* Another process wrote. At the top of the list, follow the newest calls
 * (keeping the selected call selected when it is still in the first page);
 * scrolled down, re-read the same window in place (a late call may land in
 * it) and only note that newer calls are waiting. */
static void cdrs_reload(view *v)
{
	cdrs_priv *p = v->priv;
	cdrq_filter f;
	cdrq_row probe;
	int64_t keep = p->n ? p->rows[p->sel].id : 0;
	int got;
	if (p->n == 0 || (p->at_newest && p->top == 0)) {
		if (load_newest(v) == 0)
			for (int i = 0; i < p->n; i++)
				if (p->rows[i].id == keep)
					p->sel = i;
		return;
	}
	base_filter(p, &f);
	f.before_start = p->rows[0].start;
	f.before_id = p->rows[0].id + 1; /* from rows[0] itself, inclusive */
	f.limit = p->n;
	if ((got = fetch(v, &f, p->rows, p->n)) < 0)
		return;
	p->at_oldest = got < p->n ? 1 : p->at_oldest;
	p->n = got;
	if (p->sel >= p->n)
		p->sel = p->n ? p->n - 1 : 0;
	if (p->at_newest && p->n) {
		base_filter(p, &f);
		f.after_start = p->rows[0].start;
		f.after_id = p->rows[0].id;
		f.oldest_first = 1;
		f.limit = 1;
		if (fetch(v, &f, &probe, 1) == 1) {
			p->at_newest = 0;
			p->newer_waiting = 1;
		}
	}
	set_title(v);
}

/* ---- drawing ---------------------------------------------------------- */

static void cdrs_draw(view *v, int top, int rows, int cols)
{
	cdrs_priv *p = v->priv;
	tui *t = v->t;
	int d = v->account.decimals, wide = cols >= 124;
	p->list_rows = rows - 2;
	if (p->list_rows < 1)
		p->list_rows = 1;
	attron(A_BOLD);
	if (wide)
		tui_textf(t, top, 0, cols, "%-19s %-16s %-16s %-11s %9s %-8s %6s %10s %8s %s", "START (UTC)", "FROM",
		          "TO", "DISPOSITION", "BILLSEC", "PREFIX", "BILLED", "COST", "CNAM", "STATE");
	else
		tui_textf(t, top, 0, cols, "%-16s %-12s %-14s %-9s %8s %6s %9s", "START (UTC)", "FROM", "TO",
		          "DISPOSIT.", "BILLSEC", "BILLED", "COST");
	attroff(A_BOLD);
	if (p->n == 0) {
		tui_text(t, top + 2, 2, cols - 4, "no calls match");
		if (v->title[0] && strchr(v->title, '['))
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
		const cdrq_row *r = &p->rows[p->top + i];
		int y = top + 1 + i, attr = 0;
		char at[24], billsec[24], cost[40], cnam[40];
		tm_format(r->start, at, sizeof at);
		render_billsec(r->billsec_ms, billsec, sizeof billsec);
		money_format(r->cost, d, cost, sizeof cost);
		money_format(r->cnam_cost, d, cnam, sizeof cnam);
		if (p->top + i == p->sel)
			attr = tui_attr(t, CP_SELECT);
		else if (r->suspended)
			attr = tui_attr(t, CP_BAD);
		else if (r->state == CDR_UNRATED)
			attr = tui_attr(t, CP_WARN);
		attron(attr);
		move(y, 0);
		for (int k = 0; k < cols; k++)
			addch(' ');
		/* numbers, names and dispositions come from files: shown visible */
		if (wide) {
			tui_text(t, y, 0, 19, at);
			tui_text(t, y, 20, 16, r->src);
			tui_text(t, y, 37, 16, r->dst);
			tui_text(t, y, 54, 11, r->disposition);
			tui_textf(t, y, 66, cols - 66, "%9s %-8s %6lld %10s %8s %s%s", billsec, r->prefix[0] ? r->prefix : "-",
			          (long long)r->billed_secs, cost, cnam, store_cdr_state_name(r->state),
			          r->suspended ? " SUSPENDED" : "");
		} else {
			tui_textf(t, y, 0, 16, "%.16s", at);   /* to the minute: not a cut (issue 11) */
			tui_text(t, y, 17, 12, r->src);
			tui_text(t, y, 30, 14, r->dst);
			tui_text(t, y, 45, 9, r->disposition);
			tui_textf(t, y, 55, cols - 55, "%8s %6lld %9s", billsec, (long long)r->billed_secs, cost);
		}
		attroff(attr);
	}
	if (p->top + p->list_rows > p->n && p->at_oldest && top + 1 + p->n - p->top < top + rows - 1) {
		attron(tui_attr(t, CP_DIM));
		tui_text(t, top + 1 + p->n - p->top, 2, cols - 2, "(oldest call)");
		attroff(tui_attr(t, CP_DIM));
	}
	/* the selected call in full: id, caller name, state, prefix, CNAM */
	{
		const cdrq_row *r = &p->rows[p->sel];
		char cnam[40], total[40], line[1024];
		money_format(r->cnam_cost, d, cnam, sizeof cnam);
		money_format(r->cost + r->cnam_cost, d, total, sizeof total);
		snprintf(line, sizeof line, "%s  %s%s  prefix %s  CNAM %s  total %s  clid %s", r->record_id,
		         store_cdr_state_name(r->state), r->suspended ? " (started while SUSPENDED)" : "",
		         r->prefix[0] ? r->prefix : "-", cnam, total, r->clid[0] ? r->clid : "-");
		attron(tui_attr(t, CP_DIM));
		move(top + rows - 1, 0);
		clrtoeol();
		tui_text(t, top + rows - 1, 0, cols, line);
		attroff(tui_attr(t, CP_DIM));
	}
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

/* ---- search and export -------------------------------------------------- */

static int search_from(cdrs_priv *p, int start)
{
	for (int k = 0; k < p->n; k++) {
		int i = (start + k) % p->n;
		if (tui_contains(p->rows[i].src, p->search) || tui_contains(p->rows[i].dst, p->search)) {
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

static void export(view *v)
{
	char stem[200];
	snprintf(stem, sizeof stem, "calls-%s", v->account.name);
	tui_export(v->t, stem, write_calls, v);
}

static int cdrs_handle(view *v, tui_action a, int ch)
{
	cdrs_priv *p = v->priv;
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
		p->top += page; /* the page turns; the draw keeps sel in view */
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
		if (tui_prompt(t, "search loaded calls for number:", p->search, p->search, sizeof p->search)
		    && p->search[0] && !search_from(p, p->sel + 1))
			tui_set_status(t, "no loaded call matches \"%s\" (f n filters every call)", p->search);
		return 1;
	case ACT_SEARCH_NEXT:
		if (p->search[0] && !search_from(p, p->sel + 1))
			tui_set_status(t, "no loaded call matches \"%s\"", p->search);
		return 1;
	case ACT_ENTER:
		if (p->n)
			tui_push(t, &view_explain_ops, &v->account);
		return 1;
	case ACT_EXPORT: export(v); return 1;
	case ACT_CDRS: return 1;
	default: return tui_open_account_view(t, a, &v->account);
	}
}

int view_cdrs_selected(const view *v, int64_t *cdr_id)
{
	const cdrs_priv *p;
	if (!v || v->ops != &view_cdrs_ops || !(p = v->priv) || p->n == 0)
		return -1;
	*cdr_id = p->rows[p->sel].id;
	return 0;
}

const view_ops view_cdrs_ops = {
	"calls", cdrs_open, cdrs_draw, cdrs_handle, cdrs_reload, cdrs_close,
	"Enter explain  f filter  / search  e export  Home/End",
};
