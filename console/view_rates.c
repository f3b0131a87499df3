/* view_rates.c: the account's rate deck (prefix, description, rate per
 * minute, increments, connect fee, grace, effective dates) on the list
 * base (listview.h). f shows only the rows in effect now.
 *
 * Decks can hold 100,000 prefixes or more, so the screen never loads the
 * deck: it holds a window of at most WINDOW rows, read by key through
 * data/deck_page (keyset pagination on the rate table's unique index):
 * every read is one index seek plus the rows read, wherever it is in the
 * deck; counting (the "deck row N of M" position) is done only on jumps
 * and reloads. The base calls `more` when the selection leaves the window.
 *
 * `/` narrows as you type: each text first moves the window to the deck's
 * first row whose prefix begins with it or whose description contains it
 * (deck_search, over the whole deck), then the base keeps the matching
 * rows of the window. `o` sorts the rows loaded. `e` exports the whole
 * scope as `billtop rates list DECK` writes it (CSV exact rates, or text);
 * with a `/` text or a sort, the rows shown. Nothing here rates or prices
 * anything.
 *
 * Memory: the console owns the priv (priv_size); the window is inside it. */
#include <stdlib.h>
#include <string.h>

#include "../core/tm.h"
#include "../data/deck_page.h"
#include "../data/out.h"
#include "../front/text.h"
#include "listview.h"
#include "lvkit.h"

#define FETCH 200
#define WINDOW 800

typedef struct {
	listview lv;
	deck_scope sc;
	deck_row rows[WINDOW + FETCH];  /* the window, ascending */
	deck_row buf[FETCH];            /* scratch for reads before the window */
	int n;
	int64_t total, rank;            /* rows in scope; position of rows[0] */
	int64_t stamp;                  /* deck_page_stamp when total was counted */
	int at_first, at_last;          /* the window holds the first / last row */
	int force;                      /* R: count again on the next reload */
	int loaded;
} rates_priv;

static int fail(view *v)
{
	tui_set_status(v->t, "rates: %s", db_errmsg(v->t->db));
	return -1;
}

/* Decimals that show a deck amount exactly: 4 at least, 9 at most (as
 * `billtop rates list`). */
static int exact_decimals(money_t m)
{
	int d = 9;
	if (m < 0)
		m = -m;
	while (d > 4 && m % 10 == 0) {
		m /= 10;
		d--;
	}
	return d;
}

/* ---- the window ------------------------------------------------------------ */

/* Read from `key` (inclusive; NULL: the first row) on; rank is its
 * position when known (>= 0), else counted. */
static int fill_from(view *v, const deck_key *key, int64_t rank)
{
	rates_priv *p = v->priv;
	deck_key k;
	if (key) {
		k = *key; /* key may point into rows[] */
		key = &k;
	}
	if (deck_page(v->t->db, &p->sc, key, 1, 1, p->rows, FETCH, &p->n) != DB_OK)
		return fail(v);
	if (rank >= 0)
		p->rank = rank;
	else if (!key || !p->n)
		p->rank = 0;
	else if (deck_rank(v->t->db, &p->sc, &p->rows[0].key, &p->rank) != DB_OK)
		return fail(v);
	p->at_first = p->rank == 0;
	p->at_last = p->n < FETCH;
	return 0;
}

static int fill_last(view *v)
{
	rates_priv *p = v->priv;
	if (deck_page(v->t->db, &p->sc, NULL, -1, 0, p->rows, FETCH, &p->n) != DB_OK)
		return fail(v);
	p->rank = p->total - p->n;
	p->at_last = 1;
	p->at_first = p->rank <= 0;
	return 0;
}

/* The rows after the window; 1 when some came. */
static int older(view *v)
{
	rates_priv *p = v->priv;
	int k;
	if (p->at_last || !p->n)
		return 0;
	if (deck_page(v->t->db, &p->sc, &p->rows[p->n - 1].key, 1, 0, p->rows + p->n, FETCH, &k) != DB_OK)
		return fail(v), 0;
	p->n += k;
	p->at_last = k < FETCH;
	if (p->n > WINDOW) {
		int drop = p->n - WINDOW;
		memmove(p->rows, p->rows + drop, (size_t)WINDOW * sizeof *p->rows);
		p->n = WINDOW;
		p->rank += drop;
		p->at_first = 0;
	}
	return k > 0;
}

