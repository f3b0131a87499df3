/* alert.c: the alert outbox (see alert.h). */
#include "alert.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "walk.h"

/* The upsert as two statements, an UPDATE of the row with the same key and
 * an INSERT when there is none: PostgreSQL's INSERT ... ON CONFLICT takes
 * an id from the identity even when it conflicts, so a re-walk that finds
 * its alert again left a gap, and the next alert's id (shown, and handed to
 * the hook as BILLTOP_ALERT_ID) differed from SQLite's. The caller holds
 * the account's write lock, so nothing comes between the two. */
int alert_note(db_t *db, int64_t account_id, const char *event, int64_t at, money_t balance,
               const char *cause_kind, int64_t cause_id)
{
	static const char *const sql[2] = {
		"UPDATE alert SET balance = ?4,"
		"  last_error = CASE status WHEN 'withdrawn' THEN NULL ELSE last_error END,"
		"  status = CASE status WHEN 'withdrawn' THEN 'pending' ELSE status END"
		" WHERE account_id = ?1 AND event = ?2 AND at = ?3 AND cause_kind = ?5 AND cause_id = ?6"
		" AND status NOT IN ('sending', 'sent')",
		"INSERT INTO alert(account_id, event, at, balance, cause_kind, cause_id, created)"
		" SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7 WHERE NOT EXISTS (SELECT 1 FROM alert"
		"  WHERE account_id = ?1 AND event = ?2 AND at = ?3 AND cause_kind = ?5 AND cause_id = ?6)",
	};
	for (int k = 0; k < 2; k++) {
		db_stmt *st;
		int rc;
		if (db_prepare(db, sql[k], &st) != DB_OK)
			return db_fail(db, "record alert");
		db_bind_int64(st, 1, account_id);
		db_bind_text(st, 2, event, -1);
		db_bind_int64(st, 3, at);
		db_bind_int64(st, 4, balance);
		db_bind_text(st, 5, cause_kind, -1);
		db_bind_int64(st, 6, cause_id);
		if (k == 1)
			db_bind_int64(st, 7, db_now());
		rc = db_step(st);
		db_finalize(st);
		if (rc != DB_DONE)
			return db_fail(db, "record alert");
	}
	return DB_OK;
}

/* An alert's transition as the walk holds it now (same key). */
#define TRANSITION_EXISTS                                                                                    \
	"(EXISTS(SELECT 1 FROM suspension s WHERE s.account_id = alert.account_id AND s.at = alert.at"            \
	"   AND s.event = alert.event AND s.cause_kind = alert.cause_kind AND s.cause_id = alert.cause_id)"      \
	" OR EXISTS(SELECT 1 FROM balance_mark m WHERE alert.event = 'low_balance'"                               \
	"   AND m.account_id = alert.account_id AND m.at = alert.at AND m.cause_kind = alert.cause_kind"           \
	"   AND m.cause_id = alert.cause_id))"

int alert_withdraw(db_t *db, int64_t account_id, int64_t from)
{
	db_stmt *st;
	int rc;
	if (db_prepare(db, "UPDATE alert SET status = 'withdrawn',"
	        " last_error = 'withdrawn: a re-walk of the records no longer has this transition'"
	        " WHERE account_id = ?1 AND at >= ?2 AND status IN ('pending', 'sending')"
	        " AND NOT " TRANSITION_EXISTS, &st) != DB_OK)
		return db_fail(db, "withdraw alerts");
	db_bind_int64(st, 1, account_id);
	db_bind_int64(st, 2, from);
	rc = db_step(st);
	db_finalize(st);
	return rc == DB_DONE ? DB_OK : db_fail(db, "withdraw alerts");
}

static int max_id(db_t *db, int64_t *out)
{
	db_stmt *st;
	int rc;
	if (db_prepare(db, "SELECT COALESCE(MAX(id), 0) FROM alert", &st) != DB_OK)
		return db_fail(db, "alerts");
	rc = db_step(st);
	*out = rc == DB_ROW ? db_column_int64(st, 0) : 0;
	db_finalize(st);
	return rc == DB_ROW ? DB_OK : db_fail(db, "alerts");
}

