/* copytext.c: COPY text and array literals (copytext.h). */
#include "copytext.h"

#include <stdlib.h>
#include <string.h>

static int grow(copytext *ct, size_t need)
{
	size_t nc = ct->cap ? ct->cap : 65536;
	char *n;
	if (need <= ct->cap)
		return 0;
	while (nc < need)
		nc *= 2;
	if (!(n = realloc(ct->p, nc)))
		return -1;
	ct->p = n;
	ct->cap = nc;
	return 0;
}

int ct_put(copytext *ct, const char *s, size_t n)
{
	if (grow(ct, ct->len + n + 1) < 0)
		return -1;
	memcpy(ct->p + ct->len, s, n);
	ct->len += n;
	ct->p[ct->len] = '\0';
	return 0;
}

int ct_char(copytext *ct, char c)
{
	return ct_put(ct, &c, 1);
}

int ct_int(copytext *ct, int64_t v)
{
	char t[24], *e = t + sizeof t, *p = e;
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	do
		*--p = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		*--p = '-';
	return ct_put(ct, p, (size_t)(e - p));
}

int ct_field(copytext *ct, const char *s)
{
	const char *run;
	if (!s)
		return ct_put(ct, "\\N", 2);
	for (run = s; *s; s++) {
		const char *e = *s == '\\' ? "\\\\" : *s == '\t' ? "\\t" : *s == '\n' ? "\\n" : *s == '\r' ? "\\r" : NULL;
		if (!e)
			continue;
		if (ct_put(ct, run, (size_t)(s - run)) < 0 || ct_put(ct, e, 2) < 0)
			return -1;
		run = s + 1;
	}
	return ct_put(ct, run, (size_t)(s - run));
}

int ct_elem(copytext *ct, const char *s)
{
	const char *run;
	if (ct_char(ct, '"') < 0)
		return -1;
	for (run = s; *s; s++) {
		if (*s != '"' && *s != '\\')
			continue;
		if (ct_put(ct, run, (size_t)(s - run)) < 0 || ct_char(ct, '\\') < 0)
			return -1;
		run = s; /* the character itself starts the next run */
	}
	if (ct_put(ct, run, (size_t)(s - run)) < 0)
		return -1;
	return ct_char(ct, '"');
}

void ct_free(copytext *ct)
{
	free(ct->p);
	ct->p = NULL;
	ct->len = ct->cap = 0;
}
