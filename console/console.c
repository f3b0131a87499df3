/* console.c: the console's main loop, the view stack, the chrome (title
 * and key bar), live refresh and cancellable queries. Prompts: prompt.c. */
#include <langinfo.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../core/columns.h"
#include "../core/tm.h"
#include "../data/out.h"
#include "tui.h"

#define MIN_ROWS 24
#define MIN_COLS 80

int tui_attr(const tui *t, int pair)
{
	if (t->color)
		switch (pair) {
		case CP_TITLE: return COLOR_PAIR(CP_TITLE) | A_BOLD;
		case CP_BAD: return COLOR_PAIR(CP_BAD) | A_BOLD;
		case CP_SELECT: return A_REVERSE;
		default: return COLOR_PAIR(pair);
		}
	switch (pair) {
	case CP_TITLE: return A_REVERSE;
	case CP_BAD: return A_BOLD;
	case CP_WARN: return A_BOLD;
	case CP_SELECT: return A_REVERSE;
	case CP_DIM: return A_DIM;
	default: return A_NORMAL;
	}
}

void tui_set_status(tui *t, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(t->status, sizeof t->status, fmt, ap);
	va_end(ap);
	t->status_at = tm_mono_ms();
	t->dirty = 1;
}

/* Text that does not fit ends with an ellipsis (col_clip: U+2026 in UTF-8,
 * "~" in ASCII), measured in display columns, so nothing is cut without a
 * sign; the screen's right edge counts as the end of the field. */
void tui_text(tui *t, int y, int x, int width, const char *s)
{
	char vis[1024], fit[1024];
	if (y < 0 || y >= t->rows || x < 0 || x >= t->cols)
		return;
	if (width > t->cols - x)
		width = t->cols - x;
	if (width <= 0)
		return;
	out_visible(s, vis, sizeof vis, t->ascii);
	col_clip(vis, width, t->ascii, fit, sizeof fit);
	mvaddstr(y, x, fit);
}

void tui_textf(tui *t, int y, int x, int width, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	tui_text(t, y, x, width, buf);
}

void tui_hline(tui *t, int y, int x, int width)
{
	if (y < 0 || y >= t->rows)
		return;
	move(y, x);
	if (t->ascii) {
		for (int i = 0; i < width; i++)
			addch('-');
	} else {
		for (int i = 0; i < width; i++)
			addstr("\xe2\x94\x80"); /* U+2500 */
	}
}

/* Bars: series 0 draws solid blocks (or '#'), series 1 shaded (or '='), so
 * the two read apart without colour. UTF-8 bars have 1/8-cell resolution. */
void tui_bar(tui *t, int y, int x, int width, int64_t value, int64_t max, int series)
{
	static const char *const eighths[] = { "", "\xe2\x96\x8f", "\xe2\x96\x8e", "\xe2\x96\x8d", "\xe2\x96\x8c",
	                                       "\xe2\x96\x8b", "\xe2\x96\x8a", "\xe2\x96\x89" };
	int64_t units;
	if (width <= 0 || max <= 0 || value <= 0 || y < 0 || y >= t->rows)
		return;
	units = value * width * 8 / max;
	if (units > (int64_t)width * 8)
		units = (int64_t)width * 8;
	if (units == 0)
		units = 1; /* anything non-zero shows */
	move(y, x);
	attron(tui_attr(t, series ? CP_BAR2 : CP_BAR1));
	if (t->ascii) {
		for (int64_t i = 0; i < (units + 7) / 8; i++)
			addch(series ? '=' : '#');
	} else if (series) {
		for (int64_t i = 0; i < (units + 7) / 8; i++)
			addstr("\xe2\x96\x92"); /* medium shade */
	} else {
		for (int64_t i = 0; i < units / 8; i++)
			addstr("\xe2\x96\x88"); /* full block */
		addstr(eighths[units % 8]);
	}
	attroff(tui_attr(t, series ? CP_BAR2 : CP_BAR1));
}

