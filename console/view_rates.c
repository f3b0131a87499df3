/* view_rates.c: the account's rate deck: prefix, description, rate per
 * minute, increments, connect fee, grace and effective dates; searchable
 * by prefix or description (/ and n); f shows only the rows in effect now.
 *
 * Decks can hold 100,000 prefixes or more, so the screen never loads the
 * deck: it holds one screenful, fetched by key through data/deck_page
 * (keyset pagination on the rate table's unique index). Every move is one
 * index seek plus the rows shown, wherever it is in the deck; counting
 * (the "row N of M" position) is done only on jumps and reloads. The view
 * owns its page of rows; nothing here rates or prices anything. */
#include <stdlib.h>
#include <string.h>

#include "../core/tm.h"
#include "../data/deck_page.h"
#include "tui.h"

#define MAX_ROWS 400   /* rows of the tallest terminal we fill */

typedef struct {
	deck_scope sc;
	deck_row rows[MAX_ROWS]; /* the rows on screen, ascending */
	deck_row more[MAX_ROWS]; /* scratch: rows fetched while scrolling */
	int n, sel, vis;         /* rows held, selected index, rows that fit */
	int64_t total, rank;     /* rows in scope; position of rows[0] */
	int64_t stamp;           /* deck_page_stamp when total was counted */
	int force;               /* R: count again on the next reload */
	char search[64];
	int loaded;
} rates_priv;

static int key_cmp(const deck_key *a, const deck_key *b)
{
	int c = strcmp(a->prefix, b->prefix);
	return c ? c : (a->eff_from > b->eff_from) - (a->eff_from < b->eff_from);
}

static int fail(view *v)
{
	tui_set_status(v->t, "rates: %s", db_errmsg(v->t->db));
	return -1;
}

/* Fill the page with up to vis rows from `key` (inclusive; NULL: the
 * first rows). Sets rank when `rank` >= 0, else counts it. */
static int fill_from(view *v, const deck_key *key, int64_t rank)
{
	rates_priv *p = v->priv;
	deck_key k;
	if (key) {
		k = *key; /* key may point into rows[] */
		key = &k;
	}
	if (deck_page(v->t->db, &p->sc, key, 1, 1, p->rows, p->vis, &p->n) != DB_OK)
		return fail(v);
	if (p->n < p->vis && p->total > p->n) {
		/* near the end: show the last full screen instead of a short one */
		if (deck_page(v->t->db, &p->sc, NULL, -1, 0, p->rows, p->vis, &p->n) != DB_OK)
			return fail(v);
		p->rank = p->total - p->n;
		for (p->sel = 0; key && p->sel < p->n - 1 && key_cmp(&p->rows[p->sel].key, &k) < 0; p->sel++)
			;
		return 0;
	}
	if (rank >= 0)
		p->rank = rank;
	else if (!key)
		p->rank = 0;
	else if (p->n && deck_rank(v->t->db, &p->sc, &p->rows[0].key, &p->rank) != DB_OK)
		return fail(v);
	p->sel = 0;
	return 0;
}

static void set_title(view *v)
{
	snprintf(v->title, sizeof v->title, "%.64s  rates  deck %.40s", v->account.name,
	         v->account.deck[0] ? v->account.deck : "(none)");
}

/* (Re)load keeping the selected row where possible. */
static int load(view *v)
{
	rates_priv *p = v->priv;
	account_info fresh;
	deck_key keep;
	int had = p->loaded && p->n > 0, sel = p->sel, st;

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
	if (p->vis < 1)
		p->vis = 20; /* until the first draw says how many fit */
	set_title(v);
	if (!v->account.deck_id)
		return 0;
	/* counting walks the index: ~25 ms per 100,000 rows, ~0.3 s when only
	 * the rows in effect count (each needs its table row): progress is
	 * shown and Esc cancels */
	tui_busy_begin(v->t, "counting the deck");
	st = deck_page_stamp(v->t->db, &p->stamp) != DB_OK || deck_count(v->t->db, &p->sc, &p->total) != DB_OK
	     ? fail(v) : fill_from(v, had ? &keep : NULL, -1);
	tui_busy_end(v->t);
	if (st != 0)
		return -1;
	if (had && sel < p->n)
		p->sel = sel;
	p->loaded = 1;
	set_title(v);
	return 0;
}

static int rates_open(view *v)
{
	if (!(v->priv = calloc(1, sizeof(rates_priv))))
		return -1;
	return load(v);
}

static void rates_close(view *v)
{
	free(v->priv);
}

/* Another process wrote (an import, a ledger entry, a live feed: often
 * nothing to do with rates). Counting a big deck takes tens of ms, so it
 * is redone only when rate rows were added, the deck changed, or R asked;
 * otherwise just the rows on screen are read again. */
