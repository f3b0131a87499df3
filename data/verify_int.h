/* verify_int.h: what the verify_*.c checks share, and archive.c (which runs
 * verify's walk to record its checkpoints); not for other modules.
 * Each check is a function that reports through finding() and sets
 * v->status on a database failure (then the run stops). */
#ifndef BILLTOP_VERIFY_INT_H
#define BILLTOP_VERIFY_INT_H

#include "../core/ledger.h"
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

/* Where a fresh walk starts: before every event (from INT64_MIN), or, on
 * PostgreSQL after `billtop archive`, the account's latest checkpoint
 * (archive_walk): the walk at `from`, after every event before it, whose
 * calls may be gone. has_pos/at/cls/id: the last event walked. */
typedef struct {
	int64_t from;
	ledger_walk w;
	int has_pos, cls;
	int64_t at, id;
} vwalk_pos;

/* The account's latest checkpoint into *out (none, or SQLite: the start of
 * everything). DB_OK or a store error. */
int verify_walk_start(db_t *db, int64_t account_id, vwalk_pos *out);

/* The fresh walk of the events in [start->from, until): flags of its calls
 * and messages, suspension rows and low-balance crossings in that range
 * (the walk position on the account row is not: verify_walk_account);
 * *end gets the walk at `until` (archive.c records it). */
void verify_walk_range(vctx *v, const account_info *a, const vwalk_pos *start, int64_t until, vwalk_pos *end);
/* Suspension rows of no account. */
void verify_walk_orphans(vctx *v);

/* verify_records.c: billed legs, unrated reasons, import counts. */
void verify_records(vctx *v);

#endif
