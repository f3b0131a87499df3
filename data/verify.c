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
	"   0 cost_msg, state = 5 internal FROM cdr"
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
	"  FROM cdr GROUP BY 1, 2, 3)"
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
	        " FROM cdr c JOIN account a ON a.id = c.account_id LEFT JOIN rate r ON r.id = c.rate_id"
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
	        " COALESCE(prefix, '') FROM cdr WHERE dialplan IS NOT NULL OR state = 5", -1, &st, NULL) != SQLITE_OK) {
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
	sqlite3_stmt *st;
	int rc;
	if (sqlite3_prepare_v2(v->db->sql, ALERT_CHECK, -1, &st, NULL) != SQLITE_OK) {
		v->status = db_fail(v->db, "check alerts");
		return;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		account_info a;
		char when[32];
		int64_t id = sqlite3_column_int64(st, 6);
		char num[32] = "";
		if (account_get(v->db, sqlite3_column_int64(st, 1), &a) != DB_OK)
			snprintf(a.name, sizeof a.name, "#%lld", (long long)sqlite3_column_int64(st, 1));
		tm_format(sqlite3_column_int64(st, 3), when, sizeof when);
		if (id)
			snprintf(num, sizeof num, "alert %lld: ", (long long)id);
		finding(v, "alerts: %saccount %s, %s at %s (%s %lld) %s", num, a.name,
		        (const char *)sqlite3_column_text(st, 2), when, (const char *)sqlite3_column_text(st, 4),
		        (long long)sqlite3_column_int64(st, 5), (const char *)sqlite3_column_text(st, 0));
	}
	if (rc != SQLITE_DONE)
		v->status = db_fail(v->db, "check alerts");
	sqlite3_finalize(st);
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
	        " - (SELECT COALESCE(SUM(cost + cnam_cost), 0) FROM cdr WHERE account_id = ?1)"
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
	if (v.status == DB_OK && (st = account_each(db, check_account, &v)) != DB_OK)
		v.status = st;
	if (v.status == DB_OK)
		check_alerts(&v);
	db_exec(db, "COMMIT");
	return v.status;
}
