/* post.c: one hand-entered ledger entry, in its own transaction. */
#include "post.h"

#include <stdio.h>
#include <string.h>

#include "../core/tm.h"
#include "csvin.h"
#include "report.h"
#include "store.h"

_Static_assert(sizeof ((report_entry *)0)->memo > POST_MEMO_MAX, "statements hold whole memos");
_Static_assert(sizeof ((report_entry *)0)->ref > POST_REF_MAX, "listings hold whole refs");
_Static_assert(sizeof ((post_result *)0)->memo > POST_MEMO_MAX, "a found entry's memo fits");

/* A ref is an identifier scripts pass around: 1..POST_REF_MAX bytes of
 * UTF-8 without C0, DEL or C1 controls. */
static int ref_ok(const char *ref)
{
	size_t n = strlen(ref);
	if (n == 0 || n > POST_REF_MAX || !csvin_valid_utf8(ref, n))
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)ref[i];
		if (c < 0x20 || c == 0x7f || (c == 0xc2 && (unsigned char)ref[i + 1] < 0xa0))
			return 0;
	}
	return 1;
}

/* Inside the write transaction: the entry that already has this ref on
 * this account, if any. 1 found (into *out), 0 none, or -DB_E* on failure. */
static int find_ref(db_t *db, int64_t account_id, const char *ref, post_result *out)
{
	db_stmt *q;
	int rc, found = 0;
	if (db_prepare(db, "SELECT id, kind, amount, at, posted, memo FROM ledger"
	                       " WHERE account_id = ?1 AND ref = ?2", &q) != DB_OK)
		return -db_fail(db, "look up the ref");
	db_bind_int64(q, 1, account_id);
	db_bind_text(q, 2, ref, -1);
	if ((rc = db_step(q)) == DB_ROW) {
		found = 1;
		out->id = db_column_int64(q, 0);
		snprintf(out->kind, sizeof out->kind, "%s", (const char *)db_column_text(q, 1));
		out->amount = db_column_int64(q, 2);
		out->at = db_column_int64(q, 3);
		out->posted = db_column_int64(q, 4);
		snprintf(out->memo, sizeof out->memo, "%s", (const char *)db_column_text(q, 5));
	} else if (rc != DB_DONE) {
		found = -db_fail(db, "look up the ref");
	}
	db_finalize(q);
	return found;
}

int post_decimals_why(const account_info *a, ledger_kind kind, money_t posted, char *why, size_t n)
{
	/* the amount as typed: credits and debits are typed positive */
	money_t typed = kind == LEDGER_ADJUSTMENT || posted >= 0 || posted == INT64_MIN ? posted : -posted;
	money_t near[2];
	char base[160], x[2][32];
	int k = 0;

	if (money_fits_decimals(typed, a->decimals))
		return 0;
	money_decimals_why(typed, a->decimals, a->name, base, sizeof base);
	/* the amounts that fit on either side, the nearer first; zero is no
	 * entry (ledger_signed_amount refuses it), so it is not suggested */
	if (money_neighbours(typed, a->decimals, &near[0], &near[1]) == 0)
		for (int i = 0; i < 2; i++)
			if (near[i] != 0 && money_format(near[i], a->decimals, x[k], sizeof x[k]) > 0)
				k++;
	if (k == 2)
		snprintf(why, n, "%s %s: post %s or %s", ledger_kind_name(kind), base, x[0], x[1]);
	else if (k == 1)
		snprintf(why, n, "%s %s: post %s", ledger_kind_name(kind), base, x[0]);
	else
		snprintf(why, n, "%s %s", ledger_kind_name(kind), base);
	return 1;
}

/* The decimals check of a posting: DB_OK, or DB_EINPUT with the reason
 * (the account is read here: callers pass only its id). */
