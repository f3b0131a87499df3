/* report.c: balance, usage, statement and ledger queries. */
#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/ledger.h"
#include "../core/tm.h"

static const char *const WINDOW_NAMES[] = { "12h", "3d", "week", "month", "this-week", "this-month" };
static const char *const BY_NAMES[] = { "hour", "day", "weekday", "destination" };

int report_window_parse(const char *s, report_window *w)
{
	for (int i = 0; i <= WIN_THIS_MONTH; i++)
		if (strcmp(s, WINDOW_NAMES[i]) == 0) {
			*w = (report_window)i;
			return 0;
		}
	return -1;
}

const char *report_window_name(report_window w)
{
	return WINDOW_NAMES[w];
}

int report_by_parse(const char *s, report_by *b)
{
	for (int i = 0; i <= BY_DESTINATION; i++)
		if (strcmp(s, BY_NAMES[i]) == 0) {
			*b = (report_by)i;
			return 0;
		}
	return -1;
}

const char *report_by_name(report_by b)
{
	return BY_NAMES[b];
}

report_by report_window_default_by(report_window w)
{
	if (w == WIN_12H)
		return BY_HOUR;
	if (w == WIN_THIS_WEEK)
		return BY_WEEKDAY;
	return BY_DAY;
}

void report_window_range(report_window w, int64_t now, int64_t *from, int64_t *to)
{
	int64_t day = tm_floor_day(now);
	switch (w) {
	case WIN_12H: *to = tm_floor_hour(now) + 3600; *from = *to - 12 * 3600; return;
	case WIN_3D: *to = day + 86400; *from = *to - 3 * 86400; return;
	case WIN_WEEK: *to = day + 86400; *from = *to - 7 * 86400; return;
	case WIN_MONTH: *to = day + 86400; *from = *to - 30 * 86400; return;
	case WIN_THIS_WEEK: *from = tm_floor_week(now); *to = *from + 7 * 86400; return;
	case WIN_THIS_MONTH: {
		int y, m, d;
		tm_civil_from_days(now >= 0 ? now / 86400 : (now - 86399) / 86400, &y, &m, &d);
		*from = tm_month_start(y, m);
		*to = m == 12 ? tm_month_start(y + 1, 1) : tm_month_start(y, m + 1);
		return;
	}
	}
}

int64_t report_asr_bp(int64_t calls, int64_t connected)
{
	return calls ? connected * 10000 / calls : 0;
}

int64_t report_acd_ms(int64_t connected, int64_t billsec_ms)
{
	return connected ? billsec_ms / connected : 0;
}

/* Sum ledger amounts by kind over [from, to). sums[] indexed by ledger_kind. */
static int ledger_sums(db_t *db, int64_t account_id, int64_t from, int64_t to, money_t sums[LEDGER_KIND_COUNT])
{
	db_stmt *st;
	int rc;
	memset(sums, 0, sizeof(money_t) * LEDGER_KIND_COUNT);
	if (db_prepare(db, "SELECT kind, SUM(amount) FROM ledger WHERE account_id = ?1"
	                       " AND at >= ?2 AND at < ?3 GROUP BY kind", &st) != DB_OK)
		return db_fail(db, "sum ledger");
	db_bind_int64(st, 1, account_id);
	db_bind_int64(st, 2, from);
	db_bind_int64(st, 3, to);
	while ((rc = db_step(st)) == DB_ROW) {
		ledger_kind k;
		if (ledger_kind_parse((const char *)db_column_text(st, 0), &k) == 0)
			sums[k] = db_column_int64(st, 1);
	}
	db_finalize(st);
	return rc == DB_DONE ? DB_OK : db_fail(db, "sum ledger");
}

typedef struct {
	int64_t calls, connected, billsec_ms, billed_secs, unrated, msgs, cnam_lookups, internal;
	money_t cost_calls, cost_cnam, cost_msg;
} usage_sums;

