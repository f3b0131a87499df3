/* db.h: the SQLite store: open/create, schema migrations, transactions.
 *
 * One database file in WAL mode, created 0600. The schema is versioned with
 * PRAGMA user_version and migrated forward only. Every statement is prepared
 * with bound parameters; none is built from user text.
 *
 * Error reporting: functions return DB_OK or a DB_E* status and leave a
 * human-readable message in db_errmsg(db) (owned by the handle, valid until
 * the next call on it). */
#ifndef BILLTOP_DB_H
#define BILLTOP_DB_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

enum {
	DB_OK = 0,
	DB_EOPEN,      /* cannot open or create the file */
	DB_ESCHEMA,    /* newer schema than this binary, or a migration failed */
	DB_ESQL,       /* an SQLite error (message in db_errmsg) */
	DB_ENOTFOUND,  /* a named account/deck/call does not exist */
	DB_EEXISTS,    /* already exists */
	DB_EINPUT,     /* bad input (message says which) */
	DB_EREADONLY,  /* the database was opened read-only */
	DB_ENOMEM
};

#define DB_SCHEMA_VERSION 10

typedef struct {
	sqlite3 *sql;
	int read_only;
	char err[512];
} db_t;

/* Open `path`. flags: DB_OPEN_CREATE creates the file (0600) and schema if
 * missing; DB_OPEN_READONLY opens read-only. Without CREATE a missing file is
 * DB_EOPEN with a hint to run `billtop init`. On success *out is a new handle
 * the caller closes with db_close. On failure *out is NULL and msg (if given)
 * receives the reason. ":memory:" opens a new private in-memory database
 * (no file is created; tests and fuzzing). */
#define DB_OPEN_CREATE   1
#define DB_OPEN_READONLY 2
int db_open(const char *path, int flags, db_t **out, char *msg, size_t msglen);
void db_close(db_t *db);

/* The path a command should use: explicit, else $BILLTOP_DB, else ./billtop.db. */
const char *db_default_path(const char *explicit_path);

/* Transactions. db_begin takes the write lock at once (BEGIN IMMEDIATE). */
int db_begin(db_t *db);
int db_commit(db_t *db);
void db_rollback(db_t *db);

/* Record an SQLite failure in db->err as "what: sqlite message"; returns DB_ESQL. */
int db_fail(db_t *db, const char *what);
/* printf into db->err; returns status. */
int db_failf(db_t *db, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
const char *db_errmsg(const db_t *db);

/* Execute a statement with no parameters and no result rows. */
int db_exec(db_t *db, const char *sql);
/* Prepare or fail with a message naming the statement. Caller finalizes. */
int db_prepare(db_t *db, const char *sql, sqlite3_stmt **st);

/* Who is acting: $USER (or uid) and $SSH_CLIENT (or ""). Static strings. */
const char *db_operator(void);
const char *db_ssh_client(void);

/* The one clock: "now" (UTC s) for the CLI, the console, the demo and the
 * record-keeping stamps (posted, imported, audit). Fixed by `--now TIME`
 * (db_clock_set) or $BILLTOP_NOW (an epoch integer or a time text), so tests
 * and screen captures are reproducible; else the system clock. */
int64_t db_now(void);

/* Copy column col of the current row of st into dst[0..n) as its bytes
 * (sqlite3_column_blob: a caller name's bytes stay as stored; NULL gives
 * ""), cut to n - 1 bytes and NUL-terminated. n must be at least 1. */
void db_column_copy(char *dst, size_t n, sqlite3_stmt *st, int col);
/* Fix the clock at TEXT (epoch seconds or a time text, UTC unless a zone is
 * written). 0, or -1 when TEXT is not a time (the clock is unchanged). */
int db_clock_set(const char *text);
/* Read $BILLTOP_NOW once: 0 (unset, or fixed), -1 when it is set but is not
 * a time (the caller must refuse to run rather than use the real clock). */
int db_clock_init(void);
/* 1 when the clock is fixed (--now or $BILLTOP_NOW). */
int db_clock_is_fixed(void);

/* The store's change counter (PRAGMA data_version): a value that changes
 * when another connection (an import, `ingest`, a second console) has
 * committed since the last call, and only then; a front end polls it to know
 * when to read again. -1 when it cannot be read (no change known). */
int64_t db_data_version(db_t *db);

/* Call fn(ctx) about every `every` SQLite virtual-machine steps while a
 * statement runs on db (a long query); fn returns non-zero to interrupt it:
 * the statement then fails (SQLITE_INTERRUPT) and its caller reports DB_ESQL.
 * every <= 0 or fn NULL removes the handler. One handler per handle; ctx is
 * the caller's and must stay valid until the handler is removed. */
void db_set_progress(db_t *db, int every, int (*fn)(void *ctx), void *ctx);

/* Meta key/value store (schema facts, demo marker). get returns 0 if found. */
int db_meta_set(db_t *db, const char *key, const char *value);
int db_meta_get(db_t *db, const char *key, char *buf, size_t n);

#endif
