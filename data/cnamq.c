/* cnamq.c: CNAM charges one by one (see cnamq.h): the lookup fees on
 * calls (cdr_now) and the ledger's cnam entries, merged in time order. */
#include "cnamq.h"

#include <string.h>

#include "../core/tm.h"

/* One arm per source, each with the text filter and the keyset bound, so
 * the compound ORDER BY merges two reads. ?5, ?6: the keyset (at, key);
 * ?7: 1 when there is one. key = id * 2 + source orders the rows of one
 * second and names a row uniquely across both tables. */
#define CNAMQ_ARMS(CMP) \
	"SELECT 0 AS k, id, start AS at, record_id, src, dst, clid, '' AS memo, cnam_cost AS fee, suspended," \
	" id * 2 AS key" \
	" FROM cdr_now WHERE account_id = ?1 AND start >= ?2 AND start < ?3 AND cnam_cost != 0" \
	" AND (?4 IS NULL OR instr(src, ?4) > 0 OR instr(clid, ?4) > 0 OR instr(record_id, ?4) > 0)" \
	" AND (?7 = 0 OR start " CMP " ?5 OR (start = ?5 AND id * 2 " CMP " ?6))" \
	" UNION ALL" \
	" SELECT 1, id, at, '', '', '', '', memo, -amount, 0, id * 2 + 1" \
	" FROM ledger WHERE account_id = ?1 AND kind = 'cnam' AND at >= ?2 AND at < ?3" \
	" AND (?4 IS NULL OR instr(memo, ?4) > 0)" \
	" AND (?7 = 0 OR at " CMP " ?5 OR (at = ?5 AND id * 2 + 1 " CMP " ?6))"

int cnamq_each(db_t *db, const account_info *a, const cnamq_filter *f, cnamq_fn fn, void *ctx)
{
	static const char oldest[] = CNAMQ_ARMS(">") " ORDER BY 3 ASC, 11 ASC LIMIT ?8";
	static const char newest[] = CNAMQ_ARMS("<") " ORDER BY 3 DESC, 11 DESC LIMIT ?8";
	db_stmt *st;
	int rc;
	int64_t from = f->from, to = f->to;
	/* the keyset also bounds the time range */
	if (f->has_past && f->newest_first && f->past_at < INT64_MAX && to > f->past_at + 1)
		to = f->past_at + 1;
	if (f->has_past && !f->newest_first && from < f->past_at)
		from = f->past_at;
	if (db_prepare(db, f->newest_first ? newest : oldest, &st) != DB_OK)
		return db_fail(db, "list CNAM lookups");
	db_bind_int64(st, 1, a->id);
	db_bind_int64(st, 2, from);
	db_bind_int64(st, 3, to);
	if (f->text && f->text[0])
		db_bind_text(st, 4, f->text, -1);
	db_bind_int64(st, 5, f->has_past ? f->past_at : 0);
	db_bind_int64(st, 6, f->has_past ? f->past_key : 0);
	db_bind_int64(st, 7, f->has_past != 0);
	db_bind_int64(st, 8, f->limit > 0 ? f->limit : INT64_MAX); /* no limit (PostgreSQL refuses -1) */
	while ((rc = db_step(st)) == DB_ROW) {
		cnamq_row r;
		memset(&r, 0, sizeof r);
		r.source = db_column_int(st, 0) ? CNAMQ_LEDGER : CNAMQ_CALL;
		r.id = db_column_int64(st, 1);
		r.at = db_column_int64(st, 2);
		db_column_copy(r.record_id, sizeof r.record_id, st, 3);
		db_column_copy(r.number, sizeof r.number, st, 4);
		db_column_copy(r.dst, sizeof r.dst, st, 5);
		db_column_copy(r.clid, sizeof r.clid, st, 6);
		db_column_copy(r.memo, sizeof r.memo, st, 7);
		r.fee = db_column_int64(st, 8);
		r.suspended = db_column_int(st, 9);
		r.key = db_column_int64(st, 10);
		if (fn(&r, ctx))
			break;
	}
	db_finalize(st);
	return rc == DB_ROW || rc == DB_DONE ? DB_OK : db_fail(db, "list CNAM lookups");
}

