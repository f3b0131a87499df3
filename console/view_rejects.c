/* view_rejects.c: the rows imports refused (`billtop rejects`): import,
 * file, line, reason and the row's text, by import then line, on the list
 * base (listview.h: `/` narrows as you type, `o` sorts, `e` exports, the
 * detail lines hold the selected row whole). A screen of the whole
 * database (X, from the accounts list or any account screen).
 *
 * Rows: at most MAX_ROWS are read into memory (the title says when there
 * are more: f narrows on the server). e writes the CSV or text form of
 * `billtop rejects` (render_records.c): the shown rows in their shown
 * order; when the memory cap was hit and no `/` text is on, every row of
 * the f filter read again, so an export of the unfiltered screen equals
 * `billtop rejects --format csv` byte for byte.
 *
 * f: an import id, and a text found in the file, the reason or the row
 * (data/rejects.c). The row's bytes are shown made visible (the base).
 *
 * Memory: the console owns the priv (priv_size); the view owns its rows
 * (each string malloc'd) inside it. */
#include <stdlib.h>
#include <string.h>

#include "../data/rejects.h"
#include "../front/render_records.h"
#include "listview.h"
#include "lvkit.h"

#define MAX_ROWS 20000

typedef struct {
	int64_t id, import_id, line;
	char *path, *reason;
	char *raw;                 /* the row's bytes, raw_len of them, then a NUL */
	size_t raw_len;
} reject_item;

typedef struct {
	listview lv;               /* first: lv_draw */
	lv_rows rows;              /* reject_item, at most MAX_ROWS */
	int64_t import_id;         /* 0: every import */
	char text[64];
} rejects_priv;

enum { C_IMPORT, C_FILE, C_LINE, C_REASON, C_ROW, C_N };

static void free_item(void *row)
{
	reject_item *it = row;
	free(it->path);
	free(it->reason);
	free(it->raw);
}

static int collect(const rejects_row *r, void *ctx)
{
	rejects_priv *p = ctx;
	reject_item *it;
	if (!(it = lv_rows_add(&p->rows)))
		return 1;
	it->path = strdup(r->path);
	it->reason = strdup(r->reason);
	it->raw = malloc(r->raw_len + 1);
	if (!it->path || !it->reason || !it->raw) {
		free_item(it);
		lv_rows_unadd(&p->rows);
		return 1;
	}
	memcpy(it->raw, r->raw, r->raw_len);
	it->raw[r->raw_len] = '\0';
	it->raw_len = r->raw_len;
	it->id = r->id;
	it->import_id = r->import_id;
	it->line = r->line;
	return 0;
}

/* ---- the list's callbacks ------------------------------------------------ */

static const reject_item *row_at(view *v, int i)
{
	return lv_rows_at(&((rejects_priv *)v->priv)->rows, i);
}

static int l_count(view *v)
{
	return ((rejects_priv *)v->priv)->rows.n;
}

/* The row as text: a NUL inside shows as "\0" (the text ends at it otherwise). */
static void raw_text(const reject_item *r, char *buf, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < r->raw_len && k + 3 < n; i++) {
		if (r->raw[i]) {
			buf[k++] = r->raw[i];
		} else {
			buf[k++] = '\\';
			buf[k++] = '0';
		}
	}
	buf[k] = '\0';
}

static void l_cell(view *v, int i, int col, char *buf, size_t n)
{
	const reject_item *r = row_at(v, i);
	switch (col) {
	case C_IMPORT: snprintf(buf, n, "%lld", (long long)r->import_id); break;
	case C_FILE: snprintf(buf, n, "%s", r->path); break;
	case C_LINE: snprintf(buf, n, "%lld", (long long)r->line); break;
	case C_REASON: snprintf(buf, n, "%s", r->reason); break;
	case C_ROW: raw_text(r, buf, n); break;
	default: buf[0] = '\0';
	}
}

static int by_import(view *v, int a, int b)
{
	int c = lv_cmp64(row_at(v, a)->import_id, row_at(v, b)->import_id);
	return c ? c : lv_cmp64(row_at(v, a)->line, row_at(v, b)->line);
}
static int by_file(view *v, int a, int b) { return strcmp(row_at(v, a)->path, row_at(v, b)->path); }
static int by_line(view *v, int a, int b) { return lv_cmp64(row_at(v, a)->line, row_at(v, b)->line); }
static int by_reason(view *v, int a, int b) { return strcmp(row_at(v, a)->reason, row_at(v, b)->reason); }

static void l_detail(view *v, int i, char *buf, size_t n)
{
	const reject_item *r = row_at(v, i);
	char raw[1500];
	raw_text(r, raw, sizeof raw);
	snprintf(buf, n, "%s:%lld: %s (import %lld)\n%s%s", r->path, (long long)r->line, r->reason,
	         (long long)r->import_id, raw, r->raw_len > 1400 ? " ... (e exports it whole)" : "");
}

static int64_t l_key(view *v, int i)
{
	return row_at(v, i)->id;
}

static void as_query_row(const reject_item *it, rejects_row *r)
{
	r->id = it->id;
	r->import_id = it->import_id;
	r->path = it->path;
	r->line = it->line;
	r->reason = it->reason;
	r->raw = it->raw;
	r->raw_len = it->raw_len;
}