int alert_mark_changed(db_t *db, int64_t account_id, int64_t now)
{
	db_stmt *st;
	int64_t before;
	int rc;
	if ((rc = max_id(db, &before)) != DB_OK || (rc = walk_rebuild(db, account_id, 0, NULL)) != DB_OK)
		return rc;
	if (db_prepare(db, "UPDATE alert SET status = 'skipped', last_error = 'the low-balance mark was set after it'"
	        " WHERE id > ?1 AND account_id = ?2 AND event = 'low_balance' AND status = 'pending' AND at <= ?3", &st) != DB_OK)
		return db_fail(db, "alerts of a new mark");
	db_bind_int64(st, 1, before);
	db_bind_int64(st, 2, account_id);
	db_bind_int64(st, 3, now);
	rc = db_step(st);
	db_finalize(st);
	return rc == DB_DONE ? DB_OK : db_fail(db, "alerts of a new mark");
}

/* One statement in its own transaction; ?1 id, ?2 v, ?3 text (when given):
 * a statement without some of them leaves them unbound. */
static int exec_tx(db_t *db, const char *sql, int64_t id, int64_t v, const char *text, const char *what)
{
	db_stmt *st;
	int rc;
	if ((rc = db_begin(db, 1)) != DB_OK)
		return rc;
	if (db_prepare(db, sql, &st) != DB_OK) {
		rc = db_fail(db, what);
		db_rollback(db);
		return rc;
	}
	db_bind_int64(st, 1, id);
	db_bind_int64(st, 2, v);
	if (text)
		db_bind_text(st, 3, text, -1);
	rc = db_step(st);
	db_finalize(st);
	if (rc != DB_DONE) {
		rc = db_fail(db, what);
		db_rollback(db);
		return rc;
	}
	return db_commit(db);
}

int alert_recover(db_t *db, int64_t *n)
{
	int rc = exec_tx(db, "UPDATE alert SET status = 'pending', next_try = ?2,"
	                 " last_error = 'the watcher stopped while running the command: it may have been sent;"
	                 " sending again' WHERE status = 'sending'", 0, 0, NULL, "recover alerts");
	*n = rc == DB_OK ? db_changes(db) : 0;
	return rc;
}

int alert_set_sending(db_t *db, int64_t id)
{
	int rc = exec_tx(db, "UPDATE alert SET status = 'sending', attempts = attempts + 1"
	                 " WHERE id = ?1 AND status = 'pending'", id, 0, NULL, "alert sending");
	if (rc == DB_OK && db_changes(db) == 0)
		return db_failf(db, DB_EEXISTS, "alert %lld is no longer pending (another watcher took it)",
		                (long long)id);
	return rc;
}

int alert_set_sent(db_t *db, int64_t id, int64_t now)
{
	return exec_tx(db, "UPDATE alert SET status = 'sent', sent_at = ?2 WHERE id = ?1", id, now, NULL,
	               "alert sent");
}

int alert_set_failed(db_t *db, int64_t id, int64_t next_try, const char *error)
{
	return exec_tx(db, "UPDATE alert SET status = 'pending', next_try = ?2, last_error = ?3 WHERE id = ?1", id,
	               next_try, error, "alert failed");
}

#define ROW_COLS                                                                                             \
	"SELECT al.id, al.account_id, al.at, al.cause_id, al.created, al.attempts, al.next_try,"                  \
	" COALESCE(al.sent_at, 0), a.name, a.currency, a.decimals, al.event, al.status, al.balance,"              \
	" a.low_balance, al.cause_kind, COALESCE(al.last_error, ''),"                                             \
	" CASE al.cause_kind WHEN 'ledger' THEN (SELECT l.kind || ' ' || l.amount FROM ledger l"                  \
	"   WHERE l.id = al.cause_id)"                                                                            \
	"  WHEN 'cdr' THEN (SELECT c.record_id FROM cdr c WHERE c.id = al.cause_id)"                              \
	"  ELSE (SELECT m.record_id FROM mdr m WHERE m.id = al.cause_id) END"                                     \
	" FROM alert al JOIN account a ON a.id = al.account_id "

