/* view_dashboard.c: one account, live: balance and status, statistics for
 * 12 hours / 3 days / a week / a month, this week's calls and minutes per
 * weekday as bars, cost by kind for 12 hours and this week, suspension
 * history. Everything comes from rollups and the ledger (no CDR scans), so
 * a refresh after another process writes costs a few small queries. */
#include <stdlib.h>
#include <string.h>

#include "../core/tm.h"
#include "../data/report.h"
#include "../front/asof.h"
#include "../front/render.h"
#include "tui.h"

#define NWIN 4
#define NHIST 32

typedef struct {
	int64_t at, cause_id;
	char event[12], cause[8];
	money_t balance;
} hist_row;

typedef struct {
	report_balance bal;
	report_usage win[NWIN];     /* 12h (by hour), 3d, week, month (by day) */
	report_usage week;          /* this ISO week by weekday */
	hist_row hist[NHIST];
	int nhist;
	int64_t loaded_at;
} dash_priv;

static const report_window WINDOWS[NWIN] = { WIN_12H, WIN_3D, WIN_WEEK, WIN_MONTH };
static const char *const WINDOW_LABELS[NWIN] = { "12 hours", "3 days", "7 days", "30 days" };

static void free_data(dash_priv *p)
{
	for (int i = 0; i < NWIN; i++)
		report_usage_free(&p->win[i]);
	report_usage_free(&p->week);
}

static int load(view *v)
{
	dash_priv *p = v->priv;
	tui *t = v->t;
	int64_t now = tui_as_of(t), from, to;   /* the clock, or the as-of time (A) */
	sqlite3_stmt *st;
	account_info fresh;

	free_data(p);
	if (account_get(t->db, v->account.id, &fresh) == DB_OK)
		v->account = fresh; /* decimals, deck or low mark may have changed */
	if (report_get_balance_asof(t->db, &v->account, now, &p->bal) != DB_OK)
		goto fail;
	for (int i = 0; i < NWIN; i++) {
		report_window_range(WINDOWS[i], now, &from, &to);
		if (report_get_usage_asof(t->db, &v->account, from, to, i == 0 ? BY_HOUR : BY_DAY, now, &p->win[i])
		    != DB_OK)
			goto fail;
	}
	report_window_range(WIN_THIS_WEEK, now, &from, &to);
	if (report_get_usage_asof(t->db, &v->account, from, to, BY_WEEKDAY, now, &p->week) != DB_OK)
		goto fail;
	p->nhist = 0;
	if (sqlite3_prepare_v2(t->db->sql, "SELECT at, event, balance, cause_kind, cause_id FROM suspension"
	                       " WHERE account_id = ?1 ORDER BY at DESC, id DESC LIMIT ?2", -1, &st, NULL) != SQLITE_OK)
		goto fail;
	sqlite3_bind_int64(st, 1, v->account.id);
	sqlite3_bind_int(st, 2, NHIST);
	while (sqlite3_step(st) == SQLITE_ROW && p->nhist < NHIST) {
		hist_row *h = &p->hist[p->nhist++];
		h->at = sqlite3_column_int64(st, 0);
		snprintf(h->event, sizeof h->event, "%s", (const char *)sqlite3_column_text(st, 1));
		h->balance = sqlite3_column_int64(st, 2);
		snprintf(h->cause, sizeof h->cause, "%s", (const char *)sqlite3_column_text(st, 3));
		h->cause_id = sqlite3_column_int64(st, 4);
	}
	sqlite3_finalize(st);
	p->loaded_at = now;
	if (t->as_of != TM_NONE) {
		char when[32];
		tm_format(now, when, sizeof when);
		snprintf(v->title, sizeof v->title, "%s  dashboard as of %.16s", v->account.name, when);
	} else {
		snprintf(v->title, sizeof v->title, "%s  dashboard", v->account.name);
	}
	return 0;
fail:
	tui_set_status(t, "dashboard: %s", db_errmsg(t->db));
	return -1;
}

static int dash_open(view *v)
{
	if (!(v->priv = calloc(1, sizeof(dash_priv))))
		return -1;
	return load(v);
}

static void dash_close(view *v)
{
	if (v->priv)
		free_data(v->priv);
	free(v->priv);
}

