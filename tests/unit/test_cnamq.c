/* test_cnamq.c: CNAM charges one by one (data/cnamq.c). Calls with and
 * without a lookup fee and ledger cnam entries share start times; the walk
 * lists only charges (fee > 0), ordered by (time, id * 2 + source); pages read
 * past a row in either direction join up to exactly the full walk; a text
 * filter narrows both sources; cnamq_sum counts and totals what the walk
 * lists (the statement's CNAM line and lookup count). */
#include <stdlib.h>
#include <unistd.h>

#include "../../core/ledger.h"
#include "../../core/tm.h"
#include "../../data/account.h"
#include "../../data/cnamq.h"
#include "../../data/db.h"
#include "../../data/post.h"
#include "../../data/store.h"
#include "t.h"

#define NCALLS 97
#define NFEES 9
#define MAXROWS (NCALLS + NFEES + 1)

typedef struct {
	int64_t at[MAXROWS], id[MAXROWS], key[MAXROWS];
	int src[MAXROWS];
	money_t total;
	int n;
} walk;

static int grab(const cnamq_row *r, void *ctx)
{
	walk *w = ctx;
	if (w->n >= MAXROWS)
		return 1;
	w->at[w->n] = r->at;
	w->id[w->n] = r->id;
	w->key[w->n] = r->key;
	w->src[w->n++] = (int)r->source;
	w->total += r->fee;
	return 0;
}

static db_t *cnam_db(account_info *a, int *lookups)
{
	db_t *db = NULL;
	char msg[256], id[32], src[32], clid[64];
	const char *p = t_tmppath("cnamq.db");
	store_opts so = { "test", NULL, 0, 0 };
	store_writer *w;
	int out;
	int64_t eid;
	unlink(p);
	*lookups = 0;
	if (db_open(p, DB_OPEN_CREATE, &db, msg, sizeof msg) != DB_OK)
		return NULL;
	account_defaults(a, "acct");
	if (account_add(db, a) != DB_OK || db_begin(db, 1) != DB_OK || !(w = store_new(db, &so)))
		return NULL;
	for (int i = 0; i < NCALLS; i++) {
		cdr_rec r;
		memset(&r, 0, sizeof r);
		snprintf(id, sizeof id, "c%d", i);
		snprintf(src, sizeof src, "1206555%04d", i);
		snprintf(clid, sizeof clid, "\"NAME %d\" <%s>", i, src);
		r.record_id = id;
		r.call_key = id;
		r.account = "acct";
		r.src = src;
		r.dst = "15550001111";
		r.clid = clid;
		r.disposition_text = "NO ANSWER";
		r.disposition = DISP_NO_ANSWER;
		r.start = 1700000000 + (int64_t)((i * 37) % NCALLS / 3) * 60; /* ties, out of order */
		r.answer = r.end = TM_NONE;
		r.their_billed_secs = -1;
		r.cnam_fee = i % 4 == 0 ? 0 : 3900000; /* every 4th: no lookup */
		*lookups += r.cnam_fee != 0;
		if (store_cdr(w, &r, &out, msg, sizeof msg) != DB_OK || out != STORE_INSERTED)
			return NULL;
	}
	if (store_finish(w) != DB_OK || db_commit(db) != DB_OK)
		return NULL;
	store_free(w);
	for (int i = 0; i < NFEES; i++) /* at the calls' times: ties across the sources */
		if (post_ledger_entry(db, a->id, LEDGER_CNAM, -1250000000, i % 2 ? "CNAM dips" : "storage",
		                      1700000000 + (int64_t)i * 5 * 60, &eid) != DB_OK)
			return NULL;
	return db;
}

