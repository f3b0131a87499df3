/* view_audit.c: who did what, when (`billtop audit`): time, operator (and
 * the SSH client's address), action, account and the action's detail,
 * newest first. A screen of the whole database (W, from the accounts list
 * or any account screen).
 *
 * Rows: at most MAX_ROWS are kept in memory (the title says when there are
 * more: f narrows); e exports every row of the filter in the CSV or text
 * form of `billtop audit` (render_records.c), so an export with no text
 * filter equals `billtop audit [--from --to] --format csv`.
 *
 * Filters (f): from/to (UTC, [from, to)) read by data/audit.c, and a text
 * found in the operator, action, account or detail (matched as the rows
 * are read). / searches the loaded rows.
 *
 * Memory: the view owns its rows (each string malloc'd) and filter texts. */
#include <stdlib.h>
#include <string.h>

#include "../core/tm.h"
#include "../data/audit.h"
#include "../front/render_records.h"
#include "tui.h"

#define MAX_ROWS 5000

typedef struct {
	int64_t at, id;
	char what[16];
	char *who, *from, *account, *detail;
} audit_item;

typedef struct {
	audit_item *rows;
	int n, sel, top, list_rows, more;
	int64_t from, to;
	char from_text[40], to_text[40], text[64], search[64];
} audit_priv;

static void free_rows(audit_priv *p)
{
	for (int i = 0; i < p->n; i++) {
		free(p->rows[i].who);
		free(p->rows[i].from);
		free(p->rows[i].account);
		free(p->rows[i].detail);
	}
	p->n = 0;
}

/* The text filter, on what the screen and the export show. */
static int matches(const audit_row *r, const char *detail, const char *text)
{
	return !text[0] || tui_contains(r->operator_, text) || tui_contains(r->what, text)
	       || tui_contains(r->account, text) || tui_contains(detail, text) || tui_contains(r->ssh_client, text);
}

static int collect(const audit_row *r, void *ctx)
{
	audit_priv *p = ctx;
	audit_item *it;
	char d[2048];
	size_t k = strcspn(r->ssh_client, " ");
	render_audit_detail(r, d, sizeof d);
	if (!matches(r, d, p->text))
		return 0;
	if (p->n >= MAX_ROWS) {
		p->more = 1;
		return 1;
	}
	it = &p->rows[p->n];
	memset(it, 0, sizeof *it);
	it->at = r->at;
	it->id = r->id;
	snprintf(it->what, sizeof it->what, "%s", r->what);
	it->who = strdup(r->operator_);
	it->from = strndup(r->ssh_client, k); /* the client's address: "IP PORT PORT" */
	it->account = strdup(r->account);
	it->detail = strdup(d);
	if (!it->who || !it->from || !it->account || !it->detail) {
		free(it->who);
		free(it->from);
		free(it->account);
		free(it->detail);
		return -1;
	}
	p->n++;
	return 0;
}

static void set_title(view *v)
{
	audit_priv *p = v->priv;
	char f[140] = "";
	size_t k = 0;
#define ADD(...) (k < sizeof f ? (k += (size_t)snprintf(f + k, sizeof f - k, __VA_ARGS__)) : k)
	if (p->from_text[0]) ADD(" >=%s", p->from_text);
	if (p->to_text[0]) ADD(" <%s", p->to_text);
	if (p->text[0]) ADD(" ~%.40s", p->text);
#undef ADD
	snprintf(v->title, sizeof v->title, "audit: who did what%s%.100s%s  %d%s", f[0] ? "  [" : "", f[0] ? f + 1 : "",
	         f[0] ? "]" : "", p->n, p->more ? "+ (the newest shown: f narrows)" : "");
}

