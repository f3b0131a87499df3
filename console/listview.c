/* listview.c: the list-screen base (listview.h has the contracts).
 *
 * The shown rows are an index array (order[]) over the screen's rows:
 * rebuilt from the screen's count() by the `/` filter, then sorted by the
 * chosen column (a stable order: ties keep the screen's order). The
 * selection and the scroll position are positions in that array. Nothing
 * here reads the database; the screen's callbacks do. */
#include <stdlib.h>
#include <string.h>

#include "../data/out.h"
#include "listview.h"

/* ---- rows ------------------------------------------------------------ */

void listview_init(listview *lv, const listview_ops *ops)
{
	free(lv->order);
	memset(lv, 0, sizeof *lv);
	lv->ops = ops;
	lv->sort_col = -1;
}

void listview_free(listview *lv)
{
	free(lv->order);
	lv->order = NULL;
	lv->shown = lv->cap = 0;
}

int listview_selected(const listview *lv)
{
	return lv->shown > 0 && lv->sel >= 0 && lv->sel < lv->shown ? lv->order[lv->sel] : -1;
}

int listview_shown(const listview *lv)
{
	return lv->shown;
}

int listview_row(const listview *lv, int i)
{
	return i >= 0 && i < lv->shown ? lv->order[i] : -1;
}

void listview_select(listview *lv, int row)
{
	for (int i = 0; i < lv->shown; i++)
		if (lv->order[i] == row) {
			lv->sel = i;
			return;
		}
}

static int row_matches(listview *lv, view *v, int row, const char *text)
{
	char buf[512];
	if (!text[0])
		return 1;
	if (lv->ops->match)
		return lv->ops->match(v, row, text);
	for (int c = 0; c < lv->ops->ncolumns; c++) {
		buf[0] = '\0';
		lv->ops->cell(v, row, c, buf, sizeof buf);
		if (tui_contains(buf, text))
			return 1;
	}
	return 0;
}

/* qsort has no context: the console is single-threaded, so the sort's
 * context is held here for the duration of one qsort call. */
static struct {
	view *v;
	int (*cmp)(view *, int, int);
	int rev;
} sort_ctx;

static int sort_cmp(const void *pa, const void *pb)
{
	int a = *(const int *)pa, b = *(const int *)pb;
	int c = sort_ctx.cmp(sort_ctx.v, a, b);
	if (sort_ctx.rev)
		c = -c;
	return c ? c : (a > b) - (a < b); /* stable: the screen's order */
}

/* Note the selected row's key while the rows are the ones it was chosen
 * in (after every move and draw): a rebuild after the screen changed its
 * rows finds the row again by it. */
static void note_selection(listview *lv, view *v)
{
	int row = listview_selected(lv);
	lv->has_sel_key = row >= 0 && lv->ops->key;
	lv->sel_key = lv->has_sel_key ? lv->ops->key(v, row) : 0;
}

void listview_rebuild(listview *lv, view *v)
{
	int n = lv->ops->count(v);
	int64_t keep_key = lv->sel_key;
	int had_key = lv->has_sel_key && lv->ops->key, old_sel = lv->sel;
	if (n < 0)
		n = 0;
	if (n > lv->cap) {
		int *no = realloc(lv->order, (size_t)n * sizeof *no);
		if (!no) {
			/* keep what is shown; the status line says why */
			lv->oom = 1;
			tui_set_status(v->t, "list: out of memory");
			n = lv->cap;
		} else {
			lv->order = no;
			lv->cap = n;
		}
	}
	lv->total = n;
	lv->shown = 0;
	for (int i = 0; i < n; i++)
		if (row_matches(lv, v, i, lv->filter))
			lv->order[lv->shown++] = i;
	if (lv->sort_col >= 0 && lv->sort_col < lv->ops->ncolumns && lv->ops->columns[lv->sort_col].compare
	    && lv->shown > 1) {
		sort_ctx.v = v;
		sort_ctx.cmp = lv->ops->columns[lv->sort_col].compare;
		sort_ctx.rev = lv->sort_rev;
		qsort(lv->order, (size_t)lv->shown, sizeof *lv->order, sort_cmp);
	}
	lv->sel = old_sel;
	if (had_key)
		for (int i = 0; i < lv->shown; i++)
			if (lv->ops->key(v, lv->order[i]) == keep_key) {
				lv->sel = i;
				break;
			}
	if (lv->sel >= lv->shown)
		lv->sel = lv->shown - 1;
	if (lv->sel < 0)
		lv->sel = 0;
	note_selection(lv, v);
}

