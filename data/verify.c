/* verify.c: the proofs behind `billtop verify`. */
#include "verify.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../core/dialplan.h"
#include "../core/rate.h"
#include "../core/tm.h"
#include "account.h"
#include "report.h"
#include "store.h"
#include "verify_int.h"
#include "walk.h"

void verify_finding(vctx *v, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	v->res->differences++;
	v->fn(buf, v->ctx);
}

/* A rollup table, re-derived: every cell is compared column by column,
 * both ways (a cell missing, a cell extra). For each table, X_RAW gives the
 * keys then the columns, in the order listed, from the raw records, ordered
 * by the keys; X_STORED the same of the table. */
typedef struct {
	const char *table;
	const char *keys[4];       /* the first is account_id, the second the hour or day */
	const char *cols[14];
} rollup_def;

#define HOUR_RAW_SQL \
	"SELECT account_id, hour, SUM(calls), SUM(connected), SUM(duration_ms), SUM(billsec_ms)," \
	" SUM(billed_secs), SUM(unrated), SUM(cost_calls), SUM(cost_cnam), SUM(cnam_lookups), SUM(msgs)," \
	" SUM(msg_segments), SUM(cost_msg), SUM(internal) FROM (" \
	"  SELECT account_id, (start - (start % 3600 + 3600) % 3600) AS hour, 1 AS calls," \
	"   CASE WHEN connected != 0 AND state != 3 THEN 1 ELSE 0 END AS connected, duration_ms," \
	"   CASE WHEN connected != 0 AND state != 3 THEN billsec_ms ELSE 0 END AS billsec_ms," \
	"   CASE WHEN state = 0 THEN billed_secs ELSE 0 END AS billed_secs," \
	"   CASE WHEN state = 1 THEN 1 ELSE 0 END AS unrated, cost AS cost_calls, cnam_cost AS cost_cnam," \
	"   CASE WHEN cnam_cost != 0 THEN 1 ELSE 0 END AS cnam_lookups, 0 AS msgs, 0 AS msg_segments," \
	"   0 AS cost_msg, CASE WHEN state = 5 THEN 1 ELSE 0 END AS internal FROM cdr_now" \
	"  UNION ALL SELECT account_id, (at - (at % 3600 + 3600) % 3600), 0, 0, 0, 0, 0, 0, 0, 0, 0, 1," \
	"   segments, cost, 0 FROM mdr) AS x" \
	" GROUP BY account_id, hour ORDER BY account_id, hour"
static const char HOUR_RAW[] = HOUR_RAW_SQL;
#define HOUR_STORED_SQL \
	"SELECT account_id, hour, calls, connected, duration_ms, billsec_ms, billed_secs, unrated, cost_calls," \
	" cost_cnam, cnam_lookups, msgs, msg_segments, cost_msg, internal FROM rollup_hour ORDER BY account_id, hour"
static const char HOUR_STORED[] = HOUR_STORED_SQL;
#define DEST_RAW_SQL \
	"SELECT account_id, (start - (start % 86400 + 86400) % 86400) AS day," \
	"  COALESCE(prefix, '') AS prefix, COUNT(*)," \
	"  SUM(CASE WHEN connected != 0 AND state != 3 THEN 1 ELSE 0 END)," \
	"  SUM(CASE WHEN connected != 0 AND state != 3 THEN billsec_ms ELSE 0 END)," \
	"  SUM(CASE WHEN state = 0 THEN billed_secs ELSE 0 END), SUM(cost)" \
	"  FROM cdr_now GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"
static const char DEST_RAW[] = DEST_RAW_SQL;
#define DEST_STORED_SQL \
	"SELECT account_id, day, prefix, calls, connected, billsec_ms, billed_secs, cost FROM rollup_dest_day" \
	" ORDER BY 1, 2, 3"
