/* graph.c: time-series bar graphs into a grid of cells (see graph.h). No
 * curses here: graph_tui.c puts the grid on screen. */
#include "graph.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* fill 0..8 of one cell, bottom up: U+2581..U+2588 */
static const char *const EIGHTHS[9] = { " ", "\xe2\x96\x81", "\xe2\x96\x82", "\xe2\x96\x83", "\xe2\x96\x84",
	                                "\xe2\x96\x85", "\xe2\x96\x86", "\xe2\x96\x87", "\xe2\x96\x88" };
static const char *const ASCII_FILL[5] = { " ", ".", ":", "|", "#" };
/* braille dots bottom up, left and right column (U+2800 + bits) */
static const unsigned char BRAILLE_DOT[2][4] = { { 0x40, 0x04, 0x02, 0x01 }, { 0x80, 0x20, 0x10, 0x08 } };

int64_t graph_nice(int64_t x, int64_t base)
{
	/* in tenths: 1 1.5 2 2.5 3 4 5 6 8 (x 10^k x base), the fractional
	 * ones only when they are whole multiples of base */
	static const int TENTHS[9] = { 10, 15, 20, 25, 30, 40, 50, 60, 80 };
	int64_t m;
	if (base <= 0)
		base = 1;
	if (x <= base)
		return base;
	for (m = base;; m *= 10) {
		for (int i = 0; i < 9; i++) {
			if (m > INT64_MAX / TENTHS[i])
				return x;
			if ((m * TENTHS[i]) % 10 != 0)
				continue;
			if (m * TENTHS[i] / 10 >= x)
				return m * TENTHS[i] / 10;
		}
		if (m > INT64_MAX / 10)
			return x;
	}
}

int64_t graph_levels(int64_t v, int64_t top, int64_t levels)
{
	__int128 q;
	if (v <= 0 || top <= 0 || levels <= 0)
		return 0;
	q = ((__int128)v * levels * 2 + top) / ((__int128)top * 2);   /* half-up */
	if (q < 1)
		q = 1;   /* anything non-zero shows */
	if (q > levels)
		q = levels;
	return (int64_t)q;
}

static size_t glyph_len(const char *s)
{
	unsigned char c = (unsigned char)*s;
	size_t n = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
	for (size_t i = 1; i < n; i++)
		if (!s[i])
			return i;
	return n;
}

static void put(graph_grid *g, int r, int c, const char *glyph, int kind)
{
	size_t n;
	if (r < 0 || r >= g->rows || c < 0 || c >= g->cols)
		return;
	n = glyph_len(glyph);
	memcpy(g->cell[r * g->cols + c], glyph, n);
	g->cell[r * g->cols + c][n] = '\0';
	g->kind[r * g->cols + c] = (unsigned char)kind;
}

/* Text from column c, one glyph a cell, cut at the grid's edge. Returns
 * the column after it. */
static int put_text(graph_grid *g, int r, int c, const char *s, int kind)
{
	while (*s && c < g->cols) {
		put(g, r, c++, s, kind);
		s += glyph_len(s);
	}
	return c;
}

static void fmt_value(const graph_series *s, int64_t v, char *buf, size_t n)
{
	if (s->fmt)
		s->fmt(v, buf, n, s->ctx);
	else
		snprintf(buf, n, "%lld", (long long)v);
}

void graph_free(graph_grid *g)
{
	free(g->cell);
	free(g->kind);
	memset(g, 0, sizeof *g);
}

