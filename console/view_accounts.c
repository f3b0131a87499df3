/* view_accounts.c: every account with balance, status, today's spend, spend
 * rate and low-balance warning, on the list base (listview.h): `/` narrows
 * as you type, `o` sorts by a column, `e` exports (CSV: the columns of
 * `billtop account list`, then the figures shown). Enter opens the
 * account's dashboard; i investigates it, I lists every account's cases. The
 * detail lines: the latest event of any account, and the selected
 * account whole.
 *
 * Memory: the console owns the priv (priv_size); the view owns the rows. */
#include <stdlib.h>
#include <string.h>

#include "../core/tm.h"
#include "../data/alert.h"
#include "../data/report.h"
#include "../data/out.h"
#include "listview.h"
#include "lvkit.h"

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
	listview lv;           /* first: lv_draw */
	acct_row *rows;        /* by name, as account_each reads them */
	int n, cap;
	char last[400];        /* the latest event of any account, "" when none */
} accounts_priv;

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
	int later = 0;
	p->n = 0;
	if (account_each(v->t->db, collect, v) != DB_OK) {
		tui_set_status(v->t, "accounts: %s", db_errmsg(v->t->db));
		listview_rebuild(&p->lv, v);
		return -1;
	}
	listview_rebuild(&p->lv, v); /* keeps the selected account by id */
	for (int i = 0; i < p->n; i++)
		later |= p->rows[i].b.later.entries || p->rows[i].b.later.records;
	snprintf(v->title, sizeof v->title, "accounts (%d)%s", p->n, later ? "  *: later" : "");
	latest_event(v);
	return 0;
}

/* ---- the list's callbacks ------------------------------------------------ */

enum { C_NAME, C_BALANCE, C_STATUS, C_TODAY, C_RATE, C_EVENT, C_N };

static const acct_row *row_at(view *v, int i)
{
	return &((accounts_priv *)v->priv)->rows[i];
}

static int a_count(view *v)
{
	return ((accounts_priv *)v->priv)->n;
}

static void status_text(const acct_row *r, char *buf, size_t n)
{
	if (r->b.suspended) {
		char since[24];
		tm_format(r->b.suspended_since, since, sizeof since);
		snprintf(buf, n, "SUSPENDED %.10s", since);
	} else {
		snprintf(buf, n, "%s", r->b.low ? "active, LOW" : "active");
	}
	if (r->b.later.entries || r->b.later.records) /* dated later: shown apart (the dashboard says what) */
		snprintf(buf + strlen(buf), n - strlen(buf), " *");
}

static void a_cell(view *v, int i, int col, char *buf, size_t n)
{
	const acct_row *r = row_at(v, i);
	int d = r->a.decimals;
	char m[48];
	switch (col) {
	case C_NAME: snprintf(buf, n, "%s", r->a.name); break;
	case C_BALANCE:
		money_format(r->b.balance, d, m, sizeof m);
		snprintf(buf, n, "%s %s", m, r->a.currency);
		break;
	case C_STATUS: status_text(r, buf, n); break;
	case C_TODAY: money_format(r->today, d, buf, n); break;
	case C_RATE: money_format(r->rate_per_hour, d, buf, n); break;
	case C_EVENT: snprintf(buf, n, "%s", r->event); break;
	default: buf[0] = '\0';
	}
}

static int by_name(view *v, int a, int b) { return strcmp(row_at(v, a)->a.name, row_at(v, b)->a.name); }
static int by_balance(view *v, int a, int b) { return lv_cmp64(row_at(v, a)->b.balance, row_at(v, b)->b.balance); }
/* suspended first, then low, then active */
static int by_status(view *v, int a, int b)
{
	const acct_row *x = row_at(v, a), *y = row_at(v, b);
	int c = lv_cmp64(y->b.suspended, x->b.suspended);
	return c ? c : lv_cmp64(y->b.low, x->b.low);
}
/* the biggest spenders first */
static int by_today(view *v, int a, int b) { return lv_cmp64(row_at(v, b)->today, row_at(v, a)->today); }
static int by_rate(view *v, int a, int b) { return lv_cmp64(row_at(v, b)->rate_per_hour, row_at(v, a)->rate_per_hour); }
static int by_event(view *v, int a, int b) { return lv_cmp64(row_at(v, b)->event_at, row_at(v, a)->event_at); }

static int a_attr(view *v, int i)
{
	const acct_row *r = row_at(v, i);
	return tui_attr(v->t, r->b.suspended ? CP_BAD : r->b.low ? CP_WARN : CP_GOOD);
}

static int64_t a_key(view *v, int i)
{
	return row_at(v, i)->a.id;
}

/* Line 1: the latest event of any account; line 2: the selected account
 * whole (a long name is cut in the list). */
static void a_detail(view *v, int i, char *buf, size_t n)
{
	accounts_priv *p = v->priv;
	const acct_row *r = row_at(v, i);
	char bal[48], low[48], status[64];
	money_format(r->b.balance, r->a.decimals, bal, sizeof bal);
	if (r->a.has_low_balance)
		money_format(r->a.low_balance, r->a.decimals, low, sizeof low);
	else
		snprintf(low, sizeof low, "none");
	status_text(r, status, sizeof status);
	snprintf(buf, n, "%s%s%s: balance %s %s, %s, deck %s, low balance %s%s%s", p->last, p->last[0] ? "\n" : "",
	         r->a.name, bal, r->a.currency, status, r->a.deck[0] ? r->a.deck : "-", low,
	         r->event[0] ? ", last event " : "", r->event);
}

