/* cdrfmt_int.h: internals of the CDR formats.
 *
 * One format is one file, data/cdrfmt_<name>.c, that exports only its
 * descriptor (cdrfmt_desc below): cdrfmt_asterisk.c, cdrfmt_asterisk_custom.c,
 * cdrfmt_freeswitch.c (headerless switch layouts; shared helpers in
 * cdrfmt_switch.c), cdrfmt_flowroute.c, cdrfmt_generic.c, cdrfmt_grandstream.c
 * (headed files; the shared header machinery in cdrfmt_headed.c) and
 * cdrfmt_asterisk_db.c. cdrfmt.c holds the one table of descriptors (names,
 * aliases, detection order, dispatch); cdrfmt_field.c the field helpers
 * every format uses; cdrfmt_describe.c the --dry-run text.
 * Not part of the data/ API: include only from those files (and the unit
 * test of the descriptor table). */
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

typedef struct cdrfmt_desc cdrfmt_desc;

struct cdrfmt_reader {
	cdrfmt_kind kind;
	const cdrfmt_desc *desc; /* the format's descriptor (cdrfmt.c's table) */
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

/* Headed files (cdrfmt_headed.c): the rules that differ between the
 * formats sharing cf_headed_row. */
typedef struct {
	int answered_connects; /* an answered-like disposition is connected even with billsec 0
	                          (Flowroute: result=completed is its connected flag) */
	int answer_is_start;   /* a connected call without an answer column was answered at its
	                          start (Flowroute: duration is the connected time) */
	int bill_every_row;    /* call_key "": every row is billed (Grandstream's call segments) */
	/* the column's name for messages when there is no header (asterisk-db's layout); NULL: none */
	const char *(*layout_name)(int col);
	/* the record id, call key and format rules after the common mapping (asterisk-db);
	 * NULL: id = call-id column/digest, call_key = linkedid, else the id */
	int (*finish)(cdrfmt_reader *r, const csvin_row *row, cdr_rec *out, char *why, size_t n);
} cf_headed_rules;

/* Map a headed (or --map positional) row under rules: the header on the first
 * row, then records (same contract as cdrfmt_reader_row). */
int cf_headed_row(cdrfmt_reader *r, const cf_headed_rules *rules, const csvin_row *row, cdr_rec *out,
                  char *why, size_t n);
/* An Asterisk uniqueid/linkedid: digits '.' digits. */
int cf_is_astid(const char *s, size_t len);
/* Header names normalised for matching (cdrfmt_headed.c): cf_norm, then
 * bracketed parts dropped ("(s)", "(USD)"), a zone ("UTC", "GMT", "(UTC)")
 * removed and reported in *utc. */
void cf_norm_header(const char *s, size_t len, char *out, size_t cap, int *utc);

/* ---- detection ------------------------------------------------------------ */

#define CF_NORM 48

/* What detection knows of a file's first record, worked out once
 * (cdrfmt_headed.c) and handed to every descriptor's classify. */
typedef struct {
	const csvin_row *row;
	int header;      /* 1: a header row: no field shaped like a time, and a column name billtop
	                    knows (or a messages file's) */
	char why[400];   /* a header that cannot be read (a messages file, no start or destination
	                    column): the reason; detection then fails with it */
	int nf;
	char (*norm)[CF_NORM]; /* header: each column's cf_norm_header name (owned); else NULL */
} cf_probe;

void cf_probe_init(cf_probe *p, const csvin_row *row);
void cf_probe_free(cf_probe *p);
/* How many columns of a header are named w (normalised). */
int cf_probe_count(const cf_probe *p, const char *w);

/* Confidences a classify returns: the highest wins; on a tie the earlier
 * descriptor in cdrfmt.c's table. */
enum { CF_NO = 0, CF_FALLBACK = 1, CF_LIKELY = 2, CF_SURE = 3 };

/* ---- --dry-run descriptions (cdrfmt_describe.c) ---------------------------- */

typedef struct {
	char *out;
	size_t cap, len;
} cf_sbuf;

void cf_put(cf_sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A headerless layout: names[i] and what it feeds (NULL: ignored), one line each. */
void cf_describe_fixed(cf_sbuf *b, int nf, const char *const *names, const char *const *use);
/* A headed reader: each header column and the field it feeds (cdrfmt_headed.c). */
void cf_describe_headed(const cdrfmt_reader *r, int nfields, cf_sbuf *b);

/* ---- the descriptor ------------------------------------------------------- */

enum {
	CF_HEADLESS = 0, /* no header row: a fixed layout */
	CF_HEADED,       /* the first row is the header (--map column numbers only: none) */
	CF_FIRST_ROW     /* the first row decides: a header, or data in the format's layout */
};

/* One source format. Every member but setup is required (test_cdrfmt_desc.c). */
struct cdrfmt_desc {
	cdrfmt_kind kind;            /* the stored source name is name: never rename a format */
	const char *name;            /* --format NAME, and the imports' `source` */
	const char *const *aliases;  /* other accepted --format names, NULL-terminated */
	int headed;                  /* CF_HEADLESS, CF_HEADED or CF_FIRST_ROW; --map applies unless
	                                CF_HEADLESS */
	/* How detection recognises the format from the first record: CF_NO, or a
	 * confidence (CF_FALLBACK..CF_SURE). */
	int (*classify)(const cf_probe *p);
	/* Map one row (cdrfmt_reader_row's contract; blank and NUL rows are
	 * already refused, out is cf_rec_init'ed). */
	int (*row)(cdrfmt_reader *r, const csvin_row *row, cdr_rec *out, char *why, size_t n);
	/* Optional: prepare a new reader before --map is applied (asterisk-db
	 * presets its table's layout, used when the first row is data). */
	void (*setup)(cdrfmt_reader *r);
	/* --dry-run: the column mapping in words (cdrfmt_describe.h). */
	void (*describe)(const cdrfmt_reader *r, int nfields, cf_sbuf *b);
	/* Detection's failure message: the headerless shape, NULL for headed formats
	 * ("asterisk: 16-21 fields, a time in field 10"). */
	const char *shape;
	const char *summary;         /* one line for --help (at most 62 characters) */
	const char *billing;         /* which rows of a call are billed, after "bills " (--help) */
};

/* cdrfmt.c: the table, in detection order, and the descriptor of a kind
 * (NULL for AUTO or a kind without one). */
extern const cdrfmt_desc *const cdrfmt_table[];
extern const size_t cdrfmt_table_len;
const cdrfmt_desc *cdrfmt_desc_of(cdrfmt_kind k);

/* The formats (one file each). */
extern const cdrfmt_desc cdrfmt_asterisk;
extern const cdrfmt_desc cdrfmt_asterisk_custom;
extern const cdrfmt_desc cdrfmt_freeswitch;
extern const cdrfmt_desc cdrfmt_flowroute;
extern const cdrfmt_desc cdrfmt_generic;
extern const cdrfmt_desc cdrfmt_asterisk_db;
extern const cdrfmt_desc cdrfmt_grandstream;

/* Sniff mode (cdrsniff.c): keep a row's time text. */
void cf_sniff_note(struct cf_sniff *s, const char *text, size_t len);

/* --map parsing into r->map_col / r->map_num (cdrfmt_headed.c). 0, or -1
 * with why. A map of numbers only makes the reader headerless. */
int cf_map_parse(cdrfmt_reader *r, const char *map, char *why, size_t n);

#endif
