/* ratesq.h: a rate deck's rows as stored, for `billtop rates list`.
 *
 * Every row of the deck, each version of a prefix with its effective
 * interval [effective, until), as imported (deck.h); no rating here. */
#ifndef BILLTOP_RATESQ_H
#define BILLTOP_RATESQ_H

#include <stdint.h>
#include "../core/money.h"
#include "db.h"

typedef struct {
	const char *prefix;
	const char *description; /* "" when none */
	money_t rate_per_min;    /* nano-units per minute */
	int min_secs, inc_secs;  /* first increment, increment */
	money_t connect_fee;
	int grace_secs;
	int64_t effective;       /* UTC s */
	int64_t until;           /* UTC s, or TM_NONE when open-ended */
} ratesq_row;

typedef int (*ratesq_fn)(const ratesq_row *r, void *ctx);

/* The rows of deck deck_id whose prefix starts with prefix (NULL: all), by
 * prefix then effective date. fn returns non-zero to stop. Strings are valid
 * during the call only. DB_OK, or DB_ESQL with db_errmsg. */
int ratesq_each(db_t *db, int64_t deck_id, const char *prefix, ratesq_fn fn, void *ctx);

#endif
