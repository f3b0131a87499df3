/* store_int.h: what store.c and store_batch.c (the PostgreSQL import's
 * batches) share: the writer's state and the per-row bookkeeping. data/ only. */
#ifndef BILLTOP_STORE_INT_H
#define BILLTOP_STORE_INT_H

#include "../core/rate.h"
#include "store.h"
#include "account.h"
#include "rollup.h"
#include "walk.h"

typedef struct store_batch store_batch;

typedef struct {
	account_info info;
	const rate_deck *deck;   /* borrowed from the writer's deck cache; NULL if none */
	walk_acct walk;
	int walk_loaded;
	unsigned tx;             /* the writer's transaction it was locked and read in (store_next) */
} acct_entry;

typedef struct {
	int64_t deck_id;
	rate_deck *deck;
} deck_entry;

struct store_writer {
	db_t *db;
	store_opts opts;
	store_stats stats;
	acct_entry *accts;
	size_t nacct, acap;
	acct_entry *last;        /* fast path: consecutive records of one account */
	deck_entry *decks;
	size_t ndeck;
	rollup *roll;
	int64_t data_version;    /* other connections' commits seen (store_next) */
	unsigned tx;             /* counts transactions (store_next): an entry of an older one is locked again */
	/* PostgreSQL: cdr is partitioned by month (pg/schema.sql.h); the month
	 * [month_lo, month_hi) has its partition (NULL on SQLite) */
	db_stmt *ens_month;
	int64_t month_lo, month_hi;
	/* PostgreSQL: a second connection (store_i_side), autocommit: new
	 * months are created and committed there (store_ensure_month), and the
	 * batches look up there; mon: [lo, hi) of the last 16 months it made
	 * or found */
	db_t *side;
	int side_failed;
	db_stmt *side_month;
	int64_t mon[16][2];
	unsigned nmon;
	db_stmt *ins_cdr, *ins_mdr, *ins_ledger, *find_rec, *find_leg, *find_legacy;
	/* store_count_calls: digests of (account, call key), one per row */
	int count_calls;
	uint64_t *keys;
	size_t nkeys, kcap;
	const char *new_deck;    /* store_set_new_deck */
	int64_t now;             /* the clock when the writer was made: records after it are counted */
	char keybuf[512];
	store_batch *batch;     /* PostgreSQL imports: rows queued (store_batch.c), or NULL */
};

typedef struct {
	int state, billed_leg;
	const rate_row *row;
	rate_result res;
	char norm[64];
	char reason[200];          /* why unrated, "" otherwise */
} rating;

enum { CONFLICT_DUPLICATE, CONFLICT_BILLED_LEG };

/* The writer's second connection (opened at the first call), or NULL when
 * it cannot be opened (then never tried again). Owned by the writer. */
db_t *store_i_side(store_writer *w);

/* After a row of a with rating rt is stored under id cdr_id: the writer's
 * counts, call keys, rollups and the account's walk (was_susp: the walk's
 * status before this row). DB_OK or a status. */
int store_i_account_row(store_writer *w, acct_entry *a, const cdr_rec *r, const rating *rt, int64_t cdr_id);
/* The same for a message record stored under id mdr_id (counts, rollups, walk). */
int store_i_mdr_row(store_writer *w, acct_entry *a, const mdr_rec *m, int64_t mdr_id);

/* store_batch.c: queue a rated row (copied) of account entry a for the next
 * flush; flush the queue (each row then as store_cdr would have stored it);
 * free it. */
int store_batch_add(store_writer *w, size_t acct, const cdr_rec *r, const char *key, const rating *rt);
/* The same for a checked message record (store_mdr's INSERT INTO mdr, one
 * COPY mdr a batch): queued in order with the calls, so the walk sees
 * calls and messages as the row writer does. */
int store_batch_add_mdr(store_writer *w, size_t acct, const mdr_rec *m, const char *key);
/* store_month.c: PostgreSQL: make sure the month partition of cdr holding
 * `start` exists (billtop_cdr_month: created and committed apart on the
 * side connection when it can be, else in the writer's transaction); a
 * no-op on SQLite and within the month last ensured. DB_OK or a db status. */
int store_ensure_month(store_writer *w, int64_t start);
/* store_calls.c: note a stored row's (account, call key); count the calls
 * seen in several rows into w->stats at the end (store_finish). */
int store_i_note_call_key(store_writer *w, int64_t account_id, const char *key);
void store_i_count_multi_row_calls(store_writer *w);
int store_batch_flush(store_writer *w);
/* the last batch's COPY finished: DB_OK, or its failure ("insert call records") */
int store_batch_wait(store_writer *w);
store_batch *store_batch_new(void);
void store_batch_free(store_batch *b);

#endif
