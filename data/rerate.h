/* rerate.h: re-rating stored calls as append-only corrections (issue 10).
 *
 * A run takes the connected calls of one account that are rated or unrated
 * (other states do not depend on a deck: not connected, extra legs,
 * emergency and internal calls are never touched), in an optional period of
 * start times, optionally only the unrated ones, and rates each again on a
 * deck (the account's, or the one named) with the rule of DESIGN.md, the
 * account's decimals and rounding and the dial plan the call was first
 * rated with (cdr.dialplan). A call whose new charge (state, rate row,
 * prefix, billed seconds, cost, unrated reason) equals its current one is
 * left alone, so a run repeated changes nothing and writes no run.
 *
 * For every other call, in ONE transaction per account: a correction is
 * appended to `rating` (seq n, with the run and the new rating; the cdr row
 * keeps the first rating, immutable) and becomes the call's current rating
 * (rating_now, read through the cdr_now view), the hourly and destination
 * rollups get the difference, the suspension walk
 * is walked again from the earliest corrected call's hour (transitions and
 * suspended flags), and the run (who, when, memo, deck, scope, counts) and
 * its effect per day (the statement's correction lines) are written. A
 * SIGKILL anywhere leaves the account all old or all new. The calls are
 * read and rated on a second thread with its own read connection (opened
 * inside the run's write transaction: it sees the state before the run)
 * while the caller's connection writes; an in-memory store reads on one. */
#ifndef BILLTOP_RERATE_H
#define BILLTOP_RERATE_H

#include <stdint.h>
#include "../core/money.h"
#include "../core/rate.h"
#include "account.h"
#include "db.h"

typedef struct {
	const char *deck;          /* deck name, or NULL for the account's own */
	int64_t from, to;          /* calls starting in [from, to); INT64_MIN / INT64_MAX */
	int only_unrated;
	int dry_run;               /* compute and report, write nothing */
	const char *memo;          /* why (required unless dry_run); borrowed */
} rerate_opts;

/* The difference on one destination prefix (the prefix a call is rated on
 * after the run, "" when it is unrated after it). */
typedef struct {
	char prefix[RATE_PREFIX_MAX + 1];
	int64_t calls;
	money_t was, now;
} rerate_prefix;

typedef struct {
	account_info account;
	char deck[ACCOUNT_NAME_MAX + 1];
	int64_t run_id;            /* the run written; 0 for a dry run or no change */
	int64_t examined;          /* calls read (rated or unrated, in scope) */
	int64_t corrected;         /* calls whose rating changed */
	int64_t newly_rated;       /* of which were unrated and are rated now */
	int64_t now_unrated;       /* of which were rated and are unrated now */
	money_t was, now;          /* charges of the corrected calls before and after */
	int nprefix;
	rerate_prefix *prefix;     /* owned by the result, sorted by prefix */
} rerate_result;

void rerate_result_free(rerate_result *r);

/* Re-rate one account (see above). The caller holds no transaction.
 * DB_EINPUT when the account has no deck and none is named, or a cost
 * overflows; DB_ENOTFOUND for an unknown deck. *out is filled (free it)
 * whatever the status. */
int rerate_account(db_t *db, const account_info *a, const rerate_opts *o, rerate_result *out);

/* Every rating of one call, oldest first: the first (seq 0, run 0: what
 * the call was rated at import), then each correction. A call never
 * corrected has only the first. */
typedef struct {
	int seq;
	int64_t run_id;            /* 0 for the first rating */
	int64_t at;                /* the run's time (0 for the first rating) */
	char operator_[64], memo[256], deck[ACCOUNT_NAME_MAX + 1];
	int state;
	int64_t rate_id, billed_secs;
	char prefix[RATE_PREFIX_MAX + 1];
	money_t cost;
	char unrated_reason[200];
} rerate_rating;

/* *out (owned by the caller, free()) gets *n >= 1 ratings of call row
 * `cdr_id`; the last is the current one. */
int rerate_history(db_t *db, int64_t cdr_id, rerate_rating **out, int *n);

/* The statement's correction lines: the runs that corrected calls of the
 * account starting in [from, to) (whole UTC days), with their effect there. */
typedef struct {
	int64_t run_id, at;
	char operator_[64], memo[256], deck[ACCOUNT_NAME_MAX + 1];
	int64_t calls;
	money_t delta;             /* new - previous charge (positive = charged more) */
} rerate_correction;

int rerate_corrections(db_t *db, int64_t account_id, int64_t from, int64_t to, rerate_correction **out,
                       int *n);

/* Internal to rerate.c and rerate_query.c: arrays that grow to powers of
 * two; call before adding element n (*p reallocated at 1, 2, 4, ...).
 * 0, or -1 on out of memory (*p unchanged). */
int rerate_grow(void **p, int n, size_t size);

#endif
