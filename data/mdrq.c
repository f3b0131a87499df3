/* mdrq.c: message record queries, on the mdr table through its
 * (account_id, at) index. */
#include "mdrq.h"

#include <string.h>

#include "../core/tm.h"

int mdrq_each(db_t *db, const account_info *a, const mdrq_filter *f, mdrq_fn fn, void *ctx)
{
#define MDRQ_SQL \
	"SELECT id, record_id, at, direction, src, dst, type, segments, cost, suspended FROM mdr" \
	" WHERE account_id = ?1 AND at >= ?2 AND at < ?3" \
	" AND (?4 IS NULL OR instr(src, ?4) > 0 OR instr(dst, ?4) > 0 OR instr(type, ?4) > 0" \
	" OR instr(direction, ?4) > 0)" \
	" AND (?7 = 0 OR at < ?6 OR (at = ?6 AND id < ?7))" \
	" AND (?9 = 0 OR at > ?8 OR (at = ?8 AND id > ?9))"
	static const char newest[] = MDRQ_SQL " ORDER BY at DESC, id DESC LIMIT ?5";
	static const char oldest[] = MDRQ_SQL " ORDER BY at ASC, id ASC LIMIT ?5";
#undef MDRQ_SQL
	db_stmt *st;
	int rc;
	int64_t from = f->from, to = f->to;
	if (f->before_id && f->before_at < INT64_MAX && to > f->before_at + 1)
		to = f->before_at + 1;
	if (f->after_id && from < f->after_at)
		from = f->after_at;
	if (db_prepare(db, f->oldest_first ? oldest : newest, &st) != DB_OK)
		return db_fail(db, "list messages");
	db_bind_int64(st, 1, a->id);
	db_bind_int64(st, 2, from);
	db_bind_int64(st, 3, to);
	if (f->text)
		db_bind_text(st, 4, f->text, -1);
	db_bind_int64(st, 5, f->limit > 0 ? f->limit : INT64_MAX); /* no limit (PostgreSQL refuses -1) */
	db_bind_int64(st, 6, f->before_id ? f->before_at : 0);
	db_bind_int64(st, 7, f->before_id);
	db_bind_int64(st, 8, f->after_id ? f->after_at : 0);
	db_bind_int64(st, 9, f->after_id);
	while ((rc = db_step(st)) == DB_ROW) {
		mdrq_row r;
		memset(&r, 0, sizeof r);
		r.id = db_column_int64(st, 0);
		db_column_copy(r.record_id, sizeof r.record_id, st, 1);
		r.at = db_column_int64(st, 2);
		db_column_copy(r.direction, sizeof r.direction, st, 3);
		db_column_copy(r.src, sizeof r.src, st, 4);
		db_column_copy(r.dst, sizeof r.dst, st, 5);
		db_column_copy(r.type, sizeof r.type, st, 6);
		r.segments = db_column_int64(st, 7);
		r.cost = db_column_int64(st, 8);
		r.suspended = db_column_int(st, 9);
		if (fn(&r, ctx))
			break;
	}
	db_finalize(st);
	return rc == DB_ROW || rc == DB_DONE ? DB_OK : db_fail(db, "list messages");
}

/* Count and charge of an account's messages in [from, to) read from the
 * mdr rows themselves: for the part of a period that is not whole hours. */
static int raw_sum(db_t *db, int64_t account_id, int64_t from, int64_t to, int64_t *n, money_t *cost)
{
	db_stmt *st;
	int rc;
	if (from >= to)
		return DB_OK;
	if (db_prepare(db, "SELECT COUNT(*), COALESCE(SUM(cost), 0) FROM mdr"
	                       " WHERE account_id = ?1 AND at >= ?2 AND at < ?3", &st) != DB_OK)
		return db_fail(db, "sum messages");
	db_bind_int64(st, 1, account_id);
	db_bind_int64(st, 2, from);
	db_bind_int64(st, 3, to);
	if ((rc = db_step(st)) == DB_ROW) {
		*n += db_column_int64(st, 0);
		*cost += db_column_int64(st, 1);
	}
	db_finalize(st);
	return rc == DB_ROW ? DB_OK : db_fail(db, "sum messages");
}

/* Whole hours come from the hourly rollups (as the statement's messaging
 * line does), the rest from the rows: a period of a year is a few thousand
 * rollup rows, not every message (the console's title on 10M records). */
int mdrq_sum(db_t *db, const account_info *a, int64_t from, int64_t to, int64_t *n, money_t *cost)
{
	db_stmt *st;
	int rc, s;
	int64_t lo, hi;
	*n = 0;
	*cost = 0;
	if (from >= to)
		return DB_OK;
	lo = from == INT64_MIN ? INT64_MIN : tm_floor_hour(from) == from ? from : tm_floor_hour(from) + 3600;
	hi = to == INT64_MAX ? INT64_MAX : tm_floor_hour(to);
	if (lo >= hi)
		return raw_sum(db, a->id, from, to, n, cost);
	if ((s = raw_sum(db, a->id, from, lo, n, cost)) != DB_OK || (s = raw_sum(db, a->id, hi, to, n, cost)) != DB_OK)
		return s;
	if (db_prepare(db, "SELECT COALESCE(SUM(msgs), 0), COALESCE(SUM(cost_msg), 0) FROM rollup_hour"
	                       " WHERE account_id = ?1 AND hour >= ?2 AND hour < ?3", &st) != DB_OK)
		return db_fail(db, "sum messages");
	db_bind_int64(st, 1, a->id);
	db_bind_int64(st, 2, lo);
	db_bind_int64(st, 3, hi);
	if ((rc = db_step(st)) == DB_ROW) {
		*n += db_column_int64(st, 0);
		*cost += db_column_int64(st, 1);
	}
	db_finalize(st);
	return rc == DB_ROW ? DB_OK : db_fail(db, "sum messages");
}
