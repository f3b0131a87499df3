/* test_mdrq.c: mdrq_sum (the messages list's title: count and charge of a
 * period) reads whole hours from the hourly rollups and the rest from the
 * rows; for any period, whole hours or not, it must say what summing the
 * rows mdrq_each lists says. */
#include <stdlib.h>
#include <unistd.h>

#include "../../data/account.h"
#include "../../data/db.h"
#include "../../data/mdrq.h"
#include "../../data/store.h"
#include "t.h"

#define T0 1700000000 /* 2023-11-14 22:13:20: not on an hour */
#define NMSG 240

typedef struct {
	int64_t n;
	money_t cost;
} tally;

static int add(const mdrq_row *r, void *ctx)
{
	tally *t = ctx;
	t->n++;
	t->cost += r->cost;
	return 0;
}

static db_t *mdr_db(account_info *a)
{
	db_t *db = NULL;
	char msg[256], id[32];
	const char *p = t_tmppath("mdrq.db");
	store_opts so = { "test", NULL, 0, 0 };
	store_writer *w;
	int out;
	unlink(p);
	if (db_open(p, DB_OPEN_CREATE, &db, msg, sizeof msg) != DB_OK)
		return NULL;
	account_defaults(a, "acct");
	if (account_add(db, a) != DB_OK || db_begin(db, 1) != DB_OK || !(w = store_new(db, &so)))
		return NULL;
	for (int i = 0; i < NMSG; i++) {
		mdr_rec m;
		memset(&m, 0, sizeof m);
		snprintf(id, sizeof id, "m%d", i);
		m.record_id = id;
		m.account = "acct";
		m.at = T0 + (int64_t)i * 97;       /* about 6 hours, every minute of the hour */
		m.direction = i % 3 ? "outbound" : "inbound";
		m.src = "12065550100";
		m.dst = "12065550199";
		m.type = i % 5 ? "sms" : "mms";
		m.segments = 1 + i % 3;
		m.cost = 40000000 + (money_t)i * 100000; /* 0.0400 + i x 0.0001: 4 decimals */
		if (store_mdr(w, &m, &out, msg, sizeof msg) != DB_OK || out != STORE_INSERTED)
			return NULL;
	}
	if (store_finish(w) != DB_OK || db_commit(db) != DB_OK)
		return NULL;
	store_free(w);
	return db;
}

TEST(sum_equals_rows)
{
	account_info a;
	db_t *db = mdr_db(&a);
	/* periods: within an hour, across hour edges, whole hours, open-ended */
	static const int64_t from[] = { T0, T0 + 100, T0 + 3600 - 1000, INT64_MIN, T0 + 4000, T0 + 7200 - 400, T0 };
	static const int64_t to[] = { T0 + 500, T0 + 9000, T0 + 3600 + 10, INT64_MAX, T0 + 15000, T0 + 7200 + 7200, INT64_MAX };
	T_ASSERT(db);
	for (size_t k = 0; k < sizeof from / sizeof from[0]; k++) {
		mdrq_filter f;
		tally rows = { 0, 0 };
		int64_t n;
		money_t cost;
		memset(&f, 0, sizeof f);
		f.from = from[k];
		f.to = to[k];
		f.limit = NMSG + 1;
		T_EQ_I64(mdrq_each(db, &a, &f, add, &rows), DB_OK);
		T_EQ_I64(mdrq_sum(db, &a, from[k], to[k], &n, &cost), DB_OK);
		T_EQ_I64(n, rows.n);
		T_EQ_I64(cost, rows.cost);
	}
	db_close(db);
}

SUITE(mdrq)
{
	RUN(sum_equals_rows);
}