static const char DEST_STORED[] = DEST_STORED_SQL;
/* type and dir: rollup_msg_type / rollup_msg_dir (rollup.h) in SQL */
static const char MSG_RAW[] =
	"SELECT account_id, (at - (at % 86400 + 86400) % 86400) AS day,"
	"  CASE WHEN substr(type, 1, 1) IN ('m', 'M') THEN 1 ELSE 0 END AS type,"
	"  CASE WHEN lower(direction) = 'outbound' THEN 0"
	"       WHEN lower(direction) = 'inbound' THEN 1 ELSE 2 END AS dir,"
	"  COUNT(*), SUM(segments), SUM(cost) FROM mdr GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4";
static const char MSG_STORED[] =
	"SELECT account_id, day, type, dir, msgs, segments, cost FROM rollup_msg_day ORDER BY 1, 2, 3, 4";

/* PostgreSQL: the hours and days of months `billtop archive` took out are
 * not re-derived (their calls are gone; archive checked them first), on
 * either side, messages of those hours included (archive.h). */
#define NOT_ARCHIVED(sql, col, order) \
	"SELECT * FROM (" sql ") r WHERE NOT EXISTS (SELECT 1 FROM cdr_archive a" \
	" WHERE r." col " >= a.lo AND r." col " < a.hi) ORDER BY " order
static const char PG_HOUR_RAW[] = NOT_ARCHIVED(HOUR_RAW_SQL, "hour", "1, 2");
static const char PG_HOUR_STORED[] = NOT_ARCHIVED(HOUR_STORED_SQL, "hour", "1, 2");
static const char PG_DEST_RAW[] = NOT_ARCHIVED(DEST_RAW_SQL, "day", "1, 2, 3");
static const char PG_DEST_STORED[] = NOT_ARCHIVED(DEST_STORED_SQL, "day", "1, 2, 3");

static const rollup_def ROLLUPS[] = {
	{ "rollup_hour", { "account_id", "hour" },
	  { "calls", "connected", "duration_ms", "billsec_ms", "billed_secs", "unrated", "cost_calls", "cost_cnam",
	    "cnam_lookups", "msgs", "msg_segments", "cost_msg", "internal" } },
	{ "rollup_dest_day", { "account_id", "day", "prefix" },
	  { "calls", "connected", "billsec_ms", "billed_secs", "cost" } },
	{ "rollup_msg_day", { "account_id", "day", "type", "dir" },
	  { "msgs", "segments", "cost" } },
};

static int count_of(const char *const *a, int max)
{
	int n = 0;
	while (n < max && a[n])
		n++;
	return n;
}

/* The name of account `id` for a message ("#id" when there is none). */
static void acct_name(vctx *v, int64_t id, char *buf, size_t n)
{
	db_stmt *st;
	snprintf(buf, n, "#%lld", (long long)id);
	if (db_prepare(v->db, "SELECT name FROM account WHERE id = ?1", &st) != DB_OK)
		return;
	db_bind_int64(st, 1, id);
	if (db_step(st) == DB_ROW)
		snprintf(buf, n, "%s", (const char *)db_column_text(st, 0));
	db_finalize(st);
}

/* Order of two rows by their keys (integers, but the prefix is text). */
static int key_cmp(db_stmt *a, db_stmt *b, int nk)
{
	for (int k = 0; k < nk; k++) {
		int c;
		if (db_column_type(a, k) == DB_TEXT || db_column_type(b, k) == DB_TEXT) {
			const char *x = (const char *)db_column_text(a, k), *y = (const char *)db_column_text(b, k);
			c = strcmp(x ? x : "", y ? y : "");
		} else {
			int64_t x = db_column_int64(a, k), y = db_column_int64(b, k);
			c = (x > y) - (x < y);
		}
		if (c)
			return c;
	}
	return 0;
}

static void cell_name(vctx *v, db_stmt *st, const rollup_def *d, int nk, char *buf, size_t n)
{
	char t[32], acct[ACCOUNT_NAME_MAX + 2];
	size_t len;
	acct_name(v, db_column_int64(st, 0), acct, sizeof acct);
	tm_format(db_column_int64(st, 1), t, sizeof t);
	len = (size_t)snprintf(buf, n, "%s cell (account %s, %s %s", d->table, acct, d->keys[1], t);
	for (int k = 2; k < nk && len < n; k++)
		len += (size_t)snprintf(buf + len, n - len, ", %s %s", d->keys[k], (const char *)db_column_text(st, k));
	if (len < n)
		snprintf(buf + len, n - len, ")");
}

