/* view_dest.c: per-destination breakout of one account's calls for a
 * window (h/l cycle 3 days / a week / a month): calls, connected, minutes,
 * ASR, ACD and cost per rated prefix, sorted by cost (o cycles the sort),
 * searchable by prefix or description (/ and n), exportable (e).
 *
 * The rows are report_get_usage(..., BY_DESTINATION)'s, read from the
 * per-day destination rollups: the same figures as `billtop usage ACCOUNT
 * --window W --by destination`, and the CSV export is that command's CSV
 * (rows in the order shown). This file sorts and lays them out only. */
#include <stdlib.h>
#include <string.h>

#include "../core/tm.h"
#include "../data/out.h"
#include "../data/report.h"
#include "../front/render.h"
#include "tui.h"
#include "windowed.h"

#define NWIN 3
static const report_window WINDOWS[NWIN] = { WIN_3D, WIN_WEEK, WIN_MONTH };

enum { SORT_COST, SORT_CALLS, SORT_MINUTES, SORT_ASR, SORT_PREFIX, NSORTS };
static const char *const SORT_NAMES[NSORTS] = { "cost", "calls", "minutes", "ASR", "prefix" };

typedef struct {
	int win, sort, sel, top;
	report_usage u;          /* owned: report_usage_free; u.b sorted by `sort` */
	int loaded;
	char search[64];
} dest_priv;

/* ---- sorting ------------------------------------------------------------ */

static int g_sort; /* qsort has no context argument in C11 */

static int cmp64(int64_t a, int64_t b)
{
	return a < b ? 1 : a > b ? -1 : 0; /* descending */
}

/* Ties fall back to the report's own order: cost, calls, prefix. */
static int cmp(const void *x, const void *y)
{
	const report_bucket *a = x, *b = y;
	int c = 0;
	switch (g_sort) {
	case SORT_CALLS: c = cmp64(a->calls, b->calls); break;
	case SORT_MINUTES: c = cmp64(a->billsec_ms, b->billsec_ms); break;
	case SORT_ASR: c = cmp64(report_asr_bp(a->calls, a->connected), report_asr_bp(b->calls, b->connected)); break;
	case SORT_PREFIX: return strcmp(a->prefix, b->prefix);
	default: break;
	}
	if (!c)
		c = cmp64(a->cost, b->cost);
	if (!c)
		c = cmp64(a->calls, b->calls);
	return c ? c : strcmp(a->prefix, b->prefix);
}

static void sort_rows(dest_priv *p)
{
	char keep[sizeof p->u.b[0].prefix] = "";
	int had = p->sel < p->u.n;
	if (had)
		snprintf(keep, sizeof keep, "%s", p->u.b[p->sel].prefix);
	g_sort = p->sort;
	if (p->u.n > 1)
		qsort(p->u.b, (size_t)p->u.n, sizeof *p->u.b, cmp);
	for (int i = 0; had && i < p->u.n; i++)
		if (strcmp(p->u.b[i].prefix, keep) == 0)
			p->sel = i;
}

/* ---- data ------------------------------------------------------------ */

static int load(view *v)
{
	dest_priv *p = v->priv;
	tui *t = v->t;
	report_window w = WINDOWS[p->win];
	char keep[sizeof p->u.total.prefix] = "";
	int64_t from, to;
	account_info fresh;
	int st;

	if (p->loaded && p->sel < p->u.n)
		snprintf(keep, sizeof keep, "%s", p->u.b[p->sel].prefix);
	if (account_get(t->db, v->account.id, &fresh) == DB_OK)
		v->account = fresh;
	report_usage_free(&p->u);
	p->loaded = 0;
	report_window_range(w, tui_as_of(t), &from, &to);   /* the clock, or the as-of time (A) */
	st = report_get_usage_asof(t->db, &v->account, from, to, BY_DESTINATION, tui_as_of(t), &p->u);
	snprintf(v->title, sizeof v->title, "%s  destinations  %s", v->account.name, report_window_name(w));
	if (st != DB_OK) {
		report_usage_free(&p->u);
		tui_set_status(t, "destinations: %s", db_errmsg(t->db));
		return -1;
	}
	p->loaded = 1;
	p->sel = 0;
	g_sort = p->sort;
	if (p->u.n > 1)
		qsort(p->u.b, (size_t)p->u.n, sizeof *p->u.b, cmp);
	for (int i = 0; keep[0] && i < p->u.n; i++)
		if (strcmp(p->u.b[i].prefix, keep) == 0)
			p->sel = i;
	return 0;
}

