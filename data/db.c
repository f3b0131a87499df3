/* db.c: open/create the store, migrate the schema, small SQL helpers. */
#include "db.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../core/tm.h"
#include "schema.sql.h"

/* Forward-only migrations: MIGRATIONS[i] takes user_version i to i+1. */
static const char *const MIGRATIONS[] = { SCHEMA_V1, SCHEMA_V2, SCHEMA_V3, SCHEMA_V4, SCHEMA_V5, SCHEMA_V6, SCHEMA_V7,
                                           SCHEMA_V8, SCHEMA_V9, SCHEMA_V10 };
#define NMIGRATIONS ((int)(sizeof MIGRATIONS / sizeof MIGRATIONS[0]))
_Static_assert(NMIGRATIONS == DB_SCHEMA_VERSION, "DB_SCHEMA_VERSION must count the migrations");

const char *db_default_path(const char *explicit_path)
{
	const char *env;
	if (explicit_path && *explicit_path)
		return explicit_path;
	env = getenv("BILLTOP_DB");
	return env && *env ? env : "./billtop.db";
}

int db_failf(db_t *db, int status, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(db->err, sizeof db->err, fmt, ap);
	va_end(ap);
	return status;
}

int db_fail(db_t *db, const char *what)
{
	int code = sqlite3_extended_errcode(db->sql);
	if (code == SQLITE_READONLY || (code & 0xff) == SQLITE_READONLY)
		return db_failf(db, DB_EREADONLY, "%s: the database is read-only", what);
	return db_failf(db, DB_ESQL, "%s: %s", what, sqlite3_errmsg(db->sql));
}

const char *db_errmsg(const db_t *db)
{
	return db->err;
}

int db_exec(db_t *db, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(db->sql, sql, NULL, NULL, &msg) != SQLITE_OK) {
		int st = db_failf(db, DB_ESQL, "%s", msg ? msg : sqlite3_errmsg(db->sql));
		int code = sqlite3_extended_errcode(db->sql) & 0xff;
		sqlite3_free(msg);
		return code == SQLITE_READONLY ? db_failf(db, DB_EREADONLY, "the database is read-only") : st;
	}
	return DB_OK;
}

int db_prepare(db_t *db, const char *sql, sqlite3_stmt **st)
{
	if (sqlite3_prepare_v3(db->sql, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL) != SQLITE_OK) {
		*st = NULL;
		return db_fail(db, "prepare");
	}
	return DB_OK;
}

int db_begin(db_t *db)
{
	return db_exec(db, "BEGIN IMMEDIATE");
}

int db_commit(db_t *db)
{
	return db_exec(db, "COMMIT");
}

void db_rollback(db_t *db)
{
	if (!sqlite3_get_autocommit(db->sql))
		sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
}

