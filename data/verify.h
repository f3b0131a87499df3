/* verify.h: re-derive every derived field from the raw records and the
 * ledger (rollups column by column, balances, charges, states, billed legs,
 * the suspended flag of every call and message, the suspension history,
 * the walk cached on accounts, import counts) and report each difference
 * on one line naming the record or cell and the field. The checks live in
 * verify.c, verify_walk.c and verify_records.c (verify_int.h). */
#ifndef BILLTOP_VERIFY_H
#define BILLTOP_VERIFY_H

#include <stdint.h>
#include "db.h"

/* Called once per finding with a one-line description. */
typedef void (*verify_fn)(const char *finding, void *ctx);

typedef struct {
	int64_t accounts, cdrs_checked, rollup_cells, differences;
} verify_result;

/* Runs every check in one read transaction (a consistent snapshot). */
int verify_all(db_t *db, verify_fn fn, void *ctx, verify_result *out);

#endif
