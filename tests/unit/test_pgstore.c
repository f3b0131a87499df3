/* test_pgstore.c: the PostgreSQL backend (data/pg/db_pg.c).
 * The parameter rewrite needs no server. The rest runs against the store
 * named by $BILLTOP_PG_UNIT_DB (a conninfo of an initialised billtop store;
 * tests/pg/test_store.sh sets it) and is skipped, saying so, without it:
 * data_version counts only other sessions' commits (LISTEN/NOTIFY), bytes
 * round-trip through bytea, column types, changes(), SQLSTATE mapping
 * (unique -> DB_ECONSTRAINT, lock timeout -> DB_EBUSY), the progress
 * function interrupting a running query (DB_EINTERRUPT), untyped
 * parameters. */
#include <stdlib.h>
#include <time.h>

#include "../../data/db.h"
#include "../../data/pg/db_pg.h"
#include "t.h"

static void rewrite_is(const char *in, const char *want, int want_n, int *bad)
{
	int n = -1;
	char *out = db_pg_rewrite(in, &n);
	if (!out || strcmp(out, want) != 0 || n != want_n) {
		fprintf(stderr, "  rewrite \"%s\": got \"%s\" (%d), expected \"%s\" (%d)\n", in, out ? out : "(null)", n,
		        want, want_n);
		*bad = 1;
	}
	free(out);
}

TEST(rewrite)
{
	int bad = 0;
	rewrite_is("SELECT ?1, ?2 FROM t WHERE a = ?1", "SELECT $1, $2 FROM t WHERE a = $1", 2, &bad);
	rewrite_is("VALUES (?,?),(?,?)", "VALUES ($1,$2),($3,$4)", 4, &bad);
	rewrite_is("x = ?3 AND y = ?", "x = $3 AND y = $4", 4, &bad); /* SQLite: one past the largest */
	rewrite_is("SELECT '?', \"a?b\", 'it''s ?' -- ?\n, ?", "SELECT '?', \"a?b\", 'it''s ?' -- ?\n, $1", 1, &bad);
	rewrite_is("/* ? */ SELECT ?10", "/* ? */ SELECT $10", 10, &bad);
	rewrite_is("SELECT 1", "SELECT 1", 0, &bad);
	T_ASSERT(!bad);
}

static const char *target(void)
{
	const char *t = getenv("BILLTOP_PG_UNIT_DB");
	return t && *t ? t : NULL;
}

static db_t *open_pg(void)
{
	db_t *db = NULL;
	char msg[512];
	if (db_open(target(), 0, &db, msg, sizeof msg) != DB_OK) {
		fprintf(stderr, "  open: %s\n", msg);
		return NULL;
	}
	return db;
}

