/* deck_page.h: a rate deck read a page at a time, for screens that scroll
 * through decks of any size. Keyset pagination on the rate table's unique
 * index (deck_id, prefix, eff_from): a page costs one index seek plus the
 * rows it returns, wherever it is in the deck, and nothing is ever read
 * with OFFSET or loaded whole.
 *
 * Order: prefix as text, then eff_from (so "1", "1416", "1800", "44"...,
 * and a prefix's price lists oldest first). Every function returns DB_OK
 * or a DB_E* status with the reason in db_errmsg(db); callers own the
 * arrays they pass. */
#ifndef BILLTOP_DECK_PAGE_H
#define BILLTOP_DECK_PAGE_H

#include <stdint.h>
#include "../core/money.h"
#include "db.h"

typedef struct {
	char prefix[33];
	int64_t eff_from;
} deck_key;

typedef struct {
	int64_t id;
	deck_key key;                  /* prefix and eff_from */
	char desc[96];                 /* description, truncated */
	money_t rate, connect_fee;     /* per minute; per call */
	int min_secs, inc_secs, grace_secs;
	int64_t eff_to;                /* TM_NONE when open-ended */
} deck_row;

/* Which rows: every row, or only those in effect at `at`: the row a call
 * at `at` would be rated on for its prefix (eff_from <= at < eff_to, and
 * of several such rows the newest eff_from, as core/rate.h says). */
typedef struct {
	int64_t deck_id;
	int current_only;
	int64_t at;
} deck_scope;

/* Up to `max` rows after `key` (dir > 0) or before it (dir < 0), returned
 * in ascending order either way; `inclusive` also takes the row at `key`.
 * key NULL starts at the first row (dir > 0) or ends at the last (dir < 0).
 * *n receives the count (0 at either end). */
int deck_page(db_t *db, const deck_scope *sc, const deck_key *key, int dir, int inclusive,
              deck_row *rows, int max, int *n);

/* Rows in scope, and rows strictly before `key` (its position). Both walk
 * the index: about 10 ms per 100,000 rows; call them on jumps, not on
 * every step. */
int deck_count(db_t *db, const deck_scope *sc, int64_t *n);
int deck_rank(db_t *db, const deck_scope *sc, const deck_key *key, int64_t *rank);

/* A cheap change mark for rate rows (the newest row id; O(1)): when it is
 * unchanged no row was added to any deck, so counts need not be redone. */
int deck_page_stamp(db_t *db, int64_t *stamp);

/* The first row after `after` (NULL: from the start) whose prefix begins
 * with `text` or whose description contains it (ASCII case-insensitive).
 * Stops at the first match; DB_ENOTFOUND when none after `after`. */
int deck_search(db_t *db, const deck_scope *sc, const deck_key *after, const char *text, deck_key *found);

#endif
