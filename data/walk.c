/* walk.c: the suspension walk in the store. */
#include "walk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/tm.h"
#include "alert.h"
#include "archive.h"

static const char *cause_name(int cls)
{
	return cls == WALK_LEDGER ? "ledger" : cls == WALK_CDR ? "cdr" : "mdr";
}

int walk_load(db_t *db, int64_t account_id, walk_acct *out)
{
	db_stmt *st;
	int rc;
	memset(out, 0, sizeof *out);
	out->account_id = account_id;
	if (db_prepare(db, "SELECT walk_balance, walk_status, walk_since, walk_at,"
	                       " walk_class, walk_id, low_balance FROM account WHERE id = ?1", &st) != DB_OK)
		return db_fail(db, "load walk");
	db_bind_int64(st, 1, account_id);
	rc = db_step(st);
	if (rc == DB_ROW) {
		ledger_walk_init(&out->w, db_column_int64(st, 0),
		                 db_column_int(st, 1) ? LEDGER_SUSPENDED : LEDGER_ACTIVE,
		                 db_column_type(st, 2) == DB_NULL ? TM_NONE : db_column_int64(st, 2));
		out->has_pos = db_column_type(st, 3) != DB_NULL;
		out->at = db_column_int64(st, 3);
		out->cls = db_column_int(st, 4);
		out->id = db_column_int64(st, 5);
		out->has_mark = db_column_type(st, 6) != DB_NULL;
		out->mark = db_column_int64(st, 6);
	}
	db_finalize(st);
	return rc == DB_ROW ? DB_OK : db_failf(db, DB_ENOTFOUND, "no account with id %lld", (long long)account_id);
}

static int before_pos(const walk_acct *wa, int64_t at, int cls, int64_t id)
{
	if (!wa->has_pos)
		return 0;
	if (at != wa->at)
		return at < wa->at;
	if (cls != wa->cls)
		return cls < wa->cls;
	return id < wa->id;
}

static int insert_transition(db_t *db, int64_t account_id, int64_t at, ledger_transition tr,
                             money_t balance, int cls, int64_t id)
{
	db_stmt *st;
	int rc;
	if (db_prepare(db, "INSERT INTO suspension(account_id, at, event, balance,"
	                       " cause_kind, cause_id) VALUES(?1,?2,?3,?4,?5,?6)", &st) != DB_OK)
		return db_fail(db, "record suspension");
	db_bind_int64(st, 1, account_id);
	db_bind_int64(st, 2, at);
	db_bind_text(st, 3, tr == LEDGER_BECAME_SUSPENDED ? "suspended" : "restored", -1);
	db_bind_int64(st, 4, balance);
	db_bind_text(st, 5, cause_name(cls), -1);
	db_bind_int64(st, 6, id);
	rc = db_step(st);
	db_finalize(st);
	if (rc != DB_DONE)
		return db_fail(db, "record suspension");
	return alert_note(db, account_id, tr == LEDGER_BECAME_SUSPENDED ? "suspended" : "restored", at, balance,
	                  cause_name(cls), id);
}

/* Low-balance crossings (issue 10): a step from `before` to `after` that
 * goes from at or above the mark to below it is one crossing, recorded in
 * balance_mark with its alert; *crossed says whether it was one. With
 * dry = 1 nothing is written. */
static int mark_step(db_t *db, const walk_acct *wa, money_t before, int64_t at, int cls, int64_t id, int dry,
                     int *crossed)
{
	db_stmt *st;
	int rc;
	*crossed = wa->has_mark && before >= wa->mark && wa->w.balance < wa->mark;
	if (!*crossed || dry)
		return DB_OK;
	if (db_prepare(db, "INSERT INTO balance_mark(account_id, at, balance, mark, cause_kind, cause_id)"
	                       " VALUES(?1,?2,?3,?4,?5,?6)", &st) != DB_OK)
		return db_fail(db, "record low-balance crossing");
	db_bind_int64(st, 1, wa->account_id);
	db_bind_int64(st, 2, at);
	db_bind_int64(st, 3, wa->w.balance);
	db_bind_int64(st, 4, wa->mark);
	db_bind_text(st, 5, cause_name(cls), -1);
	db_bind_int64(st, 6, id);
	rc = db_step(st);
	db_finalize(st);
	if (rc != DB_DONE)
		return db_fail(db, "record low-balance crossing");
	return alert_note(db, wa->account_id, "low_balance", at, wa->w.balance, cause_name(cls), id);
}