/* The rows before the window; 1 when some came. */
static int newer(view *v)
{
	rates_priv *p = v->priv;
	int k;
	if (p->at_first || !p->n)
		return 0;
	if (deck_page(v->t->db, &p->sc, &p->rows[0].key, -1, 0, p->buf, FETCH, &k) != DB_OK)
		return fail(v), 0;
	memmove(p->rows + k, p->rows, (size_t)p->n * sizeof *p->rows);
	memcpy(p->rows, p->buf, (size_t)k * sizeof *p->rows);
	p->n += k;
	p->rank -= k;
	p->at_first = k < FETCH || p->rank <= 0;
	if (p->n > WINDOW) {
		p->n = WINDOW;
		p->at_last = 0;
	}
	return k > 0;
}

static void set_title(view *v)
{
	snprintf(v->title, sizeof v->title, "%.64s  rates  deck %.40s", v->account.name,
	         v->account.deck[0] ? v->account.deck : "(none)");
}

/* (Re)load: count the scope and read from the window's first row again. */
static int load(view *v)
{
	rates_priv *p = v->priv;
	account_info fresh;
	deck_key keep;
	int had = p->loaded && p->n > 0, st;
	if (had)
		keep = p->rows[0].key;
	if (account_get(v->t->db, v->account.id, &fresh) == DB_OK) {
		if (fresh.deck_id != v->account.deck_id)
			had = 0; /* another deck now: start at its top */
		v->account = fresh;
	}
	p->loaded = 0;
	p->n = 0;
	p->sc.deck_id = v->account.deck_id;
	p->sc.at = db_now();
	set_title(v);
	if (!v->account.deck_id) {
		listview_rebuild(&p->lv, v);
		return 0;
	}
	/* counting walks the index: ~25 ms per 100,000 rows, ~0.3 s when only
	 * the rows in effect count (each needs its table row): progress is
	 * shown and Esc cancels */
	tui_busy_begin(v->t, "counting the deck");
	st = deck_page_stamp(v->t->db, &p->stamp) != DB_OK || deck_count(v->t->db, &p->sc, &p->total) != DB_OK
	     ? fail(v) : fill_from(v, had ? &keep : NULL, -1);
	tui_busy_end(v->t);
	listview_rebuild(&p->lv, v);
	if (st != 0)
		return -1;
	p->loaded = 1;
	return 0;
}

/* ---- the list's callbacks ------------------------------------------------ */

enum { C_PREFIX, C_DESC, C_RATE, C_INCR, C_FEE, C_GRACE, C_FROM, C_UNTIL, C_N };

static const deck_row *row_at(view *v, int i)
{
	return &((rates_priv *)v->priv)->rows[i];
}

static int r_count(view *v)
{
	return ((rates_priv *)v->priv)->n;
}

static void r_cell(view *v, int i, int col, char *buf, size_t n)
{
	const deck_row *r = row_at(v, i);
	char t[24];
	switch (col) {
	case C_PREFIX: snprintf(buf, n, "%s", r->key.prefix); break;
	case C_DESC: snprintf(buf, n, "%s", r->desc); break;
	case C_RATE: money_format(r->rate, 4, buf, n); break;
	case C_INCR: snprintf(buf, n, "%d/%d", r->min_secs, r->inc_secs); break;
	case C_FEE: money_format(r->connect_fee, 4, buf, n); break;
	case C_GRACE: snprintf(buf, n, "%d", r->grace_secs); break;
	case C_FROM:
		tm_format(r->key.eff_from, t, sizeof t);
		snprintf(buf, n, "%.10s", r->key.eff_from ? t : "always");
		break;
	case C_UNTIL:
		tm_format(r->eff_to, t, sizeof t);
		snprintf(buf, n, "%.10s", r->eff_to != TM_NONE ? t : "-");
		break;
	default: buf[0] = '\0';
	}
}

