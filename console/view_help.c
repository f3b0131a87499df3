/* view_help.c: the help screen, generated from the action table. */
#include <stdlib.h>

#include "tui.h"

typedef struct {
	int top;
	int page;                  /* lines shown by the last draw */
} help_priv;

static int help_open(view *v)
{
	if (!(v->priv = calloc(1, sizeof(help_priv))))
		return -1;
	snprintf(v->title, sizeof v->title, "help");
	return 0;
}

static void help_close(view *v)
{
	free(v->priv);
}

static int count(void)
{
	int n = 0;
	while (tui_actions[n].action != ACT_NONE)
		n++;
	return n;
}

static void help_draw(view *v, int top, int rows, int cols)
{
	help_priv *p = v->priv;
	tui *t = v->t;
	int n = count(), y = top;
	p->page = rows - 1;
	attron(A_BOLD);
	tui_text(t, y++, 0, cols, "KEYS (every F-key action also has a letter; no mouse needed)");
	attroff(A_BOLD);
	for (int i = p->top; i < n && y < top + rows; i++, y++) {
		const tui_action_def *d = &tui_actions[i];
		tui_textf(t, y, 2, cols - 2, "%-16s %-8s %s", d->keys, d->scope, d->help);
	}
}

static int help_handle(view *v, tui_action a, int ch)
{
	help_priv *p = v->priv;
	int n = count();
	int page = p->page > 1 ? p->page : 10; /* a whole page: the table outgrew two pages of 10 */
	if (a == ACT_DOWN || a == ACT_PAGE_DOWN) {
		if (p->top + 1 < n)
			p->top += a == ACT_DOWN ? 1 : page;
		if (p->top >= n)
			p->top = n - 1;
		return 1;
	}
	if (a == ACT_UP || a == ACT_PAGE_UP) {
		p->top -= a == ACT_UP ? 1 : page;
		if (p->top < 0)
			p->top = 0;
		return 1;
	}
	if (a == ACT_HELP)
		return 1;
	return 0;
}

const view_ops view_help_ops = {
	.name = "help",
	.open = help_open,
	.draw = help_draw,
	.handle = help_handle,
	.reload = NULL,
	.close = help_close,
	.hints = "Up/Down scroll",
};