static void copy(char *dst, size_t n, const unsigned char *src)
{
	snprintf(dst, n, "%s", src ? (const char *)src : "");
}

static void read_row(db_stmt *st, alert_row *r)
{
	const char *what;
	memset(r, 0, sizeof *r);
	r->id = db_column_int64(st, 0);
	r->account_id = db_column_int64(st, 1);
	r->at = db_column_int64(st, 2);
	r->cause_id = db_column_int64(st, 3);
	r->created = db_column_int64(st, 4);
	r->attempts = db_column_int64(st, 5);
	r->next_try = db_column_int64(st, 6);
	r->sent_at = db_column_int64(st, 7);
	copy(r->account, sizeof r->account, db_column_text(st, 8));
	copy(r->currency, sizeof r->currency, db_column_text(st, 9));
	r->decimals = db_column_int(st, 10);
	copy(r->event, sizeof r->event, db_column_text(st, 11));
	copy(r->status, sizeof r->status, db_column_text(st, 12));
	r->balance = db_column_int64(st, 13);
	r->has_mark = db_column_type(st, 14) != DB_NULL;
	r->mark = db_column_int64(st, 14);
	copy(r->cause_kind, sizeof r->cause_kind, db_column_text(st, 15));
	copy(r->last_error, sizeof r->last_error, db_column_text(st, 16));
	what = (const char *)db_column_text(st, 17);
	if (strcmp(r->cause_kind, "ledger") == 0) {
		char amount[48] = "?", kind[32] = "?";
		long long nano;
		if (what && sscanf(what, "%31s %lld", kind, &nano) == 2)
			money_format(nano, r->decimals, amount, sizeof amount);
		snprintf(r->cause_ref, sizeof r->cause_ref, "%lld", (long long)r->cause_id);
		snprintf(r->cause, sizeof r->cause, "ledger entry %lld (%s %s)", (long long)r->cause_id, kind, amount);
	} else {
		copy(r->cause_ref, sizeof r->cause_ref, (const unsigned char *)what);
		snprintf(r->cause, sizeof r->cause, "%s %s", strcmp(r->cause_kind, "cdr") == 0 ? "call" : "message",
		         what ? what : "?");
	}
}

int alert_due(db_t *db, int64_t now, int ignore_backoff, int64_t as_of, alert_row **rows, size_t *n)
{
	db_stmt *st;
	alert_row *out = NULL;
	size_t cap = 0;
	int rc;
	*rows = NULL;
	*n = 0;
	/* The earliest unsent alert of each account, if it is due. */
	if (db_prepare(db, ROW_COLS
	        "WHERE al.id IN (SELECT (SELECT x.id FROM alert x WHERE x.account_id = p.account_id"
	        "   AND x.status IN ('pending', 'sending') ORDER BY x.at, x.id LIMIT 1)"
	        "  FROM (SELECT DISTINCT account_id FROM alert WHERE status IN ('pending', 'sending')) p)"
	        " AND al.status = 'pending' AND (?2 != 0 OR al.next_try <= ?1) AND al.at <= ?3 ORDER BY al.at, al.id", &st) != DB_OK)
		return db_fail(db, "due alerts");
	db_bind_int64(st, 1, now);
	db_bind_int(st, 2, ignore_backoff != 0);
	db_bind_int64(st, 3, as_of);
	while ((rc = db_step(st)) == DB_ROW) {
		if (*n == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			alert_row *nr = realloc(out, ncap * sizeof *nr);
			if (!nr) {
				db_finalize(st);
				free(out);
				return db_failf(db, DB_ENOMEM, "out of memory");
			}
			out = nr;
			cap = ncap;
		}
		read_row(st, &out[(*n)++]);
	}
	db_finalize(st);
	if (rc != DB_DONE) {
		free(out);
		*n = 0;
		return db_fail(db, "due alerts");
	}
	*rows = out;
	return DB_OK;
}

