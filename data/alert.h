/* alert.h: the alert outbox behind `billtop watch` (issue 10).
 *
 * An alert is one transition of one account: its low-balance mark crossed
 * downward ("low_balance"), "suspended" or "restored". The suspension walk
 * (walk.c) writes the alert row in the transaction that commits the
 * transition, keyed by (account, event, time, causing record), so a
 * transition has exactly one row however often the walk is re-run, and no
 * transition can be missed while no watcher runs. A watcher sends the
 * pending rows in order (per account by time, then id) and records each:
 *
 *   pending -> sending (committed before the command runs) -> sent
 *                                                          -> pending again
 *                                                             (attempts, last_error, next_try)
 *
 * The guarantee is at least once: a watcher killed while the command runs
 * leaves the row "sending", and the next watcher sends it again saying so.
 * A re-walk (late records) that shows a pending transition did not happen
 * withdraws it; a sent alert is history and stays as it is.
 *
 * Only data/ speaks SQL: the watcher (tui/cmd_watch.c) runs the command. */
#ifndef BILLTOP_ALERT_H
#define BILLTOP_ALERT_H

#include <stddef.h>
#include <stdint.h>
#include "../core/money.h"
#include "account.h"
#include "db.h"

typedef struct {
	int64_t id, account_id, at, cause_id, created, attempts, next_try, sent_at; /* sent_at 0: not sent */
	char account[ACCOUNT_NAME_MAX + 1];
	char currency[8];
	int decimals;
	char event[16];        /* low_balance | suspended | restored */
	char status[12];       /* pending | sending | sent | withdrawn | skipped */
	money_t balance;       /* the balance just after the causing record */
	int has_mark;
	money_t mark;          /* the account's low-balance mark (now) */
	char cause_kind[8];    /* ledger | cdr | mdr */
	char cause[200];       /* "ledger entry 12 (mrc -20.0000)", "call ID", "message ID" */
	char cause_ref[160];   /* the entry number, or the call's or message's record id */
	char last_error[256];
} alert_row;

/* Called by the walk for every transition and crossing it records: insert
 * the alert (pending) unless the same key is there. An unsent one with the
 * key takes the balance of the new walk (late records before it change the
 * balance, not the transition), and a withdrawn one becomes pending again;
 * a sent (or sending) one keeps what was sent. */
int alert_note(db_t *db, int64_t account_id, const char *event, int64_t at, money_t balance,
               const char *cause_kind, int64_t cause_id);

/* Called by the walk after re-walking an account from `from`: pending or
 * sending alerts from then on whose transition is gone become withdrawn. */
int alert_withdraw(db_t *db, int64_t account_id, int64_t from);

/* The account's low-balance mark changed (inside the caller's transaction):
 * walk the account again with the new mark; crossings it finds up to `now`
 * were history before the mark existed and are recorded skipped, not sent;
 * pending alerts of crossings the new mark does not have are withdrawn. */
int alert_mark_changed(db_t *db, int64_t account_id, int64_t now);

/* Rows in "sending" (a watcher stopped while running the command) go back
 * to pending with a note; *n receives how many. Own transaction. */
int alert_recover(db_t *db, int64_t *n);

/* The pending alerts due at `now` (next_try <= now, or all with
 * ignore_backoff), in sending order, at most one per account: the earliest
 * unsent one (a later alert of an account waits for the earlier). Only
 * transitions at or before `as_of` (db_now: a record dated later, scheduled
 * or from a switch whose clock runs ahead, alerts when its time comes).
 * `now` is the wall clock of the backoff. *rows is malloc'ed (caller
 * frees), *n its length. */
int alert_due(db_t *db, int64_t now, int ignore_backoff, int64_t as_of, alert_row **rows, size_t *n);

/* The earliest time a pending alert is due (INT64_MAX: none). */
int alert_next_due(db_t *db, int64_t *at);

/* State changes, each its own committed transaction. sending claims a
 * pending alert and counts the attempt (DB_EEXISTS: it is not pending any
 * more, another watcher took it). failed puts it back to pending with the
 * error and the time of the next try. */
int alert_set_sending(db_t *db, int64_t id);
int alert_set_sent(db_t *db, int64_t id, int64_t now);
int alert_set_failed(db_t *db, int64_t id, int64_t next_try, const char *error);

/* Every alert (unsent_only: pending and sending), oldest first, for
 * `watch --status`. fn returns non-zero to stop. */
typedef int (*alert_fn)(const alert_row *a, void *ctx);
int alert_each(db_t *db, int unsent_only, alert_fn fn, void *ctx);

/* Counts by status for a summary. */
typedef struct {
	int64_t pending, sending, sent, withdrawn, skipped, failing; /* failing: pending with attempts > 0 */
} alert_counts;
int alert_count(db_t *db, alert_counts *out);

/* The account's latest alert at or before as_of that is not withdrawn (the
 * console's accounts list). DB_ENOTFOUND when it has none. */
int alert_last(db_t *db, int64_t account_id, int64_t as_of, alert_row *out);

/* PRAGMA data_version: changes when another connection commits. */
int alert_data_version(db_t *db, int64_t *v);

#endif