/* Sum hourly rollups over hours in [from, to). */
static int rollup_sums(db_t *db, int64_t account_id, int64_t from, int64_t to, usage_sums *u)
{
	db_stmt *st;
	int rc;
	memset(u, 0, sizeof *u);
	if (db_prepare(db, "SELECT COALESCE(SUM(calls), 0), COALESCE(SUM(connected), 0), COALESCE(SUM(billsec_ms), 0),"
	                       " COALESCE(SUM(billed_secs), 0), COALESCE(SUM(unrated), 0), COALESCE(SUM(msgs), 0),"
	                       " COALESCE(SUM(cnam_lookups), 0),"
	                       " SUM(cost_calls), SUM(cost_cnam), SUM(cost_msg), COALESCE(SUM(internal), 0) FROM rollup_hour"
	                       " WHERE account_id = ?1 AND hour >= ?2 AND hour < ?3", &st) != DB_OK)
		return db_fail(db, "sum usage");
	db_bind_int64(st, 1, account_id);
	db_bind_int64(st, 2, from);
	db_bind_int64(st, 3, to);
	rc = db_step(st);
	if (rc == DB_ROW) {
		/* counts are small enough for TOTAL's double to be exact; money uses SUM (integer) */
		u->calls = db_column_int64(st, 0);
		u->connected = db_column_int64(st, 1);
		u->billsec_ms = db_column_int64(st, 2);
		u->billed_secs = db_column_int64(st, 3);
		u->unrated = db_column_int64(st, 4);
		u->msgs = db_column_int64(st, 5);
		u->cnam_lookups = db_column_int64(st, 6);
		u->cost_calls = db_column_int64(st, 7);
		u->cost_cnam = db_column_int64(st, 8);
		u->cost_msg = db_column_int64(st, 9);
		u->internal = db_column_int64(st, 10);
	}
	db_finalize(st);
	return rc == DB_ROW ? DB_OK : db_fail(db, "sum usage");
}

/* Add the raw records dated in [from, to) (one partial hour at most: the
 * hour of an as-of time) to *u, counted as the rollups count them (verify's
 * ROLLUP_HOUR_CHECK and the walk's EVENTS_SQL read the same columns). */
static int raw_add(db_t *db, int64_t account_id, int64_t from, int64_t to, usage_sums *u)
{
	db_stmt *st;
	int rc;
	if (from >= to)
		return DB_OK;
	if (db_prepare(db, "SELECT COUNT(*), COALESCE(SUM(CASE WHEN connected != 0 AND state != 3 THEN 1 ELSE 0 END), 0),"
	                       " COALESCE(SUM(CASE WHEN connected != 0 AND state != 3 THEN billsec_ms ELSE 0 END), 0),"
	                       " COALESCE(SUM(CASE WHEN state = 0 THEN billed_secs ELSE 0 END), 0),"
	                       " COALESCE(SUM(CASE WHEN state = 1 THEN 1 ELSE 0 END), 0),"
	                       " COALESCE(SUM(CASE WHEN cnam_cost != 0 THEN 1 ELSE 0 END), 0), COALESCE(SUM(cost), 0),"
	                       " COALESCE(SUM(cnam_cost), 0),"
	                       " COALESCE(SUM(CASE WHEN state = 5 THEN 1 ELSE 0 END), 0) FROM cdr_now"
	                       " WHERE account_id = ?1 AND start >= ?2 AND start < ?3", &st) != DB_OK)
		return db_fail(db, "sum the as-of hour");
	db_bind_int64(st, 1, account_id);
	db_bind_int64(st, 2, from);
	db_bind_int64(st, 3, to);
	rc = db_step(st);
	if (rc == DB_ROW) {
		u->calls += db_column_int64(st, 0);
		u->connected += db_column_int64(st, 1);
		u->billsec_ms += db_column_int64(st, 2);
		u->billed_secs += db_column_int64(st, 3);
		u->unrated += db_column_int64(st, 4);
		u->cnam_lookups += db_column_int64(st, 5);
		u->cost_calls += db_column_int64(st, 6);
		u->cost_cnam += db_column_int64(st, 7);
		u->internal += db_column_int64(st, 8);
	}
	db_finalize(st);
	if (rc != DB_ROW)
		return db_fail(db, "sum the as-of hour");
	if (db_prepare(db, "SELECT COUNT(*), COALESCE(SUM(cost), 0) FROM mdr"
	                       " WHERE account_id = ?1 AND at >= ?2 AND at < ?3", &st) != DB_OK)
		return db_fail(db, "sum the as-of hour");
	db_bind_int64(st, 1, account_id);
	db_bind_int64(st, 2, from);
	db_bind_int64(st, 3, to);
	rc = db_step(st);
	if (rc == DB_ROW) {
		u->msgs += db_column_int64(st, 0);
		u->cost_msg += db_column_int64(st, 1);
	}
	db_finalize(st);
	return rc == DB_ROW ? DB_OK : db_fail(db, "sum the as-of hour");
}

