/* view_ledger.c: one account's ledger entries (deposits, payments,
 * adjustments, MRC, NRC, E911, CNAM), newest first, as `billtop ledger
 * list` reads them (report_each_entry), on the list base (listview.h):
 * `/` narrows the entries as you type (id, time, kind, amount, operator or
 * memo), `o` sorts by a column, `e` exports the shown entries in the CSV
 * or text form of `billtop ledger list`. The detail lines under the list
 * hold the selected entry whole: who posted it, from where, when, its
 * reference and the whole memo. Memos are operator text: the base makes
 * control characters visible. p posts.
 *
 * Memory: the console owns the priv (priv_size); the view owns its copy of
 * the entries inside it (ledger entries are few compared with calls:
 * every one is loaded). */
#include <stdlib.h>
#include <string.h>

#include "../core/tm.h"
#include "../data/out.h"
#include "../data/report.h"
#include "../front/text.h"
#include "listview.h"
#include "lvkit.h"

typedef struct {
	report_entry e;
	char op[48], ssh[64];
	int64_t posted;
} entry_row;

typedef struct {
	listview lv;               /* first: lv_draw */
	lv_rows rows;              /* entry_row, newest first (reversed after reading) */
} ledger_priv;

enum { C_ID, C_AT, C_KIND, C_AMOUNT, C_OP, C_MEMO, C_N };

static int collect(const report_entry *e, const char *op, const char *ssh, int64_t posted, void *ctx)
{
	ledger_priv *p = ctx;
	entry_row *r = lv_rows_add(&p->rows);
	if (!r)
		return 1;
	r->e = *e;
	snprintf(r->op, sizeof r->op, "%s", op ? op : "");
	snprintf(r->ssh, sizeof r->ssh, "%s", ssh ? ssh : "");
	r->posted = posted;
	return 0;
}

/* ---- the list's callbacks ------------------------------------------------ */

static int l_count(view *v)
{
	return ((ledger_priv *)v->priv)->rows.n;
}

static const entry_row *row_at(view *v, int i)
{
	return lv_rows_at(&((ledger_priv *)v->priv)->rows, i);
}

static void l_cell(view *v, int i, int col, char *buf, size_t n)
{
	const entry_row *r = row_at(v, i);
	switch (col) {
	case C_ID: snprintf(buf, n, "%lld", (long long)r->e.id); break;
	case C_AT: tm_format(r->e.at, buf, n); break;
	case C_KIND: snprintf(buf, n, "%s", r->e.kind); break;
	case C_AMOUNT: money_format(r->e.amount, v->account.decimals, buf, n); break;
	case C_OP: snprintf(buf, n, "%s", r->op); break;
	case C_MEMO:
		/* dated after now (or the as-of time): scheduled, counts from its time */
		snprintf(buf, n, "%s%s", r->e.at > tui_as_of(v->t) ? "SCHEDULED " : "", r->e.memo);
		break;
	default: buf[0] = '\0';
	}
}

static int by_id(view *v, int a, int b) { return lv_cmp64(row_at(v, a)->e.id, row_at(v, b)->e.id); }
static int by_at(view *v, int a, int b) { return lv_cmp64(row_at(v, a)->e.at, row_at(v, b)->e.at); }
static int by_kind(view *v, int a, int b) { return strcmp(row_at(v, a)->e.kind, row_at(v, b)->e.kind); }
static int by_amount(view *v, int a, int b) { return lv_cmp64(row_at(v, a)->e.amount, row_at(v, b)->e.amount); }
static int by_op(view *v, int a, int b) { return strcmp(row_at(v, a)->op, row_at(v, b)->op); }

static void l_detail(view *v, int i, char *buf, size_t n)
{
	const entry_row *r = row_at(v, i);
	char posted[24], at[24], amount[40];
	tm_format(r->posted, posted, sizeof posted);
	tm_format(r->e.at, at, sizeof at);
	money_format(r->e.amount, v->account.decimals, amount, sizeof amount);
	/* ref: the idempotency key of `ledger add --ref`, which a retry repeats */
	snprintf(buf, n, "#%lld %s %s %s at %s%s, posted %s UTC by %s%s%s%s%s  memo: %s", (long long)r->e.id, r->e.kind,
	         amount, v->account.currency, at, r->e.at > tui_as_of(v->t) ? " (SCHEDULED: counts from then)" : "",
	         posted, r->op[0] ? r->op : "?", r->ssh[0] ? " from " : "", r->ssh, r->e.ref[0] ? "  ref " : "",
	         r->e.ref, r->e.memo);
}

static int l_attr(view *v, int i)
{
	return row_at(v, i)->e.amount < 0 ? 0 : tui_attr(v->t, CP_GOOD);
}

static int64_t l_key(view *v, int i)
{
	return row_at(v, i)->e.id;
}

/* The shown entries, in the form of `billtop ledger list --format csv`
 * (exact amounts) or of its text form. */
