/* graph_tui.c: a rendered graph (graph.h) onto the screen with the
 * console's attributes. The only curses in the graphs. */
#include "graph.h"
#include "tui.h"

void graph_put(tui *t, const graph_grid *g, int y, int x, int series)
{
	for (int r = 0; r < g->rows; r++) {
		if (y + r < 0 || y + r >= t->rows)
			continue;
		for (int c = 0; c < g->cols && x + c < t->cols; c++) {
			int k = g->kind[r * g->cols + c], attr;
			switch (k) {
			case GRAPH_K_BAR: attr = tui_attr(t, series ? CP_BAR2 : CP_BAR1); break;
			case GRAPH_K_LEGEND: attr = A_BOLD; break;
			case GRAPH_K_AXIS:
			case GRAPH_K_LABEL: attr = tui_attr(t, CP_DIM); break;
			default: attr = 0; break;
			}
			attron(attr);
			mvaddstr(y + r, x + c, g->cell[r * g->cols + c]);
			attroff(attr);
		}
	}
}