/* Page through with `limit` rows a page. */
static void pages(db_t *db, const account_info *a, const cnamq_filter *base, int newest_first, int limit, walk *out)
{
	cnamq_filter f = *base;
	memset(out, 0, sizeof *out);
	f.newest_first = newest_first;
	f.limit = limit;
	for (int guard = 0; guard < MAXROWS + 2; guard++) {
		walk page;
		memset(&page, 0, sizeof page);
		if (cnamq_each(db, a, &f, grab, &page) != DB_OK)
			return;
		for (int i = 0; i < page.n && out->n < MAXROWS; i++) {
			out->at[out->n] = page.at[i];
			out->id[out->n] = page.id[i];
			out->key[out->n] = page.key[i];
			out->src[out->n++] = page.src[i];
		}
		if (page.n < limit)
			return;
		f.has_past = 1;
		f.past_at = page.at[page.n - 1];
		f.past_key = page.key[page.n - 1];
	}
}

static int later(const walk *w, int i, int j) /* row i after row j in (at, key) */
{
	if (w->key[i] != w->id[i] * 2 + w->src[i])
		return 0;
	if (w->at[i] != w->at[j])
		return w->at[i] > w->at[j];
	return w->key[i] > w->key[j];
}

TEST(walk_pages_sum)
{
	account_info a;
	int lookups, calls = 0, fees = 0;
	db_t *db = cnam_db(&a, &lookups);
	cnamq_filter f;
	walk all, down, up;
	int64_t nl, ne;
	money_t total;
	T_ASSERT(db);
	memset(&f, 0, sizeof f);
	memset(&all, 0, sizeof all);
	f.from = INT64_MIN;
	f.to = INT64_MAX;
	T_EQ_I64(cnamq_each(db, &a, &f, grab, &all), DB_OK);
	T_EQ_I64(all.n, lookups + NFEES);
	for (int i = 0; i < all.n; i++)
		*(all.src[i] == CNAMQ_CALL ? &calls : &fees) += 1;
	T_EQ_I64(calls, lookups);
	T_EQ_I64(fees, NFEES);
	for (int i = 1; i < all.n; i++)
		T_ASSERT(later(&all, i, i - 1));
	T_EQ_I64(all.total, (money_t)lookups * 3900000 + (money_t)NFEES * 1250000000);
	T_EQ_I64(cnamq_sum(db, &a, INT64_MIN, INT64_MAX, &nl, &ne, &total), DB_OK);
	T_EQ_I64(nl, lookups);
	T_EQ_I64(ne, NFEES);
	T_EQ_I64(total, all.total);
	for (int limit = 1; limit <= 13; limit += 6) {
		pages(db, &a, &f, 0, limit, &up);
		pages(db, &a, &f, 1, limit, &down);
		T_EQ_I64(up.n, all.n);
		T_EQ_I64(down.n, all.n);
		for (int i = 0; i < all.n; i++) {
			T_ASSERT(up.id[i] == all.id[i] && up.src[i] == all.src[i]);
			T_ASSERT(down.id[i] == all.id[all.n - 1 - i] && down.src[i] == all.src[all.n - 1 - i]);
		}
	}
	/* a period: [from, to) on both sources */
	f.from = 1700000000 + 5 * 60;
	f.to = 1700000000 + 20 * 60;
	memset(&all, 0, sizeof all);
	T_EQ_I64(cnamq_each(db, &a, &f, grab, &all), DB_OK);
	T_EQ_I64(cnamq_sum(db, &a, f.from, f.to, &nl, &ne, &total), DB_OK);
	T_EQ_I64(all.n, nl + ne);
	T_EQ_I64(all.total, total);
	for (int i = 0; i < all.n; i++)
		T_ASSERT(all.at[i] >= f.from && all.at[i] < f.to);
	/* a text: a memo, or a caller id */
	f.from = INT64_MIN;
	f.to = INT64_MAX;
	f.text = "storage";
	memset(&all, 0, sizeof all);
	T_EQ_I64(cnamq_each(db, &a, &f, grab, &all), DB_OK);
	T_EQ_I64(all.n, (NFEES + 1) / 2);
	f.text = "NAME 5\"";
	memset(&all, 0, sizeof all);
	T_EQ_I64(cnamq_each(db, &a, &f, grab, &all), DB_OK);
	T_EQ_I64(all.n, 1);
	T_EQ_I64(all.src[0], CNAMQ_CALL);
	db_close(db);
}

SUITE(cnamq)
{
	RUN(walk_pages_sum);
}
