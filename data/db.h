/* db.h: the store: open/create, schema migrations, transactions, and the
 * statement interface every data/ module speaks (issue 12).
 *
 * The store is a backend behind one interface: SQLite (data/sqlite/, the
 * default: a file path) or PostgreSQL (data/pg/: a "postgresql://" URI or a
 * libpq "key=value" string). Nothing here names a backend's own types: a
 * db_t is a connection, a db_stmt a prepared statement, both opaque. The
 * schema is versioned and migrated forward only. Every statement is prepared
 * with bound parameters; none is built from user text.
 *
 * Error reporting: functions return DB_OK or a DB_E* status and leave a
 * human-readable message in db_errmsg(db) (owned by the handle, valid until
 * the next call on it). */
#ifndef BILLTOP_DB_H
#define BILLTOP_DB_H

#include <stddef.h>
#include <stdint.h>

enum {
	DB_OK = 0,
	DB_EOPEN,      /* cannot open or create the store */
	DB_ESCHEMA,    /* newer schema than this binary, or a migration failed */
	DB_ESQL,       /* a backend error (message in db_errmsg) */
	DB_ENOTFOUND,  /* a named account/deck/call does not exist */
	DB_EEXISTS,    /* already exists */
	DB_EINPUT,     /* bad input (message says which) */
	DB_EREADONLY,  /* the store was opened read-only (or the file is) */
	DB_ENOMEM,
	DB_ECONSTRAINT, /* a UNIQUE/NOT NULL/CHECK constraint or an append-only trigger refused the row */
	DB_EBUSY,      /* another writer holds the lock past the wait (SQLite BUSY/LOCKED; PG lock timeout) */
	DB_EINTERRUPT  /* the progress function asked to stop (db_set_progress) */
};
/* db_step results: never equal to a status. */
enum { DB_ROW = 100, DB_DONE = 101 };
/* db_column_type results: the same values as SQLite's. */
enum { DB_INTEGER = 1, DB_FLOAT, DB_TEXT, DB_BLOB, DB_NULL };

#define DB_SCHEMA_VERSION 10

typedef struct db db_t;          /* a connection to the store (fields private to db.c + backends) */
typedef struct db_stmt db_stmt;  /* a prepared statement of one connection */

/* Open `target`. "postgresql://...", "postgres://..." or a libpq
 * "key=value ..." string opens PostgreSQL; anything else is a SQLite file
 * path. flags: DB_OPEN_CREATE creates the file (0600) and schema if
 * missing; DB_OPEN_READONLY opens read-only. Without CREATE a missing file is
 * DB_EOPEN with a hint to run `billtop init`. On success *out is a new handle
 * the caller closes with db_close. On failure *out is NULL and msg (if given)
 * receives the reason. ":memory:" opens a new private in-memory SQLite
 * database (no file is created; tests and fuzzing). */
#define DB_OPEN_CREATE   1
#define DB_OPEN_READONLY 2
int db_open(const char *target, int flags, db_t **out, char *msg, size_t msglen);
void db_close(db_t *db);
/* A second handle on the same store (another thread's reader), opened
 * read-only when db is; for ":memory:" there is none: DB_EOPEN. The caller
 * closes *out with db_close. */
int db_reopen(db_t *db, db_t **out);
/* A second handle on db's own connection with its own message (db_errmsg),
 * for a thread that uses the connection while db's owner does not (and
 * reports through the copy); NULL when out of memory. db_close of it frees
 * the handle only. */
db_t *db_share(db_t *db);
/* 1 when db was opened read-only (flag or a file nobody may write). */
int db_read_only(const db_t *db);
/* 1 when db's backend is `name` ("sqlite", "postgresql"): the rare dialect split. */
int db_backend_is(const db_t *db, const char *name);
/* How to name the store db was opened on as `target` in a message: the
 * target itself for a SQLite file; for PostgreSQL
 * postgresql://user@host:port/db, never with the password. The string is
 * the handle's or the caller's; valid while both live. */
const char *db_label(db_t *db, const char *target);
/* Statement text by backend where the dialects differ: both are constants. */
#define DB_SQL(db, sqlite_text, pg_text) (db_backend_is((db), "postgresql") ? (pg_text) : (sqlite_text))

/* The target a command should use: explicit, else $BILLTOP_DB, else ./billtop.db. */
const char *db_default_path(const char *explicit_path);

/* Transactions. db_begin(db, 1) takes the write lock at once (SQLite BEGIN
 * IMMEDIATE; PostgreSQL BEGIN); db_begin(db, 0) a read snapshot (SQLite
 * BEGIN DEFERRED). db_rollback is a no-op outside a transaction and leaves
 * db_errmsg as it was (the failure that made the caller roll back). */
int db_begin(db_t *db, int write);
int db_commit(db_t *db);
void db_rollback(db_t *db);
/* 1 inside BEGIN..COMMIT. */
int db_in_transaction(db_t *db);
/* Serialize writers of one account for the rest of the transaction
 * (PostgreSQL: an advisory transaction lock; SQLite: a no-op, BEGIN
 * IMMEDIATE already holds the file). */
