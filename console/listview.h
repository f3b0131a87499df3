/* listview.h: the base of every list screen (the model is tmux's
 * mode-tree: the base owns the list's behaviour, the screen supplies its
 * data through callbacks).
 *
 * The base owns: which rows are shown (the `/` filter), in what order (the
 * `o` sort), the selection, scrolling (Up/Down/PgUp/PgDn/Home/End, j/k),
 * `n` (next row matching the last `/` text), `e` (the export dialogue of
 * export.c), the header row, the columns fitted to the width, the status
 * line "row X of Y (filtered from Z)" and the detail line(s) at the bottom
 * (the whole text of the selected row: what a cell cuts, with an ellipsis,
 * reads whole there).
 *
 * The screen owns: its rows (in v->priv, an array it indexes 0..count-1 in
 * its own order), the columns, the cells' text, the comparisons, the
 * export writer, and every key the base does not take (account screens,
 * Enter...).
 *
 * Use: put a `listview` in the view's priv (ops.priv_size, zeroed by the
 * console), call listview_init in open, listview_rebuild after every load
 * of the rows (open, reload, a new server-side filter), listview_draw from
 * draw, listview_handle first in handle (it returns 1 when it took the
 * action), and listview_free in close (it frees only what the base
 * allocated: the priv itself belongs to the console).
 *
 * Row indexes handed to callbacks are always the screen's own (0..count-1),
 * never the shown position. Callbacks get the view; v->priv is the screen's.
 * The base keeps the selected row's key after every move and draw, so a
 * rebuild after the screen changed its rows selects the same row again;
 * a screen that wants another (the newest, after a reload at the top)
 * sets lv.sel after listview_rebuild.
 *
 * Keys: `/` opens a line at the bottom (label ops.prompt, default "/"):
 * each key narrows the rows (the whole screen redraws), Enter keeps the
 * text, Esc clears it; `n` selects the next row matching the last text;
 * `o` is a one-key menu of the shown sortable columns, numbered left to
 * right (the same again reverses, 0 the screen's order); `e` the export
 * dialogue with ops.export_rows as the writer; Enter calls ops.enter
 * with the selected row when the screen gives one. `f` stays the
 * screen's. The sort mark is ^ (ascending) or v by the column's title.
 *
 * Stability: fields are only ever added at the end of lv_column and
 * listview_ops; initialise them by name (.count = ...). Everything the
 * screen does not name is 0: no detail, no sort, every row in memory.
 *
 * Windowed screens (calls, messages: only part of the rows in memory) give
 * `more`: the base calls it when the selection moves past the first or the
 * last loaded row, and for Home/End; after it returns the base rebuilds,
 * keeping the selected row by its `key`. While a sort other than the
 * screen's own order is on, `more` is not called: the sort orders the rows
 * loaded, and the status line says so. lvwin.h is such a window for rows
 * keyed by (time, id).
 *
 * lvkit.h has what screens on the base would otherwise copy from each
 * other (lv_draw, a capped row array, the f/t period prompt, the export's
 * output plumbing); a screen keeps only its columns, cells and queries. */
#ifndef BILLTOP_LISTVIEW_H
#define BILLTOP_LISTVIEW_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "tui.h"

#define LV_MAX_COLUMNS 16

enum { LV_LEFT = 0, LV_RIGHT = 1 };

/* One column. Widths are display columns. The column gets at least
 * min_width, at most max_width (0: any; such a column takes what is left,
 * e.g. a memo); min_width 0 means max_width. On a narrow terminal the
 * columns with the highest `hide` go first (0: never hidden); a column
 * with wide_only > 0 shows only when the terminal is at least that wide. */
typedef struct {
	const char *title;
	int min_width, max_width;
	int align;             /* LV_LEFT or LV_RIGHT */
	int hide;              /* 0 never; higher hides first */
	int wide_only;         /* 0 always; else the least terminal width */
	/* Sortable when set: <0, 0, >0 as row a sorts before, with, after row
	 * b (ascending). Ties keep the screen's order. */
	int (*compare)(view *v, int a, int b);
	/* 0 always; else shown only when the terminal is narrower than this
	 * (a short form of a column that wide terminals show in full) */
	int narrow_only;
} lv_column;

/* Home/End and moves past the loaded rows, for windowed screens. */
typedef enum { LV_MORE_NEXT, LV_MORE_PREV, LV_MORE_FIRST, LV_MORE_LAST } lv_more;

