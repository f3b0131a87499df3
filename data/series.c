/* series.c: call buckets finer than an hour (see series.h). One query over
 * the window's calls, grouped by bucket; the counting rules are raw_add's
 * in report.c (and the rollups'): connected leaves out extra legs (state
 * 3), billed seconds are the rated calls' (state 0), internal is state 5. */
#include "series.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/tm.h"

int series_get_calls(db_t *db, const account_info *a, int64_t from, int64_t to, int64_t step, int64_t asof,
                     report_usage *u)
{
	db_stmt *st;
	int rc;
	int64_t end = asof != INT64_MAX && asof < to - 1 ? asof + 1 : to;

	memset(u, 0, sizeof *u);
	if (step <= 0 || 3600 % step != 0 || from % step != 0 || to < from || to - from > SERIES_MAX_SPAN)
		return db_failf(db, DB_EINPUT, "bad series window");
	if (end < from)
		end = from;
	u->from = from;
	u->to = to;
	u->by = BY_HOUR;
	u->as_of = asof;
	u->n = (int)((to - from + step - 1) / step);
	if (!(u->b = calloc((size_t)(u->n ? u->n : 1), sizeof *u->b)))
		return db_failf(db, DB_ENOMEM, "out of memory");
	for (int i = 0; i < u->n; i++) {
		char t[24];
		u->b[i].start = from + i * step;
		tm_format(u->b[i].start, t, sizeof t);
		snprintf(u->b[i].label, sizeof u->b[i].label, "%.16s", t);
	}
	snprintf(u->total.label, sizeof u->total.label, "total");
	if (db_prepare(db, "SELECT (start - ?2) / ?4, COUNT(*),"
	                       " COALESCE(SUM(CASE WHEN connected != 0 AND state != 3 THEN 1 ELSE 0 END), 0),"
	                       " COALESCE(SUM(CASE WHEN connected != 0 AND state != 3 THEN billsec_ms ELSE 0 END), 0),"
	                       " COALESCE(SUM(CASE WHEN state = 0 THEN billed_secs ELSE 0 END), 0), COALESCE(SUM(cost), 0),"
	                       " COALESCE(SUM(CASE WHEN state = 5 THEN 1 ELSE 0 END), 0) FROM cdr_now WHERE account_id = ?1 AND start >= ?2 AND start < ?3"
	                       " GROUP BY 1", &st) != DB_OK)
		goto sqlfail;
	db_bind_int64(st, 1, a->id);
	db_bind_int64(st, 2, from);
	db_bind_int64(st, 3, end);
	db_bind_int64(st, 4, step);
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t k = db_column_int64(st, 0);
		report_bucket row;
		memset(&row, 0, sizeof row);
		row.calls = db_column_int64(st, 1);
		row.connected = db_column_int64(st, 2);
		row.billsec_ms = db_column_int64(st, 3);
		row.billed_secs = db_column_int64(st, 4);
		row.cost = db_column_int64(st, 5);
		row.internal = db_column_int64(st, 6);
		if (k < 0 || k >= u->n)
			continue;   /* cannot happen: start is in [from, end) */
		report_bucket *targets[2] = { &u->b[k], &u->total };
		for (int i = 0; i < 2; i++) {
			targets[i]->calls += row.calls;
			targets[i]->connected += row.connected;
			targets[i]->billsec_ms += row.billsec_ms;
			targets[i]->billed_secs += row.billed_secs;
			targets[i]->cost += row.cost;
			targets[i]->internal += row.internal;
		}
	}
	db_finalize(st);
	if (rc != DB_DONE)
		goto sqlfail;
	u->k_calls = u->total.cost;
	return DB_OK;
sqlfail:
	rc = db_fail(db, "usage by 10 minutes");
	report_usage_free(u);
	return rc;
}