static int write_one(const rejects_row *r, void *ctx)
{
	lv_out *x = ctx;
	if (x->csv_mode)
		render_reject_csv_row(&x->csv, r);
	else
		render_reject_text_row(x->f, r);
	return ferror(x->f) != 0; /* stop at a full disk */
}

/* See the top: the shown rows, or every row of the f filter when the
 * memory cap was hit and no `/` text narrows them. */
static int l_export(view *v, FILE *f, tui_export_format fmt)
{
	rejects_priv *p = v->priv;
	tui *t = v->t;
	lv_out x;
	lv_out_init(&x, v, f, fmt);
	if (x.csv_mode)
		render_reject_csv_header(&x.csv);
	if (p->rows.capped && !p->lv.filter[0]) {
		int st;
		tui_busy_begin(t, "exporting rejected rows");
		st = rejects_find(t->db, p->import_id != 0, p->import_id, p->text[0] ? p->text : NULL, write_one, &x);
		tui_busy_end(t);
		return lv_export_end(t, st);
	}
	for (int k = 0; k < listview_shown(&p->lv); k++) {
		rejects_row r;
		as_query_row(row_at(v, listview_row(&p->lv, k)), &r);
		if (write_one(&r, &x))
			break;
	}
	return 0;
}

static const lv_column COLUMNS[C_N] = {
	[C_IMPORT] = { "IMPORT", 6, 6, LV_RIGHT, 0, 0, by_import },
	[C_FILE] = { "FILE", 12, 32, LV_LEFT, 0, 0, by_file },
	[C_LINE] = { "LINE", 6, 6, LV_RIGHT, 0, 0, by_line },
	[C_REASON] = { "REASON", 16, 40, LV_LEFT, 0, 0, by_reason },
	[C_ROW] = { "ROW", 12, 0, LV_LEFT, 1, 0, NULL },
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
	.export_kind = "rejects",
	.empty = "no rejected rows (import --keep-going keeps what it refuses)",
};

/* ---- the view -------------------------------------------------------------- */

static void set_title(view *v)
{
	rejects_priv *p = v->priv;
	char f[120] = "";
	if (p->import_id && p->text[0])
		snprintf(f, sizeof f, " [import %lld ~%.40s]", (long long)p->import_id, p->text);
	else if (p->import_id)
		snprintf(f, sizeof f, " [import %lld]", (long long)p->import_id);
	else if (p->text[0])
		snprintf(f, sizeof f, " [~%.40s]", p->text);
	snprintf(v->title, sizeof v->title, "rejected rows%.80s  %d%s", f, p->rows.n,
	         p->rows.capped ? "+ (the first read: f narrows)" : "");
}

static int load(view *v)
{
	rejects_priv *p = v->priv;
	tui *t = v->t;
	int st;
	lv_rows_clear(&p->rows, free_item);
	tui_busy_begin(t, "reading rejected rows");
	st = rejects_find(t->db, p->import_id != 0, p->import_id, p->text[0] ? p->text : NULL, collect, p);
	tui_busy_end(t);
	listview_rebuild(&p->lv, v);
	set_title(v);
	return lv_load_end(v, "rejects", st, p->rows.oom);
}

static int rejects_open(view *v)
{
	rejects_priv *p = v->priv;
	listview_init(&p->lv, &LIST);
	p->rows.size = sizeof(reject_item);
	p->rows.max = MAX_ROWS;
	return load(v);
}

static void rejects_close(view *v)
{
	rejects_priv *p = v->priv;
	lv_rows_free(&p->rows, free_item);
	listview_free(&p->lv);
}

static void rejects_reload(view *v)
{
	load(v);
}

/* f: the filters read on the server (the rows read change). */
static void ask_filter(view *v)
{
	rejects_priv *p = v->priv;
	tui *t = v->t;
	char buf[64], *end;
	int which = tui_ask_key(t, "filter: i import  n file/reason/row text  x clear", "inx");
	switch (which) {
	case 'i':
		if (!tui_prompt(t, "import id (empty: every import):", "", buf, sizeof buf))
			return;
		if (!buf[0]) {
			p->import_id = 0;
			break;
		}
		p->import_id = strtoll(buf, &end, 10);
		if (*end || p->import_id <= 0) {
			tui_set_status(t, "filter: \"%s\" is not an import id (a whole number; W lists the imports)", buf);
			p->import_id = 0;
			return;
		}
		break;
	case 'n':
		if (!lv_ask_text(t, "file, reason or row contains (empty: any):", p->text, sizeof p->text))
			return;
		break;
	case 'x':
		p->import_id = 0;
		p->text[0] = '\0';
		break;
	default:
		return;
	}
	load(v);
}

static int rejects_handle(view *v, tui_action a, int ch)
{
	rejects_priv *p = v->priv;
	if (listview_handle(&p->lv, v, a, ch))
		return 1;
	switch (a) {
	case ACT_FILTER: ask_filter(v); return 1;
	case ACT_REJECTS: return 1;
	case ACT_AUDIT: return tui_open_account_view(v->t, a, NULL);
	default: return 0;
	}
}

const view_ops view_rejects_ops = {
	.name = "rejects",
	.open = rejects_open,
	.draw = lv_draw,
	.handle = rejects_handle,
	.reload = rejects_reload,
	.close = rejects_close,
	.hints = "/ narrow  f filter  o sort  e export  W audit",
	.priv_size = sizeof(rejects_priv),
};