int walk_event(db_t *db, walk_acct *wa, int64_t at, int cls, int64_t id, money_t delta,
               int *was_suspended)
{
	ledger_transition tr;
	money_t before = wa->w.balance;
	int crossed, st;
	*was_suspended = wa->w.status == LEDGER_SUSPENDED;
	if (wa->dirty || before_pos(wa, at, cls, id)) {
		if (!wa->dirty || at < wa->dirty_at)
			wa->dirty_at = at;
		wa->dirty = 1;
		return DB_OK;
	}
	tr = ledger_walk_step(&wa->w, at, delta);
	wa->has_pos = 1;
	wa->at = at;
	wa->cls = cls;
	wa->id = id;
	if ((st = mark_step(db, wa, before, at, cls, id, 0, &crossed)) != DB_OK)
		return st;
	if (tr != LEDGER_NO_CHANGE)
		return insert_transition(db, wa->account_id, at, tr, wa->w.balance, cls, id);
	return DB_OK;
}

static int save_position(db_t *db, const walk_acct *wa)
{
	db_stmt *st;
	int rc;
	if (db_prepare(db, "UPDATE account SET walk_balance=?2, walk_status=?3,"
	                       " walk_since=?4, walk_at=?5, walk_class=?6, walk_id=?7 WHERE id=?1", &st) != DB_OK)
		return db_fail(db, "save walk");
	db_bind_int64(st, 1, wa->account_id);
	db_bind_int64(st, 2, wa->w.balance);
	db_bind_int(st, 3, wa->w.status == LEDGER_SUSPENDED);
	if (wa->w.since != TM_NONE)
		db_bind_int64(st, 4, wa->w.since);
	if (wa->has_pos)
		db_bind_int64(st, 5, wa->at);
	db_bind_int(st, 6, wa->cls);
	db_bind_int64(st, 7, wa->id);
	rc = db_step(st);
	db_finalize(st);
	return rc == DB_DONE ? DB_OK : db_fail(db, "save walk");
}

static int rebuild(db_t *db, int64_t account_id, int dry, int64_t *diffs, int64_t from);

int walk_save(db_t *db, walk_acct *wa)
{
	if (wa->dirty) {
		int st = rebuild(db, wa->account_id, 0, NULL, tm_floor_hour(wa->dirty_at));
		if (st == DB_OK) {
			int64_t id = wa->account_id;
			st = walk_load(db, id, wa);
		}
		return st;
	}
	return save_position(db, wa);
}

/* The merged, ordered event stream of one account from time ?2 on, in the
 * walk's order (at, cls, id). `flaggable` marks events whose record gets a
 * suspended flag: connected calls that are not emergency or internal, nor
 * an extra leg of a call whose billed leg is (the second leg of a 911 call
 * is part of an emergency call: store.c flags it by the same rule); all
 * messages. `flag` is the flag the store holds.
 *
 * Three statements, each in its class's order, merged here: ledger and
 * messages come in (at, id) order from their (account, at) indexes (the
 * rowid ends the index); calls come in start order from cdr_acct_start
 * (src, dst... after it), so the calls of one start second are buffered
 * and sorted by id. One SQL statement with ORDER BY at, cls, id sorted
 * every event in a temporary b-tree first (a third of a rerate's walk);
 * the extra-leg test (a seek by call key) runs only for extra legs
 * (state 3) instead of for every call. */