/* Lookups on calls over [from, to) read from the raw records (cdr_now). */
static int raw_lookups(db_t *db, int64_t account_id, int64_t from, int64_t to, int64_t *n, money_t *fees)
{
	db_stmt *st;
	int rc;
	if (from >= to)
		return DB_OK;
	if (db_prepare(db, "SELECT COUNT(*), COALESCE(SUM(cnam_cost), 0) FROM cdr_now"
	                       " WHERE account_id = ?1 AND start >= ?2 AND start < ?3 AND cnam_cost != 0", &st) != DB_OK)
		return db_fail(db, "sum CNAM lookups");
	db_bind_int64(st, 1, account_id);
	db_bind_int64(st, 2, from);
	db_bind_int64(st, 3, to);
	if ((rc = db_step(st)) == DB_ROW) {
		*n += db_column_int64(st, 0);
		*fees += db_column_int64(st, 1);
	}
	db_finalize(st);
	return rc == DB_ROW ? DB_OK : db_fail(db, "sum CNAM lookups");
}

/* Whole hours from the hourly rollups (what the statement reads, kept in
 * the records' transaction and checked by verify), the partial hours at
 * either end from the raw records: a period of years costs what a day
 * does. The ledger's cnam entries from its (account_id, at) index. */
int cnamq_sum(db_t *db, const account_info *a, int64_t from, int64_t to, int64_t *lookups, int64_t *entries,
              money_t *total)
{
	db_stmt *st;
	int rc, s;
	int64_t lo, hi, n = 0;
	money_t fees = 0, ledger = 0;
	*lookups = *entries = 0;
	*total = 0;
	if (from >= to)
		return DB_OK;
	lo = from == INT64_MIN ? INT64_MIN : tm_floor_hour(from) == from ? from : tm_floor_hour(from) + 3600;
	hi = to == INT64_MAX ? INT64_MAX : tm_floor_hour(to);
	if (lo >= hi) {
		if ((s = raw_lookups(db, a->id, from, to, &n, &fees)) != DB_OK)
			return s;
	} else {
		if ((s = raw_lookups(db, a->id, from, lo, &n, &fees)) != DB_OK
		    || (s = raw_lookups(db, a->id, hi, to, &n, &fees)) != DB_OK)
			return s;
		if (db_prepare(db, "SELECT COALESCE(SUM(cnam_lookups), 0), COALESCE(SUM(cost_cnam), 0) FROM rollup_hour"
		                       " WHERE account_id = ?1 AND hour >= ?2 AND hour < ?3", &st) != DB_OK)
			return db_fail(db, "sum CNAM lookups");
		db_bind_int64(st, 1, a->id);
		db_bind_int64(st, 2, lo);
		db_bind_int64(st, 3, hi);
		if ((rc = db_step(st)) == DB_ROW) {
			n += db_column_int64(st, 0);
			fees += db_column_int64(st, 1);
		}
		db_finalize(st);
		if (rc != DB_ROW)
			return db_fail(db, "sum CNAM lookups");
	}
	if (db_prepare(db, "SELECT COUNT(*), COALESCE(SUM(-amount), 0) FROM ledger"
	                       " WHERE account_id = ?1 AND kind = 'cnam' AND at >= ?2 AND at < ?3", &st) != DB_OK)
		return db_fail(db, "sum CNAM fees");
	db_bind_int64(st, 1, a->id);
	db_bind_int64(st, 2, from);
	db_bind_int64(st, 3, to);
	if ((rc = db_step(st)) == DB_ROW) {
		*entries = db_column_int64(st, 0);
		ledger = db_column_int64(st, 1);
	}
	db_finalize(st);
	if (rc != DB_ROW)
		return db_fail(db, "sum CNAM fees");
	*lookups = n;
	*total = fees + ledger;
	return DB_OK;
}