int tui_scroll(tui_action a, int *top, int page, int n)
{
	switch (a) {
	case ACT_UP: if (*top > 0) (*top)--; return 1;
	case ACT_DOWN: if (*top < n) (*top)++; return 1;
	case ACT_PAGE_UP: *top = *top > page ? *top - page : 0; return 1;
	case ACT_PAGE_DOWN: *top = *top + page < n ? *top + page : n; return 1;
	case ACT_HOME: *top = 0; return 1;
	case ACT_END: *top = n; return 1;
	default: return 0;
	}
}

int tui_contains(const char *h, const char *n)
{
	size_t nl = strlen(n);
	if (nl == 0)
		return 1;
	for (; *h; h++) {
		size_t i = 0;
		while (i < nl && h[i] && (h[i] | 0x20) == (n[i] | 0x20)
		       && ((h[i] >= 'A' && h[i] <= 'Z') || (h[i] >= 'a' && h[i] <= 'z') || h[i] == n[i]))
			i++;
		if (i == nl)
			return 1;
	}
	return 0;
}

view *tui_top(tui *t)
{
	return t->depth ? t->stack[t->depth - 1] : NULL;
}

/* A new view, opened (its data loaded) but on no stack; NULL when its
 * open failed (the status line says why). The caller owns it. */
static view *view_make(tui *t, const view_ops *ops, const account_info *account, const int64_t *period)
{
	view *v;
	if (!(v = calloc(1, sizeof *v))) {
		endwin();
		fprintf(stderr, "billtop: out of memory\n");
		exit(1);
	}
	v->ops = ops;
	v->t = t;
	if (account) {
		v->has_account = 1;
		v->account = *account;
	}
	if (period) {
		v->has_period = 1;
		v->period_from = period[0];
		v->period_to = period[1];
	}
	snprintf(v->title, sizeof v->title, "%s", ops->name);
	/* priv_size: the console's zeroed priv, freed after close (below) */
	if (ops->priv_size && !(v->priv = calloc(1, ops->priv_size))) {
		free(v);
		tui_set_status(t, "%s: out of memory", ops->name);
		return NULL;
	}
	if (ops->open && ops->open(v) != 0) {
		if (ops->close)
			ops->close(v);
		if (ops->priv_size)
			free(v->priv);
		free(v);
		t->dirty = 1;
		return NULL;
	}
	return v;
}

static void view_free(view *v)
{
	if (v->ops->close)
		v->ops->close(v);
	if (v->ops->priv_size)
		free(v->priv); /* the console's (priv_size); close freed only what is inside */
	free(v);
}

static int push(tui *t, const view_ops *ops, const account_info *account, const int64_t *period)
{
	view *v;
	if (t->depth >= TUI_MAX_VIEWS) {
		tui_set_status(t, "too many screens open: press q to go back");
		return -1;
	}
	if (!(v = view_make(t, ops, account, period)))
		return -1;
	t->stack[t->depth++] = v;
	t->dirty = 1;
	return 0;
}

int tui_push(tui *t, const view_ops *ops, const account_info *account)
{
	return push(t, ops, account, NULL);
}

int tui_push_period(tui *t, const view_ops *ops, const account_info *account, int64_t from, int64_t to)
{
	int64_t period[2] = { from, to };
	return push(t, ops, account, period);
}

int tui_replace(tui *t, const view_ops *ops, const account_info *account)
{
	view *v;
	if (t->depth == 0)
		return tui_push(t, ops, account);
	/* the new view opens while the old one is still there: when it
	 * fails, the user stays where they were */
	if (!(v = view_make(t, ops, account, NULL)))
		return -1;
	view_free(t->stack[t->depth - 1]);
	t->stack[t->depth - 1] = v;
	t->dirty = 1;
	return 0;
}

void tui_pop(tui *t)
{
	view *v;
	if (t->depth == 0)
		return;
	v = t->stack[--t->depth];
	view_free(v);
	t->dirty = 1;
}

/* ---- cancellable queries -------------------------------------------- */

