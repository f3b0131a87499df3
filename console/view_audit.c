/* view_audit.c: who did what, when (`billtop audit`): time, operator, the
 * SSH client's address, action, id, account and the action's detail,
 * newest first, on the list base (listview.h: `/` narrows as you type, `o`
 * sorts, `e` exports, the detail lines hold the selected action whole). A
 * screen of the whole database (W, from the accounts list or any account
 * screen).
 *
 * Rows: at most MAX_ROWS are kept in memory (the title says when there are
 * more: f narrows). e writes the CSV or text form of `billtop audit`
 * (render_records.c): the shown rows in their shown order; when the cap
 * was hit and no `/` text is on, every action of the f filter read again,
 * so an export of the unfiltered screen equals `billtop audit --format
 * csv` (with f's from/to: `--from --to`) byte for byte.
 *
 * f: from/to (UTC, [from, to)), read by data/audit.c.
 *
 * Memory: the console owns the priv (priv_size); the view owns its rows
 * (each string malloc'd) inside it. */
#include <stdlib.h>
#include <string.h>

#include "../core/tm.h"
#include "../data/audit.h"
#include "../front/render_records.h"
#include "listview.h"
#include "lvkit.h"

#define MAX_ROWS 20000

/* An audit_row kept: its strings copied, the detail rendered once. */
typedef struct {
	audit_row r;               /* the string members point into the copies below */
	char *what, *who, *ssh, *account, *kind, *text, *format, *ref;
	char *detail;
	char from[48];             /* the client's address: the first word of ssh */
} audit_item;

typedef struct {
	listview lv;               /* first: lv_draw */
	lv_rows rows;              /* audit_item, at most MAX_ROWS */
	lv_period per;
} audit_priv;

enum { C_AT, C_WHO, C_FROM, C_WHAT, C_ID, C_ACCOUNT, C_DETAIL, C_N };

static void free_item(void *row)
{
	audit_item *it = row;
	free(it->what);
	free(it->who);
	free(it->ssh);
	free(it->account);
	free(it->kind);
	free(it->text);
	free(it->format);
	free(it->ref);
	free(it->detail);
}

static char *dup0(const char *s)
{
	return strdup(s ? s : "");
}

static int collect(const audit_row *r, void *ctx)
{
	audit_priv *p = ctx;
	audit_item *it;
	char d[2048];
	size_t k;
	if (!(it = lv_rows_add(&p->rows)))
		return 1;
	render_audit_detail(r, d, sizeof d);
	it->r = *r;
	it->r.what = it->what = dup0(r->what);
	it->r.operator_ = it->who = dup0(r->operator_);
	it->r.ssh_client = it->ssh = dup0(r->ssh_client);
	it->r.account = it->account = dup0(r->account);
	it->r.kind = it->kind = dup0(r->kind);
	it->r.text = it->text = dup0(r->text);
	it->r.format = it->format = dup0(r->format);
	it->r.ref = it->ref = dup0(r->ref);
	it->detail = strdup(d);
	if (!it->what || !it->who || !it->ssh || !it->account || !it->kind || !it->text || !it->format || !it->ref
	    || !it->detail) {
		free_item(it);
		lv_rows_unadd(&p->rows);
		return 1;
	}
	k = strcspn(it->ssh, " ");
	snprintf(it->from, sizeof it->from, "%.*s", (int)(k < sizeof it->from - 1 ? k : sizeof it->from - 1), it->ssh);
	return 0;
}

/* ---- the list's callbacks ------------------------------------------------ */

static const audit_item *row_at(view *v, int i)
{
	return lv_rows_at(&((audit_priv *)v->priv)->rows, i);
}

static int l_count(view *v)
{
	return ((audit_priv *)v->priv)->rows.n;
}

static void l_cell(view *v, int i, int col, char *buf, size_t n)
{
	const audit_item *r = row_at(v, i);
	switch (col) {
	case C_AT: tm_format(r->r.at, buf, n); break;
	case C_WHO: snprintf(buf, n, "%s", r->who); break;
	case C_FROM: snprintf(buf, n, "%s", r->from[0] ? r->from : "-"); break;
	case C_WHAT: snprintf(buf, n, "%s", r->what); break;
	case C_ID: snprintf(buf, n, "%lld", (long long)r->r.id); break;
	case C_ACCOUNT: snprintf(buf, n, "%s", r->account[0] ? r->account : "-"); break;
	case C_DETAIL: snprintf(buf, n, "%s", r->detail); break;
	default: buf[0] = '\0';
	}
}

static int by_at(view *v, int a, int b) { return lv_cmp64(row_at(v, a)->r.at, row_at(v, b)->r.at); }
static int by_who(view *v, int a, int b) { return strcmp(row_at(v, a)->who, row_at(v, b)->who); }
static int by_from(view *v, int a, int b) { return strcmp(row_at(v, a)->from, row_at(v, b)->from); }
static int by_what(view *v, int a, int b) { return strcmp(row_at(v, a)->what, row_at(v, b)->what); }
static int by_id(view *v, int a, int b) { return lv_cmp64(row_at(v, a)->r.id, row_at(v, b)->r.id); }
static int by_account(view *v, int a, int b) { return strcmp(row_at(v, a)->account, row_at(v, b)->account); }

static void l_detail(view *v, int i, char *buf, size_t n)
{
	const audit_item *r = row_at(v, i);
	char at[24];
	tm_format(r->r.at, at, sizeof at);
	snprintf(buf, n, "%s #%lld, %s UTC, by %s%s%s%s%s\n%s", r->what, (long long)r->r.id, at, r->who,
	         r->ssh[0] ? " from " : "", r->ssh, r->account[0] ? ", account " : "", r->account, r->detail);
}

