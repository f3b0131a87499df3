/* verify.c: the proofs behind `billtop verify`. */
#include "verify.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../core/dialplan.h"
#include "../core/rate.h"
#include "account.h"
#include "report.h"
#include "store.h"
#include "walk.h"

typedef struct {
	db_t *db;
	verify_fn fn;
	void *ctx;
	verify_result *res;
	int status;
} vctx;

static void finding(vctx *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void finding(vctx *v, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	v->res->differences++;
	v->fn(buf, v->ctx);
}

/* Rollups recomputed from raw records, compared cell by cell both ways. */
static const char ROLLUP_HOUR_CHECK[] =
	"WITH raw AS ("
	" SELECT account_id, hour, SUM(calls) calls, SUM(connected) connected, SUM(duration_ms) duration_ms,"
	"  SUM(billsec_ms) billsec_ms, SUM(billed_secs) billed_secs, SUM(unrated) unrated,"
	"  SUM(cost_calls) cost_calls, SUM(cost_cnam) cost_cnam, SUM(cnam_lookups) cnam_lookups,"
	"  SUM(msgs) msgs, SUM(msg_segments) msg_segments, SUM(cost_msg) cost_msg,"
	"  SUM(internal) internal FROM ("
	"  SELECT account_id, (start - (start % 3600 + 3600) % 3600) hour, 1 calls,"
	"   (connected AND state != 3) connected, duration_ms,"
	"   CASE WHEN connected AND state != 3 THEN billsec_ms ELSE 0 END billsec_ms,"
	"   CASE WHEN state = 0 THEN billed_secs ELSE 0 END billed_secs, state = 1 unrated,"
	"   cost cost_calls, cnam_cost cost_cnam, cnam_cost != 0 cnam_lookups, 0 msgs, 0 msg_segments,"
	"   0 cost_msg, state = 5 internal FROM cdr_now"
	"  UNION ALL SELECT account_id, (at - (at % 3600 + 3600) % 3600), 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,"
	"   segments, cost, 0 FROM mdr)"
	" GROUP BY account_id, hour)"
	" SELECT 'missing or different', account_id, hour FROM"
	"  (SELECT * FROM raw EXCEPT SELECT * FROM rollup_hour)"
	" UNION ALL SELECT 'extra or different', account_id, hour FROM"
	"  (SELECT * FROM rollup_hour EXCEPT SELECT * FROM raw)";

static const char ROLLUP_DEST_CHECK[] =
	"WITH raw AS (SELECT account_id, (start - (start % 86400 + 86400) % 86400) day,"
	"  COALESCE(prefix, '') prefix, COUNT(*) calls,"
	"  SUM(connected AND state != 3) connected,"
	"  SUM(CASE WHEN connected AND state != 3 THEN billsec_ms ELSE 0 END) billsec_ms,"
	"  SUM(CASE WHEN state = 0 THEN billed_secs ELSE 0 END) billed_secs, SUM(cost) cost"
	"  FROM cdr_now GROUP BY 1, 2, 3)"
	" SELECT 'missing or different', account_id, day FROM (SELECT * FROM raw EXCEPT SELECT * FROM rollup_dest_day)"
	" UNION ALL SELECT 'extra or different', account_id, day FROM"
	"  (SELECT * FROM rollup_dest_day EXCEPT SELECT * FROM raw)";

static const char ROLLUP_MSG_CHECK[] =
	"WITH raw AS (SELECT account_id, (at - (at % 86400 + 86400) % 86400) day,"
	"  CASE WHEN substr(type, 1, 1) IN ('m', 'M') THEN 1 ELSE 0 END type,"
	"  CASE WHEN direction = 'outbound' COLLATE NOCASE THEN 0"
	"       WHEN direction = 'inbound' COLLATE NOCASE THEN 1 ELSE 2 END dir,"
	"  COUNT(*) msgs, SUM(segments) segments, SUM(cost) cost FROM mdr GROUP BY 1, 2, 3, 4)"
	" SELECT 'missing or different', account_id, day FROM (SELECT * FROM raw EXCEPT SELECT * FROM rollup_msg_day)"
	" UNION ALL SELECT 'extra or different', account_id, day FROM"
	"  (SELECT * FROM rollup_msg_day EXCEPT SELECT * FROM raw)";

static void check_rollup(vctx *v, const char *sql, const char *table)
{
	sqlite3_stmt *st;
	int rc;
	if (sqlite3_prepare_v2(v->db->sql, sql, -1, &st, NULL) != SQLITE_OK) {
		v->status = db_fail(v->db, table);
		return;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		finding(v, "%s: cell (account %lld, %lld) %s from the raw records", table,
		        (long long)sqlite3_column_int64(st, 1), (long long)sqlite3_column_int64(st, 2),
		        (const char *)sqlite3_column_text(st, 0));
	if (rc != SQLITE_DONE)
		v->status = db_fail(v->db, table);
	sqlite3_finalize(st);
}

/* Re-rate every rated call from its stored rate row and compare. */
static void check_charges(vctx *v)
{
	sqlite3_stmt *st;
	int rc;
	if (sqlite3_prepare_v2(v->db->sql,
	        "SELECT c.id, c.record_id, c.billsec_ms, c.billed_secs, c.cost, a.decimals, a.rounding,"
	        " r.id, r.prefix, r.rate, r.min_secs, r.inc_secs, r.grace_secs, r.connect_fee, c.state"
	        " FROM cdr_now c JOIN account a ON a.id = c.account_id LEFT JOIN rate r ON r.id = c.rate_id"
	        " WHERE c.state = 0 OR c.cost != 0", -1, &st, NULL) != SQLITE_OK) {
		v->status = db_fail(v->db, "check charges");
		return;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		rate_row r;
		rate_result res;
		round_mode m;
		const char *rid = (const char *)sqlite3_column_text(st, 1);
		v->res->cdrs_checked++;
		if (sqlite3_column_int(st, 14) != CDR_RATED) {
			finding(v, "call %s: charged %lld nano-units but not in the rated state", rid,
			        (long long)sqlite3_column_int64(st, 4));
			continue;
		}
		if (sqlite3_column_type(st, 7) == SQLITE_NULL) {
			finding(v, "call %s: rated but its rate row is gone", rid);
			continue;
		}
		memset(&r, 0, sizeof r);
		r.rate_per_min = sqlite3_column_int64(st, 9);
		r.min_secs = sqlite3_column_int(st, 10);
		r.inc_secs = sqlite3_column_int(st, 11);
		r.grace_secs = sqlite3_column_int(st, 12);
		r.connect_fee = sqlite3_column_int64(st, 13);
		if (round_mode_parse((const char *)sqlite3_column_text(st, 6), &m) != 0)
			m = ROUND_HALF_UP;
		if (rate_call(&r, sqlite3_column_int64(st, 2), sqlite3_column_int(st, 5), m, &res) != RATE_OK
		    || res.cost != sqlite3_column_int64(st, 4) || res.billed_secs != sqlite3_column_int64(st, 3))
			finding(v, "call %s: stored cost %lld / %lld s, re-rated %lld / %lld s", rid,
			        (long long)sqlite3_column_int64(st, 4), (long long)sqlite3_column_int64(st, 3),
			        (long long)res.cost, (long long)res.billed_secs);
	}
	if (rc != SQLITE_DONE)
		v->status = db_fail(v->db, "check charges");
	sqlite3_finalize(st);
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
	sqlite3_stmt *st;
	int rc;
	if (sqlite3_prepare_v2(v->db->sql,
	        "SELECT record_id, dst, connected, state, dialplan, COALESCE(unrated_reason, ''),"
	        " COALESCE(prefix, '') FROM cdr_now WHERE dialplan IS NOT NULL OR state = 5", -1, &st, NULL) != SQLITE_OK) {
		v->status = db_fail(v->db, "check call states");
		return;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *rid = (const char *)sqlite3_column_text(st, 0);
		const char *dst = (const char *)sqlite3_column_text(st, 1);
		const char *code = (const char *)sqlite3_column_text(st, 4);
		const char *reason = (const char *)sqlite3_column_text(st, 5);
		const char *prefix = (const char *)sqlite3_column_text(st, 6);
		int state = sqlite3_column_int(st, 3), want;
		dialplan p;
		dial_result d;
		char why[220];
		if (!code) {
			finding(v, "call %s: internal but its account had no dial plan", rid);
			continue;
		}
		if (dialplan_decode(code, &p) != 0) {
			finding(v, "call %s: dial plan \"%s\" is not a plan", rid, code);
			continue;
		}
		want = store_plan_state(&p, dst, sqlite3_column_int(st, 2), &d);
		if (state == CDR_EXTRA_LEG && want != CDR_NOT_CONNECTED)
			continue;
		snprintf(why, sizeof why, "invalid number: %s", d.rule);
		if (want == CDR_RATED ? (state != CDR_RATED && state != CDR_UNRATED) : state != want)
			finding(v, "call %s to %s: stored %s, the dial plan %s gives %s", rid, dst,
			        store_cdr_state_name(state), code, store_cdr_state_name(want));
		else if (want == CDR_UNRATED && strcmp(reason, why) != 0)
			finding(v, "call %s to %s: unrated for \"%s\", the dial plan %s gives \"%s\"", rid, dst,
			        reason, code, why);
		else if (want == CDR_RATED && state == CDR_RATED && strncmp(d.digits, prefix, strlen(prefix)) != 0)
			finding(v, "call %s to %s: rated on prefix %s, not a prefix of its number %s", rid, dst, prefix,
			        d.digits);
		else if (want == CDR_RATED && state == CDR_UNRATED && strncmp(reason, "invalid", 7) == 0)
			finding(v, "call %s to %s: unrated as \"%s\", the dial plan %s gives %s", rid, dst, reason,
			        code, d.digits);
	}
	if (rc != SQLITE_DONE)
		v->status = db_fail(v->db, "check call states");
	sqlite3_finalize(st);
}

/* ---- corrections (issue 10) ------------------------------------------ */

/* Each query returns (text, number, number) rows, one per difference. */
#define SAME_RATING(a, b) \
	"(" a "state IS " b "state AND " a "rate_id IS " b "rate_id AND " a "prefix IS " b "prefix" \
	" AND " a "billed_secs IS " b "billed_secs AND " a "cost IS " b "cost AND " a "unrated_reason IS " b "unrated_reason)"
static const char RATING_CURRENT_CHECK[] =
	/* the current rating (rating_now) is the latest correction of each
	 * corrected call, and of no other */
	"SELECT COALESCE(c.record_id, '#' || x.cdr_id), x.seq, 0 FROM"
	" (SELECT cdr_id, MAX(seq) seq FROM rating GROUP BY cdr_id) x"
	" JOIN rating g ON g.cdr_id = x.cdr_id AND g.seq = x.seq LEFT JOIN rating_now n ON n.cdr_id = x.cdr_id"
	" LEFT JOIN cdr c ON c.id = x.cdr_id WHERE n.cdr_id IS NULL OR n.seq != x.seq OR NOT " SAME_RATING("g.", "n.")
	" UNION ALL SELECT COALESCE(c.record_id, '#' || n.cdr_id), n.seq, 0 FROM rating_now n"
	" LEFT JOIN cdr c ON c.id = n.cdr_id WHERE NOT EXISTS (SELECT 1 FROM rating WHERE cdr_id = n.cdr_id)";
static const char RATING_CHAIN_CHECK[] =
	/* corrections numbered 1..n, of a call that exists, each by a run of
	 * the call's own account */
	"SELECT COALESCE(c.record_id, '#' || g.cdr_id), COUNT(*), MAX(g.seq) FROM rating g"
	" LEFT JOIN cdr c ON c.id = g.cdr_id LEFT JOIN rerate r ON r.id = g.rerate_id GROUP BY g.cdr_id"
	" HAVING c.id IS NULL OR COUNT(*) != MAX(g.seq) OR MIN(g.seq) != 1"
	" OR SUM(r.account_id IS c.account_id) != COUNT(*)";
static const char RATING_DAY_CHECK[] =
	/* each run's effect per day is what its corrections add up to: each
	 * one's cost less the rating before it (the cdr row's for the first) */
	"WITH raw AS (SELECT g.rerate_id, c.account_id, (c.start - (c.start % 86400 + 86400) % 86400) day,"
	"  COUNT(*) calls, SUM(g.cost - COALESCE(p.cost, c.cost)) delta FROM rating g JOIN cdr c ON c.id = g.cdr_id"
	"  LEFT JOIN rating p ON p.cdr_id = g.cdr_id AND p.seq = g.seq - 1 GROUP BY 1, 2, 3)"
	" SELECT 'rerate_day: missing or different for run', rerate_id, day FROM"
	"  (SELECT * FROM raw EXCEPT SELECT rerate_id, account_id, day, calls, delta FROM rerate_day)"
	" UNION ALL SELECT 'rerate_day: extra or different for run', rerate_id, day FROM"
	"  (SELECT rerate_id, account_id, day, calls, delta FROM rerate_day EXCEPT SELECT * FROM raw)"
	" UNION ALL SELECT 'rerate: counts differ from its corrections for run', r.id, r.corrected FROM rerate r"
	"  LEFT JOIN (SELECT rerate_id, SUM(calls) n, SUM(delta) dl FROM rerate_day GROUP BY 1) d"
	"  ON d.rerate_id = r.id WHERE COALESCE(d.n, 0) != r.corrected OR COALESCE(d.dl, 0) != r.delta";

/* fmt takes the row's text and two numbers: "%s ... %lld ... %lld". */
static void check_rating_rows(vctx *v, const char *sql, const char *fmt)
{
	sqlite3_stmt *st;
	int rc;
	if (sqlite3_prepare_v2(v->db->sql, sql, -1, &st, NULL) != SQLITE_OK) {
		v->status = db_fail(v->db, "check corrections");
		return;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
		finding(v, fmt, (const char *)sqlite3_column_text(st, 0),
		        (long long)sqlite3_column_int64(st, 1), (long long)sqlite3_column_int64(st, 2));
#pragma GCC diagnostic pop
	if (rc != SQLITE_DONE)
		v->status = db_fail(v->db, "check corrections");
	sqlite3_finalize(st);
}

/* Every rated rating of a corrected call (the cdr row's first one and
 * every correction) re-rated from its own rate row: a tampered or mistaken
 * correction is named even when it is no longer the current one. */
static void check_rating_charges(vctx *v)
{
	sqlite3_stmt *st;
	int rc;
	if (sqlite3_prepare_v2(v->db->sql,
	        "WITH g AS (SELECT cdr_id, seq, state, rate_id, billed_secs, cost FROM rating"
	        "  UNION ALL SELECT id, 0, state, rate_id, billed_secs, cost FROM cdr"
	        "  WHERE id IN (SELECT cdr_id FROM rating WHERE seq = 1))"
	        " SELECT c.record_id, g.seq, c.billsec_ms, g.billed_secs, g.cost, a.decimals, a.rounding,"
	        " r.id, r.rate, r.min_secs, r.inc_secs, r.grace_secs, r.connect_fee, g.state"
	        " FROM g JOIN cdr c ON c.id = g.cdr_id JOIN account a ON a.id = c.account_id"
	        " LEFT JOIN rate r ON r.id = g.rate_id WHERE g.state = 0 OR g.cost != 0 OR g.billed_secs != 0",
	        -1, &st, NULL) != SQLITE_OK) {
		v->status = db_fail(v->db, "check corrections");
		return;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		rate_row r;
		rate_result res;
		round_mode m;
		const char *rid = (const char *)sqlite3_column_text(st, 0);
		int seq = sqlite3_column_int(st, 1);
		if (sqlite3_column_int(st, 13) != CDR_RATED || sqlite3_column_type(st, 7) == SQLITE_NULL) {
			finding(v, "call %s: rating #%d charges %lld nano-units without a rate row", rid, seq,
			        (long long)sqlite3_column_int64(st, 4));
			continue;
		}
		memset(&r, 0, sizeof r);
		r.rate_per_min = sqlite3_column_int64(st, 8);
		r.min_secs = sqlite3_column_int(st, 9);
		r.inc_secs = sqlite3_column_int(st, 10);
		r.grace_secs = sqlite3_column_int(st, 11);
		r.connect_fee = sqlite3_column_int64(st, 12);
		if (round_mode_parse((const char *)sqlite3_column_text(st, 6), &m) != 0)
			m = ROUND_HALF_UP;
		if (rate_call(&r, sqlite3_column_int64(st, 2), sqlite3_column_int(st, 5), m, &res) != RATE_OK
		    || res.cost != sqlite3_column_int64(st, 4) || res.billed_secs != sqlite3_column_int64(st, 3))
			finding(v, "call %s: rating #%d stores %lld / %lld s, re-rated %lld / %lld s", rid, seq,
			        (long long)sqlite3_column_int64(st, 4), (long long)sqlite3_column_int64(st, 3),
			        (long long)res.cost, (long long)res.billed_secs);
	}
	if (rc != SQLITE_DONE)
		v->status = db_fail(v->db, "check corrections");
	sqlite3_finalize(st);
}

static void check_corrections(vctx *v)
{
	check_rating_rows(v, RATING_CURRENT_CHECK, "call %s: its charge is not its latest rating (#%lld)%.0lld");
	if (v->status == DB_OK)
		check_rating_rows(v, RATING_CHAIN_CHECK, "call %s: broken chain of corrections (at #%lld, #%lld)");
	if (v->status == DB_OK)
		check_rating_rows(v, RATING_DAY_CHECK, "%s %lld (day or count %lld)");
	if (v->status == DB_OK)
		check_rating_charges(v);
}

/* Balance from rollups + ledger must equal the balance from raw records. */
static int check_account(const account_info *a, void *vv)
{
	vctx *v = vv;
	report_balance b;
	sqlite3_stmt *st;
	int64_t diffs = 0;
	money_t raw = 0;
	v->res->accounts++;
	if ((v->status = report_get_balance(v->db, a, INT64_MAX, &b)) != DB_OK)
		return 1;
	if (sqlite3_prepare_v2(v->db->sql,
	        "SELECT (SELECT COALESCE(SUM(amount), 0) FROM ledger WHERE account_id = ?1)"
	        " - (SELECT COALESCE(SUM(cost + cnam_cost), 0) FROM cdr_now WHERE account_id = ?1)"
	        " - (SELECT COALESCE(SUM(cost), 0) FROM mdr WHERE account_id = ?1)", -1, &st, NULL) != SQLITE_OK) {
		v->status = db_fail(v->db, "raw balance");
		return 1;
	}
	sqlite3_bind_int64(st, 1, a->id);
	if (sqlite3_step(st) == SQLITE_ROW)
		raw = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (raw != b.balance)
		finding(v, "account %s: balance from rollups %lld != from raw records %lld (nano-units)",
		        a->name, (long long)b.balance, (long long)raw);
	if ((v->status = walk_rebuild(v->db, a->id, 1, &diffs)) != DB_OK)
		return 1;
	if (diffs)
		finding(v, "account %s: %lld suspension transitions, flags or walk fields differ from a fresh walk",
		        a->name, (long long)diffs);
	{
		walk_acct w;
		if ((v->status = walk_load(v->db, a->id, &w)) != DB_OK)
			return 1;
		if (w.has_pos && w.w.balance != raw)
			finding(v, "account %s: walked balance %lld != balance %lld", a->name,
			        (long long)w.w.balance, (long long)raw);
	}
	return 0;
}

int verify_all(db_t *db, verify_fn fn, void *ctx, verify_result *out)
{
	vctx v = { db, fn, ctx, out, DB_OK };
	int st;
	memset(out, 0, sizeof *out);
	if ((st = db_exec(db, "BEGIN")) != DB_OK)
		return st;
	check_rollup(&v, ROLLUP_HOUR_CHECK, "rollup_hour");
	if (v.status == DB_OK)
		check_rollup(&v, ROLLUP_DEST_CHECK, "rollup_dest_day");
	if (v.status == DB_OK)
		check_rollup(&v, ROLLUP_MSG_CHECK, "rollup_msg_day");
	if (v.status == DB_OK)
		check_charges(&v);
	if (v.status == DB_OK)
		check_states(&v);
	if (v.status == DB_OK)
		check_corrections(&v);
	if (v.status == DB_OK && (st = account_each(db, check_account, &v)) != DB_OK)
		v.status = st;
	db_exec(db, "COMMIT");
	return v.status;
}
