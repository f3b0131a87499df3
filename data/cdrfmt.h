/* cdrfmt.h: CDR source formats: detection and row -> cdr_rec mapping.
 *
 * A cdrfmt_reader is configured once per file (format, zone, --map), then fed
 * csvin rows in order. The first row of a headed format (flowroute, generic)
 * is consumed as the header. The reader owns its scratch buffers; cdr_rec
 * strings point into them or into the csvin row and are valid until the next
 * call. */
#ifndef BILLTOP_CDRFMT_H
#define BILLTOP_CDRFMT_H

#include "cdr.h"
#include "csvin.h"
#include "tz.h"

typedef enum {
	CDRFMT_AUTO = 0,
	CDRFMT_ASTERISK,         /* cdr_csv Master.csv, 16..21 columns, no header */
	CDRFMT_ASTERISK_CUSTOM,  /* cdr_custom layout, clid first */
	CDRFMT_FREESWITCH,       /* mod_cdr_csv "example" template, 15 columns */
	CDRFMT_FLOWROUTE,        /* Flowroute CDR export with header */
	CDRFMT_GENERIC           /* any CSV with a header, columns by name or --map */
} cdrfmt_kind;

const char *cdrfmt_name(cdrfmt_kind k);
int cdrfmt_parse_name(const char *s, cdrfmt_kind *out); /* 0 or -1 */

/* Decide the format from the first record(s) of a file. Returns the kind, or
 * CDRFMT_AUTO with a reason in why[] when the file cannot be placed. */
cdrfmt_kind cdrfmt_detect(const char *path, char *why, size_t whylen);
/* The same from the first record of buf[0..len) (a file being written: the
 * caller passes whole lines only). */
cdrfmt_kind cdrfmt_detect_buffer(const char *buf, size_t len, char *why, size_t whylen);

typedef struct cdrfmt_reader cdrfmt_reader;

/* map: "field=Column,field=Column" (fields: call_id, start, answer, end, src,
 * dst, duration, billsec, disposition, cost, account, clid, billed) or NULL.
 * zone: the time zone for zone-less times (tz.h), never NULL.
 * Returns NULL on out of memory or a bad map (reason in why). */
cdrfmt_reader *cdrfmt_reader_new(cdrfmt_kind kind, const char *map, tz_zone *zone,
                                 char *why, size_t whylen);
void cdrfmt_reader_free(cdrfmt_reader *r);

enum {
	CDRFMT_RECORD = 0,  /* *out holds a record */
	CDRFMT_HEADER,      /* the row was a header; nothing to store */
	CDRFMT_SKIP,        /* a blank row; nothing to store */
	CDRFMT_EBAD         /* bad row: reason in why (no "FILE:LINE:" prefix) */
};

/* Map one row. Bad field counts, times, numbers and non-UTF-8 bytes in fields
 * that must be text (numbers, ids, times, disposition) are CDRFMT_EBAD.
 * clid/caller names may hold any bytes (stored faithfully). */
int cdrfmt_reader_row(cdrfmt_reader *r, const csvin_row *row, cdr_rec *out,
                      char *why, size_t whylen);

#endif
