/* windowed.h: what the screens that show one account over a chosen window
 * share: usage, destinations, messaging and CNAM (view_usage.c,
 * view_dest.c, view_msg.c, view_cnam.c). The window selector line, h/l to
 * move through the windows, and `e` to export the window's figures through
 * the export dialogue (export.c). The figures, their layout and the export
 * writers stay with each screen; nothing here reads the database. */
#ifndef BILLTOP_WINDOWED_H
#define BILLTOP_WINDOWED_H

#include <stdint.h>
#include <stdio.h>

#include "../data/report.h"
#include "tui.h"

/* The selector at (y, x), clipped to `cols`: each of the n windows by
 * name, the current one as "[name]" in the selection colour, the others as
 * " name ". Returns the column after the last. */
int windowed_tabs(tui *t, int y, int x, int cols, const report_window *wins, int n, int cur);

/* The window after (ACT_RIGHT) or before (any other action: ACT_LEFT)
 * window cur of n, wrapping round. */
int windowed_step(tui_action a, int cur, int n);

/* `e`: the export dialogue offering "billtop-KIND-ACCOUNT-WINDOW.csv|txt",
 * with fn as the writer and the view as its context (the figures are in
 * v->priv). When the figures did not load (loaded 0) the status line says
 * there is nothing to export instead. */
void windowed_export(view *v, int loaded, const char *kind, report_window w, tui_export_fn fn);

/* The first line of a text export:
 * "ACCOUNT WHAT, WINDOW, FROM to TO UTC<extra> (CURRENCY)"; extra is ""
 * or more about the table (", sorted by cost"). */
void windowed_heading(FILE *f, const account_info *a, const char *what, report_window w, int64_t from, int64_t to,
                      const char *extra);

/* The selection a windowed screen keeps in its priv. */
typedef struct {
	int win;                   /* index into the screen's windows */
	int top;                   /* first row shown (screens that scroll) */
	int loaded;                /* the figures of win are read */
} windowed_sel;

/* The start of a load: the account re-read (its balance may have moved),
 * s->loaded cleared, [from, to) of window w at the clock or the as-of
 * time (A). */
void windowed_begin(view *v, windowed_sel *s, report_window w, int64_t *from, int64_t *to);

/* h/l: the next or previous of the n windows, top 0, then load(v); e: the
 * export of window wins[s->win] as KIND with writer fn. 1 when it took the
 * key. */
int windowed_keys(view *v, windowed_sel *s, tui_action a, const report_window *wins, int n, int (*load)(view *v),
                  const char *kind, tui_export_fn fn);

#endif