static void plot(const graph_series *s, graph_style style, graph_grid *g)
{
	int ph = g->plot_rows, L = g->levels;
	if (style == GRAPH_BRAILLE) {
		int pw = g->cols - g->x0;
		unsigned char *bits = calloc((size_t)(ph * pw), 1);
		if (!bits)
			return;
		for (int k = 0; k < g->shown; k++) {
			int64_t lv = graph_levels(s->v[g->first + k], g->top, (int64_t)ph * L);
			for (int rb = 0; rb < ph; rb++)
				for (int d = 0; d < L && rb * L + d < lv; d++)
					bits[(ph - 1 - rb) * pw + k / 2] |= BRAILLE_DOT[k % 2][d];
		}
		for (int j = 0; j < ph; j++)
			for (int c = 0; c < pw; c++) {
				unsigned b = bits[j * pw + c];
				char gl[4] = { (char)0xe2, (char)(0xa0 | (b >> 6)), (char)(0x80 | (b & 0x3f)), 0 };
				if (b)
					put(g, 1 + j, g->x0 + c, gl, GRAPH_K_BAR);
			}
		free(bits);
		return;
	}
	int bw = g->cw >= 2 ? g->cw - 1 : g->cw;   /* a gap between bars when there is room */
	for (int k = 0; k < g->shown; k++) {
		int64_t lv = graph_levels(s->v[g->first + k], g->top, (int64_t)ph * L);
		for (int rb = 0; rb < ph; rb++) {
			int64_t fill = lv - (int64_t)rb * L;
			if (fill <= 0)
				break;
			if (fill > L)
				fill = L;
			for (int c = 0; c < bw; c++)
				put(g, ph - rb, g->x0 + k * g->cw + c,
				    style == GRAPH_ASCII ? ASCII_FILL[fill] : EIGHTHS[fill], GRAPH_K_BAR);
		}
	}
}

static void xlabels(const graph_series *s, graph_style style, graph_grid *g)
{
	char lab[32];
	int lw = 0, every, last_end = -1;
	if (!s->xlabel)
		return;
	for (int k = 0; k < g->shown; k++) {
		s->xlabel(g->first + k, lab, sizeof lab, s->ctx);
		if ((int)strlen(lab) > lw)
			lw = (int)strlen(lab);
	}
	if (lw == 0)
		return;
	/* every-th bucket, so that a label and a space fit in its span */
	if (style == GRAPH_BRAILLE)
		every = 2 * (lw + 1);
	else
		every = (lw + 1 + g->cw - 1) / g->cw;
	for (int k = 0; k < g->shown; k++) {
		int i = g->first + k, x = g->x0 + (style == GRAPH_BRAILLE ? k / 2 : k * g->cw);
		if (i % every != 0 || x <= last_end || x + lw > g->cols)
			continue;
		s->xlabel(i, lab, sizeof lab, s->ctx);
		last_end = put_text(g, g->rows - 1, x, lab, GRAPH_K_LABEL);
	}
}

