/* report_stats.c: messaging and CNAM statistics per UTC day (see
 * report_stats.h). Three bounded queries per screen: the hourly rollups of
 * the window, the window's message records grouped by day, type and
 * direction (mdr_acct_at index), and the window's CNAM ledger entries
 * (ledger_acct_at index). Nothing scans beyond the window. */
#include "report_stats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/tm.h"

#define DAY 86400
#define MAX_DAYS 3700   /* ten years of days: more is a caller's mistake */

static const char *const WEEKDAYS[7] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
static const char *const TYPE_NAMES[MSG_NTYPES] = { "sms", "mms" };
static const char *const DIR_NAMES[MSG_NDIRS] = { "outbound", "inbound", "other" };

const char *report_msg_type_name(int type)
{
	return type >= 0 && type < MSG_NTYPES ? TYPE_NAMES[type] : "?";
}

const char *report_msg_dir_name(int dir)
{
	return dir >= 0 && dir < MSG_NDIRS ? DIR_NAMES[dir] : "?";
}

/* Whole UTC days covering [from, to): sets *dfrom, *dto and the day count,
 * or fails with DB_EINPUT. */
static int day_range(db_t *db, int64_t from, int64_t to, int64_t *dfrom, int64_t *dto, int *n)
{
	int64_t f = tm_floor_day(from), t = tm_floor_day(to);
	if (t < to)
		t += DAY;
	if (t < f || (t - f) / DAY > MAX_DAYS)
		return db_failf(db, DB_EINPUT, "window of %lld days is out of range", (long long)((t - f) / DAY));
	*dfrom = f;
	*dto = t;
	*n = (int)((t - f) / DAY);
	return DB_OK;
}

static void day_label(int64_t start, char *buf, size_t n)
{
	char t[24];
	tm_format(start, t, sizeof t);
	snprintf(buf, n, "%.10s %s", t, WEEKDAYS[tm_weekday(start)]);
}

static void cell_add(report_msg_cell *to, const report_msg_cell *c)
{
	to->msgs += c->msgs;
	to->segments += c->segments;
	to->cost += c->cost;
}

/* ---- messaging ------------------------------------------------------ */

int report_get_msg_stats(db_t *db, const account_info *a, int64_t from, int64_t to, report_msg_stats *s)
{
	db_stmt *st;
	int rc, k;
	report_msg_cell split_total = { 0, 0, 0 };

	memset(s, 0, sizeof *s);
	if ((rc = day_range(db, from, to, &s->from, &s->to, &s->n)) != DB_OK)
		return rc;
	if (!(s->d = calloc((size_t)(s->n ? s->n : 1), sizeof *s->d)))
		return db_failf(db, DB_ENOMEM, "out of memory");
	for (int i = 0; i < s->n; i++) {
		s->d[i].start = s->from + (int64_t)i * DAY;
		day_label(s->d[i].start, s->d[i].label, sizeof s->d[i].label);
	}
	snprintf(s->total.label, sizeof s->total.label, "total");

	/* day totals: the rollups */
	if (db_prepare(db, "SELECT hour, msgs, msg_segments, cost_msg FROM rollup_hour"
	                       " WHERE account_id = ?1 AND hour >= ?2 AND hour < ?3 AND msgs != 0", &st) != DB_OK)
		goto sqlfail;
	db_bind_int64(st, 1, a->id);
	db_bind_int64(st, 2, s->from);
	db_bind_int64(st, 3, s->to);
	while ((rc = db_step(st)) == DB_ROW) {
		report_msg_cell c = { db_column_int64(st, 1), db_column_int64(st, 2),
		                      db_column_int64(st, 3) };
		k = (int)((db_column_int64(st, 0) - s->from) / DAY);
		cell_add(&s->d[k].all, &c);
		cell_add(&s->total.all, &c);
	}
	db_finalize(st);
	if (rc != DB_DONE)
		goto sqlfail;

	/* the split by type and direction: the daily message rollup */
	if (db_prepare(db, "SELECT day, type, dir, msgs, segments, cost FROM rollup_msg_day"
	                       " WHERE account_id = ?1 AND day >= ?2 AND day < ?3", &st) != DB_OK)
		goto sqlfail;
	db_bind_int64(st, 1, a->id);
	db_bind_int64(st, 2, s->from);
	db_bind_int64(st, 3, s->to);
	while ((rc = db_step(st)) == DB_ROW) {
		int t = db_column_int(st, 1) == 1 ? MSG_MMS : MSG_SMS;
		int d = db_column_int(st, 2);
		report_msg_cell c = { db_column_int64(st, 3), db_column_int64(st, 4), db_column_int64(st, 5) };
		if (d < 0 || d >= MSG_NDIRS)
			d = MSG_OTHER;
		k = (int)((db_column_int64(st, 0) - s->from) / DAY);
		cell_add(&s->d[k].by[t][d], &c);
		cell_add(&s->total.by[t][d], &c);
		cell_add(&split_total, &c);
	}
	db_finalize(st);
	if (rc != DB_DONE)
		goto sqlfail;
	s->split_mismatch = split_total.msgs != s->total.all.msgs || split_total.segments != s->total.all.segments
	                    || split_total.cost != s->total.all.cost;
	return DB_OK;
sqlfail:
	rc = db_fail(db, "messaging statistics");
	report_msg_stats_free(s);
	return rc;
}