static const char LEDGER_EV_SQL[] =
	"SELECT at, id, amount FROM ledger WHERE account_id = ?1 AND at >= ?2 ORDER BY at, id";
static const char CDR_EV_SQL[] =
	"SELECT start, id, -(cost + cnam_cost), CASE WHEN connected != 0 AND state NOT IN (4, 5) THEN 1 ELSE 0 END, state, suspended"
	" FROM cdr_now WHERE account_id = ?1 AND start >= ?2 AND (connected = 1 OR cost != 0 OR cnam_cost != 0)"
	" ORDER BY start";
/* The same on PostgreSQL: calls of one second in id order, as SQLite's index
 * scan gives them (the index ends with the rowid; a PostgreSQL scan need not
 * return ties in any order, and the walk attributes a transition to a call). */
static const char CDR_EV_SQL_PG[] =
	"SELECT start, id, -(cost + cnam_cost), CASE WHEN connected != 0 AND state NOT IN (4, 5) THEN 1 ELSE 0 END,"
	" state, suspended FROM cdr_now WHERE account_id = ?1 AND start >= ?2"
	" AND (connected = 1 OR cost != 0 OR cnam_cost != 0) ORDER BY start, id";
static const char MDR_EV_SQL[] =
	"SELECT at, id, -cost, suspended FROM mdr WHERE account_id = ?1 AND at >= ?2 ORDER BY at, id";
/* ?1 the account, ?2 an extra leg's id: its call's billed leg is an
 * emergency or internal call. */
static const char EXTRA_LEG_SQL[] =
	"SELECT EXISTS (SELECT 1 FROM cdr b WHERE b.account_id = ?1"
	" AND b.call_key = (SELECT call_key FROM cdr WHERE id = ?2) AND b.billed_leg = 1 AND b.state IN (4, 5))";
/* PostgreSQL: the billed legs of every month, archived ones too (cdr_call) */
static const char EXTRA_LEG_SQL_PG[] =
	"SELECT EXISTS (SELECT 1 FROM cdr_call b WHERE b.account_id = ?1"
	" AND b.call_key = (SELECT call_key FROM cdr WHERE id = ?2) AND b.state IN (4, 5))";

typedef struct {
	int64_t at, id;
	money_t delta;
	int cls, flaggable, flag;
} walk_ev;

typedef struct {
	db_t *db;
	int64_t account_id;
	db_stmt *q[3], *extra;  /* per class; the extra-leg test */
	int has[3];                  /* q[cls] holds a row not yet taken (ledger, mdr) */
	walk_ev head[3];             /* that row */
	walk_ev *calls;              /* the buffered calls of one start, sorted by id */
	size_t ncalls, icalls, ccap;
	walk_ev next_call;           /* the first call of the next start, when has[WALK_CDR] */
} ev_stream;

static int ev_row(ev_stream *s, int cls, walk_ev *e)
{
	db_stmt *q = s->q[cls];
	e->at = db_column_int64(q, 0);
	e->id = db_column_int64(q, 1);
	e->delta = db_column_int64(q, 2);
	e->cls = cls;
	if (cls == WALK_LEDGER) {
		e->flaggable = 0;
		e->flag = 0;
	} else if (cls == WALK_MDR) {
		e->flaggable = 1;
		e->flag = db_column_int(q, 3);
	} else {
		e->flaggable = db_column_int(q, 3);
		e->flag = db_column_int(q, 5);
		if (e->flaggable && db_column_int(q, 4) == 3) {
			int rc;
			db_bind_int64(s->extra, 1, s->account_id);
			db_bind_int64(s->extra, 2, e->id);
			rc = db_step(s->extra);
			if (rc == DB_ROW)
				e->flaggable = !db_column_int(s->extra, 0);
			db_reset(s->extra);
			if (rc != DB_ROW)
				return db_fail(s->db, "walk events");
		}
	}
	return DB_OK;
}

