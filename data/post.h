/* post.h: posting one hand-entered ledger entry. The one code path behind
 * `billtop ledger add` and the console's p (post): a write transaction
 * around a store_writer (so the entry steps the suspension walk and the
 * rollups like any other record), committed or rolled back as a whole.
 *
 * The caller validates the entry first (ledger_kind_parse, money_parse,
 * ledger_signed_amount: `posted` is the signed effect). The memo is stored
 * exactly as given (escape sequences included: everything that shows it
 * makes it visible, out.h) when it is text: valid UTF-8 of at most
 * POST_MEMO_MAX bytes; otherwise nothing is posted (DB_EINPUT, saying why),
 * never a cut or re-encoded memo. The caller keeps ownership of every
 * argument. */
#ifndef BILLTOP_POST_H
#define BILLTOP_POST_H

#include <stdint.h>
#include "../core/ledger.h"
#include "../core/money.h"
#include "account.h"
#include "db.h"

#define POST_MEMO_MAX 255
#define POST_REF_MAX 64

/* The decimals rule (issue 10): an entry of an account keeping `decimals`
 * decimals must fit them (money_fits_decimals); one that does not is
 * refused, never rounded. post_decimals_why is that check alone, without
 * the database (the console asks it before its confirmation): 0 when
 * `posted` (signed, as posted) fits the account a, else 1 with the reason
 * in why: "deposit 1.23456 has 5 decimals; account x keeps 4: post 1.2346
 * or 1.2345" (the amount as the operator types it: positive for a credit
 * or a debit, signed for an adjustment). post_ledger_entry_ref applies it
 * (DB_EINPUT, nothing posted). */
int post_decimals_why(const account_info *a, ledger_kind kind, money_t posted, char *why, size_t n);

/* Post `posted` (signed) of `kind` to the account at time `at`. Returns
 * DB_OK with the new entry's id in *entry_id, or a DB_E* status with the
 * reason in db_errmsg(db) and nothing written (DB_EREADONLY when the
 * handle is read-only). */
int post_ledger_entry(db_t *db, int64_t account_id, ledger_kind kind, money_t posted, const char *memo,
                      int64_t at, int64_t *entry_id);

/* Idempotent posting: `billtop ledger add ... --ref KEY`. ref (NULL or ""
 * for none) is an idempotency key, unique per account (migration 4): a
 * command retried after a timeout or a crash, whose first run may or may
 * not have committed, posts at most once.
 *  - No entry of this account has the ref: posted as above, with the ref.
 *  - One has, of the same kind and signed amount: nothing is posted; DB_OK
 *    with existing = 1 and that entry in *out (its time, memo and posting
 *    time: `at` and the memo of a retry are not compared, a retry's default
 *    time being "now").
 *  - One has, of another kind or amount: nothing is posted; DB_EEXISTS with
 *    that entry in *out: the key was reused for something else.
 * A ref is 1..POST_REF_MAX bytes of UTF-8 without control characters
 * (else DB_EINPUT). */
typedef struct {
	int64_t id;                     /* the entry posted, or the one the ref names */
	int existing;                   /* 1: the ref named this same entry; nothing posted */
	char kind[16];                  /* the entry the ref named (existing, DB_EEXISTS) */
	money_t amount;
	int64_t at, posted;
	char memo[POST_MEMO_MAX + 1];
} post_result;

int post_ledger_entry_ref(db_t *db, int64_t account_id, ledger_kind kind, money_t posted, const char *memo,
                          int64_t at, const char *ref, post_result *out);

/* An entry dated after `now` is scheduled: it counts from its own time
 * (balance, status, suspension walk), never earlier. Posting one must be
 * asked for (`ledger add --future`): DB_OK when at <= now or `future`,
 * else DB_EINPUT with the reason in db_errmsg(db). Writes nothing. */
int post_check_at(db_t *db, int64_t at, int64_t now, int future);

#endif
