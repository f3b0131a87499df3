/* ratesq.c: a deck's rate rows read back (ratesq.h). */
#include "ratesq.h"

#include "../core/tm.h"

int ratesq_each(db_t *db, int64_t deck_id, const char *prefix, ratesq_fn fn, void *ctx)
{
	sqlite3_stmt *st;
	int rc, status;
	if ((status = db_prepare(db, "SELECT prefix, description, rate, min_secs, inc_secs, connect_fee,"
	                         " grace_secs, eff_from, eff_to FROM rate WHERE deck_id = ?1"
	                         " AND (?2 IS NULL OR substr(prefix, 1, length(?2)) = ?2) ORDER BY prefix, eff_from",
	                         &st)) != DB_OK)
		return status;
	sqlite3_bind_int64(st, 1, deck_id);
	if (prefix)
		sqlite3_bind_text(st, 2, prefix, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		ratesq_row r;
		r.prefix = (const char *)sqlite3_column_text(st, 0);
		r.description = (const char *)sqlite3_column_text(st, 1);
		r.rate_per_min = sqlite3_column_int64(st, 2);
		r.min_secs = sqlite3_column_int(st, 3);
		r.inc_secs = sqlite3_column_int(st, 4);
		r.connect_fee = sqlite3_column_int64(st, 5);
		r.grace_secs = sqlite3_column_int(st, 6);
		r.effective = sqlite3_column_int64(st, 7);
		r.until = sqlite3_column_type(st, 8) == SQLITE_NULL ? TM_NONE : sqlite3_column_int64(st, 8);
		if (!r.prefix)
			r.prefix = "";
		if (!r.description)
			r.description = "";
		if (fn(&r, ctx) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	if (rc != SQLITE_DONE)
		status = db_fail(db, "rates");
	sqlite3_finalize(st);
	return status;
}