/* CSV: the columns of `billtop account list --format csv`, then the
 * screen's figures (exact); text: the screen's columns whole. */
static int a_export(view *v, FILE *f, tui_export_format fmt)
{
	accounts_priv *p = v->priv;
	out_csv csv;
	if (fmt != TUI_EXPORT_CSV)
		return listview_write_cells(&p->lv, v, f, fmt);
	out_csv_init(&csv, f);
	{
		const char *h[] = { "name", "currency", "decimals", "rounding", "deck", "low_balance", "dial_plan",
		                    "balance", "suspended", "low", "today", "per_hour", "last_event" };
		for (int k = 0; k < 13; k++)
			out_csv_cell(&csv, h[k]);
		out_csv_end(&csv);
	}
	for (int k = 0; k < listview_shown(&p->lv); k++) {
		const acct_row *r = row_at(v, listview_row(&p->lv, k));
		const account_info *a = &r->a;
		out_csv_cell(&csv, a->name);
		out_csv_cell(&csv, a->currency);
		out_csv_int(&csv, a->decimals);
		out_csv_cell(&csv, round_mode_name(a->rounding));
		out_csv_cell(&csv, a->deck);
		if (a->has_low_balance)
			out_csv_money(&csv, a->low_balance, a->decimals);
		else
			out_csv_cell(&csv, "");
		out_csv_cell(&csv, a->plan_code);
		out_csv_money(&csv, r->b.balance, a->decimals);
		out_csv_int(&csv, r->b.suspended != 0);
		out_csv_int(&csv, r->b.low != 0);
		out_csv_money(&csv, r->today, a->decimals);
		out_csv_money(&csv, r->rate_per_hour, a->decimals);
		out_csv_cell(&csv, r->event);
		out_csv_end(&csv);
	}
	return 0;
}

static const lv_column COLUMNS[C_N] = {
	[C_NAME] = { "ACCOUNT", 12, 0, LV_LEFT, 0, 0, by_name },
	[C_BALANCE] = { "BALANCE", 16, 16, LV_RIGHT, 0, 0, by_balance },
	[C_STATUS] = { "STATUS", 22, 22, LV_LEFT, 0, 0, by_status },
	[C_TODAY] = { "TODAY", 12, 12, LV_RIGHT, 0, 0, by_today },
	[C_RATE] = { "PER HOUR", 11, 11, LV_RIGHT, 1, 0, by_rate },
	[C_EVENT] = { "LAST EVENT", 22, 32, LV_LEFT, 2, EVENT_MIN_COLS, by_event },
};

/* Enter: the account's dashboard. */
static void a_enter(view *v, int i)
{
	tui_push(v->t, &view_dashboard_ops, &row_at(v, i)->a);
}

static const listview_ops LIST = {
	.columns = COLUMNS,
	.ncolumns = C_N,
	.count = a_count,
	.cell = a_cell,
	.detail = a_detail,
	.detail_lines = 3,
	.attr = a_attr,
	.key = a_key,
	.export_rows = a_export,
	.export_kind = "accounts",
	.prompt = "search account:",
	.enter = a_enter,
	.empty = "No accounts yet. Add one with `billtop account add NAME`, or build the demo with `billtop demo`.",
};

static int accounts_open(view *v)
{
	accounts_priv *p = v->priv;
	listview_init(&p->lv, &LIST);
	return load(v);
}

static void accounts_close(view *v)
{
	accounts_priv *p = v->priv;
	listview_free(&p->lv);
	free(p->rows);
}

static void accounts_refresh(view *v)
{
	load(v);
}

static int accounts_handle(view *v, tui_action a, int ch)
{
	accounts_priv *p = v->priv;
	tui *t = v->t;
	int sel;
	if (listview_handle(&p->lv, v, a, ch))
		return 1;
	sel = listview_selected(&p->lv);
	switch (a) {
	case ACT_DASHBOARD:
		if (sel >= 0)
			tui_push(t, &view_dashboard_ops, &p->rows[sel].a);
		return 1;
	case ACT_REJECTS: /* screens of the whole database (nav.c) */
	case ACT_AUDIT:
		return tui_open_account_view(t, a, NULL);
	case ACT_INVESTIGATE: /* the selected account's dispute, without opening it first */
		if (sel >= 0)
			tui_open_account_view(t, a, &p->rows[sel].a);
		return 1;
	case ACT_CASES: { /* every account's cases (view_cases.c: account id 0) */
		account_info all;
		memset(&all, 0, sizeof all);
		tui_push(t, &view_cases_ops, &all);
		return 1;
	}
	default:
		return 0;
	}
}

const view_ops view_accounts_ops = {
	.name = "accounts",
	.open = accounts_open,
	.draw = lv_draw,
	.handle = accounts_handle,
	.reload = accounts_refresh,
	.close = accounts_close,
	.hints = "Enter open  / filter  o sort  e export",
	.priv_size = sizeof(accounts_priv),
};
