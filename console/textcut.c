/* textcut.c: tui_text_cut, text in a column with a visible sign when it
 * does not fit (issue 11: nothing is cut without an ellipsis). */
#include <string.h>

#include "tui.h"

void tui_text_cut(tui *t, int y, int x, int width, const char *s, int keep_tail)
{
	size_t len = strlen(s);
	const char *mark = t->ascii ? "~" : "\xe2\x80\xa6"; /* U+2026 HORIZONTAL ELLIPSIS */
	char buf[512];
	if (width <= 0)
		return;
	if (len <= (size_t)width || width < 2) {
		tui_text(t, y, x, width, s);
		return;
	}
	if (keep_tail) { /* the end matters (a file name): the mark, then the last width - 1 bytes */
		if (y >= 0 && y < t->rows)
			mvaddstr(y, x, mark); /* our constant: one display column */
		tui_text(t, y, x + 1, width - 1, s + len - (size_t)(width - 1));
		return;
	}
	snprintf(buf, sizeof buf, "%.*s", width - 1 < (int)sizeof buf - 1 ? width - 1 : (int)sizeof buf - 1, s);
	tui_text(t, y, x, width - 1, buf);
	if (y >= 0 && y < t->rows)
		mvaddstr(y, x + width - 1, mark);
}