static int by_prefix(view *v, int a, int b)
{
	int c = strcmp(row_at(v, a)->key.prefix, row_at(v, b)->key.prefix);
	return c ? c : lv_cmp64(row_at(v, a)->key.eff_from, row_at(v, b)->key.eff_from);
}
static int by_desc(view *v, int a, int b) { return strcmp(row_at(v, a)->desc, row_at(v, b)->desc); }
static int by_rate(view *v, int a, int b) { return lv_cmp64(row_at(v, a)->rate, row_at(v, b)->rate); }
static int by_fee(view *v, int a, int b) { return lv_cmp64(row_at(v, a)->connect_fee, row_at(v, b)->connect_fee); }
static int by_from(view *v, int a, int b) { return lv_cmp64(row_at(v, a)->key.eff_from, row_at(v, b)->key.eff_from); }

static int r_attr(view *v, int i)
{
	const deck_row *r = row_at(v, i);
	int64_t now = ((rates_priv *)v->priv)->sc.at;
	if (r->eff_to != TM_NONE && r->eff_to <= now)
		return tui_attr(v->t, CP_DIM); /* no longer in effect */
	return r->key.eff_from > now ? tui_attr(v->t, CP_WARN) : 0; /* not yet */
}

static int64_t r_key(view *v, int i)
{
	return row_at(v, i)->id;
}

/* The selected rate whole, with exact amounts. */
static void r_detail(view *v, int i, char *buf, size_t n)
{
	const deck_row *r = row_at(v, i);
	char rate[40], fee[40], from[24], until[24];
	money_format(r->rate, exact_decimals(r->rate), rate, sizeof rate);
	money_format(r->connect_fee, exact_decimals(r->connect_fee), fee, sizeof fee);
	tm_format(r->key.eff_from, from, sizeof from);
	tm_format(r->eff_to, until, sizeof until);
	snprintf(buf, n, "%s %s: %s %s/min, first %d s then every %d s, connect %s, grace %d s, from %s%s%s",
	         r->key.prefix, r->desc, rate, v->account.currency, r->min_secs, r->inc_secs, fee, r->grace_secs,
	         r->key.eff_from ? from : "always", r->eff_to != TM_NONE ? " until " : "",
	         r->eff_to != TM_NONE ? until : "");
}

static void r_status(view *v, char *buf, size_t n)
{
	rates_priv *p = v->priv;
	int sel = listview_selected(&p->lv);
	if (p->lv.filter[0] || p->lv.sort_col >= 0 || sel < 0)
		snprintf(buf, n, "deck: %lld rows%s", (long long)p->total, p->sc.current_only ? " in effect now" : "");
	else
		snprintf(buf, n, "deck row %lld of %lld%s", (long long)(p->rank + sel + 1), (long long)p->total,
		         p->sc.current_only ? " in effect now (f: all)" : " (f: in effect now)");
}

static int r_more(view *v, lv_more which)
{
	rates_priv *p = v->priv;
	if (!p->loaded)
		return 0;
	switch (which) {
	case LV_MORE_NEXT: return older(v);
	case LV_MORE_PREV: return newer(v);
	case LV_MORE_FIRST: return p->at_first ? 0 : fill_from(v, NULL, 0) == 0;
	case LV_MORE_LAST: return p->at_last ? 0 : fill_last(v) == 0;
	}
	return 0;
}

/* `/` over the whole deck: each text moves the window to the deck's first
 * row matching it (the base then keeps the matching rows of the window). */
static void r_refilter(view *v, const char *text)
{
	rates_priv *p = v->priv;
	deck_key found;
	int st;
	if (!text[0] || !p->loaded)
		return;
	tui_busy_begin(v->t, "searching the deck");
	st = deck_search(v->t->db, &p->sc, NULL, text, &found);
	tui_busy_end(v->t);
	if (st == DB_OK)
		fill_from(v, &found, -1);
	else if (st != DB_ENOTFOUND && !v->t->cancelled)
		fail(v);
}

static int r_match(view *v, int i, const char *text)
{
	const deck_row *r = row_at(v, i);
	return strncmp(r->key.prefix, text, strlen(text)) == 0 || tui_contains(r->desc, text);
}