/* Merge the re-derived cells with the stored ones (both in key order) and
 * name every cell missing, extra, and every column that differs. */
static void check_rollup(vctx *v, const rollup_def *d, const char *raw, const char *stored)
{
	db_stmt *r = NULL, *s = NULL;
	int nk = count_of(d->keys, 4), nc = count_of(d->cols, 14), rr, rs;
	char cell[240];
	if (db_prepare(v->db, raw, &r) != DB_OK
	    || db_prepare(v->db, stored, &s) != DB_OK) {
		v->status = db_fail(v->db, d->table);
		goto out;
	}
	rr = db_step(r);
	rs = db_step(s);
	while (rr == DB_ROW || rs == DB_ROW) {
		int c = rr != DB_ROW ? 1 : rs != DB_ROW ? -1 : key_cmp(r, s, nk);
		v->res->rollup_cells++;
		if (c < 0) {
			cell_name(v, r, d, nk, cell, sizeof cell);
			verify_finding(v, "%s: missing (the raw records give %s %lld)", cell, d->cols[0],
			               (long long)db_column_int64(r, nk));
			rr = db_step(r);
			continue;
		}
		if (c > 0) {
			cell_name(v, s, d, nk, cell, sizeof cell);
			verify_finding(v, "%s: extra (no raw record falls in it)", cell);
			rs = db_step(s);
			continue;
		}
		for (int k = nk; k < nk + nc; k++)
			if (db_column_type(s, k) != DB_INTEGER || db_column_int64(r, k) != db_column_int64(s, k)) {
				const char *got = (const char *)db_column_text(s, k);
				cell_name(v, s, d, nk, cell, sizeof cell);
				verify_finding(v, "%s: %s %s, from the raw records %lld", cell, d->cols[k - nk], got ? got : "NULL",
				               (long long)db_column_int64(r, k));
			}
		rr = db_step(r);
		rs = db_step(s);
	}
	if (rr != DB_DONE || rs != DB_DONE)
		v->status = db_fail(v->db, d->table);
out:
	db_finalize(r);
	db_finalize(s);
}

/* Re-rate every rated call from its stored rate row and compare. */
static void check_charges(vctx *v)
{
	db_stmt *st;
	int rc;
	if (db_prepare(v->db, "SELECT c.id, c.record_id, c.billsec_ms, c.billed_secs, c.cost, a.decimals, a.rounding,"
	        " r.id, r.prefix, r.rate, r.min_secs, r.inc_secs, r.grace_secs, r.connect_fee, c.state,"
	        " COALESCE(c.prefix, '')"
	        " FROM cdr_now c JOIN account a ON a.id = c.account_id LEFT JOIN rate r ON r.id = c.rate_id"
	        " WHERE c.state = 0 OR c.cost != 0 OR c.billed_secs != 0", &st) != DB_OK) {
		v->status = db_fail(v->db, "check charges");
		return;
	}
	while ((rc = db_step(st)) == DB_ROW) {
		rate_row r;
		rate_result res;
		round_mode m;
		const char *rid = (const char *)db_column_text(st, 1);
		v->res->cdrs_checked++;
		if (db_column_int(st, 14) != CDR_RATED) {
			verify_finding(v, "call %s: charged %lld nano-units for %lld billed s, but it is %s", rid,
			        (long long)db_column_int64(st, 4), (long long)db_column_int64(st, 3),
			        store_cdr_state_name(db_column_int(st, 14)));
			continue;
		}
		if (db_column_type(st, 7) == DB_NULL) {
			verify_finding(v, "call %s: rated but its rate row is gone", rid);
			continue;
		}
		if (strcmp((const char *)db_column_text(st, 15), (const char *)db_column_text(st, 8)) != 0)
			verify_finding(v, "call %s: prefix %s, but its rate row %lld is for prefix %s", rid,
			               (const char *)db_column_text(st, 15), (long long)db_column_int64(st, 7),
			               (const char *)db_column_text(st, 8));
		memset(&r, 0, sizeof r);
		r.rate_per_min = db_column_int64(st, 9);
		r.min_secs = db_column_int(st, 10);
		r.inc_secs = db_column_int(st, 11);
		r.grace_secs = db_column_int(st, 12);
		r.connect_fee = db_column_int64(st, 13);
		if (round_mode_parse((const char *)db_column_text(st, 6), &m) != 0)
			m = ROUND_HALF_UP;
		if (rate_call(&r, db_column_int64(st, 2), db_column_int(st, 5), m, &res) != RATE_OK
		    || res.cost != db_column_int64(st, 4) || res.billed_secs != db_column_int64(st, 3))
			verify_finding(v, "call %s: stored cost %lld / %lld s, re-rated %lld / %lld s", rid,
			        (long long)db_column_int64(st, 4), (long long)db_column_int64(st, 3),
			        (long long)res.cost, (long long)res.billed_secs);
	}
	if (rc != DB_DONE)
		v->status = db_fail(v->db, "check charges");
	db_finalize(st);
}

