/* deck.h: rate decks in the store: CSV import and loading into a rate_deck. */
#ifndef BILLTOP_DECK_H
#define BILLTOP_DECK_H

#include <stddef.h>
#include <stdint.h>
#include "../core/rate.h"
#include "db.h"
#include "deckfmt.h"

typedef struct {
	int64_t deck_id;
	/* every data row read is one of: added, unchanged, repeats, blank, rejected */
	int64_t rows;         /* data rows read (the header excluded) */
	int64_t added;        /* new rate rows */
	int64_t unchanged;    /* identical rows already present (re-import) */
	int64_t repeats;      /* identical to an earlier row of the same file: read once */
	int64_t blank;        /* every field empty: skipped */
	int64_t rejected;     /* rows that cannot be meant (FILE:LINE: reason); stored only with keep_going */
	int64_t warnings;     /* FILE:LINE: warning: ... (rows stored all the same) */
	int64_t closed;       /* older rows closed at --effective (not in the new file) */
} deck_import_stats;

/* Store a deck read by deckfmt_read into deck `name` (created if missing).
 * Rows the reader rejected refuse the whole import ("FILE:LINE: reason; N of
 * M rows rejected") unless keep_going, which stores the others. Repeats are
 * not stored. Same contract as deck_import below otherwise. */
int deck_store(db_t *db, const char *path, const char *name, int64_t effective, const deckfmt_deck *d,
               int keep_going, deck_import_stats *stats);

/* Import a rate deck CSV read with deckfmt's default options (header
 * required; the column names deckfmt.c knows) into deck `name` (created if
 * missing). Rows without an effective column take
 * `effective` (UTC s; 0 = since ever). Importing rows effective at a date
 * closes, at that date, older open rows whose prefix the new file omits:
 * the file replaces the deck from then on. All-or-nothing: a rejected row
 * aborts with "FILE:LINE: reason" in db_errmsg and nothing is written.
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
