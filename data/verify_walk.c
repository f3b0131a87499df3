/* verify_walk.c: the suspension walk re-done for `billtop verify`.
 *
 * Independent of walk.c (its own query, its own loop; the transition rule
 * is core/ledger.c's): events are ledger entries (class 0), call charges
 * (class 1: a call that connected or costs something) and messages
 * (class 2) in (time, class, id) order. A record is flagged "made while
 * suspended" exactly when the account was suspended just before it and it
 * is a message, or a connected call that is not emergency (state 4) or
 * internal (5), nor an extra leg (3) of a call whose billed leg is. Every
 * call is checked, events or not: a flag on a call that did not connect is
 * a difference too.
 *
 * On PostgreSQL after `billtop archive` the walk starts at the account's
 * latest checkpoint (archive_walk: the walk at the end of the last month
 * taken out, written by the archive from this same walk) and checks what
 * lies after it; the rows before it were checked by the archive. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/ledger.h"
#include "../core/tm.h"
#include "archive.h"
#include "store.h"
#include "verify_int.h"
#include "walk.h"

typedef struct {
	int64_t at, cause_id;
	int cls, suspended;        /* cls: WALK_*; suspended: the event */
	money_t balance;
} vtrans;

/* ?1 the account, events in [?2, ?3). An extra leg's billed leg: in cdr
 * (SQLite), in cdr_call on PostgreSQL (every month's, archived ones too). */
#define EVENTS_SQL(leg) \
	"SELECT at, cls, id, delta, event, connected, state, leg_state, flag, rec FROM (" \
	" SELECT at, 0 AS cls, id, amount AS delta, 1 AS event, 0 AS connected, 0 AS state, NULL AS leg_state," \
	"  0 AS flag, CAST(id AS TEXT) AS rec FROM ledger WHERE account_id = ?1 AND at >= ?2 AND at < ?3" \
	" UNION ALL SELECT start, 1, id, -(cost + cnam_cost)," \
	" CASE WHEN connected = 1 OR cost != 0 OR cnam_cost != 0 THEN 1 ELSE 0 END," \
	"  connected, state, CASE WHEN state = 3 THEN (" leg ") END, suspended, record_id" \
	"  FROM cdr_now WHERE account_id = ?1 AND start >= ?2 AND start < ?3" \
	" UNION ALL SELECT at, 2, id, -cost, 1, 1, 0, NULL, suspended, record_id FROM mdr" \
	"  WHERE account_id = ?1 AND at >= ?2 AND at < ?3" \
	") AS x ORDER BY at, cls, id"
static const char EVENTS[] = EVENTS_SQL("SELECT b.state FROM cdr b WHERE b.account_id = ?1"
	" AND b.call_key = cdr_now.call_key AND b.billed_leg = 1");
static const char PG_EVENTS[] = EVENTS_SQL("SELECT b.state FROM cdr_call b WHERE b.account_id = ?1"
	" AND b.call_key = cdr_now.call_key");

static const char *cls_name(int cls)
{
	return cls == WALK_LEDGER ? "ledger" : cls == WALK_CDR ? "cdr" : "mdr";
}

/* Why a call must not carry the flag, NULL when it must (if suspended). */
static const char *never_flagged(int connected, int state, int has_leg, int leg_state)
{
	if (state == CDR_EMERGENCY)
		return "it is an emergency call (never suspended)";
	if (state == CDR_INTERNAL)
		return "it is an internal call (never suspended)";
	if (state == CDR_EXTRA_LEG && has_leg && leg_state == CDR_EMERGENCY)
		return "it is a leg of an emergency call (never suspended)";
	if (state == CDR_EXTRA_LEG && has_leg && leg_state == CDR_INTERNAL)
		return "it is a leg of an internal call (never suspended)";
	if (connected != 1)
		return "it did not connect";
	return NULL;
}

