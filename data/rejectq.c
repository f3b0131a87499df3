/* rejectq.c: see rejectq.h. */
#include "rejectq.h"

int rejectq_each(db_t *db, int64_t import_id, const char *text, rejectq_fn fn, void *ctx)
{
	sqlite3_stmt *st;
	int rc;
	if (sqlite3_prepare_v2(db->sql, "SELECT id, import_id, path, line, reason, raw FROM reject"
	                       " WHERE (?1 = 0 OR import_id = ?1)"
	                       " AND (?2 IS NULL OR instr(path, ?2) > 0 OR instr(reason, ?2) > 0"
	                       " OR instr(CAST(raw AS TEXT), ?2) > 0)"
	                       " ORDER BY import_id, line, id", -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, "list rejected rows");
	sqlite3_bind_int64(st, 1, import_id);
	if (text && text[0])
		sqlite3_bind_text(st, 2, text, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		rejectq_row r;
		r.id = sqlite3_column_int64(st, 0);
		r.import_id = sqlite3_column_int64(st, 1);
		r.path = (const char *)sqlite3_column_text(st, 2);
		r.line = sqlite3_column_int64(st, 3);
		r.reason = (const char *)sqlite3_column_text(st, 4);
		r.raw = sqlite3_column_blob(st, 5);
		r.raw_len = (size_t)sqlite3_column_bytes(st, 5);
		if (!r.path)
			r.path = "";
		if (!r.reason)
			r.reason = "";
		if (!r.raw)
			r.raw = "", r.raw_len = 0;
		if (fn(&r, ctx))
			break;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? DB_OK : db_fail(db, "list rejected rows");
}
