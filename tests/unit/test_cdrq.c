/* test_cdrq.c: keyset paging of call lists. Pages read newest first with
 * before_* keys, or oldest first with after_* keys, join up to exactly the
 * full list in both directions, across ties on the start time and under a
 * filter; the oldest page is read directly. */
#include <stdlib.h>
#include <unistd.h>

#include "../../core/tm.h"
#include "../../data/account.h"
#include "../../data/cdrq.h"
#include "../../data/db.h"
#include "../../data/store.h"
#include "t.h"

#define NCALLS 257

typedef struct {
	int64_t id[NCALLS + 1], start[NCALLS + 1];
	int n, max;
} ids;

static int grab(const cdrq_row *r, void *ctx)
{
	ids *x = ctx;
	if (x->n >= NCALLS + 1)
		return 1;
	x->id[x->n] = r->id;
	x->start[x->n++] = r->start;
	return x->max && x->n >= x->max;
}

static db_t *calls_db(account_info *a)
{
	db_t *db = NULL;
	char msg[256], id[32], dst[32];
	const char *p = t_tmppath("cdrq.db");
	store_opts so = { "test", NULL, 0, 0 };
	store_writer *w;
	int out;
	unlink(p);
	if (db_open(p, DB_OPEN_CREATE, &db, msg, sizeof msg) != DB_OK)
		return NULL;
	account_defaults(a, "acct");
	if (account_add(db, a) != DB_OK || db_begin(db, 1) != DB_OK || !(w = store_new(db, &so)))
		return NULL;
	for (int i = 0; i < NCALLS; i++) {
		cdr_rec r;
		memset(&r, 0, sizeof r);
		snprintf(id, sizeof id, "c%d", i);
		snprintf(dst, sizeof dst, "1206555%04d", i % 7 == 0 ? 7777 : i);
		r.record_id = id;
		r.call_key = id;
		r.account = "acct";
		r.src = "15550001111";
		r.dst = dst;
		r.clid = "";
		r.disposition_text = "NO ANSWER";
		r.disposition = DISP_NO_ANSWER;
		/* three calls share each start (ties broken by id), inserted out of order */
		r.start = 1700000000 + (int64_t)((i * 37) % NCALLS / 3) * 60;
		r.answer = r.end = TM_NONE;
		r.their_billed_secs = -1;
		if (store_cdr(w, &r, &out, msg, sizeof msg) != DB_OK || out != STORE_INSERTED)
			return NULL;
	}
	if (store_finish(w) != DB_OK || db_commit(db) != DB_OK)
		return NULL;
	store_free(w);
	return db;
}

/* Page through with `limit` rows a page; returns the rows joined. */
static void pages(db_t *db, const account_info *a, const cdrq_filter *base, int oldest_first, int limit, ids *out)
{
	cdrq_filter f = *base;
	out->n = 0;
	out->max = 0;
	f.oldest_first = oldest_first;
	f.limit = limit;
	for (int guard = 0; guard < NCALLS + 2; guard++) {
		int before = out->n;
		ids page = { { 0 }, { 0 }, 0, 0 };
		if (cdrq_each(db, a, &f, grab, &page) != DB_OK)
			return;
		for (int i = 0; i < page.n && out->n < NCALLS + 1; i++) {
			out->id[out->n] = page.id[i];
			out->start[out->n++] = page.start[i];
		}
		if (out->n == before || page.n < limit)
			return;
		if (oldest_first) {
			f.after_start = page.start[page.n - 1];
			f.after_id = page.id[page.n - 1];
		} else {
			f.before_start = page.start[page.n - 1];
			f.before_id = page.id[page.n - 1];
		}
	}
}

static void check_filter(const char *number)
{
	account_info a;
	db_t *db = calls_db(&a);
	cdrq_filter f;
	ids all = { { 0 }, { 0 }, 0, 0 }, down, up, oldest = { { 0 }, { 0 }, 0, 0 };
	if (!db) {
		t_failed_flag = 1;
		return;
	}
	memset(&f, 0, sizeof f);
	f.from = INT64_MIN;
	f.to = INT64_MAX;
	f.number = number;
	if (cdrq_each(db, &a, &f, grab, &all) != DB_OK || all.n == 0) {
		db_close(db);
		t_failed_flag = 1;
		return;
	}
	for (int i = 1; i < all.n; i++)   /* newest first, ties by id */
		if (all.start[i] > all.start[i - 1] || (all.start[i] == all.start[i - 1] && all.id[i] >= all.id[i - 1]))
			t_failed_flag = 1;
	for (int limit = 1; limit <= 11; limit += 5) {
		pages(db, &a, &f, 0, limit, &down);
		pages(db, &a, &f, 1, limit, &up);
		if (down.n != all.n || up.n != all.n)
			t_failed_flag = 1;
		for (int i = 0; i < all.n && !t_failed_flag; i++)
			if (down.id[i] != all.id[i] || up.id[i] != all.id[all.n - 1 - i])
				t_failed_flag = 1;
	}
	/* End: the oldest page directly */
	f.oldest_first = 1;
	f.limit = 4;
	if (cdrq_each(db, &a, &f, grab, &oldest) != DB_OK || oldest.n != (all.n < 4 ? all.n : 4))
		t_failed_flag = 1;
	for (int i = 0; i < oldest.n; i++)
		if (oldest.id[i] != all.id[all.n - 1 - i])
			t_failed_flag = 1;
	db_close(db);
	unlink(t_tmppath("cdrq.db"));
}

TEST(keyset_pages_join_both_ways)
{
	check_filter(NULL);
	if (t_failed_flag)
		T_FAIL("pages differ from the full list");
}

TEST(keyset_pages_under_a_filter)
{
	check_filter("7777");
	if (t_failed_flag)
		T_FAIL("filtered pages differ from the full filtered list");
}

SUITE(cdrq)
{
	RUN(keyset_pages_join_both_ways);
	RUN(keyset_pages_under_a_filter);
}
