/* cdrfmt_describe.c: the column mapping of a reader in words, for
 * `import cdr --dry-run`. Each format says its own (its descriptor's
 * describe, in cdrfmt_<name>.c); this file holds the dispatch and the
 * text helpers they share. */
#include "cdrfmt_describe.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cdrfmt_int.h"

void cf_put(cf_sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;
	if (b->len + 1 >= b->cap)
		return;
	va_start(ap, fmt);
	n = vsnprintf(b->out + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		b->len = b->len + (size_t)n < b->cap ? b->len + (size_t)n : b->cap - 1;
}

void cf_describe_fixed(cf_sbuf *b, int nf, const char *const *names, const char *const *use)
{
	for (int i = 0; i < nf; i++) {
		if (use[i])
			cf_put(b, "  %2d %-12s -> %s\n", i + 1, names[i], use[i]);
		else
			cf_put(b, "  %2d %-12s (ignored)\n", i + 1, names[i]);
	}
}

size_t cdrfmt_describe(const cdrfmt_reader *r, int nfields, char *out, size_t cap)
{
	cf_sbuf b = { out, cap, 0 };
	if (!cap)
		return 0;
	out[0] = '\0';
	if (r->desc && r->desc->describe)
		r->desc->describe(r, nfields, &b);
	else
		cf_put(&b, "  (no format)\n");
	return b.len;
}