/* Keys typed while a query runs: Esc cancels it, the others are kept and
 * handed back (ungetch) when the query ends, so no keystroke is lost. */
static int typed[32], ntyped;
static int swallow_escape(int delay);

static int progress_handler(void *ctx)
{
	tui *t = ctx;
	static const char spin[] = "|/-\\";
	static int n;
	int ch;
	mvaddch(t->rows - 1, t->cols - 2, (chtype)spin[n++ % 4]);
	refresh();
	/* a full buffer leaves the rest in the terminal's queue, read after the
	 * replayed keys: a burst (60 x PgDn while the PostgreSQL store answers)
	 * once lost every key past the 32nd */
	while (ntyped < (int)(sizeof typed / sizeof typed[0]) && (ch = getch()) != ERR) {
		if (ch == 27 && swallow_escape(0))
			continue; /* an unknown sequence or Alt+key: not a cancel */
		if (ch == 27) {
			t->cancelled = 1;
			return 1; /* interrupts the query: DB_EINTERRUPT */
		}
		typed[ntyped++] = ch;
	}
	return 0;
}

int tui_busy_poll(void *t)
{
	return progress_handler(t);
}

void tui_busy_begin(tui *t, const char *what)
{
	t->cancelled = 0;
	ntyped = 0;
	move(t->rows - 1, 0);
	clrtoeol();
	attron(tui_attr(t, CP_WARN));
	tui_textf(t, t->rows - 1, 0, t->cols - 3, "%s... (Esc cancels)", what);
	attroff(tui_attr(t, CP_WARN));
	refresh();
	nodelay(stdscr, TRUE);
	db_set_progress(t->db, 20000, progress_handler, t);
}

void tui_busy_end(tui *t)
{
	db_set_progress(t->db, 0, NULL, NULL);
	timeout(TUI_POLL_MS);
	while (ntyped > 0)
		ungetch(typed[--ntyped]); /* last pushed is read first: push in reverse */
	if (t->cancelled)
		tui_set_status(t, "cancelled");
	t->dirty = 1;
}

/* ---- keys ------------------------------------------------------------- */

#define ESC_DELAY_MS 25   /* set_escdelay: how long a sequence may take to arrive */

/* What follows an Esc that keypad() did not turn into a key: a terminal
 * sequence the terminal description does not know (F10 or PgDn under
 * TERM=vt100 arrive as ESC [ 2 1 ~, ESC [ 6 ~), or Alt+key (ESC x).
 * Their bytes are already here (ncurses waited ESC_DELAY_MS for them), so
 * the first is read without waiting; a lone Esc finds nothing. Returns 1
 * when something followed (and was swallowed, up to the sequence's final
 * byte), 0 for a lone Esc. Leaves the timeout at `delay`. */
static int swallow_escape(int delay)
{
	int c;
	timeout(0);
	c = getch();
	if (c == ERR || c == KEY_RESIZE) {
		/* a resize is no byte of a sequence but a signal that came in the
		 * same moment (tmux resizing while Esc travels): the Esc is lone,
		 * the resize read next. Swallowed, it lost both: the prompt stayed
		 * open and took the next keys (test_figures, once, under load) */
		if (c == KEY_RESIZE)
			ungetch(c);
		timeout(delay);
		return 0;
	}
	timeout(ESC_DELAY_MS);
	if (c == '[') {
		/* CSI: parameter and intermediate bytes, then one final byte 0x40-0x7e */
		for (int i = 0; i < 32 && (c = getch()) != ERR; i++)
			if (c >= 0x40 && c <= 0x7e)
				break;
	} else if (c == 'O') {
		(void)getch(); /* SS3: one byte */
	}
	/* else Alt+key, or a key ncurses decoded after the Esc: gone too */
	timeout(delay);
	return 1;
}

int tui_read_key(int delay)
{
	int ch;
	timeout(delay);
	ch = getch();
	if (ch == 27 && swallow_escape(delay))
		return 0;
	return ch;
}