/* Step class cls's statement: has[cls] and head[cls] (for calls:
 * next_call) get its next row. */
static int ev_advance(ev_stream *s, int cls)
{
	int rc = db_step(s->q[cls]);
	s->has[cls] = rc == DB_ROW;
	if (rc == DB_ROW)
		return ev_row(s, cls, cls == WALK_CDR ? &s->next_call : &s->head[cls]);
	return rc == DB_DONE ? DB_OK : db_fail(s->db, "walk events");
}

static int cmp_ev_id(const void *x, const void *y)
{
	int64_t a = ((const walk_ev *)x)->id, b = ((const walk_ev *)y)->id;
	return a < b ? -1 : a > b;
}

/* The buffered calls are taken: buffer the next start's. */
static int ev_fill_calls(ev_stream *s)
{
	int st;
	s->ncalls = s->icalls = 0;
	if (!s->has[WALK_CDR])
		return DB_OK;
	int64_t start = s->next_call.at;
	do {
		if (s->ncalls == s->ccap) {
			size_t ncap = s->ccap ? s->ccap * 2 : 64;
			walk_ev *n = realloc(s->calls, ncap * sizeof *n);
			if (!n)
				return db_failf(s->db, DB_ENOMEM, "out of memory");
			s->calls = n;
			s->ccap = ncap;
		}
		s->calls[s->ncalls++] = s->next_call;
		if ((st = ev_advance(s, WALK_CDR)) != DB_OK)
			return st;
	} while (s->has[WALK_CDR] && s->next_call.at == start);
	if (s->ncalls > 1)
		qsort(s->calls, s->ncalls, sizeof *s->calls, cmp_ev_id);
	return DB_OK;
}

static void ev_close(ev_stream *s)
{
	for (int i = 0; i < 3; i++)
		db_finalize(s->q[i]);
	db_finalize(s->extra);
	free(s->calls);
}

static int ev_open(ev_stream *s, db_t *db, int64_t account_id, int64_t from)
{
	const char *const sql[3] = { LEDGER_EV_SQL, DB_SQL(db, CDR_EV_SQL, CDR_EV_SQL_PG), MDR_EV_SQL };
	int st;
	memset(s, 0, sizeof *s);
	s->db = db;
	s->account_id = account_id;
	if ((st = db_prepare(db, DB_SQL(db, EXTRA_LEG_SQL, EXTRA_LEG_SQL_PG), &s->extra)) != DB_OK)
		return st;
	for (int i = 0; i < 3; i++) {
		if ((st = db_prepare(db, sql[i], &s->q[i])) != DB_OK)
			return st;
		db_bind_int64(s->q[i], 1, account_id);
		db_bind_int64(s->q[i], 2, from);
		if ((st = ev_advance(s, i)) != DB_OK)
			return st;
	}
	return ev_fill_calls(s);
}

static int ev_before(const walk_ev *x, const walk_ev *y)
{
	if (x->at != y->at)
		return x->at < y->at;
	if (x->cls != y->cls)
		return x->cls < y->cls;
	return x->id < y->id;
}

/* The next event in walk order into *e (*got = 1), or *got = 0 at the
 * end. DB_OK or a status. */
static int ev_next(ev_stream *s, walk_ev *e, int *got)
{
	const walk_ev *best = NULL;
	int cls = -1;
	if (s->icalls < s->ncalls) {
		best = &s->calls[s->icalls];
		cls = WALK_CDR;
	}
	if (s->has[WALK_LEDGER] && (!best || ev_before(&s->head[WALK_LEDGER], best))) {
		best = &s->head[WALK_LEDGER];
		cls = WALK_LEDGER;
	}
	if (s->has[WALK_MDR] && (!best || ev_before(&s->head[WALK_MDR], best))) {
		best = &s->head[WALK_MDR];
		cls = WALK_MDR;
	}
	*got = best != NULL;
	if (!best)
		return DB_OK;
	*e = *best;
	if (cls == WALK_CDR)
		return ++s->icalls == s->ncalls ? ev_fill_calls(s) : DB_OK;
	return ev_advance(s, cls);
}

