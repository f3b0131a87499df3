/* db_pg_bulk.h: bulk writes on a PostgreSQL store (db_pg_bulk.c), for the
 * rating writer (data/store.c, data/store_batch.c) only: COPY FROM STDIN,
 * and statements sent without waiting for their results (pipeline mode). */
#ifndef BILLTOP_DB_PG_BULK_H
#define BILLTOP_DB_PG_BULK_H

#include <stddef.h>

#include "../db.h"

/* Run `sql` (a COPY ... FROM STDIN in text format) on db's connection with
 * data[0..len) as its input, in one go, without waiting for the server to
 * finish: the COPY's result is read by the next call on db that talks to the
 * server (a step, an exec, a commit), which then fails with the COPY's
 * status and message (db_fail quotes it) if the COPY failed. DB_OK, or a
 * failure to start or send it. A failed COPY aborts the transaction, as any
 * failed statement does on PostgreSQL (a commit then fails, never commits). */
int db_pg_copy_in(db_t *db, const char *sql, const char *data, size_t len);

/* Wait for a COPY db_pg_copy_in left running: DB_OK, or its failure. */
int db_pg_copy_wait(db_t *db);

/* Deferred steps. on = 1: from now on db_step sends each statement and
 * returns DB_DONE without waiting for the server (libpq's pipeline mode,
 * results read every few hundred statements): only for statements that
 * return no rows and whose changes count is not read (the rollups' upserts).
 * on = 0: wait for every result sent, leave pipeline mode; DB_OK, or the
 * status of the first that failed with its message on db. A statement that
 * failed while deferred aborts the transaction, as it would have at once. */
int db_pg_defer(db_t *db, int on);

#endif
