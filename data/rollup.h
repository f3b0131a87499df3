/* rollup.h: in-memory accumulators for the hourly and per-destination daily
 * rollups, flushed into rollup_hour / rollup_dest_day with additive upserts
 * inside the caller's transaction (so rollups commit with their records).
 * The accumulator owns its memory; flush when rollup_entries() grows large
 * to keep memory bounded whatever the import size. */
#ifndef BILLTOP_ROLLUP_H
#define BILLTOP_ROLLUP_H

#include <stddef.h>
#include <stdint.h>
#include "db.h"

typedef struct {
	int64_t calls, connected, duration_ms, billsec_ms, billed_secs, unrated;
	int64_t cost_calls, cost_cnam, cnam_lookups, msgs, msg_segments, cost_msg;
	int64_t internal;          /* calls in the internal state (issue 9) */
} rollup_hour_v;

typedef struct {
	int64_t calls, connected, billsec_ms, billed_secs, cost;
} rollup_dest_v;

typedef struct {
	int64_t msgs, segments, cost;
} rollup_msg_v;

/* The message type and direction codes stored in rollup_msg_day:
 * type 0 sms, 1 mms (first letter m/M); dir 0 "outbound", 1 "inbound"
 * (any case), 2 anything else. verify.c derives the same codes in SQL. */
int rollup_msg_type(const char *type);
int rollup_msg_dir(const char *direction);

typedef struct rollup rollup;

rollup *rollup_new(void);
void rollup_free(rollup *r);
/* Find or add the zeroed cell. NULL on out of memory. The pointer is valid
 * until the next rollup_* call. `hour` and `day` are UTC s floors. */
rollup_hour_v *rollup_hour(rollup *r, int64_t account_id, int64_t hour);
rollup_dest_v *rollup_dest(rollup *r, int64_t account_id, int64_t day, const char *prefix);
rollup_msg_v *rollup_msg(rollup *r, int64_t account_id, int64_t day, int type, int dir);
size_t rollup_entries(const rollup *r);
/* Add every cell into the tables and empty the accumulator. Cells may
 * hold negative values (a re-rate subtracts a call's old rating). */
int rollup_flush(rollup *r, db_t *db);
/* Remove the destination cells of an account left with no call (a re-rate
 * moved every call of a day from one prefix to another), so the table
 * stays what a fresh derivation from the calls gives (verify). */
int rollup_drop_empty_dest(db_t *db, int64_t account_id);

#endif