/* Dial plans (issue 9): every call stored with a plan gets its state
 * re-derived from its destination under that plan (cdr.dialplan, the plan
 * it was rated with, so a later change of the account's plan does not make
 * old calls differ): internal and emergency calls must be exactly those the
 * plan says; an invalid number must be unrated with the plan's reason; a
 * rated call's prefix must be a prefix of the E.164 number. A call in the
 * internal state without a plan is a difference too. Extra legs keep their
 * state (it comes from another leg, not from the number). */
static void check_states(vctx *v)
{
	db_stmt *st;
	int rc;
	if (db_prepare(v->db, "SELECT record_id, dst, connected, state, dialplan, COALESCE(unrated_reason, ''),"
	        " COALESCE(prefix, '') FROM cdr_now WHERE dialplan IS NOT NULL OR state = 5", &st) != DB_OK) {
		v->status = db_fail(v->db, "check call states");
		return;
	}
	while ((rc = db_step(st)) == DB_ROW) {
		const char *rid = (const char *)db_column_text(st, 0);
		const char *dst = (const char *)db_column_text(st, 1);
		const char *code = (const char *)db_column_text(st, 4);
		const char *reason = (const char *)db_column_text(st, 5);
		const char *prefix = (const char *)db_column_text(st, 6);
		int state = db_column_int(st, 3), want;
		dialplan p;
		dial_result d;
		char why[220];
		if (!code) {
			verify_finding(v, "call %s: internal but its account had no dial plan", rid);
			continue;
		}
		if (dialplan_decode(code, &p) != 0) {
			verify_finding(v, "call %s: dial plan \"%s\" is not a plan", rid, code);
			continue;
		}
		want = store_plan_state(&p, dst, db_column_int(st, 2), &d);
		if (state == CDR_EXTRA_LEG && want != CDR_NOT_CONNECTED)
			continue;
		snprintf(why, sizeof why, "invalid number: %s", d.rule);
		if (want == CDR_RATED ? (state != CDR_RATED && state != CDR_UNRATED) : state != want)
			verify_finding(v, "call %s to %s: stored %s, the dial plan %s gives %s", rid, dst,
			        store_cdr_state_name(state), code, store_cdr_state_name(want));
		else if (want == CDR_UNRATED && strcmp(reason, why) != 0)
			verify_finding(v, "call %s to %s: unrated for \"%s\", the dial plan %s gives \"%s\"", rid, dst,
			        reason, code, why);
		else if (want == CDR_RATED && state == CDR_RATED && strncmp(d.digits, prefix, strlen(prefix)) != 0)
			verify_finding(v, "call %s to %s: rated on prefix %s, not a prefix of its number %s", rid, dst, prefix,
			        d.digits);
		else if (want == CDR_RATED && state == CDR_UNRATED && strncmp(reason, "invalid", 7) == 0)
			verify_finding(v, "call %s to %s: unrated as \"%s\", the dial plan %s gives %s", rid, dst, reason,
			        code, d.digits);
	}
	if (rc != DB_DONE)
		v->status = db_fail(v->db, "check call states");
	db_finalize(st);
}

