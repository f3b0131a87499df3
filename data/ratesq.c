/* ratesq.c: a deck's rate rows read back (ratesq.h). */
#include "ratesq.h"

#include "../core/tm.h"

int ratesq_each(db_t *db, int64_t deck_id, const char *prefix, ratesq_fn fn, void *ctx)
{
	db_stmt *st;
	int rc, status;
	if ((status = db_prepare(db, "SELECT prefix, description, rate, min_secs, inc_secs, connect_fee,"
	                         " grace_secs, eff_from, eff_to FROM rate WHERE deck_id = ?1"
	                         " AND (?2 IS NULL OR substr(prefix, 1, length(?2)) = ?2) ORDER BY prefix, eff_from",
	                         &st)) != DB_OK)
		return status;
	db_bind_int64(st, 1, deck_id);
	if (prefix)
		db_bind_text(st, 2, prefix, -1);
	while ((rc = db_step(st)) == DB_ROW) {
		ratesq_row r;
		r.prefix = (const char *)db_column_text(st, 0);
		r.description = (const char *)db_column_text(st, 1);
		r.rate_per_min = db_column_int64(st, 2);
		r.min_secs = db_column_int(st, 3);
		r.inc_secs = db_column_int(st, 4);
		r.connect_fee = db_column_int64(st, 5);
		r.grace_secs = db_column_int(st, 6);
		r.effective = db_column_int64(st, 7);
		r.until = db_column_type(st, 8) == DB_NULL ? TM_NONE : db_column_int64(st, 8);
		if (!r.prefix)
			r.prefix = "";
		if (!r.description)
			r.description = "";
		if (fn(&r, ctx) != 0) {
			rc = DB_DONE;
			break;
		}
	}
	if (rc != DB_DONE)
		status = db_fail(db, "rates");
	db_finalize(st);
	return status;
}
