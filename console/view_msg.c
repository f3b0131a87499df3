/* view_msg.c: one account's messaging statistics for a window (h/l cycle
 * 3 days / a week / a month / this month): messages, segments and cost by
 * type (SMS, MMS) and direction for the whole window, then day by day with
 * a bar of messages; `e` exports the same figures (CSV or text).
 *
 * Figures come from report_get_msg_stats (data/report_stats.c): day totals
 * from the hourly rollups, the type and direction split from the message
 * records of the window. The screen says so when the two disagree (a stale
 * rollup: `billtop verify` finds it). This file lays them out only. */
#include <stdlib.h>

#include "../core/tm.h"
#include "../data/out.h"
#include "../data/report_stats.h"
#include "tui.h"
#include "windowed.h"

#define NWIN 4
static const report_window WINDOWS[NWIN] = { WIN_3D, WIN_WEEK, WIN_MONTH, WIN_THIS_MONTH };

typedef struct {
	windowed_sel w;
	report_msg_stats s;      /* owned: report_msg_stats_free */
} msg_priv;

static int load(view *v)
{
	msg_priv *p = v->priv;
	tui *t = v->t;
	report_window w = WINDOWS[p->w.win];
	int64_t from, to;
	int st;

	report_msg_stats_free(&p->s);
	windowed_begin(v, &p->w, w, &from, &to);
	/* the split reads the window's message records: can take a while on
	 * a big account, so it shows progress and Esc cancels it */
	tui_busy_begin(t, "reading message records");
	st = report_get_msg_stats(t->db, &v->account, from, to, &p->s);
	tui_busy_end(t);
	snprintf(v->title, sizeof v->title, "%s  messaging  %s", v->account.name, report_window_name(w));
	if (st != DB_OK) {
		if (!t->cancelled)
			tui_set_status(t, "messaging: %s", db_errmsg(t->db));
		return -1;
	}
	p->w.loaded = 1;
	if (p->s.split_mismatch)
		tui_set_status(t, "messaging: records and rollups disagree: run `billtop verify`");
	return 0;
}

static int msg_open(view *v)
{
	if (!(v->priv = calloc(1, sizeof(msg_priv))))
		return -1;
	/* a cancelled first load still opens the screen (R reloads) */
	load(v);
	return 0;
}

static void msg_close(view *v)
{
	msg_priv *p = v->priv;
	if (p)
		report_msg_stats_free(&p->s);
	free(p);
}

static void msg_reload(view *v)
{
	load(v);
}

/* ---- drawing --------------------------------------------------------- */

static void split_row(tui *t, int y, int cols, const char *label, const report_msg_cell *c, int d)
{
	char cost[40];
	money_format(c->cost, d, cost, sizeof cost);
	tui_textf(t, y, 0, cols, "%-16s %10lld %10lld %14s", label, (long long)c->msgs, (long long)c->segments, cost);
}