static void rates_reload(view *v)
{
	rates_priv *p = v->priv;
	account_info fresh;
	int64_t stamp;
	int sel = p->sel;
	if (!p->loaded || p->force || !p->n || account_get(v->t->db, v->account.id, &fresh) != DB_OK
	    || fresh.deck_id != v->account.deck_id || deck_page_stamp(v->t->db, &stamp) != DB_OK || stamp != p->stamp) {
		p->force = 0;
		load(v);
		return;
	}
	if (fill_from(v, &p->rows[0].key, p->rank) == 0 && sel < p->n)
		p->sel = sel;
}

/* ---- moving ------------------------------------------------------------ */

static void move_down(view *v, int by)
{
	rates_priv *p = v->priv;
	deck_row *next = p->more;
	int k;
	if (!p->n)
		return;
	if (p->sel + by < p->n) {
		p->sel += by;
		return;
	}
	if (deck_page(v->t->db, &p->sc, &p->rows[p->n - 1].key, 1, 0, next, by, &k) != DB_OK) {
		fail(v);
		return;
	}
	if (k == 0) {
		p->sel = p->n - 1; /* the end */
		return;
	}
	/* scroll by k: drop k rows at the top, append the k fetched */
	if (k >= p->n) {
		memcpy(p->rows, next + (k - p->n), (size_t)p->n * sizeof *next);
	} else {
		memmove(p->rows, p->rows + k, (size_t)(p->n - k) * sizeof *next);
		memcpy(p->rows + p->n - k, next, (size_t)k * sizeof *next);
	}
	p->rank += k;
	p->sel = p->sel + by - k < p->n ? p->sel + by - k : p->n - 1;
}

static void move_up(view *v, int by)
{
	rates_priv *p = v->priv;
	deck_row *prev = p->more;
	int k;
	if (!p->n)
		return;
	if (p->sel - by >= 0) {
		p->sel -= by;
		return;
	}
	if (deck_page(v->t->db, &p->sc, &p->rows[0].key, -1, 0, prev, by, &k) != DB_OK) {
		fail(v);
		return;
	}
	if (k == 0) {
		p->sel = 0; /* the start */
		return;
	}
	if (k >= p->n) {
		memcpy(p->rows, prev, (size_t)p->n * sizeof *prev);
	} else {
		memmove(p->rows + k, p->rows, (size_t)(p->n - k) * sizeof *prev);
		memcpy(p->rows, prev, (size_t)k * sizeof *prev);
	}
	p->rank -= k;
	p->sel = p->sel - by + k >= 0 ? p->sel - by + k : 0;
}

static void go_end(view *v)
{
	rates_priv *p = v->priv;
	if (deck_page(v->t->db, &p->sc, NULL, -1, 0, p->rows, p->vis, &p->n) != DB_OK) {
		fail(v);
		return;
	}
	p->rank = p->total - p->n;
	p->sel = p->n ? p->n - 1 : 0;
}

/* The terminal now fits `vis` rows: keep the selected row on screen. */
static void fit(view *v, int vis)
{
	rates_priv *p = v->priv;
	deck_key top;
	int64_t rank;
	if (vis > MAX_ROWS)
		vis = MAX_ROWS;
	if (vis < 1)
		vis = 1;
	if (vis == p->vis || !p->loaded)
		return;
	if (!p->n) {
		p->vis = vis;
		return;
	}
	if (p->sel >= vis) { /* smaller: the selected row becomes the last */
		top = p->rows[p->sel - vis + 1].key;
		rank = p->rank + p->sel - vis + 1;
		p->sel = vis - 1;
	} else {
		top = p->rows[0].key;
		rank = p->rank;
	}
	{
		int sel = p->sel;
		p->vis = vis;
		if (fill_from(v, &top, rank) == 0 && p->rank == rank && sel < p->n)
			p->sel = sel;
	}
}

/* ---- search ------------------------------------------------------------ */

static void search(view *v, int next)
{
	rates_priv *p = v->priv;
	tui *t = v->t;
	deck_key found;
	int st, wrapped = 0;
	if (!p->n || !p->search[0])
		return;
	/* a search may walk the whole deck: show progress, Esc cancels */
	tui_busy_begin(t, "searching the deck");
	st = deck_search(t->db, &p->sc, next ? &p->rows[p->sel].key : NULL, p->search, &found);
	if (st == DB_ENOTFOUND && next) {
		wrapped = 1;
		st = deck_search(t->db, &p->sc, NULL, p->search, &found);
	}
	if (st == DB_OK)
		st = fill_from(v, &found, -1) == 0 ? DB_OK : -1; /* counts the position */
	else if (st != DB_ENOTFOUND)
		fail(v);
	tui_busy_end(t);
	if (t->cancelled || st == -1)
		return;
	if (st == DB_ENOTFOUND) {
		tui_set_status(t, "no rate matches \"%s\" (prefix or description)", p->search);
		return;
	}
	if (st == DB_OK && wrapped)
		tui_set_status(t, "search wrapped to the top of the deck");
}

