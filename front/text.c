/* text.c: money, times and record text as both front ends print them. */
#include "text.h"

#include <string.h>

#include "../core/columns.h"
#include "../core/tm.h"
#include "../data/out.h"

const char *cli_vis(const char *s)
{
	static char buf[8][1024];
	static int slot;
	char *b = buf[slot++ % 8];
	out_visible(s ? s : "", b, sizeof buf[0], 0);
	return b;
}

const char *cli_money(money_t v, int decimals)
{
	static char buf[16][40];
	static int slot;
	char *b = buf[slot++ % 16];
	money_format(v, decimals, b, sizeof buf[0]);
	return b;
}

const char *cli_time_text(int64_t t)
{
	static char buf[8][32];
	static int slot;
	char *b = buf[slot++ % 8];
	if (t == TM_NONE)
		return "-";
	tm_format(t, b, sizeof buf[0]);
	return b;
}

const char *cli_col(const char *s, int cols)
{
	static char buf[8][1024];
	static int slot;
	char vis[1024], *b = buf[slot++ % 8];
	size_t n;
	int w;
	out_visible(s ? s : "", vis, sizeof vis, 0);
	col_clip(vis, cols, 1, b, sizeof buf[0]);
	w = col_width(b);
	for (n = strlen(b); w < cols && n + 1 < sizeof buf[0]; w++, n++) {
		b[n] = ' ';
		b[n + 1] = '\0';
	}
	return b;
}
