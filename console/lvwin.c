/* lvwin.c: the keyset window of the calls and messages lists (lvwin.h has
 * the contract). Rows are moved as bytes of ops->size; nothing here knows
 * what a call or a message is. */
#include <stdlib.h>
#include <string.h>

#include "lvwin.h"

#define ROW(w, i) ((w)->rows + (size_t)(i) * (w)->ops->size)

int lvwin_init(lvwin *w, const lvwin_ops *ops)
{
	memset(w, 0, sizeof *w);
	w->ops = ops;
	w->rows = calloc(LVWIN_WINDOW + LVWIN_FETCH, ops->size);
	w->buf = calloc(LVWIN_FETCH, ops->size);
	return w->rows && w->buf ? 0 : -1;
}

void lvwin_free(lvwin *w)
{
	free(w->rows);
	free(w->buf);
	w->rows = w->buf = NULL;
	w->n = 0;
}

void *lvwin_row(const lvwin *w, int i)
{
	return ROW(w, i);
}

/* buf[0..got) oldest first into rows[at..at+got) newest first */
static void put_reversed(lvwin *w, int at, int got)
{
	size_t sz = w->ops->size;
	for (int i = 0; i < got; i++)
		memcpy(ROW(w, at + i), w->buf + (size_t)(got - 1 - i) * sz, sz);
}

int lvwin_newest(lvwin *w, view *v)
{
	int got = w->ops->read(v, LVWIN_NEWEST, NULL, LVWIN_FETCH, w->rows);
	if (got < 0)
		return -1;
	w->n = got;
	w->at_newest = 1;
	w->at_oldest = got < LVWIN_FETCH;
	w->newer_waiting = 0;
	return 0;
}

int lvwin_oldest(lvwin *w, view *v)
{
	int got = w->ops->read(v, LVWIN_OLDEST, NULL, LVWIN_FETCH, w->buf);
	if (got < 0)
		return -1;
	put_reversed(w, 0, got);
	w->n = got;
	w->at_oldest = 1;
	w->at_newest = got < LVWIN_FETCH;
	if (w->at_newest)
		w->newer_waiting = 0;
	return 0;
}

/* The page older than the window; rows added (0 at the end). */
static int older(lvwin *w, view *v)
{
	lvwin_key k;
	int got;
	if (w->at_oldest || w->n == 0)
		return 0;
	k = w->ops->key(ROW(w, w->n - 1));
	if ((got = w->ops->read(v, LVWIN_OLDER, &k, LVWIN_FETCH, ROW(w, w->n))) < 0)
		return 0;
	w->n += got;
	w->at_oldest = got < LVWIN_FETCH;
	if (w->n > LVWIN_WINDOW) {
		int drop = w->n - LVWIN_WINDOW;
		memmove(w->rows, ROW(w, drop), (size_t)LVWIN_WINDOW * w->ops->size);
		w->n = LVWIN_WINDOW;
		w->at_newest = 0;
	}
	return got;
}

/* The page newer than the window; rows added (0 at the top). */
static int newer(lvwin *w, view *v)
{
	lvwin_key k;
	int got;
	if (w->at_newest || w->n == 0)
		return 0;
	k = w->ops->key(ROW(w, 0));
	if ((got = w->ops->read(v, LVWIN_NEWER, &k, LVWIN_FETCH, w->buf)) < 0)
		return 0;
	memmove(ROW(w, got), w->rows, (size_t)w->n * w->ops->size);
	put_reversed(w, 0, got);
	w->n += got;
	w->at_newest = got < LVWIN_FETCH;
	if (w->at_newest)
		w->newer_waiting = 0;
	if (w->n > LVWIN_WINDOW) {
		w->n = LVWIN_WINDOW;
		w->at_oldest = 0;
	}
	return got;
}

int lvwin_more(lvwin *w, view *v, lv_more which)
{
	switch (which) {
	case LV_MORE_NEXT: return older(w, v) > 0;
	case LV_MORE_PREV: return newer(w, v) > 0;
	case LV_MORE_FIRST: return w->at_newest ? 0 : lvwin_newest(w, v) == 0;
	case LV_MORE_LAST: return w->at_oldest ? 0 : lvwin_oldest(w, v) == 0;
	}
	return 0;
}

void lvwin_reload(lvwin *w, view *v, int following)
{
	lvwin_key k;
	int got;
	if (w->n == 0 || (w->at_newest && following)) {
		lvwin_newest(w, v);
		return;
	}
	k = w->ops->key(ROW(w, 0));
	k.id++; /* from rows[0] itself, inclusive */
	if ((got = w->ops->read(v, LVWIN_OLDER, &k, w->n, w->rows)) < 0)
		return;
	w->at_oldest = got < w->n ? 1 : w->at_oldest;
	w->n = got;
	if (w->at_newest && w->n) {
		k = w->ops->key(ROW(w, 0));
		if (w->ops->read(v, LVWIN_NEWER, &k, 1, w->buf) == 1) {
			w->at_newest = 0;
			w->newer_waiting = 1;
		}
	}
}

/* ---- the glue the windowed screens share ------------------------------------ */

int lvwin_open(lvwin_list *l, view *v, const lvwin_ops *ops, const listview_ops *list, const char *what)
{
	listview_init(&l->lv, list);
	if (lvwin_init(&l->w, ops) != 0) {
		tui_set_status(v->t, "%s: out of memory", what);
		return -1;
	}
	return 0;
}

int lvwin_load(lvwin_list *l, view *v)
{
	int st = lvwin_newest(&l->w, v);
	listview_rebuild(&l->lv, v);
	l->lv.sel = 0;
	return st;
}

void lvwin_view_close(view *v)
{
	lvwin_list *l = v->priv;
	listview_free(&l->lv);
	lvwin_free(&l->w);
}

int lvwin_view_count(view *v)
{
	return ((lvwin_list *)v->priv)->w.n;
}

int lvwin_view_more(view *v, lv_more which)
{
	return lvwin_more(&((lvwin_list *)v->priv)->w, v, which);
}

int lvwin_put(lvwin_sink *s, const void *row)
{
	memcpy(s->out + (size_t)s->n++ * s->size, row, s->size);
	return s->n >= s->max;
}

int lvwin_read_end(view *v, const char *what, int st, const lvwin_sink *s)
{
	tui *t = v->t;
	if (st != DB_OK) {
		if (!t->cancelled)
			tui_set_status(t, "%s: %s", what, db_errmsg(t->db));
		return -1;
	}
	return s->n;
}

void lvwin_status(const lvwin *w, const char *every, char *buf, size_t n)
{
	snprintf(buf, n, "%s", w->at_newest && w->at_oldest ? every : w->at_oldest ? "the oldest loaded"
	                       : w->at_newest ? "the newest loaded; more below" : "loaded; more either way");
}
