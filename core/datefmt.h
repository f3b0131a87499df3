/* datefmt.h: reading the dates that real CDR files write, pure C.
 *
 * Three pieces, none of which allocates or does I/O:
 *  - df_parse_ordered: a date-time whose field order is known (YMD, DMY,
 *    MDY): "1/9/2017 16:33:01", "04/09/17 12:39", "2017.09.01T16:33Z",
 *    "9/1/2017 4:33:01 PM".
 *  - df_format_*: a strftime-style format stated by the user
 *    (--date-format '%d/%m/%Y %H:%M:%S'), compiled once, matched per row.
 *  - which order a file uses, decided from a sample, is dateguess.h.
 * df_read is what a reader calls per field once the reading is decided.
 *
 * Rules (stated once, in docs/real-input/dates.md too):
 *  - Two-digit years: 00..69 are 2000..2069, 70..99 are 1970..1999.
 *  - Date separators: '/', '-', '.' (the same one twice) or blanks.
 *  - Between date and time: blanks, 'T', or ", ". Time: H[H]:MM[:SS[.f...]],
 *    fractions kept to the millisecond (truncated); AM/PM (a.m., p.m. too,
 *    any case) with hours 1..12, 12 AM = 00, 12 PM = 12.
 *  - Zones after the time: Z, +hh:mm, +hhmm, +hh (and -), " UTC", " GMT".
 *  - Year-first order needs a four-digit year (a two-digit year first is
 *    only read with --date-format %y...).
 *  - Epochs are told by their length, never guessed: 9-10 digits (optionally
 *    with a fraction) are Unix seconds, 12-13 digits Unix milliseconds.
 * An epoch read gives civil UTC fields with has_zone = 1 (offset 0), so a
 * zone given for the file never moves it. */
#ifndef BILLTOP_DATEFMT_H
#define BILLTOP_DATEFMT_H

#include <stddef.h>
#include <stdint.h>
#include "tm.h"

typedef enum {
	DF_AUTO = 0, /* ISO-like year-first text (tm_parse_civil) and epochs only */
	DF_YMD,
	DF_DMY,
	DF_MDY,
	DF_FORMAT    /* a --date-format */
} df_kind;

#define DF_BIT(k) (1u << (k))

/* "year-first (YMD)", "day-first (DMY)", ... */
const char *df_kind_name(df_kind k);

/* Parse s[0..len) (blanks around are ignored) in the given order (DF_YMD,
 * DF_DMY or DF_MDY). TM_OK, TM_ESYNTAX (the text is not of that shape) or
 * TM_ERANGE (month 13, 30 February, hour 25, 13 PM...). */
int df_parse_ordered(const char *s, size_t len, df_kind order, tm_civil *out);

/* Unix seconds (9-10 digits, optional .fraction) or milliseconds (12-13
 * digits). 1 and *out (civil UTC, has_zone = 1) when s is one, else 0. */
int df_parse_epoch(const char *s, size_t len, tm_civil *out);

/* ---- --date-format ------------------------------------------------------ */

#define DF_FMT_MAX 48

/* A compiled format. Directives: %Y (4-digit year) %y (2-digit year) %m %d
 * (1-2 digits) %e (day, may be blank-padded) %H %I (1-2 digits) %M %S (2
 * digits; %S also takes a ".fff" fraction when the format has no '.' after
 * it) %p (AM/PM) %b (English month, "Sep" or "September", any case) %z (Z,
 * +hh:mm, +hhmm, +hh, UTC, GMT) %T (%H:%M:%S) %F (%Y-%m-%d) %s (Unix
 * seconds) %% (a '%'). A blank matches one or more blanks; any other
 * character matches itself. */
typedef struct {
	int n;
	struct {
		char kind;   /* directive letter, or 0 for a literal */
		char ch;     /* the literal */
		short at;    /* offset in the format text, for messages */
	} it[DF_FMT_MAX];
	char text[64];   /* the format as given (cut), for messages */
} df_format;

/* 0, or -1 with why ("--date-format: %Q at character 4 is not supported"). */
int df_format_compile(const char *fmt, df_format *out, char *why, size_t n);

/* Match s[0..len) (blanks around ignored) against f. TM_OK and *out, or
 * TM_ESYNTAX / TM_ERANGE with why saying where the text stopped matching:
 * "at character 4 (\"13/2017\"): expected the month (%m, 1-12)". */
int df_format_match(const df_format *f, const char *s, size_t len, tm_civil *out, char *why, size_t n);

/* ---- the reading decided for a file ----------------------------------- */

typedef struct {
	df_kind kind;      /* DF_AUTO: year-first ISO text only (today's rule) */
	df_format fmt;     /* DF_FORMAT */
} df_spec;

/* Read one time field under sp. Year-first ISO text (tm_parse_civil) is
 * always read, whatever the order (it cannot be mistaken), except under a
 * --date-format, which alone decides. With allow_epoch, epochs (see top)
 * are read too. TM_OK and *out, or an error with why (no field name). */
int df_read(const df_spec *sp, const char *s, size_t len, int allow_epoch, tm_civil *out, char *why,
            size_t n);

#endif