/* ---- corrections (issue 10) ------------------------------------------ */

/* Each query returns (text, number, number) rows, one per difference. */
#define SAME_RATING(a, b) \
	"(" a "state IS NOT DISTINCT FROM " b "state AND " a "rate_id IS NOT DISTINCT FROM " b "rate_id" \
	" AND " a "prefix IS NOT DISTINCT FROM " b "prefix" \
	" AND " a "billed_secs IS NOT DISTINCT FROM " b "billed_secs AND " a "cost IS NOT DISTINCT FROM " b "cost" \
	" AND " a "unrated_reason IS NOT DISTINCT FROM " b "unrated_reason)"
static const char RATING_CURRENT_CHECK[] =
	/* the current rating (rating_now) is the latest correction of each
	 * corrected call, and of no other */
	"SELECT COALESCE(c.record_id, '#' || x.cdr_id), x.seq, 0 FROM"
	" (SELECT cdr_id, MAX(seq) seq FROM rating GROUP BY cdr_id) x"
	" JOIN rating g ON g.cdr_id = x.cdr_id AND g.seq = x.seq LEFT JOIN rating_now n ON n.cdr_id = x.cdr_id"
	" LEFT JOIN cdr c ON c.id = x.cdr_id WHERE n.cdr_id IS NULL OR n.seq != x.seq OR NOT " SAME_RATING("g.", "n.")
	" UNION ALL SELECT COALESCE(c.record_id, '#' || n.cdr_id), n.seq, 0 FROM rating_now n"
	" LEFT JOIN cdr c ON c.id = n.cdr_id WHERE NOT EXISTS (SELECT 1 FROM rating WHERE cdr_id = n.cdr_id)";
/* corrections numbered 1..n, of a call that exists, each by a run of the
 * call's own account. On PostgreSQL a call `billtop archive` took out keeps
 * its corrections: one of no call is a difference only while no month is
 * archived (cdr rows are never deleted). */
#define RATING_CHAIN_SQL(gone) \
	"SELECT COALESCE(c.record_id, '#' || g.cdr_id), COUNT(*), MAX(g.seq) FROM rating g" \
	" LEFT JOIN cdr c ON c.id = g.cdr_id LEFT JOIN rerate r ON r.id = g.rerate_id" \
	" GROUP BY g.cdr_id, c.id, c.record_id, c.account_id" \
	" HAVING (c.id IS NULL" gone ") OR (c.id IS NOT NULL AND (COUNT(*) != MAX(g.seq) OR MIN(g.seq) != 1" \
	" OR SUM(CASE WHEN r.account_id IS NOT DISTINCT FROM c.account_id THEN 1 ELSE 0 END) != COUNT(*)))"
static const char RATING_CHAIN_CHECK[] = RATING_CHAIN_SQL("");
static const char PG_RATING_CHAIN_CHECK[] = RATING_CHAIN_SQL(" AND NOT EXISTS (SELECT 1 FROM cdr_archive)");
/* each run's effect per day is what its corrections add up to: each one's
 * cost less the rating before it (the cdr row's for the first). On
 * PostgreSQL the days of archived months are not re-derived (their calls
 * are gone), on either side; a run's totals are still its days' sum. */