/* The walk's state just before `from` (an hour's start): the balance is the
 * ledger before it plus the hourly rollups before it (they hold every call
 * and message charge, and commit with their records); the status and its
 * time are those of the last transition before it. */
static int state_before(db_t *db, int64_t account_id, int64_t from, ledger_walk *w)
{
	db_stmt *st;
	money_t balance = 0;
	ledger_status status = LEDGER_ACTIVE;
	int64_t since = TM_NONE;
	int rc;
	if (db_prepare(db, "SELECT (SELECT COALESCE(SUM(amount), 0) FROM ledger WHERE account_id = ?1 AND at < ?2)"
	        " - (SELECT COALESCE(SUM(cost_calls + cost_cnam + cost_msg), 0) FROM rollup_hour"
	        "    WHERE account_id = ?1 AND hour < ?2)", &st) != DB_OK)
		return db_fail(db, "walk: balance before");
	db_bind_int64(st, 1, account_id);
	db_bind_int64(st, 2, from);
	rc = db_step(st);
	if (rc == DB_ROW)
		balance = db_column_int64(st, 0);
	db_finalize(st);
	if (rc != DB_ROW)
		return db_fail(db, "walk: balance before");
	if (db_prepare(db, "SELECT at, event FROM suspension WHERE account_id = ?1 AND at < ?2"
	                       " ORDER BY at DESC, id DESC LIMIT 1", &st) != DB_OK)
		return db_fail(db, "walk: status before");
	db_bind_int64(st, 1, account_id);
	db_bind_int64(st, 2, from);
	rc = db_step(st);
	if (rc == DB_ROW) {
		since = db_column_int64(st, 0);
		status = strcmp((const char *)db_column_text(st, 1), "suspended") == 0 ? LEDGER_SUSPENDED
		                                                                            : LEDGER_ACTIVE;
	}
	db_finalize(st);
	if (rc != DB_ROW && rc != DB_DONE)
		return db_fail(db, "walk: status before");
	ledger_walk_init(w, balance, status, since);
	return DB_OK;
}

typedef struct {
	int64_t at, id;
	int cls, tr;           /* tr: a ledger_transition, or MARK_ROW: a low-balance crossing */
	money_t balance;
} transition_row;

#define MARK_ROW (-1)

/* Compare the stored transitions with the recomputed ones (dry run). */
static int compare_transitions(db_t *db, int64_t account_id, const transition_row *rows, size_t n,
                               int64_t *diffs)
{
	db_stmt *st;
	size_t i = 0;
	if (db_prepare(db, "SELECT at, event, balance, cause_kind, cause_id FROM suspension"
	                       " WHERE account_id = ?1 ORDER BY at, id", &st) != DB_OK)
		return db_fail(db, "read suspensions");
	db_bind_int64(st, 1, account_id);
	while (db_step(st) == DB_ROW) {
		const char *ev = (const char *)db_column_text(st, 1);
		while (i < n && rows[i].tr == MARK_ROW)
			i++;
		const char *cause = (const char *)db_column_text(st, 3);
		if (i >= n || rows[i].at != db_column_int64(st, 0)
		    || strcmp(ev, rows[i].tr == LEDGER_BECAME_SUSPENDED ? "suspended" : "restored") != 0
		    || rows[i].balance != db_column_int64(st, 2)
		    || strcmp(cause, cause_name(rows[i].cls)) != 0 || rows[i].id != db_column_int64(st, 4))
			(*diffs)++;
		i++;
	}
	for (; i < n; i++)
		*diffs += rows[i].tr != MARK_ROW;
	db_finalize(st);
	return DB_OK;
}

/* The same for the low-balance crossings (the MARK_ROW rows) against
 * balance_mark, walked with the account's current mark. */
