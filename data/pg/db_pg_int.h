/* db_pg_int.h: what the PostgreSQL backend's two files share (data/pg/ only):
 * db_pg.c (connection, messages, transactions, schema, the backend table)
 * and db_pg_stmt.c (statements: the ?N rewrite, prepare, bind, step,
 * columns). */
#ifndef BILLTOP_DB_PG_INT_H
#define BILLTOP_DB_PG_INT_H

#include <libpq-fe.h>
#include <stdint.h>

#include "../db_backend.h"

#define OID_BOOL 16
#define OID_BYTEA 17
#define OID_INT8 20
#define OID_TEXT 25
#define OID_INT2 21
#define OID_INT4 23
#define OID_OID 26
#define OID_FLOAT4 700
#define OID_FLOAT8 701
#define OID_NUMERIC 1700

typedef struct pg_prep {
	char *key;  /* statement text, NUL, type signature */
	size_t keylen;
	char name[16];
	struct pg_prep *next;
} pg_prep;

typedef struct pg_conn {
	PGconn *pg;
	char *target;          /* as given (for reopen); never printed */
	char secret[256];      /* the password, scrubbed from messages */
	char label[256];       /* user@host:port/db */
	int flags;
	int64_t version;       /* notifications from other sessions */
	int64_t changes;
	int nprep;
	pg_prep *preps;
	int progress_every;
	int (*progress)(void *);
	void *progress_ctx;
	/* db_pg_defer: steps sent without waiting (pipeline mode) */
	int defer, inpipe, pending;
	int copy_busy;         /* db_pg_copy_in sent a COPY whose result is not read yet */
	struct pg_stmt *stream; /* the statement whose rows are still arriving
	                           (single-row mode); NULL when none */
} pg_conn;


/* the connection (db->impl) */
pg_conn *pg_conn_of(db_t *db);
/* A failed result: its status from the SQLSTATE, its message recorded on db
 * (db_be_error, the password scrubbed). Returns the status. */
int pg_res_fail(db_t *db, pg_conn *c, const char *what, PGresult *r);
/* rows of the last INSERT/UPDATE/DELETE into c->changes (others leave it) */
void pg_note_changes(pg_conn *c, PGresult *r);
/* a text without parameters (several statements allowed) */
int pg_exec_c(db_t *db, const char *sql);

/* The result of a COPY db_pg_copy_in left running (pg_settle): read before
 * anything else is sent on c. DB_OK, or the COPY's failure (message on db). */
int pg_settle(db_t *db, pg_conn *c);

/* db_pg_stmt.c: the rest of a streaming statement's rows read into memory
 * (another statement needs the connection); a no-op when none streams. A
 * failure of that statement is kept for its own step, never returned here. */
void pg_unstream(pg_conn *c);

/* Read the results of every deferred step (a pipeline sync); leave pipeline
 * mode when leave. DB_OK, or the first failure's status (message on db). */
int pg_drain(db_t *db, pg_conn *c, int leave);

/* db_pg_stmt.c: the statement half of the backend table */
int pg_prepare(db_t *db, const char *sql, db_stmt **out);
int pg_bind_int64(db_stmt *st, int idx, int64_t v);
int pg_bind_text(db_stmt *st, int idx, const char *p, int n);
int pg_bind_blob(db_stmt *st, int idx, const void *p, int n);
int pg_bind_null(db_stmt *st, int idx);
int pg_step(db_stmt *st);
int pg_column_type(db_stmt *st, int col);
int64_t pg_column_int64(db_stmt *st, int col);
const unsigned char *pg_column_text(db_stmt *st, int col);
const void *pg_column_blob(db_stmt *st, int col);
int pg_column_bytes(db_stmt *st, int col);
int pg_column_count(db_stmt *st);
void pg_reset(db_stmt *st);
void pg_clear_bindings(db_stmt *st);
void pg_finalize(db_stmt *st);

#endif
