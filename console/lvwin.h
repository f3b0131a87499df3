/* lvwin.h: the keyset window the calls, messages and CNAM lookups lists
 * share (view_cdrs.c, view_mdrs.c, view_cnams.c): rows newest first, over
 * any number of rows, with at most LVWIN_WINDOW of them in memory.
 *
 * Paging contract: every read is one keyset query through the screen's
 * `read` (limit LVWIN_FETCH), never OFFSET, so the millionth page costs
 * what the first does. Reading past the older end drops rows from the
 * newer end, and the other way; the newest page and the oldest are read
 * directly (Home, End), without walking the pages between.
 *
 * It plugs into the list base (listview.h) as its `more`: the base calls
 * lvwin_more when the selection leaves the rows in memory, then keeps the
 * selected row by its id. Memory: the window owns its two row buffers
 * (lvwin_init, lvwin_free); rows are plain structs of `size` bytes. */
#ifndef BILLTOP_LVWIN_H
#define BILLTOP_LVWIN_H

#include <stddef.h>
#include <stdint.h>

#include "listview.h"

#define LVWIN_FETCH 200        /* rows per query */
#define LVWIN_WINDOW 800       /* rows kept in memory */

typedef struct {
	int64_t at, id;            /* the keyset order: (time, id) */
} lvwin_key;

typedef enum {
	LVWIN_NEWEST,              /* newest first from the newest; k NULL */
	LVWIN_OLDEST,              /* oldest first from the oldest; k NULL */
	LVWIN_OLDER,               /* newest first, strictly older than k */
	LVWIN_NEWER,               /* oldest first, strictly newer than k */
} lvwin_dir;

typedef struct {
	size_t size;               /* bytes per row */
	/* One query into out[0..limit): returns the rows read, or -1 with the
	 * reason in the status line (nothing when Esc cancelled it). */
	int (*read)(view *v, lvwin_dir dir, const lvwin_key *k, int limit, void *out);
	/* A row's key. */
	lvwin_key (*key)(const void *row);
} lvwin_ops;

typedef struct {
	const lvwin_ops *ops;
	unsigned char *rows;       /* WINDOW + FETCH rows; rows[0..n) newest first */
	unsigned char *buf;        /* FETCH rows, for ascending reads */
	int n;
	int at_newest, at_oldest;  /* the window reaches the newest / oldest match */
	int newer_waiting;         /* rows newer than the window arrived (reload) */
} lvwin;

/* 0, or -1 when out of memory. */
int lvwin_init(lvwin *w, const lvwin_ops *ops);
void lvwin_free(lvwin *w);

/* Row i of the window (0 = the newest held). */
void *lvwin_row(const lvwin *w, int i);

/* Read the newest page / the oldest page. 0 or -1. */
int lvwin_newest(lvwin *w, view *v);
int lvwin_oldest(lvwin *w, view *v);

/* listview_ops.more for a windowed screen: returns 1 when rows changed. */
int lvwin_more(lvwin *w, view *v, lv_more which);

/* Another process wrote. Following (the selection on the newest row):
 * read the newest page. Else re-read the window in place (a late row may
 * land in it) and only note that newer rows are waiting. */
void lvwin_reload(lvwin *w, view *v, int following);

/* ---- the glue the windowed screens share (calls, messages, CNAM lookups) ----
 * A windowed screen keeps a listview and an lvwin in its priv and supplies
 * only its own: the query, the columns and cells, the filters it reads on
 * the server, the export's form. */

/* The head of a windowed screen's priv (its first member, so lv_draw and
 * the lvwin_view_* callbacks find it): the list and its window. */
typedef struct {
	listview lv;
	lvwin w;
} lvwin_list;

/* listview_init, lvwin_init; -1 with "WHAT: out of memory" in the status
 * line. */
int lvwin_open(lvwin_list *l, view *v, const lvwin_ops *ops, const listview_ops *list, const char *what);
/* The newest page read, the list rebuilt, the newest row selected: 0 or -1. */
int lvwin_load(lvwin_list *l, view *v);
/* view_ops.close, listview_ops.count and listview_ops.more for a screen
 * whose priv begins with its lvwin_list. */
void lvwin_view_close(view *v);
int lvwin_view_count(view *v);
int lvwin_view_more(view *v, lv_more which);

/* A read's rows: the screen's query callback hands each row to lvwin_put,
 * which copies it into out and returns 1 (stop) when limit are held. */
typedef struct {
	unsigned char *out;
	size_t size;
	int n, max;
} lvwin_sink;
int lvwin_put(lvwin_sink *s, const void *row);
/* End of a read (after tui_busy_end): the rows read, or -1 with "WHAT:
 * reason" in the status line unless Esc cancelled it. */
int lvwin_read_end(view *v, const char *what, int st, const lvwin_sink *s);

/* listview_ops.status text: what the window holds ("every call" when it
 * holds every match). */
void lvwin_status(const lvwin *w, const char *every, char *buf, size_t n);

#endif
