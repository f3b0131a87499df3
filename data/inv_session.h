/* inv_session.h: what an interactive investigation needs beyond inv_run
 * (investigate.h): re-running the engine on the sides already loaded (the
 * console's wizard, when the engineer overrides a step of the tree), the
 * hourly totals of one day for the hour drill-down, and a stored case's
 * report exactly as `billtop case ID --report KIND` prints it.
 *
 * Kept apart from investigate.c / inv_case.c so changes to loading and
 * matching do not collide with these additions. Errors: DB_OK or a DB_E*
 * status with the reason in db_errmsg(db), as the rest of data/ does. */
#ifndef BILLTOP_INV_SESSION_H
#define BILLTOP_INV_SESSION_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "investigate.h"

/* Run the engine again over c->ours and c->theirs (kept in memory since
 * inv_run) with `ro` (typically the first run's options with force_day /
 * force_connected_match / force_duration_match set), and explain the new
 * single call. On DB_OK c->res, c->explain and c->secs_recon are replaced;
 * on failure c is left exactly as it was. c->id and the stored case are not
 * touched: a stored case's findings never change. */
int inv_rerun(db_t *db, inv_case *c, const recon_opts *ro);

/* Totals per UTC hour of the UTC day starting at `day`, both sides, bucketed
 * by each side's own start time (no clock offset applied), as the engine
 * buckets the hours when it looks for the worst hour. hours[k].start is
 * day + k * 3600. */
void inv_hour_totals(const inv_case *c, int64_t day, recon_bucket hours[24]);

/* The case's live state (status, closing, account, verdicts, notes) that
 * `billtop case ID` (without --report) prints above the letter, ending with
 * a blank line. Internal: never part of the letter. */
void inv_case_state_write(FILE *f, const inv_case_row *r);

/* What `billtop case ID --report KIND` prints (KIND INV_REPORT_*): the
 * latest version's report exactly as stored (text: the letter to the
 * carrier, nothing internal above it). *out is malloc'd and NUL-terminated
 * (caller frees), *len its length. */
int inv_case_print(db_t *db, int64_t id, int kind, char **out, size_t *len);
/* The same of one version (1 the engine's, 2.. the engineer's, 0 the latest). */
int inv_case_print_v(db_t *db, int64_t id, int version, int kind, char **out, size_t *len);

#endif