int graph_render(const graph_series *s, graph_style style, int rows, int cols, graph_grid *g)
{
	char top[40], mid[40], legend[256], a[40], b[40];
	int ph = rows - 2, yw, pw, n = s->n > 0 ? s->n : 0;
	int ascii = style == GRAPH_ASCII;

	memset(g, 0, sizeof *g);
	if (rows < 3 || cols < 8)
		return -1;
	g->rows = rows;
	g->cols = cols;
	g->cell = malloc((size_t)rows * (size_t)cols * sizeof *g->cell);
	g->kind = calloc((size_t)rows * (size_t)cols, 1);
	if (!g->cell || !g->kind) {
		graph_free(g);
		return -1;
	}
	for (int i = 0; i < rows * cols; i++)
		memcpy(g->cell[i], " ", 2);
	g->plot_rows = ph;
	g->levels = style == GRAPH_BLOCKS ? 8 : 4;

	/* which buckets fit: the y label width depends on the top, which
	 * depends on the buckets shown; the largest of all gives the widest
	 * label, so size the column on it first */
	int64_t max = 0;
	for (int i = 0; i < n; i++)
		if (s->v[i] > max)
			max = s->v[i];
	for (int pass = 0; pass < 2; pass++) {
		int64_t base = s->base > 0 ? s->base : 1;
		int64_t need = max / ph + (max % ph != 0);
		g->per_row = graph_nice(need, base);
		g->top = g->per_row > INT64_MAX / ph ? INT64_MAX : g->per_row * ph;
		fmt_value(s, g->top, top, sizeof top);
		yw = (int)strlen(top);
		g->x0 = yw + 1;
		pw = cols - g->x0;
		if (pw < 1) {
			graph_free(g);
			return -1;
		}
		if (style == GRAPH_BRAILLE) {
			g->shown = n < 2 * pw ? n : 2 * pw;
			g->cw = 0;
		} else {
			g->shown = n < pw ? n : pw;
			g->cw = g->shown ? pw / g->shown : 1;
		}
		g->first = n - g->shown;
		/* the scale of what is shown */
		int64_t m2 = 0;
		for (int i = g->first; i < n; i++)
			if (s->v[i] > m2)
				m2 = s->v[i];
		g->max = m2;
		if (m2 == max)
			break;
		max = m2;
	}

	/* y axis: the top at the first plot row, the middle, 0 at the baseline */
	for (int j = 0; j < ph; j++)
		put(g, 1 + j, yw, ascii ? "|" : "\xe2\x94\x82", GRAPH_K_AXIS);
	put_text(g, 1, yw - (int)strlen(top), top, GRAPH_K_LABEL);
	put(g, 1, yw, ascii ? "+" : "\xe2\x94\xa4", GRAPH_K_AXIS);
	if (ph >= 5) {
		int j = ph / 2;
		fmt_value(s, (int64_t)(ph - j) * g->per_row, mid, sizeof mid);
		if ((int)strlen(mid) <= yw) {
			put_text(g, 1 + j, yw - (int)strlen(mid), mid, GRAPH_K_LABEL);
			put(g, 1 + j, yw, ascii ? "+" : "\xe2\x94\xa4", GRAPH_K_AXIS);
		}
	}
	fmt_value(s, 0, mid, sizeof mid);
	if ((int)strlen(mid) <= yw)
		put_text(g, rows - 1, yw - (int)strlen(mid), mid, GRAPH_K_LABEL);
	put(g, rows - 1, yw, ascii ? "+" : "\xe2\x94\x94", GRAPH_K_AXIS);

	plot(s, style, g);
	xlabels(s, style, g);

	/* legend: what the series is, its largest value, what a row stands for */
	fmt_value(s, g->max, a, sizeof a);
	fmt_value(s, g->per_row, b, sizeof b);
	char part[40] = "";
	if (g->first > 0)
		snprintf(part, sizeof part, " (last %d of %d)", g->shown, n);
	/* the longest form that fits: what a row stands for matters most */
	snprintf(legend, sizeof legend, "%s per %s%s  max %s  row = %s", s->name, s->per ? s->per : "bucket", part, a, b);
	if ((int)strlen(legend) > cols)
		snprintf(legend, sizeof legend, "%s%s  max %s  row = %s", s->name, part, a, b);
	if ((int)strlen(legend) > cols)
		snprintf(legend, sizeof legend, "%s%s  row = %s", s->name, part, b);
	if ((int)strlen(legend) > cols)
		snprintf(legend, sizeof legend, "%s  row = %s", s->name, b);
	put_text(g, 0, 0, legend, GRAPH_K_LEGEND);
	return 0;
}

size_t graph_row_text(const graph_grid *g, int r, char *buf, size_t n)
{
	size_t len = 0;
	if (n == 0)
		return 0;
	buf[0] = '\0';
	if (r < 0 || r >= g->rows)
		return 0;
	for (int c = 0; c < g->cols; c++) {
		size_t l = strlen(g->cell[r * g->cols + c]);
		if (len + l + 1 > n)
			break;
		memcpy(buf + len, g->cell[r * g->cols + c], l);
		len += l;
	}
	buf[len] = '\0';
	return len;
}
