/* prompt.c: the console's one-line dialogues at the bottom row: a text
 * (tui_prompt), one key of a set (tui_ask_key, tui_confirm) and the notes
 * above them (tui_prompt_note). Each redraws the whole screen on a resize
 * (tui_draw) and then itself, with what was typed. */
#include <stdio.h>
#include <string.h>

#include "../core/columns.h"
#include "../data/out.h"
#include "tui.h"

/* The dialogue's lines above the prompt (tui_prompt_note), kept so that a
 * resize can draw them again. */
static char prompt_notes[2][320];
static int prompt_has_notes[2];

static void draw_prompt_notes(tui *t)
{
	for (int i = 0; i < 2; i++) {
		int y = t->rows - 3 + i;
		if (!prompt_has_notes[i])
			continue;
		move(y, 0);
		clrtoeol();
		tui_text(t, y, 0, t->cols, prompt_notes[i]);
	}
}

void tui_prompt_note(tui *t, const char *l1, const char *l2)
{
	const char *l[2] = { l1, l2 };
	for (int i = 0; i < 2; i++) {
		int y = t->rows - 3 + i;
		if (prompt_has_notes[i] || l[i]) {   /* a blank row where a note was */
			move(y, 0);
			clrtoeol();
		}
		prompt_has_notes[i] = l[i] != NULL;
		snprintf(prompt_notes[i], sizeof prompt_notes[i], "%s", l[i] ? l[i] : "");
	}
	draw_prompt_notes(t);
}

/* KEY_RESIZE while a prompt is open: the whole screen is laid out again at
 * the new size (the view, the chrome), then the prompt draws itself, with
 * what was typed, on the new bottom line. */
static void prompt_resized(tui *t)
{
	getmaxyx(stdscr, t->rows, t->cols);
	tui_draw(t);
}

/* One prompt line: the label in bold, then the field. Input wider than the
 * room left shows its tail after an ellipsis (the start is cut, and says
 * so); the cursor stays at the end of the input. */
static void draw_prompt_line(tui *t, const char *label, const char *buf)
{
	int y = t->rows - 1, lw, room;
	char vis[600];
	const char *shown = buf;
	draw_prompt_notes(t);
	move(y, 0);
	clrtoeol();
	attron(A_BOLD);
	tui_text(t, y, 0, t->cols - 2, label);
	attroff(A_BOLD);
	out_visible(label, vis, sizeof vis, t->ascii);
	lw = col_width(vis);
	if (lw > t->cols - 2)
		lw = t->cols - 2;
	room = t->cols - lw - 2;
	if (room < 2)
		room = 2;
	out_visible(buf, vis, sizeof vis, t->ascii);
	if (col_width(vis) <= room) {
		tui_text(t, y, lw + 1, room, buf);
		return;
	}
	while (*shown) {   /* the tail that fits after the ellipsis */
		shown++;
		while ((*shown & 0xc0) == 0x80)
			shown++;
		out_visible(shown, vis, sizeof vis, t->ascii);
		if (col_width(vis) <= room - 1)
			break;
	}
	mvaddstr(y, lw + 1, col_ellipsis(t->ascii));
	tui_text(t, y, lw + 2, room - 1, shown);
}

/* The next key with the prompt line drawn (label, then buf), the screen
 * laid out again at each resize meanwhile. */
static int prompt_key(tui *t, const char *label, const char *buf)
{
	int ch;
	for (;;) {
		draw_prompt_line(t, label, buf);
		refresh();
		if ((ch = tui_read_key(-1)) != KEY_RESIZE)
			return ch;
		prompt_resized(t);
	}
}

/* A dialogue's end: the cursor hidden, the poll back, the screen redrawn. */
static int prompt_end(tui *t, int ret)
{
	curs_set(0);
	timeout(TUI_POLL_MS);
	t->dirty = 1;
	return ret;
}

int tui_prompt(tui *t, const char *label, const char *initial, char *buf, size_t n)
{
	size_t len;
	int ch;
	snprintf(buf, n, "%s", initial ? initial : "");
	len = strlen(buf);
	curs_set(1);
	for (;;) {
		ch = prompt_key(t, label, buf);
		if (ch == 27)
			return prompt_end(t, 0);
		if (ch == '\n' || ch == '\r' || ch == KEY_ENTER)
			return prompt_end(t, 1);
		if ((ch == KEY_BACKSPACE || ch == 127 || ch == 8) && len > 0)
			buf[--len] = '\0';
		else if (ch == 21) /* ^U */
			buf[len = 0] = '\0';
		else if (ch >= 32 && ch < 256 && ch != 127 && len + 1 < n) {
			buf[len++] = (char)ch;
			buf[len] = '\0';
		}
	}
}

int tui_ask_key(tui *t, const char *label, const char *keys)
{
	int ch;
	curs_set(1);
	for (;;) {
		ch = prompt_key(t, label, "");
		if (ch == 27)
			return prompt_end(t, 0);
		if (ch == KEY_ENTER)
			ch = '\r';
		if (ch > 0 && ch < 128 && strchr(keys, ch))
			return prompt_end(t, ch);
		/* a letter asked for in the other case: y for Y, F for f */
		if (ch > 0 && ch < 128 && ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z'))
		    && strchr(keys, ch ^ 0x20))
			return prompt_end(t, ch ^ 0x20);
	}
}

int tui_confirm(tui *t, const char *label)
{
	/* Enter answers as n does: nothing is done without a y */
	int ch = tui_ask_key(t, label, "yn\r\n");
	return ch == 'y';
}