static int compare_marks(db_t *db, const walk_acct *wa, const transition_row *rows, size_t n, int64_t *diffs)
{
	db_stmt *st;
	size_t i = 0;
	if (db_prepare(db, "SELECT at, balance, mark, cause_kind, cause_id FROM balance_mark"
	                       " WHERE account_id = ?1 ORDER BY at, id", &st) != DB_OK)
		return db_fail(db, "read low-balance crossings");
	db_bind_int64(st, 1, wa->account_id);
	while (db_step(st) == DB_ROW) {
		while (i < n && rows[i].tr != MARK_ROW)
			i++;
		if (i >= n || rows[i].at != db_column_int64(st, 0) || rows[i].balance != db_column_int64(st, 1)
		    || wa->mark != db_column_int64(st, 2)
		    || strcmp((const char *)db_column_text(st, 3), cause_name(rows[i].cls)) != 0
		    || rows[i].id != db_column_int64(st, 4))
			(*diffs)++;
		i++;
	}
	for (; i < n; i++)
		*diffs += rows[i].tr == MARK_ROW;
	db_finalize(st);
	return DB_OK;
}

static int push_row(db_t *db, transition_row **rows, size_t *n, size_t *cap, transition_row r)
{
	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 64;
		transition_row *nr = realloc(*rows, ncap * sizeof *nr);
		if (!nr)
			return db_failf(db, DB_ENOMEM, "out of memory");
		*rows = nr;
		*cap = ncap;
	}
	(*rows)[(*n)++] = r;
	return DB_OK;
}

int walk_rebuild(db_t *db, int64_t account_id, int dry, int64_t *diffs)
{
	return rebuild(db, account_id, dry, diffs, INT64_MIN);
}

/* Walk the events from `from` on (INT64_MIN: all; dry runs always walk all),
 * starting from the state before it. */
static int clear_marks(db_t *db, int64_t account_id, int64_t from)
{
	db_stmt *del;
	int rc;
	if (db_prepare(db, "DELETE FROM balance_mark WHERE account_id = ?1 AND at >= ?2", &del) != DB_OK)
		return db_fail(db, "rebuild low-balance crossings");
	db_bind_int64(del, 1, account_id);
	db_bind_int64(del, 2, from);
	rc = db_step(del);
	db_finalize(del);
	return rc == DB_DONE ? DB_OK : db_fail(db, "rebuild low-balance crossings");
}

typedef struct {
	int64_t id;
	int cls, want;
} flag_flip;

/* PostgreSQL: a round trip a flag made a rebuild of the demo's 370,000
 * flags take 20 s; there they go FLIP_CHUNK at a time, as two arrays (ids,
 * flags) a class, joined by unnest. */
#define FLIP_CHUNK 8192

typedef struct {
	char *s;
	size_t len, cap;
} arrbuf; /* a PostgreSQL array literal of integers, "{1,2,3}" */

static int arr_put(arrbuf *b, const char *fmt, long long v)
{
	if (b->len + 32 > b->cap) {
		size_t nc = b->cap ? b->cap * 2 : 65536;
		char *ns = realloc(b->s, nc);
		if (!ns)
			return -1;
		b->s = ns;
		b->cap = nc;
	}
	b->len += (size_t)snprintf(b->s + b->len, b->cap - b->len, fmt, v);
	return 0;
}