static int load(view *v)
{
	audit_priv *p = v->priv;
	tui *t = v->t;
	int st;
	free_rows(p);
	p->more = 0;
	tui_busy_begin(t, "reading the audit trail");
	st = audit_each(t->db, p->from, p->to, collect, p);
	tui_busy_end(t);
	if (p->sel >= p->n)
		p->sel = p->n ? p->n - 1 : 0;
	set_title(v);
	if (st != DB_OK) {
		if (!t->cancelled)
			tui_set_status(t, "audit: %s", db_errmsg(t->db));
		return -1;
	}
	return 0;
}

static int audit_open(view *v)
{
	audit_priv *p;
	if (!(v->priv = p = calloc(1, sizeof(audit_priv))))
		return -1;
	if (!(p->rows = calloc(MAX_ROWS, sizeof *p->rows))) {
		tui_set_status(v->t, "audit: out of memory");
		return -1;
	}
	p->from = INT64_MIN;
	p->to = INT64_MAX;
	return load(v);
}

static void audit_close(view *v)
{
	audit_priv *p = v->priv;
	if (p) {
		free_rows(p);
		free(p->rows);
	}
	free(p);
}

static void audit_reload(view *v)
{
	load(v);
}

static void audit_draw(view *v, int top, int rows, int cols)
{
	audit_priv *p = v->priv;
	tui *t = v->t;
	int wide = cols >= 120, ww = wide ? 15 : 0, aw = wide ? 14 : 10;
	p->list_rows = rows - 2;
	if (p->list_rows < 1)
		p->list_rows = 1;
	attron(A_BOLD);
	if (wide)
		tui_textf(t, top, 0, cols, "%-19s %-10s %-15s %-11s %6s %-14s %s", "WHEN (UTC)", "WHO", "FROM", "WHAT",
		          "ID", "ACCOUNT", "DETAIL");
	else
		tui_textf(t, top, 0, cols, "%-16s %-10s %-11s %-10s %s", "WHEN (UTC)", "WHO", "WHAT", "ACCOUNT", "DETAIL");
	attroff(A_BOLD);
	if (p->n == 0) {
		tui_text(t, top + 2, 2, cols - 4, p->from_text[0] || p->to_text[0] || p->text[0] ? "nothing matches"
		         : "nothing done yet: posting, imports, rate decks and investigations show here");
		if (p->from_text[0] || p->to_text[0] || p->text[0])
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
		const audit_item *r = &p->rows[p->top + i];
		int y = top + 1 + i, attr = p->top + i == p->sel ? tui_attr(t, CP_SELECT) : 0, x;
		char at[24];
		tm_format(r->at, at, sizeof at);
		attron(attr);
		move(y, 0);
		for (int k = 0; k < cols; k++)
			addch(' ');
		/* operators, accounts and details come from users and files: tui_text shows them visible */
		tui_text(t, y, 0, wide ? 19 : 16, at);
		x = wide ? 20 : 17;
		tui_text_cut(t, y, x, 10, r->who, 0);
		x += 11;
		if (wide) {
			tui_text_cut(t, y, x, ww, r->from[0] ? r->from : "-", 0);
			x += ww + 1;
		}
		tui_text(t, y, x, 11, r->what);
		x += 12;
		if (wide) {
			tui_textf(t, y, x, 6, "%6lld", (long long)r->id);
			x += 7;
		}
		tui_text_cut(t, y, x, aw, r->account[0] ? r->account : "-", 0);
		x += aw + 1;
		if (x < cols)
			tui_text_cut(t, y, x, cols - x, r->detail, 0);
		attroff(attr);
	}
	{ /* the detail line: the selected action whole, as far as the width goes */
		const audit_item *r = &p->rows[p->sel];
		char line[2400];
		snprintf(line, sizeof line, "%s #%lld by %s%s%s%s%s: %s", r->what, (long long)r->id, r->who,
		         r->from[0] ? " from " : "", r->from, r->account[0] ? " on " : "", r->account, r->detail);
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
	audit_priv *p = v->priv;
	tui *t = v->t;
	char which[8], buf[64];
	int64_t when;
	if (!tui_prompt(t, "filter: f from  t to  n who/what/account/detail text  x clear:", "", which, sizeof which))
		return;
	switch (which[0]) {
	case 'f':
	case 't':
		if (!tui_prompt(t, which[0] == 'f' ? "from (YYYY-MM-DD[ HH:MM], UTC; empty: any):"
		                                   : "to, exclusive (YYYY-MM-DD[ HH:MM], UTC; empty: any):",
		                which[0] == 'f' ? p->from_text : p->to_text, buf, sizeof buf))
			return;
		if (buf[0] && tm_parse_utc(buf, strlen(buf), &when) != TM_OK) {
			tui_set_status(t, "filter: \"%s\" is not a time (YYYY-MM-DD[ HH:MM[:SS]])", buf);
			return;
		}
		if (which[0] == 'f') {
			copy_text(p->from_text, sizeof p->from_text, buf);
			p->from = buf[0] ? when : INT64_MIN;
		} else {
			copy_text(p->to_text, sizeof p->to_text, buf);
			p->to = buf[0] ? when : INT64_MAX;
		}
		break;
	case 'n':
		if (!tui_prompt(t, "who, what, account or detail contains (empty: any):", p->text, buf, sizeof buf))
			return;
		copy_text(p->text, sizeof p->text, buf);
		break;
	case 'x':
		p->from_text[0] = p->to_text[0] = p->text[0] = '\0';
		p->from = INT64_MIN;
		p->to = INT64_MAX;
		break;
	default:
		tui_set_status(t, "filter: say f, t, n or x");
		return;
	}
	p->sel = p->top = 0;
	load(v);
}

static int search_from(audit_priv *p, int start)
{
	for (int k = 0; k < p->n; k++) {
		int i = (start + k) % p->n;
		if (tui_contains(p->rows[i].who, p->search) || tui_contains(p->rows[i].what, p->search)
		    || tui_contains(p->rows[i].account, p->search) || tui_contains(p->rows[i].detail, p->search)) {
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
	const char *text;
} export_ctx;

static int write_one(const audit_row *r, void *ctx)
{
	export_ctx *x = ctx;
	char d[2048];
	render_audit_detail(r, d, sizeof d);
	if (!matches(r, d, x->text))
		return 0;
	if (x->csv_mode)
		render_audit_csv_row(&x->csv, r);
	else
		render_audit_text_row(x->f, r);
	return ferror(x->f) != 0; /* stop at a full disk */
}

/* Every row of the filter (not only the loaded ones), newest first, in the
 * form of `billtop audit --format csv` or `billtop audit`. */
static int write_audit(FILE *f, tui_export_format fmt, void *ctx)
{
	view *v = ctx;
	audit_priv *p = v->priv;
	tui *t = v->t;
	export_ctx x;
	int st;
	memset(&x, 0, sizeof x);
	x.f = f;
	x.csv_mode = fmt == TUI_EXPORT_CSV;
	x.text = p->text;
	out_csv_init(&x.csv, f);
	if (x.csv_mode)
		render_audit_csv_header(&x.csv);
	else
		render_audit_text_header(f);
	tui_busy_begin(t, "exporting the audit trail");
	st = audit_each(t->db, p->from, p->to, write_one, &x);
	tui_busy_end(t);
	if (st != DB_OK) {
		tui_set_status(t, "export %s: the file is incomplete", t->cancelled ? "cancelled" : db_errmsg(t->db));
		return -1;
	}
	return 0;
}

static int audit_handle(view *v, tui_action a, int ch)
{
	audit_priv *p = v->priv;
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
	case ACT_EXPORT: tui_export(t, "audit", write_audit, v); return 1;
	case ACT_AUDIT: return 1;
	case ACT_REJECTS: return tui_open_account_view(t, a, NULL);
	default: return 0;
	}
}

const view_ops view_audit_ops = {
	"audit", audit_open, audit_draw, audit_handle, audit_reload, audit_close,
	"f filter  / search  e export  X rejects",
};
