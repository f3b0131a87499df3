/* db_sqlite.c: the SQLite backend of the store (issue 12): one database file
 * in WAL mode, created 0600, schema versioned by PRAGMA user_version. The
 * only file of billtop besides fuzzing glue that names sqlite3_*. */
#include "../db_backend.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../schema.sql.h"

/* Forward-only migrations: MIGRATIONS[i] takes user_version i to i+1. */
static const char *const MIGRATIONS[] = { SCHEMA_V1, SCHEMA_V2, SCHEMA_V3, SCHEMA_V4, SCHEMA_V5, SCHEMA_V6, SCHEMA_V7,
                                           SCHEMA_V8, SCHEMA_V9, SCHEMA_V10 };
#define NMIGRATIONS ((int)(sizeof MIGRATIONS / sizeof MIGRATIONS[0]))
_Static_assert(NMIGRATIONS == DB_SCHEMA_VERSION, "DB_SCHEMA_VERSION must count the migrations");

/* "INSERT ... VALUES(...) RETURNING id" is run without its RETURNING
 * clause and the id read with sqlite3_last_insert_rowid: SQLite runs
 * RETURNING through a temporary table opened on every execution, which
 * doubled the import's time (one page zeroed per inserted call). The caller
 * sees what RETURNING gives: one row (column 0, the id) then DB_DONE, or
 * DB_DONE alone when nothing was inserted (ON CONFLICT DO NOTHING). */
enum { RET_NONE, RET_READY, RET_ROW, RET_DONE };

typedef struct {
	struct db_stmt base; /* first: db.c dispatches through base.db */
	sqlite3_stmt *s;
	int ret;             /* RET_*: RET_NONE for a statement run as written */
	int64_t id;          /* the inserted id (RET_ROW) */
	char idtext[24];
	/* Bound text and blobs are copied here, one buffer per parameter
	 * reused from row to row, and bound SQLITE_STATIC: "always copied"
	 * without SQLITE_TRANSIENT's malloc and free per value. */
	int np;
	char **pbuf;
	size_t *pcap;
} lite_stmt;

#define CONN(db) ((sqlite3 *)(db)->impl)
#define LS(st) ((lite_stmt *)(st))

/* SQLite's result code as a store status. */
static int status_of(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_CONSTRAINT: return DB_ECONSTRAINT;
	case SQLITE_BUSY:
	case SQLITE_LOCKED: return DB_EBUSY;
	case SQLITE_INTERRUPT: return DB_EINTERRUPT;
	case SQLITE_READONLY: return DB_EREADONLY;
	case SQLITE_NOMEM: return DB_ENOMEM;
	default: return DB_ESQL;
	}
}

static int fail(db_t *db, int rc)
{
	return db_be_error(db, status_of(rc), sqlite3_errmsg(CONN(db)));
}

static int lite_exec(db_t *db, const char *sql)
{
	char *msg = NULL;
	int rc = sqlite3_exec(CONN(db), sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		rc = sqlite3_extended_errcode(CONN(db));
		int st = db_be_error(db, status_of(rc), msg ? msg : sqlite3_errmsg(CONN(db)));
		sqlite3_free(msg);
		return st;
	}
	return DB_OK;
}

/* The length of sql without a final " RETURNING id" when sql is a one-row
 * INSERT ... VALUES that inserts or does nothing (no SELECT, no upsert's DO
 * UPDATE: last_insert_rowid names no updated row), else 0. The id is the
 * table's INTEGER PRIMARY KEY, the rowid (every billtop table's). */
static size_t returning_id_cut(const char *sql)
{
	static const char tail[] = "returning id";
	size_t n = strlen(sql), k = sizeof tail - 1;
	while (n && (isspace((unsigned char)sql[n - 1]) || sql[n - 1] == ';'))
		n--;
	if (n <= k || strncasecmp(sql + n - k, tail, k) != 0 || !isspace((unsigned char)sql[n - k - 1]))
		return 0;
	if (strncasecmp(sql, "INSERT", 6) != 0 || !strstr(sql, "VALUES") || strstr(sql, "SELECT") || strstr(sql, "select")
	    || strstr(sql, "UPDATE") || strstr(sql, "update"))
		return 0;
	return n - k;
}

