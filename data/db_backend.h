/* db_backend.h: what a store backend provides (issue 12). Included only by
 * data/db.c and the backends (data/sqlite/, data/pg/); the rest of data/
 * speaks db.h.
 *
 * Contracts beyond the function table:
 * - A backend's open fills db->impl (its connection) and may read
 *   db->read_only, which db.c sets from DB_OPEN_READONLY before the call
 *   (the SQLite backend also sets it for a file nobody may write).
 * - Every statement a backend returns from prepare starts with a
 *   `struct db_stmt` (its first member), whose db names the connection:
 *   db.c dispatches a statement call through st->db->be.
 * - On a failure a backend calls db_be_error(db, status, message): the
 *   status is what db_last_error returns and what db_fail maps, the message
 *   what db_fail quotes. exec and prepare also return the status; step
 *   returns it instead of DB_ROW/DB_DONE. */
#ifndef BILLTOP_DB_BACKEND_H
#define BILLTOP_DB_BACKEND_H

#include "db.h"

typedef struct db_backend {
	const char *name;                                   /* "sqlite", "postgresql" */
	int  (*open)(db_t *db, const char *target, int flags);   /* fills db->impl; msg in db->err */
	void (*close)(db_t *db);
	int  (*exec)(db_t *db, const char *sql);            /* no params, no rows; several statements ok */
	int  (*prepare)(db_t *db, const char *sql, db_stmt **out);
	int  (*bind_int64)(db_stmt *, int idx, int64_t);
	int  (*bind_text)(db_stmt *, int idx, const char *s, int n);    /* n < 0: strlen; always copied */
	int  (*bind_blob)(db_stmt *, int idx, const void *p, int n);    /* always copied */
	int  (*bind_null)(db_stmt *, int idx);
	int  (*step)(db_stmt *);                            /* DB_ROW, DB_DONE, or a DB_E* status */
	int  (*column_type)(db_stmt *, int col);            /* DB_NULL, DB_INTEGER, DB_FLOAT, DB_TEXT, DB_BLOB */
	int64_t (*column_int64)(db_stmt *, int col);
	const unsigned char *(*column_text)(db_stmt *, int col);   /* valid until next step/reset/finalize */
	const void *(*column_blob)(db_stmt *, int col);
	int  (*column_bytes)(db_stmt *, int col);
	int  (*column_count)(db_stmt *);
	void (*reset)(db_stmt *);                           /* keeps bindings */
	void (*clear_bindings)(db_stmt *);
	void (*finalize)(db_stmt *);
	int64_t (*changes)(db_t *);                         /* rows changed by the last statement */
	int  (*in_transaction)(db_t *);                     /* 1 inside BEGIN..COMMIT */
	int  (*begin)(db_t *db, int write);                 /* SQLite: BEGIN IMMEDIATE / DEFERRED; PG: BEGIN */
	int  (*commit)(db_t *), (*rollback)(db_t *);
	int64_t (*data_version)(db_t *);                    /* SQLite PRAGMA data_version; PG: a counter bumped by NOTIFY */
	void (*set_progress)(db_t *, int every, int (*fn)(void *), void *ctx);  /* PG: poll fn, PQcancel */
	int  (*schema_version)(db_t *, int *out);           /* SQLite user_version; PG: billtop_schema table */
	int  (*migrate)(db_t *db);                          /* bring the schema to DB_SCHEMA_VERSION */
	int  (*reopen)(db_t *db, db_t **out);               /* a second handle on the same store (threads) */
	int  (*lock_account)(db_t *db, int64_t account_id); /* SQLite: no-op (BEGIN IMMEDIATE holds the file);
	                                                      PG: pg_advisory_xact_lock(account_id) */
} db_backend;

struct db {
	const db_backend *be;
	void *impl;          /* the backend's connection */
	int read_only;
	int shared;          /* a db_share copy: db_close leaves the connection open */
	int last;            /* status of the last failed backend call (db_be_error) */
	char err[512];       /* db_errmsg: the message of the last failed db_* call */
	char be_err[512];    /* the backend's own message for `last` */
};

/* The head of every backend statement. */
struct db_stmt {
	db_t *db;
};

/* Record a backend failure on db: status and the backend's message (NULL:
 * none). Returns status. */
int db_be_error(db_t *db, int status, const char *msg);
/* A new handle for backend be (calloc'd, be set); NULL when out of memory.
 * For a backend's reopen. */
db_t *db_new(const db_backend *be, int read_only);

/* The backends: data/sqlite/db_sqlite.c, data/pg/db_pg.c (the Makefile
 * defines BILLTOP_PG when data/pg/ has sources; db.c refuses a PostgreSQL
 * target without it). */
extern const db_backend db_sqlite_backend;
extern const db_backend db_pg_backend;

#endif