/* ---- chrome ------------------------------------------------------------- */

int64_t tui_as_of(const tui *t)
{
	return t->as_of != TM_NONE ? t->as_of : db_now();
}

/* A: ask for the as-of time (empty: now) and reload every screen. */
static void ask_as_of(tui *t)
{
	char buf[64] = "", cur[32] = "";
	int64_t at;
	if (t->as_of != TM_NONE)
		tm_format(t->as_of, cur, sizeof cur);
	if (!tui_prompt(t, "as of (YYYY-MM-DD[ HH:MM[:SS]], empty: now):", cur, buf, sizeof buf))
		return;
	if (!buf[0]) {
		t->as_of = TM_NONE;
	} else if (tm_parse_utc(buf, strlen(buf), &at) == TM_OK) {
		t->as_of = at;
	} else {
		tui_set_status(t, "as of \"%s\": not a time (YYYY-MM-DD[ HH:MM[:SS]])", buf);
		return;
	}
	for (int i = 0; i < t->depth; i++)
		if (t->stack[i]->ops->reload)
			t->stack[i]->ops->reload(t->stack[i]);
	if (t->as_of != TM_NONE) {
		tm_format(t->as_of, cur, sizeof cur);
		tui_set_status(t, "figures as of %s UTC: later records are shown apart (A, empty: back to now)", cur);
	}
	t->dirty = 1;
}

/* v's title for width columns (its own when it can shorten it) */
static void view_title(view *v, int width, char *buf, size_t n)
{
	if (v && v->ops->title)
		v->ops->title(v, width, buf, n);
	else
		snprintf(buf, n, "%s", v ? v->title : "");
}

static void draw_chrome(tui *t, view *v)
{
	char when[32], title[256], vt[240];
	int room = t->cols - 30, len; /* room: before the clock */
	/* the title bar shows the clock, or the as-of time when one is set */
	tm_format(tui_as_of(t), when, sizeof when);
	move(0, 0);
	attron(tui_attr(t, CP_TITLE));
	for (int i = 0; i < t->cols; i++)
		addch(' ');
	/* "billtop  " gives way when that makes the view's title fit; a
	 * title too long either way keeps it and is cut (an ellipsis) */
	view_title(v, room, title, sizeof title);
	len = (int)strlen(title);
	if (len <= room - 9 || len > room) { /* fits with it, or not even without it */
		view_title(v, room - 9, vt, sizeof vt);
		snprintf(title, sizeof title, "billtop  %s", vt);
	}
	tui_text(t, 0, 1, room, title);
	if (t->as_of != TM_NONE)
		tui_textf(t, 0, t->cols - 28, 28, "%sAS OF %.19s", t->read_only ? "RO " : "   ", when);
	else
		tui_textf(t, 0, t->cols - 28, 28, "%s%.16s UTC", t->read_only ? "RO " : "   ", when);
	attroff(tui_attr(t, CP_TITLE));
}

/* The bottom bar, drawn after the screen: the key hints, or the status
 * message. A message wider than the screen is never cut: it wraps onto as
 * many lines above the bar as it needs (at most STATUS_LINES, which the
 * 255-byte message never exceeds at 80 columns), breaking at blanks, over
 * the screen's last rows until the message goes (8 s or the next key). */
