/* view_accounts.c: every account with balance, status, today's spend, spend
 * rate and low-balance warning; sortable (o), searchable (/), Enter opens
 * the account's dashboard; i and I investigate it or list its cases. */
#include <stdlib.h>
#include <string.h>

#include "../core/tm.h"
#include "../data/alert.h"
#include "../data/report.h"
#include "tui.h"

typedef struct {
	account_info a;
	report_balance b;
	money_t today, rate_per_hour;
	char event[32];        /* latest alert, "" when none */
	int64_t event_at, event_id;
} acct_row;

#define EVENT_MIN_COLS 100 /* narrower: the latest event is under the list only */

/* "suspended 10:30" (today, UTC) or "low balance 11-19 08:00". */
static void event_text(const alert_row *al, int64_t now, char *buf, size_t n)
{
	char when[32];
	const char *what = strcmp(al->event, "low_balance") == 0 ? "low balance" : al->event;
	tm_format(al->at, when, sizeof when); /* YYYY-MM-DD HH:MM:SS */
	if (tm_floor_day(al->at) == tm_floor_day(now))
		snprintf(buf, n, "%s %.5s", what, when + 11);
	else
		snprintf(buf, n, "%s %.5s %.5s", what, when + 5, when + 11);
}

typedef struct {
	acct_row *rows;
	int n, cap, sel, top, sort;
	char search[64];
	char last[400];        /* the latest event of any account, "" when none */
} accounts_priv;

static const char *const SORT_NAMES[] = { "name", "balance", "today's spend", "status" };
#define NSORTS 4

static int g_sort; /* qsort has no context argument in C11 */

static int cmp(const void *x, const void *y)
{
	const acct_row *a = x, *b = y;
	int sort = g_sort;
	if (sort == 1 && a->b.balance != b->b.balance)
		return a->b.balance < b->b.balance ? -1 : 1;
	if (sort == 2 && a->today != b->today)
		return a->today > b->today ? -1 : 1;
	if (sort == 3 && a->b.suspended != b->b.suspended)
		return b->b.suspended - a->b.suspended;
	return strcmp(a->a.name, b->a.name);
}

static int collect(const account_info *a, void *ctx)
{
	view *v = ctx;
	accounts_priv *p = v->priv;
	tui *t = v->t;
	int64_t now = tui_as_of(t);   /* the clock, or the as-of time (A) */
	acct_row *r;
	money_t last3;
	if (p->n == p->cap) {
		int ncap = p->cap ? p->cap * 2 : 16;
		acct_row *nr = realloc(p->rows, (size_t)ncap * sizeof *nr);
		if (!nr)
			return 1;
		p->rows = nr;
		p->cap = ncap;
	}
	r = &p->rows[p->n];
	memset(r, 0, sizeof *r);
	r->a = *a;
	/* nothing dated after `now` counts: TODAY is [00:00, now], the rate the
	 * last three hours up to now */
	if (report_get_balance_asof(t->db, a, now, &r->b) != DB_OK
	    || report_get_spend(t->db, a, tm_floor_day(now), now + 1, &r->today) != DB_OK
	    || report_get_spend(t->db, a, tm_floor_hour(now) - 2 * 3600, now + 1, &last3) != DB_OK)
		return 1;
	if (money_div_round(last3, 3, a->rounding, &r->rate_per_hour) != 0
	    || money_round(r->rate_per_hour, a->decimals, a->rounding, &r->rate_per_hour) != 0)
		r->rate_per_hour = 0;
	{
		alert_row al;
		int st = alert_last(t->db, a->id, now, &al);
		if (st == DB_OK) {
			event_text(&al, now, r->event, sizeof r->event);
			r->event_at = al.at;
			r->event_id = al.id;
		} else if (st != DB_ENOTFOUND) {
			return 1;
		}
	}
	p->n++;
	return 0;
}

/* The line under the list: the latest transition of any account, with its
 * balance and cause. */
