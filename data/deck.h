/* deck.h: rate decks in the store: CSV import and loading into a rate_deck. */
#ifndef BILLTOP_DECK_H
#define BILLTOP_DECK_H

#include <stddef.h>
#include <stdint.h>
#include "../core/rate.h"
#include "db.h"

typedef struct {
	int64_t deck_id;
	int64_t rows;         /* data rows read */
	int64_t added;        /* new rate rows */
	int64_t unchanged;    /* identical rows already present (re-import) */
	int64_t closed;       /* older rows closed at --effective (not in the new file) */
} deck_import_stats;

/* Import a rate deck CSV (header required; columns by the usual names:
 * prefix|dialcode|code, description|destination, rate|rate_per_min|price,
 * first increment|min_secs|initblock, increment|incr_secs|billingblock,
 * connect_fee|connectcost, grace, effective|effective_date) into deck
 * `name` (created if missing). Rows without an effective column take
 * `effective` (UTC s; 0 = since ever). Importing rows effective at a date
 * closes, at that date, older open rows whose prefix the new file omits:
 * the file replaces the deck from then on. All-or-nothing: the first bad
 * row aborts with "FILE:LINE: reason" in db_errmsg and nothing is written.
 * The caller does not hold a transaction; this function runs its own. */
int deck_import(db_t *db, const char *path, const char *name, int64_t effective,
                deck_import_stats *stats);
/* The same from CSV text in memory (the demo's built-in deck); `label`
 * stands for the file name in messages and in the import record. */
int deck_import_text(db_t *db, const char *label, const char *text, const char *name,
                     int64_t effective, deck_import_stats *stats);
/* The same from text[0..len), which need not be NUL-terminated and may hold
 * any bytes (fuzzing: a file's bytes exactly as deck_import would read them). */
int deck_import_buffer(db_t *db, const char *label, const char *text, size_t len, const char *name,
                       int64_t effective, deck_import_stats *stats);

/* Build an in-memory deck of every row of deck_id. *out is owned by the
 * caller (rate_deck_free). */
int deck_load(db_t *db, int64_t deck_id, rate_deck **out);

int deck_find(db_t *db, const char *name, int64_t *id); /* DB_ENOTFOUND */

#endif