#define STATUS_LINES 4
static void draw_status(tui *t, view *v)
{
	char vis[1024], line[STATUS_LINES][512];
	const char *p = vis;
	int n = 0, w = t->cols - 1;
	move(t->rows - 1, 0);
	clrtoeol();
	if (!t->status[0] || tm_mono_ms() - t->status_at >= 8000) {
		/* the screen's own keys are cut (with an ellipsis: ? lists them
		 * all) before the keys that lead on: help, back, quit */
		static const char tail[] = "  ? help  q back  Q quit";
		const char *hints = v && v->ops->hints ? v->ops->hints : "";
		int hw = w - (int)strlen(tail);
		attron(tui_attr(t, CP_DIM));
		tui_text(t, t->rows - 1, 0, hw, hints);
		out_visible(hints, vis, sizeof vis, t->ascii);
		hw = col_width(vis) < hw ? col_width(vis) : hw;
		tui_text(t, t->rows - 1, hw, w - hw, tail);
		attroff(tui_attr(t, CP_DIM));
		return;
	}
	out_visible(t->status, vis, sizeof vis, t->ascii);
	while (*p && n < STATUS_LINES) {
		size_t k = col_fit(p, w, NULL), b = k;
		if (p[k] && n < STATUS_LINES - 1) {
			while (b > 0 && p[b] != ' ')   /* break at the last blank that fits */
				b--;
			if (b == 0)
				b = k;
		} else if (p[k]) {
			b = strlen(p);   /* the last line: col_clip ends it with an ellipsis */
		}
		snprintf(line[n++], sizeof line[0], "%.*s", (int)b, p);
		p += b;
		while (*p == ' ')
			p++;
	}
	attron(tui_attr(t, CP_WARN));
	for (int i = 0; i < n; i++) {
		int y = t->rows - n + i;
		char fit[512];
		move(y, 0);
		clrtoeol();
		col_clip(line[i], w, t->ascii, fit, sizeof fit);   /* already made visible */
		mvaddstr(y, 0, fit);
	}
	attroff(tui_attr(t, CP_WARN));
}

void tui_draw(tui *t)
{
	view *v = tui_top(t);
	getmaxyx(stdscr, t->rows, t->cols);
	erase();
	if (t->rows < MIN_ROWS || t->cols < MIN_COLS) {
		mvprintw(0, 0, "terminal too small: %dx%d", t->cols, t->rows);
		mvprintw(1, 0, "billtop needs at least %dx%d", MIN_COLS, MIN_ROWS);
		mvprintw(2, 0, "(resize, or press Q to quit)");
		refresh();
		t->dirty = 0;
		return;
	}
	draw_chrome(t, v);
	if (v && v->ops->draw)
		v->ops->draw(v, 1, t->rows - 2, t->cols);
	draw_status(t, v);
	refresh();
	t->dirty = 0;
}

static void init_colors(tui *t, int no_color)
{
	const char *nc = getenv("NO_COLOR");
	t->color = !no_color && !(nc && *nc) && has_colors();
	if (!t->color)
		return;
	start_color();
	use_default_colors();
	init_pair(CP_TITLE, COLOR_WHITE, COLOR_BLUE);
	init_pair(CP_GOOD, COLOR_GREEN, -1);
	init_pair(CP_BAD, COLOR_RED, -1);
	init_pair(CP_WARN, COLOR_YELLOW, -1);
	init_pair(CP_DIM, COLOR_CYAN, -1);
	init_pair(CP_BAR1, COLOR_GREEN, -1);
	init_pair(CP_BAR2, COLOR_MAGENTA, -1);
	init_pair(CP_SELECT, COLOR_BLACK, COLOR_CYAN);
}