static int lite_prepare(db_t *db, const char *sql, db_stmt **out)
{
	lite_stmt *st = calloc(1, sizeof *st);
	size_t cut = returning_id_cut(sql);
	int rc;
	*out = NULL;
	if (!st)
		return db_be_error(db, DB_ENOMEM, "out of memory");
	st->ret = cut ? RET_READY : RET_NONE;
	rc = sqlite3_prepare_v3(CONN(db), sql, cut ? (int)cut : -1, SQLITE_PREPARE_PERSISTENT, &st->s, NULL);
	if (rc != SQLITE_OK) {
		free(st);
		return fail(db, rc);
	}
	st->np = sqlite3_bind_parameter_count(st->s);
	if (st->np > 0 && (!(st->pbuf = calloc((size_t)st->np, sizeof *st->pbuf))
	                   || !(st->pcap = calloc((size_t)st->np, sizeof *st->pcap)))) {
		sqlite3_finalize(st->s);
		free(st->pbuf);
		free(st);
		return db_be_error(db, DB_ENOMEM, "out of memory");
	}
	st->base.db = db;
	*out = &st->base;
	return DB_OK;
}

/* p[0..n) copied into parameter idx's buffer; NULL when idx is out of range
 * (SQLite then reports SQLITE_RANGE) or out of memory (*oom set). */
static inline __attribute__((always_inline)) const void *keep_copy(lite_stmt *l, int idx, const void *p, size_t n,
                                                             int *oom)
{
	char **b;
	*oom = 0;
	if (idx < 1 || idx > l->np)
		return NULL;
	b = &l->pbuf[idx - 1];
	if (l->pcap[idx - 1] < n + 1) {
		size_t cap = n + 1 < 64 ? 64 : n + 1;
		char *nb = realloc(*b, cap);
		if (!nb) {
			*oom = 1;
			return NULL;
		}
		*b = nb;
		l->pcap[idx - 1] = cap;
	}
	if (n)
		memcpy(*b, p, n);
	(*b)[n] = '\0';
	return *b;
}

static int bind_rc(db_stmt *st, int rc)
{
	return rc == SQLITE_OK ? DB_OK : fail(st->db, rc);
}

static int lite_bind_int64(db_stmt *st, int idx, int64_t v)
{
	return bind_rc(st, sqlite3_bind_int64(LS(st)->s, idx, v));
}

static int lite_bind_text(db_stmt *st, int idx, const char *s, int n)
{
	int oom;
	const void *c;
	if (!s)
		return bind_rc(st, sqlite3_bind_null(LS(st)->s, idx));
	if (n < 0)
		n = (int)strlen(s);
	if (!(c = keep_copy(LS(st), idx, s, (size_t)n, &oom)))
		return oom ? db_be_error(st->db, DB_ENOMEM, "out of memory")
		           : bind_rc(st, sqlite3_bind_text(LS(st)->s, idx, s, n, SQLITE_TRANSIENT));
	return bind_rc(st, sqlite3_bind_text(LS(st)->s, idx, c, n, SQLITE_STATIC));
}

static int lite_bind_blob(db_stmt *st, int idx, const void *p, int n)
{
	int oom;
	const void *c;
	if (!p)
		return bind_rc(st, sqlite3_bind_null(LS(st)->s, idx)); /* sqlite3_bind_blob(NULL) is NULL too */
	if (n < 0)
		return bind_rc(st, sqlite3_bind_blob(LS(st)->s, idx, p, n, SQLITE_TRANSIENT)); /* SQLITE_RANGE-like refusal */
	if (!(c = keep_copy(LS(st), idx, p, (size_t)n, &oom)))
		return oom ? db_be_error(st->db, DB_ENOMEM, "out of memory")
		           : bind_rc(st, sqlite3_bind_blob(LS(st)->s, idx, p, n, SQLITE_TRANSIENT));
	return bind_rc(st, sqlite3_bind_blob(LS(st)->s, idx, c, n, SQLITE_STATIC));
}

