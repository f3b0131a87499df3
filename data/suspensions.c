/* suspensions.c: the suspension history (see suspensions.h). One indexed
 * query (suspension_acct), bounded by the caller's `max`. */
#include "suspensions.h"

#include <stdio.h>

int susp_recent(db_t *db, int64_t account_id, susp_row *out, int max, int *n)
{
	db_stmt *st;
	int rc;
	*n = 0;
	if (max <= 0)
		return DB_OK;
	if (db_prepare(db, "SELECT at, event, balance, cause_kind, cause_id FROM suspension"
	                       " WHERE account_id = ?1 ORDER BY at DESC, id DESC LIMIT ?2", &st) != DB_OK)
		return db_fail(db, "suspension history");
	db_bind_int64(st, 1, account_id);
	db_bind_int(st, 2, max);
	while ((rc = db_step(st)) == DB_ROW && *n < max) {
		susp_row *h = &out[(*n)++];
		const unsigned char *ev = db_column_text(st, 1), *cause = db_column_text(st, 3);
		h->at = db_column_int64(st, 0);
		snprintf(h->event, sizeof h->event, "%s", ev ? (const char *)ev : "");
		h->balance = db_column_int64(st, 2);
		snprintf(h->cause, sizeof h->cause, "%s", cause ? (const char *)cause : "");
		h->cause_id = db_column_int64(st, 4);
	}
	db_finalize(st);
	if (rc != DB_ROW && rc != DB_DONE)
		return db_fail(db, "suspension history");
	return DB_OK;
}