/* ---- columns ---------------------------------------------------------- */

/* Display columns of UTF-8 text (one per code point: the console's text
 * is numbers, names and memos; wide CJK is counted as one). */
static int text_cols(const char *s, size_t len)
{
	int c = 0;
	for (size_t i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			c++;
	return c;
}

/* Byte length of the first `cols` code points of s. */
static size_t cols_bytes(const char *s, size_t len, int cols)
{
	size_t i = 0;
	while (i < len && cols > 0) {
		i++;
		while (i < len && ((unsigned char)s[i] & 0xc0) == 0x80)
			i++;
		cols--;
	}
	return i;
}

int listview_fit(const tui *t, const char *s, int width, char *buf, size_t n)
{
	char vis[1024];
	size_t len = out_visible(s ? s : "", vis, sizeof vis, t->ascii);
	int c = text_cols(vis, len);
	if (n == 0)
		return 0;
	if (width <= 0) {
		buf[0] = '\0';
		return 0;
	}
	if (c <= width) {
		snprintf(buf, n, "%s", vis);
		return c;
	}
	{
		const char *ell = t->ascii ? "~" : "\xe2\x80\xa6"; /* … */
		size_t keep = cols_bytes(vis, len, width - 1);
		snprintf(buf, n, "%.*s%s", (int)keep, vis, ell);
	}
	return width;
}

/* Widths of the columns shown at `cols` (0 for a hidden column). */
static void fit_columns(const listview_ops *o, int cols, int *w)
{
	int used = 0, shown = 0, fill = -1;
	for (int c = 0; c < o->ncolumns; c++) {
		const lv_column *k = &o->columns[c];
		int min = k->min_width ? k->min_width : k->max_width;
		int off = (k->wide_only && cols < k->wide_only) || (k->narrow_only && cols >= k->narrow_only);
		w[c] = off ? 0 : (min > 0 ? min : 1);
		if (w[c]) {
			used += w[c];
			shown++;
		}
	}
	/* one blank between columns; drop the highest `hide` until it fits */
	while (shown > 1 && used + shown - 1 > cols) {
		int drop = -1;
		for (int c = 0; c < o->ncolumns; c++)
			if (w[c] && o->columns[c].hide > 0 && (drop < 0 || o->columns[c].hide >= o->columns[drop].hide))
				drop = c;
		if (drop < 0)
			break;
		used -= w[drop];
		w[drop] = 0;
		shown--;
	}
	/* grow towards max_width, left to right; an open column takes the rest */
	int room = cols - (used + shown - 1);
	for (int c = 0; c < o->ncolumns && room > 0; c++) {
		if (!w[c])
			continue;
		if (o->columns[c].max_width == 0) {
			if (fill < 0)
				fill = c;
			continue;
		}
		int grow = o->columns[c].max_width - w[c];
		if (grow > room)
			grow = room;
		if (grow > 0) {
			w[c] += grow;
			room -= grow;
		}
	}
	if (fill >= 0 && room > 0)
		w[fill] += room;
}

static void draw_cells(listview *lv, view *v, int y, int cols, const int *w, int row,
                       void (*line)(view *v, int col, char *buf, size_t n))
{
	tui *t = v->t;
	int x = 0;
	for (int c = 0; c < lv->ops->ncolumns; c++) {
		char text[512], fit[1100];
		int used, pad;
		if (!w[c])
			continue;
		if (x >= cols)
			break;
		text[0] = '\0';
		if (line)
			line(v, c, text, sizeof text);
		else if (row >= 0)
			lv->ops->cell(v, row, c, text, sizeof text);
		else
			snprintf(text, sizeof text, "%s", lv->ops->columns[c].title);
		used = listview_fit(t, text, w[c] < cols - x ? w[c] : cols - x, fit, sizeof fit);
		pad = lv->ops->columns[c].align == LV_RIGHT ? w[c] - used : 0;
		/* fit is cut to the width already; addnstr counts bytes, so the
		 * whole of it (a UTF-8 ellipsis is 3 bytes) */
		tui_text(t, y, x + pad, (int)strlen(fit), fit);
		if (lv->sort_col == c && row < 0 && !line) {
			int mx = x + pad + used;
			if (lv->ops->columns[c].align == LV_RIGHT)
				mx = x + pad - 1 >= x ? x + pad - 1 : x;
			if (mx < cols)
				mvaddch(y, mx, lv->sort_rev ? 'v' : '^');
		}
		x += w[c] + 1;
	}
}

/* ---- drawing ---------------------------------------------------------- */

/* The detail text wrapped over at most `lines` lines of `cols` (a '\n'
 * in it starts a new line); the last line ends in an ellipsis when the
 * text still does not fit. */
static void draw_detail(listview *lv, view *v, int y, int lines, int cols, int row)
{
	tui *t = v->t;
	char text[2048];
	const char *seg;
	int i = 0;
	text[0] = '\0';
	lv->ops->detail(v, row, text, sizeof text);
	attron(tui_attr(t, CP_DIM));
	for (int k = 0; k < lines; k++) {
		move(y + k, 0);
		clrtoeol();
	}
	for (seg = text; seg && i < lines; i++) {
		const char *nl = strchr(seg, '\n');
		char raw[2048], vis[4096], part[4096];
		size_t len, off = 0;
		snprintf(raw, sizeof raw, "%.*s", nl ? (int)(nl - seg) : (int)strlen(seg), seg);
		len = out_visible(raw, vis, sizeof vis, t->ascii);
		for (;;) {
			size_t take = cols_bytes(vis + off, len - off, cols);
			if (i == lines - 1 && (off + take < len || (nl && nl[1]))) {
				char fit[4096];
				/* the last line and more to say: cut with an ellipsis */
				snprintf(part, sizeof part, "%s", vis + off);
				listview_fit(t, part, cols, fit, sizeof fit);
				tui_text(t, y + i, 0, (int)strlen(fit), fit);
				break;
			}
			/* break after a blank when one is in the line's last third */
			if (off + take < len && vis[off + take] != ' ')
				for (size_t b = take; b > take * 2 / 3; b--)
					if (vis[off + b - 1] == ' ') {
						take = b;
						break;
					}
			memcpy(part, vis + off, take);
			part[take] = '\0';
			tui_text(t, y + i, 0, (int)strlen(part), part);
			off += take;
			if (off >= len)
				break;
			if (++i >= lines)
				break;
		}
		seg = nl ? nl + 1 : NULL;
	}
	attroff(tui_attr(t, CP_DIM));
}

void listview_draw(listview *lv, view *v, int top, int rows, int cols)
{
	tui *t = v->t;
	const listview_ops *o = lv->ops;
	int w[LV_MAX_COLUMNS], dl = o->detail ? (o->detail_lines > 0 ? o->detail_lines : 1) : 0;
	int list = rows - 2 - dl;
	lv->area_top = top;
	lv->area_rows = rows;
	lv->area_cols = cols;
	if (list < 1) {
		dl = 0;
		list = rows - 2 > 0 ? rows - 2 : 1;
	}
	lv->page = list;
	for (int i = 0; i < rows; i++) {
		move(top + i, 0);
		clrtoeol();
	}
	fit_columns(o, cols, w);
	attron(A_BOLD);
	draw_cells(lv, v, top, cols, w, -1, NULL);
	attroff(A_BOLD);
	if (lv->shown == 0) {
		tui_text(t, top + 2, 2, cols - 4,
		         lv->total && lv->filter[0] ? "no row matches the filter (Esc in / clears it)"
		                                    : o->empty ? o->empty : "nothing to show");
	} else {
		if (lv->sel < lv->top)
			lv->top = lv->sel;
		if (lv->sel >= lv->top + list)
			lv->top = lv->sel - list + 1;
		if (lv->top > lv->shown - list)
			lv->top = lv->shown - list;
		if (lv->top < 0)
			lv->top = 0;
		for (int i = 0; i < list && lv->top + i < lv->shown; i++) {
			int row = lv->order[lv->top + i], y = top + 1 + i;
			int attr = lv->top + i == lv->sel ? tui_attr(t, CP_SELECT) : o->attr ? o->attr(v, row) : 0;
			attron(attr);
			move(y, 0);
			for (int k = 0; k < cols; k++)
				addch(' ');
			draw_cells(lv, v, y, cols, w, row, NULL);
			attroff(attr);
		}
	}
	/* the status line: where we are, what narrows and orders the rows */
	{
		char s[400], sort[80] = "", note[120] = "";
		int y = top + 1 + list;
		if (o->status)
			o->status(v, note, sizeof note);
		if (lv->sort_col >= 0)
			snprintf(sort, sizeof sort, "  sorted by %s%s%s", o->columns[lv->sort_col].title,
			         lv->sort_rev ? ", reversed" : "", o->more ? " (the rows loaded)" : "");
		if (lv->filter[0])
			snprintf(s, sizeof s, "row %d of %d (filtered from %d: /%s)%s%s%s", lv->shown ? lv->sel + 1 : 0,
			         lv->shown, lv->total, lv->filter, sort, note[0] ? "  " : "", note);
		else
			snprintf(s, sizeof s, "row %d of %d%s%s%s", lv->shown ? lv->sel + 1 : 0, lv->shown, sort,
			         note[0] ? "  " : "", note);
		move(y, 0);
		clrtoeol();
		attron(tui_attr(t, CP_DIM));
		tui_hline(t, y, 0, cols);
		tui_text(t, y, 1, cols - 1, s);
		attroff(tui_attr(t, CP_DIM));
	}
	if (dl && lv->shown)
		draw_detail(lv, v, top + 2 + list, dl, cols, lv->order[lv->sel]);
	note_selection(lv, v);
}

void listview_draw_line(listview *lv, view *v, int y, int cols, void (*cell)(view *v, int col, char *buf, size_t n))
{
	int w[LV_MAX_COLUMNS];
	fit_columns(lv->ops, cols, w);
	move(y, 0);
	clrtoeol();
	attron(A_BOLD);
	draw_cells(lv, v, y, cols, w, -1, cell);
	attroff(A_BOLD);
}

/* ---- keys ------------------------------------------------------------- */

static int more(listview *lv, view *v, lv_more which)
{
	if (!lv->ops->more || lv->sort_col >= 0)
		return 0;
	if (!lv->ops->more(v, which))
		return 0;
	listview_rebuild(lv, v);
	return 1;
}

/* `/`: the rows narrow as each key is typed; Enter keeps the filter, Esc
 * clears it (the selected row stays selected, so / then Esc finds a row
 * in its context). */
static void filter_live(listview *lv, view *v)
{
	tui *t = v->t;
	char before[sizeof lv->filter];
	size_t len;
	int ch;
	memcpy(before, lv->filter, sizeof before);
	len = strlen(lv->filter);
	curs_set(1);
	for (;;) {
		int y = t->rows - 1;
		/* the whole screen's area, as the console lays it out (between
		 * the title line and the bottom bar): the screen's own lines
		 * (a TOTAL under the list) follow the rows as they narrow */
		for (int r = 1; r < t->rows - 1; r++) {
			move(r, 0);
			clrtoeol();
		}
		v->ops->draw(v, 1, t->rows - 2, t->cols);
		move(y, 0);
		clrtoeol();
		const char *label = lv->ops->prompt ? lv->ops->prompt : "/";
		int lw = text_cols(label, strlen(label)) + (lv->ops->prompt ? 1 : 0);
		attron(A_BOLD);
		tui_text(t, y, 0, t->cols, label);
		attroff(A_BOLD);
		tui_text(t, y, lw, t->cols - 30 > lw ? t->cols - 30 - lw : 1, lv->filter);
		attron(tui_attr(t, CP_DIM));
		tui_text(t, y, t->cols - 28 > 2 ? t->cols - 28 : 2, 28, "Enter keeps  Esc clears");
		attroff(tui_attr(t, CP_DIM));
		move(y, lw + text_cols(lv->filter, len));
		refresh();
		ch = tui_read_key(-1);
		if (ch == KEY_RESIZE) {
			getmaxyx(stdscr, t->rows, t->cols);
			break; /* the console redraws at the new size; the filter stays */
		}
		if (ch == 27) {
			lv->filter[0] = '\0';
			if (lv->ops->refilter)
				lv->ops->refilter(v, lv->filter);
			listview_rebuild(lv, v);
			break;
		}
		if (ch == '\n' || ch == '\r' || ch == KEY_ENTER)
			break;
		if ((ch == KEY_BACKSPACE || ch == 127 || ch == 8) && len > 0) {
			while (len > 0 && ((unsigned char)lv->filter[len - 1] & 0xc0) == 0x80)
				len--;
			if (len > 0)
				len--;
		} else if (ch == 21) { /* ^U */
			len = 0;
		} else if (ch >= 32 && ch < 256 && ch != 127 && len + 1 < sizeof lv->filter) {
			lv->filter[len++] = (char)ch;
		} else {
			continue;
		}
		lv->filter[len] = '\0';
		lv->sel = 0;
		if (lv->ops->refilter)
			lv->ops->refilter(v, lv->filter);
		listview_rebuild(lv, v);
	}
	curs_set(0);
	if (lv->filter[0])
		memcpy(lv->last, lv->filter, sizeof lv->last);
	else if (before[0] && !lv->last[0])
		memcpy(lv->last, before, sizeof lv->last);
	t->dirty = 1;
}

/* n: the next shown row (after the selected one, wrapping) matching the
 * last `/` text. */
static void next_match(listview *lv, view *v)
{
	if (!lv->last[0]) {
		tui_set_status(v->t, "n: nothing searched yet (/ first)");
		return;
	}
	for (int k = 1; k <= lv->shown; k++) {
		int i = (lv->sel + k) % lv->shown;
		if (row_matches(lv, v, lv->order[i], lv->last)) {
			lv->sel = i;
			return;
		}
	}
	tui_set_status(v->t, "no row matches \"%s\"", lv->last);
}

/* o: one key names the column (its number); the same column again
 * reverses; 0 goes back to the screen's own order. */
static void sort_menu(listview *lv, view *v)
{
	const listview_ops *o = lv->ops;
	char label[256], keys[LV_MAX_COLUMNS + 3];
	int map[LV_MAX_COLUMNS], w[LV_MAX_COLUMNS], nk = 0, ch;
	size_t k = 0;
	/* the columns shown at the last draw's width, numbered left to right */
	fit_columns(o, lv->area_cols > 0 ? lv->area_cols : v->t->cols, w);
	k += (size_t)snprintf(label, sizeof label, "sort:");
	for (int c = 0; c < o->ncolumns && nk < 9; c++) {
		if (!o->columns[c].compare || !w[c])
			continue;
		map[nk] = c;
		keys[nk] = (char)('1' + nk);
		if (k < sizeof label)
			k += (size_t)snprintf(label + k, sizeof label - k, " %d %s", nk + 1, o->columns[c].title);
		nk++;
	}
	if (nk == 0) {
		tui_set_status(v->t, "this list has one order");
		return;
	}
	keys[nk++] = '0';
	keys[nk] = '\0';
	if (k < sizeof label)
		snprintf(label + k, sizeof label - k, " 0 listed; again reverses");
	if (!(ch = tui_ask_key(v->t, label, keys)))
		return;
	if (ch == '0') {
		lv->sort_col = -1;
		lv->sort_rev = 0;
	} else {
		int c = map[ch - '1'];
		if (lv->sort_col == c)
			lv->sort_rev = !lv->sort_rev;
		else {
			lv->sort_col = c;
			lv->sort_rev = 0;
		}
	}
	listview_rebuild(lv, v);
	lv->sel = 0;
	lv->top = 0;
}

typedef struct {
	listview *lv;
	view *v;
} export_ctx;

static int export_write(FILE *f, tui_export_format fmt, void *ctx)
{
	export_ctx *x = ctx;
	if (x->lv->ops->export_rows)
		return x->lv->ops->export_rows(x->v, f, fmt);
	return listview_write_cells(x->lv, x->v, f, fmt);
}

int listview_write_cells(listview *lv, view *v, FILE *f, tui_export_format fmt)
{
	const listview_ops *o = lv->ops;
	char buf[1024];
	if (fmt == TUI_EXPORT_CSV) {
		out_csv csv;
		out_csv_init(&csv, f);
		for (int c = 0; c < o->ncolumns; c++)
			out_csv_cell(&csv, o->columns[c].title);
		out_csv_end(&csv);
		for (int i = 0; i < lv->shown; i++) {
			for (int c = 0; c < o->ncolumns; c++) {
				buf[0] = '\0';
				o->cell(v, lv->order[i], c, buf, sizeof buf);
				out_csv_cell(&csv, buf);
			}
			out_csv_end(&csv);
		}
		return 0;
	}
	/* text: every column at its widest (max_width, or its title / min) */
	for (int i = -1; i < lv->shown; i++) {
		for (int c = 0; c < o->ncolumns; c++) {
			const lv_column *k = &o->columns[c];
			int wdt = k->max_width ? k->max_width : k->min_width;
			char vis[1100];
			buf[0] = '\0';
			if (i < 0)
				snprintf(buf, sizeof buf, "%s", k->title);
			else
				o->cell(v, lv->order[i], c, buf, sizeof buf);
			out_visible(buf, vis, sizeof vis, 0);
			if (c == o->ncolumns - 1 && k->align == LV_LEFT)
				fprintf(f, "%s", vis);
			else
				fprintf(f, k->align == LV_RIGHT ? "%*s " : "%-*s ", wdt, vis);
		}
		fputc('\n', f);
	}
	return 0;
}

static int handle(listview *lv, view *v, tui_action a, int ch)
{
	int page = lv->page > 1 ? lv->page : 1, last = lv->shown ? lv->shown - 1 : 0;
	(void)ch;
	switch (a) {
	case ACT_UP:
		if (lv->sel == 0 && more(lv, v, LV_MORE_PREV) && lv->sel > 0)
			lv->sel--;
		else if (lv->sel > 0)
			lv->sel--;
		return 1;
	case ACT_DOWN:
		if (lv->sel >= last)
			more(lv, v, LV_MORE_NEXT);
		if (lv->sel + 1 < lv->shown)
			lv->sel++;
		return 1;
	case ACT_PAGE_UP:
		if (lv->sel - page < 0)
			more(lv, v, LV_MORE_PREV);
		lv->sel = lv->sel > page ? lv->sel - page : 0;
		return 1;
	case ACT_PAGE_DOWN:
		if (lv->sel + page > last)
			more(lv, v, LV_MORE_NEXT);
		last = lv->shown ? lv->shown - 1 : 0;
		lv->sel = lv->sel + page < last ? lv->sel + page : last;
		return 1;
	case ACT_HOME:
		more(lv, v, LV_MORE_FIRST);
		lv->sel = 0;
		return 1;
	case ACT_END:
		more(lv, v, LV_MORE_LAST);
		lv->sel = lv->shown ? lv->shown - 1 : 0;
		return 1;
	case ACT_SEARCH: filter_live(lv, v); return 1;
	case ACT_SEARCH_NEXT: next_match(lv, v); return 1;
	case ACT_SORT: sort_menu(lv, v); return 1;
	case ACT_ENTER:
		if (!lv->ops->enter)
			return 0;
		if (listview_selected(lv) >= 0)
			lv->ops->enter(v, listview_selected(lv));
		return 1;
	case ACT_EXPORT: {
		char stem[200];
		export_ctx x = { lv, v };
		snprintf(stem, sizeof stem, "%s%s%.100s", lv->ops->export_kind ? lv->ops->export_kind : v->ops->name,
		         v->has_account ? "-" : "", v->has_account ? v->account.name : "");
		tui_export(v->t, stem, export_write, &x);
		return 1;
	}
	default: return 0;
	}
}

int listview_handle(listview *lv, view *v, tui_action a, int ch)
{
	int taken = handle(lv, v, a, ch);
	if (taken)
		note_selection(lv, v);
	return taken;
}