static int lite_bind_null(db_stmt *st, int idx)
{
	return bind_rc(st, sqlite3_bind_null(LS(st)->s, idx));
}

static int lite_step(db_stmt *st)
{
	lite_stmt *l = LS(st);
	int rc;
	if (l->ret == RET_ROW || l->ret == RET_DONE) {
		l->ret = RET_DONE;
		return DB_DONE;
	}
	rc = sqlite3_step(l->s);
	if (rc == SQLITE_ROW)
		return DB_ROW;
	if (rc == SQLITE_DONE) {
		if (l->ret == RET_READY) {
			sqlite3 *conn = CONN(st->db);
			if (sqlite3_changes(conn) == 0) {
				l->ret = RET_DONE;
				return DB_DONE;
			}
			l->ret = RET_ROW;
			l->id = sqlite3_last_insert_rowid(conn);
			return DB_ROW;
		}
		return DB_DONE;
	}
	return fail(st->db, rc);
}

/* The RETURNING id row: column 0 only. */
#define ID_ROW(l, col) ((l)->ret == RET_ROW && (col) == 0)

static int lite_column_type(db_stmt *st, int col)
{
	if (LS(st)->ret != RET_NONE)
		return ID_ROW(LS(st), col) ? DB_INTEGER : DB_NULL;
	return sqlite3_column_type(LS(st)->s, col); /* DB_INTEGER.. have SQLite's values */
}

static int64_t lite_column_int64(db_stmt *st, int col)
{
	if (LS(st)->ret != RET_NONE)
		return ID_ROW(LS(st), col) ? LS(st)->id : 0;
	return sqlite3_column_int64(LS(st)->s, col);
}

static const unsigned char *lite_column_text(db_stmt *st, int col)
{
	lite_stmt *l = LS(st);
	if (l->ret != RET_NONE) {
		if (!ID_ROW(l, col))
			return NULL;
		snprintf(l->idtext, sizeof l->idtext, "%lld", (long long)l->id);
		return (const unsigned char *)l->idtext;
	}
	return sqlite3_column_text(l->s, col);
}

static const void *lite_column_blob(db_stmt *st, int col)
{
	if (LS(st)->ret != RET_NONE)
		return lite_column_text(st, col);
	return sqlite3_column_blob(LS(st)->s, col);
}

static int lite_column_bytes(db_stmt *st, int col)
{
	if (LS(st)->ret != RET_NONE)
		return ID_ROW(LS(st), col) ? (int)strlen((const char *)lite_column_text(st, col)) : 0;
	return sqlite3_column_bytes(LS(st)->s, col);
}

static int lite_column_count(db_stmt *st)
{
	return LS(st)->ret != RET_NONE ? 1 : sqlite3_column_count(LS(st)->s);
}

static void lite_reset(db_stmt *st)
{
	if (LS(st)->ret != RET_NONE)
		LS(st)->ret = RET_READY;
	sqlite3_reset(LS(st)->s);
}

static void lite_clear_bindings(db_stmt *st)
{
	sqlite3_clear_bindings(LS(st)->s);
}

static void lite_finalize(db_stmt *st)
{
	lite_stmt *l = LS(st);
	sqlite3_finalize(l->s);
	for (int i = 0; i < l->np; i++)
		free(l->pbuf[i]);
	free(l->pbuf);
	free(l->pcap);
	free(l);
}

static int64_t lite_changes(db_t *db)
{
	return sqlite3_changes(CONN(db));
}

static int lite_in_transaction(db_t *db)
{
	return !sqlite3_get_autocommit(CONN(db));
}

static int lite_begin(db_t *db, int write)
{
	return lite_exec(db, write ? "BEGIN IMMEDIATE" : "BEGIN");
}

static int lite_commit(db_t *db)
{
	return lite_exec(db, "COMMIT");
}

