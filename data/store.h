/* store.h: the record writer shared by every import path and the demo.
 *
 * A store_writer rates call records against the account's deck, inserts
 * CDRs/MDRs/ledger entries, accumulates the hourly and destination rollups
 * and steps the suspension walk. It does not own the transaction: the caller
 * begins one, writes, calls store_finish (flushes rollups and walks) and
 * commits, or rolls back and frees. Nothing is visible until the commit.
 *
 * Outcomes: a record is inserted (rated, unrated, not connected, emergency,
 * internal, or an extra leg of an already billed call), or a duplicate of one already stored
 * (same record id: nothing changes), or rejected (unknown account). */
#ifndef BILLTOP_STORE_H
#define BILLTOP_STORE_H

#include <stdint.h>
#include "../core/dialplan.h"
#include "../core/ledger.h"
#include "cdr.h"
#include "db.h"

/* cdr.state values. INTERNAL (issue 9): a connected call of an account
 * with a dial plan to an extension, feature code or voicemail (never
 * charged, never unrated, counted apart). */
enum { CDR_RATED = 0, CDR_UNRATED = 1, CDR_NOT_CONNECTED = 2, CDR_EXTRA_LEG = 3, CDR_EMERGENCY = 4,
       CDR_INTERNAL = 5 };
const char *store_cdr_state_name(int state);

typedef struct {
	const char *record_id;   /* dedupe key, never NULL */
	const char *account;
	int64_t at;
	const char *direction;   /* "inbound" / "outbound" */
	const char *src, *dst;
	const char *type;        /* "sms" / "mms" */
	int segments;
	money_t cost;            /* charged as given (exact) */
} mdr_rec;

typedef struct {
	const char *source;        /* namespace for record ids: "asterisk", "flowroute", ... */
	const char *account;       /* --account: overrides the record's account, or NULL */
	int create_accounts;       /* unknown accounts are created instead of rejected */
	int64_t import_id;         /* stored on each record, 0 for none */
} store_opts;

typedef struct {
	int64_t inserted, duplicates, rated, unrated, not_connected, extra_legs, emergency, messages;
	int64_t internal;          /* calls stored as internal (dial plans, issue 9) */
	/* calls written as several rows: distinct (account, call key) pairs
	 * that two or more rows stored by this writer carried; counted by
	 * store_finish when store_count_calls was called, else 0 */
	int64_t multi_row_calls;
	int64_t accounts_created;  /* by create_accounts */
	int64_t dated_later;       /* records stored dated after the clock (a switch clock running
	                              ahead?): they count from their own time (README "As of now") */
	money_t charged;           /* sum of costs written (calls + cnam + messages) */
} store_stats;

enum { STORE_INSERTED = 0, STORE_DUPLICATE, STORE_REJECT };

typedef struct store_writer store_writer;



/* opts is copied; its strings must outlive the writer. NULL on out of memory. */
store_writer *store_new(db_t *db, const store_opts *opts);
/* Accounts the writer creates (create_accounts) get the deck named `deck`
 * (borrowed: must outlive the writer; NULL for none, the default). */
void store_set_new_deck(store_writer *w, const char *deck);
/* On a PostgreSQL store: queue call and message records and write them a
 * batch at a time (COPY; store_batch.c), at the latest in store_finish.
 * store_cdr's and store_mdr's outcome is then STORE_INSERTED for a row they
 * do not reject, and the row is not in
 * the store yet: for writers that read only the stats (the importer, not its
 * preview). A no-op on SQLite. */
void store_defer_rows(store_writer *w);
/* Count stats.multi_row_calls (8 bytes of memory a stored row with a call
 * key, sorted once by store_finish). Imports ask for it; the live feed
 * does not. */
void store_count_calls(store_writer *w);
void store_free(store_writer *w);

/* Write one call record. *outcome gets STORE_*; for STORE_REJECT `why` says
 * why (no FILE:LINE prefix). Returns DB_OK unless the database failed. */
int store_cdr(store_writer *w, const cdr_rec *r, int *outcome, char *why, size_t whylen);

/* The state a connected-or-not call gets from its destination alone under
 * an account's dial plan `plan` (NULL: none): CDR_INTERNAL, CDR_EMERGENCY,
 * CDR_UNRATED (invalid number, *d says why) or CDR_RATED meaning "to be
 * rated on d->digits". Not connected calls are CDR_NOT_CONNECTED whatever
 * the number. Shared by the writer and `billtop verify`. */
int store_plan_state(const dialplan *plan, const char *dst, int connected, dial_result *d);
int store_mdr(store_writer *w, const mdr_rec *m, int *outcome, char *why, size_t whylen);

/* Post a ledger entry (amount already signed, see ledger_signed_amount).
 * *entry_id receives the new id. */
int store_ledger(store_writer *w, int64_t account_id, ledger_kind kind, money_t amount,
                 const char *memo, int64_t at, int64_t *entry_id);
/* The same with an idempotency key (NULL or "" for none): the insert fails
 * (DB_ECONSTRAINT, DB_ESQL) when the account already has an entry with
 * that ref; post.c looks first, in the same transaction. */
int store_ledger_ref(store_writer *w, int64_t account_id, ledger_kind kind, money_t amount,
                     const char *memo, int64_t at, const char *ref, int64_t *entry_id);

/* Use the writer for another transaction (a follower commits in batches):
 * call after db_begin of the next one. The cached accounts, walks and decks
 * are kept when no other connection has committed since the writer last
 * looked (PRAGMA data_version) and `reload` is 0; otherwise they are loaded
 * afresh, as they must be after a rollback (the walks in memory would be
 * ahead of the database). Stats keep counting. */
int store_next(store_writer *w, int reload);

/* Flush rollups and walks. Call before committing. */
int store_finish(store_writer *w);
const store_stats *store_get_stats(const store_writer *w);

#endif