static void check_flag(vctx *v, const account_info *a, db_stmt *st, const ledger_walk *w)
{
	int cls = db_column_int(st, 1), flag = db_column_int(st, 8);
	int susp = w->status == LEDGER_SUSPENDED, want;
	const char *rec = (const char *)db_column_text(st, 9), *why = NULL;
	const char *what = cls == WALK_CDR ? "call" : "message";
	char since[32] = "";
	if (cls == WALK_CDR)
		why = never_flagged(db_column_int(st, 5), db_column_int(st, 6),
		                    db_column_type(st, 7) != DB_NULL, db_column_int(st, 7));
	want = susp && !why;
	if (flag == want)
		return;
	if (w->since != TM_NONE)
		tm_format(w->since, since, sizeof since);
	if (flag != 0 && flag != 1)
		verify_finding(v, "%s %s: suspended flag is %d, not 0 or 1", what, rec, flag);
	else if (want)
		verify_finding(v, "%s %s: not flagged as made while suspended, but account %s was suspended"
		               " (since %s)", what, rec, a->name, since);
	else if (why)
		verify_finding(v, "%s %s: flagged as made while suspended, but %s", what, rec, why);
	else if (since[0])
		verify_finding(v, "%s %s: flagged as made while suspended, but account %s was active then (since %s)",
		               what, rec, a->name, since);
	else
		verify_finding(v, "%s %s: flagged as made while suspended, but account %s was never suspended before it",
		               what, rec, a->name);
}

static int push(vtrans **t, size_t *n, size_t *cap, vtrans x)
{
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 32;
		vtrans *p = realloc(*t, nc * sizeof *p);
		if (!p)
			return -1;
		*t = p;
		*cap = nc;
	}
	(*t)[(*n)++] = x;
	return 0;
}

static void describe(const vtrans *t, char *buf, size_t n)
{
	char at[32];
	tm_format(t->at, at, sizeof at);
	snprintf(buf, n, "%s at %s, balance %" PRId64 ", cause %s %" PRId64, t->suspended ? "suspended" : "restored",
	         at, t->balance, cls_name(t->cls), t->cause_id);
}

/* The stored history against the fresh one, row by row in (at, id) order. */
static void check_history(vctx *v, const account_info *a, const vtrans *want, size_t n, int64_t from,
                          int64_t until)
{
	db_stmt *st;
	size_t i = 0;
	int rc;
	char wbuf[160], sbuf[160];
	if (db_prepare(v->db, "SELECT id, at, event, balance, cause_kind, cause_id FROM suspension"
	                       " WHERE account_id = ?1 AND at >= ?2 AND at < ?3 ORDER BY at, id", &st) != DB_OK) {
		v->status = db_fail(v->db, "verify suspensions");
		return;
	}
	db_bind_int64(st, 1, a->id);
	db_bind_int64(st, 2, from);
	db_bind_int64(st, 3, until);
	while ((rc = db_step(st)) == DB_ROW) {
		vtrans s;
		const char *ev = (const char *)db_column_text(st, 2);
		const char *cause = (const char *)db_column_text(st, 4);
		int64_t rid = db_column_int64(st, 0);
		memset(&s, 0, sizeof s);
		s.at = db_column_int64(st, 1);
		s.suspended = strcmp(ev, "suspended") == 0;
		s.balance = db_column_int64(st, 3);
		s.cause_id = db_column_int64(st, 5);
		s.cls = strcmp(cause, "ledger") == 0 ? WALK_LEDGER : strcmp(cause, "cdr") == 0 ? WALK_CDR
		      : strcmp(cause, "mdr") == 0 ? WALK_MDR : -1;
		if (i >= n) {
			describe(&s, sbuf, sizeof sbuf);
			verify_finding(v, "account %s: suspension row %" PRId64 " (%s) is not in a fresh walk",
			               a->name, rid, sbuf);
			continue;
		}
		const vtrans *w = &want[i++];
		describe(w, wbuf, sizeof wbuf);
		if (strcmp(ev, "suspended") != 0 && strcmp(ev, "restored") != 0)
			verify_finding(v, "account %s: suspension row %" PRId64 ": event \"%s\", a fresh walk gives %s",
			               a->name, rid, ev, wbuf);
		else if (s.suspended != w->suspended)
			verify_finding(v, "account %s: suspension row %" PRId64 ": event %s, a fresh walk gives %s",
			               a->name, rid, ev, wbuf);
		if (s.at != w->at) {
			char at[32];
			tm_format(s.at, at, sizeof at);
			verify_finding(v, "account %s: suspension row %" PRId64 ": time %s, a fresh walk gives %s",
			               a->name, rid, at, wbuf);
		}
		if (s.balance != w->balance)
			verify_finding(v, "account %s: suspension row %" PRId64 ": balance %" PRId64 ", a fresh walk gives %s",
			               a->name, rid, s.balance, wbuf);
		if (s.cls != w->cls || s.cause_id != w->cause_id)
			verify_finding(v, "account %s: suspension row %" PRId64 ": cause %s %" PRId64 ", a fresh walk gives %s",
			               a->name, rid, cause, s.cause_id, wbuf);
	}
	if (rc != DB_DONE)
		v->status = db_fail(v->db, "verify suspensions");
	db_finalize(st);
	for (; v->status == DB_OK && i < n; i++) {
		describe(&want[i], wbuf, sizeof wbuf);
		verify_finding(v, "account %s: suspension history lacks %s", a->name, wbuf);
	}
}

