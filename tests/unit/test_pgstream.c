/* test_pgstream.c: the PostgreSQL backend's streamed results
 * (data/pg/db_pg_stmt.c, single-row mode). Runs against the store named by
 * $BILLTOP_PG_UNIT_DB (tests/pg/test_store.sh sets it and runs every suite
 * whose name holds "pgstore") and is skipped, saying so, without it.
 * Checked: a big SELECT read without holding its rows (peak RSS), a
 * statement stepped while others run on the connection (its rest read
 * ahead, every row once and in order), db_in_transaction and BEGIN/COMMIT
 * in the middle of a stream, a statement finalized or reset before its last
 * row, a failure after some rows reported by the step that reaches it;
 * the session without JIT and the CNAM list's partial index. */
#include <stdlib.h>
#include <sys/resource.h>

#include "../../data/db.h"
#include "t.h"

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

static long peak_kb(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

/* generate_series(1, ?1) with a 200-byte text a row */
#define SERIES "SELECT g, repeat('x', 200) FROM generate_series(1, ?1::bigint) g"

/* 500,000 rows of about 200 bytes (100 MB of text) read one at a time: the
 * peak RSS must not grow by the result (fetched whole it grew by > 150 MB) */
TEST(bounded)
{
	db_t *db = open_pg();
	db_stmt *st = NULL;
	long before;
	int64_t n = 0, sum = 0;
	int rc;
	T_ASSERT(db);
	before = peak_kb();
	T_ASSERT(db_prepare(db, SERIES, &st) == DB_OK);
	db_bind_int64(st, 1, 500000);
	while ((rc = db_step(st)) == DB_ROW) {
		n++;
		sum += db_column_int64(st, 0);
		if (db_column_bytes(st, 1) != 200)
			break;
	}
	db_finalize(st);
	db_close(db);
	T_EQ_I64(rc, DB_DONE);
	T_EQ_I64(n, 500000);
	T_EQ_I64(sum, (int64_t)500000 * 500001 / 2);
	/* Under AddressSanitizer freed blocks wait in its quarantine (256 MB by
	 * default) instead of going back to malloc, so the peak grows with
	 * every row freed: the bound holds in the normal build only (CI ran
	 * make asan and failed here). */
#if !defined(__SANITIZE_ADDRESS__) && !defined(BILLTOP_ASAN)
	if (peak_kb() - before > 30 * 1024)
		T_FAIL("peak RSS grew by %ld KiB reading 100 MB one row at a time", peak_kb() - before);
#else
	(void)before;
#endif
}

/* A stepped while B runs to its end, then a write transaction, then A
 * again: every row of A once, in order; in_transaction right in a stream */
TEST(nested)
{
	db_t *db = open_pg();
	db_stmt *a = NULL, *b = NULL;
	int64_t want = 1;
	int rc, bad = 0;
	T_ASSERT(db);
	T_ASSERT(db_prepare(db, SERIES, &a) == DB_OK);
	db_bind_int64(a, 1, 3000);
	for (; want <= 10; want++)
		if (db_step(a) != DB_ROW || db_column_int64(a, 0) != want)
			bad = 1;
	T_ASSERT(!bad);
	T_EQ_I64(db_in_transaction(db), 0); /* the stream is no transaction */
	T_ASSERT(db_prepare(db, "SELECT 40 + ?1", &b) == DB_OK);
	db_bind_int64(b, 1, 2);
	T_EQ_I64(db_step(b), DB_ROW);
	T_EQ_I64(db_column_int64(b, 0), 42);
	T_EQ_I64(db_step(b), DB_DONE);
	T_ASSERT(db_exec(db, "BEGIN") == DB_OK);
	T_EQ_I64(db_in_transaction(db), 1);
	T_ASSERT(db_exec(db, "COMMIT") == DB_OK);
	while ((rc = db_step(a)) == DB_ROW) {
		if (db_column_int64(a, 0) != want || db_column_bytes(a, 1) != 200)
			bad = 1;
		want++;
	}
	T_EQ_I64(rc, DB_DONE);
	T_ASSERT(!bad);
	T_EQ_I64(want, 3001);
	/* a stream inside a transaction, a second one started beside it */
	T_ASSERT(db_exec(db, "BEGIN") == DB_OK);
	db_reset(a);
	db_bind_int64(a, 1, 5);
	T_EQ_I64(db_step(a), DB_ROW);
	T_EQ_I64(db_in_transaction(db), 1);
	db_reset(b);
	T_EQ_I64(db_step(b), DB_ROW);
	T_EQ_I64(db_step(a), DB_ROW);
	T_EQ_I64(db_column_int64(a, 0), 2);
	T_ASSERT(db_exec(db, "COMMIT") == DB_OK);
	db_finalize(a);
	db_finalize(b);
	db_close(db);
}

/* finalized and reset before the last row: the connection goes on */
TEST(abandoned)
{
	db_t *db = open_pg();
	db_stmt *a = NULL, *b = NULL;
	T_ASSERT(db);
	T_ASSERT(db_prepare(db, SERIES, &a) == DB_OK);
	db_bind_int64(a, 1, 10000);
	T_EQ_I64(db_step(a), DB_ROW);
	db_reset(a);
	T_EQ_I64(db_step(a), DB_ROW); /* again from the first row */
	T_EQ_I64(db_column_int64(a, 0), 1);
	db_finalize(a);
	T_ASSERT(db_prepare(db, "SELECT 7", &b) == DB_OK);
	T_EQ_I64(db_step(b), DB_ROW);
	T_EQ_I64(db_column_int64(b, 0), 7);
	db_finalize(b);
	db_close(db);
}

/* a failure after rows: a step says so, streamed or read ahead */
TEST(late_failure)
{
	db_t *db = open_pg();
	db_stmt *a = NULL, *b = NULL;
	int rc, rows, pass;
	T_ASSERT(db);
	for (pass = 0; pass < 2; pass++) {
		T_ASSERT(db_prepare(db, "SELECT 1 / (2000 - g) FROM generate_series(1, 3000) g", &a) == DB_OK);
		rows = 0;
		while ((rc = db_step(a)) == DB_ROW) {
			if (++rows == 3 && pass == 1) { /* the rest read ahead */
				T_ASSERT(db_prepare(db, "SELECT 1", &b) == DB_OK);
				T_EQ_I64(db_step(b), DB_ROW);
				db_finalize(b);
			}
		}
		if (rc != DB_DONE)
			db_fail(db, "read");
		db_finalize(a);
		T_ASSERT(rc != DB_DONE);
		T_ASSERT(rows < 2000);
		if (!strstr(db_errmsg(db), "division by zero"))
			T_FAIL("pass %d: rc %d after %d rows: %s", pass, rc, rows, db_errmsg(db));
	}
	T_ASSERT(db_prepare(db, "SELECT 8", &b) == DB_OK);
	T_EQ_I64(db_step(b), DB_ROW);
	T_EQ_I64(db_column_int64(b, 0), 8);
	db_finalize(b);
	db_close(db);
}

/* the session's settings and the read paths' schema: no JIT (20 ms of
 * compiling on a 12-hour read of a busy account), the CNAM list's index */
TEST(session)
{
	db_t *db = open_pg();
	db_stmt *st = NULL;
	T_ASSERT(db);
	T_ASSERT(db_prepare(db, "SELECT current_setting('jit'),"
	                        " (SELECT COUNT(*) FROM pg_indexes WHERE indexname = 'cdr_acct_cnam')", &st) == DB_OK);
	T_EQ_I64(db_step(st), DB_ROW);
	T_EQ_STR((const char *)db_column_text(st, 0), "off");
	T_EQ_I64(db_column_int64(st, 1), 1);
	db_finalize(st);
	db_close(db);
}

SUITE(pgstore_stream)
{
	if (!target()) {
		fprintf(stderr, "  pgstore_stream: skipped (no $BILLTOP_PG_UNIT_DB)\n");
		return;
	}
	RUN(bounded);
	RUN(nested);
	RUN(abandoned);
	RUN(late_failure);
	RUN(session);
}