static void nap(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

TEST(data_version)
{
	db_t *a = open_pg(), *b = open_pg();
	int64_t v0, v;
	int i;
	T_ASSERT(a && b);
	v0 = db_data_version(a);
	T_ASSERT(v0 >= 0);
	T_EQ_I64(db_data_version(a), v0); /* nothing committed: the same, no error */
	/* its own commit is not a change to read (as SQLite's data_version) */
	T_EQ_I64(db_meta_set(a, "pgstore-own", "1"), DB_OK);
	nap(100);
	T_EQ_I64(db_data_version(a), v0);
	/* another session's commit is, once delivered */
	T_EQ_I64(db_meta_set(b, "pgstore-other", "1"), DB_OK);
	for (i = 0, v = v0; i < 100 && v == v0; i++) {
		nap(20);
		v = db_data_version(a);
	}
	T_ASSERT(v > v0);
	db_close(a);
	db_close(b);
}

TEST(values)
{
	db_t *db = open_pg();
	db_stmt *st;
	const unsigned char raw[] = { 0xff, 0x00, 'a', 0xc3 };
	T_ASSERT(db);
	T_EQ_I64(db_exec(db, "CREATE TEMP TABLE v(id bigint, b bytea, s text, n bigint)"), DB_OK);
	T_EQ_I64(db_prepare(db, "INSERT INTO v(id, b, s, n) VALUES(?1, ?2, ?3, ?4), (?1 + 1, NULL, '', NULL)", &st),
	         DB_OK);
	db_bind_int64(st, 1, 9007199254740993LL); /* past a double's integers */
	db_bind_blob(st, 2, raw, (int)sizeof raw);
	db_bind_text(st, 3, "été", -1);
	db_bind_int64(st, 4, -5);
	T_EQ_I64(db_step(st), DB_DONE);
	db_finalize(st);
	T_EQ_I64(db_changes(db), 2);
	T_EQ_I64(db_prepare(db, "SELECT id, b, s, n, n IS NULL FROM v ORDER BY id", &st), DB_OK);
	T_EQ_I64(db_step(st), DB_ROW);
	T_EQ_I64(db_column_int64(st, 0), 9007199254740993LL);
	T_EQ_I64(db_column_type(st, 1), DB_BLOB);
	T_EQ_I64(db_column_bytes(st, 1), (int)sizeof raw);
	T_ASSERT(memcmp(db_column_blob(st, 1), raw, sizeof raw) == 0);
	T_EQ_I64(db_column_type(st, 2), DB_TEXT);
	T_EQ_STR((const char *)db_column_text(st, 2), "été");
	T_EQ_I64(db_column_type(st, 3), DB_INTEGER);
	T_EQ_I64(db_column_int64(st, 3), -5);
	T_EQ_I64(db_column_int64(st, 4), 0); /* a boolean reads as 0/1 */
	T_EQ_I64(db_step(st), DB_ROW);
	T_EQ_I64(db_column_type(st, 1), DB_NULL);
	T_ASSERT(db_column_blob(st, 1) == NULL);
	T_EQ_I64(db_column_int64(st, 4), 1);
	T_EQ_I64(db_step(st), DB_DONE);
	db_finalize(st);
	T_EQ_I64(db_changes(db), 2); /* a SELECT leaves it */
	T_EQ_I64(db_begin(db, 1), DB_OK);
	T_EQ_I64(db_exec(db, "UPDATE v SET n = 7 WHERE id > 9007199254740993"), DB_OK);
	T_EQ_I64(db_changes(db), 1);
	T_EQ_I64(db_commit(db), DB_OK);
	T_EQ_I64(db_changes(db), 1); /* and COMMIT too (the watcher reads it after its transaction) */
	/* a parameter the server cannot type (SQLite has no types): NULL or text */
	T_EQ_I64(db_prepare(db, "SELECT COUNT(*) FROM v WHERE ?1 IS NULL OR s = ?1", &st), DB_OK);
	db_bind_null(st, 1);
	T_EQ_I64(db_step(st), DB_ROW);
	T_EQ_I64(db_column_int64(st, 0), 2);
	db_finalize(st);
	db_close(db);
}

TEST(errors)
{
	db_t *a = open_pg(), *b = open_pg();
	db_stmt *st;
	T_ASSERT(a && b);
	/* a unique conflict */
	T_EQ_I64(db_meta_set(a, "pgstore-dup", "1"), DB_OK);
	T_EQ_I64(db_prepare(a, "INSERT INTO meta(key, value) VALUES(?1, ?2)", &st), DB_OK);
	db_bind_text(st, 1, "pgstore-dup", -1);
	db_bind_text(st, 2, "2", -1);
	T_EQ_I64(db_step(st), DB_ECONSTRAINT);
	db_finalize(st);
	/* the append-only ledger (a row to refuse: the trigger is per row) */
	T_EQ_I64(db_exec(a, "INSERT INTO account(name, created) VALUES('pgstore-unit', 0) ON CONFLICT DO NOTHING;"
	                 " INSERT INTO ledger(account_id, kind, amount, at, posted, operator)"
	                 " SELECT id, 'deposit', 1, 0, 0, 'unit' FROM account WHERE name = 'pgstore-unit'"), DB_OK);
	T_EQ_I64(db_exec(a, "DELETE FROM ledger"), DB_ECONSTRAINT);
	T_ASSERT(strstr(db_errmsg(a), "append-only") != NULL);
	/* a second writer on the same account waits; past lock_timeout: busy */
	T_EQ_I64(db_begin(a, 1), DB_OK);
	T_EQ_I64(db_lock_account(a, 424242), DB_OK);
	T_EQ_I64(db_begin(b, 1), DB_OK);
	T_EQ_I64(db_exec(b, "SET LOCAL lock_timeout = '50ms'"), DB_OK);
	T_EQ_I64(db_lock_account(b, 424242), DB_EBUSY);
	db_rollback(b);
	T_EQ_I64(db_begin(b, 1), DB_OK);
	T_EQ_I64(db_lock_account(b, 424243), DB_OK); /* another account: no wait */
	db_rollback(b);
	db_rollback(a);
	db_close(a);
	db_close(b);
}

static int calls;
static int stop_after_some(void *ctx)
{
	(void)ctx;
	return ++calls > 3;
}

TEST(interrupt)
{
	db_t *db = open_pg();
	db_stmt *st;
	T_ASSERT(db);
	calls = 0;
	db_set_progress(db, 1000, stop_after_some, NULL);
	T_EQ_I64(db_prepare(db, "SELECT pg_sleep(30)", &st), DB_OK);
	T_EQ_I64(db_step(st), DB_EINTERRUPT);
	db_finalize(st);
	db_set_progress(db, 0, NULL, NULL);
	T_EQ_I64(db_prepare(db, "SELECT 1", &st), DB_OK); /* the connection goes on */
	T_EQ_I64(db_step(st), DB_ROW);
	db_finalize(st);
	db_close(db);
}

SUITE(pgstore)
{
	RUN(rewrite);
	if (!target()) {
		if (t_filter && strstr("pgstore", t_filter))
			fprintf(stderr, "pgstore: no $BILLTOP_PG_UNIT_DB: the server tests did not run\n");
		return;
	}
	RUN(data_version);
	RUN(values);
	RUN(errors);
	RUN(interrupt);
}
