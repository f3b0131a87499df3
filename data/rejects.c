/* rejects.c: the reject table read back (rejects.h). */
#include "rejects.h"

int rejects_each(db_t *db, int has_import, int64_t import_id, rejects_fn fn, void *ctx)
{
	db_stmt *st;
	int rc, status = DB_OK;
	if ((status = db_prepare(db, "SELECT import_id, path, line, reason, raw FROM reject"
	                         " WHERE ?1 IS NULL OR import_id = ?1 ORDER BY import_id, line", &st)) != DB_OK)
		return status;
	if (has_import)
		db_bind_int64(st, 1, import_id);
	while ((rc = db_step(st)) == DB_ROW) {
		rejects_row r;
		r.import_id = db_column_int64(st, 0);
		r.path = (const char *)db_column_text(st, 1);
		r.line = db_column_int64(st, 2);
		r.reason = (const char *)db_column_text(st, 3);
		r.raw = db_column_blob(st, 4);
		r.raw_len = (size_t)db_column_bytes(st, 4);
		if (!r.path)
			r.path = "";
		if (!r.reason)
			r.reason = "";
		if (!r.raw)
			r.raw = "", r.raw_len = 0;
		if (fn(&r, ctx) != 0) {
			rc = DB_DONE;
			break;
		}
	}
	if (rc != DB_DONE)
		status = db_fail(db, "rejects");
	db_finalize(st);
	return status;
}