void report_msg_stats_free(report_msg_stats *s)
{
	free(s->d);
	s->d = NULL;
	s->n = 0;
}

/* ---- CNAM ----------------------------------------------------------- */

int report_get_cnam_stats(db_t *db, const account_info *a, int64_t from, int64_t to, report_cnam_stats *s)
{
	db_stmt *st;
	int rc, k, cap = 0;

	memset(s, 0, sizeof *s);
	if ((rc = day_range(db, from, to, &s->from, &s->to, &s->n)) != DB_OK)
		return rc;
	if (!(s->d = calloc((size_t)(s->n ? s->n : 1), sizeof *s->d)))
		return db_failf(db, DB_ENOMEM, "out of memory");
	for (int i = 0; i < s->n; i++) {
		s->d[i].start = s->from + (int64_t)i * DAY;
		day_label(s->d[i].start, s->d[i].label, sizeof s->d[i].label);
	}
	snprintf(s->total.label, sizeof s->total.label, "total");

	if (db_prepare(db, "SELECT hour, cnam_lookups, cost_cnam FROM rollup_hour"
	                       " WHERE account_id = ?1 AND hour >= ?2 AND hour < ?3"
	                       " AND (cnam_lookups != 0 OR cost_cnam != 0)", &st) != DB_OK)
		goto sqlfail;
	db_bind_int64(st, 1, a->id);
	db_bind_int64(st, 2, s->from);
	db_bind_int64(st, 3, s->to);
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t n = db_column_int64(st, 1);
		money_t c = db_column_int64(st, 2);
		k = (int)((db_column_int64(st, 0) - s->from) / DAY);
		s->d[k].lookups += n;
		s->d[k].lookup_cost += c;
		s->total.lookups += n;
		s->total.lookup_cost += c;
	}
	db_finalize(st);
	if (rc != DB_DONE)
		goto sqlfail;

	/* CNAM fees on the ledger (stored as negative amounts: debits) */
	if (db_prepare(db, "SELECT id, at, kind, amount, memo FROM ledger WHERE account_id = ?1"
	                       " AND at >= ?2 AND at < ?3 AND kind = 'cnam' ORDER BY at, id", &st) != DB_OK)
		goto sqlfail;
	db_bind_int64(st, 1, a->id);
	db_bind_int64(st, 2, s->from);
	db_bind_int64(st, 3, s->to);
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t at = db_column_int64(st, 1);
		money_t fee = -db_column_int64(st, 3);
		k = (int)((at - s->from) / DAY);
		s->d[k].fees += fee;
		s->total.fees += fee;
		if (s->nfees == REPORT_CNAM_MAX_FEES) {
			s->fees_truncated = 1;
			continue;
		}
		if (s->nfees == cap) {
			int ncap = cap ? cap * 2 : 16;
			report_entry *ne = realloc(s->fees, (size_t)ncap * sizeof *ne);
			if (!ne) {
				db_finalize(st);
				report_cnam_stats_free(s);
				return db_failf(db, DB_ENOMEM, "out of memory");
			}
			s->fees = ne;
			cap = ncap;
		}
		report_entry *e = &s->fees[s->nfees++];
		memset(e, 0, sizeof *e);
		e->id = db_column_int64(st, 0);
		e->at = at;
		snprintf(e->kind, sizeof e->kind, "%s", (const char *)db_column_text(st, 2));
		e->amount = db_column_int64(st, 3);
		snprintf(e->memo, sizeof e->memo, "%s", (const char *)db_column_text(st, 4));
	}
	db_finalize(st);
	if (rc != DB_DONE)
		goto sqlfail;
	return DB_OK;
sqlfail:
	rc = db_fail(db, "CNAM statistics");
	report_cnam_stats_free(s);
	return rc;
}

void report_cnam_stats_free(report_cnam_stats *s)
{
	free(s->d);
	free(s->fees);
	s->d = NULL;
	s->fees = NULL;
	s->n = s->nfees = 0;
}
