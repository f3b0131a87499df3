/* cdrfmt.h: CDR source formats: detection and row -> cdr_rec mapping.
 *
 * A cdrfmt_reader is configured once per file (format, zone, --map), then fed
 * csvin rows in order. The first row of a headed format (flowroute, generic,
 * grandstream, asterisk-db with a header) is consumed as the header. The reader owns its scratch buffers; cdr_rec
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
	CDRFMT_GENERIC,          /* any CSV with a header, columns by name or --map;
	                            without a header when --map gives only column numbers */
	CDRFMT_ASTERISK_DB,      /* the Asterisk cdr table (cdr_mysql, cdr_pgsql, cdr_adaptive_odbc,
	                            FreePBX asteriskcdrdb.cdr) dumped to CSV, with or without a header */
	CDRFMT_GRANDSTREAM       /* Grandstream UCM CDR download (header "Callee Number", "Talk Time"...) */
} cdrfmt_kind;
#define CDRFMT_LAST CDRFMT_GRANDSTREAM

const char *cdrfmt_name(cdrfmt_kind k);
int cdrfmt_parse_name(const char *s, cdrfmt_kind *out); /* 0 or -1 (names and aliases, any case) */
/* "auto|asterisk|asterisk-custom|...": every format name, in kind order,
 * for usage texts. Writes at most n bytes (NUL-terminated); returns buf. */
char *cdrfmt_names_list(char *buf, size_t n);
/* One line on the format (what writes it), "" for AUTO. */
const char *cdrfmt_summary(cdrfmt_kind k);
/* How rows that belong to one call are billed, in a line, "" for AUTO. */
const char *cdrfmt_billing(cdrfmt_kind k);

/* Decide the format from the first record(s) of a file. Returns the kind, or
 * CDRFMT_AUTO with a reason in why[] when the file cannot be placed. */
cdrfmt_kind cdrfmt_detect(const char *path, char *why, size_t whylen);
/* The same from the first record of buf[0..len) (a file being written: the
 * caller passes whole lines only). */
cdrfmt_kind cdrfmt_detect_buffer(const char *buf, size_t len, char *why, size_t whylen);

/* The format to read a file with, given --format (possibly AUTO) and --map
 * (possibly NULL): a named format is kept; AUTO with a map of column
 * numbers only is GENERIC without a header (no detection: such a file has
 * no header to detect); AUTO with a map of names detects, and a format that
 * takes no map (a headerless switch layout) becomes GENERIC, so the map
 * applies; AUTO without a map detects. CDRFMT_AUTO with why when the file
 * cannot be placed. buf NULL: read path; else buf[0..len) (whole lines). */
cdrfmt_kind cdrfmt_choose(const char *path, const char *buf, size_t len, cdrfmt_kind given,
                          const char *map, char *why, size_t whylen);
/* The length of a record id without the row digests cdrfmt appends to tell
 * apart rows that share an id ("c1/fnv:0123456789abcdef" -> 2): the call's
 * id as its source wrote it, what another system's records can match. */
size_t cdrfmt_call_id_len(const char *record_id);
/* 1 when every column of map is a number (a map for a headerless file). */
int cdrfmt_map_positional(const char *map);

/* What a header row holds, for `import cdr` and `import mdr` to refuse the
 * other kind of file by its content: CDRFMT_HDR_MESSAGES when it names
 * message columns (segments, body, sms...) and no duration, billsec or talk
 * time; CDRFMT_HDR_CALLS when it names a duration, billsec, talk time or
 * hangup cause and no message column; else CDRFMT_HDR_UNKNOWN. what gets
 * the columns that decided ("segments, body"). */
enum { CDRFMT_HDR_UNKNOWN = 0, CDRFMT_HDR_CALLS, CDRFMT_HDR_MESSAGES };
int cdrfmt_header_kind(const csvin_row *row, char *what, size_t whatlen);

typedef struct cdrfmt_reader cdrfmt_reader;

/* map: "field=Column,field=Column" (fields: call_id, start, answer, end, src,
 * dst, duration, billsec, disposition, cost, account, clid, billed, cnam,
 * direction, linkedid, sequence) or NULL. A Column is a header name, or a
 * 1-based column number. Formats with a header take a map (generic,
 * flowroute, grandstream, asterisk-db with its header); when every Column is
 * a number the file is read without a header (see cdrfmt_headed.c).
 * zone: the time zone for zone-less times (tz.h), never NULL.
 * Returns NULL on out of memory or a bad map (reason in why). */
cdrfmt_reader *cdrfmt_reader_new(cdrfmt_kind kind, const char *map, tz_zone *zone,
                                 char *why, size_t whylen);
void cdrfmt_reader_free(cdrfmt_reader *r);
/* 1 when the reader takes the file's first row as its header (a reader that
 * resumes mid-file must feed it that row first). */
int cdrfmt_reader_headed(const cdrfmt_reader *r);

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

/* A direction as written (in, inbound, incoming, out, outbound, outgoing;
 * any case and punctuation): "inbound" or "outbound"; NULL when it is none
 * of them. Calls and messages read directions alike. */
const char *cdrfmt_direction(const char *s, size_t len);

#endif
