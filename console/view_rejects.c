/* view_rejects.c: the rows imports refused (`billtop rejects`): file, line,
 * reason and the row's text, by import then line. A screen of the whole
 * database (X, from the accounts list or any account screen).
 *
 * Rows: at most MAX_ROWS are read into memory (the title says when there
 * are more: f narrows); e exports every row of the filter, in the CSV or
 * text form of `billtop rejects` (render_records.c), so an export with no
 * filter equals `billtop rejects --format csv`.
 *
 * Filters (f): an import id, and a text found in the file, the reason or
 * the row (data/rejectq.c). / searches the loaded rows. The row's bytes
 * are shown made visible (tui_text); the bottom line shows the selected
 * row whole, as far as the width goes.
 *
 * Memory: the view owns its rows (each string malloc'd) and filter texts. */
#include <stdlib.h>
#include <string.h>

#include "../data/rejectq.h"
#include "../front/render_records.h"
#include "tui.h"

#define MAX_ROWS 5000
#define RAW_KEEP 1024          /* bytes of a row kept for the screen */

typedef struct {
	int64_t import_id, line;
	char *path, *reason;
	char raw[RAW_KEEP + 1];    /* the first RAW_KEEP bytes, NULs made '.' */
	size_t raw_len;            /* the whole row's length */
} reject_item;

typedef struct {
	reject_item *rows;
	int n, sel, top, list_rows, more;
	int64_t import_id;         /* 0: every import */
	char text[64], search[64];
} rejects_priv;

static void free_rows(rejects_priv *p)
{
	for (int i = 0; i < p->n; i++) {
		free(p->rows[i].path);
		free(p->rows[i].reason);
	}
	p->n = 0;
}

static int collect(const rejectq_row *r, void *ctx)
{
	rejects_priv *p = ctx;
	reject_item *it;
	size_t k;
	if (p->n >= MAX_ROWS) {
		p->more = 1;
		return 1;
	}
	it = &p->rows[p->n];
	if (!(it->path = strdup(r->path)) || !(it->reason = strdup(r->reason))) {
		free(it->path);
		return -1;
	}
	it->import_id = r->import_id;
	it->line = r->line;
	it->raw_len = r->raw_len;
	k = r->raw_len < RAW_KEEP ? r->raw_len : RAW_KEEP;
	for (size_t i = 0; i < k; i++)
		it->raw[i] = r->raw[i] ? r->raw[i] : '.';
	it->raw[k] = '\0';
	p->n++;
	return 0;
}

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
	snprintf(v->title, sizeof v->title, "rejected rows%s  %d%s", f, p->n, p->more ? "+ (the first shown: f narrows)" : "");
}

static int load(view *v)
{
	rejects_priv *p = v->priv;
	tui *t = v->t;
	int st;
	free_rows(p);
	p->more = 0;
	tui_busy_begin(t, "reading rejected rows");
	st = rejectq_each(t->db, p->import_id, p->text[0] ? p->text : NULL, collect, p);
	tui_busy_end(t);
	if (p->sel >= p->n)
		p->sel = p->n ? p->n - 1 : 0;
	set_title(v);
	if (st != DB_OK) {
		if (!t->cancelled)
			tui_set_status(t, "rejects: %s", db_errmsg(t->db));
		return -1;
	}
	return 0;
}

static int rejects_open(view *v)
{
	rejects_priv *p;
	if (!(v->priv = p = calloc(1, sizeof(rejects_priv))))
		return -1;
	if (!(p->rows = calloc(MAX_ROWS, sizeof *p->rows))) {
		tui_set_status(v->t, "rejects: out of memory");
		return -1;
	}
	return load(v);
}

static void rejects_close(view *v)
{
	rejects_priv *p = v->priv;
	if (p) {
		free_rows(p);
		free(p->rows);
	}
	free(p);
}

static void rejects_reload(view *v)
{
	load(v);
}

static void rejects_draw(view *v, int top, int rows, int cols)
{
	rejects_priv *p = v->priv;
	tui *t = v->t;
	int fw = cols >= 120 ? 32 : 20, rw = cols >= 120 ? 40 : 24;
	p->list_rows = rows - 2;
	if (p->list_rows < 1)
		p->list_rows = 1;
	attron(A_BOLD);
	tui_textf(t, top, 0, cols, "%6s %-*s %6s %-*s %s", "IMPORT", fw, "FILE", "LINE", rw, "REASON", "ROW");
	attroff(A_BOLD);
	if (p->n == 0) {
		tui_text(t, top + 2, 2, cols - 4, p->import_id || p->text[0] ? "no rejected rows match" : "no rejected rows: "
		         "every row imported was stored (import --keep-going keeps the rows it refuses)");
		if (p->import_id || p->text[0])
			tui_text(t, top + 3, 2, cols - 4, "(f changes the filters; f then x clears them)");
		return;
	}
	if (p->sel < p->top)
		p->top = p->sel;
	if (p->sel >= p->top + p->list_rows)
		p->top = p->sel - p->list_rows + 1;
	if (p->top < 0)
		p->top = 0;
	for (int i = 0; i < p->list_rows && p->top + i < p->n; i++) {
		const reject_item *r = &p->rows[p->top + i];
		int y = top + 1 + i, attr = p->top + i == p->sel ? tui_attr(t, CP_SELECT) : 0, x = 0;
		attron(attr);
		move(y, 0);
		for (int k = 0; k < cols; k++)
			addch(' ');
		tui_textf(t, y, x, 6, "%6lld", (long long)r->import_id);
		x += 7;
		tui_text_cut(t, y, x, fw, r->path, 1);
		x += fw + 1;
		tui_textf(t, y, x, 6, "%6lld", (long long)r->line);
		x += 7;
		tui_text_cut(t, y, x, rw, r->reason, 0);
		x += rw + 1;
		if (x < cols)
			tui_text_cut(t, y, x, cols - x, r->raw, 0);
		attroff(attr);
	}
	{ /* the detail line: the selected row whole, as far as the width goes */
		const reject_item *r = &p->rows[p->sel];
		char line[2600];
		snprintf(line, sizeof line, "%s:%lld: %s  |  %s%s", r->path, (long long)r->line, r->reason, r->raw,
		         r->raw_len > RAW_KEEP ? " ... (e exports it whole)" : "");
		attron(tui_attr(t, CP_DIM));
		move(top + rows - 1, 0);
		clrtoeol();
		tui_text(t, top + rows - 1, 0, cols, line);
		attroff(tui_attr(t, CP_DIM));
	}
}