static int user_version(db_t *db, int *v)
{
	sqlite3_stmt *st;
	int rc;
	if (sqlite3_prepare_v2(db->sql, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, "read schema version");
	rc = sqlite3_step(st);
	*v = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? DB_OK : db_fail(db, "read schema version");
}

/* Apply every migration above the file's version, each in its own
 * transaction together with its user_version bump. */
static int migrate(db_t *db)
{
	int v, now, st;
	if ((st = user_version(db, &v)) != DB_OK)
		return st;
	if (v > NMIGRATIONS)
		return db_failf(db, DB_ESCHEMA,
		                "schema version %d is newer than this billtop (%d): upgrade billtop",
		                v, NMIGRATIONS);
	for (; v < NMIGRATIONS; v++) {
		char bump[64];
		if (db->read_only)
			return db_failf(db, DB_ESCHEMA, "schema version %d needs migrating to %d, "
			                "but the database is opened read-only", v, NMIGRATIONS);
		if ((st = db_begin(db)) != DB_OK)
			return st;
		/* Another billtop opening the file at the same moment may have
		 * migrated it while we waited for the write lock: read again. */
		if ((st = user_version(db, &now)) != DB_OK) {
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
			char keep[sizeof db->err];
			memcpy(keep, db->err, sizeof keep);
			db_rollback(db);
			return db_failf(db, DB_ESCHEMA, "migration to version %d failed: %.400s", v + 1, keep);
		}
		if ((st = db_commit(db)) != DB_OK)
			return st;
	}
	return DB_OK;
}

int db_open(const char *path, int flags, db_t **out, char *msg, size_t msglen)
{
	db_t *db;
	struct stat sb;
	/* ":memory:" is SQLite's private in-memory database (tests, fuzzing):
	 * there is no file to stat, create or protect. */
	int memory = strcmp(path, ":memory:") == 0;
	int exists = !memory && stat(path, &sb) == 0;
	int oflags, st;

	*out = NULL;
	if (!exists && !memory && !(flags & DB_OPEN_CREATE)) {
		snprintf(msg, msglen, "%s: no such database (run `billtop --db %s init` or `billtop demo`)",
		         path, path);
		return DB_EOPEN;
	}
	if (!exists && !memory) {
		/* Create the file ourselves so it is 0600 whatever the umask. */
		int fd = open(path, O_CREAT | O_EXCL | O_WRONLY, 0600);
		if (fd < 0) {
			snprintf(msg, msglen, "%s: cannot create: %s", path, strerror(errno));
			return DB_EOPEN;
		}
		close(fd);
	}
	static int configured;
	if (!configured) {
		/* Before any other SQLite call: no global memory statistics, so
		 * sqlite3_malloc takes no mutex on the import hot path. */
		sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
		configured = 1;
	}
	db = calloc(1, sizeof *db);
	if (!db) {
		snprintf(msg, msglen, "out of memory");
		return DB_ENOMEM;
	}
	/* A file nobody may write (chmod a-w) is read-only even for root, whom
	 * access(2) would let write anyway: marking the file is how an operator
	 * freezes a database. */
	db->read_only = (flags & DB_OPEN_READONLY)
	                || (exists && (access(path, W_OK) != 0 || !(sb.st_mode & (S_IWUSR | S_IWGRP | S_IWOTH))));
	oflags = db->read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
	if (sqlite3_open_v2(path, &db->sql, oflags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		snprintf(msg, msglen, "%s: %s", path, db->sql ? sqlite3_errmsg(db->sql) : "cannot open");
		db_close(db);
		return DB_EOPEN;
	}
	sqlite3_busy_timeout(db->sql, 5000);
	sqlite3_extended_result_codes(db->sql, 1);
	if (!db->read_only) {
		if ((st = db_exec(db, "PRAGMA journal_mode=WAL")) != DB_OK)
			goto fail;
		/* WAL + NORMAL: a committed transaction survives a process crash;
		 * an OS crash may lose the last commits but never corrupts. */
		db_exec(db, "PRAGMA synchronous=NORMAL");
	}
	/* Foreign keys are declared for documentation but not enforced: the
	 * store is the only writer and checks accounts itself, and an FK probe
	 * per inserted call costs more than the insert. verify proves links. */
	db_exec(db, "PRAGMA cache_size=-24000"); /* 24 MB page cache: bounded memory (imports stay under 64 MB) */
	db_exec(db, "PRAGMA temp_store=FILE");
	if ((st = migrate(db)) != DB_OK)
		goto fail;
	*out = db;
	return DB_OK;
fail:
	snprintf(msg, msglen, "%s: %s", path, db->err);
	db_close(db);
	return st;
}

void db_close(db_t *db)
{
	if (!db)
		return;
	if (db->sql)
		sqlite3_close_v2(db->sql);
	free(db);
}

const char *db_operator(void)
{
	static char name[64];
	const char *u = getenv("USER");
	if (u && *u)
		return u;
	if (!name[0]) {
		struct passwd *pw = getpwuid(getuid());
		snprintf(name, sizeof name, "%s", pw ? pw->pw_name : "uid");
		if (!pw)
			snprintf(name, sizeof name, "uid%ld", (long)getuid());
	}
	return name;
}

const char *db_ssh_client(void)
{
	const char *s = getenv("SSH_CLIENT");
	return s ? s : "";
}

/* The one clock: a fixed time set by db_clock_set (--now, or $BILLTOP_NOW
 * read once by db_clock_init), else $BILLTOP_NOW read here (for callers that
 * never ran main: tests, fuzzers), else the system clock. */
static int clock_fixed;
static int64_t clock_at;

static int clock_parse(const char *text, int64_t *out)
{
	char *end;
	long long v;
	if (!text || !*text)
		return -1;
	v = strtoll(text, &end, 10);
	if (*end == '\0' && end != text) {
		*out = v;
		return 0;
	}
	return tm_parse_utc(text, strlen(text), out) == TM_OK ? 0 : -1;
}

int db_clock_set(const char *text)
{
	int64_t t;
	if (clock_parse(text, &t) != 0)
		return -1;
	clock_fixed = 1;
	clock_at = t;
	return 0;
}

int db_clock_init(void)
{
	const char *e = getenv("BILLTOP_NOW");
	if (!e || !*e)
		return 0;
	return db_clock_set(e);
}

int db_clock_is_fixed(void)
{
	const char *e;
	int64_t t;
	return clock_fixed || ((e = getenv("BILLTOP_NOW")) && clock_parse(e, &t) == 0);
}

int64_t db_now(void)
{
	int64_t t;
	if (clock_fixed)
		return clock_at;
	if (clock_parse(getenv("BILLTOP_NOW"), &t) == 0)
		return t;
	return (int64_t)time(NULL);
}

int db_meta_set(db_t *db, const char *key, const char *value)
{
	sqlite3_stmt *st;
	int rc;
	if (sqlite3_prepare_v2(db->sql, "INSERT INTO meta(key, value) VALUES(?1, ?2) "
	                       "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
	                       -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, "meta");
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? DB_OK : db_fail(db, "meta");
}

int db_meta_get(db_t *db, const char *key, char *buf, size_t n)
{
	sqlite3_stmt *st;
	int found = -1;
	if (sqlite3_prepare_v2(db->sql, "SELECT value FROM meta WHERE key = ?1", -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		snprintf(buf, n, "%s", (const char *)sqlite3_column_text(st, 0));
		found = 0;
	}
	sqlite3_finalize(st);
	return found;
}

void db_column_copy(char *dst, size_t n, sqlite3_stmt *st, int col)
{
	const void *p = sqlite3_column_blob(st, col);
	size_t len = p ? (size_t)sqlite3_column_bytes(st, col) : 0;
	if (len >= n)
		len = n - 1;
	if (len)
		memcpy(dst, p, len);
	dst[len] = '\0';
}

int64_t db_data_version(db_t *db)
{
	sqlite3_stmt *st;
	int64_t v = -1;
	if (sqlite3_prepare_v2(db->sql, "PRAGMA data_version", -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

void db_set_progress(db_t *db, int every, int (*fn)(void *ctx), void *ctx)
{
	if (every <= 0 || !fn)
		sqlite3_progress_handler(db->sql, 0, NULL, NULL);
	else
		sqlite3_progress_handler(db->sql, every, fn, ctx);
}
