/* cnamq.h: every CNAM (caller name) charge of an account one by one, for
 * `billtop cnams` and the console's CNAM lookups list.
 *
 * A CNAM charge has one of two sources, both summed by the statement's CNAM
 * line for the same period:
 *   - a lookup fee on a call record (cdr.cnam_cost, read through cdr_now;
 *     the carrier's per-lookup fee from the calls file's cnam column, never
 *     re-rated: re-rating corrects the call charge only);
 *   - a ledger entry of kind cnam (a fee posted by an operator, a monthly
 *     CNAM charge; its memo says what it is).
 * So the sum of the fees over [from, to) is the statement's CNAM line, and
 * the number of call rows is its lookup count. */
#ifndef BILLTOP_CNAMQ_H
#define BILLTOP_CNAMQ_H

#include <stdint.h>
#include "../core/money.h"
#include "account.h"
#include "cdr.h"
#include "db.h"

typedef enum { CNAMQ_CALL = 0, CNAMQ_LEDGER = 1 } cnamq_source;

/* Text members hold whole stored fields (the importer refuses longer ones;
 * a ledger memo longer than CDR_FIELD_MAX is cut, `ledger list` has it whole). */
typedef struct {
	cnamq_source source;
	int64_t id;                          /* cdr row id or ledger entry id */
	int64_t key;                         /* id * 2 + source: unique, the order within a second */
	int64_t at;                          /* call start, or the entry's time */
	char record_id[CDR_RECORD_ID_MAX + 1]; /* the call's id; "" for a ledger entry */
	char number[CDR_FIELD_MAX + 1];      /* the number looked up (the caller); "" for a ledger entry */
	char dst[CDR_FIELD_MAX + 1];         /* the number called; "" for a ledger entry */
	char clid[CDR_FIELD_MAX + 1];        /* caller id as stored (raw bytes); "" for a ledger entry */
	char memo[CDR_FIELD_MAX + 1];        /* ledger: its memo; "" for a call */
	money_t fee;                         /* the charge, >= 0 (a debit) */
	int suspended;                       /* a call made while suspended */
} cnamq_row;

typedef struct {
	int64_t from, to;            /* time in [from, to); INT64_MIN/INT64_MAX for all */
	const char *text;            /* substring of the number, caller id, call id or memo, or NULL */
	int newest_first;            /* 0: oldest first (at, key); 1: the reverse */
	/* keyset: only rows strictly past (past_at, past_key) in that order (a
	 * page after the last one read); has_past 0: none */
	int has_past;
	int64_t past_at, past_key;
	int limit;                   /* 0 = no limit */
} cnamq_filter;

typedef int (*cnamq_fn)(const cnamq_row *r, void *ctx);

/* Calls fn for each CNAM charge of account a matching f, in the order f
 * asks ((at, key): by time, then by key within a second); a non-zero return from fn stops the walk. Reads the (account_id,
 * start) index of calls (cnam_cost is in it) and the (account_id, at) index
 * of the ledger. DB_OK or a db status (db_errmsg says why). */
int cnamq_each(db_t *db, const account_info *a, const cnamq_filter *f, cnamq_fn fn, void *ctx);

/* Over [from, to): the number of lookups on calls, the number of ledger
 * entries of kind cnam, and the sum of both kinds' fees (the statement's
 * CNAM line). Whole hours come from the hourly rollups, as the statement
 * reads them: a period of years costs what a day does. */
int cnamq_sum(db_t *db, const account_info *a, int64_t from, int64_t to, int64_t *lookups, int64_t *entries,
              money_t *total);

#endif
