/* demo.h: build a demo database with the synthetic traffic generator. */
#ifndef BILLTOP_DEMO_H
#define BILLTOP_DEMO_H

#include <stdint.h>
#include "db.h"
#include "store.h"

typedef struct {
	int days;            /* traffic history length, default 92 */
	uint64_t seed;
	int64_t now;         /* traffic ends at the end of this hour */
	int scale;           /* multiplies calls per day (benchmarks), default 1 */
} demo_opts;

typedef struct {
	int64_t calls, messages, ledger_entries;
	store_stats st;
} demo_result;

/* Fill an empty, freshly created database: accounts, the demo deck, and
 * `days` of traffic rated through the same store as every import. One
 * transaction: all or nothing. Marks the file as a demo (meta demo=1). */
int demo_build(db_t *db, const demo_opts *o, demo_result *res);

#endif