static void dash_refresh(view *v)
{
	load(v);
}

static void stats_row(tui *t, int y, const char *label, const report_bucket *b, int d)
{
	char asr[32], acd[32], min[32], cost[40];
	render_asr(report_asr_bp(b->calls, b->connected), 1, asr, sizeof asr);
	render_acd(report_acd_ms(b->connected, b->billsec_ms), acd, sizeof acd);
	render_minutes(b->billsec_ms, min, sizeof min);
	money_format(b->cost + b->cost_msg + b->cost_cnam, d, cost, sizeof cost);
	tui_textf(t, y, 0, 80, "%-9s %9lld %9lld %7s %6s %11s %14s", label, (long long)b->calls,
	          (long long)b->connected, asr, acd, min, cost);
}

static void kind_row(tui *t, int y, int x, const char *label, money_t a, money_t b, int d)
{
	char sa[40], sb[40];
	money_format(a, d, sa, sizeof sa);
	money_format(b, d, sb, sizeof sb);
	tui_textf(t, y, x, 34, "%-11s%11s %11s", label, sa, sb);
}

static void dash_draw(view *v, int top, int rows, int cols)
{
	dash_priv *p = v->priv;
	tui *t = v->t;
	const account_info *a = &v->account;
	int d = a->decimals, y = top;
	char bal[48], since[24], mark[48];
	int64_t maxc = 1, maxm = 1;

	/* balance and status */
	money_format(p->bal.balance, d, bal, sizeof bal);
	attron(A_BOLD);
	tui_textf(t, y, 0, 40, "Balance %s %s", bal, a->currency);
	attroff(A_BOLD);
	if (p->bal.suspended) {
		tm_format(p->bal.suspended_since, since, sizeof since);
		attron(tui_attr(t, CP_BAD));
		tui_textf(t, y, 30, cols - 30, "SUSPENDED since %.16s: all services but E911", since);
		attroff(tui_attr(t, CP_BAD));
	} else {
		attron(tui_attr(t, p->bal.low ? CP_WARN : CP_GOOD));
		tui_text(t, y, 30, 20, p->bal.low ? "ACTIVE, LOW BALANCE" : "ACTIVE");
		attroff(tui_attr(t, p->bal.low ? CP_WARN : CP_GOOD));
		if (a->has_low_balance) {
			money_format(a->low_balance, d, mark, sizeof mark);
			tui_textf(t, y, 52, cols - 52, "low mark %s", mark);
		}
	}
	y++;
	if (p->bal.later.entries || p->bal.later.records) {
		/* dated after the as-of time: shown apart, never in the figures */
		char lines[ASOF_LINES][ASOF_LINE_MAX];
		int n = asof_later_lines(a, &p->bal.later, lines), w = 0;
		for (int i = 0; i < n; i++)   /* a warning first, else the first line */
			if (strncmp(lines[i], "warning:", 8) == 0) {
				w = i;
				break;
			}
		attron(tui_attr(t, CP_WARN));
		tui_text(t, y, 0, cols, lines[w]);
		attroff(tui_attr(t, CP_WARN));
	} else if (p->bal.unrated) {
		attron(tui_attr(t, CP_WARN));
		tui_textf(t, y, 0, cols, "%lld connected calls are unrated (not charged): press c, then f",
		          (long long)p->bal.unrated);
		attroff(tui_attr(t, CP_WARN));
	} else {
		tui_hline(t, y, 0, cols);
	}
	y++;

	/* statistics per window */
	attron(A_BOLD);
	tui_textf(t, y++, 0, 80, "%-9s %9s %9s %7s %6s %11s %14s", "PAST", "CALLS", "CONNECTED", "ASR", "ACD",
	          "MINUTES", "USAGE COST");
	attroff(A_BOLD);
	for (int i = 0; i < NWIN; i++)
		stats_row(t, y++, WINDOW_LABELS[i], &p->win[i].total, d);
	tui_hline(t, y++, 0, cols);

	/* this week's bars | cost by kind */
	for (int i = 0; i < 7; i++) {
		if (p->week.b[i].calls > maxc) maxc = p->week.b[i].calls;
		if (p->week.b[i].billsec_ms > maxm) maxm = p->week.b[i].billsec_ms;
	}
	attron(A_BOLD);
	tui_textf(t, y, 0, 45, "THIS WEEK  %s calls  %s minutes", t->ascii ? "#" : "\xe2\x96\x88",
	          t->ascii ? "=" : "\xe2\x96\x92");
	tui_textf(t, y, 46, 34, "%-11s%11s %11s", "COST BY", "12 hours", "this week");
	attroff(A_BOLD);
	y++;
	{
		const report_usage *h = &p->win[0], *w = &p->week;
		const char *labels[] = { "calls", "messaging", "CNAM", "E911", "MRC", "NRC", "adjustments" };
		money_t hv[] = { h->k_calls, h->k_msg, h->k_cnam, h->k_e911, h->k_mrc, h->k_nrc, h->k_adj };
		money_t wv[] = { w->k_calls, w->k_msg, w->k_cnam, w->k_e911, w->k_mrc, w->k_nrc, w->k_adj };
		money_t ht = 0, wt = 0;
		for (int i = 0; i < 7; i++) {
			const report_bucket *b = &w->b[i];
			char min[32];
			render_minutes(b->billsec_ms, min, sizeof min);
			tui_textf(t, y + i, 0, 4, "%s", b->label);
			tui_bar(t, y + i, 4, 12, b->calls, maxc, 0);
			tui_textf(t, y + i, 17, 6, "%6lld", (long long)b->calls);
			tui_bar(t, y + i, 24, 11, b->billsec_ms, maxm, 1);
			tui_textf(t, y + i, 36, 9, "%9s", min);
			kind_row(t, y + i, 46, labels[i], hv[i], wv[i], d);
			ht += hv[i];
			wt += wv[i];
		}
		y += 7;
		attron(A_BOLD);
		kind_row(t, y, 46, "total", ht, wt, d);
		attroff(A_BOLD);
		tui_textf(t, y, 0, 45, "calls max %lld/day", (long long)maxc);
		y++;
	}
	tui_hline(t, y++, 0, cols);

	/* suspension history: as many as fit, newest first */
	attron(A_BOLD);
	tui_text(t, y++, 0, cols, "SUSPENSION HISTORY (below zero: suspended; above zero: restored)");
	attroff(A_BOLD);
	int room = top + rows - y;
	if (p->nhist == 0 && room > 0)
		tui_text(t, y++, 2, cols - 2, "never suspended");
	for (int i = 0; i < p->nhist && room > 0; i++, room--) {
		char when[24], b[40];
		hist_row *h = &p->hist[i];
		tm_format(h->at, when, sizeof when);
		money_format(h->balance, d, b, sizeof b);
		attron(tui_attr(t, h->event[0] == 's' ? CP_BAD : CP_GOOD));
		tui_textf(t, y, 2, 10, "%s", h->event);
		attroff(tui_attr(t, h->event[0] == 's' ? CP_BAD : CP_GOOD));
		/* a transition dated after the as-of time is scheduled: not in effect yet */
		tui_textf(t, y, 13, cols - 13, "%.16s  balance %12s  %sby %s #%lld", when, b,
		          h->at > p->loaded_at ? "SCHEDULED, " : "",
		          strcmp(h->cause, "cdr") == 0 ? "call" : strcmp(h->cause, "mdr") == 0 ? "message" : "ledger entry",
		          (long long)h->cause_id);
		y++;
	}
	/* larger terminals: the past 12 hours hour by hour */
	if (top + rows - y >= 15) {
		tui_hline(t, y++, 0, cols);
		attron(A_BOLD);
		tui_text(t, y++, 0, cols, "PAST 12 HOURS BY HOUR (UTC)");
		attroff(A_BOLD);
		for (int i = 0; i < p->win[0].n && y < top + rows; i++)
			stats_row(t, y++, p->win[0].b[i].label + 11, &p->win[0].b[i], d);
	}
}

static int dash_handle(view *v, tui_action a, int ch)
{
	if (a == ACT_DASHBOARD)
		return 1;
	return tui_open_account_view(v->t, a, &v->account);
}

const view_ops view_dashboard_ops = {
	"dashboard", dash_open, dash_draw, dash_handle, dash_refresh, dash_close,
	"s statement  c CDRs  u usage  b destinations  m msgs  N CNAM  r rates  p post",
};