static void latest_event(view *v)
{
	accounts_priv *p = v->priv;
	const acct_row *last = NULL;
	alert_row al;
	p->last[0] = '\0';
	for (int i = 0; i < p->n; i++)
		if (p->rows[i].event_id && (!last || p->rows[i].event_at > last->event_at
		                            || (p->rows[i].event_at == last->event_at && p->rows[i].event_id > last->event_id)))
			last = &p->rows[i];
	if (last && alert_last(v->t->db, last->a.id, db_now(), &al) == DB_OK) {
		char bal[48];
		money_format(al.balance, al.decimals, bal, sizeof bal);
		snprintf(p->last, sizeof p->last, "last event: %.64s %s, balance %s %s, %.160s", al.account, last->event, bal,
		         al.currency, al.cause);
	}
}

static int load(view *v)
{
	accounts_priv *p = v->priv;
	char keep[ACCOUNT_NAME_MAX + 1] = "";
	if (p->n && p->sel < p->n)
		snprintf(keep, sizeof keep, "%s", p->rows[p->sel].a.name);
	p->n = 0;
	if (account_each(v->t->db, collect, v) != DB_OK) {
		tui_set_status(v->t, "accounts: %s", db_errmsg(v->t->db));
		return -1;
	}
	g_sort = p->sort;
	qsort(p->rows, (size_t)p->n, sizeof *p->rows, cmp);
	for (int i = 0; keep[0] && i < p->n; i++)
		if (strcmp(p->rows[i].a.name, keep) == 0)
			p->sel = i;
	if (p->sel >= p->n)
		p->sel = p->n ? p->n - 1 : 0;
	int later = 0;
	for (int i = 0; i < p->n; i++)
		later |= p->rows[i].b.later.entries || p->rows[i].b.later.records;
	snprintf(v->title, sizeof v->title, "accounts (%d)  sorted by %s%s", p->n, SORT_NAMES[p->sort],
	         later ? "  *: later" : "");
	latest_event(v);
	return 0;
}

static int accounts_open(view *v)
{
	if (!(v->priv = calloc(1, sizeof(accounts_priv))))
		return -1;
	return load(v);
}

static void accounts_close(view *v)
{
	accounts_priv *p = v->priv;
	if (p)
		free(p->rows);
	free(p);
}

static void accounts_refresh(view *v)
{
	load(v);
}

static void accounts_draw(view *v, int top, int rows, int cols)
{
	accounts_priv *p = v->priv;
	tui *t = v->t;
	int list = rows - 1 - (p->last[0] ? 2 : 0), events = cols >= EVENT_MIN_COLS, namew = cols - 66 - (events ? 22 : 0);
	if (namew < 12)
		namew = 12;
	attron(A_BOLD);
	tui_textf(t, top, 0, cols, "%-*s %16s  %-22s %12s %11s %s", namew, "ACCOUNT", "BALANCE", "STATUS",
	          "TODAY", "PER HOUR", events ? " LAST EVENT" : "");
	attroff(A_BOLD);
	if (p->n == 0) {
		tui_text(t, top + 2, 2, cols - 4, "No accounts yet. Add one with `billtop account add NAME`,");
		tui_text(t, top + 3, 2, cols - 4, "or build the demo with `billtop demo`.");
		return;
	}
	if (p->last[0])
		tui_text(t, top + rows - 1, 0, cols, p->last);
	if (p->sel < p->top)
		p->top = p->sel;
	if (p->sel >= p->top + list)
		p->top = p->sel - list + 1;
	for (int i = 0; i < list && p->top + i < p->n; i++) {
		acct_row *r = &p->rows[p->top + i];
		int y = top + 1 + i, d = r->a.decimals;
		char bal[48], status[64], today[40], rate[40];
		money_format(r->b.balance, d, bal, sizeof bal);
		money_format(r->today, d, today, sizeof today);
		money_format(r->rate_per_hour, d, rate, sizeof rate);
		if (r->b.suspended) {
			char since[24];
			tm_format(r->b.suspended_since, since, sizeof since);
			snprintf(status, sizeof status, "SUSPENDED %.10s", since);
		} else {
			snprintf(status, sizeof status, "%s", r->b.low ? "active, LOW" : "active");
		}
		if (r->b.later.entries || r->b.later.records) /* dated later: shown apart (the dashboard says what) */
			snprintf(status + strlen(status), sizeof status - strlen(status), " *");
		if (p->top + i == p->sel)
			attron(tui_attr(t, CP_SELECT));
		move(y, 0);
		for (int k = 0; k < cols; k++)
			addch(' ');
		tui_textf(t, y, 0, namew, "%s", r->a.name);
		tui_textf(t, y, namew + 1, 17, "%12s %-3s", bal, r->a.currency);
		if (p->top + i != p->sel)
			attron(tui_attr(t, r->b.suspended ? CP_BAD : r->b.low ? CP_WARN : CP_GOOD));
		tui_textf(t, y, namew + 18, 22, "%s", status);
		if (p->top + i != p->sel)
			attroff(tui_attr(t, r->b.suspended ? CP_BAD : r->b.low ? CP_WARN : CP_GOOD));
		tui_textf(t, y, namew + 41, cols - namew - 41, "%12s %11s", today, rate);
		if (events)
			tui_textf(t, y, namew + 66, cols - namew - 66, "%s", r->event);
		if (p->top + i == p->sel)
			attroff(tui_attr(t, CP_SELECT));
	}
}