typedef struct {
	const lv_column *columns;
	int ncolumns;          /* <= LV_MAX_COLUMNS */
	/* Rows the screen holds now. */
	int (*count)(view *v);
	/* The text of a cell as shown (the base cuts it with an ellipsis to the
	 * column's width and makes control characters visible). */
	void (*cell)(view *v, int row, int col, char *buf, size_t n);
	/* Does the row match the `/` text? NULL: any cell contains it
	 * (case-insensitive). */
	int (*match)(view *v, int row, const char *text);
	/* The row's whole text for the detail line(s) ('\n' starts a new line).
	 * NULL: no detail. */
	void (*detail)(view *v, int row, char *buf, size_t n);
	int detail_lines;      /* lines the detail may wrap over (0: 1) */
	/* Attribute of an unselected row (0: plain). NULL: plain. */
	int (*attr)(view *v, int row);
	/* A row's identity, to keep it selected across a reload or a windowed
	 * read. NULL: the position is kept. */
	int64_t (*key)(view *v, int row);
	/* `e`: writes the export (CSV exact values or printable text); walk the
	 * shown rows with listview_shown / listview_row, or write what the
	 * screen's CLI command writes. NULL: the base writes the columns' cells
	 * (CSV and text). Return 0 or -1 (as tui_export_fn). */
	int (*export_rows)(view *v, FILE *f, tui_export_format fmt);
	const char *export_kind;  /* file name stem: "billtop-KIND-ACCOUNT.csv" */
	/* Windowed screens: load more rows (see above); return 1 when the rows
	 * changed. NULL: every row is in memory. */
	int (*more)(view *v, lv_more which);
	/* Shown instead of rows when the screen holds none. */
	const char *empty;
	/* The label of the `/` line (NULL: "/"). */
	const char *prompt;
	/* More for the status line after "row X of Y" (windowed screens: what
	 * the loaded rows are). NULL: nothing. */
	void (*status)(view *v, char *buf, size_t n);
	/* The `/` text changed (each key; "" when cleared), before the base
	 * narrows the rows: a windowed screen may read other rows for it
	 * (e.g. move to the first match in the whole set). NULL: nothing. */
	void (*refilter)(view *v, const char *text);
	/* Enter on a row (a drill-down: tui_push a screen about it). NULL:
	 * Enter is left to the screen's handle. Not called with no rows. */
	void (*enter)(view *v, int row);
} listview_ops;

typedef struct {
	const listview_ops *ops;
	int *order;            /* shown rows: screen indexes, filtered and sorted */
	int shown, cap;        /* order[0..shown) */
	int total;             /* the screen's rows (count()) at the last rebuild */
	int sel, top;          /* positions in order[] */
	int page;              /* list rows at the last draw */
	int sort_col;          /* -1: the screen's own order */
	int sort_rev;
	char filter[64];       /* the `/` text narrowing the rows ("" none) */
	char last[64];         /* the last `/` text, for n */
	int area_top, area_rows, area_cols;  /* the last draw's area */
	int64_t sel_key;       /* the selected row's key, taken while the rows */
	int has_sel_key;       /* were still the ones it was selected in */
	int oom;
} listview;

/* Start with no rows, the screen's order, no filter. */
void listview_init(listview *lv, const listview_ops *ops);
/* Frees what the base allocated (not the view's priv). */
void listview_free(listview *lv);

/* The rows changed (loaded, reloaded): filter and sort them again, keeping
 * the selected row by key when the screen gives one. */
void listview_rebuild(listview *lv, view *v);

/* Header, rows, status line, detail, in rows [top, top + rows). */
void listview_draw(listview *lv, view *v, int top, int rows, int cols);

/* The list keys: moves, `/`, `n`, `o`, `e`. Returns 1 when taken. */
int listview_handle(listview *lv, view *v, tui_action a, int ch);

/* The selected row (screen index), or -1 when nothing is shown. */
int listview_selected(const listview *lv);
/* Rows shown (after the filter), and the screen index of shown row i. */
int listview_shown(const listview *lv);
int listview_row(const listview *lv, int i);
/* Select the row with screen index `row` if it is shown. */
void listview_select(listview *lv, int row);

/* A line laid out in the list's columns at `cols` (as the last draw fitted
 * them), e.g. a TOTAL under the list: cell(v, col, buf, n) gives each
 * column's text. Drawn in bold. */
void listview_draw_line(listview *lv, view *v, int y, int cols, void (*cell)(view *v, int col, char *buf, size_t n));

/* For export writers: a CSV of every column's cell text, then the text
 * form: the header and the rows at full column widths. */
int listview_write_cells(listview *lv, view *v, FILE *f, tui_export_format fmt);

/* Cut `s` (made visible) to `width` display columns with an ellipsis
 * ("…", or "~" in ASCII) when longer; into buf. Returns the columns used. */
int listview_fit(const tui *t, const char *s, int width, char *buf, size_t n);

#endif
