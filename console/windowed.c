/* windowed.c: the selector, window stepping, export and text heading that
 * the usage, destinations, messaging and CNAM screens share. See
 * windowed.h. */
#include "windowed.h"

#include <string.h>

#include "../core/tm.h"
#include "../data/out.h"

int windowed_tabs(tui *t, int y, int x, int cols, const report_window *wins, int n, int cur)
{
	for (int i = 0; i < n; i++) {
		const char *name = report_window_name(wins[i]);
		if (i == cur)
			attron(tui_attr(t, CP_SELECT));
		tui_textf(t, y, x, cols - x, i == cur ? "[%s]" : " %s ", name);
		if (i == cur)
			attroff(tui_attr(t, CP_SELECT));
		x += (int)strlen(name) + 3;
	}
	return x;
}

int windowed_step(tui_action a, int cur, int n)
{
	return (cur + (a == ACT_RIGHT ? 1 : n - 1)) % n;
}

void windowed_export(view *v, int loaded, const char *kind, report_window w, tui_export_fn fn)
{
	char stem[160];
	if (!loaded) {
		tui_set_status(v->t, "nothing to export: press R to reload");
		return;
	}
	snprintf(stem, sizeof stem, "%s-%s-%s", kind, v->account.name, report_window_name(w));
	tui_export(v->t, stem, fn, v);
}

void windowed_heading(FILE *f, const account_info *a, const char *what, report_window w, int64_t from, int64_t to,
                      const char *extra)
{
	char name[200], f_text[24], t_text[24];
	out_visible(a->name, name, sizeof name, 0);
	tm_format(from, f_text, sizeof f_text);
	tm_format(to, t_text, sizeof t_text);
	fprintf(f, "%s %s, %s, %s to %s UTC%s (%s)\n", name, what, report_window_name(w), f_text, t_text, extra,
	        a->currency);
}

void windowed_begin(view *v, windowed_sel *s, report_window w, int64_t *from, int64_t *to)
{
	tui *t = v->t;
	account_info fresh;
	if (account_get(t->db, v->account.id, &fresh) == DB_OK)
		v->account = fresh;
	s->loaded = 0;
	report_window_range(w, tui_as_of(t), from, to);
}

int windowed_keys(view *v, windowed_sel *s, tui_action a, const report_window *wins, int n, int (*load)(view *v),
                  const char *kind, tui_export_fn fn)
{
	switch (a) {
	case ACT_LEFT:
	case ACT_RIGHT:
		s->win = windowed_step(a, s->win, n);
		s->top = 0;
		load(v);
		return 1;
	case ACT_EXPORT:
		windowed_export(v, s->loaded, kind, wins[s->win], fn);
		return 1;
	default:
		return 0;
	}
}