/* Unique across the actions listed: their kind (a small number) and id. */
static int64_t l_key(view *v, int i)
{
	static const char *const kinds[] = { "ledger", "import", "ingest", "rates", "case opened", "case closed" };
	const audit_item *r = row_at(v, i);
	int64_t k = 7;
	for (int j = 0; j < 6; j++)
		if (strcmp(r->what, kinds[j]) == 0)
			k = j;
	return (int64_t)((uint64_t)r->r.id * 8u + (uint64_t)k);
}

static int write_one(const audit_row *r, void *ctx)
{
	lv_out *x = ctx;
	if (x->csv_mode)
		render_audit_csv_row(&x->csv, r);
	else
		render_audit_text_row(x->f, r);
	return ferror(x->f) != 0; /* stop at a full disk */
}

static int l_export(view *v, FILE *f, tui_export_format fmt)
{
	audit_priv *p = v->priv;
	tui *t = v->t;
	lv_out x;
	lv_out_init(&x, v, f, fmt);
	if (x.csv_mode)
		render_audit_csv_header(&x.csv);
	else
		render_audit_text_header(f);
	if (p->rows.capped && !p->lv.filter[0]) {
		int st;
		tui_busy_begin(t, "exporting the audit trail");
		st = audit_each(t->db, p->per.from, p->per.to, write_one, &x);
		tui_busy_end(t);
		return lv_export_end(t, st);
	}
	for (int k = 0; k < listview_shown(&p->lv); k++)
		if (write_one(&row_at(v, listview_row(&p->lv, k))->r, &x))
			break;
	return 0;
}

static const lv_column COLUMNS[C_N] = {
	[C_AT] = { "WHEN (UTC)", 19, 19, LV_LEFT, 0, 0, by_at },
	[C_WHO] = { "WHO", 6, 10, LV_LEFT, 0, 0, by_who },
	[C_FROM] = { "FROM", 8, 15, LV_LEFT, 2, 110, by_from },
	[C_WHAT] = { "WHAT", 6, 11, LV_LEFT, 0, 0, by_what },
	[C_ID] = { "ID", 4, 6, LV_RIGHT, 3, 100, by_id },
	[C_ACCOUNT] = { "ACCOUNT", 7, 14, LV_LEFT, 1, 0, by_account },
	[C_DETAIL] = { "DETAIL", 16, 0, LV_LEFT, 0, 0, NULL },
};

static const listview_ops LIST = {
	.columns = COLUMNS,
	.ncolumns = C_N,
	.count = l_count,
	.cell = l_cell,
	.detail = l_detail,
	.detail_lines = 3,
	.key = l_key,
	.export_rows = l_export,
	.export_kind = "audit",
	.empty = "nothing done in this period (posting, imports, rate decks and investigations show here)",
};

/* ---- the view -------------------------------------------------------------- */

static void set_title(view *v)
{
	audit_priv *p = v->priv;
	char ft[100], f[104] = "";
	if (lv_filter_text(&p->per, NULL, ft, sizeof ft))
		snprintf(f, sizeof f, "  [%s]", ft + 1);
	snprintf(v->title, sizeof v->title, "audit: who did what%s  %d%s", f, p->rows.n,
	         p->rows.capped ? "+ (the newest read: f narrows)" : "");
}

static int load(view *v)
{
	audit_priv *p = v->priv;
	tui *t = v->t;
	int st;
	lv_rows_clear(&p->rows, free_item);
	tui_busy_begin(t, "reading the audit trail");
	st = audit_each(t->db, p->per.from, p->per.to, collect, p);
	tui_busy_end(t);
	listview_rebuild(&p->lv, v);
	set_title(v);
	return lv_load_end(v, "audit", st, p->rows.oom);
}

static int audit_open(view *v)
{
	audit_priv *p = v->priv;
	listview_init(&p->lv, &LIST);
	p->rows.size = sizeof(audit_item);
	p->rows.max = MAX_ROWS;
	lv_period_clear(&p->per);
	return load(v);
}

static void audit_close(view *v)
{
	audit_priv *p = v->priv;
	lv_rows_free(&p->rows, free_item);
	listview_free(&p->lv);
}

static void audit_reload(view *v)
{
	load(v);
}

/* f: the period read (from/to); `/` narrows what is read. */
static void ask_filter(view *v)
{
	audit_priv *p = v->priv;
	tui *t = v->t;
	int which = tui_ask_key(t, "filter: f from  t to  x clear (/ narrows by any text)", "ftx");
	switch (which) {
	case 'f':
	case 't':
		if (!lv_ask_period(t, &p->per, which))
			return;
		break;
	case 'x':
		lv_period_clear(&p->per);
		break;
	default:
		return;
	}
	load(v);
}

static int audit_handle(view *v, tui_action a, int ch)
{
	audit_priv *p = v->priv;
	if (listview_handle(&p->lv, v, a, ch))
		return 1;
	switch (a) {
	case ACT_FILTER: ask_filter(v); return 1;
	case ACT_AUDIT: return 1;
	case ACT_REJECTS: return tui_open_account_view(v->t, a, NULL);
	default: return 0;
	}
}

const view_ops view_audit_ops = {
	.name = "audit",
	.open = audit_open,
	.draw = lv_draw,
	.handle = audit_handle,
	.reload = audit_reload,
	.close = audit_close,
	.hints = "/ narrow  f period  o sort  e export  X rejects",
	.priv_size = sizeof(audit_priv),
};