static int r_export(view *v, FILE *f, tui_export_format fmt);

static const lv_column COLUMNS[C_N] = {
	[C_PREFIX] = { "PREFIX", 8, 10, LV_LEFT, 0, 0, by_prefix, 0 },
	[C_DESC] = { "DESCRIPTION", 16, 0, LV_LEFT, 0, 0, by_desc, 0 },
	[C_RATE] = { "RATE/MIN", 9, 9, LV_RIGHT, 0, 0, by_rate, 0 },
	[C_INCR] = { "INCR", 7, 7, LV_RIGHT, 0, 0, NULL, 0 },
	[C_FEE] = { "CONNECT", 8, 8, LV_RIGHT, 0, 0, by_fee, 0 },
	[C_GRACE] = { "GRACE", 5, 5, LV_RIGHT, 2, 0, NULL, 0 },
	[C_FROM] = { "FROM", 10, 10, LV_LEFT, 0, 0, by_from, 0 },
	[C_UNTIL] = { "UNTIL", 10, 10, LV_LEFT, 1, 0, NULL, 0 },
};

static const listview_ops LIST = {
	.columns = COLUMNS,
	.ncolumns = C_N,
	.count = r_count,
	.cell = r_cell,
	.match = r_match,
	.refilter = r_refilter,
	.detail = r_detail,
	.detail_lines = 1,
	.attr = r_attr,
	.key = r_key,
	.export_rows = r_export,
	.export_kind = "rates",
	.more = r_more,
	.empty = "no rate rows here (f switches between every row and the rows in effect now)",
	.status = r_status,
};

/* ---- export ----------------------------------------------------------------- */

static void write_row(FILE *f, out_csv *csv, tui_export_format fmt, const deck_row *r)
{
	if (fmt == TUI_EXPORT_CSV) {
		out_csv_cell(csv, r->key.prefix);
		out_csv_cell(csv, r->desc);
		out_csv_money(csv, r->rate, exact_decimals(r->rate));
		out_csv_int(csv, r->min_secs);
		out_csv_int(csv, r->inc_secs);
		out_csv_money(csv, r->connect_fee, exact_decimals(r->connect_fee));
		out_csv_int(csv, r->grace_secs);
		out_csv_time(csv, r->key.eff_from);
		out_csv_time(csv, r->eff_to);
		out_csv_end(csv);
	} else {
		char vis[120], mi[16];
		out_visible(r->desc, vis, sizeof vis, 0);
		snprintf(mi, sizeof mi, "%d/%d", r->min_secs, r->inc_secs);
		fprintf(f, "%-12s %-28.28s %12s %7s %10s %5d %-10.10s %.10s\n", r->key.prefix, vis,
		        cli_money(r->rate, exact_decimals(r->rate)), mi,
		        cli_money(r->connect_fee, exact_decimals(r->connect_fee)), r->grace_secs,
		        cli_time_text(r->key.eff_from), r->eff_to != TM_NONE ? cli_time_text(r->eff_to) : "-");
	}
}

/* The whole scope (every row, or the rows in effect now) a page at a time,
 * in the form of `billtop rates list DECK`; with a `/` text or a sort, the
 * rows shown. */
