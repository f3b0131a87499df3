/* dateguess.h: which order a file writes its dates in, decided from the
 * values of a sample (and from an epoch the same rows carry, e.g. an
 * Asterisk uniqueid), and how far its wall clock is from those epochs.
 * Pure C, no allocation, no I/O. Rules:
 *  - a text year-first ISO-like (tm_parse_civil) or an epoch needs no order;
 *  - every other text rules out the orders (datefmt.h) that cannot read it:
 *    "13/1/2017" rules out month-first, "1/13/2017" day-first, a text not
 *    starting with a four-digit year rules out year-first;
 *  - one order left: decided, naming the text that ruled the other out;
 *    none left: contradictory, refused; several: an epoch on the rows
 *    decides when exactly one order puts every start within 5 minutes of a
 *    constant whole or half hour (-14 h..+14 h) from it; else ambiguous,
 *    refused with a --date-format of the example's shape for each order. */
#ifndef BILLTOP_DATEGUESS_H
#define BILLTOP_DATEGUESS_H

#include "datefmt.h"

/* ---- deciding the order from a sample -------------------------------- */

#define DF_OFF_SPAN 28 /* offsets tallied from -14 h to +14 h in half hours */

typedef struct {
	unsigned possible;          /* DF_BIT of YMD/DMY/MDY still possible */
	int64_t texts, iso, epochs, ordered, misfit;
	int64_t out_line[4];        /* line of the text that ruled each order out */
	char out_text[4][40];
	int64_t ex_line;            /* a text every remaining order reads */
	char ex_text[40];
	int64_t misfit_line;        /* first ordered-looking text no order reads */
	char misfit_text[40];
	/* Wall clock vs an epoch of the same row (d = wall read as UTC - epoch),
	 * per reading (index: df_kind, DF_AUTO for ISO text, DF_FORMAT for a
	 * --date-format). ep_rows: rows with an epoch and a zone-less time;
	 * ep_fit: of those, rows where d is within 5 minutes of a whole or half
	 * hour between -14 h and +14 h; off_n: how many per half-hour offset. */
	int64_t ep_rows[5], ep_fit[5];
	int32_t off_n[5][2 * DF_OFF_SPAN + 1];
	const df_spec *fixed;       /* a --date-format given: no guessing */
} df_guess;

/* fixed: the stated reading (kept by pointer), or NULL to guess. */
void df_guess_init(df_guess *g, const df_spec *fixed);

/* One time text of line `line`; has_epoch with the Unix second the same
 * row's id carries (feed it with the row's start time only). */
void df_guess_feed(df_guess *g, const char *s, size_t len, int64_t line, int has_epoch, int64_t epoch);

/* The reading for the file: 0 and *out with how it was decided in why
 * ("day-first (DMY): \"13/01/2017 10:00\" on line 4 cannot be month-first"),
 * or -1 with why naming the ambiguity or contradiction (and suggesting
 * --date-format). */
int df_guess_decide(const df_guess *g, df_spec *out, char *why, size_t n);

/* The most common wall - epoch offset (seconds) for reading k, with *agree
 * rows of *rows (rows with an epoch and a zone-less time). 0 when there are
 * no such rows or no offset fits. */
int df_guess_offset(const df_guess *g, df_kind k, int *offset_s, int64_t *agree, int64_t *rows);

/* A zone commonly at offset_s east of UTC ("Europe/Moscow" for +3 h), or
 * NULL when the table has none. A hint, never a rule (DST moves zones). */
const char *df_zone_for_offset(int offset_s);

/* Parse an Asterisk / Grandstream unique id "[system-name-]EPOCH.SEQ" (the
 * id may go on after a '/', as billtop's record ids do, and start with a
 * "source:" prefix): 1 and *epoch when it is one (9-10 digit epoch), else 0. */
int df_uniqueid_epoch(const char *s, size_t len, int64_t *epoch);

#endif
