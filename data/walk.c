/* walk.c: the suspension walk in the store. */
#include "walk.h"

#include <stdlib.h>
#include <string.h>

#include "../core/tm.h"
#include "alert.h"

static const char *cause_name(int cls)
{
	return cls == WALK_LEDGER ? "ledger" : cls == WALK_CDR ? "cdr" : "mdr";
}

int walk_load(db_t *db, int64_t account_id, walk_acct *out)
{
	sqlite3_stmt *st;
	int rc;
	memset(out, 0, sizeof *out);
	out->account_id = account_id;
	if (sqlite3_prepare_v2(db->sql, "SELECT walk_balance, walk_status, walk_since, walk_at,"
	                       " walk_class, walk_id, low_balance FROM account WHERE id = ?1", -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, "load walk");
	sqlite3_bind_int64(st, 1, account_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		ledger_walk_init(&out->w, sqlite3_column_int64(st, 0),
		                 sqlite3_column_int(st, 1) ? LEDGER_SUSPENDED : LEDGER_ACTIVE,
		                 sqlite3_column_type(st, 2) == SQLITE_NULL ? TM_NONE : sqlite3_column_int64(st, 2));
		out->has_pos = sqlite3_column_type(st, 3) != SQLITE_NULL;
		out->at = sqlite3_column_int64(st, 3);
		out->cls = sqlite3_column_int(st, 4);
		out->id = sqlite3_column_int64(st, 5);
		out->has_mark = sqlite3_column_type(st, 6) != SQLITE_NULL;
		out->mark = sqlite3_column_int64(st, 6);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? DB_OK : db_failf(db, DB_ENOTFOUND, "no account with id %lld", (long long)account_id);
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
	sqlite3_stmt *st;
	int rc;
	if (sqlite3_prepare_v2(db->sql, "INSERT INTO suspension(account_id, at, event, balance,"
	                       " cause_kind, cause_id) VALUES(?1,?2,?3,?4,?5,?6)", -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, "record suspension");
	sqlite3_bind_int64(st, 1, account_id);
	sqlite3_bind_int64(st, 2, at);
	sqlite3_bind_text(st, 3, tr == LEDGER_BECAME_SUSPENDED ? "suspended" : "restored", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, balance);
	sqlite3_bind_text(st, 5, cause_name(cls), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, id);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
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
	sqlite3_stmt *st;
	int rc;
	*crossed = wa->has_mark && before >= wa->mark && wa->w.balance < wa->mark;
	if (!*crossed || dry)
		return DB_OK;
	if (sqlite3_prepare_v2(db->sql, "INSERT INTO balance_mark(account_id, at, balance, mark, cause_kind, cause_id)"
	                       " VALUES(?1,?2,?3,?4,?5,?6)", -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, "record low-balance crossing");
	sqlite3_bind_int64(st, 1, wa->account_id);
	sqlite3_bind_int64(st, 2, at);
	sqlite3_bind_int64(st, 3, wa->w.balance);
	sqlite3_bind_int64(st, 4, wa->mark);
	sqlite3_bind_text(st, 5, cause_name(cls), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, id);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
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
	sqlite3_stmt *st;
	int rc;
	if (sqlite3_prepare_v2(db->sql, "UPDATE account SET walk_balance=?2, walk_status=?3,"
	                       " walk_since=?4, walk_at=?5, walk_class=?6, walk_id=?7 WHERE id=?1",
	                       -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, "save walk");
	sqlite3_bind_int64(st, 1, wa->account_id);
	sqlite3_bind_int64(st, 2, wa->w.balance);
	sqlite3_bind_int(st, 3, wa->w.status == LEDGER_SUSPENDED);
	if (wa->w.since != TM_NONE)
		sqlite3_bind_int64(st, 4, wa->w.since);
	if (wa->has_pos)
		sqlite3_bind_int64(st, 5, wa->at);
	sqlite3_bind_int(st, 6, wa->cls);
	sqlite3_bind_int64(st, 7, wa->id);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? DB_OK : db_fail(db, "save walk");
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

/* The merged, ordered event stream of one account from time ?2 on.
 * `flaggable` marks events whose record gets a suspended flag: connected
 * calls that are not emergency or internal, nor an extra leg of a call
 * whose billed leg is (the second leg of a 911 call is part of an emergency
 * call: store.c flags it by the same rule); all messages. `flag` is the
 * flag the store holds. */
static const char EVENTS_SQL[] =
	"SELECT at, cls, id, delta, flaggable, flag FROM ("
	" SELECT at, 0 AS cls, id, amount AS delta, 0 AS flaggable, 0 AS flag"
	"   FROM ledger WHERE account_id = ?1 AND at >= ?2"
	" UNION ALL SELECT start, 1, id, -(cost + cnam_cost), connected AND state NOT IN (4, 5)"
	"   AND NOT (state = 3 AND EXISTS (SELECT 1 FROM cdr b WHERE b.account_id = ?1"
	"   AND b.call_key = cdr_now.call_key AND b.billed_leg = 1 AND b.state IN (4, 5))), suspended"
	"   FROM cdr_now WHERE account_id = ?1 AND start >= ?2 AND (connected = 1 OR cost != 0 OR cnam_cost != 0)"
	" UNION ALL SELECT at, 2, id, -cost, 1, suspended FROM mdr WHERE account_id = ?1 AND at >= ?2"
	") ORDER BY at, cls, id";

/* The walk's state just before `from` (an hour's start): the balance is the
 * ledger before it plus the hourly rollups before it (they hold every call
 * and message charge, and commit with their records); the status and its
 * time are those of the last transition before it. */
static int state_before(db_t *db, int64_t account_id, int64_t from, ledger_walk *w)
{
	sqlite3_stmt *st;
	money_t balance = 0;
	ledger_status status = LEDGER_ACTIVE;
	int64_t since = TM_NONE;
	int rc;
	if (sqlite3_prepare_v2(db->sql,
	        "SELECT (SELECT COALESCE(SUM(amount), 0) FROM ledger WHERE account_id = ?1 AND at < ?2)"
	        " - (SELECT COALESCE(SUM(cost_calls + cost_cnam + cost_msg), 0) FROM rollup_hour"
	        "    WHERE account_id = ?1 AND hour < ?2)", -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, "walk: balance before");
	sqlite3_bind_int64(st, 1, account_id);
	sqlite3_bind_int64(st, 2, from);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		balance = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return db_fail(db, "walk: balance before");
	if (sqlite3_prepare_v2(db->sql, "SELECT at, event FROM suspension WHERE account_id = ?1 AND at < ?2"
	                       " ORDER BY at DESC, id DESC LIMIT 1", -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, "walk: status before");
	sqlite3_bind_int64(st, 1, account_id);
	sqlite3_bind_int64(st, 2, from);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		since = sqlite3_column_int64(st, 0);
		status = strcmp((const char *)sqlite3_column_text(st, 1), "suspended") == 0 ? LEDGER_SUSPENDED
		                                                                            : LEDGER_ACTIVE;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
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
	sqlite3_stmt *st;
	size_t i = 0;
	if (sqlite3_prepare_v2(db->sql, "SELECT at, event, balance, cause_kind, cause_id FROM suspension"
	                       " WHERE account_id = ?1 ORDER BY at, id", -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, "read suspensions");
	sqlite3_bind_int64(st, 1, account_id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *ev = (const char *)sqlite3_column_text(st, 1);
		while (i < n && rows[i].tr == MARK_ROW)
			i++;
		const char *cause = (const char *)sqlite3_column_text(st, 3);
		if (i >= n || rows[i].at != sqlite3_column_int64(st, 0)
		    || strcmp(ev, rows[i].tr == LEDGER_BECAME_SUSPENDED ? "suspended" : "restored") != 0
		    || rows[i].balance != sqlite3_column_int64(st, 2)
		    || strcmp(cause, cause_name(rows[i].cls)) != 0 || rows[i].id != sqlite3_column_int64(st, 4))
			(*diffs)++;
		i++;
	}
	for (; i < n; i++)
		*diffs += rows[i].tr != MARK_ROW;
	sqlite3_finalize(st);
	return DB_OK;
}

/* The same for the low-balance crossings (the MARK_ROW rows) against
 * balance_mark, walked with the account's current mark. */
static int compare_marks(db_t *db, const walk_acct *wa, const transition_row *rows, size_t n, int64_t *diffs)
{
	sqlite3_stmt *st;
	size_t i = 0;
	if (sqlite3_prepare_v2(db->sql, "SELECT at, balance, mark, cause_kind, cause_id FROM balance_mark"
	                       " WHERE account_id = ?1 ORDER BY at, id", -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, "read low-balance crossings");
	sqlite3_bind_int64(st, 1, wa->account_id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		while (i < n && rows[i].tr != MARK_ROW)
			i++;
		if (i >= n || rows[i].at != sqlite3_column_int64(st, 0) || rows[i].balance != sqlite3_column_int64(st, 1)
		    || wa->mark != sqlite3_column_int64(st, 2)
		    || strcmp((const char *)sqlite3_column_text(st, 3), cause_name(rows[i].cls)) != 0
		    || rows[i].id != sqlite3_column_int64(st, 4))
			(*diffs)++;
		i++;
	}
	for (; i < n; i++)
		*diffs += rows[i].tr == MARK_ROW;
	sqlite3_finalize(st);
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
	sqlite3_stmt *del;
	int rc;
	if (sqlite3_prepare_v2(db->sql, "DELETE FROM balance_mark WHERE account_id = ?1 AND at >= ?2", -1, &del,
	                       NULL) != SQLITE_OK)
		return db_fail(db, "rebuild low-balance crossings");
	sqlite3_bind_int64(del, 1, account_id);
	sqlite3_bind_int64(del, 2, from);
	rc = sqlite3_step(del);
	sqlite3_finalize(del);
	return rc == SQLITE_DONE ? DB_OK : db_fail(db, "rebuild low-balance crossings");
}

static int rebuild(db_t *db, int64_t account_id, int dry, int64_t *diffs, int64_t from)
{
	sqlite3_stmt *ev = NULL, *fc = NULL, *fm = NULL;
	walk_acct wa;
	transition_row *trs = NULL;
	size_t ntr = 0, cap = 0;
	int64_t local_diffs = 0;
	int rc, st = DB_OK, again = 0;

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
	if (from != INT64_MIN && (st = state_before(db, account_id, from, &wa.w)) != DB_OK)
		return st;
	if ((st = db_prepare(db, EVENTS_SQL, &ev)) != DB_OK)
		return st;
	if (!dry && ((st = db_prepare(db, "UPDATE cdr SET suspended = ?2 WHERE id = ?1", &fc)) != DB_OK
	             || (st = db_prepare(db, "UPDATE mdr SET suspended = ?2 WHERE id = ?1", &fm)) != DB_OK))
		goto out;
	if (!dry) {
		sqlite3_stmt *del;
		if (sqlite3_prepare_v2(db->sql, "DELETE FROM suspension WHERE account_id = ?1 AND at >= ?2", -1, &del,
		                       NULL) != SQLITE_OK) {
			st = db_fail(db, "rebuild suspensions");
			goto out;
		}
		sqlite3_bind_int64(del, 1, account_id);
		sqlite3_bind_int64(del, 2, from);
		rc = sqlite3_step(del);
		sqlite3_finalize(del);
		if (rc != SQLITE_DONE) {
			st = db_fail(db, "rebuild suspensions");
			goto out;
		}
	}
	if (!dry && (st = clear_marks(db, account_id, from)) != DB_OK)
		goto out;
	sqlite3_bind_int64(ev, 1, account_id);
	sqlite3_bind_int64(ev, 2, from);
	while ((rc = sqlite3_step(ev)) == SQLITE_ROW) {
		int64_t at = sqlite3_column_int64(ev, 0), id = sqlite3_column_int64(ev, 2);
		int cls = sqlite3_column_int(ev, 1);
		int flaggable = sqlite3_column_int(ev, 4), flag = sqlite3_column_int(ev, 5);
		int want = flaggable && wa.w.status == LEDGER_SUSPENDED, crossed;
		money_t before = wa.w.balance;
		ledger_transition tr;
		/* a flag where none may be (an emergency call) is cleared too */
		if (want != flag) {
			if (dry) {
				local_diffs++;
			} else {
				sqlite3_stmt *u = cls == WALK_CDR ? fc : fm;
				sqlite3_bind_int64(u, 1, id);
				sqlite3_bind_int(u, 2, want);
				if (sqlite3_step(u) != SQLITE_DONE) {
					st = db_fail(db, "flag suspended record");
					goto out;
				}
				sqlite3_reset(u);
			}
		}
		tr = ledger_walk_step(&wa.w, at, sqlite3_column_int64(ev, 3));
		wa.has_pos = 1;
		wa.at = at;
		wa.cls = cls;
		wa.id = id;
		if ((st = mark_step(db, &wa, before, at, cls, id, dry, &crossed)) != DB_OK)
			goto out;
		if (dry && crossed && (st = push_row(db, &trs, &ntr, &cap, (transition_row){ at, id, cls, MARK_ROW,
		                                     wa.w.balance })) != DB_OK)
			goto out;
		if (tr == LEDGER_NO_CHANGE)
			continue;
		if (dry) {
			if ((st = push_row(db, &trs, &ntr, &cap, (transition_row){ at, id, cls, tr, wa.w.balance })) != DB_OK)
				goto out;
		} else if ((st = insert_transition(db, account_id, at, tr, wa.w.balance, cls, id)) != DB_OK) {
			goto out;
		}
	}
	if (rc != SQLITE_DONE) {
		st = db_fail(db, "walk events");
		goto out;
	}
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
	} else if (from != INT64_MIN && !wa.has_pos) {
		again = 1; /* nothing from `from` on (cannot happen after walk_event): walk it all */
	} else if ((st = save_position(db, &wa)) == DB_OK) {
		st = alert_withdraw(db, account_id, from);
	}
out:
	free(trs);
	sqlite3_finalize(ev);
	sqlite3_finalize(fc);
	sqlite3_finalize(fm);
	if (again)
		return rebuild(db, account_id, 0, NULL, INT64_MIN);
	return st;
}