#define RATING_DAY_SQL(live) \
	"WITH raw AS (SELECT g.rerate_id, c.account_id, (c.start - (c.start % 86400 + 86400) % 86400) AS day," \
	"  COUNT(*) calls, SUM(g.cost - COALESCE(p.cost, c.cost)) delta FROM rating g JOIN cdr c ON c.id = g.cdr_id" \
	"  LEFT JOIN rating p ON p.cdr_id = g.cdr_id AND p.seq = g.seq - 1 GROUP BY 1, 2, 3)," \
	" kept AS (SELECT rerate_id, account_id, day, calls, delta FROM rerate_day d WHERE 1 = 1" live ")" \
	" SELECT 'rerate_day: missing or different for run', rerate_id, day FROM" \
	"  (SELECT * FROM raw EXCEPT SELECT * FROM kept) AS e" \
	" UNION ALL SELECT 'rerate_day: extra or different for run', rerate_id, day FROM" \
	"  (SELECT * FROM kept EXCEPT SELECT * FROM raw) AS e" \
	" UNION ALL SELECT 'rerate: counts differ from its corrections for run', r.id, r.corrected FROM rerate r" \
	"  LEFT JOIN (SELECT rerate_id, SUM(calls) n, SUM(delta) dl FROM rerate_day GROUP BY 1) d" \
	"  ON d.rerate_id = r.id WHERE COALESCE(d.n, 0) != r.corrected OR COALESCE(d.dl, 0) != r.delta"
static const char RATING_DAY_CHECK[] = RATING_DAY_SQL("");
static const char PG_RATING_DAY_CHECK[] =
	RATING_DAY_SQL(" AND NOT EXISTS (SELECT 1 FROM cdr_archive a WHERE d.day >= a.lo AND d.day < a.hi)");

/* fmt takes the row's text and two numbers: "%s ... %lld ... %lld". */
static void check_rating_rows(vctx *v, const char *sql, const char *fmt)
{
	db_stmt *st;
	int rc;
	if (db_prepare(v->db, sql, &st) != DB_OK) {
		v->status = db_fail(v->db, "check corrections");
		return;
	}
	while ((rc = db_step(st)) == DB_ROW)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
		verify_finding(v, fmt, (const char *)db_column_text(st, 0),
		        (long long)db_column_int64(st, 1), (long long)db_column_int64(st, 2));
#pragma GCC diagnostic pop
	if (rc != DB_DONE)
		v->status = db_fail(v->db, "check corrections");
	db_finalize(st);
}

/* Every rated rating of a corrected call (the cdr row's first one and
 * every correction) re-rated from its own rate row: a tampered or mistaken
 * correction is named even when it is no longer the current one. */
static void check_rating_charges(vctx *v)
{
	db_stmt *st;
	int rc;
	if (db_prepare(v->db, "WITH g AS (SELECT cdr_id, seq, state, rate_id, billed_secs, cost FROM rating"
	        "  UNION ALL SELECT id, 0, state, rate_id, billed_secs, cost FROM cdr"
	        "  WHERE id IN (SELECT cdr_id FROM rating WHERE seq = 1))"
	        " SELECT c.record_id, g.seq, c.billsec_ms, g.billed_secs, g.cost, a.decimals, a.rounding,"
	        " r.id, r.rate, r.min_secs, r.inc_secs, r.grace_secs, r.connect_fee, g.state"
	        " FROM g JOIN cdr c ON c.id = g.cdr_id JOIN account a ON a.id = c.account_id"
	        " LEFT JOIN rate r ON r.id = g.rate_id WHERE g.state = 0 OR g.cost != 0 OR g.billed_secs != 0", &st) != DB_OK) {
		v->status = db_fail(v->db, "check corrections");
		return;
	}
	while ((rc = db_step(st)) == DB_ROW) {
		rate_row r;
		rate_result res;
		round_mode m;
		const char *rid = (const char *)db_column_text(st, 0);
		int seq = db_column_int(st, 1);
		if (db_column_int(st, 13) != CDR_RATED || db_column_type(st, 7) == DB_NULL) {
			verify_finding(v, "call %s: rating #%d charges %lld nano-units without a rate row", rid, seq,
			        (long long)db_column_int64(st, 4));
			continue;
		}
		memset(&r, 0, sizeof r);
		r.rate_per_min = db_column_int64(st, 8);
		r.min_secs = db_column_int(st, 9);
		r.inc_secs = db_column_int(st, 10);
		r.grace_secs = db_column_int(st, 11);
		r.connect_fee = db_column_int64(st, 12);
		if (round_mode_parse((const char *)db_column_text(st, 6), &m) != 0)
			m = ROUND_HALF_UP;
		if (rate_call(&r, db_column_int64(st, 2), db_column_int(st, 5), m, &res) != RATE_OK
		    || res.cost != db_column_int64(st, 4) || res.billed_secs != db_column_int64(st, 3))
			verify_finding(v, "call %s: rating #%d stores %lld / %lld s, re-rated %lld / %lld s", rid, seq,
			        (long long)db_column_int64(st, 4), (long long)db_column_int64(st, 3),
			        (long long)res.cost, (long long)res.billed_secs);
	}
	if (rc != DB_DONE)
		v->status = db_fail(v->db, "check corrections");
	db_finalize(st);
}