/* The hour `to` falls in (INT64_MAX: none): the rollups are summed up to
 * it, the raw records from it. */
static int64_t cut_hour(int64_t to)
{
	return to == INT64_MAX ? INT64_MAX : tm_floor_hour(to);
}

/* Usage sums over [from, to) exact to the second at `to` (from is an hour's
 * start or INT64_MIN): whole hours from the rollups, the last partial hour
 * from the raw records. */
static int exact_sums(db_t *db, int64_t account_id, int64_t from, int64_t to, usage_sums *u)
{
	int64_t h = cut_hour(to);
	int st;
	if (h < from)
		h = from;
	if ((st = rollup_sums(db, account_id, from, h, u)) != DB_OK)
		return st;
	return raw_add(db, account_id, h, to, u);
}

static int balance_read(db_t *db, const account_info *a, int64_t before, report_balance *out);

/* The ledger sums, the rollups and the status are read in one read
 * transaction (unless the caller already holds one), so a writer committing
 * between the statements cannot make the balance and the status come from
 * different moments (an account crossing zero). */
int report_get_balance(db_t *db, const account_info *a, int64_t before, report_balance *out)
{
	int own = !db_in_transaction(db), st;
	if (own && db_exec(db, "BEGIN") != DB_OK)
		return db_fail(db, "begin reading the balance");
	st = balance_read(db, a, before, out);
	if (own)
		db_exec(db, st == DB_OK ? "COMMIT" : "ROLLBACK");
	return st;
}

static int balance_read(db_t *db, const account_info *a, int64_t before, report_balance *out)
{
	money_t k[LEDGER_KIND_COUNT];
	usage_sums u;
	db_stmt *st;
	int s;

	memset(out, 0, sizeof *out);
	if ((s = ledger_sums(db, a->id, INT64_MIN, before, k)) != DB_OK
	    || (s = exact_sums(db, a->id, INT64_MIN, before, &u)) != DB_OK)
		return s;
	out->as_of = before == INT64_MAX ? INT64_MAX : before - 1;
	out->deposits = k[LEDGER_DEPOSIT];
	out->payments = k[LEDGER_PAYMENT];
	out->adjustments = k[LEDGER_ADJUSTMENT];
	out->mrc = -k[LEDGER_MRC];
	out->nrc = -k[LEDGER_NRC];
	out->e911 = -k[LEDGER_E911];
	out->cnam = -k[LEDGER_CNAM] + u.cost_cnam;
	out->calls = u.cost_calls;
	out->messaging = u.cost_msg;
	out->unrated = u.unrated;
	out->internal = u.internal;
	out->balance = out->deposits + out->payments + out->adjustments - out->mrc - out->nrc
	               - out->e911 - out->cnam - out->calls - out->messaging;
	out->suspended_since = TM_NONE;
	if (db_prepare(db, "SELECT walk_status, walk_since FROM account WHERE id = ?1", &st) != DB_OK)
		return db_fail(db, "read status");
	db_bind_int64(st, 1, a->id);
	if (db_step(st) == DB_ROW && db_column_int(st, 0)) {
		out->suspended = 1;
		out->suspended_since = db_column_int64(st, 1);
	}
	db_finalize(st);
	if (before != INT64_MAX) {
		/* Status at an earlier time: the last transition before it. */
		out->suspended = 0;
		out->suspended_since = TM_NONE;
		if (db_prepare(db, "SELECT event, at FROM suspension WHERE account_id = ?1"
		                       " AND at < ?2 ORDER BY at DESC, id DESC LIMIT 1", &st) != DB_OK)
			return db_fail(db, "read status");
		db_bind_int64(st, 1, a->id);
		db_bind_int64(st, 2, before);
		if (db_step(st) == DB_ROW
		    && strcmp((const char *)db_column_text(st, 0), "suspended") == 0) {
			out->suspended = 1;
			out->suspended_since = db_column_int64(st, 1);
		}
		db_finalize(st);
	}
	out->low = a->has_low_balance && out->balance < a->low_balance;
	return DB_OK;
}

