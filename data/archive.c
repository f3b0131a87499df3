/* archive.c: `billtop archive` on PostgreSQL (archive.h). Only data/ speaks
 * SQL; the statement texts here are PostgreSQL's own (partitions exist there
 * only). */
#include <stdio.h>
#include <string.h>

#include "archive.h"

#include "../core/tm.h"
#include "account.h"
#include "verify_int.h"

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

/* What the checks read, counted, as of the caller's snapshot: calls before
 * ?1 (the months archived and any older one), their corrections, ledger
 * entries and messages before ?1. All are append-only, so equal counts mean
 * nothing the checks read changed. */
static const char FINGER[] =
	"SELECT (SELECT count(*) FROM cdr WHERE start < ?1),"
	" (SELECT count(*) FROM rating g JOIN cdr c ON c.id = g.cdr_id WHERE c.start < ?1),"
	" (SELECT count(*) FROM ledger WHERE at < ?1), (SELECT count(*) FROM mdr WHERE at < ?1)";
enum { NFINGER = 4 };

/* The accounts with calls in [?1, ?2): their count and charges as rated
 * now (corrections included: cdr_now), the checkpoint's figures */
static const char ACCTS[] =
	"SELECT account_id, count(*), COALESCE(SUM(cost + cnam_cost), 0) FROM cdr_now"
	" WHERE start >= ?1 AND start < ?2 GROUP BY 1 ORDER BY 1";

/* The checkpoints of one run, gathered in the unlocked check (a session
 * table) and written with the detach. */
static const char NEW_TABLES[] =
	"DROP TABLE IF EXISTS pg_temp.archive_walk_new; DROP TABLE IF EXISTS pg_temp.archive_import_new;"
	" CREATE TEMP TABLE archive_walk_new (LIKE archive_walk);"
	" CREATE TEMP TABLE archive_import_new (LIKE archive_import)";
static const char DROP_TABLES[] =
	"DROP TABLE IF EXISTS pg_temp.archive_walk_new; DROP TABLE IF EXISTS pg_temp.archive_import_new";

