/* alert.c: the alert outbox (see alert.h). */
#include "alert.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "walk.h"

int alert_note(db_t *db, int64_t account_id, const char *event, int64_t at, money_t balance,
               const char *cause_kind, int64_t cause_id)
{
	sqlite3_stmt *st;
	int rc;
	if (sqlite3_prepare_v2(db->sql,
	        "INSERT INTO alert(account_id, event, at, balance, cause_kind, cause_id, created)"
	        " VALUES(?1,?2,?3,?4,?5,?6,?7)"
	        " ON CONFLICT(account_id, event, at, cause_kind, cause_id) DO UPDATE"
	        " SET balance = excluded.balance,"
	        "  last_error = CASE status WHEN 'withdrawn' THEN NULL ELSE last_error END,"
	        "  status = CASE status WHEN 'withdrawn' THEN 'pending' ELSE status END"
	        " WHERE status NOT IN ('sending', 'sent')", -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, "record alert");
	sqlite3_bind_int64(st, 1, account_id);
	sqlite3_bind_text(st, 2, event, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, at);
	sqlite3_bind_int64(st, 4, balance);
	sqlite3_bind_text(st, 5, cause_kind, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, cause_id);
	sqlite3_bind_int64(st, 7, db_now());
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? DB_OK : db_fail(db, "record alert");
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
	sqlite3_stmt *st;
	int rc;
	if (sqlite3_prepare_v2(db->sql,
	        "UPDATE alert SET status = 'withdrawn',"
	        " last_error = 'withdrawn: a re-walk of the records no longer has this transition'"
	        " WHERE account_id = ?1 AND at >= ?2 AND status IN ('pending', 'sending')"
	        " AND NOT " TRANSITION_EXISTS, -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, "withdraw alerts");
	sqlite3_bind_int64(st, 1, account_id);
	sqlite3_bind_int64(st, 2, from);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? DB_OK : db_fail(db, "withdraw alerts");
}

static int max_id(db_t *db, int64_t *out)
{
	sqlite3_stmt *st;
	int rc;
	if (sqlite3_prepare_v2(db->sql, "SELECT COALESCE(MAX(id), 0) FROM alert", -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, "alerts");
	rc = sqlite3_step(st);
	*out = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? DB_OK : db_fail(db, "alerts");
}

int alert_mark_changed(db_t *db, int64_t account_id, int64_t now)
{
	sqlite3_stmt *st;
	int64_t before;
	int rc;
	if ((rc = max_id(db, &before)) != DB_OK || (rc = walk_rebuild(db, account_id, 0, NULL)) != DB_OK)
		return rc;
	if (sqlite3_prepare_v2(db->sql,
	        "UPDATE alert SET status = 'skipped', last_error = 'the low-balance mark was set after it'"
	        " WHERE id > ?1 AND account_id = ?2 AND event = 'low_balance' AND status = 'pending' AND at <= ?3",
	        -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, "alerts of a new mark");
	sqlite3_bind_int64(st, 1, before);
	sqlite3_bind_int64(st, 2, account_id);
	sqlite3_bind_int64(st, 3, now);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? DB_OK : db_fail(db, "alerts of a new mark");
}

/* One statement in its own transaction; ?1 id, ?2 v, ?3 text (when given):
 * a statement without some of them leaves them unbound. */
static int exec_tx(db_t *db, const char *sql, int64_t id, int64_t v, const char *text, const char *what)
{
	sqlite3_stmt *st;
	int rc;
	if ((rc = db_begin(db)) != DB_OK)
		return rc;
	if (sqlite3_prepare_v2(db->sql, sql, -1, &st, NULL) != SQLITE_OK) {
		rc = db_fail(db, what);
		db_rollback(db);
		return rc;
	}
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, v);
	if (text)
		sqlite3_bind_text(st, 3, text, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
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
	*n = rc == DB_OK ? sqlite3_changes(db->sql) : 0;
	return rc;
}

int alert_set_sending(db_t *db, int64_t id)
{
	int rc = exec_tx(db, "UPDATE alert SET status = 'sending', attempts = attempts + 1"
	                 " WHERE id = ?1 AND status = 'pending'", id, 0, NULL, "alert sending");
	if (rc == DB_OK && sqlite3_changes(db->sql) == 0)
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

static void read_row(sqlite3_stmt *st, alert_row *r)
{
	const char *what;
	memset(r, 0, sizeof *r);
	r->id = sqlite3_column_int64(st, 0);
	r->account_id = sqlite3_column_int64(st, 1);
	r->at = sqlite3_column_int64(st, 2);
	r->cause_id = sqlite3_column_int64(st, 3);
	r->created = sqlite3_column_int64(st, 4);
	r->attempts = sqlite3_column_int64(st, 5);
	r->next_try = sqlite3_column_int64(st, 6);
	r->sent_at = sqlite3_column_int64(st, 7);
	copy(r->account, sizeof r->account, sqlite3_column_text(st, 8));
	copy(r->currency, sizeof r->currency, sqlite3_column_text(st, 9));
	r->decimals = sqlite3_column_int(st, 10);
	copy(r->event, sizeof r->event, sqlite3_column_text(st, 11));
	copy(r->status, sizeof r->status, sqlite3_column_text(st, 12));
	r->balance = sqlite3_column_int64(st, 13);
	r->has_mark = sqlite3_column_type(st, 14) != SQLITE_NULL;
	r->mark = sqlite3_column_int64(st, 14);
	copy(r->cause_kind, sizeof r->cause_kind, sqlite3_column_text(st, 15));
	copy(r->last_error, sizeof r->last_error, sqlite3_column_text(st, 16));
	what = (const char *)sqlite3_column_text(st, 17);
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
	sqlite3_stmt *st;
	alert_row *out = NULL;
	size_t cap = 0;
	int rc;
	*rows = NULL;
	*n = 0;
	/* The earliest unsent alert of each account, if it is due. */
	if (sqlite3_prepare_v2(db->sql, ROW_COLS
	        "WHERE al.id IN (SELECT (SELECT x.id FROM alert x WHERE x.account_id = p.account_id"
	        "   AND x.status IN ('pending', 'sending') ORDER BY x.at, x.id LIMIT 1)"
	        "  FROM (SELECT DISTINCT account_id FROM alert WHERE status IN ('pending', 'sending')) p)"
	        " AND al.status = 'pending' AND (?2 OR al.next_try <= ?1) AND al.at <= ?3 ORDER BY al.at, al.id", -1, &st,
	        NULL) != SQLITE_OK)
		return db_fail(db, "due alerts");
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int(st, 2, ignore_backoff != 0);
	sqlite3_bind_int64(st, 3, as_of);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			alert_row *nr = realloc(out, ncap * sizeof *nr);
			if (!nr) {
				sqlite3_finalize(st);
				free(out);
				return db_failf(db, DB_ENOMEM, "out of memory");
			}
			out = nr;
			cap = ncap;
		}
		read_row(st, &out[(*n)++]);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(out);
		*n = 0;
		return db_fail(db, "due alerts");
	}
	*rows = out;
	return DB_OK;
}

int alert_next_due(db_t *db, int64_t *at)
{
	sqlite3_stmt *st;
	int rc;
	*at = INT64_MAX;
	if (sqlite3_prepare_v2(db->sql, "SELECT MIN(next_try) FROM alert WHERE status = 'pending'", -1, &st,
	                       NULL) != SQLITE_OK)
		return db_fail(db, "next alert");
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
		*at = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? DB_OK : db_fail(db, "next alert");
}

int alert_each(db_t *db, int unsent_only, alert_fn fn, void *ctx)
{
	sqlite3_stmt *st;
	int rc;
	alert_row r;
	if (sqlite3_prepare_v2(db->sql, ROW_COLS "WHERE ?1 = 0 OR al.status IN ('pending', 'sending')"
	                       " ORDER BY al.at, al.id", -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, "list alerts");
	sqlite3_bind_int(st, 1, unsent_only != 0);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		read_row(st, &r);
		if (fn(&r, ctx))
			break;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? DB_OK : db_fail(db, "list alerts");
}

int alert_count(db_t *db, alert_counts *out)
{
	sqlite3_stmt *st;
	int rc;
	memset(out, 0, sizeof *out);
	if (sqlite3_prepare_v2(db->sql, "SELECT status, COUNT(*), SUM(attempts > 0) FROM alert GROUP BY status", -1,
	                       &st, NULL) != SQLITE_OK)
		return db_fail(db, "count alerts");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *s = (const char *)sqlite3_column_text(st, 0);
		int64_t c = sqlite3_column_int64(st, 1);
		if (strcmp(s, "pending") == 0) {
			out->pending = c;
			out->failing = sqlite3_column_int64(st, 2);
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
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? DB_OK : db_fail(db, "count alerts");
}

int alert_last(db_t *db, int64_t account_id, int64_t as_of, alert_row *out)
{
	sqlite3_stmt *st;
	int rc;
	if (sqlite3_prepare_v2(db->sql, ROW_COLS "WHERE al.account_id = ?1 AND al.status != 'withdrawn' AND al.at <= ?2"
	                       " ORDER BY al.at DESC, al.id DESC LIMIT 1", -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, "last alert");
	sqlite3_bind_int64(st, 1, account_id);
	sqlite3_bind_int64(st, 2, as_of);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		read_row(st, out);
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return DB_OK;
	return rc == SQLITE_DONE ? db_failf(db, DB_ENOTFOUND, "no alerts") : db_fail(db, "last alert");
}

int alert_data_version(db_t *db, int64_t *v)
{
	sqlite3_stmt *st;
	int rc;
	if (sqlite3_prepare_v2(db->sql, "PRAGMA data_version", -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, "data_version");
	rc = sqlite3_step(st);
	*v = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? DB_OK : db_fail(db, "data_version");
}
