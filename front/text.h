/* text.h: money, times and record text as both front ends print them
 * (the CLI's text forms, the console's screens, the shared renderers). */
#ifndef BILLTOP_TEXT_H
#define BILLTOP_TEXT_H

#include <stdint.h>
#include "../core/money.h"

/* s made visible for a terminal (out_visible), in a static rotating buffer
 * (8 slots, cut at 1023 bytes): for names, paths and record text printed
 * by the text forms of the commands. */
const char *cli_vis(const char *s);

/* v with `decimals` places, in a static rotating buffer (16 slots). */
const char *cli_money(money_t v, int decimals);
/* "YYYY-MM-DD HH:MM:SS" or "-", in a static rotating buffer (8 slots). */
const char *cli_time_text(int64_t t);

/* s made visible and fitted to a column of `cols` display columns, padded
 * with blanks; longer text is cut and ends with "~" (col_clip's ASCII
 * sign: the same bytes whatever the locale, so a console export equals the
 * command's output). In a static rotating buffer (8 slots). For the text
 * forms' fixed columns; the CSV and JSON forms carry every value whole. */
const char *cli_col(const char *s, int cols);

#endif
