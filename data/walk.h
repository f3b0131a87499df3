/* walk.h: the suspension walk over an account's balance events, in the store.
 *
 * Events are ledger entries (class 0, at their time), call charges (class 1,
 * at the call's start) and message charges (class 2), ordered by
 * (time, class, id). The walk records every transition in the `suspension`
 * table with the entry that caused it, and flags connected non-emergency
 * calls and messages that started while the account was suspended.
 *
 * Imports step the walk incrementally in memory (walk_event); an event that
 * arrives out of order (before the walk's position) marks the account dirty
 * and walk_save walks it again from the start of that event's hour (the
 * state there is the ledger and hourly rollups before it and the last
 * transition before it), not from the account's first record: a switch
 * writes CDRs when calls end, so a live feed sees such events in nearly
 * every batch. The walk also records each downward crossing of the
 * account's low-balance mark in `balance_mark`, and every transition and
 * crossing gets its row in the alert outbox (alert.h) in the same
 * transaction. Everything here is derived: walk_rebuild can always
 * recreate it, and verify compares against a walk from the start. */
#ifndef BILLTOP_WALK_H
#define BILLTOP_WALK_H

#include <stdint.h>
#include "../core/ledger.h"
#include "db.h"

enum { WALK_LEDGER = 0, WALK_CDR = 1, WALK_MDR = 2 };

typedef struct {
	int64_t account_id;
	ledger_walk w;
	int has_pos;           /* position valid (some event walked) */
	int64_t at, id;        /* position: last event walked */
	int cls;
	int has_mark;          /* the account has a low-balance mark (issue 10) */
	money_t mark;          /* it: a step from >= mark to < mark is a crossing */
	int dirty;             /* an out-of-order event arrived: rebuild on save */
	int64_t dirty_at;      /* the earliest such event's time */
} walk_acct;

/* Load the saved walk position of an account. */
int walk_load(db_t *db, int64_t account_id, walk_acct *out);

/* Apply one event. *was_suspended receives the status before the event
 * (for flagging). Out-of-order events only mark the walk dirty. */
int walk_event(db_t *db, walk_acct *wa, int64_t at, int cls, int64_t id, money_t delta,
               int *was_suspended);

/* Persist: rebuild if dirty, else store the position on the account row. */
int walk_save(db_t *db, walk_acct *wa);

/* Recompute the whole walk of an account from its records. With dry = 0 it
 * rewrites the suspension rows, flags and saved position. With dry = 1 it
 * writes nothing and stores in *diffs how many transitions, flags or saved
 * fields differ from what the store holds (0 = consistent). */
int walk_rebuild(db_t *db, int64_t account_id, int dry, int64_t *diffs);

#endif
