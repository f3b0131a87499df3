/* db.c: the store's one interface: open a backend by target, dispatch each
 * db_* call to it, and the small helpers every backend shares (messages,
 * the clock, meta). The backends live in data/sqlite/ and data/pg/. */
#include "db_backend.h"
#ifdef BILLTOP_PG
#include "pg/db_pg.h"
#endif

#include <ctype.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../core/tm.h"

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

int db_be_error(db_t *db, int status, const char *msg)
{
	db->last = status;
	snprintf(db->be_err, sizeof db->be_err, "%s", msg ? msg : "unknown error");
	return status;
}

int db_fail(db_t *db, const char *what)
{
	if (db->last == DB_EREADONLY)
		return db_failf(db, DB_EREADONLY, "%s: the database is read-only", what);
	return db_failf(db, DB_ESQL, "%s: %s", what, db->last ? db->be_err : "not an error");
}

const char *db_errmsg(const db_t *db)
{
	return db->err;
}

int db_last_error(const db_t *db)
{
	return db->last;
}

int db_read_only(const db_t *db)
{
	return db->read_only;
}

int db_backend_is(const db_t *db, const char *name)
{
	return strcmp(db->be->name, name) == 0;
}

db_t *db_new(const db_backend *be, int read_only)
{
	db_t *db = calloc(1, sizeof *db);
	if (db) {
		db->be = be;
		db->read_only = read_only;
	}
	return db;
}

/* A PostgreSQL target: a URI, or a libpq "key=value ..." string (a word of
 * letters then '='; a file path that looks like that needs a "./"). */
static int is_pg_target(const char *t)
{
	const char *p = t;
	if (!strncmp(t, "postgresql://", 13) || !strncmp(t, "postgres://", 11))
		return 1;
	while (*p == ' ')
		p++;
	if (!isalpha((unsigned char)*p))
		return 0;
	while (isalnum((unsigned char)*p) || *p == '_')
		p++;
	while (*p == ' ')
		p++;
	return *p == '=';
}

const char *db_label(db_t *db, const char *target)
{
#ifdef BILLTOP_PG
	if (db->be == &db_pg_backend)
		return db_pg_label(db);
#endif
	return target;
}

int db_open(const char *target, int flags, db_t **out, char *msg, size_t msglen)
{
	const db_backend *be = &db_sqlite_backend;
	db_t *db;
	int st;

	*out = NULL;
	if (is_pg_target(target)) {
#ifdef BILLTOP_PG
		be = &db_pg_backend;
#else
		snprintf(msg, msglen, "%s: this billtop was built without PostgreSQL", target);
		return DB_EOPEN;
#endif
	}
	if (!(db = db_new(be, (flags & DB_OPEN_READONLY) != 0))) {
		snprintf(msg, msglen, "out of memory");
		return DB_ENOMEM;
	}
	if ((st = be->open(db, target, flags)) != DB_OK) {
		snprintf(msg, msglen, "%s", db->err);
		db_close(db);
		return st;
	}
	if ((st = be->migrate(db)) != DB_OK) {
		/* a PostgreSQL target may hold a password: name it without */
		snprintf(msg, msglen, "%s: %s", db_label(db, target), db->err);
		db_close(db);
		return st;
	}
	*out = db;
	return DB_OK;
}

db_t *db_share(db_t *db)
{
	db_t *c = malloc(sizeof *c);
	if (c) {
		*c = *db;
		c->shared = 1;
	}
	return c;
}

void db_close(db_t *db)
{
	if (!db)
		return;
	if (db->impl && !db->shared)
		db->be->close(db);
	free(db);
}

int db_reopen(db_t *db, db_t **out)
{
	return db->be->reopen(db, out);
}

int db_exec(db_t *db, const char *sql)
{
	int st = db->be->exec(db, sql);
	if (st == DB_OK)
		return DB_OK;
	if (st == DB_EREADONLY)
		return db_failf(db, DB_EREADONLY, "the database is read-only");
	return db_failf(db, st, "%s", db->be_err);
}

int db_prepare(db_t *db, const char *sql, db_stmt **st)
{
	if (db->be->prepare(db, sql, st) != DB_OK) {
		*st = NULL;
		return db_fail(db, "prepare");
	}
	return DB_OK;
}