int alert_next_due(db_t *db, int64_t *at)
{
	db_stmt *st;
	int rc;
	*at = INT64_MAX;
	if (db_prepare(db, "SELECT MIN(next_try) FROM alert WHERE status = 'pending'", &st) != DB_OK)
		return db_fail(db, "next alert");
	rc = db_step(st);
	if (rc == DB_ROW && db_column_type(st, 0) != DB_NULL)
		*at = db_column_int64(st, 0);
	db_finalize(st);
	return rc == DB_ROW ? DB_OK : db_fail(db, "next alert");
}

int alert_each(db_t *db, int unsent_only, alert_fn fn, void *ctx)
{
	db_stmt *st;
	int rc;
	alert_row r;
	if (db_prepare(db, ROW_COLS "WHERE ?1 = 0 OR al.status IN ('pending', 'sending')"
	                       " ORDER BY al.at, al.id", &st) != DB_OK)
		return db_fail(db, "list alerts");
	db_bind_int(st, 1, unsent_only != 0);
	while ((rc = db_step(st)) == DB_ROW) {
		read_row(st, &r);
		if (fn(&r, ctx))
			break;
	}
	db_finalize(st);
	return rc == DB_ROW || rc == DB_DONE ? DB_OK : db_fail(db, "list alerts");
}

int alert_count(db_t *db, alert_counts *out)
{
	db_stmt *st;
	int rc;
	memset(out, 0, sizeof *out);
	if (db_prepare(db, "SELECT status, COUNT(*), SUM(CASE WHEN attempts > 0 THEN 1 ELSE 0 END) FROM alert GROUP BY status", &st) != DB_OK)
		return db_fail(db, "count alerts");
	while ((rc = db_step(st)) == DB_ROW) {
		const char *s = (const char *)db_column_text(st, 0);
		int64_t c = db_column_int64(st, 1);
		if (strcmp(s, "pending") == 0) {
			out->pending = c;
			out->failing = db_column_int64(st, 2);
		} else if (strcmp(s, "sending") == 0) {
			out->sending = c;
		} else if (strcmp(s, "sent") == 0) {
			out->sent = c;
		} else if (strcmp(s, "withdrawn") == 0) {
			out->withdrawn = c;
		} else {
			out->skipped = c;
		}
	}
	db_finalize(st);
	return rc == DB_DONE ? DB_OK : db_fail(db, "count alerts");
}

int alert_last(db_t *db, int64_t account_id, int64_t as_of, alert_row *out)
{
	db_stmt *st;
	int rc;
	if (db_prepare(db, ROW_COLS "WHERE al.account_id = ?1 AND al.status != 'withdrawn' AND al.at <= ?2"
	                       " ORDER BY al.at DESC, al.id DESC LIMIT 1", &st) != DB_OK)
		return db_fail(db, "last alert");
	db_bind_int64(st, 1, account_id);
	db_bind_int64(st, 2, as_of);
	rc = db_step(st);
	if (rc == DB_ROW)
		read_row(st, out);
	db_finalize(st);
	if (rc == DB_ROW)
		return DB_OK;
	return rc == DB_DONE ? db_failf(db, DB_ENOTFOUND, "no alerts") : db_fail(db, "last alert");
}

int alert_data_version(db_t *db, int64_t *v)
{
	/* db.h's change counter: PRAGMA data_version, or PostgreSQL's NOTIFY count */
	*v = db_data_version(db);
	if (*v < 0) {
		*v = 0;
		return db_failf(db, DB_ESQL, "data_version: the store's change counter cannot be read");
	}
	return DB_OK;
}
