/* usage_graph.h: the usage figures (report_usage) as graphs (graph.h): one
 * measure (calls, minutes, call cost) of a window's buckets, in the style
 * the terminal allows, with the axis and legend figures written as the
 * screens write them (render_minutes, money_format; trailing zeros of an
 * axis figure dropped, never rounded). Shared by the dashboard and the
 * usage screen. Nothing here reads the database. */
#ifndef BILLTOP_USAGE_GRAPH_H
#define BILLTOP_USAGE_GRAPH_H

#include <stdio.h>

#include "../data/report.h"
#include "graph.h"
#include "tui.h"

enum { UG_CALLS, UG_MINUTES, UG_COST, UG_NMEASURES };
extern const char *const ug_measure_names[UG_NMEASURES];   /* "calls", "minutes", "call cost" */

/* Bucket i's value of a measure: calls, billsec_ms, or cost (call charges,
 * the `cost` column of `billtop usage`). */
int64_t ug_value(const report_bucket *b, int measure);

/* Render u's buckets of `measure` into g (rows x cols): blocks when there
 * is room and the terminal is UTF-8, braille when the buckets are more than
 * the columns, ASCII when ascii. decimals/currency are the account's.
 * Returns graph_render's status; g is the caller's to graph_free. */
int ug_render(const report_usage *u, int measure, int ascii, int decimals, const char *currency, int rows, int cols,
              graph_grid *g);

/* Render and put on screen at (y, x); nothing when it does not fit.
 * Returns the rows drawn (0 or rows). */
int ug_draw(tui *t, const report_usage *u, int measure, const account_info *a, int y, int x, int rows, int cols);

/* The graph as printable text lines (ASCII), for text exports. */
void ug_text(FILE *f, const report_usage *u, int measure, const account_info *a, int rows, int cols);

#endif
