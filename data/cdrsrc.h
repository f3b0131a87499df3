/* cdrsrc.h: open a CDR source: the one set-up shared by `import cdr`,
 * `ingest` and `investigate` (format detection, zone, --map, reader).
 *
 * Needs no SQLite. A cdrsrc owns its zone and its reader; close it with
 * cdrsrc_close. Errors come back as one text in why, already naming the
 * file or the option ("FILE: cannot tell the format: ... (give --format)",
 * "--tz ZONE: ...", "FILE: <the reader's reason>"). */
#ifndef BILLTOP_CDRSRC_H
#define BILLTOP_CDRSRC_H

#include <stddef.h>
#include "cdrfmt.h"
#include "cdrsniff.h"
#include "csvin.h"
#include "tz.h"

typedef struct {
	const char *path;         /* the file (named in errors) */
	cdrfmt_kind format;       /* CDRFMT_AUTO to detect */
	const char *map;          /* --map or NULL */
	const char *tz;           /* --tz or NULL (UTC) */
	const char *date_format;  /* --date-format or NULL: the order from a sample (cdrsniff.h) */
	int no_zone_hint;         /* no zone warning (investigate finds clock offsets itself) */
	int lenient;              /* --lenient: libcsv's non-strict mode (csvin.h) */
	int offer_lenient;        /* the caller has --lenient: errors suggest it
	                             where it would read the file */
	const char *opt_prefix;   /* how the options are spelled in errors: NULL for
	                             "--format"/"--tz", "theirs-" for "--theirs-format" */
} cdrsrc_opts;

typedef struct {
	cdrfmt_kind format;       /* decided (never AUTO once the reader is open) */
	tz_zone *zone;            /* owned */
	cdrfmt_reader *fmt;       /* owned; NULL until a reader is open */
	unsigned csv_flags;       /* for csvin_read_*_ex / pipeline_run_flags */
	cdrsniff_result dates;    /* how the reader reads dates, from a sample of the
	                             file (cdrsniff.h): order, zone hint ("" if none) */
	const cdrsrc_opts *o;     /* borrowed: must outlive the source */
} cdrsrc;

/* Zone and reader, the format detected from the file when AUTO, the date
 * order decided from a sample of it (or --date-format; cdrsniff.h). 0, or
 * -1 with the reason in why (nothing left open). */
int cdrsrc_open(cdrsrc *s, const cdrsrc_opts *o, char *why, size_t whylen);

/* The two halves, for a follower that sees the file's first line later:
 * cdrsrc_open_zone checks the options and opens the zone; cdrsrc_open_reader
 * decides the format (from buf[0..len) when buf is not NULL, else from the
 * file o->path), builds the reader and sets its dates from a sample of the
 * file label (NULL: o->path). label names the file in
 * errors (NULL: o->path). Both 0 or -1 with why. */
int cdrsrc_open_zone(cdrsrc *s, const cdrsrc_opts *o, char *why, size_t whylen);
int cdrsrc_open_reader(cdrsrc *s, const char *label, const char *buf, size_t len, char *why, size_t whylen);

/* Drop the reader (a rotated file gets a new one); the zone stays. */
void cdrsrc_close_reader(cdrsrc *s);
void cdrsrc_close(cdrsrc *s);

#endif
