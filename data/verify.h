/* verify.h: re-derive every balance, rollup, charge and suspension from the
 * raw records and the ledger, and report each difference. */
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
