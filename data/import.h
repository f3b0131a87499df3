/* import.h: importing CDR and MDR files into the store.
 *
 * Each file is one transaction: fully applied or not at all. With
 * keep_going, good rows are applied and every bad row is kept in the
 * `reject` table with its file, line and reason. Re-importing records
 * already stored adds nothing (dedupe on the format's record id). */
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
} import_opts;

typedef struct {
	int64_t import_id;        /* 0 when nothing was committed */
	cdrfmt_kind format;
	int64_t rows, rejected, bytes;
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
