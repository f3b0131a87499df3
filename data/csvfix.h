/* csvfix.h: the "unescaped writer" reading of one CSV line, for csvin.c's
 * lenient mode (CSVIN_LENIENT).
 *
 * Some writers quote a field only when it holds a comma and never double a
 * quote inside it (FreePBX's CDR Reports download writes a caller id as
 * `"User 10" <114>` and a dial string as `"SIP/113,60,rI"`). This module
 * decides where such a line's fields end and writes the line again as
 * proper CSV, for libcsv to read strictly:
 *  - a field starting with a quote (after blanks) is a quoted field when its
 *    closing quote (the first quote not doubled) is followed by blanks then
 *    a comma or the line end: it is copied as written (`"a,b"`, `"x""y"`);
 *  - any other field is text up to the next comma, after that closing quote
 *    when there is one (`"User 10" <114>`, `"a,b" c`, `p"q`), blanks around
 *    it dropped; text holding a quote is written quoted, its quotes doubled.
 * Pure: no I/O, no libcsv. */
#ifndef BILLTOP_CSVFIX_H
#define BILLTOP_CSVFIX_H

#include <stddef.h>

/* A growing output buffer, owned by the caller (free(buf) when done; start
 * zeroed). */
typedef struct {
	char *buf;
	size_t len, cap;
} csvfix_buf;

/* Rewrite the line s[0..n) (without its line end) into out (out->len reset
 * first): proper CSV, one record, ending in LF. Returns 0, or -1 when out of
 * memory. */
int csvfix_unescaped(const unsigned char *s, size_t n, csvfix_buf *out);

#endif
