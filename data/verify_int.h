/* verify_int.h: what the verify_*.c checks share (not for other modules).
 * Each check is a function that reports through finding() and sets
 * v->status on a database failure (then the run stops). */
#ifndef BILLTOP_VERIFY_INT_H
#define BILLTOP_VERIFY_INT_H

#include "account.h"
#include "verify.h"

typedef struct {
	db_t *db;
	verify_fn fn;
	void *ctx;
	verify_result *res;
	int status;
} vctx;

/* One difference: a line naming the record or cell and the field. */
void verify_finding(vctx *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* verify_walk.c: the suspension walk of one account re-done from its
 * records: the flag of every call and message (both ways, with the reason),
 * every row of the suspension history (time, event, balance, cause) and the
 * walk position cached on the account row. */
void verify_walk_account(vctx *v, const account_info *a);
/* Suspension rows of no account. */
void verify_walk_orphans(vctx *v);

/* verify_records.c: billed legs, unrated reasons, import counts. */
void verify_records(vctx *v);

#endif