/* What is dated after `asof`: scheduled ledger entries, records from a
 * switch whose clock runs ahead, and the next transition of the walk. */
static int later_read(db_t *db, int64_t account_id, int64_t asof, report_later *l)
{
	db_stmt *st;
	int rc;
	memset(l, 0, sizeof *l);
	l->first_at = l->rec_first = l->rec_last = l->next_at = TM_NONE;
	if (asof == INT64_MAX)
		return DB_OK;
	if (db_prepare(db, "SELECT COUNT(*), COALESCE(SUM(amount), 0), MIN(at) FROM ledger"
	                       " WHERE account_id = ?1 AND at > ?2", &st) != DB_OK)
		return db_fail(db, "read scheduled entries");
	db_bind_int64(st, 1, account_id);
	db_bind_int64(st, 2, asof);
	if ((rc = db_step(st)) == DB_ROW && db_column_int64(st, 0) > 0) {
		l->entries = db_column_int64(st, 0);
		l->amount = db_column_int64(st, 1);
		l->first_at = db_column_int64(st, 2);
	}
	db_finalize(st);
	if (rc != DB_ROW)
		return db_fail(db, "read scheduled entries");
	if (db_prepare(db, "SELECT COUNT(*), COALESCE(SUM(c), 0), MIN(t), MAX(t) FROM ("
	                       " SELECT start t, cost + cnam_cost c FROM cdr_now WHERE account_id = ?1 AND start > ?2"
	                       " UNION ALL SELECT at, cost FROM mdr WHERE account_id = ?1 AND at > ?2) AS x", &st) != DB_OK)
		return db_fail(db, "read records dated later");
	db_bind_int64(st, 1, account_id);
	db_bind_int64(st, 2, asof);
	if ((rc = db_step(st)) == DB_ROW && db_column_int64(st, 0) > 0) {
		l->records = db_column_int64(st, 0);
		l->charges = db_column_int64(st, 1);
		l->rec_first = db_column_int64(st, 2);
		l->rec_last = db_column_int64(st, 3);
	}
	db_finalize(st);
	if (rc != DB_ROW)
		return db_fail(db, "read records dated later");
	if (db_prepare(db, "SELECT event, at FROM suspension WHERE account_id = ?1 AND at > ?2"
	                       " ORDER BY at, id LIMIT 1", &st) != DB_OK)
		return db_fail(db, "read the next transition");
	db_bind_int64(st, 1, account_id);
	db_bind_int64(st, 2, asof);
	if ((rc = db_step(st)) == DB_ROW) {
		l->next_event = strcmp((const char *)db_column_text(st, 0), "suspended") == 0 ? 1 : 2;
		l->next_at = db_column_int64(st, 1);
	}
	db_finalize(st);
	return rc == DB_ROW || rc == DB_DONE ? DB_OK : db_fail(db, "read the next transition");
}