static void copy_text(char *dst, size_t n, const char *src)
{
	size_t len = strlen(src);
	if (len >= n)
		len = n - 1;
	memcpy(dst, src, len);
	dst[len] = '\0';
}

static void ask_filter(view *v)
{
	rejects_priv *p = v->priv;
	tui *t = v->t;
	char which[8], buf[64], *end;
	if (!tui_prompt(t, "filter: i import  n file/reason/row text  x clear:", "", which, sizeof which))
		return;
	switch (which[0]) {
	case 'i':
		if (!tui_prompt(t, "import id (empty: every import):", "", buf, sizeof buf))
			return;
		if (!buf[0]) {
			p->import_id = 0;
			break;
		}
		p->import_id = strtoll(buf, &end, 10);
		if (*end || p->import_id <= 0) {
			tui_set_status(t, "filter: \"%s\" is not an import id (a whole number, see W audit)", buf);
			p->import_id = 0;
			return;
		}
		break;
	case 'n':
		if (!tui_prompt(t, "file, reason or row contains (empty: any):", p->text, buf, sizeof buf))
			return;
		copy_text(p->text, sizeof p->text, buf);
		break;
	case 'x':
		p->import_id = 0;
		p->text[0] = '\0';
		break;
	default:
		tui_set_status(t, "filter: say i, n or x");
		return;
	}
	p->sel = p->top = 0;
	load(v);
}

static int search_from(rejects_priv *p, int start)
{
	for (int k = 0; k < p->n; k++) {
		int i = (start + k) % p->n;
		if (tui_contains(p->rows[i].path, p->search) || tui_contains(p->rows[i].reason, p->search)
		    || tui_contains(p->rows[i].raw, p->search)) {
			p->sel = i;
			return 1;
		}
	}
	return 0;
}

typedef struct {
	FILE *f;
	out_csv csv;
	int csv_mode;
} export_ctx;

static int write_one(const rejectq_row *r, void *ctx)
{
	export_ctx *x = ctx;
	if (x->csv_mode)
		render_reject_csv_row(&x->csv, r);
	else
		render_reject_text_row(x->f, r);
	return ferror(x->f) != 0; /* stop at a full disk */
}

/* Every row of the filter (not only the loaded ones), in the form of
 * `billtop rejects --format csv` or `billtop rejects`. */
static int write_rejects(FILE *f, tui_export_format fmt, void *ctx)
{
	view *v = ctx;
	rejects_priv *p = v->priv;
	tui *t = v->t;
	export_ctx x;
	int st;
	memset(&x, 0, sizeof x);
	x.f = f;
	x.csv_mode = fmt == TUI_EXPORT_CSV;
	out_csv_init(&x.csv, f);
	if (x.csv_mode)
		render_reject_csv_header(&x.csv);
	tui_busy_begin(t, "exporting rejected rows");
	st = rejectq_each(t->db, p->import_id, p->text[0] ? p->text : NULL, write_one, &x);
	tui_busy_end(t);
	if (st != DB_OK) {
		tui_set_status(t, "export %s: the file is incomplete", t->cancelled ? "cancelled" : db_errmsg(t->db));
		return -1;
	}
	return 0;
}

static int rejects_handle(view *v, tui_action a, int ch)
{
	rejects_priv *p = v->priv;
	tui *t = v->t;
	int page = p->list_rows > 1 ? p->list_rows - 1 : 1;
	switch (a) {
	case ACT_DOWN: if (p->sel + 1 < p->n) p->sel++; return 1;
	case ACT_UP: if (p->sel > 0) p->sel--; return 1;
	case ACT_PAGE_DOWN: p->sel = p->sel + page < p->n ? p->sel + page : (p->n ? p->n - 1 : 0); return 1;
	case ACT_PAGE_UP: p->sel = p->sel > page ? p->sel - page : 0; return 1;
	case ACT_HOME: p->sel = 0; return 1;
	case ACT_END: p->sel = p->n ? p->n - 1 : 0; return 1;
	case ACT_FILTER: ask_filter(v); return 1;
	case ACT_SEARCH:
		if (tui_prompt(t, "search loaded rows:", p->search, p->search, sizeof p->search) && p->search[0]
		    && !search_from(p, p->sel + 1))
			tui_set_status(t, "no loaded row matches \"%s\" (f n filters every row)", p->search);
		return 1;
	case ACT_SEARCH_NEXT:
		if (p->search[0] && !search_from(p, p->sel + 1))
			tui_set_status(t, "no loaded row matches \"%s\"", p->search);
		return 1;
	case ACT_EXPORT: tui_export(t, "rejects", write_rejects, v); return 1;
	case ACT_REJECTS: return 1;
	case ACT_AUDIT: return tui_open_account_view(t, a, NULL);
	default: return 0;
	}
}

const view_ops view_rejects_ops = {
	"rejects", rejects_open, rejects_draw, rejects_handle, rejects_reload, rejects_close,
	"f filter  / search  e export  W audit",
};
