/* test_series.c: data/series.c, the dashboard's 10-minute buckets, against
 * the hourly figures `billtop usage --window 12h` prints
 * (report_get_usage_asof): the six buckets of each hour add up to it, as of
 * a time in the middle of an hour too; and bad windows are refused. */
#include <stdio.h>
#include <unistd.h>

#include "../../core/tm.h"
#include "../../data/account.h"
#include "../../data/db.h"
#include "../../data/demo.h"
#include "../../data/report.h"
#include "../../data/series.h"
#include "t.h"

static db_t *demo_db(int64_t now)
{
	db_t *db = NULL;
	char msg[256];
	const char *p = t_tmppath("series.db");
	demo_opts o = { 4, 7, now, 1 };
	demo_result r;
	unlink(p);
	if (db_open(p, DB_OPEN_CREATE, &db, msg, sizeof msg) != DB_OK)
		return NULL;
	if (demo_build(db, &o, &r) != DB_OK) {
		db_close(db);
		return NULL;
	}
	return db;
}

static int same_hour(const report_bucket *h, const report_usage *m, int first)
{
	report_bucket s = { 0 };
	for (int i = first; i < first + 6; i++) {
		s.calls += m->b[i].calls;
		s.connected += m->b[i].connected;
		s.billsec_ms += m->b[i].billsec_ms;
		s.billed_secs += m->b[i].billed_secs;
		s.cost += m->b[i].cost;
		s.internal += m->b[i].internal;
	}
	return s.calls == h->calls && s.connected == h->connected && s.billsec_ms == h->billsec_ms
	       && s.billed_secs == h->billed_secs && s.cost == h->cost && s.internal == h->internal;
}

TEST(ten_minutes_add_up_to_hours)
{
	int64_t hour = 1796212800;   /* 2026-12-02 12:00 UTC */
	int64_t asofs[2] = { hour + 1199, INT64_MAX };   /* mid-hour (calls come later), and everything */
	db_t *db = demo_db(hour + 2700);   /* the demo's traffic ends at 12:45 */
	account_info a;
	T_ASSERT(db != NULL);
	T_EQ_I64(account_find(db, "acme-voip", &a), DB_OK);
	for (int k = 0; k < 2; k++) {
		int64_t from, to, asof = asofs[k];
		report_usage h, m;
		report_window_range(WIN_12H, hour + 1199, &from, &to);
		T_EQ_I64(report_get_usage_asof(db, &a, from, to, BY_HOUR, asof, &h), DB_OK);
		T_EQ_I64(series_get_calls(db, &a, from, to, SERIES_STEP_10MIN, asof, &m), DB_OK);
		T_EQ_I64(m.n, 72);
		T_EQ_I64(h.n, 12);
		T_ASSERT(h.total.calls > 0);
		for (int i = 0; i < 12; i++)
			if (!same_hour(&h.b[i], &m, 6 * i))
				T_FAIL("as of %lld: hour %d (%s) differs from its 10-minute buckets", (long long)asof, i, h.b[i].label);
		T_EQ_I64(m.total.calls, h.total.calls);
		T_EQ_I64(m.total.cost, h.total.cost);
		if (k == 0)   /* the as-of cut is exact: the calls of 12:20-12:45 are not counted */
			T_ASSERT(m.b[71].calls == 0 && m.b[70].calls == 0);
		T_EQ_STR(m.b[1].label + 14, "10");
		report_usage_free(&h);
		report_usage_free(&m);
	}
	db_close(db);
}

TEST(bad_windows)
{
	db_t *db = demo_db(1796212800);
	account_info a;
	report_usage m;
	T_ASSERT(db != NULL);
	T_EQ_I64(account_find(db, "acme-voip", &a), DB_OK);
	T_EQ_I64(series_get_calls(db, &a, 1796212800, 1796212800 + 4 * 86400, 600, INT64_MAX, &m), DB_EINPUT);
	T_EQ_I64(series_get_calls(db, &a, 1796220001, 1796223600, 600, INT64_MAX, &m), DB_EINPUT);
	T_EQ_I64(series_get_calls(db, &a, 1796212800, 1796223600, 700, INT64_MAX, &m), DB_EINPUT);
	db_close(db);
}

SUITE(series)
{
	RUN(ten_minutes_add_up_to_hours);
	RUN(bad_windows);
}