int tui_run(const char *db_path, int read_only, int ascii, int no_color)
{
	int64_t started_ms = tm_mono_ms();
	tui t;
	char msg[600];
	int flags = read_only ? DB_OPEN_READONLY : 0;
	const char *cs;

	memset(&t, 0, sizeof t);
	t.db_path = db_path;
	t.as_of = TM_NONE;
	if (db_open(db_path, flags, &t.db, msg, sizeof msg) != DB_OK) {
		fprintf(stderr, "billtop: %s\n", msg);
		return 1;
	}
	t.read_only = db_read_only(t.db);
	cs = nl_langinfo(CODESET);
	t.ascii = ascii || !cs || strcmp(cs, "UTF-8") != 0;
	if (!initscr()) {
		fprintf(stderr, "billtop: cannot initialise the terminal (TERM=%s)\n", getenv("TERM"));
		db_close(t.db);
		return 1;
	}
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(ESC_DELAY_MS);
	curs_set(0);
	timeout(TUI_POLL_MS);
	init_colors(&t, no_color);
	getmaxyx(stdscr, t.rows, t.cols);
	t.running = 1;
	t.data_version = db_data_version(t.db);
	if (t.read_only)
		tui_set_status(&t, "read-only: viewing only, no ledger entries can be posted");
	tui_push(&t, &view_accounts_ops, NULL);
	t.dirty = 1;
	/* $BILLTOP_LATENCY_LOG: append how long start-up and each key took,
	 * from the moment the key was read to the moment the screen was
	 * updated (after refresh()): the figures `make bench` reports. */
	FILE *latency = getenv("BILLTOP_LATENCY_LOG") ? fopen(getenv("BILLTOP_LATENCY_LOG"), "a") : NULL;
	int64_t key_at = -1;
	int last_key = 0;
	while (t.running && t.depth > 0) {
		int ch;
		tui_action a;
		view *v;
		if (t.dirty) {
			tui_draw(&t);
			if (latency && key_at < 0 && started_ms >= 0) {
				fprintf(latency, "startup %lld\n", (long long)(tm_mono_ms() - started_ms));
				started_ms = -1;
			} else if (latency && key_at >= 0) {
				fprintf(latency, "key %d %lld\n", last_key, (long long)(tm_mono_ms() - key_at));
			}
			if (latency)
				fflush(latency);
		}
		key_at = -1;
		ch = tui_read_key(TUI_POLL_MS);
		if (ch == 0) /* an escape sequence nobody knows, or NUL: ignored */
			continue;
		if (ch != ERR && ch != KEY_RESIZE) {
			key_at = tm_mono_ms();
			last_key = ch;
		}
		if (ch == ERR) {
			int64_t dv = db_data_version(t.db);
			if (dv != t.data_version) {
				t.data_version = dv;
				for (int i = 0; i < t.depth; i++)
					if (t.stack[i]->ops->reload)
						t.stack[i]->ops->reload(t.stack[i]);
				t.dirty = 1;
			} else if (t.status[0] && tm_mono_ms() - t.status_at >= 8000) {
				t.status[0] = '\0';
				t.dirty = 1;
			} else {
				/* the clock in the title bar */
				static int64_t last;
				if (tm_mono_ms() - last > 15000) {
					last = tm_mono_ms();
					t.dirty = 1;
				}
			}
			continue;
		}
		if (ch == KEY_RESIZE) {
			t.dirty = 1;
			continue;
		}
		t.status[0] = '\0';
		a = tui_action_for_key(ch);
		v = tui_top(&t);
		if (t.rows < MIN_ROWS || t.cols < MIN_COLS) {
			if (a == ACT_QUIT)
				t.running = 0;
			continue;
		}
		if (v && v->ops->handle && v->ops->handle(v, a, ch)) {
			t.dirty = 1;
			continue;
		}
		switch (a) {
		case ACT_QUIT: t.running = 0; break;
		case ACT_BACK:
			/* Esc and Backspace go back, never out: on the first screen
			 * only q (and Q anywhere) quits */
			if (t.depth > 1)
				tui_pop(&t);
			else if (ch == 'q')
				t.running = 0;
			else
				tui_set_status(&t, "the first screen: q or Q quits");
			break;
		case ACT_HELP: tui_push(&t, &view_help_ops, v && v->has_account ? &v->account : NULL); break;
		case ACT_REFRESH:
			for (int i = 0; i < t.depth; i++)
				if (t.stack[i]->ops->reload)
					t.stack[i]->ops->reload(t.stack[i]);
			clearok(stdscr, TRUE);
			t.dirty = 1;
			break;
		case ACT_AS_OF: ask_as_of(&t); break;
		case ACT_NONE: break;
		default:
			tui_set_status(&t, "%s: not on this screen", tui_action_def_of(a) ? tui_action_def_of(a)->help : "key");
			break;
		}
	}
	while (t.depth)
		tui_pop(&t);
	if (latency)
		fclose(latency);
	endwin();
	db_close(t.db);
	return 0;
}