static int l_export(view *v, FILE *f, tui_export_format fmt)
{
	ledger_priv *p = v->priv;
	int64_t as_of = tui_as_of(v->t);
	int d = v->account.decimals;
	out_csv csv;
	out_csv_init(&csv, f);
	if (fmt == TUI_EXPORT_CSV) {
		const char *h[] = { "id", "at", "kind", "amount", "memo", "operator", "ssh_client", "posted", "ref",
		                    "scheduled" };
		for (int i = 0; i < 10; i++)
			out_csv_cell(&csv, h[i]);
		out_csv_end(&csv);
	} else {
		fprintf(f, "%6s  %-19s  %-10s %14s  %-10s %s\n", "ID", "AT (UTC)", "KIND", "AMOUNT", "OPERATOR", "MEMO");
	}
	for (int k = 0; k < listview_shown(&p->lv); k++) {
		const entry_row *r = row_at(v, listview_row(&p->lv, k));
		const report_entry *e = &r->e;
		if (fmt == TUI_EXPORT_CSV) {
			out_csv_int(&csv, e->id);
			out_csv_time(&csv, e->at);
			out_csv_cell(&csv, e->kind);
			out_csv_money(&csv, e->amount, d);
			out_csv_cell(&csv, e->memo);
			out_csv_cell(&csv, r->op);
			out_csv_cell(&csv, r->ssh);
			out_csv_time(&csv, r->posted);
			out_csv_cell(&csv, e->ref);
			out_csv_cell(&csv, e->at > as_of ? "scheduled" : "");
			out_csv_end(&csv);
		} else {
			fprintf(f, "%6lld  %s  %-10s %14s  %-10s %s%s%s%s\n", (long long)e->id, cli_time_text(e->at), e->kind,
			        cli_money(e->amount, d), cli_vis(r->op), cli_vis(e->memo), e->ref[0] ? "  ref " : "",
			        cli_vis(e->ref), e->at > as_of ? "  [SCHEDULED: takes effect at its time]" : "");
		}
	}
	return 0;
}

static const lv_column COLUMNS[C_N] = {
	[C_ID] = { "ID", 6, 6, LV_RIGHT, 0, 0, by_id },
	[C_AT] = { "AT (UTC)", 19, 19, LV_LEFT, 0, 0, by_at },
	[C_KIND] = { "KIND", 10, 10, LV_LEFT, 0, 0, by_kind },
	[C_AMOUNT] = { "AMOUNT", 14, 14, LV_RIGHT, 0, 0, by_amount },
	[C_OP] = { "OPERATOR", 8, 12, LV_LEFT, 1, 0, by_op },
	[C_MEMO] = { "MEMO", 24, 0, LV_LEFT, 0, 0, NULL },
};

static const listview_ops LIST = {
	.columns = COLUMNS,
	.ncolumns = C_N,
	.count = l_count,
	.cell = l_cell,
	.detail = l_detail,
	.detail_lines = 4,
	.attr = l_attr,
	.key = l_key,
	.export_rows = l_export,
	.export_kind = "ledger",
	.empty = "no ledger entries yet (p posts one)",
};

/* ---- the view -------------------------------------------------------------- */

static int load(view *v)
{
	ledger_priv *p = v->priv;
	tui *t = v->t;
	/* at the top of the screen's own order, follow new entries */
	int follow = p->lv.sel == 0 && p->lv.sort_col < 0;
	account_info fresh;
	if (account_get(t->db, v->account.id, &fresh) == DB_OK)
		v->account = fresh;
	entry_row *rows;
	lv_rows_clear(&p->rows, NULL);
	if (report_each_entry(t->db, &v->account, INT64_MIN, INT64_MAX, collect, p) != DB_OK || p->rows.oom) {
		tui_set_status(t, "ledger: %s", p->rows.oom ? "out of memory" : db_errmsg(t->db));
		p->rows.n = 0;
		listview_rebuild(&p->lv, v);
		return -1;
	}
	rows = (entry_row *)(void *)p->rows.p;
	for (int i = 0; i < p->rows.n / 2; i++) { /* newest first */
		entry_row tmp = rows[i];
		rows[i] = rows[p->rows.n - 1 - i];
		rows[p->rows.n - 1 - i] = tmp;
	}
	listview_rebuild(&p->lv, v);
	if (follow)
		p->lv.sel = 0;
	snprintf(v->title, sizeof v->title, "%.64s  ledger, newest first (%d)", v->account.name, p->rows.n);
	return 0;
}

static int ledger_open(view *v)
{
	ledger_priv *p = v->priv;
	listview_init(&p->lv, &LIST);
	p->rows.size = sizeof(entry_row);
	return load(v);
}

static void ledger_close(view *v)
{
	ledger_priv *p = v->priv;
	listview_free(&p->lv);
	lv_rows_free(&p->rows, NULL);
}

static void ledger_reload(view *v)
{
	load(v);
}

static int ledger_handle(view *v, tui_action a, int ch)
{
	ledger_priv *p = v->priv;
	if (listview_handle(&p->lv, v, a, ch))
		return 1;
	if (a == ACT_LEDGER)
		return 1;
	return tui_open_account_view(v->t, a, &v->account);
}

const view_ops view_ledger_ops = {
	.name = "ledger",
	.open = ledger_open,
	.draw = lv_draw,
	.handle = ledger_handle,
	.reload = ledger_reload,
	.close = ledger_close,
	.hints = "/ filter  o sort  e export  p post  s statement",
	.priv_size = sizeof(ledger_priv),
};
