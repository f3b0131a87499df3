/* test_graph.c: console/graph.c, the time-series graphs rendered into a
 * grid: integer scaling, eighth-block rounding, ASCII and braille, labels
 * that never touch, a zero series, one huge value. */
#include <stdio.h>
#include <string.h>

#include "../../console/graph.h"
#include "t.h"

static char row_buf[4096];
static const char *row(const graph_grid *g, int r)
{
	graph_row_text(g, r, row_buf, sizeof row_buf);
	return row_buf;
}

static void hour_label(int i, char *buf, size_t n, const void *ctx)
{
	snprintf(buf, n, "%02dh", i % 24);
}

static int count_kind(const graph_grid *g, int kind)
{
	int k = 0;
	for (int i = 0; i < g->rows * g->cols; i++)
		k += g->kind[i] == kind;
	return k;
}

TEST(nice_steps)
{
	T_EQ_I64(graph_nice(0, 1), 1);
	T_EQ_I64(graph_nice(1, 1), 1);
	T_EQ_I64(graph_nice(3, 1), 3);
	T_EQ_I64(graph_nice(7, 1), 8);
	T_EQ_I64(graph_nice(9, 1), 10);
	T_EQ_I64(graph_nice(11, 1), 15);
	T_EQ_I64(graph_nice(13, 1), 15);
	T_EQ_I64(graph_nice(16, 1), 20);
	T_EQ_I64(graph_nice(81, 1), 100);
	T_EQ_I64(graph_nice(130000, 60000), 150000);       /* 2.5 min: whole ms */
	T_EQ_I64(graph_nice(61, 60), 90);                  /* 1.5 x base */
	T_EQ_I64(graph_nice(2, 5), 5);                     /* never below base */
	T_EQ_I64(graph_nice(6, 5), 10);
	T_EQ_I64(graph_nice(INT64_MAX - 5, 1), INT64_MAX - 5); /* no overflow */
}

TEST(levels_round_half_up)
{
	T_EQ_I64(graph_levels(3, 8, 8), 3);       /* exact */
	T_EQ_I64(graph_levels(3, 16, 8), 2);      /* 1.5 eighths -> 2 */
	T_EQ_I64(graph_levels(5, 16, 8), 3);      /* 2.5 -> 3 */
	T_EQ_I64(graph_levels(2, 24, 8), 1);      /* 0.67 -> 1 */
	T_EQ_I64(graph_levels(1, 1000, 8), 1);    /* non-zero shows */
	T_EQ_I64(graph_levels(0, 1000, 8), 0);
	T_EQ_I64(graph_levels(-5, 1000, 8), 0);
	T_EQ_I64(graph_levels(INT64_MAX, INT64_MAX, 64), 64); /* __int128, no overflow */
	T_EQ_I64(graph_levels(INT64_MAX / 2, INT64_MAX, 64), 32);
}

TEST(blocks_exact)
{
	int64_t v[4] = { 1, 2, 3, 4 };
	graph_series s = { "calls", "hour", v, 4, 1, NULL, NULL, NULL };
	graph_grid g;
	T_EQ_I64(graph_render(&s, GRAPH_BLOCKS, 6, 10, &g), 0);
	/* 4 plot rows, max 4: one row = 1 call, top 4 */
	T_EQ_I64(g.per_row, 1);
	T_EQ_I64(g.top, 4);
	T_EQ_I64(g.x0, 2);
	T_EQ_I64(g.cw, 2);
	T_EQ_STR(row(&g, 1), "4\xe2\x94\xa4      \xe2\x96\x88 ");
	T_EQ_STR(row(&g, 4), " \xe2\x94\x82\xe2\x96\x88 \xe2\x96\x88 \xe2\x96\x88 \xe2\x96\x88 ");
	T_EQ_STR(row(&g, 5), "0\xe2\x94\x94        ");
	T_EQ_STR(row(&g, 0), "calls  row");   /* the shortest legend, cut at the edge */
	graph_free(&g);
}

TEST(blocks_eighths)
{
	/* 1 plot row, max 10: top 10, v fills v * 8 / 10 eighths, half-up */
	int64_t v[11] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
	graph_series s = { "calls", "hour", v, 11, 1, NULL, NULL, NULL };
	graph_grid g;
	T_EQ_I64(graph_render(&s, GRAPH_BLOCKS, 3, 14, &g), 0);
	T_EQ_I64(g.top, 10);
	T_EQ_I64(g.cw, 1);
	/* 0.8 1.6 2.4 3.2 4 4.8 5.6 6.4 7.2 8 -> 1 2 2 3 4 5 6 6 7 8 */
	T_EQ_STR(row(&g, 1), "10\xe2\x94\xa4 \xe2\x96\x81\xe2\x96\x82\xe2\x96\x82\xe2\x96\x83\xe2\x96\x84"
	                     "\xe2\x96\x85\xe2\x96\x86\xe2\x96\x86\xe2\x96\x87\xe2\x96\x88");
	graph_free(&g);
}

TEST(ascii_only)
{
	int64_t v[6] = { 0, 3, 7, 12, 20, 5 };
	graph_series s = { "minutes", "day", v, 6, 1, NULL, hour_label, NULL };
	graph_grid g;
	T_EQ_I64(graph_render(&s, GRAPH_ASCII, 7, 30, &g), 0);
	for (int i = 0; i < g.rows * g.cols; i++)
		for (const char *p = g.cell[i]; *p; p++)
			T_ASSERT((unsigned char)*p < 0x80);
	/* 5 plot rows, max 20: row = 4, top 20; 5 fills 5 of 20 quarter rows:
	 * one full row (#) and a quarter (.) */
	T_EQ_I64(g.per_row, 4);
	T_EQ_I64(g.top, 20);
	T_ASSERT(strstr(row(&g, 1), "#") != NULL);   /* 20 reaches the top */
	T_ASSERT(strstr(row(&g, 1), "20+") == row(&g, 1));
	T_EQ_STR(g.cell[5 * g.cols + g.x0 + 5 * g.cw], "#");
	T_EQ_STR(g.cell[4 * g.cols + g.x0 + 5 * g.cw], ".");
	T_EQ_STR(g.cell[3 * g.cols + g.x0 + 5 * g.cw], " ");
	T_ASSERT(strstr(row(&g, 6), " 0+00h") == row(&g, 6));
	graph_free(&g);
}

