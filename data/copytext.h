/* copytext.h: a growing text buffer for PostgreSQL's bulk input: COPY text
 * lines (fields escaped, \N for NULL) and array literals ({"a","b"}), built
 * by the import's batches (store_batch.c) and sent in one statement.
 *
 * Every ct_* call returns 0, or -1 when memory ran out (the text is then
 * incomplete: the caller fails; calls may be OR-ed and checked once). The
 * text is always NUL-terminated; ct->p is owned by the buffer (ct_free). */
#ifndef BILLTOP_COPYTEXT_H
#define BILLTOP_COPYTEXT_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
	char *p;
	size_t len, cap;
} copytext;

int ct_put(copytext *ct, const char *s, size_t n);   /* s[0..n) as it is */
int ct_char(copytext *ct, char c);
int ct_int(copytext *ct, int64_t v);                 /* decimal */
int ct_field(copytext *ct, const char *s);           /* a COPY text field: \N for NULL, \\ \t \n \r escaped */
int ct_elem(copytext *ct, const char *s);            /* an array element: "..." with \ and " escaped */
void ct_free(copytext *ct);

#endif
