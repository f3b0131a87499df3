/* inv_table.h: the wizard's ours / theirs / theirs - ours tables (D: the
 * UTC days, view_inv_days.c; H: the hours of a day, view_inv_hour.c) on
 * the list base (listview.h), so the two screens share columns, cells,
 * sorts, the detail line, the total line and the export (the columns'
 * cells, CSV or text). At 80 columns: connected, the seconds' difference
 * and cost; from 132 every figure, as the report's daily table.
 *
 * Use: the screen's priv begins with an inv_table; set rows / nrows /
 * mark (the row marked '*' and red: the tree's day, the worst hour; -1
 * none) and decimals, then inv_table_init; draw with inv_table_draw.
 * The rows belong to the screen (the wizard's days, or the screen's own
 * hours) and must not change while the screen is up. */
#ifndef BILLTOP_INV_TABLE_H
#define BILLTOP_INV_TABLE_H

#include "inv_ui.h"
#include "listview.h"

typedef struct {
	listview lv;               /* first: lv_draw */
	const recon_bucket *rows;
	int nrows;
	int mark;                  /* row marked '*', -1 none */
	int hours;                 /* 1: rows are hours (label HH:00), 0: days */
	int decimals;
	const recon_bucket *extra; /* inv_table_draw_extra's row (NULL: none) */
	char extra_label[24];
} inv_table;

/* Starts the list (hours: 1 for the hour table), selects the marked row. */
void inv_table_init(inv_table *tb, view *v, int hours);
void inv_table_free(inv_table *tb);
/* The list in [top, top + rows - 1) and the total of every row (not only
 * the shown ones) on the last line. */
void inv_table_draw(inv_table *tb, view *v, int top, int rows, int cols);

/* tb->extra laid out in the table's columns (as the last draw fitted them),
 * labelled tb->extra_label, on line y: e.g. the engine's worst hour. */
void inv_table_draw_extra(inv_table *tb, view *v, int y, int cols);

#endif
