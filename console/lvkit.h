/* lvkit.h: the pieces list screens on the base (listview.h) share beyond
 * the base itself, so that a screen holds only its own columns, cells and
 * queries: the draw of a screen whose priv begins with its listview, rows
 * held whole in memory (a growing array with a cap), the end of a load,
 * the period filter (f/t prompts, the title's filter text, the as-of
 * cut), a text prompt, and an export's output plumbing.
 *
 * Ownership: lv_rows owns its array (lv_rows_free; a row's own
 * allocations are the screen's, freed before through lv_rows_at). The
 * rest keeps nothing. */
#ifndef BILLTOP_LVKIT_H
#define BILLTOP_LVKIT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../data/out.h"
#include "listview.h"

/* <0, 0, >0 as a is below, equal to, above b: for lv_column.compare. */
int lv_cmp64(int64_t a, int64_t b);

/* view_ops.draw for a screen whose priv begins with its listview. */
void lv_draw(view *v, int top, int rows, int cols);

/* Rows read whole into memory, at most max of them (0: no cap). */
typedef struct {
	unsigned char *p;          /* n rows of size bytes */
	size_t size;
	int n, cap, max;
	int capped;                /* a row past max was offered */
	int oom;
} lv_rows;
/* A zeroed slot for the next row (counted in n), or NULL with capped or
 * oom set: the reader's callback then returns 1 (stop). */
void *lv_rows_add(lv_rows *r);
/* Give the last slot back (its own allocations failed): sets oom. */
void lv_rows_unadd(lv_rows *r);
void *lv_rows_at(const lv_rows *r, int i);
/* Each row handed to free_row (its own allocations; NULL: none), then no
 * rows held, capped and oom cleared: before a reload. */
void lv_rows_clear(lv_rows *r, void (*free_row)(void *row));
/* lv_rows_clear, then the array freed: in close. */
void lv_rows_free(lv_rows *r, void (*free_row)(void *row));

/* The end of a whole load (after tui_busy_end): 0, or -1 with "WHAT:
 * reason" (or "out of memory") in the status line unless Esc cancelled. */
int lv_load_end(view *v, const char *what, int st, int oom);

/* The period filter (f, t): the texts as typed and [from, to) parsed;
 * INT64_MIN / INT64_MAX when empty. */
typedef struct {
	char from_text[40], to_text[40];
	int64_t from, to;
} lv_period;
void lv_period_clear(lv_period *p);
/* The period a drill-down was opened on (tui_push_period), else cleared;
 * in a list's open. */
void lv_period_take(lv_period *p, const view *v);
/* The period's end cut at the console's as-of time (later rows are not
 * listed). */
int64_t lv_period_end(const lv_period *p, tui *t);
/* which 'f' or 't': asks the time; 1 when set, 0 when Esc or not a time
 * (said in the status line). */
int lv_ask_period(tui *t, lv_period *p, int which);
/* Asks a text into dst (cut to n); 1 when entered, 0 on Esc. */
int lv_ask_text(tui *t, const char *label, char *dst, size_t n);
/* The title's filter text: " >=FROM <TO ~TEXT" for what is set (text may
 * be NULL), into f; returns the length written. */
size_t lv_filter_text(const lv_period *p, const char *text, char *f, size_t n);
/* A list's title for width columns into buf: "ACCOUNT  WHAT [FILTER]TOT
 * LATER" (tot and later start with their blanks; either may be ""). When
 * it is wider, in turn: later goes, the filter becomes " 03-16..03-18"
 * (a period of whole days: its first and last day, the year when they
 * differ in it), tot_short replaces tot; the account's name and what stay
 * (the title bar cuts what still does not fit). */
void lv_title(const view *v, const char *what, const lv_period *per, const char *text, const char *tot,
              const char *tot_short, const char *later, int width, char *buf, size_t n);

/* An export's output: the file, CSV writer, mode and decimals (the screen's
 * export context starts with one). */
typedef struct {
	FILE *f;
	out_csv csv;
	int csv_mode, d;
} lv_out;
void lv_out_init(lv_out *o, view *v, FILE *f, tui_export_format fmt);
/* After the whole-set query: 0, or -1 with "export ...: the file is
 * incomplete" in the status line. */
int lv_export_end(tui *t, int st);

#endif