static void msg_draw(view *v, int top, int rows, int cols)
{
	msg_priv *p = v->priv;
	tui *t = v->t;
	const report_msg_stats *s = &p->s;
	int d = v->account.decimals, y = top, end = top + rows, list, barx, barw;
	int wide = cols >= 120;
	char from[24], to[24];
	int64_t max = 1;

	tui_text(t, y, 0, 8, "window:");
	windowed_tabs(t, y, 8, cols, WINDOWS, NWIN, p->w.win);
	if (p->w.loaded) {
		tm_format(s->from, from, sizeof from);
		tm_format(s->to, to, sizeof to);
		tui_textf(t, y, cols - 25, 25, "%.10s to %.10s", from, to);
	}
	y++;
	if (!p->w.loaded) {
		tui_text(t, y + 1, 2, cols - 2, "no figures: press R to retry");
		return;
	}

	/* the window by type and direction */
	attron(A_BOLD);
	tui_textf(t, y++, 0, cols, "%-16s %10s %10s %14s", "TYPE, DIRECTION", "MESSAGES", "SEGMENTS", "COST");
	attroff(A_BOLD);
	for (int ty = 0; ty < MSG_NTYPES; ty++)
		for (int dir = 0; dir < MSG_NDIRS; dir++) {
			char label[32];
			if (dir == MSG_OTHER && s->total.by[ty][dir].msgs == 0)
				continue;
			snprintf(label, sizeof label, "%s %s", ty == MSG_SMS ? "SMS" : "MMS", report_msg_dir_name(dir));
			split_row(t, y++, cols, label, &s->total.by[ty][dir], d);
		}
	attron(A_BOLD);
	split_row(t, y, cols, "total", &s->total.all, d);
	attroff(A_BOLD);
	if (s->split_mismatch) {
		attron(tui_attr(t, CP_WARN));
		tui_text(t, y, 54, cols - 54, "records != rollups: verify");
		attroff(tui_attr(t, CP_WARN));
	}
	y++;
	tui_hline(t, y++, 0, cols);

	/* day by day */
	barx = wide ? 117 : 73;
	barw = cols - barx - 1;
	attron(A_BOLD);
	tui_textf(t, y, 0, cols, "%-14s %6s %7s %10s %7s %7s %7s %7s", "DAY (UTC)", "MSGS", "SEGS", "COST", "SMS OUT",
	          "SMS IN", "MMS OUT", "MMS IN");
	if (wide)
		tui_textf(t, y, 72, cols - 72, " %10s %10s %10s %10s", "SMS OUT $", "SMS IN $", "MMS OUT $", "MMS IN $");
	tui_text(t, y, barx, barw, "messages");
	attroff(A_BOLD);
	y++;
	for (int i = 0; i < s->n; i++)
		if (s->d[i].all.msgs > max)
			max = s->d[i].all.msgs;
	list = end - y;
	if (list < 1)
		list = 1;
	if (s->n > list && list > 1) /* keep the last line for the position */
		list--;
	if (p->w.top > s->n - list)
		p->w.top = s->n - list > 0 ? s->n - list : 0;
	for (int i = p->w.top; i < s->n && i < p->w.top + list; i++, y++) {
		const report_msg_day *dd = &s->d[i];
		char cost[40];
		money_format(dd->all.cost, d, cost, sizeof cost);
		tui_textf(t, y, 0, cols, "%-14s %6lld %7lld %10s %7lld %7lld %7lld %7lld", dd->label,
		          (long long)dd->all.msgs, (long long)dd->all.segments, cost,
		          (long long)dd->by[MSG_SMS][MSG_OUT].msgs, (long long)dd->by[MSG_SMS][MSG_IN].msgs,
		          (long long)dd->by[MSG_MMS][MSG_OUT].msgs, (long long)dd->by[MSG_MMS][MSG_IN].msgs);
		if (wide) {
			char c[4][40];
			money_format(dd->by[MSG_SMS][MSG_OUT].cost, d, c[0], sizeof c[0]);
			money_format(dd->by[MSG_SMS][MSG_IN].cost, d, c[1], sizeof c[1]);
			money_format(dd->by[MSG_MMS][MSG_OUT].cost, d, c[2], sizeof c[2]);
			money_format(dd->by[MSG_MMS][MSG_IN].cost, d, c[3], sizeof c[3]);
			tui_textf(t, y, 72, cols - 72, " %10s %10s %10s %10s", c[0], c[1], c[2], c[3]);
		}
		tui_bar(t, y, barx, barw, dd->all.msgs, max, 0);
	}
	if (s->n > list) {
		attron(tui_attr(t, CP_DIM));
		tui_textf(t, y, 0, cols, "  days %d-%d of %d (Up/Down scroll)", p->w.top + 1,
		          p->w.top + list < s->n ? p->w.top + list : s->n, s->n);
		attroff(tui_attr(t, CP_DIM));
	}
}

/* ---- export ------------------------------------------------------------ */

static void csv_line(out_csv *c, const char *day, const char *type, const char *dir, const report_msg_cell *m, int d)
{
	out_csv_cell(c, day);
	out_csv_cell(c, type);
	out_csv_cell(c, dir);
	out_csv_int(c, m->msgs);
	out_csv_int(c, m->segments);
	out_csv_money(c, m->cost, d);
	out_csv_end(c);
}

/* One line per day (type "all") and per day, type and direction that had
 * messages; then the window's totals the same way. */
