/* post.c: one hand-entered ledger entry, in its own transaction. */
#include "post.h"

#include <string.h>

#include "csvin.h"
#include "report.h"
#include "store.h"

_Static_assert(sizeof ((report_entry *)0)->memo > POST_MEMO_MAX, "statements hold whole memos");

int post_ledger_entry(db_t *db, int64_t account_id, ledger_kind kind, money_t posted, const char *memo,
                      int64_t at, int64_t *entry_id)
{
	store_opts so;
	store_writer *w;
	int st;

	if (db->read_only)
		return db_failf(db, DB_EREADONLY, "the database is open read-only: nothing posted");
	if (memo && strlen(memo) > POST_MEMO_MAX)
		return db_failf(db, DB_EINPUT, "the memo is %zu bytes, longer than %d: nothing posted", strlen(memo),
		                POST_MEMO_MAX);
	if (memo && !csvin_valid_utf8(memo, strlen(memo)))
		return db_failf(db, DB_EINPUT, "the memo is not valid UTF-8 (is the terminal's locale UTF-8?): "
		                "nothing posted");
	memset(&so, 0, sizeof so);
	so.source = "ledger";
	if ((st = db_begin(db)) != DB_OK)
		return st;
	if (!(w = store_new(db, &so))) {
		db_rollback(db);
		return db_failf(db, DB_ENOMEM, "out of memory");
	}
	if ((st = store_ledger(w, account_id, kind, posted, memo, at, entry_id)) != DB_OK
	    || (st = store_finish(w)) != DB_OK || (st = db_commit(db)) != DB_OK)
		db_rollback(db);
	store_free(w);
	return st;
}