int report_get_balance_asof(db_t *db, const account_info *a, int64_t asof, report_balance *out)
{
	int own = !db_in_transaction(db), st;
	if (asof == TM_NONE)
		asof = db_now();
	if (own && db_exec(db, "BEGIN") != DB_OK)
		return db_fail(db, "begin reading the balance");
	st = balance_read(db, a, asof == INT64_MAX ? INT64_MAX : asof + 1, out);
	if (st == DB_OK)
		st = later_read(db, a->id, asof, &out->later);
	if (own)
		db_exec(db, st == DB_OK ? "COMMIT" : "ROLLBACK");
	return st;
}

int report_get_spend(db_t *db, const account_info *a, int64_t from, int64_t to, money_t *out)
{
	money_t k[LEDGER_KIND_COUNT];
	usage_sums u;
	int st;
	*out = 0;
	if ((st = ledger_sums(db, a->id, from, to, k)) != DB_OK || (st = exact_sums(db, a->id, from, to, &u)) != DB_OK)
		return st;
	*out = u.cost_calls + u.cost_msg + u.cost_cnam - k[LEDGER_MRC] - k[LEDGER_NRC] - k[LEDGER_E911] - k[LEDGER_CNAM];
	return DB_OK;
}

static const char *const WEEKDAYS[7] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };

static int usage_by_destination(db_t *db, const account_info *a, report_usage *u)
{
	db_stmt *st;
	int rc, cap = 0;
	/* Destination rollups are per UTC day: the window is widened to whole days. */
	if (db_prepare(db, "SELECT r.prefix, SUM(r.calls), SUM(r.connected), SUM(r.billsec_ms), SUM(r.billed_secs),"
	        " SUM(r.cost), (SELECT description FROM rate WHERE deck_id = ?4 AND prefix = r.prefix"
	        "  ORDER BY eff_from DESC LIMIT 1)"
	        " FROM rollup_dest_day r WHERE r.account_id = ?1 AND r.day >= ?2 AND r.day < ?3"
	        " GROUP BY r.prefix ORDER BY SUM(r.cost) DESC, SUM(r.calls) DESC, r.prefix", &st) != DB_OK)
		return db_fail(db, "usage by destination");
	db_bind_int64(st, 1, a->id);
	db_bind_int64(st, 2, tm_floor_day(u->from));
	db_bind_int64(st, 3, u->as_of != INT64_MAX && u->as_of < u->to - 1 ? u->as_of + 1 : u->to);
	db_bind_int64(st, 4, a->deck_id);
	while ((rc = db_step(st)) == DB_ROW) {
		report_bucket *b;
		const char *p = (const char *)db_column_text(st, 0);
		const char *d = (const char *)db_column_text(st, 6);
		if (u->n == cap) {
			int ncap = cap ? cap * 2 : 32;
			report_bucket *nb = realloc(u->b, (size_t)ncap * sizeof *nb);
			if (!nb) {
				db_finalize(st);
				return db_failf(db, DB_ENOMEM, "out of memory");
			}
			u->b = nb;
			cap = ncap;
		}
		b = &u->b[u->n++];
		memset(b, 0, sizeof *b);
		snprintf(b->prefix, sizeof b->prefix, "%s", p);
		if (*p)
			snprintf(b->label, sizeof b->label, "%s %s", p, d ? d : "");
		else
			snprintf(b->label, sizeof b->label, "(no rate)");
		b->calls = db_column_int64(st, 1);
		b->connected = db_column_int64(st, 2);
		b->billsec_ms = db_column_int64(st, 3);
		b->billed_secs = db_column_int64(st, 4);
		b->cost = db_column_int64(st, 5);
	}
	db_finalize(st);
	return rc == DB_DONE ? DB_OK : db_fail(db, "usage by destination");
}