static int dest_open(view *v)
{
	if (!(v->priv = calloc(1, sizeof(dest_priv))))
		return -1;
	return load(v);
}

static void dest_close(view *v)
{
	dest_priv *p = v->priv;
	if (p)
		report_usage_free(&p->u);
	free(p);
}

static void dest_reload(view *v)
{
	load(v);
}

/* ---- drawing --------------------------------------------------------- */

/* A destination bucket's label is "PREFIX description": the description. */
static const char *description(const report_bucket *b)
{
	size_t n = strlen(b->prefix);
	return b->prefix[0] ? b->label + n + (b->label[n] == ' ') : b->label;
}

static void dest_line(tui *t, int y, int cols, int descw, const report_bucket *b, const char *desc, int d)
{
	char asr[32], acd[32], min[32], cost[40];
	render_asr(report_asr_bp(b->calls, b->connected), 1, asr, sizeof asr);
	render_acd(report_acd_ms(b->connected, b->billsec_ms), acd, sizeof acd);
	render_minutes(b->billsec_ms, min, sizeof min);
	money_format(b->cost, d, cost, sizeof cost);
	tui_textf(t, y, 0, 10, "%-10.10s", b->prefix[0] ? b->prefix : "-");
	tui_textf(t, y, 11, descw, "%s", desc);
	tui_textf(t, y, 11 + descw + 1, cols - 12 - descw, "%6lld %6lld %9s %6s %6s %11s", (long long)b->calls,
	          (long long)b->connected, min, asr, acd, cost);
}

static void dest_draw(view *v, int top, int rows, int cols)
{
	dest_priv *p = v->priv;
	tui *t = v->t;
	const report_usage *u = &p->u;
	int d = v->account.decimals, y = top, x;
	int descw = cols - 11 - 1 - 49, list;
	char from[24], to[24];

	tui_text(t, y, 0, 8, "window:");
	x = windowed_tabs(t, y, 8, cols, WINDOWS, NWIN, p->win);
	tui_textf(t, y, x + 1, 22, "sort: %s", SORT_NAMES[p->sort]);
	tm_format(u->from, from, sizeof from);
	tm_format(u->to, to, sizeof to);
	tui_textf(t, y, cols - 25, 25, "%.10s to %.10s", from, to);
	y++;
	if (!p->loaded) {
		tui_text(t, y + 1, 2, cols - 2, "no figures: press R to retry");
		return;
	}
	attron(A_BOLD);
	tui_textf(t, y, 0, cols, "%-10s %-*s %6s %6s %9s %6s %6s %11s", "PREFIX", descw, "DESTINATION", "CALLS",
	          "CONN", "MINUTES", "ASR", "ACD", "CALLS COST");
	attroff(A_BOLD);
	y++;
	list = rows - 3;
	if (u->n == 0) {
		tui_text(t, y + 1, 2, cols - 2, "no calls in this window (h/l changes the window)");
	} else {
		if (p->sel >= u->n)
			p->sel = u->n - 1;
		if (p->sel < p->top)
			p->top = p->sel;
		if (p->sel >= p->top + list)
			p->top = p->sel - list + 1;
		for (int i = p->top; i < u->n && i < p->top + list; i++, y++) {
			const report_bucket *b = &u->b[i];
			const char *desc = description(b);
			if (i == p->sel) {
				attron(tui_attr(t, CP_SELECT));
				move(y, 0);
				for (int k = 0; k < cols; k++)
					addch(' ');
			}
			dest_line(t, y, cols, descw, b, desc, d);
			if (i == p->sel)
				attroff(tui_attr(t, CP_SELECT));
		}
	}
	y = top + rows - 1;
	attron(A_BOLD);
	dest_line(t, y, cols, descw, &u->total, "", d);
	tui_textf(t, y, 0, 11 + descw, "TOTAL  %d destinations", u->n);
	attroff(A_BOLD);
}

