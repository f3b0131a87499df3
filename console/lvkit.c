/* lvkit.c: see lvkit.h. */
#include "lvkit.h"

#include <stdlib.h>
#include <string.h>

#include "../core/tm.h"

int lv_cmp64(int64_t a, int64_t b)
{
	return (a > b) - (a < b);
}

void lv_draw(view *v, int top, int rows, int cols)
{
	listview_draw((listview *)v->priv, v, top, rows, cols);
}

void *lv_rows_add(lv_rows *r)
{
	void *slot;
	if (r->max && r->n >= r->max) {
		r->capped = 1;
		return NULL;
	}
	if (r->n == r->cap) {
		int ncap = r->cap ? r->cap * 2 : 64;
		unsigned char *np = realloc(r->p, (size_t)ncap * r->size);
		if (!np) {
			r->oom = 1;
			return NULL;
		}
		r->p = np;
		r->cap = ncap;
	}
	slot = r->p + (size_t)r->n++ * r->size;
	memset(slot, 0, r->size);
	return slot;
}

void lv_rows_unadd(lv_rows *r)
{
	r->n--;
	r->oom = 1;
}

void *lv_rows_at(const lv_rows *r, int i)
{
	return r->p + (size_t)i * r->size;
}

void lv_rows_clear(lv_rows *r, void (*free_row)(void *row))
{
	if (free_row)
		for (int i = 0; i < r->n; i++)
			free_row(lv_rows_at(r, i));
	r->n = 0;
	r->capped = r->oom = 0;
}

void lv_rows_free(lv_rows *r, void (*free_row)(void *row))
{
	lv_rows_clear(r, free_row);
	free(r->p);
	r->p = NULL;
	r->cap = 0;
}

int lv_load_end(view *v, const char *what, int st, int oom)
{
	tui *t = v->t;
	if (st == DB_OK && !oom)
		return 0;
	if (!t->cancelled)
		tui_set_status(t, "%s: %s", what, oom ? "out of memory" : db_errmsg(t->db));
	return -1;
}

void lv_period_clear(lv_period *p)
{
	p->from_text[0] = p->to_text[0] = '\0';
	p->from = INT64_MIN;
	p->to = INT64_MAX;
}

/* A bound as the f prompt takes it: the date alone at midnight. */
static void period_text(int64_t t, char *buf, size_t n)
{
	tm_format(t, buf, n);
	if (t % 86400 == 0 && strlen(buf) > 10)
		buf[10] = '\0';
}

void lv_period_take(lv_period *p, const view *v)
{
	lv_period_clear(p);
	if (!v->has_period)
		return;
	p->from = v->period_from;
	p->to = v->period_to;
	period_text(p->from, p->from_text, sizeof p->from_text);
	period_text(p->to, p->to_text, sizeof p->to_text);
}

int64_t lv_period_end(const lv_period *p, tui *t)
{
	int64_t asof = tui_as_of(t);
	return asof < INT64_MAX && asof + 1 < p->to ? asof + 1 : p->to;
}

/* Copy a prompt's text into a filter field, cut to fit (NUL-terminated). */
static void copy_text(char *dst, size_t n, const char *src)
{
	size_t len = strlen(src);
	if (len >= n)
		len = n - 1;
	memcpy(dst, src, len);
	dst[len] = '\0';
}

int lv_ask_period(tui *t, lv_period *p, int which)
{
	char buf[64];
	int64_t when;
	if (!tui_prompt(t, which == 'f' ? "from (YYYY-MM-DD[ HH:MM], UTC; empty: any):"
	                                : "to, exclusive (YYYY-MM-DD[ HH:MM], UTC; empty: any):",
	                which == 'f' ? p->from_text : p->to_text, buf, sizeof buf))
		return 0;
	if (buf[0] && tm_parse_utc(buf, strlen(buf), &when) != TM_OK) {
		tui_set_status(t, "filter: \"%s\" is not a time (YYYY-MM-DD[ HH:MM[:SS]])", buf);
		return 0;
	}
	if (which == 'f') {
		copy_text(p->from_text, sizeof p->from_text, buf);
		p->from = buf[0] ? when : INT64_MIN;
	} else {
		copy_text(p->to_text, sizeof p->to_text, buf);
		p->to = buf[0] ? when : INT64_MAX;
	}
	return 1;
}

