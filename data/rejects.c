/* rejects.c: the reject table read back (rejects.h). */
#include "rejects.h"

int rejects_find(db_t *db, int has_import, int64_t import_id, const char *text, rejects_fn fn, void *ctx)
{
	db_stmt *st;
	int rc, status = DB_OK;
	if ((status = db_prepare(db, "SELECT id, import_id, path, line, reason, raw FROM reject"
	                         " WHERE (?1 IS NULL OR import_id = ?1)"
	                         " AND (?2 IS NULL OR instr(path, ?2) > 0 OR instr(reason, ?2) > 0"
	                         " OR instr(raw, ?2) > 0)"
	                         " ORDER BY import_id, line, id", &st)) != DB_OK)
		return status;
	if (has_import)
		db_bind_int64(st, 1, import_id);
	if (text && text[0])
		db_bind_text(st, 2, text, -1);
	while ((rc = db_step(st)) == DB_ROW) {
		rejects_row r;
		r.id = db_column_int64(st, 0);
		r.import_id = db_column_int64(st, 1);
		r.path = (const char *)db_column_text(st, 2);
		r.line = db_column_int64(st, 3);
		r.reason = (const char *)db_column_text(st, 4);
		r.raw = db_column_blob(st, 5);
		r.raw_len = (size_t)db_column_bytes(st, 5);
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

int rejects_each(db_t *db, int has_import, int64_t import_id, rejects_fn fn, void *ctx)
{
	return rejects_find(db, has_import, import_id, NULL, fn, ctx);
}