static void write_csv(FILE *f, const report_msg_stats *s, int d)
{
	out_csv c;
	const char *h[] = { "day", "type", "direction", "messages", "segments", "cost" };
	out_csv_init(&c, f);
	for (int i = 0; i < 6; i++)
		out_csv_cell(&c, h[i]);
	out_csv_end(&c);
	for (int i = 0; i <= s->n; i++) {
		const report_msg_day *dd = i < s->n ? &s->d[i] : &s->total;
		char day[16];
		snprintf(day, sizeof day, "%.10s", dd->label);
		csv_line(&c, day, "all", "all", &dd->all, d);
		for (int ty = 0; ty < MSG_NTYPES; ty++)
			for (int dir = 0; dir < MSG_NDIRS; dir++)
				if (dd->by[ty][dir].msgs)
					csv_line(&c, day, report_msg_type_name(ty), report_msg_dir_name(dir), &dd->by[ty][dir], d);
	}
}

static void write_text(FILE *f, const account_info *a, report_window w, const report_msg_stats *s)
{
	int d = a->decimals;
	char cost[40];
	windowed_heading(f, a, "messaging", w, s->from, s->to, "");
	fprintf(f, "%-16s %10s %10s %14s\n", "TYPE, DIRECTION", "MESSAGES", "SEGMENTS", "COST");
	for (int ty = 0; ty < MSG_NTYPES; ty++)
		for (int dir = 0; dir < MSG_NDIRS; dir++) {
			const report_msg_cell *c = &s->total.by[ty][dir];
			char label[32];
			if (dir == MSG_OTHER && !c->msgs)
				continue;
			snprintf(label, sizeof label, "%s %s", ty == MSG_SMS ? "SMS" : "MMS", report_msg_dir_name(dir));
			money_format(c->cost, d, cost, sizeof cost);
			fprintf(f, "%-16s %10lld %10lld %14s\n", label, (long long)c->msgs, (long long)c->segments, cost);
		}
	money_format(s->total.all.cost, d, cost, sizeof cost);
	fprintf(f, "%-16s %10lld %10lld %14s\n\n", "total", (long long)s->total.all.msgs,
	        (long long)s->total.all.segments, cost);
	fprintf(f, "%-14s %7s %7s %11s %7s %7s %7s %7s\n", "DAY (UTC)", "MSGS", "SEGS", "COST", "SMS OUT", "SMS IN",
	        "MMS OUT", "MMS IN");
	for (int i = 0; i < s->n; i++) {
		const report_msg_day *dd = &s->d[i];
		money_format(dd->all.cost, d, cost, sizeof cost);
		fprintf(f, "%-14s %7lld %7lld %11s %7lld %7lld %7lld %7lld\n", dd->label, (long long)dd->all.msgs,
		        (long long)dd->all.segments, cost, (long long)dd->by[MSG_SMS][MSG_OUT].msgs,
		        (long long)dd->by[MSG_SMS][MSG_IN].msgs, (long long)dd->by[MSG_MMS][MSG_OUT].msgs,
		        (long long)dd->by[MSG_MMS][MSG_IN].msgs);
	}
	if (s->split_mismatch)
		fprintf(f, "warning: message records and rollups disagree; run `billtop verify`\n");
}

static int export_write(FILE *f, tui_export_format fmt, void *ctx)
{
	const view *v = ctx;
	const msg_priv *p = v->priv;
	if (fmt == TUI_EXPORT_CSV)
		write_csv(f, &p->s, v->account.decimals);
	else
		write_text(f, &v->account, WINDOWS[p->w.win], &p->s);
	return 0;
}

/* ---- keys -------------------------------------------------------------- */

static int msg_handle(view *v, tui_action a, int ch)
{
	msg_priv *p = v->priv;
	tui *t = v->t;
	int page = t->rows - 14;
	if (tui_scroll(a, &p->w.top, page, p->s.n))
		return 1;
	if (windowed_keys(v, &p->w, a, WINDOWS, NWIN, load, "messaging", export_write))
		return 1;
	switch (a) {
	case ACT_MESSAGING:
		return 1;
	case ACT_ENTER: /* the window's messages, one by one */
		tui_push_period(t, &view_mdrs_ops, &v->account, p->s.from, p->s.to);
		return 1;
	default:
		return tui_open_account_view(t, a, &v->account);
	}
}

const view_ops view_msg_ops = {
	.name = "messaging",
	.open = msg_open,
	.draw = msg_draw,
	.handle = msg_handle,
	.reload = msg_reload,
	.close = msg_close,
	.hints = "Enter messages  h/l window  e export  d dashboard",
};