int report_get_usage(db_t *db, const account_info *a, int64_t from, int64_t to, report_by by,
                     report_usage *u)
{
	return report_get_usage_asof(db, a, from, to, by, db_now(), u);
}

/* Add the as-of hour's raw sums to a bucket. */
static void bucket_add_raw(report_bucket *b, const usage_sums *r)
{
	b->calls += r->calls;
	b->connected += r->connected;
	b->billsec_ms += r->billsec_ms;
	b->billed_secs += r->billed_secs;
	b->cost += r->cost_calls;
	b->cost_msg += r->cost_msg;
	b->cost_cnam += r->cost_cnam;
	b->msgs += r->msgs;
	b->internal += r->internal;
}

int report_get_usage_asof(db_t *db, const account_info *a, int64_t from, int64_t to, report_by by,
                          int64_t asof, report_usage *u)
{
	db_stmt *st;
	money_t k[LEDGER_KIND_COUNT];
	usage_sums raw;
	int rc, s;
	int64_t step = by == BY_HOUR ? 3600 : 86400;
	/* [from, end): nothing dated after `asof`; the hour `end` falls in is
	 * read from the records, the hours before from the rollups */
	int64_t end = asof != INT64_MAX && asof < to - 1 ? asof + 1 : to, cut;

	memset(u, 0, sizeof *u);
	memset(&raw, 0, sizeof raw);
	if (end < from)
		end = from;
	cut = end == to ? to : tm_floor_hour(end) < from ? from : tm_floor_hour(end);
	u->from = from;
	u->to = to;
	u->by = by;
	u->as_of = asof;
	if ((s = ledger_sums(db, a->id, from, end, k)) != DB_OK)
		return s;
	u->k_e911 = -k[LEDGER_E911];
	u->k_mrc = -k[LEDGER_MRC];
	u->k_nrc = -k[LEDGER_NRC];
	u->k_adj = -k[LEDGER_ADJUSTMENT];
	u->k_cnam = -k[LEDGER_CNAM];
	u->k_credits = k[LEDGER_DEPOSIT] + k[LEDGER_PAYMENT];
	if (by == BY_DESTINATION) {
		if ((s = usage_by_destination(db, a, u)) != DB_OK)
			return s;
	} else {
		u->n = by == BY_WEEKDAY ? 7 : (int)((to - from + step - 1) / step);
		if (u->n < 0 || u->n > 100000)
			return db_failf(db, DB_EINPUT, "window too long for %s buckets", report_by_name(by));
		if (!(u->b = calloc((size_t)(u->n ? u->n : 1), sizeof *u->b)))
			return db_failf(db, DB_ENOMEM, "out of memory");
		for (int i = 0; i < u->n; i++) {
			report_bucket *b = &u->b[i];
			char t[24];
			if (by == BY_WEEKDAY) {
				b->start = i;
				snprintf(b->label, sizeof b->label, "%s", WEEKDAYS[i]);
			} else {
				b->start = from + i * step;
				tm_format(b->start, t, sizeof t);
				if (by == BY_HOUR)
					snprintf(b->label, sizeof b->label, "%.16s", t);
				else
					snprintf(b->label, sizeof b->label, "%.10s %s", t, WEEKDAYS[tm_weekday(b->start)]);
			}
		}
	}
	if (db_prepare(db, "SELECT hour, calls, connected, billsec_ms, billed_secs, cost_calls,"
	                       " cost_msg, cost_cnam, msgs, internal FROM rollup_hour WHERE account_id = ?1"
	                       " AND hour >= ?2 AND hour < ?3", &st) != DB_OK)
		return db_fail(db, "usage");
	db_bind_int64(st, 1, a->id);
	db_bind_int64(st, 2, from);
	db_bind_int64(st, 3, cut);
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t h = db_column_int64(st, 0);
		report_bucket row, *t = &u->total;
		memset(&row, 0, sizeof row);
		row.calls = db_column_int64(st, 1);
		row.connected = db_column_int64(st, 2);
		row.billsec_ms = db_column_int64(st, 3);
		row.billed_secs = db_column_int64(st, 4);
		row.cost = db_column_int64(st, 5);
		row.cost_msg = db_column_int64(st, 6);
		row.cost_cnam = db_column_int64(st, 7);
		row.msgs = db_column_int64(st, 8);
		row.internal = db_column_int64(st, 9);
		report_bucket *targets[2] = { t, NULL };
		if (by == BY_WEEKDAY)
			targets[1] = &u->b[tm_weekday(h)];
		else if (by != BY_DESTINATION)
			targets[1] = &u->b[(h - from) / step];
		for (int i = 0; i < 2; i++) {
			report_bucket *b = targets[i];
			if (!b)
				continue;
			b->calls += row.calls;
			b->connected += row.connected;
			b->billsec_ms += row.billsec_ms;
			b->billed_secs += row.billed_secs;
			b->cost += row.cost;
			b->cost_msg += row.cost_msg;
			b->cost_cnam += row.cost_cnam;
			b->msgs += row.msgs;
			b->internal += row.internal;
		}
	}
	db_finalize(st);
	if (rc != DB_DONE)
		return db_fail(db, "usage");
	if (cut < end) {
		if ((s = raw_add(db, a->id, cut, end, &raw)) != DB_OK)
			return s;
		bucket_add_raw(&u->total, &raw);
		if (by == BY_WEEKDAY)
			bucket_add_raw(&u->b[tm_weekday(cut)], &raw);
		else if (by != BY_DESTINATION && (cut - from) / step < u->n)
			bucket_add_raw(&u->b[(cut - from) / step], &raw);
	}
	u->k_calls = u->total.cost;
	u->k_msg = u->total.cost_msg;
	u->k_cnam += u->total.cost_cnam;
	return DB_OK;
}