static int search_from(accounts_priv *p, int start)
{
	for (int k = 0; k < p->n; k++) {
		int i = (start + k) % p->n;
		if (tui_contains(p->rows[i].a.name, p->search)) {
			p->sel = i;
			return 1;
		}
	}
	return 0;
}

static int accounts_handle(view *v, tui_action a, int ch)
{
	accounts_priv *p = v->priv;
	tui *t = v->t;
	int page = t->rows - 4;
	switch (a) {
	case ACT_UP: if (p->sel > 0) p->sel--; return 1;
	case ACT_DOWN: if (p->sel + 1 < p->n) p->sel++; return 1;
	case ACT_PAGE_UP: p->sel = p->sel > page ? p->sel - page : 0; return 1;
	case ACT_PAGE_DOWN: p->sel = p->sel + page < p->n ? p->sel + page : (p->n ? p->n - 1 : 0); return 1;
	case ACT_HOME: p->sel = 0; return 1;
	case ACT_END: p->sel = p->n ? p->n - 1 : 0; return 1;
	case ACT_SORT:
		p->sort = (p->sort + 1) % NSORTS;
		load(v);
		return 1;
	case ACT_SEARCH:
		if (tui_prompt(t, "search account:", p->search, p->search, sizeof p->search) && p->search[0]
		    && !search_from(p, p->sel))
			tui_set_status(t, "no account matches \"%s\"", p->search);
		return 1;
	case ACT_SEARCH_NEXT:
		if (p->search[0] && !search_from(p, p->sel + 1))
			tui_set_status(t, "no account matches \"%s\"", p->search);
		return 1;
	case ACT_ENTER:
	case ACT_DASHBOARD:
		if (p->n)
			tui_push(t, &view_dashboard_ops, &p->rows[p->sel].a);
		return 1;
	case ACT_REJECTS: /* screens of the whole database (nav.c) */
	case ACT_AUDIT:
		return tui_open_account_view(t, a, NULL);
	case ACT_INVESTIGATE: /* the selected account's disputes, without opening it first */
	case ACT_CASES:
		if (p->n)
			tui_open_account_view(t, a, &p->rows[p->sel].a);
		return 1;
	default:
		return 0;
	}
}

const view_ops view_accounts_ops = {
	"accounts", accounts_open, accounts_draw, accounts_handle, accounts_refresh, accounts_close,
	"Enter open  / search  o sort",
};