static void check_corrections(vctx *v)
{
	check_rating_rows(v, RATING_CURRENT_CHECK, "call %s: its charge is not its latest rating (#%lld)%.0lld");
	if (v->status == DB_OK)
		check_rating_rows(v, DB_SQL(v->db, RATING_CHAIN_CHECK, PG_RATING_CHAIN_CHECK),
		                  "call %s: broken chain of corrections (at #%lld, #%lld)");
	if (v->status == DB_OK)
		check_rating_rows(v, DB_SQL(v->db, RATING_DAY_CHECK, PG_RATING_DAY_CHECK),
		                  "%s %lld (day or count %lld)");
	if (v->status == DB_OK)
		check_rating_charges(v);
}

/* Alerts (issue 10): every suspension transition and low-balance crossing
 * the store holds (themselves compared with a fresh walk in check_account)
 * has its alert; every alert not sent matches one of them, with the same
 * balance; "sent" and a sent time go together. A sent alert whose
 * transition a later re-walk changed is history, not a difference. */
static const char ALERT_CHECK[] =
	"WITH t AS (SELECT account_id, event, at, balance, cause_kind, cause_id FROM suspension"
	"  UNION ALL SELECT account_id, 'low_balance', at, balance, cause_kind, cause_id FROM balance_mark),"
	" k AS (SELECT al.*, EXISTS(SELECT 1 FROM t WHERE t.account_id = al.account_id AND t.event = al.event"
	"  AND t.at = al.at AND t.cause_kind = al.cause_kind AND t.cause_id = al.cause_id) found,"
	"  (SELECT t.balance FROM t WHERE t.account_id = al.account_id AND t.event = al.event AND t.at = al.at"
	"   AND t.cause_kind = al.cause_kind AND t.cause_id = al.cause_id) tbal FROM alert al)"
	" SELECT 'has no alert', t.account_id, t.event, t.at, t.cause_kind, t.cause_id, 0 FROM t"
	"  WHERE NOT EXISTS(SELECT 1 FROM alert al WHERE al.account_id = t.account_id AND al.event = t.event"
	"   AND al.at = t.at AND al.cause_kind = t.cause_kind AND al.cause_id = t.cause_id)"
	" UNION ALL SELECT 'is an alert (' || status || ') of no transition', account_id, event, at, cause_kind,"
	"  cause_id, id FROM k WHERE status IN ('pending', 'sending', 'skipped') AND NOT found"
	" UNION ALL SELECT 'is an alert (' || status || ') whose balance ' || balance || ' differs from the"
	" transition''s ' || tbal, account_id, event, at, cause_kind, cause_id, id FROM k"
	"  WHERE status IN ('pending', 'skipped') AND found AND balance != tbal"
	" UNION ALL SELECT 'is an alert (' || status || ') with a sent time that says otherwise', account_id,"
	"  event, at, cause_kind, cause_id, id FROM k WHERE (status = 'sent') != (sent_at IS NOT NULL)"
	" ORDER BY 2, 4";