/* The walk position cached on the account row (walk_*), field by field. */
static void check_position(vctx *v, const account_info *a, const ledger_walk *w, int has_pos, int64_t at,
                           int cls, int64_t id)
{
	walk_acct s;
	if ((v->status = walk_load(v->db, a->id, &s)) != DB_OK)
		return;
	if (s.w.balance != w->balance)
		verify_finding(v, "account %s: walk_balance %" PRId64 ", a fresh walk gives %" PRId64 " (nano-units)", a->name,
		               s.w.balance, w->balance);
	if (s.w.status != w->status)
		verify_finding(v, "account %s: walk_status %s, a fresh walk gives %s", a->name,
		               s.w.status == LEDGER_SUSPENDED ? "suspended" : "active",
		               w->status == LEDGER_SUSPENDED ? "suspended" : "active");
	if (s.w.since != w->since) {
		char got[32] = "none", want[32] = "none (never suspended)";
		if (s.w.since != TM_NONE)
			tm_format(s.w.since, got, sizeof got);
		if (w->since != TM_NONE)
			tm_format(w->since, want, sizeof want);
		verify_finding(v, "account %s: walk_since %s, a fresh walk gives %s", a->name, got, want);
	}
	if (s.has_pos != has_pos)
		verify_finding(v, "account %s: walk_at %s, a fresh walk %s", a->name, s.has_pos ? "set" : "unset",
		               has_pos ? "has events" : "has no event");
	else if (has_pos && (s.at != at || s.cls != cls || s.id != id))
		verify_finding(v, "account %s: walk position (walk_at %" PRId64 ", walk_class %d, walk_id %" PRId64
		               "), a fresh walk ends at (%" PRId64 ", %d, %" PRId64 ")", a->name, s.at, s.cls, s.id,
		               at, cls, id);
}

/* The low-balance crossings (issue 10, alerts) a fresh walk gives, against
 * balance_mark, in order: a row missing, extra or different is named. A
 * crossing: the balance at or above the account's mark before an event,
 * below it after. */
static void check_marks(vctx *v, const account_info *a, const vtrans *want, size_t n, int64_t from,
                        int64_t until)
{
	db_stmt *st;
	size_t i = 0;
	int rc;
	char wbuf[160];
	if (db_prepare(v->db, "SELECT id, at, balance, cause_kind, cause_id FROM balance_mark"
	                       " WHERE account_id = ?1 AND at >= ?2 AND at < ?3 ORDER BY at, id", &st) != DB_OK) {
		v->status = db_fail(v->db, "verify low-balance crossings");
		return;
	}
	db_bind_int64(st, 1, a->id);
	db_bind_int64(st, 2, from);
	db_bind_int64(st, 3, until);
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t rid = db_column_int64(st, 0), at = db_column_int64(st, 1);
		money_t bal = db_column_int64(st, 2);
		const char *kind = (const char *)db_column_text(st, 3);
		int64_t cid = db_column_int64(st, 4);
		if (i == n) {
			verify_finding(v, "account %s: low-balance crossing row %" PRId64 " at %" PRId64
			               " is not in a fresh walk", a->name, rid, at);
			continue;
		}
		if (at != want[i].at || bal != want[i].balance || strcmp(kind ? kind : "", cls_name(want[i].cls))
		    || cid != want[i].cause_id) {
			snprintf(wbuf, sizeof wbuf, "at %" PRId64 ", balance %" PRId64 ", cause %s %" PRId64, want[i].at,
			         want[i].balance, cls_name(want[i].cls), want[i].cause_id);
			verify_finding(v, "account %s: low-balance crossing row %" PRId64 " (at %" PRId64 ", balance %" PRId64
			               "), a fresh walk gives %s", a->name, rid, at, bal, wbuf);
		}
		i++;
	}
	for (; rc == DB_DONE && i < n; i++) {
		snprintf(wbuf, sizeof wbuf, "at %" PRId64 ", balance %" PRId64 ", cause %s %" PRId64, want[i].at,
		         want[i].balance, cls_name(want[i].cls), want[i].cause_id);
		verify_finding(v, "account %s: low-balance crossing missing (a fresh walk gives %s)", a->name, wbuf);
	}
	if (rc != DB_DONE)
		v->status = db_fail(v->db, "verify low-balance crossings");
	db_finalize(st);
}

