/* archive.c: `billtop archive` on PostgreSQL (archive.h). Only data/ speaks
 * SQL; the statement texts here are PostgreSQL's own (partitions exist there
 * only). */
#include <stdio.h>
#include <string.h>

#include "archive.h"

#define MAX_MONTHS 1200

/* the month partitions of cdr, by their names (billtop_cdr_month) */
static const char PARTS[] =
	"WITH p AS (SELECT c.relname::text AS n, to_date(substr(c.relname, 5), 'YYYY_MM')::timestamp AS m"
	"  FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
	"  WHERE i.inhparent = 'cdr'::regclass AND c.relname ~ '^cdr_[0-9]{4}_[0-9]{2}$')"
	" SELECT n, extract(epoch FROM m AT TIME ZONE 'UTC')::bigint,"
	"  extract(epoch FROM (m + interval '1 month') AT TIME ZONE 'UTC')::bigint, to_char(m, 'YYYY-MM')"
	" FROM p WHERE extract(epoch FROM (m + interval '1 month') AT TIME ZONE 'UTC')::bigint <= ?1 ORDER BY 2";

/* hours of [?1, ?2) whose stored call rollups differ from the rows (both ways) */
static const char ROLLED[] =
	"WITH d AS (SELECT account_id, start - (start % 3600 + 3600) % 3600 AS hour, count(*) AS calls,"
	"  sum(CASE WHEN connected != 0 AND state != 3 THEN 1 ELSE 0 END) AS connected, sum(duration_ms) AS dur,"
	"  sum(CASE WHEN connected != 0 AND state != 3 THEN billsec_ms ELSE 0 END) AS bms,"
	"  sum(CASE WHEN state = 0 THEN billed_secs ELSE 0 END) AS bsecs,"
	"  sum(CASE WHEN state = 1 THEN 1 ELSE 0 END) AS unrated, sum(cost) AS cost, sum(cnam_cost) AS cnam,"
	"  sum(CASE WHEN cnam_cost != 0 THEN 1 ELSE 0 END) AS lookups,"
	"  sum(CASE WHEN state = 5 THEN 1 ELSE 0 END) AS internal"
	"  FROM cdr_now WHERE start >= ?1 AND start < ?2 GROUP BY 1, 2),"
	" s AS (SELECT account_id, hour, calls::numeric, connected::numeric, duration_ms::numeric,"
	"  billsec_ms::numeric, billed_secs::numeric, unrated::numeric, cost_calls::numeric,"
	"  cost_cnam::numeric, cnam_lookups::numeric, internal::numeric FROM rollup_hour"
	"  WHERE hour >= ?1 AND hour < ?2 AND NOT (calls = 0 AND duration_ms = 0 AND cost_calls = 0"
	"  AND cost_cnam = 0 AND cnam_lookups = 0 AND connected = 0 AND unrated = 0 AND internal = 0))"
	" SELECT (SELECT count(*) FROM (SELECT account_id, hour FROM (SELECT * FROM d EXCEPT SELECT * FROM s) x"
	"  UNION SELECT account_id, hour FROM (SELECT * FROM s EXCEPT SELECT * FROM d) y) z),"
	" (SELECT count(*) FROM cdr WHERE start >= ?1 AND start < ?2)";

static const char OUTBOX[] =
	"SELECT count(*) FROM alert WHERE status IN ('pending', 'sending') AND ((at >= ?1 AND at < ?2)"
	" OR (cause_kind = 'cdr' AND cause_id IN (SELECT id FROM cdr WHERE start >= ?1 AND start < ?2)))";

static const char CASES[] =
	"SELECT string_agg(id::text, ', ' ORDER BY id) FROM investigation"
	" WHERE status = 'open' AND period_from < ?2 AND period_to > ?1";

typedef struct {
	archive_month m;
	char why[160];
} month_ent;

static int one_int(db_t *db, db_stmt *s, int64_t lo, int64_t hi, int64_t *a, int64_t *b)
{
	int rc;
	db_bind_int64(s, 1, lo);
	db_bind_int64(s, 2, hi);
	rc = db_step(s);
	if (rc == DB_ROW) {
		*a = db_column_int64(s, 0);
		if (b)
			*b = db_column_int64(s, 1);
	}
	db_reset(s);
	return rc == DB_ROW ? DB_OK : db_fail(db, "archive: check");
}

/* The refusal of one month into e->why (e->m.refused set), or none. */
static int check_month(db_t *db, db_stmt *rolled, db_stmt *outbox, db_stmt *cases, month_ent *e)
{
	int64_t diff = 0, n = 0;
	int rc;
	if ((rc = one_int(db, rolled, e->m.lo, e->m.hi, &diff, &e->m.calls)) != DB_OK)
		return rc;
	if (diff) {
		snprintf(e->why, sizeof e->why, "%lld hours not rolled up as its calls give (run billtop verify)",
		         (long long)diff);
		e->m.refused = e->why;
		return DB_OK;
	}
	if ((rc = one_int(db, outbox, e->m.lo, e->m.hi, &n, NULL)) != DB_OK)
		return rc;
	if (n) {
		snprintf(e->why, sizeof e->why, "%lld alerts still in the outbox (billtop watch)", (long long)n);
		e->m.refused = e->why;
		return DB_OK;
	}
	db_bind_int64(cases, 1, e->m.lo);
	db_bind_int64(cases, 2, e->m.hi);
	rc = db_step(cases);
	if (rc == DB_ROW && db_column_type(cases, 0) != DB_NULL) {
		char ids[96];
		db_column_copy(ids, sizeof ids, cases, 0);
		snprintf(e->why, sizeof e->why, "open dispute case %s covers it (close it first)", ids);
		e->m.refused = e->why;
	}
	db_reset(cases);
	return rc == DB_ROW ? DB_OK : db_fail(db, "archive: check cases");
}

