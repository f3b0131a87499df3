/* suspensions.c: the suspension history (see suspensions.h). One indexed
 * query (suspension_acct), bounded by the caller's `max`. */
#include "suspensions.h"

#include <stdio.h>

int susp_recent(db_t *db, int64_t account_id, susp_row *out, int max, int *n)
{
	sqlite3_stmt *st;
	int rc;
	*n = 0;
	if (max <= 0)
		return DB_OK;
	if (sqlite3_prepare_v2(db->sql, "SELECT at, event, balance, cause_kind, cause_id FROM suspension"
	                       " WHERE account_id = ?1 ORDER BY at DESC, id DESC LIMIT ?2", -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, "suspension history");
	sqlite3_bind_int64(st, 1, account_id);
	sqlite3_bind_int(st, 2, max);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n < max) {
		susp_row *h = &out[(*n)++];
		const unsigned char *ev = sqlite3_column_text(st, 1), *cause = sqlite3_column_text(st, 3);
		h->at = sqlite3_column_int64(st, 0);
		snprintf(h->event, sizeof h->event, "%s", ev ? (const char *)ev : "");
		h->balance = sqlite3_column_int64(st, 2);
		snprintf(h->cause, sizeof h->cause, "%s", cause ? (const char *)cause : "");
		h->cause_id = sqlite3_column_int64(st, 4);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, "suspension history");
	return DB_OK;
}
