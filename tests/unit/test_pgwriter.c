/* test_pgwriter.c: the row writer (data/store.c) on the PostgreSQL store's
 * monthly partitions (issue 12). Runs against the store named by
 * $BILLTOP_PG_UNIT_DB (a conninfo of an initialised billtop store with an
 * account "acme" on a deck rating "1..."; tests/pg/test_archive.sh sets it
 * up) and is skipped, saying so, without it:
 *   - a writer kept across transactions (a follower) whose transaction that
 *     created a month rolled back stores that month's call in its next one
 *     (the month's partition is ensured again, not taken from its cache);
 *   - an extra leg of a call whose billed leg is in a month taken out of
 *     cdr (billtop archive) is stored as an extra leg, from cdr_call. */
#include <stdlib.h>

#include "../../core/tm.h"
#include "../../data/db.h"
#include "../../data/store.h"
#include "t.h"

static db_t *open_pg(void)
{
	const char *t = getenv("BILLTOP_PG_UNIT_DB");
	db_t *db = NULL;
	char msg[512];
	if (!t || !*t)
		return NULL;
	if (db_open(t, 0, &db, msg, sizeof msg) != DB_OK) {
		fprintf(stderr, "  open: %s\n", msg);
		return NULL;
	}
	return db;
}

static void make_call(cdr_rec *r, const char *id, const char *key, int64_t start)
{
	memset(r, 0, sizeof *r);
	r->record_id = id;
	r->call_key = key;
	r->account = "acme";
	r->src = "15550001111";
	r->dst = "12065550100";
	r->clid = "";
	r->disposition_text = "ANSWERED";
	r->disposition = DISP_ANSWERED;
	r->start = start;
	r->answer = start;
	r->end = start + 60;
	r->duration_ms = r->billsec_ms = 60000;
	r->connected = 1;
	r->their_billed_secs = -1;
}

static int64_t scalar(db_t *db, const char *sql)
{
	db_stmt *st;
	int64_t v = -1;
	if (db_prepare(db, sql, &st) != DB_OK)
		return -2;
	if (db_step(st) == DB_ROW)
		v = db_column_int64(st, 0);
	db_finalize(st);
	return v;
}

TEST(month_after_rollback)
{
	db_t *db = open_pg();
	store_opts so = { "unit", NULL, 0, 0 };
	store_writer *w;
	cdr_rec r;
	char why[200];
	int out;
	if (!db) {
		fprintf(stderr, "  skip: no $BILLTOP_PG_UNIT_DB\n");
		return;
	}
	T_EQ_I64(db_begin(db, 1), DB_OK);
	T_ASSERT((w = store_new(db, &so)) != NULL);
	make_call(&r, "rb/1", "rb-call", tm_month_start(2019, 6) + 3600);
	T_EQ_I64(store_cdr(w, &r, &out, why, sizeof why), DB_OK);
	T_EQ_I64(out, STORE_INSERTED);
	db_rollback(db); /* the month's partition goes with it */
	T_EQ_I64(db_begin(db, 1), DB_OK);
	T_EQ_I64(store_next(w, 1), DB_OK);
	T_EQ_I64(store_cdr(w, &r, &out, why, sizeof why), DB_OK);
	T_EQ_I64(out, STORE_INSERTED);
	T_EQ_I64(store_finish(w), DB_OK);
	T_EQ_I64(db_commit(db), DB_OK);
	store_free(w);
	T_EQ_I64(scalar(db, "SELECT count(*) FROM cdr_2019_06"), 1);
	db_close(db);
}

TEST(extra_leg_of_archived_call)
{
	db_t *db = open_pg();
	store_opts so = { "unit", NULL, 0, 0 };
	store_writer *w;
	cdr_rec r;
	char why[200];
	int out;
	if (!db) {
		fprintf(stderr, "  skip: no $BILLTOP_PG_UNIT_DB\n");
		return;
	}
	T_EQ_I64(db_begin(db, 1), DB_OK);
	T_ASSERT((w = store_new(db, &so)) != NULL);
	make_call(&r, "leg/1", "arc-call", tm_month_start(2019, 8) + 7200);
	T_EQ_I64(store_cdr(w, &r, &out, why, sizeof why), DB_OK);
	T_EQ_I64(store_finish(w), DB_OK);
	T_EQ_I64(db_commit(db), DB_OK);
	store_free(w);
	/* the billed leg's month taken out of cdr, as billtop archive does */
	T_EQ_I64(db_exec(db, "SELECT billtop_cdr_take_out('cdr_2019_08', 0)"), DB_OK);
	T_EQ_I64(db_begin(db, 1), DB_OK);
	T_ASSERT((w = store_new(db, &so)) != NULL);
	make_call(&r, "leg/2", "arc-call", tm_month_start(2019, 9) + 60);
	T_EQ_I64(store_cdr(w, &r, &out, why, sizeof why), DB_OK);
	T_EQ_I64(out, STORE_INSERTED);
	T_EQ_I64(store_finish(w), DB_OK);
	T_EQ_I64(db_commit(db), DB_OK);
	T_EQ_I64(store_get_stats(w)->extra_legs, 1);
	store_free(w);
	T_EQ_I64(scalar(db, "SELECT state FROM cdr WHERE record_id = 'unit:leg/2'"), 3);
	db_close(db);
}

SUITE(pgwriter)
{
	RUN(month_after_rollback);
	RUN(extra_leg_of_archived_call);
}