static void check_alerts(vctx *v)
{
	db_stmt *st;
	int rc;
	if (db_prepare(v->db, ALERT_CHECK, &st) != DB_OK) {
		v->status = db_fail(v->db, "check alerts");
		return;
	}
	while ((rc = db_step(st)) == DB_ROW) {
		account_info a;
		char when[32];
		int64_t id = db_column_int64(st, 6);
		char num[32] = "";
		if (account_get(v->db, db_column_int64(st, 1), &a) != DB_OK)
			snprintf(a.name, sizeof a.name, "#%lld", (long long)db_column_int64(st, 1));
		tm_format(db_column_int64(st, 3), when, sizeof when);
		if (id)
			snprintf(num, sizeof num, "alert %lld: ", (long long)id);
		verify_finding(v, "alerts: %saccount %s, %s at %s (%s %lld) %s", num, a.name,
		        (const char *)db_column_text(st, 2), when, (const char *)db_column_text(st, 4),
		        (long long)db_column_int64(st, 5), (const char *)db_column_text(st, 0));
	}
	if (rc != DB_DONE)
		v->status = db_fail(v->db, "check alerts");
	db_finalize(st);
}

/* The balance from the raw records; on PostgreSQL the calls `billtop
 * archive` took out count by the charges their checkpoints recorded. */
#define RAW_BALANCE_SQL(archived) \
	"SELECT (SELECT COALESCE(SUM(amount), 0) FROM ledger WHERE account_id = ?1)" \
	" - (SELECT COALESCE(SUM(cost + cnam_cost), 0) FROM cdr_now WHERE account_id = ?1)" \
	" - (SELECT COALESCE(SUM(cost), 0) FROM mdr WHERE account_id = ?1)" archived
static const char RAW_BALANCE[] = RAW_BALANCE_SQL("");
static const char PG_RAW_BALANCE[] =
	RAW_BALANCE_SQL(" - (SELECT COALESCE(SUM(charges), 0) FROM archive_walk WHERE account_id = ?1)");

/* Balance from rollups + ledger must equal the balance from raw records. */
static int check_account(const account_info *a, void *vv)
{
	vctx *v = vv;
	report_balance b;
	db_stmt *st;
	money_t raw = 0;
	v->res->accounts++;
	if ((v->status = report_get_balance(v->db, a, INT64_MAX, &b)) != DB_OK)
		return 1;
	if (db_prepare(v->db, DB_SQL(v->db, RAW_BALANCE, PG_RAW_BALANCE), &st) != DB_OK) {
		v->status = db_fail(v->db, "raw balance");
		return 1;
	}
	db_bind_int64(st, 1, a->id);
	if (db_step(st) == DB_ROW)
		raw = db_column_int64(st, 0);
	db_finalize(st);
	if (raw != b.balance)
		verify_finding(v, "account %s: balance from rollups %lld != from raw records %lld (nano-units)",
		        a->name, (long long)b.balance, (long long)raw);
	if (v->status == DB_OK)
		verify_walk_account(v, a);
	return v->status != DB_OK;
}

int verify_all(db_t *db, verify_fn fn, void *ctx, verify_result *out)
{
	vctx v = { db, fn, ctx, out, DB_OK };
	int st;
	memset(out, 0, sizeof *out);
	if ((st = db_exec(db, "BEGIN")) != DB_OK)
		return st;
	check_rollup(&v, &ROLLUPS[0], DB_SQL(db, HOUR_RAW, PG_HOUR_RAW), DB_SQL(db, HOUR_STORED, PG_HOUR_STORED));
	if (v.status == DB_OK)
		check_rollup(&v, &ROLLUPS[1], DB_SQL(db, DEST_RAW, PG_DEST_RAW), DB_SQL(db, DEST_STORED, PG_DEST_STORED));
	if (v.status == DB_OK)
		check_rollup(&v, &ROLLUPS[2], MSG_RAW, MSG_STORED);
	if (v.status == DB_OK)
		check_charges(&v);
	if (v.status == DB_OK)
		check_states(&v);
	if (v.status == DB_OK)
		check_corrections(&v);
	if (v.status == DB_OK && (st = account_each(db, check_account, &v)) != DB_OK)
		v.status = st;
	if (v.status == DB_OK)
		verify_walk_orphans(&v);
	if (v.status == DB_OK)
		verify_records(&v);
	if (v.status == DB_OK)
		check_alerts(&v);
	db_exec(db, "COMMIT");
	return v.status;
}
