/* mdrq.h: reading stored message records (MDRs) one by one, for the mdrs
 * command and the console's messages list. The charges are the stored
 * ones: their sum over [from, to) is the statement's messaging line. */
#ifndef BILLTOP_MDRQ_H
#define BILLTOP_MDRQ_H

#include <stdint.h>
#include "../core/money.h"
#include "account.h"
#include "cdr.h"
#include "db.h"

/* Text members hold whole stored fields (the importer refuses longer ones). */
typedef struct {
	int64_t id;
	char record_id[CDR_RECORD_ID_MAX + 1];
	int64_t at;
	char direction[CDR_FIELD_MAX + 1];
	char src[CDR_FIELD_MAX + 1], dst[CDR_FIELD_MAX + 1];
	char type[CDR_FIELD_MAX + 1];
	int64_t segments;
	money_t cost;
	int suspended;               /* sent or received while the account was suspended */
} mdrq_row;

typedef struct {
	int64_t from, to;            /* at in [from, to); INT64_MIN/INT64_MAX for all */
	const char *text;            /* substring of src, dst, type or direction, or NULL */
	/* keyset: rows strictly older than (before_at, before_id); 0/0 for none */
	int64_t before_at, before_id;
	/* keyset the other way: rows strictly newer than (after_at, after_id); 0/0 for none */
	int64_t after_at, after_id;
	int oldest_first;            /* 0: newest first (at, id descending); 1: oldest first */
	int limit;                   /* 0 = no limit */
} mdrq_filter;

typedef int (*mdrq_fn)(const mdrq_row *r, void *ctx);

/* Calls fn for each matching message of account a; a non-zero return from
 * fn stops the walk. Pages are keyset reads (never OFFSET), bounded on the
 * (account_id, at) index, so any page costs what the first does. DB_OK or a db status (db_errmsg says why). */
int mdrq_each(db_t *db, const account_info *a, const mdrq_filter *f, mdrq_fn fn, void *ctx);

/* Count and charge of the messages of account a in [from, to): what the
 * listing's total line says, without the rows. */
int mdrq_sum(db_t *db, const account_info *a, int64_t from, int64_t to, int64_t *n, money_t *cost);

#endif
