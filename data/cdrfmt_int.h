/* cdrfmt_int.h: internals shared by cdrfmt.c (common helpers, detection),
 * cdrfmt_switch.c (headerless switch layouts: Asterisk cdr_csv, Asterisk
 * cdr_custom, FreeSWITCH), cdrfmt_headed.c (Flowroute, generic,
 * Grandstream) and cdrfmt_astdb.c (the Asterisk cdr table dumped to CSV).
 * Not part of the data/ API: include only from those files. */
#ifndef BILLTOP_CDRFMT_INT_H
#define BILLTOP_CDRFMT_INT_H

#include "../core/datefmt.h"
#include "cdrfmt.h"

/* Canonical CDR fields a headed file's columns are mapped to. */
enum {
	CF_CALLID = 0, CF_START, CF_ANSWER, CF_END, CF_SRC, CF_DST, CF_DURATION, CF_BILLSEC,
	CF_DISP, CF_COST, CF_ACCOUNT, CF_CLID, CF_BILLED, CF_CNAM, CF_DIRECTION, CF_LINKEDID,
	CF_SEQUENCE, CF_COUNT
};

/* How a number in the disposition column reads (cf_disposition_as). */
enum { CF_CODE_AUTO = 0, CF_CODE_Q850, CF_CODE_SIP };

struct cdrfmt_reader {
	cdrfmt_kind kind;
	tz_zone *zone;          /* borrowed from the caller */
	/* headed formats (flowroute, generic, grandstream, asterisk-db) */
	int header_seen;
	int headerless;         /* no header row: columns from --map numbers or a fixed layout */
	int max_col;            /* headerless: the highest column index used */
	unsigned char col_utc[CF_COUNT]; /* the column's header names a zone (UTC): read in utc */
	int disp_code;          /* CF_CODE_*: from the disposition column's name */
	tz_zone *utc;           /* owned; opened when a column is UTC */
	int map_num[CF_COUNT];  /* --map column numbers, 1-based; 0 when none */
	int header_bad;         /* header unusable; hdr_why says why */
	char hdr_why[256];
	int hdr_nf;
	int col[CF_COUNT];      /* column index per field, -1 when absent */
	char *hdr_text;         /* copy of the header fields, NUL-separated (owned) */
	size_t *hdr_off;        /* hdr_text + hdr_off[i] is column i's name (owned) */
	size_t *hdr_len;
	char *map_text;         /* copy of --map, split in place (owned) */
	const char *map_col[CF_COUNT]; /* column named by --map, into map_text */
	/* dates (cdrsniff.c): how zone-less text times are read (DF_AUTO:
	 * year-first ISO only); sniff non-NULL: cf_time only records the texts */
	df_spec dates;
	struct cf_sniff *sniff;
	/* scratch for strings built per row (record ids) */
	char *buf;
	size_t bufcap;
};

/* cdr_rec with every optional member at its "none" value. */
void cf_rec_init(cdr_rec *out);

/* "field N (name): what \"value\"" into why; returns CDRFMT_EBAD. i is
 * 0-based, the message 1-based; name NULL leaves out "(name)". The value is
 * escaped and cut to fit. */
int cf_bad(char *why, size_t n, int i, const char *name, const char *what, const char *s, size_t len);

/* Field checks. Each returns 0, or CDRFMT_EBAD with the reason in why. */
/* Both: a field billtop keeps: no NUL, at most CDR_FIELD_MAX bytes. */
int cf_text(const csvin_row *row, int i, const char *name, char *why, size_t n);   /* + UTF-8 */
int cf_bytes(const csvin_row *row, int i, const char *name, char *why, size_t n);
/* A time: empty -> TM_NONE when optional, else "empty". Read under
 * r->dates (datefmt.h df_read); allow_epoch also takes Unix seconds (9-10
 * digits) and milliseconds (12-13 digits) (generic files). In sniff mode
 * (r->sniff) the text is recorded for cdrsniff.c and *out is 0. */
int cf_time(cdrfmt_reader *r, const csvin_row *row, int i, const char *name, int optional,
            int allow_epoch, int64_t *out, char *why, size_t n);
/* cf_time in zone z instead of the reader's zone (a column whose header
 * names its zone); z NULL is the reader's zone. */
int cf_time_in(cdrfmt_reader *r, tz_zone *z, const csvin_row *row, int i, const char *name,
               int optional, int allow_epoch, int64_t *out, char *why, size_t n);