TEST(labels_never_touch)
{
	int64_t v[48] = { 0 };
	graph_series s = { "calls", "hour", v, 48, 1, NULL, hour_label, NULL };
	graph_grid g;
	for (int i = 0; i < 48; i++)
		v[i] = i;
	T_EQ_I64(graph_render(&s, GRAPH_BLOCKS, 8, 60, &g), 0);
	const char *r = row(&g, 7);
	/* every label is 3 wide, labels are separated by at least one blank */
	int prev_end = -2, nlab = 0;
	for (int c = g.x0; c < g.cols; c++) {
		if (g.kind[7 * g.cols + c] == GRAPH_K_LABEL && (c == g.x0 || g.kind[7 * g.cols + c - 1] != GRAPH_K_LABEL)) {
			T_ASSERT(c > prev_end + 1);
			prev_end = c + 2;
			nlab++;
		}
	}
	T_ASSERT(nlab >= 8);
	T_ASSERT(strstr(r, "00h") != NULL);
	graph_free(&g);
}

TEST(zero_series)
{
	int64_t v[12] = { 0 };
	graph_series s = { "calls", "hour", v, 12, 1, NULL, NULL, NULL };
	graph_grid g;
	T_EQ_I64(graph_render(&s, GRAPH_BLOCKS, 6, 40, &g), 0);
	T_EQ_I64(count_kind(&g, GRAPH_K_BAR), 0);
	T_EQ_I64(g.max, 0);
	T_EQ_I64(g.top, 4);   /* one base unit a row */
	T_ASSERT(strstr(row(&g, 0), "max 0") != NULL);
	graph_free(&g);
}

TEST(one_huge_value)
{
	int64_t v[3] = { 1, 4000000000000000000LL, 1 };
	graph_series s = { "call cost", "day", v, 3, 100000, NULL, NULL, NULL };
	graph_grid g;
	T_EQ_I64(graph_render(&s, GRAPH_BLOCKS, 10, 60, &g), 0);
	/* the small ones still show (one eighth), the huge one is full height */
	int x1 = g.x0, x2 = g.x0 + g.cw;
	T_EQ_STR(g.cell[8 * g.cols + x1], "\xe2\x96\x81");
	T_EQ_STR(g.cell[7 * g.cols + x1], " ");
	T_EQ_STR(g.cell[1 * g.cols + x2], "\xe2\x96\x88");
	T_ASSERT(g.top >= v[1]);
	graph_free(&g);
}

TEST(too_many_buckets)
{
	int64_t v[100];
	graph_series s = { "calls", "hour", v, 100, 1, NULL, NULL, NULL };
	graph_grid g;
	for (int i = 0; i < 100; i++)
		v[i] = i < 10 ? 1000 : 1;   /* the old big ones are not shown */
	T_EQ_I64(graph_render(&s, GRAPH_BLOCKS, 5, 42, &g), 0);
	T_EQ_I64(g.shown, 40);
	T_EQ_I64(g.first, 60);
	T_EQ_I64(g.max, 1);
	T_ASSERT(strstr(row(&g, 0), "(last 40 of 100)") != NULL);
	graph_free(&g);
	/* braille: two buckets a column */
	T_EQ_I64(graph_render(&s, GRAPH_BRAILLE, 5, 42, &g), 0);
	T_EQ_I64(g.shown, 80);
	graph_free(&g);
}

TEST(braille_dots)
{
	int64_t v[4] = { 5, 1, 0, 2 };
	graph_series s = { "calls", "hour", v, 4, 1, NULL, NULL, NULL };
	graph_grid g;
	T_EQ_I64(graph_render(&s, GRAPH_BRAILLE, 3, 12, &g), 0);
	T_EQ_I64(g.top, 5);   /* 1 row of 4 dots, 5 calls (1-2-5) */
	/* column 0: left 4 dots (1,2,3,7), right 1 dot (8): 0x47 | 0x80 = U+28C7 */
	T_EQ_STR(g.cell[1 * g.cols + g.x0], "\xe2\xa3\x87");
	/* column 1: right 2 dots (8, 6): 0xa0 = U+28A0 */
	T_EQ_STR(g.cell[1 * g.cols + g.x0 + 1], "\xe2\xa2\xa0");
	graph_free(&g);
}

TEST(too_small)
{
	int64_t v[1] = { 1 };
	graph_series s = { "calls", "hour", v, 1, 1, NULL, NULL, NULL };
	graph_grid g;
	T_EQ_I64(graph_render(&s, GRAPH_BLOCKS, 2, 40, &g), -1);
	T_EQ_I64(graph_render(&s, GRAPH_BLOCKS, 5, 5, &g), -1);
}

SUITE(graph)
{
	RUN(nice_steps);
	RUN(levels_round_half_up);
	RUN(blocks_exact);
	RUN(blocks_eighths);
	RUN(ascii_only);
	RUN(labels_never_touch);
	RUN(zero_series);
	RUN(one_huge_value);
	RUN(too_many_buckets);
	RUN(braille_dots);
	RUN(too_small);
}