static int lite_rollback(db_t *db)
{
	return lite_exec(db, "ROLLBACK");
}

static int64_t lite_data_version(db_t *db)
{
	sqlite3_stmt *st;
	int64_t v = -1;
	if (sqlite3_prepare_v2(CONN(db), "PRAGMA data_version", -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static void lite_set_progress(db_t *db, int every, int (*fn)(void *), void *ctx)
{
	if (every <= 0 || !fn)
		sqlite3_progress_handler(CONN(db), 0, NULL, NULL);
	else
		sqlite3_progress_handler(CONN(db), every, fn, ctx);
}

static int lite_schema_version(db_t *db, int *v)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(CONN(db), "PRAGMA user_version", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return fail(db, rc);
	rc = sqlite3_step(st);
	*v = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? DB_OK : fail(db, rc);
}

/* Apply every migration above the file's version, each in its own
 * transaction together with its user_version bump. */
static int lite_migrate(db_t *db)
{
	int v, now, st;
	if ((st = lite_schema_version(db, &v)) != DB_OK)
		return db_fail(db, "read schema version");
	if (v > NMIGRATIONS)
		return db_failf(db, DB_ESCHEMA,
		                "schema version %d is newer than this billtop (%d): upgrade billtop",
		                v, NMIGRATIONS);
	for (; v < NMIGRATIONS; v++) {
		char bump[64];
		if (db->read_only)
			return db_failf(db, DB_ESCHEMA, "schema version %d needs migrating to %d, "
			                "but the database is opened read-only", v, NMIGRATIONS);
		if ((st = db_begin(db, 1)) != DB_OK)
			return st;
		/* Another billtop opening the file at the same moment may have
		 * migrated it while we waited for the write lock: read again. */
		if ((st = lite_schema_version(db, &now)) != DB_OK) {
			st = db_fail(db, "read schema version");
			db_rollback(db);
			return st;
		}
		if (now != v) {
			db_rollback(db);
			if (now > NMIGRATIONS)
				return db_failf(db, DB_ESCHEMA, "schema version %d is newer than this billtop (%d): "
				                "upgrade billtop", now, NMIGRATIONS);
			v = now - 1; /* the loop's v++ makes it now */
			continue;
		}
		/* The one statement built at run time: a PRAGMA takes no bound
		 * parameters, and v + 1 is an int from the migration count, never
		 * text (tests/sql_audit.py allows exactly this). */
		snprintf(bump, sizeof bump, "PRAGMA user_version=%d", v + 1);
		if ((st = db_exec(db, MIGRATIONS[v])) != DB_OK || (st = db_exec(db, bump)) != DB_OK) {
			char keep[512];
			snprintf(keep, sizeof keep, "%s", db_errmsg(db));
			db_rollback(db);
			return db_failf(db, DB_ESCHEMA, "migration to version %d failed: %.400s", v + 1, keep);
		}
		if ((st = db_commit(db)) != DB_OK)
			return st;
	}
	return DB_OK;
}

/* Open the connection of db on path (no pragmas but the waits). */
static int connect(db_t *db, const char *path)
{
	sqlite3 *conn = NULL;
	int oflags = db->read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
	if (sqlite3_open_v2(path, &conn, oflags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		db_failf(db, DB_EOPEN, "%s: %s", path, conn ? sqlite3_errmsg(conn) : "cannot open");
		sqlite3_close_v2(conn);
		return DB_EOPEN;
	}
	db->impl = conn;
	sqlite3_busy_timeout(conn, 5000);
	sqlite3_extended_result_codes(conn, 1);
	return DB_OK;
}

static int lite_open(db_t *db, const char *path, int flags)
{
	struct stat sb;
	/* ":memory:" is SQLite's private in-memory database (tests, fuzzing):
	 * there is no file to stat, create or protect. */
	int memory = strcmp(path, ":memory:") == 0;
	int exists = !memory && stat(path, &sb) == 0;
	int st;

	if (!exists && !memory && !(flags & DB_OPEN_CREATE))
		return db_failf(db, DB_EOPEN, "%s: no such database (run `billtop --db %s init` or `billtop demo`)",
		                path, path);
	if (!exists && !memory) {
		/* Create the file ourselves so it is 0600 whatever the umask. */
		int fd = open(path, O_CREAT | O_EXCL | O_WRONLY, 0600);
		if (fd < 0)
			return db_failf(db, DB_EOPEN, "%s: cannot create: %s", path, strerror(errno));
		close(fd);
	}
	static int configured;
	if (!configured) {
		/* Before any other SQLite call: no global memory statistics, so
		 * sqlite3_malloc takes no mutex on the import hot path. */
		sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
		configured = 1;
	}
	/* A file nobody may write (chmod a-w) is read-only even for root, whom
	 * access(2) would let write anyway: marking the file is how an operator
	 * freezes a database. */
	if (exists && (access(path, W_OK) != 0 || !(sb.st_mode & (S_IWUSR | S_IWGRP | S_IWOTH))))
		db->read_only = 1;
	if ((st = connect(db, path)) != DB_OK)
		return st;
	if (!db->read_only) {
		if ((st = db_exec(db, "PRAGMA journal_mode=WAL")) != DB_OK)
			return db_failf(db, st, "%s: %s", path, db_errmsg(db));
		/* WAL + NORMAL: a committed transaction survives a process crash;
		 * an OS crash may lose the last commits but never corrupts. */
		db_exec(db, "PRAGMA synchronous=NORMAL");
	}
	/* Foreign keys are declared for documentation but not enforced: the
	 * store is the only writer and checks accounts itself, and an FK probe
	 * per inserted call costs more than the insert. verify proves links. */
	db_exec(db, "PRAGMA cache_size=-24000"); /* 24 MB page cache: bounded memory (imports stay under 64 MB) */
	db_exec(db, "PRAGMA temp_store=FILE");
	return DB_OK;
}

static void lite_close(db_t *db)
{
	if (db->impl)
		sqlite3_close_v2(CONN(db));
	db->impl = NULL;
}

static int lite_reopen(db_t *db, db_t **out)
{
	const char *path = sqlite3_db_filename(CONN(db), "main");
	db_t *r;
	*out = NULL;
	if (!path || !*path)
		return db_failf(db, DB_EOPEN, "the database has no file to open again");
	if (!(r = db_new(&db_sqlite_backend, db->read_only)))
		return db_failf(db, DB_ENOMEM, "out of memory");
	if (connect(r, path) != DB_OK) {
		db_failf(db, DB_EOPEN, "%s", db_errmsg(r));
		free(r);
		return DB_EOPEN;
	}
	*out = r;
	return DB_OK;
}

static int lite_lock_account(db_t *db, int64_t account_id)
{
	(void)db;
	(void)account_id;
	return DB_OK; /* BEGIN IMMEDIATE already holds the whole file */
}

const db_backend db_sqlite_backend = {
	.name = "sqlite",
	.open = lite_open,
	.close = lite_close,
	.exec = lite_exec,
	.prepare = lite_prepare,
	.bind_int64 = lite_bind_int64,
	.bind_text = lite_bind_text,
	.bind_blob = lite_bind_blob,
	.bind_null = lite_bind_null,
	.step = lite_step,
	.column_type = lite_column_type,
	.column_int64 = lite_column_int64,
	.column_text = lite_column_text,
	.column_blob = lite_column_blob,
	.column_bytes = lite_column_bytes,
	.column_count = lite_column_count,
	.reset = lite_reset,
	.clear_bindings = lite_clear_bindings,
	.finalize = lite_finalize,
	.changes = lite_changes,
	.in_transaction = lite_in_transaction,
	.begin = lite_begin,
	.commit = lite_commit,
	.rollback = lite_rollback,
	.data_version = lite_data_version,
	.set_progress = lite_set_progress,
	.schema_version = lite_schema_version,
	.migrate = lite_migrate,
	.reopen = lite_reopen,
	.lock_account = lite_lock_account,
};