static int write_flips_pg(db_t *db, const flag_flip *f, size_t n)
{
	static const char *const sql[2] = {
		"UPDATE cdr SET suspended = u.w FROM unnest(?1::bigint[], ?2::bigint[]) AS u(id, w) WHERE cdr.id = u.id",
		"UPDATE mdr SET suspended = u.w FROM unnest(?1::bigint[], ?2::bigint[]) AS u(id, w) WHERE mdr.id = u.id",
	};
	arrbuf ids = { 0 }, ws = { 0 };
	int st = DB_OK;
	for (int c = 0; c < 2 && st == DB_OK; c++) {
		int cls = c == 0 ? WALK_CDR : WALK_MDR;
		db_stmt *u = NULL;
		size_t i = 0;
		if ((st = db_prepare(db, sql[c], &u)) != DB_OK)
			break;
		while (st == DB_OK) {
			size_t k = 0;
			int bad = 0;
			ids.len = ws.len = 0;
			for (; i < n && k < FLIP_CHUNK && !bad; i++)
				if (f[i].cls == cls) {
					const char *fmt = k++ ? ",%lld" : "{%lld";
					bad |= arr_put(&ids, fmt, (long long)f[i].id) | arr_put(&ws, fmt, f[i].want);
				}
			if (!k)
				break;
			if (bad || arr_put(&ids, "}", 0) || arr_put(&ws, "}", 0)) {
				st = db_failf(db, DB_ENOMEM, "out of memory");
				break;
			}
			db_bind_text(u, 1, ids.s, (int)ids.len);
			db_bind_text(u, 2, ws.s, (int)ws.len);
			if (db_step(u) != DB_DONE)
				st = db_fail(db, "flag suspended records");
			db_reset(u);
		}
		db_finalize(u);
	}
	free(ids.s);
	free(ws.s);
	return st;
}

/* Write the flags that change, after the events are read (no statement
 * reads the tables while their rows are updated). */
static int write_flips(db_t *db, const flag_flip *f, size_t n)
{
	db_stmt *fc = NULL, *fm = NULL;
	int st;
	if (db_backend_is(db, "postgresql"))
		return write_flips_pg(db, f, n);
	if ((st = db_prepare(db, "UPDATE cdr SET suspended = ?2 WHERE id = ?1", &fc)) != DB_OK
	    || (st = db_prepare(db, "UPDATE mdr SET suspended = ?2 WHERE id = ?1", &fm)) != DB_OK)
		goto out;
	for (size_t i = 0; i < n; i++) {
		db_stmt *u = f[i].cls == WALK_CDR ? fc : fm;
		db_bind_int64(u, 1, f[i].id);
		db_bind_int(u, 2, f[i].want);
		if (db_step(u) != DB_DONE) {
			st = db_fail(db, "flag suspended record");
			goto out;
		}
		db_reset(u);
	}
out:
	db_finalize(fc);
	db_finalize(fm);
	return st;
}

