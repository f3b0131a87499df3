/* csvfix.c: the "unescaped writer" reading of one CSV line (csvfix.h). */
#include "csvfix.h"

#include <stdlib.h>
#include <string.h>

static int put(csvfix_buf *o, const void *b, size_t n)
{
	if (n == 0) /* an empty field: buf may still be NULL */
		return 0;
	if (o->len + n > o->cap) {
		size_t cap = o->cap ? o->cap : 1024;
		while (cap < o->len + n)
			cap *= 2;
		char *a = realloc(o->buf, cap);
		if (!a)
			return -1;
		o->buf = a;
		o->cap = cap;
	}
	memcpy(o->buf + o->len, b, n);
	o->len += n;
	return 0;
}

static int is_blank(unsigned char c)
{
	return c == ' ' || c == '\t';
}

/* One text field s[q..e): as is, or quoted with its quotes doubled. */
static int put_text(csvfix_buf *o, const unsigned char *s, size_t q, size_t e)
{
	size_t j;
	if (!memchr(s + q, '"', e - q))
		return put(o, s + q, e - q);
	if (put(o, "\"", 1) != 0)
		return -1;
	for (j = q; j < e; j++)
		if (put(o, s[j] == '"' ? "\"\"" : (const char *)s + j, s[j] == '"' ? 2 : 1) != 0)
			return -1;
	return put(o, "\"", 1);
}

int csvfix_unescaped(const unsigned char *s, size_t n, csvfix_buf *o)
{
	size_t i = 0;
	o->len = 0;
	for (;;) {
		size_t q, e, from, j;
		int clean = 0;
		while (i < n && is_blank(s[i]))
			i++;
		q = from = i;
		if (q < n && s[q] == '"') {
			/* the closing quote: the first one not doubled */
			for (j = q + 1; j < n; j++) {
				if (s[j] != '"')
					continue;
				if (j + 1 < n && s[j + 1] == '"') {
					j++;
					continue;
				}
				break;
			}
			from = j < n ? j + 1 : q + 1;
			if (j < n) {
				size_t k = j + 1;
				while (k < n && is_blank(s[k]))
					k++;
				if (k == n || s[k] == ',') {
					clean = 1;
					e = j + 1;
					i = k;
				}
			}
		}
		if (clean) {
			if (put(o, s + q, e - q) != 0)
				return -1;
		} else {
			const unsigned char *d = memchr(s + from, ',', n - from);
			i = d ? (size_t)(d - s) : n;
			for (e = i; e > q && is_blank(s[e - 1]); e--)
				;
			if (put_text(o, s, q, e) != 0)
				return -1;
		}
		if (i >= n)
			break;
		if (put(o, ",", 1) != 0)
			return -1;
		i++;
	}
	return put(o, "\n", 1);
}