void report_usage_free(report_usage *u)
{
	free(u->b);
	u->b = NULL;
	u->n = 0;
}

int report_each_entry(db_t *db, const account_info *a, int64_t from, int64_t to,
                      report_entry_fn fn, void *ctx)
{
	db_stmt *st;
	int rc;
	if (db_prepare(db, "SELECT id, at, kind, amount, memo, operator, ssh_client, posted,"
	                       " COALESCE(ref, '') FROM ledger WHERE account_id = ?1 AND at >= ?2 AND at < ?3"
	                       " ORDER BY at, id", &st) != DB_OK)
		return db_fail(db, "list ledger");
	db_bind_int64(st, 1, a->id);
	db_bind_int64(st, 2, from);
	db_bind_int64(st, 3, to);
	while ((rc = db_step(st)) == DB_ROW) {
		report_entry e;
		memset(&e, 0, sizeof e);
		e.id = db_column_int64(st, 0);
		e.at = db_column_int64(st, 1);
		snprintf(e.kind, sizeof e.kind, "%s", (const char *)db_column_text(st, 2));
		e.amount = db_column_int64(st, 3);
		snprintf(e.memo, sizeof e.memo, "%s", (const char *)db_column_text(st, 4));
		snprintf(e.ref, sizeof e.ref, "%s", (const char *)db_column_text(st, 8));
		if (fn(&e, (const char *)db_column_text(st, 5), (const char *)db_column_text(st, 6),
		       db_column_int64(st, 7), ctx))
			break;
	}
	db_finalize(st);
	return rc == DB_ROW || rc == DB_DONE ? DB_OK : db_fail(db, "list ledger");
}

typedef struct {
	report_statement *s;
	int cap;
	int oom;
} stmt_ctx;

static int add_entry(const report_entry *e, const char *op, const char *ssh, int64_t posted, void *vctx)
{
	stmt_ctx *c = vctx;
	report_statement *s = c->s;
	if (s->n == c->cap) {
		int ncap = c->cap ? c->cap * 2 : 32;
		report_entry *n = realloc(s->e, (size_t)ncap * sizeof *n);
		if (!n) {
			c->oom = 1;
			return 1;
		}
		s->e = n;
		c->cap = ncap;
	}
	s->e[s->n++] = *e;
	return 0;
}