static int take_out(db_t *db, const archive_month *m, int drop)
{
	db_stmt *s;
	int rc;
	if ((rc = db_prepare(db, "SELECT billtop_cdr_take_out(?1, ?2)", &s)) != DB_OK)
		return rc;
	db_bind_text(s, 1, m->table, -1);
	db_bind_int(s, 2, drop);
	rc = db_step(s);
	db_finalize(s);
	if (rc != DB_ROW)
		return db_fail(db, "archive: detach");
	if ((rc = db_prepare(db, "INSERT INTO cdr_archive(lo, hi, month, tbl, dropped, calls, at, operator,"
	                     " ssh_client) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9)", &s)) != DB_OK)
		return rc;
	db_bind_int64(s, 1, m->lo);
	db_bind_int64(s, 2, m->hi);
	db_bind_text(s, 3, m->month, -1);
	db_bind_text(s, 4, m->table, -1);
	db_bind_int(s, 5, drop);
	db_bind_int64(s, 6, m->calls);
	db_bind_int64(s, 7, db_now());
	db_bind_text(s, 8, db_operator(), -1);
	db_bind_text(s, 9, db_ssh_client(), -1);
	rc = db_step(s);
	db_finalize(s);
	return rc == DB_DONE ? DB_OK : db_fail(db, "archive: record");
}

int archive_before(db_t *db, int64_t before, int flags, archive_fn fn, void *ctx, int *nrefused)
{
	static month_ent ents[MAX_MONTHS];
	db_stmt *parts = NULL, *rolled = NULL, *outbox = NULL, *cases = NULL;
	int n = 0, rc;
	*nrefused = 0;
	if (!db_backend_is(db, "postgresql"))
		return db_failf(db, DB_EINPUT, "archive needs the PostgreSQL store: a SQLite store is one file,"
		                " archived by copying it (sqlite3 FILE .backup)");
	/* the check and the detach see one state: writers to cdr wait (the
	 * lock DETACH takes anyway) */
	if ((rc = db_begin(db, 1)) != DB_OK)
		return rc;
	if ((rc = db_exec(db, "LOCK TABLE cdr IN SHARE ROW EXCLUSIVE MODE")) != DB_OK
	    || (rc = db_prepare(db, PARTS, &parts)) != DB_OK || (rc = db_prepare(db, ROLLED, &rolled)) != DB_OK
	    || (rc = db_prepare(db, OUTBOX, &outbox)) != DB_OK || (rc = db_prepare(db, CASES, &cases)) != DB_OK)
		goto out;
	db_bind_int64(parts, 1, before);
	while ((rc = db_step(parts)) == DB_ROW && n < MAX_MONTHS) {
		month_ent *e = &ents[n++];
		memset(e, 0, sizeof *e);
		db_column_copy(e->m.table, sizeof e->m.table, parts, 0);
		e->m.lo = db_column_int64(parts, 1);
		e->m.hi = db_column_int64(parts, 2);
		db_column_copy(e->m.month, sizeof e->m.month, parts, 3);
	}
	db_reset(parts);
	if (rc != DB_DONE && rc != DB_ROW) {
		rc = db_fail(db, "archive: list the months");
		goto out;
	}
	for (int i = 0; i < n; i++) {
		if ((rc = check_month(db, rolled, outbox, cases, &ents[i])) != DB_OK)
			goto out;
		if (ents[i].m.refused)
			(*nrefused)++;
	}
	for (int i = 0; i < n; i++)
		fn(&ents[i].m, ctx);
	rc = DB_OK;
	if (*nrefused || (flags & ARCHIVE_DRY_RUN) || !n)
		goto out;
	for (int i = 0; i < n; i++)
		if ((rc = take_out(db, &ents[i].m, flags & ARCHIVE_DROP ? 1 : 0)) != DB_OK)
			goto out;
	db_finalize(parts);
	db_finalize(rolled);
	db_finalize(outbox);
	db_finalize(cases);
	return db_commit(db);
out:
	db_finalize(parts);
	db_finalize(rolled);
	db_finalize(outbox);
	db_finalize(cases);
	db_rollback(db);
	return rc;
}

int archive_months_in(db_t *db, int64_t from, int64_t to, char *buf, size_t n)
{
	db_stmt *s;
	int rc;
	size_t len = 0;
	if (n)
		buf[0] = '\0';
	if (!db_backend_is(db, "postgresql"))
		return DB_OK;
	if ((rc = db_prepare(db, "SELECT month FROM cdr_archive WHERE lo < ?2 AND hi > ?1 ORDER BY lo", &s)) != DB_OK)
		return rc;
	db_bind_int64(s, 1, from);
	db_bind_int64(s, 2, to);
	while ((rc = db_step(s)) == DB_ROW) {
		char m[16];
		db_column_copy(m, sizeof m, s, 0);
		if (len + strlen(m) + 3 < n)
			len += (size_t)snprintf(buf + len, n - len, "%s%s", len ? ", " : "", m);
	}
	db_finalize(s);
	return rc == DB_DONE ? DB_OK : db_fail(db, "archive: archived months");
}
