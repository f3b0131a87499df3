/* import.h: importing CDR and MDR files into the store.
 *
 * Each file is one transaction: fully applied or not at all. With
 * keep_going, good rows are applied and every bad row is kept in the
 * `reject` table with its file, line and reason. Re-importing records
 * already stored adds nothing (dedupe on the format's record id).
 *
 * Accounting: every row read (header and blank rows are not rows) is
 * stored, an identical duplicate, or rejected; import_*_file checks
 * rows == st.inserted + st.duplicates + rejected before committing and
 * refuses the import (nothing written) if it ever does not hold. */
#ifndef BILLTOP_IMPORT_H
#define BILLTOP_IMPORT_H

#include <stdint.h>
#include "cdrfmt.h"
#include "cdrsniff.h"
#include "db.h"
#include "store.h"

typedef struct {
	cdrfmt_kind format;       /* CDRFMT_AUTO to detect */
	const char *account;      /* --account or NULL */
	const char *tz;           /* --tz or NULL (UTC) */
	const char *map;          /* --map or NULL */
	const char *date_format;  /* --date-format or NULL: the order is decided from a sample */
	int keep_going;
	int create_accounts;
	int progress;             /* draw progress on stderr */
	int lenient;              /* --lenient: stray quotes read as text (csvin.h) */
	const char *deck;         /* --deck: deck of accounts created by the import */
	struct import_preview *preview; /* --dry-run: filled, nothing written */
} import_opts;

/* --dry-run: what the import would do, from a sample of the file. The
 * sample's rows go through the very store code an import runs, inside a
 * transaction that is rolled back: nothing is written. */
#define IMPORT_SAMPLE_ROWS 1000
#define IMPORT_PREVIEW_ROWS 10
typedef struct {
	int64_t line;
	int outcome;              /* STORE_INSERTED, STORE_DUPLICATE, STORE_REJECT */
	char why[200];            /* STORE_REJECT: the reason */
	char account[80], src[48], dst[48], disposition[32], prefix[24];
	int64_t start, billsec_ms, billed_secs;
	int state;                /* CDR_* (store.h) when inserted */
	money_t cost;
	int decimals;             /* the account's, for showing cost */
} import_preview_row;

typedef struct import_preview {
	char mapping[4096];       /* cdrfmt_describe's text */
	char zone[64];
	char dialplan[160];       /* --account's plan (dialplan_describe), "none", or
	                             "each record's account's" without --account */
	int nrows;
	import_preview_row row[IMPORT_PREVIEW_ROWS];
	int truncated;            /* the file has more rows than the sample */
} import_preview;

typedef struct {
	int64_t import_id;        /* 0 when nothing was committed */
	cdrfmt_kind format;
	int64_t rows, rejected, bytes;
	int64_t repaired;         /* --lenient: rows whose quoting was repaired */
	store_stats st;
	double seconds;           /* wall time (display only) */
	cdrsniff_result dates;    /* how dates were read; dates.hint: the zone warning or "" */
} import_result;

/* Import one CDR file. On failure db_errmsg says "FILE:LINE: reason" (or
 * "FILE: reason") and the database is unchanged. */
int import_cdr_file(db_t *db, const char *path, const import_opts *o, import_result *res);

/* Import one MDR (messaging) CSV with a header: id, time, direction, from,
 * to, type (sms/mms), segments, cost, and account (or --account). */
int import_mdr_file(db_t *db, const char *path, const import_opts *o, import_result *res);

#endif