static int rebuild(db_t *db, int64_t account_id, int dry, int64_t *diffs, int64_t from)
{
	ev_stream ev;
	walk_acct wa;
	walk_ev e;
	transition_row *trs = NULL;
	flag_flip *flips = NULL;
	size_t ntr = 0, cap = 0, nflips = 0, fcap = 0;
	int64_t local_diffs = 0;
	int rc, st = DB_OK, again = 0, cut = 0;

	memset(&ev, 0, sizeof ev);
	memset(&wa, 0, sizeof wa);
	wa.account_id = account_id;
	if (dry)
		from = INT64_MIN;
	{
		walk_acct cur; /* the account's low-balance mark */
		if ((st = walk_load(db, account_id, &cur)) != DB_OK)
			return st;
		wa.has_mark = cur.has_mark;
		wa.mark = cur.mark;
	}
	ledger_walk_init(&wa.w, 0, LEDGER_ACTIVE, TM_NONE);
	if (!dry) { /* PostgreSQL: the calls before the account's archive checkpoint are gone: walk from it */
		archive_checkpoint cp;
		if ((st = archive_checkpoint_get(db, account_id, &cp)) != DB_OK)
			return st;
		if (cp.hi && from < cp.hi) {
			from = cp.hi;
			wa.has_pos = cp.has_pos, wa.at = cp.at, wa.cls = cp.cls, wa.id = cp.id;
			cut = 1;
		}
	}
	if (from != INT64_MIN && (st = state_before(db, account_id, from, &wa.w)) != DB_OK)
		return st;
	if (!dry) {
		db_stmt *del;
		if (db_prepare(db, "DELETE FROM suspension WHERE account_id = ?1 AND at >= ?2", &del) != DB_OK)
			return db_fail(db, "rebuild suspensions");
		db_bind_int64(del, 1, account_id);
		db_bind_int64(del, 2, from);
		rc = db_step(del);
		db_finalize(del);
		if (rc != DB_DONE)
			return db_fail(db, "rebuild suspensions");
	}
	if (!dry && (st = clear_marks(db, account_id, from)) != DB_OK)
		return st;
	if ((st = ev_open(&ev, db, account_id, from)) != DB_OK)
		goto out;
	for (;;) {
		int got;
		if ((st = ev_next(&ev, &e, &got)) != DB_OK)
			goto out;
		if (!got)
			break;
		int want = e.flaggable && wa.w.status == LEDGER_SUSPENDED, crossed;
		money_t before = wa.w.balance;
		ledger_transition tr;
		/* a flag where none may be (an emergency call) is cleared too */
		if (want != e.flag) {
			if (dry) {
				local_diffs++;
			} else {
				if (nflips == fcap) {
					size_t ncap = fcap ? fcap * 2 : 256;
					flag_flip *nf = realloc(flips, ncap * sizeof *nf);
					if (!nf) {
						st = db_failf(db, DB_ENOMEM, "out of memory");
						goto out;
					}
					flips = nf;
					fcap = ncap;
				}
				flips[nflips++] = (flag_flip){ e.id, e.cls, want };
			}
		}
		tr = ledger_walk_step(&wa.w, e.at, e.delta);
		wa.has_pos = 1;
		wa.at = e.at;
		wa.cls = e.cls;
		wa.id = e.id;
		if ((st = mark_step(db, &wa, before, e.at, e.cls, e.id, dry, &crossed)) != DB_OK)
			goto out;
		if (dry && crossed && (st = push_row(db, &trs, &ntr, &cap, (transition_row){ e.at, e.id, e.cls, MARK_ROW,
		                                     wa.w.balance })) != DB_OK)
			goto out;
		if (tr == LEDGER_NO_CHANGE)
			continue;
		if (dry) {
			if ((st = push_row(db, &trs, &ntr, &cap, (transition_row){ e.at, e.id, e.cls, tr, wa.w.balance }))
			    != DB_OK)
				goto out;
		} else if ((st = insert_transition(db, account_id, e.at, tr, wa.w.balance, e.cls, e.id)) != DB_OK) {
			goto out;
		}
	}
	ev_close(&ev);
	memset(&ev, 0, sizeof ev);
	if (nflips && (st = write_flips(db, flips, nflips)) != DB_OK)
		goto out;
	if (dry) {
		walk_acct saved;
		if ((st = compare_transitions(db, account_id, trs, ntr, &local_diffs)) != DB_OK)
			goto out;
		if ((st = compare_marks(db, &wa, trs, ntr, &local_diffs)) != DB_OK)
			goto out;
		if ((st = walk_load(db, account_id, &saved)) != DB_OK)
			goto out;
		if (saved.w.balance != wa.w.balance || saved.w.status != wa.w.status
		    || saved.w.since != wa.w.since || saved.has_pos != wa.has_pos
		    || (wa.has_pos && (saved.at != wa.at || saved.cls != wa.cls || saved.id != wa.id)))
			local_diffs++;
		if (diffs)
			*diffs = local_diffs;
	} else if (from != INT64_MIN && !wa.has_pos && !cut) {
		again = 1; /* nothing from `from` on (cannot happen after walk_event): walk it all */
	} else if ((st = save_position(db, &wa)) == DB_OK) {
		st = alert_withdraw(db, account_id, from);
	}
out:
	free(trs);
	free(flips);
	ev_close(&ev);
	if (again)
		return rebuild(db, account_id, 0, NULL, INT64_MIN);
	return st;
}
