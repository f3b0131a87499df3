/* deckfmt.h: reading a rate deck CSV into rate rows, without SQLite.
 *
 * A deck is read whole into memory (decks are thousands to a few hundred
 * thousand rows), checked as a whole (median rate, one prefix twice), and
 * then handed to the store (data/deck.c) or printed (rates import --dry-run).
 *
 * Columns are found by header name, normalised: lower case, text in
 * parentheses dropped ("(USD)"), everything but letters and digits dropped
 * ("Cost / Min" -> "costmin"), a trailing currency code dropped ("rateusd").
 * The names billtop knows are in deckfmt.c (A-Z carrier decks, ASTPP,
 * A2Billing, MagnusBilling, IvozProvider, Kazoo, US NPA-NXX decks); --map
 * field=Column (a header name or a 1-based column number; "-" for none)
 * overrides them.
 *
 * Every data record read is accounted for: kept (deckfmt_deck.rows, some
 * flagged as identical repeats), skipped blank (every field empty), or
 * rejected with "LINE: reason" in the messages. Warnings name their line and
 * do not stop anything; rejections are rows that cannot be meant. */
#ifndef BILLTOP_DECKFMT_H
#define BILLTOP_DECKFMT_H

#include <stddef.h>
#include <stdint.h>
#include "../core/rate.h"

/* The deck fields a column can feed. */
typedef enum {
	DF_PREFIX, DF_DESC, DF_RATE, DF_MIN, DF_INC, DF_BILLING, DF_FEE, DF_GRACE, DF_FREE,
	DF_EFF, DF_END, DF_NPA, DF_NXX, DF_NPANXX, DF_ACTION, DF_NFIELDS
} deckfmt_field;

/* "prefix", "description", ... (the names --map takes). */
const char *deckfmt_field_name(deckfmt_field f);

typedef struct {
	const char *map;         /* "field=Column,field=3", or NULL */
	const char *add_prefix;  /* digits put before every prefix (NPA-NXX decks: "1"), or NULL */
	const char *rate_column; /* which of several rate columns (US decks): header name or number */
	int64_t effective;       /* eff_from of rows without an effective column (UTC s; 0 = since ever) */
} deckfmt_opts;

typedef struct {
	rate_row r;              /* r.description is owned by the deck */
	int64_t line;            /* physical line of the record */
	int repeat;              /* 1: identical to an earlier row (same prefix, date, rates): not stored */
} deckfmt_row;

typedef struct {
	int64_t line;
	int reject;              /* 1: the row was rejected; 0: a warning */
	char text[232];
} deckfmt_msg;

#define DECKFMT_MAX_MSGS 2000  /* messages kept; the rest are counted in msgs_dropped */

typedef struct {
	deckfmt_row *rows;
	size_t nrows, cap;
	/* column mapping: col[f] = 0-based column of field f, or -1 */
	int col[DF_NFIELDS];
	int ncols;               /* columns in the header (or in the first row without one) */
	char **colname;          /* header names as written ("" without a header), ncols of them */
	int has_header;
	int rate_cols;           /* how many columns could be the rate (US decks: 3) */
	/* accounting: records = kept + blank + rejected; kept = nrows (repeats included) */
	int64_t records, blank, rejected, repeats;
	int64_t warnings;
	deckfmt_msg *msgs;
	size_t nmsgs;
	int64_t msgs_dropped;
	money_t median;          /* of the non-zero rates, 0 when fewer than 3 */
	char err[320];           /* why the whole file was refused ("LABEL:LINE: reason") */
} deckfmt_deck;

enum { DECKFMT_OK = 0, DECKFMT_EINPUT, DECKFMT_ENOMEM, DECKFMT_EOPEN };

/* Read and check a deck from `path`, or from buf[0..len) when buf is not NULL
 * (`path` then only names it in messages). *d is initialised here and owned
 * by the caller (deckfmt_free) whatever the result. DECKFMT_EINPUT: the file
 * as a whole cannot be read as a deck (no header, no prefix or rate column,
 * bad --map, malformed CSV): d->err says why. Rejected rows are not an error
 * here: the caller decides (deck.c refuses the import unless told to keep going). */
int deckfmt_read(const char *path, const char *buf, size_t len, const deckfmt_opts *o, deckfmt_deck *d);

void deckfmt_free(deckfmt_deck *d);

#endif
