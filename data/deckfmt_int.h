/* deckfmt_int.h: what deckfmt.c and deckfmt_check.c share (not for callers). */
#ifndef BILLTOP_DECKFMT_INT_H
#define BILLTOP_DECKFMT_INT_H

#include "deckfmt.h"

/* Count a warning (reject 0) or a rejected row (reject 1) of `line` and keep
 * its text, the first DECKFMT_MAX_MSGS of them. */
void deckfmt_note(deckfmt_deck *d, int64_t line, int reject, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* The checks over the whole file, after every row was read: flags repeats,
 * rejects (and removes) a prefix given twice with different rates, warns of
 * zero and far rates, sorts the messages by line. 1 on out of memory. */
int deckfmt_check(deckfmt_deck *d);

#endif