int lv_ask_text(tui *t, const char *label, char *dst, size_t n)
{
	char buf[64];
	if (!tui_prompt(t, label, dst, buf, sizeof buf))
		return 0;
	copy_text(dst, n, buf);
	return 1;
}

size_t lv_filter_text(const lv_period *p, const char *text, char *f, size_t n)
{
	size_t k = 0;
	f[0] = '\0';
#define ADD(...) (k < n ? (k += (size_t)snprintf(f + k, n - k, __VA_ARGS__)) : k)
	if (p->from_text[0]) ADD(" >=%s", p->from_text);
	if (p->to_text[0]) ADD(" <%s", p->to_text);
	if (text && text[0]) ADD(" ~%s", text);
#undef ADD
	return k;
}

/* The filter in few columns: a period of whole days as its first and last
 * day (" 03-16..03-18"; " 2025-12-30..2026-01-02" across a year), else as
 * lv_filter_text without its brackets' words; then " ~TEXT". */
static void short_filter(const lv_period *p, const char *text, char *f, size_t n)
{
	char a[40], b[40];
	size_t k;
	if (p->from != INT64_MIN && p->to != INT64_MAX && p->from % 86400 == 0 && p->to % 86400 == 0
	    && p->to > p->from) {
		tm_format(p->from, a, sizeof a);
		tm_format(p->to - 86400, b, sizeof b);
		a[10] = b[10] = '\0';
		int skip = memcmp(a, b, 4) == 0 ? 5 : 0; /* the year, when both share it */
		if (strcmp(a, b) == 0)
			k = (size_t)snprintf(f, n, " %s", a + skip);
		else
			k = (size_t)snprintf(f, n, " %s..%s", a + skip, b + skip);
		if (k < n && text && text[0])
			snprintf(f + k, n - k, " ~%s", text);
		return;
	}
	lv_filter_text(p, text, f, n);
}

void lv_title(const view *v, const char *what, const lv_period *per, const char *text, const char *tot,
              const char *tot_short, const char *later, int width, char *buf, size_t n)
{
	char f[120], fs[120];
	lv_filter_text(per, text, f, sizeof f);
	short_filter(per, text, fs, sizeof fs);
	const struct { const char *filter; int brackets; const char *tot, *later; } form[] = {
		{ f, 1, tot, later }, { f, 1, tot, "" }, { fs, 0, tot, "" }, { fs, 0, tot_short, "" },
	};
	for (size_t i = 0; i < sizeof form / sizeof form[0]; i++) {
		const char *ft = form[i].filter;
		if (form[i].brackets)
			snprintf(buf, n, "%.40s  %s%s%s%s%s%s", v->account.name, what, ft[0] ? " [" : "", ft[0] ? ft + 1 : "",
			         ft[0] ? "]" : "", form[i].tot, form[i].later);
		else
			snprintf(buf, n, "%.40s  %s%s%s", v->account.name, what, ft, form[i].tot);
		if ((int)strlen(buf) <= width)
			return;
	}
}

void lv_out_init(lv_out *o, view *v, FILE *f, tui_export_format fmt)
{
	o->f = f;
	o->csv_mode = fmt == TUI_EXPORT_CSV;
	o->d = v->account.decimals;
	out_csv_init(&o->csv, f);
}

int lv_export_end(tui *t, int st)
{
	if (st == DB_OK)
		return 0;
	tui_set_status(t, "export %s: the file is incomplete", t->cancelled ? "cancelled" : db_errmsg(t->db));
	return -1;
}
