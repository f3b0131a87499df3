/* graph.h: time-series bar graphs as htop and btop draw them, rendered into
 * a grid of cells (one UTF-8 or ASCII glyph each) so that the drawing can be
 * unit tested without a terminal. graph_tui.c puts a grid on screen.
 *
 * A graph is: a legend line (the series' name, what a bucket is, its
 * largest value and what one row stands for), the plot (a y axis with the
 * top value at the top and 0 at the bottom, one bar per bucket), and a line
 * of x labels (every k-th bucket, k chosen so that labels never touch).
 *
 * Scaling is exact and integer only: the top of the axis is per_row * rows,
 * per_row a round multiple (1 1.5 2 2.5 3 4 5 6 8 x 10^k) of the series' base unit (1 call, 1 minute, the
 * account's smallest money unit) at least max / rows; a value v fills
 * v * rows * L / top levels (L levels per row: 8 eighth blocks, 4 braille
 * dots, 4 ASCII glyphs `.:|#`), rounded half-up through __int128, and a
 * non-zero value fills at least one level, so nothing shown as 0 is not 0.
 *
 * Memory: graph_render allocates the grid; graph_free releases it. The
 * series' arrays and callbacks belong to the caller and are not kept. */
#ifndef BILLTOP_GRAPH_H
#define BILLTOP_GRAPH_H

#include <stddef.h>
#include <stdint.h>

typedef enum {
	GRAPH_BLOCKS,    /* ▁▂▃▄▅▆▇█: one bucket per column or more */
	GRAPH_BRAILLE,   /* two buckets per column, 4 dots a row */
	GRAPH_ASCII      /* .:|# */
} graph_style;

/* Writes v (a value or an axis figure) as the screens print it. */
typedef void (*graph_fmt_fn)(int64_t v, char *buf, size_t n, const void *ctx);
/* Writes bucket i's x label ("18h", "12-01"); "" for none. */
typedef void (*graph_xlabel_fn)(int i, char *buf, size_t n, const void *ctx);

typedef struct {
	const char *name;       /* "calls", "minutes", "call cost (USD)" */
	const char *per;        /* what one bucket is: "hour", "10 min", "day" */
	const int64_t *v;       /* n values; negatives are drawn as 0 */
	int n;
	int64_t base;           /* the smallest step of the axis (1 call, 60000 ms, a money unit) */
	graph_fmt_fn fmt;       /* NULL: plain integers */
	graph_xlabel_fn xlabel; /* NULL: no x labels */
	const void *ctx;        /* for fmt and xlabel */
} graph_series;

enum { GRAPH_K_BLANK = 0, GRAPH_K_LEGEND, GRAPH_K_AXIS, GRAPH_K_LABEL, GRAPH_K_BAR };

#define GRAPH_CELL 5   /* one UTF-8 glyph (at most 4 bytes) and its NUL */

typedef struct {
	int rows, cols;
	char (*cell)[GRAPH_CELL];   /* rows * cols glyphs, row-major; "" never (blank is " ") */
	unsigned char *kind;        /* GRAPH_K_* per cell */
	/* the scale and what is shown, for legends, exports and tests */
	int plot_rows, levels;      /* plot height in rows; levels per row */
	int64_t top, per_row;       /* top of the axis; value one row stands for */
	int64_t max;                /* largest value of the buckets shown */
	int first, shown;           /* buckets [first, first + shown) are drawn (the most recent) */
	int cw;                     /* columns per bucket (blocks, ASCII); 0 in braille (2 per column) */
	int x0;                     /* column of the first bucket */
} graph_grid;

/* Render s into a rows x cols grid (rows >= 3: legend, >= 1 plot row, x
 * labels; cols >= 8) in `style`. When the buckets do not fit, the most
 * recent ones that do are drawn and the legend says "(last N of M)".
 * Returns 0, or -1 (too small, or out of memory: g is empty). */
int graph_render(const graph_series *s, graph_style style, int rows, int cols, graph_grid *g);
void graph_free(graph_grid *g);

/* Row r of the grid as one string (glyphs concatenated), for tests and the
 * printable export. Returns the bytes written (cut whole glyphs only). */
size_t graph_row_text(const graph_grid *g, int r, char *buf, size_t n);

/* The pieces, exposed for tests: the round step >= x in multiples of base
 * (x <= 0: base), and the levels value v fills out of `levels` on a scale
 * whose top is `top` (half-up; >= 1 when v > 0; <= levels). */
int64_t graph_nice(int64_t x, int64_t base);
int64_t graph_levels(int64_t v, int64_t top, int64_t levels);

/* graph_tui.c (the console only): draw g with its top-left at (y, x), bars
 * in colour pair CP_BAR1 (series 0) or CP_BAR2, the legend bold, labels
 * and axis dim. The grid stays the caller's. */
typedef struct tui tui;
void graph_put(tui *t, const graph_grid *g, int y, int x, int series);

#endif
