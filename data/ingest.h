/* ingest.h: follow a CDR file that a switch keeps appending to (Asterisk's
 * Master.csv) and rate each complete record as it arrives: `billtop ingest`.
 *
 * Only bytes up to the last line end are ever consumed, so a half-written
 * last line waits for its end. Records are rated and stored with the same
 * store_writer as `import cdr` (same record ids: a file imported and then
 * followed adds nothing twice) and committed in small batches: when the
 * follower has caught up with the file, and every batch_ms / batch_rows
 * while it is behind. Each batch's transaction also moves the file's
 * position in the `ingest` table (device, inode, byte offset, line), so a
 * restart resumes exactly after the last committed record and re-reads
 * nothing committed.
 *
 * Rotation: when the path names another file (new inode) the old one is read
 * to its end first, then the new one from its start; a file that shrank
 * (truncated in place) is read again from its start. If billtop was down
 * during a rotation, the old file is looked for by inode in the same
 * directory (Master.csv.1...) and finished first. A last line left without
 * its end in a rotated file is kept as a rejected row, never dropped
 * silently; so are bad rows (a follower cannot stop the switch's billing on
 * one bad line). Every session is an `import` row (kind "ingest") whose
 * counters each batch updates: the audit trail of the feed. */
#ifndef BILLTOP_INGEST_H
#define BILLTOP_INGEST_H

#include <signal.h>
#include <stdint.h>
#include "cdrfmt.h"
#include "db.h"
#include "store.h"

typedef void (*ingest_note_fn)(const char *msg, void *ctx);

typedef struct {
	cdrfmt_kind format;          /* CDRFMT_AUTO: as stored for this path, else detected */
	const char *account;         /* --account or NULL */
	const char *tz;              /* --tz or NULL (UTC) */
	const char *map;             /* --map or NULL */
	const char *date_format;     /* --date-format or NULL: order from a sample of each file (cdrsniff.h) */
	int create_accounts;
	int follow;                  /* 1: keep following; 0: read to the current end and return */
	int batch_ms;                /* <= 0: 200 */
	int batch_rows;              /* <= 0: 500 */
	int poll_ms;                 /* idle polling period; <= 0: 50 */
	int rotate_grace_ms;         /* how long an unfinished last line of a rotated file may
	                                still be completed; < 0: 1000 (0 with follow = 0) */
	volatile sig_atomic_t *stop; /* becomes non-zero: commit what was read, return */
	ingest_note_fn note;         /* one line per event (file opened, rotated, rejected row); may be NULL */
	void *ctx;
	int verbose;                 /* note every committed batch too */
} ingest_opts;

typedef struct {
	cdrfmt_kind format;
	int64_t import_id;           /* this session's import row, 0 if nothing committed */
	int64_t batches, rows, rejected, files;
	store_stats st;              /* committed records only */
	int64_t offset, line;        /* committed position in the file read last */
} ingest_result;

/* Follow `path` until *o->stop (or, without follow, until the end of what
 * is there). Returns DB_OK, or a DB_E* status with the reason in
 * db_errmsg(db); what was committed before an error stays committed. */
int ingest_run(db_t *db, const char *path, const ingest_opts *o, ingest_result *res);

#endif