/* ---- drawing --------------------------------------------------------- */

static void rates_draw(view *v, int top, int rows, int cols)
{
	rates_priv *p = v->priv;
	tui *t = v->t;
	int descw = cols - 66, y = top;
	int64_t now = p->sc.at;

	if (!v->account.deck_id) {
		tui_textf(t, top + 1, 2, cols - 2, "%s has no rate deck: its calls are stored unrated.", v->account.name);
		tui_textf(t, top + 2, 2, cols - 2, "Set one with `billtop account set \"%s\" --deck DECK`.", v->account.name);
		return;
	}
	fit(v, rows - 2);
	tui_textf(t, y, 0, cols, "deck %s  %s  rows %lld-%lld of %lld%s%s%s", v->account.deck,
	          p->sc.current_only ? "(in effect now; f: all rows)" : "(all rows; f: in effect now)",
	          (long long)(p->n ? p->rank + 1 : 0), (long long)(p->rank + p->n), (long long)p->total,
	          p->search[0] ? "  search \"" : "", p->search, p->search[0] ? "\"" : "");
	y++;
	attron(A_BOLD);
	tui_textf(t, y++, 0, cols, "%-10s %-*s %9s %7s %8s %5s %-10s %-10s", "PREFIX", descw, "DESCRIPTION", "RATE/MIN",
	          "INCR", "CONNECT", "GRACE", "FROM", "UNTIL");
	attroff(A_BOLD);
	if (!p->n) {
		tui_text(t, y + 1, 2, cols - 2, p->sc.current_only ? "no rows in effect now (f shows all rows)" : "the deck is empty");
		return;
	}
	for (int i = 0; i < p->n && y < top + rows; i++, y++) {
		const deck_row *r = &p->rows[i];
		char rate[40], fee[40], incr[24], from[24], until[24];
		int old = r->eff_to != TM_NONE && r->eff_to <= now, future = r->key.eff_from > now;
		int attr = i == p->sel ? tui_attr(t, CP_SELECT) : old ? tui_attr(t, CP_DIM) : future ? tui_attr(t, CP_WARN) : 0;
		money_format(r->rate, 4, rate, sizeof rate);
		money_format(r->connect_fee, 4, fee, sizeof fee);
		snprintf(incr, sizeof incr, "%d/%d", r->min_secs, r->inc_secs);
		tm_format(r->key.eff_from, from, sizeof from);
		if (r->eff_to != TM_NONE)
			tm_format(r->eff_to, until, sizeof until);
		else
			snprintf(until, sizeof until, "-");
		if (attr)
			attron(attr);
		if (i == p->sel) {
			move(y, 0);
			for (int k = 0; k < cols; k++)
				addch(' ');
		}
		tui_textf(t, y, 0, 10, "%-10s", r->key.prefix);
		tui_text(t, y, 11, descw, r->desc);
		tui_textf(t, y, 11 + descw + 1, cols - 12 - descw, "%9s %7s %8s %5d %-10.10s %-10.10s", rate, incr, fee,
		          r->grace_secs, r->key.eff_from ? from : "always", until);
		if (attr)
			attroff(attr);
	}
}

/* ---- keys -------------------------------------------------------------- */

static int rates_handle(view *v, tui_action a, int ch)
{
	rates_priv *p = v->priv;
	tui *t = v->t;
	int page = p->vis > 1 ? p->vis - 1 : 1;
	if (!p->loaded && a != ACT_REFRESH) /* no deck, or it failed to load: R retries */
		switch (a) {
		case ACT_UP: case ACT_DOWN: case ACT_PAGE_UP: case ACT_PAGE_DOWN: case ACT_HOME: case ACT_END:
		case ACT_SEARCH: case ACT_SEARCH_NEXT: case ACT_FILTER: case ACT_RATES:
			return 1;
		default:
			return tui_open_account_view(t, a, &v->account);
		}
	switch (a) {
	case ACT_DOWN: move_down(v, 1); return 1;
	case ACT_UP: move_up(v, 1); return 1;
	case ACT_PAGE_DOWN: move_down(v, page); return 1;
	case ACT_PAGE_UP: move_up(v, page); return 1;
	case ACT_HOME: fill_from(v, NULL, 0); return 1;
	case ACT_END: go_end(v); return 1;
	case ACT_SEARCH:
		if (tui_prompt(t, "search prefix or description:", p->search, p->search, sizeof p->search))
			search(v, 0);
		return 1;
	case ACT_SEARCH_NEXT:
		if (!p->search[0])
			tui_set_status(t, "no search yet: press /");
		else
			search(v, 1);
		return 1;
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
		return tui_open_account_view(t, a, &v->account);
	}
}

const view_ops view_rates_ops = {
	"rates", rates_open, rates_draw, rates_handle, rates_reload, rates_close,
	"/ search  n next  f in effect now  Home/End",
};
