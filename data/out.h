/* out.h: writing CSV (RFC 4180, via libcsv), JSON and terminal text safely.
 *
 * Every record field, memo, name or path billtop prints leaves through one
 * of these three, each with a contract stated where it is implemented
 * (out.c):
 *  - CSV: the stored bytes, quoted; a NUL becomes U+FFFD; cells that a
 *    spreadsheet would run as a formula (starting with = + - @, tab or CR)
 *    are neutralised with a leading apostrophe, except plain numbers such
 *    as "-12.50" which stay numbers.
 *  - JSON: always valid UTF-8 JSON: controls (C0, DEL, C1, U+2028/9) are
 *    \u escapes, bytes that are not UTF-8 become U+FFFD.
 *  - Terminal: out_visible makes every control, C1 and bidi character and
 *    every invalid byte a visible ASCII escape, so nothing can act on the
 *    terminal (colours, titles, the clipboard, the cursor).
 * The writers hold no state beyond the FILE they are given. */
#ifndef BILLTOP_OUT_H
#define BILLTOP_OUT_H

#include <stdint.h>
#include <stdio.h>
#include "../core/money.h"

typedef struct {
	FILE *f;
	int ncells;      /* cells written on the current line */
} out_csv;

void out_csv_init(out_csv *c, FILE *f);
void out_csv_cell(out_csv *c, const char *s);
void out_csv_celln(out_csv *c, const char *s, size_t n);   /* n bytes, NULs allowed */
void out_csv_int(out_csv *c, int64_t v);
void out_csv_money(out_csv *c, money_t v, int decimals);
void out_csv_time(out_csv *c, int64_t t);   /* "YYYY-MM-DD HH:MM:SS", empty for TM_NONE */
void out_csv_end(out_csv *c);               /* CRLF, as RFC 4180 says */

/* Minimal streaming JSON writer: the caller balances begin/end. */
typedef struct {
	FILE *f;
	int depth;
	int first[32];   /* 1 until the first member/element at each depth */
	char closer[32]; /* '}' or ']' for each open level */
	int pretty;
} out_json;

void out_json_init(out_json *j, FILE *f, int pretty);
void out_json_obj(out_json *j, const char *key);   /* key NULL inside arrays/top level */
void out_json_arr(out_json *j, const char *key);
void out_json_end(out_json *j);                     /* closes the innermost obj/arr */
void out_json_str(out_json *j, const char *key, const char *v);  /* v NULL -> null */
void out_json_strn(out_json *j, const char *key, const char *v, size_t n); /* NULs -> \u0000 */
void out_json_int(out_json *j, const char *key, int64_t v);
void out_json_bool(out_json *j, const char *key, int v);
void out_json_null(out_json *j, const char *key);
/* Money as a decimal string ("12.3400"). */
void out_json_money(out_json *j, const char *key, money_t v, int decimals);
/* Time as ISO 8601 string, or null for TM_NONE. */
void out_json_time(out_json *j, const char *key, int64_t t);
void out_json_done(out_json *j);                    /* final newline */

/* Make text safe to show on a terminal: control characters (C0, DEL, C1)
 * become visible escapes (\x1b, \xc2\x9b), bidi controls and U+2028/9
 * become \u{202e}, invalid UTF-8 bytes become \xNN; with ascii = 1 every
 * non-ASCII byte becomes \xNN too. Writes at most n-1 bytes and a NUL
 * (cutting at a whole escape or character); returns bytes written. */
size_t out_visible(const char *s, char *dst, size_t n, int ascii);
/* The same for len bytes that may hold NULs (shown as \x00). */
size_t out_visible_n(const char *s, size_t len, char *dst, size_t n, int ascii);

#endif