/* Whole non-negative seconds -> ms. */
int cf_secs(const csvin_row *row, int i, const char *name, int64_t *ms, char *why, size_t n);
/* Decimal seconds ("9.1", "9.100", "0:01:05") -> exact ms; more than 3
 * non-zero decimals is an error, not a rounding. Empty -> 0 when empty_ok. */
int cf_dec_ms(const csvin_row *row, int i, const char *name, int empty_ok, int64_t *ms,
              char *why, size_t n);

/* Shape tests used by detection. */
int cf_is_time(const char *s, size_t len);
int cf_is_uint(const char *s, size_t len);
int cf_is_uuid(const char *s, size_t len);

/* Lower-case alphanumerics of s, at most cap-1 bytes: "Call_ID " -> "callid". */
void cf_norm(const char *s, size_t len, char *out, size_t cap);

/* Map disposition text. *answered gets 1 for an answered-like outcome
 * ("ANSWERED", "completed", "NORMAL_CLEARING" with billsec > 0, ...);
 * *known gets 0 when the text was not recognised (result DISP_OTHER). */
cdr_disposition cf_disposition(const char *s, size_t len, int64_t billsec_ms, int *answered, int *known);
/* The same, with a number read as code (CF_CODE_*): Q.850 cause or SIP
 * response; CF_CODE_AUTO reads 100..699 as SIP and 0..127 as Q.850. */
cdr_disposition cf_disposition_as(const char *s, size_t len, int64_t billsec_ms, int code, int *answered,
                                  int *known);

/* Strings built into the reader's scratch buffer (valid until the next row);
 * NULL on out of memory. */
const char *cf_join_id(cdrfmt_reader *r, const char *a, size_t alen, const char *b, size_t blen);
const char *cf_digest(cdrfmt_reader *r, const csvin_row *row);
/* "id/fnv:<digest of the row>": for ids that several distinct rows share
 * (Asterisk uniqueid without sequence, FreeSWITCH uuid written again with
 * another hangup cause). Identical rows still get identical ids. */
const char *cf_id_digest(cdrfmt_reader *r, const char *id, size_t idlen, const csvin_row *row);

/* Row mappers, one per format (same contract as cdrfmt_reader_row). */
int cf_asterisk_row(cdrfmt_reader *r, const csvin_row *row, cdr_rec *out, char *why, size_t n);
int cf_custom_row(cdrfmt_reader *r, const csvin_row *row, cdr_rec *out, char *why, size_t n);
int cf_freeswitch_row(cdrfmt_reader *r, const csvin_row *row, cdr_rec *out, char *why, size_t n);
int cf_headed_row(cdrfmt_reader *r, const csvin_row *row, cdr_rec *out, char *why, size_t n);
/* The Asterisk cdr table (cdrfmt_astdb.c): the first row decides header or
 * positional; the record is then mapped by cf_headed_row's Asterisk rules. */
int cf_astdb_row(cdrfmt_reader *r, const csvin_row *row, cdr_rec *out, char *why, size_t n);
/* cdrfmt_astdb.c: a headerless row with the cdr table's layout; the column
 * names of that layout for messages. */
int cf_astdb_classify(const csvin_row *row);
void cf_astdb_layout(cdrfmt_reader *r);
const char *cf_astdb_name(int col);
/* The Asterisk rules for a mapped row (record id, call key, connected,
 * answer and end from calldate + duration). */
int cf_astdb_finish(cdrfmt_reader *r, const csvin_row *row, cdr_rec *out, char *why, size_t n);
/* An Asterisk uniqueid/linkedid: digits '.' digits. */
int cf_is_astid(const char *s, size_t len);
/* Header names normalised for matching (cdrfmt_headed.c): cf_norm, then
 * bracketed parts dropped ("(s)", "(USD)"), a zone ("UTC", "GMT", "(UTC)")
 * removed and reported in *utc. */
void cf_norm_header(const char *s, size_t len, char *out, size_t cap, int *utc);

/* Detection helpers: the kind the first record shows, or CDRFMT_AUTO. */
cdrfmt_kind cf_switch_classify(const csvin_row *row);
/* A header row: FLOWROUTE or GENERIC; AUTO with why when the row names
 * known columns but lacks a required one; -1 when it is not a header. */
int cf_headed_classify(const csvin_row *row, char *why, size_t n);

/* Sniff mode (cdrsniff.c): keep a row's time text. */
void cf_sniff_note(struct cf_sniff *s, const char *text, size_t len);

/* --map parsing into r->map_col / r->map_num (cdrfmt_headed.c). 0, or -1
 * with why. A map of numbers only makes the reader headerless. */
int cf_map_parse(cdrfmt_reader *r, const char *map, char *why, size_t n);

#endif