/* The statement's correction lines (issue 10): re-rating runs that
 * corrected calls of the period (rerate.c reads them per day). */
static int statement_corrections(db_t *db, const account_info *a, report_statement *s)
{
	return rerate_corrections(db, a->id, s->from, s->to, &s->corr, &s->ncorr);
}

int report_get_statement(db_t *db, const account_info *a, int64_t from, int64_t to,
                         report_statement *s)
{
	return report_get_statement_asof(db, a, from, to, db_now(), s);
}

int report_get_statement_asof(db_t *db, const account_info *a, int64_t from, int64_t to, int64_t asof,
                              report_statement *s)
{
	report_balance open, close;
	money_t k[LEDGER_KIND_COUNT];
	usage_sums u;
	stmt_ctx c = { s, 0, 0 };
	int64_t end = to;
	int st;

	memset(s, 0, sizeof *s);
	s->from = from;
	s->to = to;
	s->as_of = asof;
	/* The current period (or a later one) is shown to date: what is dated
	 * after `asof` is scheduled, counted apart. */
	if (asof < to - 1) {
		s->to_date = 1;
		end = asof + 1 > from ? asof + 1 : from;
	}
	if ((st = report_get_balance(db, a, from, &open)) != DB_OK
	    || (st = report_get_balance(db, a, end, &close)) != DB_OK
	    || (st = ledger_sums(db, a->id, from, end, k)) != DB_OK
	    || (st = exact_sums(db, a->id, from, end, &u)) != DB_OK
	    || (st = report_each_entry(db, a, from, end, add_entry, &c)) != DB_OK
	    || (st = statement_corrections(db, a, s)) != DB_OK)
		return st;
	if (c.oom)
		return db_failf(db, DB_ENOMEM, "out of memory");
	if (s->to_date) {
		money_t later[LEDGER_KIND_COUNT];
		db_stmt *q;
		if ((st = ledger_sums(db, a->id, end, to, later)) != DB_OK)
			return st;
		if (db_prepare(db, "SELECT COUNT(*), COALESCE(SUM(amount), 0) FROM ledger"
		                       " WHERE account_id = ?1 AND at >= ?2 AND at < ?3", &q) != DB_OK)
			return db_fail(db, "read scheduled entries");
		db_bind_int64(q, 1, a->id);
		db_bind_int64(q, 2, end);
		db_bind_int64(q, 3, to);
		if (db_step(q) == DB_ROW) {
			s->scheduled = db_column_int64(q, 0);
			s->scheduled_amount = db_column_int64(q, 1);
		}
		db_finalize(q);
	}
	s->opening = open.balance;
	s->closing = close.balance;
	s->mrc = -k[LEDGER_MRC];
	s->nrc = -k[LEDGER_NRC];
	s->credits = k[LEDGER_DEPOSIT] + k[LEDGER_PAYMENT];
	s->e911 = -k[LEDGER_E911];
	s->cnam_fees = -k[LEDGER_CNAM];
	s->adjustments = k[LEDGER_ADJUSTMENT];
	s->calls = u.calls;
	s->connected = u.connected;
	s->billsec_ms = u.billsec_ms;
	s->billed_secs = u.billed_secs;
	s->msgs = u.msgs;
	s->cnam_lookups = u.cnam_lookups;
	s->usage_calls = u.cost_calls;
	s->usage_msg = u.cost_msg;
	s->usage_cnam = u.cost_cnam;
	/* late CDRs: only a period that has ended, less than 24 hours ago */
	s->recent = !s->to_date && asof >= to && asof < to + 86400;
	return DB_OK;
}

void report_statement_free(report_statement *s)
{
	free(s->e);
	s->e = NULL;
	s->n = 0;
	free(s->corr);
	s->corr = NULL;
	s->ncorr = 0;
}