int verify_walk_start(db_t *db, int64_t account_id, vwalk_pos *out)
{
	archive_checkpoint cp;
	int rc;
	memset(out, 0, sizeof *out);
	out->from = INT64_MIN;
	ledger_walk_init(&out->w, 0, LEDGER_ACTIVE, TM_NONE);
	if ((rc = archive_checkpoint_get(db, account_id, &cp)) != DB_OK || !cp.hi)
		return rc;
	out->from = cp.hi;
	ledger_walk_init(&out->w, cp.balance, cp.status == LEDGER_SUSPENDED ? LEDGER_SUSPENDED : LEDGER_ACTIVE,
	                 cp.since);
	out->has_pos = cp.has_pos;
	out->at = cp.at;
	out->cls = cp.cls;
	out->id = cp.id;
	return DB_OK;
}

void verify_walk_range(vctx *v, const account_info *a, const vwalk_pos *start, int64_t until, vwalk_pos *end)
{
	db_stmt *st;
	vwalk_pos p = *start;
	vtrans *tr = NULL, *mk = NULL;
	size_t n = 0, cap = 0, nm = 0, mcap = 0;
	int rc;
	if (db_prepare(v->db, DB_SQL(v->db, EVENTS, PG_EVENTS), &st) != DB_OK) {
		v->status = db_fail(v->db, "verify walk");
		return;
	}
	db_bind_int64(st, 1, a->id);
	db_bind_int64(st, 2, start->from);
	db_bind_int64(st, 3, until);
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t at = db_column_int64(st, 0), id = db_column_int64(st, 2);
		int cls = db_column_int(st, 1);
		ledger_transition t;
		if (cls != WALK_LEDGER)
			check_flag(v, a, st, &p.w);
		if (!db_column_int(st, 4))
			continue; /* a call neither connected nor charged: not an event */
		money_t before = p.w.balance;
		t = ledger_walk_step(&p.w, at, db_column_int64(st, 3));
		p.has_pos = 1, p.at = at, p.cls = cls, p.id = id;
		if (a->has_low_balance && before >= a->low_balance && p.w.balance < a->low_balance
		    && push(&mk, &nm, &mcap, (vtrans){ at, id, cls, 0, p.w.balance }) != 0) {
			v->status = db_failf(v->db, DB_ENOMEM, "out of memory");
			break;
		}
		if (t != LEDGER_NO_CHANGE
		    && push(&tr, &n, &cap, (vtrans){ at, id, cls, t == LEDGER_BECAME_SUSPENDED, p.w.balance }) != 0) {
			v->status = db_failf(v->db, DB_ENOMEM, "out of memory");
			break;
		}
	}
	if (v->status == DB_OK && rc != DB_DONE)
		v->status = db_fail(v->db, "verify walk");
	db_finalize(st);
	if (v->status == DB_OK)
		check_history(v, a, tr, n, start->from, until);
	if (v->status == DB_OK)
		check_marks(v, a, mk, nm, start->from, until);
	p.from = until;
	*end = p;
	free(tr);
	free(mk);
}

void verify_walk_account(vctx *v, const account_info *a)
{
	vwalk_pos start, end;
	if ((v->status = verify_walk_start(v->db, a->id, &start)) != DB_OK)
		return;
	verify_walk_range(v, a, &start, INT64_MAX, &end);
	if (v->status == DB_OK)
		check_position(v, a, &end.w, end.has_pos, end.at, end.cls, end.id);
}

void verify_walk_orphans(vctx *v)
{
	db_stmt *st;
	int rc;
	if (db_prepare(v->db, "SELECT id, account_id FROM suspension"
	                       " WHERE account_id NOT IN (SELECT id FROM account)", &st) != DB_OK) {
		v->status = db_fail(v->db, "verify suspensions");
		return;
	}
	while ((rc = db_step(st)) == DB_ROW)
		verify_finding(v, "suspension row %lld: account %lld does not exist",
		               (long long)db_column_int64(st, 0), (long long)db_column_int64(st, 1));
	if (rc != DB_DONE)
		v->status = db_fail(v->db, "verify suspensions");
	db_finalize(st);
}