static int r_export(view *v, FILE *f, tui_export_format fmt)
{
	rates_priv *p = v->priv;
	out_csv csv;
	out_csv_init(&csv, f);
	if (fmt == TUI_EXPORT_CSV) {
		const char *h[] = { "prefix", "description", "rate", "min", "inc", "connect_fee", "grace", "effective",
		                    "until" };
		for (int i = 0; i < 9; i++)
			out_csv_cell(&csv, h[i]);
		out_csv_end(&csv);
	} else {
		fprintf(f, "%-12s %-28s %12s %7s %10s %5s %-10s %s\n", "PREFIX", "DESCRIPTION", "RATE/MIN", "MIN/INC",
		        "CONNECT", "GRACE", "FROM", "UNTIL");
	}
	if (p->lv.filter[0] || p->lv.sort_col >= 0) {
		for (int k = 0; k < listview_shown(&p->lv); k++)
			write_row(f, &csv, fmt, row_at(v, listview_row(&p->lv, k)));
		return 0;
	}
	if (!v->account.deck_id)
		return 0;
	{
		deck_key k;
		int got, first = 1, st = 0;
		tui_busy_begin(v->t, "exporting the deck");
		do {
			if (deck_page(v->t->db, &p->sc, first ? NULL : &k, 1, 0, p->buf, FETCH, &got) != DB_OK) {
				st = -1;
				break;
			}
			for (int i = 0; i < got; i++)
				write_row(f, &csv, fmt, &p->buf[i]);
			if (got)
				k = p->buf[got - 1].key;
			first = 0;
		} while (got == FETCH && !ferror(f) && !tui_busy_poll(v->t));
		tui_busy_end(v->t);
		if (st != 0 || v->t->cancelled) {
			tui_set_status(v->t, "export %s: the file is incomplete",
			               v->t->cancelled ? "cancelled" : db_errmsg(v->t->db));
			return -1;
		}
	}
	return 0;
}

/* ---- the view ------------------------------------------------------------ */

static int rates_open(view *v)
{
	rates_priv *p = v->priv;
	listview_init(&p->lv, &LIST);
	return load(v);
}

static void rates_close(view *v)
{
	rates_priv *p = v->priv;
	listview_free(&p->lv);
}

/* Another process wrote (an import, a ledger entry, a live feed: often
 * nothing to do with rates). Counting a big deck takes tens of ms, so it
 * is redone only when rate rows were added, the deck changed, or R asked;
 * otherwise just the window is read again from its first row. */
static void rates_reload(view *v)
{
	rates_priv *p = v->priv;
	account_info fresh;
	int64_t stamp;
	if (!p->loaded || p->force || !p->n || account_get(v->t->db, v->account.id, &fresh) != DB_OK
	    || fresh.deck_id != v->account.deck_id || deck_page_stamp(v->t->db, &stamp) != DB_OK || stamp != p->stamp) {
		p->force = 0;
		load(v);
		return;
	}
	if (fill_from(v, &p->rows[0].key, p->rank) == 0)
		listview_rebuild(&p->lv, v);
}

static void rates_draw(view *v, int top, int rows, int cols)
{
	rates_priv *p = v->priv;
	tui *t = v->t;
	if (!v->account.deck_id) {
		tui_textf(t, top + 1, 2, cols - 2, "%s has no rate deck: its calls are stored unrated.", v->account.name);
		tui_textf(t, top + 2, 2, cols - 2, "Set one with `billtop account set \"%s\" --deck DECK`.", v->account.name);
		return;
	}
	listview_draw(&p->lv, v, top, rows, cols);
}

static int rates_handle(view *v, tui_action a, int ch)
{
	rates_priv *p = v->priv;
	if (!p->loaded && a != ACT_REFRESH) /* no deck, or it failed to load: R retries */
		switch (a) {
		case ACT_UP: case ACT_DOWN: case ACT_PAGE_UP: case ACT_PAGE_DOWN: case ACT_HOME: case ACT_END:
		case ACT_SEARCH: case ACT_SEARCH_NEXT: case ACT_FILTER: case ACT_RATES: case ACT_SORT: case ACT_EXPORT:
			return 1;
		default:
			return tui_open_account_view(v->t, a, &v->account);
		}
	if (listview_handle(&p->lv, v, a, ch))
		return 1;
	switch (a) {
	case ACT_FILTER:
		p->sc.current_only = !p->sc.current_only;
		p->loaded = 0; /* start at the top of the new scope */
		load(v);
		return 1;
	case ACT_RATES:
		return 1;
	case ACT_REFRESH:
		p->force = 1; /* the console then reloads every view */
		return 0;
	default:
		return tui_open_account_view(v->t, a, &v->account);
	}
}

const view_ops view_rates_ops = {
	.name = "rates",
	.open = rates_open,
	.draw = rates_draw,
	.handle = rates_handle,
	.reload = rates_reload,
	.close = rates_close,
	.hints = "/ narrow  o sort  e export  f in effect now",
	.priv_size = sizeof(rates_priv),
};
