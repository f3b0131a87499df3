/* usage_graph.c: report_usage buckets as graphs (see usage_graph.h). */
#include "usage_graph.h"

#include <string.h>

#include "../core/money.h"
#include "../core/tm.h"
#include "../front/render.h"

const char *const ug_measure_names[UG_NMEASURES] = { "calls", "minutes", "call cost" };

typedef struct {
	const report_usage *u;
	int measure, decimals;
} ug_ctx;

int64_t ug_value(const report_bucket *b, int measure)
{
	return measure == UG_CALLS ? b->calls : measure == UG_MINUTES ? b->billsec_ms : b->cost;
}

/* "12.5000" -> "12.5", "120.00" -> "120": exact, only zeros dropped */
static void trim_zeros(char *s)
{
	char *dot = strchr(s, '.'), *e;
	if (!dot)
		return;
	e = s + strlen(s);
	while (e > dot + 1 && e[-1] == '0')
		*--e = '\0';
	if (e == dot + 1)
		*dot = '\0';
}

static void fmt(int64_t v, char *buf, size_t n, const void *vctx)
{
	const ug_ctx *c = vctx;
	if (c->measure == UG_CALLS)
		snprintf(buf, n, "%lld", (long long)v);
	else if (c->measure == UG_MINUTES)
		render_minutes(v, buf, n);
	else
		money_format(v, c->decimals, buf, n);
	trim_zeros(buf);
}

static void xlabel(int i, char *buf, size_t n, const void *vctx)
{
	const ug_ctx *c = vctx;
	const report_bucket *b = &c->u->b[i];
	char t[24];
	if (c->u->by == BY_WEEKDAY) {
		snprintf(buf, n, "%s", b->label);
		return;
	}
	tm_format(b->start, t, sizeof t);   /* YYYY-MM-DD HH:MM:SS */
	if (c->u->by == BY_HOUR && c->u->n > 1 && c->u->b[1].start - c->u->b[0].start < 3600)
		snprintf(buf, n, "%.5s", t + 11);        /* "18:50" */
	else if (c->u->by == BY_HOUR)
		snprintf(buf, n, "%.2sh", t + 11);       /* "18h" */
	else
		snprintf(buf, n, "%.5s", t + 5);         /* "12-01" */
}

static int64_t base_of(int measure, int decimals)
{
	int64_t b = 1;
	if (measure == UG_CALLS)
		return 1;
	if (measure == UG_MINUTES)
		return 60000;   /* one minute */
	for (int i = decimals; i < 9; i++)   /* the account's smallest money unit */
		b *= 10;
	return b;
}

int ug_render(const report_usage *u, int measure, int ascii, int decimals, const char *currency, int rows, int cols,
              graph_grid *g)
{
	enum { MAXB = 1024 };
	static int64_t v[MAXB];
	char name[48];
	ug_ctx c = { u, measure, decimals };
	int n = u->n < MAXB ? u->n : MAXB, yw = 8;
	graph_style st = ascii ? GRAPH_ASCII : n > cols - yw ? GRAPH_BRAILLE : GRAPH_BLOCKS;
	for (int i = 0; i < n; i++)
		v[i] = ug_value(&u->b[i], measure);
	if (measure == UG_COST)
		snprintf(name, sizeof name, "call cost (%s)", currency);
	else
		snprintf(name, sizeof name, "%s", ug_measure_names[measure]);
	const char *per = u->by == BY_WEEKDAY ? "weekday" : u->by == BY_DAY ? "day" : "hour";
	if (u->by == BY_HOUR && n > 1 && u->b[1].start - u->b[0].start < 3600)
		per = "10 min";
	graph_series s = { name, per,
		           v, n, base_of(measure, decimals), fmt, xlabel, &c };
	return graph_render(&s, st, rows, cols, g);
}

int ug_draw(tui *t, const report_usage *u, int measure, const account_info *a, int y, int x, int rows, int cols)
{
	graph_grid g;
	if (rows < 3 || cols < 16 || !u->b)
		return 0;
	if (ug_render(u, measure, t->ascii, a->decimals, a->currency, rows, cols, &g) != 0)
		return 0;
	graph_put(t, &g, y, x, measure == UG_MINUTES);
	graph_free(&g);
	return rows;
}

void ug_text(FILE *f, const report_usage *u, int measure, const account_info *a, int rows, int cols)
{
	graph_grid g;
	char line[2048];
	if (!u->b || ug_render(u, measure, 1, a->decimals, a->currency, rows, cols, &g) != 0)
		return;
	for (int r = 0; r < g.rows; r++) {
		size_t n = graph_row_text(&g, r, line, sizeof line);
		while (n > 0 && line[n - 1] == ' ')
			line[--n] = '\0';
		fprintf(f, "%s\n", line);
	}
	graph_free(&g);
}