/* ---- export ------------------------------------------------------------ */

/* The console's own text form (no command prints it): prefix and
 * description apart, in the order shown, and the sort named. */
static void write_text(FILE *f, const account_info *a, report_window w, int sort, const report_usage *u)
{
	char sorted[40];
	snprintf(sorted, sizeof sorted, ", sorted by %s", SORT_NAMES[sort]);
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

static int export_write(FILE *f, tui_export_format fmt, void *ctx)
{
	const view *v = ctx;
	const dest_priv *p = v->priv;
	if (fmt == TUI_EXPORT_CSV)
		render_usage_csv(f, &p->u, v->account.decimals); /* `billtop usage --by destination`, as shown */
	else
		write_text(f, &v->account, WINDOWS[p->win], p->sort, &p->u);
	return 0;
}

/* ---- keys -------------------------------------------------------------- */

static int matches(const report_bucket *b, const char *s)
{
	return strncmp(b->prefix, s, strlen(s)) == 0 || tui_contains(b->label, s);
}

static int search_from(dest_priv *p, int start)
{
	for (int k = 0; k < p->u.n; k++) {
		int i = (start + k) % p->u.n;
		if (matches(&p->u.b[i], p->search)) {
			p->sel = i;
			return 1;
		}
	}
	return 0;
}

static int dest_handle(view *v, tui_action a, int ch)
{
	dest_priv *p = v->priv;
	tui *t = v->t;
	int page = t->rows - 6, n = p->u.n;
	switch (a) {
	case ACT_LEFT:
	case ACT_RIGHT:
		p->win = windowed_step(a, p->win, NWIN);
		load(v);
		return 1;
	case ACT_UP: if (p->sel > 0) p->sel--; return 1;
	case ACT_DOWN: if (p->sel + 1 < n) p->sel++; return 1;
	case ACT_PAGE_UP: p->sel = p->sel > page ? p->sel - page : 0; return 1;
	case ACT_PAGE_DOWN: p->sel = p->sel + page < n ? p->sel + page : (n ? n - 1 : 0); return 1;
	case ACT_HOME: p->sel = 0; return 1;
	case ACT_END: p->sel = n ? n - 1 : 0; return 1;
	case ACT_SORT:
		p->sort = (p->sort + 1) % NSORTS;
		sort_rows(p);
		return 1;
	case ACT_SEARCH:
		if (tui_prompt(t, "search prefix or destination:", p->search, p->search, sizeof p->search) && p->search[0]
		    && !search_from(p, p->sel))
			tui_set_status(t, "no destination matches \"%s\"", p->search);
		return 1;
	case ACT_SEARCH_NEXT:
		if (!p->search[0])
			tui_set_status(t, "no search yet: press /");
		else if (!search_from(p, p->sel + 1))
			tui_set_status(t, "no destination matches \"%s\"", p->search);
		return 1;
	case ACT_EXPORT:
		windowed_export(v, p->loaded, "destinations", WINDOWS[p->win], export_write);
		return 1;
	case ACT_DESTINATIONS:
		return 1;
	default:
		return tui_open_account_view(t, a, &v->account);
	}
}

const view_ops view_dest_ops = {
	"destinations", dest_open, dest_draw, dest_handle, dest_reload, dest_close,
	"h/l window  o sort  / search  n next  e export",
};