int db_begin(db_t *db, int write)
{
	int st = db->be->begin(db, write);
	return st == DB_OK ? DB_OK : db_failf(db, st, "begin: %s", db->be_err);
}

int db_commit(db_t *db)
{
	int st = db->be->commit(db);
	return st == DB_OK ? DB_OK : db_failf(db, st, "commit: %s", db->be_err);
}

void db_rollback(db_t *db)
{
	if (db->impl && db->be->in_transaction(db))
		db->be->rollback(db);
}

int db_in_transaction(db_t *db)
{
	return db->be->in_transaction(db);
}

void db_release_memory(db_t *db)
{
	if (db->be->release_memory)
		db->be->release_memory(db);
}

int db_lock_account(db_t *db, int64_t account_id)
{
	int st = db->be->lock_account(db, account_id);
	return st == DB_OK ? DB_OK : db_failf(db, st, "lock account: %s", db->be_err);
}

int64_t db_changes(db_t *db)
{
	return db->be->changes(db);
}

int64_t db_data_version(db_t *db)
{
	return db->be->data_version(db);
}

void db_set_progress(db_t *db, int every, int (*fn)(void *ctx), void *ctx)
{
	db->be->set_progress(db, every, fn, ctx);
}

/* Statements: dispatched through the connection each belongs to. */
#define BE(st) ((st)->db->be)

int db_bind_int64(db_stmt *st, int idx, int64_t v) { return BE(st)->bind_int64(st, idx, v); }
int db_bind_int(db_stmt *st, int idx, int v) { return BE(st)->bind_int64(st, idx, v); }
int db_bind_text(db_stmt *st, int idx, const char *s, int n) { return BE(st)->bind_text(st, idx, s, n); }
int db_bind_blob(db_stmt *st, int idx, const void *p, int n) { return BE(st)->bind_blob(st, idx, p, n); }
int db_bind_null(db_stmt *st, int idx) { return BE(st)->bind_null(st, idx); }
int db_step(db_stmt *st) { return BE(st)->step(st); }
int db_column_type(db_stmt *st, int col) { return BE(st)->column_type(st, col); }
int64_t db_column_int64(db_stmt *st, int col) { return BE(st)->column_int64(st, col); }
int db_column_int(db_stmt *st, int col) { return (int)BE(st)->column_int64(st, col); }
const unsigned char *db_column_text(db_stmt *st, int col) { return BE(st)->column_text(st, col); }
const void *db_column_blob(db_stmt *st, int col) { return BE(st)->column_blob(st, col); }
int db_column_bytes(db_stmt *st, int col) { return BE(st)->column_bytes(st, col); }
int db_column_count(db_stmt *st) { return BE(st)->column_count(st); }
void db_reset(db_stmt *st) { BE(st)->reset(st); }
void db_clear_bindings(db_stmt *st) { BE(st)->clear_bindings(st); }

void db_finalize(db_stmt *st)
{
	if (st)
		BE(st)->finalize(st);
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
	db_stmt *st;
	int rc;
	if (db_prepare(db, "INSERT INTO meta(key, value) VALUES(?1, ?2) "
	               "ON CONFLICT(key) DO UPDATE SET value = excluded.value", &st) != DB_OK)
		return db_fail(db, "meta");
	db_bind_text(st, 1, key, -1);
	db_bind_text(st, 2, value, -1);
	rc = db_step(st);
	db_finalize(st);
	return rc == DB_DONE ? DB_OK : db_fail(db, "meta");
}

int db_meta_get(db_t *db, const char *key, char *buf, size_t n)
{
	db_stmt *st;
	int found = -1;
	if (db_prepare(db, "SELECT value FROM meta WHERE key = ?1", &st) != DB_OK)
		return -1;
	db_bind_text(st, 1, key, -1);
	if (db_step(st) == DB_ROW) {
		snprintf(buf, n, "%s", (const char *)db_column_text(st, 0));
		found = 0;
	}
	db_finalize(st);
	return found;
}

void db_column_copy(char *dst, size_t n, db_stmt *st, int col)
{
	const void *p = db_column_blob(st, col);
	size_t len = p ? (size_t)db_column_bytes(st, col) : 0;
	if (len >= n)
		len = n - 1;
	if (len)
		memcpy(dst, p, len);
	dst[len] = '\0';
}