static int check_decimals(db_t *db, int64_t account_id, ledger_kind kind, money_t posted)
{
	account_info a;
	char why[300];
	int st;

	if ((st = account_get(db, account_id, &a)) != DB_OK)
		return st;
	if (post_decimals_why(&a, kind, posted, why, sizeof why))
		return db_failf(db, DB_EINPUT, "%s; nothing posted", why);
	return DB_OK;
}

int post_ledger_entry_ref(db_t *db, int64_t account_id, ledger_kind kind, money_t posted, const char *memo,
                          int64_t at, const char *ref, post_result *out)
{
	store_opts so;
	store_writer *w;
	int st;

	memset(out, 0, sizeof *out);
	if (ref && !*ref)
		ref = NULL;
	if (db_read_only(db))
		return db_failf(db, DB_EREADONLY, "the database is open read-only: nothing posted");
	if (memo && strlen(memo) > POST_MEMO_MAX)
		return db_failf(db, DB_EINPUT, "the memo is %zu bytes, longer than %d: nothing posted", strlen(memo),
		                POST_MEMO_MAX);
	if (memo && !csvin_valid_utf8(memo, strlen(memo)))
		return db_failf(db, DB_EINPUT, "the memo is not valid UTF-8 (is the terminal's locale UTF-8?): "
		                "nothing posted");
	if (ref && !ref_ok(ref))
		return db_failf(db, DB_EINPUT, "--ref must be 1 to %d bytes of UTF-8 without control characters: "
		                "nothing posted", POST_REF_MAX);
	if ((st = check_decimals(db, account_id, kind, posted)) != DB_OK)
		return st;
	memset(&so, 0, sizeof so);
	so.source = "ledger";
	/* BEGIN IMMEDIATE: writers are serialised, so two retries racing each
	 * other cannot both miss the ref and both post (the unique index of
	 * migration 4 would refuse the second anyway). */
	if ((st = db_begin(db, 1)) != DB_OK)
		return st;
	/* PostgreSQL's writers do not wait for each other: posts to one
	 * account do (pg_advisory_xact_lock; a no-op on SQLite) */
	if ((st = db_lock_account(db, account_id)) != DB_OK) {
		db_rollback(db);
		return st;
	}
	if (ref) {
		int found = find_ref(db, account_id, ref, out);
		if (found != 0) {
			db_rollback(db);
			if (found < 0)
				return -found;
			if (strcmp(out->kind, ledger_kind_name(kind)) == 0 && out->amount == posted) {
				out->existing = 1;   /* the same entry again: a retry; nothing to post */
				return DB_OK;
			}
			return db_failf(db, DB_EEXISTS, "--ref already names entry %lld, a %s of another amount or "
			                "kind: nothing posted", (long long)out->id, out->kind);
		}
	}
	if (!(w = store_new(db, &so))) {
		db_rollback(db);
		return db_failf(db, DB_ENOMEM, "out of memory");
	}
	if ((st = store_ledger_ref(w, account_id, kind, posted, memo, at, ref, &out->id)) != DB_OK
	    || (st = store_finish(w)) != DB_OK || (st = db_commit(db)) != DB_OK)
		db_rollback(db);
	store_free(w);
	return st;
}

int post_check_at(db_t *db, int64_t at, int64_t now, int future)
{
	char a[32], n[32];
	if (at <= now || future)
		return DB_OK;
	tm_format(at, a, sizeof a);
	tm_format(now, n, sizeof n);
	return db_failf(db, DB_EINPUT, "--at %s UTC is after now (%s UTC): an entry dated in the future is refused "
	                "(a typo for another year?); give --future to schedule it: it then counts from its own "
	                "time: nothing posted", a, n);
}

int post_ledger_entry(db_t *db, int64_t account_id, ledger_kind kind, money_t posted, const char *memo,
                      int64_t at, int64_t *entry_id)
{
	post_result r;
	int st = post_ledger_entry_ref(db, account_id, kind, posted, memo, at, NULL, &r);
	*entry_id = r.id;
	return st;
}
