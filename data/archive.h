/* archive.h: `billtop archive` (issue 12): old months of call records taken
 * out of the PostgreSQL store's partitioned cdr table (pg/schema.sql.h).
 *
 * Each month before `before` (a month's first second, UTC) that still has
 * its partition cdr_YYYY_MM is checked, then detached (left as a plain table
 * of that name, outside cdr) or dropped. The checks (all months first;
 * one refusal and nothing is done):
 *   - rolled up: rollup_hour over the month's hours equals what its rows
 *     give (calls, connected, durations, billed seconds, unrated, charges,
 *     CNAM, internal), so balances, statements and usage, which read the
 *     rollups, are unchanged without the rows;
 *   - no alert of the month (or caused by one of its calls) still waiting
 *     in the outbox (pending or sending);
 *   - no open dispute case whose period overlaps the month (close it first);
 *   - never the current month or a later one.
 *   - the suspension walk of each account with calls there, re-done from
 *     its previous checkpoint to the months' end (verify_walk.c), equals the
 *     flags, suspension rows and low-balance crossings stored.
 * Re-ratings are one transaction each (rerate.c): none is ever pending.
 * The checks hold no lock a writer waits for (one REPEATABLE READ
 * snapshot); then, under a short SHARE ROW EXCLUSIVE lock of ledger, mdr,
 * rating and cdr, what they read is counted again (a change refuses the run:
 * "run billtop archive again"), the cheap checks are re-run, the
 * checkpoints are written and the months detached, in one transaction.
 * Checkpoints (pg/schema.sql.h): per account with calls in the run's months,
 * archive_walk (their count and charges, the walk at the end of the last
 * month), and per import archive_import; verify and the writer's full
 * re-walk start from the latest. An archived month is recorded in
 * cdr_archive; the books before the end of the last one are closed: a call
 * (billtop_cdr_month), a ledger entry or a message dated there is refused,
 * never stored twice.
 * SQLite: DB_EINPUT with the reason in db_errmsg (one file is archived by
 * copying it). */
#ifndef BILLTOP_ARCHIVE_H
#define BILLTOP_ARCHIVE_H

#include <stdint.h>
#include "db.h"

enum { ARCHIVE_DROP = 1, ARCHIVE_DRY_RUN = 2 };

typedef struct {
	char month[8];          /* "YYYY-MM" */
	char table[32];         /* "cdr_YYYY_MM" */
	int64_t lo, hi;         /* [lo, hi) in UTC seconds */
	int64_t calls;          /* rows in the partition */
	const char *refused;    /* NULL: archivable; else why not (valid during the call) */
	int taken;              /* 1: detached (or dropped) and committed */
} archive_month;

typedef void (*archive_fn)(const archive_month *m, void *ctx);

/* Check every month before `before`, call fn for each (in month order),
 * then, when none is refused and not ARCHIVE_DRY_RUN, detach (or with
 * ARCHIVE_DROP drop) them all in one transaction. *nrefused gets the
 * refused count (then nothing changed). DB_OK or a store error. */
int archive_before(db_t *db, int64_t before, int flags, archive_fn fn, void *ctx, int *nrefused);

/* The archived months overlapping [from, to) as "YYYY-MM, YYYY-MM" into buf
 * ("" when none, or on SQLite). DB_OK or a store error. */
int archive_months_in(db_t *db, int64_t from, int64_t to, char *buf, size_t n);

/* An account's latest checkpoint (archive_walk): the walk at hi, after
 * every event before it, whose calls `billtop archive` took out. */
typedef struct {
	int64_t hi;              /* 0: none (or SQLite) */
	int64_t balance, since;  /* since: TM_NONE when never suspended */
	int status;              /* LEDGER_ACTIVE / LEDGER_SUSPENDED */
	int has_pos, cls;        /* the last event before hi (has_pos 0: none) */
	int64_t at, id;
} archive_checkpoint;

/* *out gets the account's latest checkpoint (hi 0 when none). DB_OK or a
 * store error. Verify walks on from it; the writer's full re-walk too. */
int archive_checkpoint_get(db_t *db, int64_t account_id, archive_checkpoint *out);

/* The end of the last archived month into *hi (its first second after;
 * 0 when none, or on SQLite): every call before it was taken out. DB_OK or
 * a store error. */
int archive_end(db_t *db, int64_t *hi);

#endif