int db_lock_account(db_t *db, int64_t account_id);
/* Give back what the connection caches for speed (SQLite: its page cache)
 * after a burst of scattered reads. Never fails; a no-op where nothing is
 * kept. */
void db_release_memory(db_t *db);

/* Record a backend failure in db's message as "what: backend message";
 * returns DB_EREADONLY when the store refused a write as read-only, else
 * DB_ESQL. */
int db_fail(db_t *db, const char *what);
/* printf into db's message; returns status. */
int db_failf(db_t *db, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
const char *db_errmsg(const db_t *db);
/* The status of the last failed backend call on db (DB_ESQL, DB_EBUSY,
 * DB_ECONSTRAINT, DB_EINTERRUPT, DB_EREADONLY, DB_ENOMEM), DB_OK if none. */
int db_last_error(const db_t *db);

/* Execute statements with no parameters and no result rows. DB_OK or the
 * backend's status, message in db_errmsg. */
int db_exec(db_t *db, const char *sql);
/* Prepare or fail with a message naming the statement; *st is NULL on
 * failure. Caller finalizes. Parameters: ?NNN (1-based) or bare ?. */
int db_prepare(db_t *db, const char *sql, db_stmt **st);

/* Statements (the contracts of SQLite's functions of the same names). Text
 * and blobs are always copied when bound; n < 0 for text means strlen.
 * db_step returns DB_ROW, DB_DONE or a status (DB_ECONSTRAINT, DB_EBUSY,
 * DB_EINTERRUPT, DB_EREADONLY, DB_ESQL...; the message through db_fail).
 * Column pointers stay valid until the next step, reset or finalize.
 * db_reset keeps the bindings; db_finalize(NULL) is a no-op. */
int db_bind_int64(db_stmt *st, int idx, int64_t v);
int db_bind_int(db_stmt *st, int idx, int v);
int db_bind_text(db_stmt *st, int idx, const char *s, int n);
int db_bind_blob(db_stmt *st, int idx, const void *p, int n);
int db_bind_null(db_stmt *st, int idx);
int db_step(db_stmt *st);
int db_column_type(db_stmt *st, int col);
int64_t db_column_int64(db_stmt *st, int col);
int db_column_int(db_stmt *st, int col);
const unsigned char *db_column_text(db_stmt *st, int col);
const void *db_column_blob(db_stmt *st, int col);
int db_column_bytes(db_stmt *st, int col);
int db_column_count(db_stmt *st);
void db_reset(db_stmt *st);
void db_clear_bindings(db_stmt *st);
void db_finalize(db_stmt *st);
/* Rows changed by the last INSERT/UPDATE/DELETE on db. */
int64_t db_changes(db_t *db);

/* Who is acting: $USER (or uid) and $SSH_CLIENT (or ""). Static strings. */
const char *db_operator(void);
const char *db_ssh_client(void);

/* The one clock: "now" (UTC s) for the CLI, the console, the demo and the
 * record-keeping stamps (posted, imported, audit). Fixed by `--now TIME`
 * (db_clock_set) or $BILLTOP_NOW (an epoch integer or a time text), so tests
 * and screen captures are reproducible; else the system clock. */
int64_t db_now(void);

/* Copy column col of the current row of st into dst[0..n) as its bytes
 * (db_column_blob: a caller name's bytes stay as stored; NULL gives
 * ""), cut to n - 1 bytes and NUL-terminated. n must be at least 1. */
void db_column_copy(char *dst, size_t n, db_stmt *st, int col);
/* Fix the clock at TEXT (epoch seconds or a time text, UTC unless a zone is
 * written). 0, or -1 when TEXT is not a time (the clock is unchanged). */
int db_clock_set(const char *text);
/* Read $BILLTOP_NOW once: 0 (unset, or fixed), -1 when it is set but is not
 * a time (the caller must refuse to run rather than use the real clock). */
int db_clock_init(void);
/* 1 when the clock is fixed (--now or $BILLTOP_NOW). */
int db_clock_is_fixed(void);

/* The store's change counter: a value that changes when another connection
 * (an import, `ingest`, a second console) has committed since the last call,
 * and only then (SQLite PRAGMA data_version; PostgreSQL a counter bumped by
 * NOTIFY); a front end polls it to know when to read again. -1 when it cannot
 * be read (no change known). */
int64_t db_data_version(db_t *db);

/* Call fn(ctx) about every `every` backend steps while a statement runs on
 * db (a long query); fn returns non-zero to interrupt it: the statement then
 * fails with DB_EINTERRUPT. every <= 0 or fn NULL removes the handler. One
 * handler per handle; ctx is the caller's and must stay valid until the
 * handler is removed. */
void db_set_progress(db_t *db, int every, int (*fn)(void *ctx), void *ctx);

/* Meta key/value store (schema facts, demo marker). get returns 0 if found. */
int db_meta_set(db_t *db, const char *key, const char *value);
int db_meta_get(db_t *db, const char *key, char *buf, size_t n);

#endif
