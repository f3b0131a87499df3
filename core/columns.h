/* columns.h: display columns (a terminal's cells) of UTF-8 text, and text
 * fitted to a width with a sign that it was cut. Used by the console's
 * tui_text (every string drawn on a screen) and the text forms that cut a
 * column (the statement's memo). Pure libc (wcwidth); no state. */
#ifndef BILLTOP_COLUMNS_H
#define BILLTOP_COLUMNS_H

#include <stddef.h>

/* Columns of s: wide (CJK, emoji) characters count 2, combining marks 0,
 * the rest 1; an invalid byte counts 1 (out_visible escapes those before
 * anything is shown). The locale's wcwidth decides where it knows the
 * character; a small table of wide ranges where it does not (the C locale
 * of scripts and tests). */
int col_width(const char *s);
/* How many bytes of s fit in `cols` columns without splitting a
 * character; *used (may be NULL) gets the columns they take. */
size_t col_fit(const char *s, int cols, int *used);
/* The sign that ends cut text: U+2026 "..." (one column) in UTF-8, "~" in
 * ASCII (as tig does). */
const char *col_ellipsis(int ascii);
/* s fitted to `cols` columns into buf (n bytes): whole when it fits, else
 * cut and ended with col_ellipsis(ascii), the whole at most `cols` wide.
 * Blanks left over at the end are not text: dropping them is no cut.
 * Returns 1 when s was cut. buf holds what fits of n - 1 bytes. */
int col_clip(const char *s, int cols, int ascii, char *buf, size_t n);

#endif
