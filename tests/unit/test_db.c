/* test_db.c: the store interface of data/db.h (issue 12) on the SQLite
 * backend: statuses, RETURNING id, copied binds, transactions, reopen and
 * share. The same contracts hold for every backend (data/db_backend.h). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../../data/db.h"
#include "t.h"

static db_t *mem(void)
{
	db_t *db = NULL;
	char msg[256];
	if (db_open(":memory:", DB_OPEN_CREATE, &db, msg, sizeof msg) != DB_OK)
		fprintf(stderr, "  %s\n", msg);
	return db;
}

/* One row with the new id, then DB_DONE; reset runs it again; a refused
 * row is DB_ECONSTRAINT, an ignored one no row at all. */
TEST(returning_id)
{
	db_t *db = mem();
	T_ASSERT(db != NULL);
	db_stmt *st = NULL;
	int64_t id1, id2;
	T_EQ_I64(db_exec(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)"), DB_OK);
	T_EQ_I64(db_prepare(db, "INSERT INTO t(name) VALUES(?1) RETURNING id", &st), DB_OK);
	T_EQ_I64(db_column_count(st), 1);
	db_bind_text(st, 1, "a", -1);
	T_EQ_I64(db_step(st), DB_ROW);
	T_EQ_I64(db_column_type(st, 0), DB_INTEGER);
	id1 = db_column_int64(st, 0);
	T_EQ_I64(db_step(st), DB_DONE);
	db_reset(st);
	db_bind_text(st, 1, "b", -1);
	T_EQ_I64(db_step(st), DB_ROW);
	id2 = db_column_int64(st, 0);
	T_ASSERT(id1 > 0 && id2 > id1);
	{
		char buf[32];
		snprintf(buf, sizeof buf, "%lld", (long long)id2);
		T_EQ_STR((const char *)db_column_text(st, 0), buf);
	}
	db_reset(st);
	T_EQ_I64(db_step(st), DB_ECONSTRAINT); /* "b" again: UNIQUE */
	T_EQ_I64(db_last_error(db), DB_ECONSTRAINT);
	T_EQ_I64(db_fail(db, "insert"), DB_ESQL);
	T_ASSERT(strstr(db_errmsg(db), "insert: ") == db_errmsg(db));
	db_finalize(st);
	T_EQ_I64(db_prepare(db, "INSERT INTO t(name) VALUES(?1) ON CONFLICT(name) DO NOTHING RETURNING id", &st),
	         DB_OK);
	db_bind_text(st, 1, "a", -1);
	T_EQ_I64(db_step(st), DB_DONE); /* nothing inserted: no row */
	db_finalize(st);
	T_EQ_I64(db_changes(db), 0);
	/* an upsert that updates returns the updated row's id */
	T_EQ_I64(db_prepare(db, "INSERT INTO t(name) VALUES(?1) ON CONFLICT(name) DO UPDATE SET name = excluded.name"
	                        " RETURNING id", &st), DB_OK);
	db_bind_text(st, 1, "a", -1);
	T_EQ_I64(db_step(st), DB_ROW);
	T_EQ_I64(db_column_int64(st, 0), id1);
	T_EQ_I64(db_step(st), DB_DONE);
	db_finalize(st);
	db_close(db);
}

/* Text and blobs are copied at bind: the caller's buffer may change. */
TEST(binds_are_copied)
{
	db_t *db = mem();
	T_ASSERT(db != NULL);
	db_stmt *st = NULL;
	char buf[16];
	unsigned char blob[3] = { 0, 'x', 0 };
	T_EQ_I64(db_prepare(db, "SELECT ?1, ?2, length(?2), ?3, ?4", &st), DB_OK);
	snprintf(buf, sizeof buf, "hello");
	T_EQ_I64(db_bind_text(st, 1, buf, -1), DB_OK);
	T_EQ_I64(db_bind_blob(st, 2, blob, 3), DB_OK);
	T_EQ_I64(db_bind_text(st, 3, "abcdef", 3), DB_OK);
	T_EQ_I64(db_bind_null(st, 4), DB_OK);
	snprintf(buf, sizeof buf, "XXXXX");
	blob[1] = 'y';
	T_EQ_I64(db_step(st), DB_ROW);
	T_EQ_STR((const char *)db_column_text(st, 0), "hello");
	T_EQ_I64(db_column_bytes(st, 1), 3);
	T_EQ_I64(((const unsigned char *)db_column_blob(st, 1))[1], 'x');
	T_EQ_STR((const char *)db_column_text(st, 3), "abc");
	T_EQ_I64(db_column_type(st, 4), DB_NULL);
	T_EQ_I64(db_column_type(st, 0), DB_TEXT);
	T_EQ_I64(db_column_type(st, 1), DB_BLOB);
	T_EQ_I64(db_step(st), DB_DONE);
	/* out of range: an error, not a crash */
	T_ASSERT(db_bind_text(st, 9, "z", -1) != DB_OK);
	db_finalize(st);
	db_finalize(NULL);
	db_close(db);
}

/* begin/commit/rollback and db_in_transaction; db_rollback keeps the message. */
TEST(transactions)
{
	db_t *db = mem();
	T_ASSERT(db != NULL);
	T_EQ_I64(db_in_transaction(db), 0);
	T_EQ_I64(db_begin(db, 1), DB_OK);
	T_EQ_I64(db_in_transaction(db), 1);
	T_EQ_I64(db_lock_account(db, 7), DB_OK);
	T_EQ_I64(db_meta_set(db, "k", "v"), DB_OK);
	db_failf(db, DB_EINPUT, "why it stopped");
	db_rollback(db);
	T_EQ_STR(db_errmsg(db), "why it stopped");
	T_EQ_I64(db_in_transaction(db), 0);
	{
		char v[8];
		T_EQ_I64(db_meta_get(db, "k", v, sizeof v), -1);
	}
	db_rollback(db); /* outside a transaction: nothing */
	T_EQ_I64(db_begin(db, 0), DB_OK);
	T_EQ_I64(db_commit(db), DB_OK);
	T_ASSERT(db_exec(db, "SELECT * FROM no_such_table") == DB_ESQL);
	T_ASSERT(strstr(db_errmsg(db), "no_such_table") != NULL);
	db_close(db);
}

/* Backend by target, dialect split, reopen (a file) and share. */
TEST(backend_reopen_share)
{
	const char *path = t_tmppath("db-reopen.db");
	db_t *db = mem(), *r = NULL, *s;
	char msg[256];
	T_ASSERT(db != NULL);
	T_ASSERT(db_backend_is(db, "sqlite"));
	T_ASSERT(!db_backend_is(db, "postgresql"));
	T_EQ_STR(DB_SQL(db, "lite", "pg"), "lite");
	T_EQ_I64(db_reopen(db, &r), DB_EOPEN); /* ":memory:" has no file */
	T_ASSERT(r == NULL);
	db_close(db);
	unlink(path);
	T_EQ_I64(db_open(path, DB_OPEN_CREATE, &db, msg, sizeof msg), DB_OK);
	T_EQ_I64(db_read_only(db), 0);
	T_EQ_I64(db_meta_set(db, "k", "1"), DB_OK);
	T_EQ_I64(db_reopen(db, &r), DB_OK);
	{
		char v[8];
		T_EQ_I64(db_meta_get(r, "k", v, sizeof v), 0);
		T_EQ_STR(v, "1");
	}
	s = db_share(db);
	T_ASSERT(s != NULL);
	db_failf(s, DB_EINPUT, "only in the copy");
	T_ASSERT(strcmp(db_errmsg(db), "only in the copy") != 0);
	db_close(s); /* the connection stays open */
	T_EQ_I64(db_meta_set(db, "k", "2"), DB_OK);
	db_close(r);
	db_close(db);
	T_EQ_I64(db_open(path, DB_OPEN_READONLY, &db, msg, sizeof msg), DB_OK);
	T_EQ_I64(db_read_only(db), 1);
	T_EQ_I64(db_meta_set(db, "k", "3"), DB_EREADONLY);
	db_close(db);
	/* a libpq-looking target never becomes a file */
	T_ASSERT(db_open("host=/nonexistent dbname=x", 0, &db, msg, sizeof msg) != DB_OK);
	T_ASSERT(access("host=/nonexistent dbname=x", F_OK) != 0);
	unlink(path);
}

SUITE(db)
{
	RUN(returning_id);
	RUN(binds_are_copied);
	RUN(transactions);
	RUN(backend_reopen_share);
}