typedef struct {
	archive_month m;
	char why[320];
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

/* The refusals that cost little (the outbox, open cases) into e->why, or
 * none: run in the check and again under the lock. */
static int check_other(db_t *db, db_stmt *outbox, db_stmt *cases, month_ent *e)
{
	int64_t n = 0;
	int rc;
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

/* The refusal of one month into e->why (e->m.refused set), or none. */
static int check_month(db_t *db, db_stmt *rolled, db_stmt *outbox, db_stmt *cases, month_ent *e)
{
	int64_t diff = 0;
	int rc;
	if ((rc = one_int(db, rolled, e->m.lo, e->m.hi, &diff, &e->m.calls)) != DB_OK)
		return rc;
	if (diff) {
		snprintf(e->why, sizeof e->why, "%lld hours not rolled up as its calls give (run billtop verify)",
		         (long long)diff);
		e->m.refused = e->why;
		return DB_OK;
	}
	return check_other(db, outbox, cases, e);
}

static int fingerprint(db_t *db, int64_t hi, int64_t *out)
{
	db_stmt *s;
	int rc;
	if ((rc = db_prepare(db, FINGER, &s)) != DB_OK)
		return rc;
	db_bind_int64(s, 1, hi);
	rc = db_step(s);
	for (int i = 0; rc == DB_ROW && i < NFINGER; i++)
		out[i] = db_column_int64(s, i);
	db_finalize(s);
	return rc == DB_ROW ? DB_OK : db_fail(db, "archive: count what the check read");
}

/* verify's walk findings, counted; the first kept for the refusal */
typedef struct {
	int64_t n;
	char first[200];
} walk_findings;

static void walk_finding(const char *f, void *ctx)
{
	walk_findings *x = ctx;
	if (!x->n++)
		snprintf(x->first, sizeof x->first, "%s", f);
}

/* The checkpoints of [lo, hi) into the session tables: per account with
 * calls there, verify's fresh walk from its previous checkpoint to hi
 * (compared with the flags, suspension rows and low-balance crossings the
 * store holds before hi: a difference refuses the last month, as the
 * walk's result would be kept wrong), and per import its calls. keep 0 (a
 * dry run): the walks are checked, nothing is written (a read-only
 * session may dry-run). */
static int checkpoints(db_t *db, int64_t lo, int64_t hi, month_ent *last, int keep)
{
	db_stmt *acc = NULL, *ins = NULL;
	walk_findings wf;
	verify_result vr;
	vctx v = { db, walk_finding, &wf, &vr, DB_OK };
	int rc;
	memset(&wf, 0, sizeof wf);
	memset(&vr, 0, sizeof vr);
	if ((keep && (rc = db_exec(db, NEW_TABLES)) != DB_OK) || (rc = db_prepare(db, ACCTS, &acc)) != DB_OK
	    || (keep && (rc = db_prepare(db, "INSERT INTO archive_walk_new VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)",
	                                 &ins)) != DB_OK))
		goto out;
	db_bind_int64(acc, 1, lo);
	db_bind_int64(acc, 2, hi);
	while ((rc = db_step(acc)) == DB_ROW) {
		account_info a;
		vwalk_pos from, end;
		int64_t id = db_column_int64(acc, 0);
		if ((rc = account_get(db, id, &a)) != DB_OK || (rc = verify_walk_start(db, id, &from)) != DB_OK)
			goto out;
		verify_walk_range(&v, &a, &from, hi, &end);
		if ((rc = v.status) != DB_OK)
			goto out;
		if (wf.n && !last->m.refused) {
			snprintf(last->why, sizeof last->why, "account %s: %lld differences in its walk to the end of %s"
			         " (run billtop verify): %.150s", a.name, (long long)wf.n, last->m.month, wf.first);
			last->m.refused = last->why;
		}
		if (!keep)
			continue;
		db_bind_int64(ins, 1, id);
		db_bind_int64(ins, 2, hi);
		db_bind_int64(ins, 3, lo);
		db_bind_int64(ins, 4, db_column_int64(acc, 1));
		db_bind_int64(ins, 5, db_column_int64(acc, 2));
		db_bind_int64(ins, 6, end.w.balance);
		db_bind_int(ins, 7, end.w.status);
		if (end.w.since != TM_NONE) db_bind_int64(ins, 8, end.w.since); else db_bind_null(ins, 8);
		if (end.has_pos) db_bind_int64(ins, 9, end.at); else db_bind_null(ins, 9);
		db_bind_int(ins, 10, end.has_pos ? end.cls : 0);
		db_bind_int64(ins, 11, end.has_pos ? end.id : 0);
		rc = db_step(ins);
		db_reset(ins);
		if (rc != DB_DONE) {
			rc = db_fail(db, "archive: checkpoint");
			goto out;
		}
	}
	if (rc != DB_DONE) {
		rc = db_fail(db, "archive: accounts of the months");
		goto out;
	}
	db_finalize(ins);
	ins = NULL;
	if (!keep) {
		rc = DB_OK;
		goto out;
	}
	if ((rc = db_prepare(db, "INSERT INTO archive_import_new SELECT account_id, ?2, COALESCE(import_id, 0),"
	                     " count(*), SUM(CASE WHEN state = 1 THEN 1 ELSE 0 END) FROM cdr"
	                     " WHERE start >= ?1 AND start < ?2 GROUP BY 1, 3", &ins)) != DB_OK)
		goto out;
	db_bind_int64(ins, 1, lo);
	db_bind_int64(ins, 2, hi);
	rc = db_step(ins) == DB_DONE ? DB_OK : db_fail(db, "archive: checkpoint of imports");
out:
	db_finalize(acc);
	db_finalize(ins);
	return rc;
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

/* The months before `before` into ents (at most MAX_MONTHS). */
static int list_months(db_t *db, int64_t before, month_ent *ents, int *n)
{
	db_stmt *parts;
	int rc;
	*n = 0;
	if ((rc = db_prepare(db, PARTS, &parts)) != DB_OK)
		return rc;
	db_bind_int64(parts, 1, before);
	while ((rc = db_step(parts)) == DB_ROW && *n < MAX_MONTHS) {
		month_ent *e = &ents[(*n)++];
		memset(e, 0, sizeof *e);
		db_column_copy(e->m.table, sizeof e->m.table, parts, 0);
		e->m.lo = db_column_int64(parts, 1);
		e->m.hi = db_column_int64(parts, 2);
		db_column_copy(e->m.month, sizeof e->m.month, parts, 3);
	}
	db_finalize(parts);
	return rc == DB_DONE || rc == DB_ROW ? DB_OK : db_fail(db, "archive: list the months");
}

/* Phase 1, no lock (one snapshot: REPEATABLE READ): every check, the
 * checkpoints into the session tables, and what they read counted. */
static int check_all(db_t *db, int64_t before, month_ent *ents, int *n, int64_t *finger, int *nrefused, int keep)
{
	db_stmt *rolled = NULL, *outbox = NULL, *cases = NULL;
	int rc;
	if ((rc = db_exec(db, "BEGIN ISOLATION LEVEL REPEATABLE READ")) != DB_OK)
		return rc;
	if ((rc = list_months(db, before, ents, n)) != DB_OK || (rc = db_prepare(db, ROLLED, &rolled)) != DB_OK
	    || (rc = db_prepare(db, OUTBOX, &outbox)) != DB_OK || (rc = db_prepare(db, CASES, &cases)) != DB_OK)
		goto out;
	for (int i = 0; i < *n; i++) {
		if ((rc = check_month(db, rolled, outbox, cases, &ents[i])) != DB_OK)
			goto out;
		if (ents[i].m.refused)
			(*nrefused)++;
	}
	if (*n && !*nrefused) {
		month_ent *last = &ents[*n - 1];
		if ((rc = checkpoints(db, ents[0].m.lo, last->m.hi, last, keep)) != DB_OK)
			goto out;
		*nrefused += last->m.refused != NULL;
	}
	if ((rc = fingerprint(db, *n ? ents[*n - 1].m.hi : before, finger)) != DB_OK)
		goto out;
	db_finalize(rolled);
	db_finalize(outbox);
	db_finalize(cases);
	return db_commit(db); /* the session tables stay */
out:
	db_finalize(rolled);
	db_finalize(outbox);
	db_finalize(cases);
	db_rollback(db);
	return rc;
}

/* Phase 2, locked: writers of calls, ledger entries, messages and
 * corrections wait (seconds: counts, the cheap checks again, the detach).
 * Anything the check read changed since: the first month refused, nothing
 * done. Else the checkpoints written and the months taken out. */
static int detach_all(db_t *db, month_ent *ents, int n, const int64_t *finger, int drop, int *nrefused)
{
	db_stmt *outbox = NULL, *cases = NULL;
	int64_t now[NFINGER];
	int rc;
	if ((rc = db_begin(db, 1)) != DB_OK)
		return rc;
	/* ledger, messages and corrections first: a back-dated post holds the
	 * ledger, then flags calls (cdr) */
	if ((rc = db_exec(db, "LOCK TABLE ledger, mdr, rating, cdr IN SHARE ROW EXCLUSIVE MODE")) != DB_OK
	    || (rc = fingerprint(db, ents[n - 1].m.hi, now)) != DB_OK || (rc = db_prepare(db, OUTBOX, &outbox)) != DB_OK
	    || (rc = db_prepare(db, CASES, &cases)) != DB_OK)
		goto out;
	if (memcmp(now, finger, sizeof now) != 0) {
		snprintf(ents[0].why, sizeof ents[0].why, "calls, ledger entries, messages or corrections up to the"
		         " end of %s were stored while it was checked: run billtop archive again", ents[n - 1].m.month);
		ents[0].m.refused = ents[0].why;
		(*nrefused)++;
	}
	for (int i = 0; i < n && !*nrefused; i++) {
		if ((rc = check_other(db, outbox, cases, &ents[i])) != DB_OK)
			goto out;
		*nrefused += ents[i].m.refused != NULL;
	}
	if (*nrefused) {
		rc = DB_OK;
		goto out;
	}
	if ((rc = db_exec(db, "INSERT INTO archive_walk SELECT * FROM archive_walk_new;"
	                  " INSERT INTO archive_import SELECT * FROM archive_import_new")) != DB_OK)
		goto out;
	for (int i = 0; i < n; i++)
		if ((rc = take_out(db, &ents[i].m, drop)) != DB_OK)
			goto out;
	db_finalize(outbox);
	db_finalize(cases);
	if ((rc = db_commit(db)) == DB_OK)
		for (int i = 0; i < n; i++)
			ents[i].m.taken = 1;
	return rc;
out:
	db_finalize(outbox);
	db_finalize(cases);
	db_rollback(db);
	return rc;
}

int archive_before(db_t *db, int64_t before, int flags, archive_fn fn, void *ctx, int *nrefused)
{
	static month_ent ents[MAX_MONTHS];
	int64_t finger[NFINGER];
	int n = 0, rc;
	*nrefused = 0;
	if (!db_backend_is(db, "postgresql"))
		return db_failf(db, DB_EINPUT, "archive needs the PostgreSQL store: a SQLite store is one file,"
		                " archived by copying it (sqlite3 FILE .backup)");
	rc = check_all(db, before, ents, &n, finger, nrefused, !(flags & ARCHIVE_DRY_RUN));
	if (flags & ARCHIVE_DRY_RUN) /* nothing written: a read-only session may dry-run */
		goto done;
	if (rc == DB_OK && n && !*nrefused)
		rc = detach_all(db, ents, n, finger, flags & ARCHIVE_DROP ? 1 : 0, nrefused);
	if (db_exec(db, DROP_TABLES) != DB_OK && rc == DB_OK)
		rc = db_fail(db, "archive: drop the session tables");
done:
	if (rc != DB_OK)
		return rc;
	for (int i = 0; i < n; i++)
		fn(&ents[i].m, ctx);
	return DB_OK;
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

int archive_end(db_t *db, int64_t *hi)
{
	db_stmt *s;
	int rc;
	*hi = 0;
	if (!db_backend_is(db, "postgresql"))
		return DB_OK;
	if ((rc = db_prepare(db, "SELECT COALESCE(max(hi), 0) FROM cdr_archive", &s)) != DB_OK)
		return rc;
	rc = db_step(s);
	if (rc == DB_ROW)
		*hi = db_column_int64(s, 0);
	db_finalize(s);
	return rc == DB_ROW ? DB_OK : db_fail(db, "archive: archived months");
}

int archive_checkpoint_get(db_t *db, int64_t account_id, archive_checkpoint *out)
{
	db_stmt *st;
	int rc;
	memset(out, 0, sizeof *out);
	out->since = TM_NONE;
	if (!db_backend_is(db, "postgresql"))
		return DB_OK;
	if ((rc = db_prepare(db, "SELECT hi, balance, status, since, walk_at, walk_class, walk_id FROM archive_walk"
	                     " WHERE account_id = ?1 ORDER BY hi DESC LIMIT 1", &st)) != DB_OK)
		return rc;
	db_bind_int64(st, 1, account_id);
	rc = db_step(st);
	if (rc == DB_ROW) {
		out->hi = db_column_int64(st, 0);
		out->balance = db_column_int64(st, 1);
		out->status = db_column_int(st, 2);
		out->since = db_column_type(st, 3) == DB_NULL ? TM_NONE : db_column_int64(st, 3);
		out->has_pos = db_column_type(st, 4) != DB_NULL;
		out->at = db_column_int64(st, 4);
		out->cls = db_column_int(st, 5);
		out->id = db_column_int64(st, 6);
	}
	db_finalize(st);
	return rc == DB_ROW || rc == DB_DONE ? DB_OK : db_fail(db, "read the archive checkpoint");
}
