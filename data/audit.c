/* audit.c: the actions of every table that records its operator, merged. */
#include "audit.h"

#include <string.h>

#include "../core/tm.h"

/* One shape for all: at, what, id, operator, ssh, account, kind, text,
 * format, amount, decimals, effective, until, rows, inserted, duplicates,
 * rejected, ref; then k, the branch (ties in time and id keep this order on
 * every backend: a sort need not be stable). */
#define AUDIT_HEAD \
	"SELECT * FROM (" \
	" SELECT l.posted AS at, 'ledger' AS what, l.id, l.operator, l.ssh_client, a.name, l.kind, l.memo, ''," \
	"  l.amount, a.decimals, l.at AS effective, NULL, 0, 0, 0, 0, COALESCE(l.ref, ''), 0 AS k" \
	"  FROM ledger l JOIN account a ON a.id = l.account_id" \
	" UNION ALL SELECT i.started, CASE WHEN i.kind IN ('ingest', 'rates') THEN i.kind ELSE 'import' END, i.id," \
	"  i.operator, i.ssh_client, '', i.kind, i.path, COALESCE(i.format, ''), 0, 0, NULL, i.finished," \
	"  i.rows, i.inserted, i.duplicates, i.rejected, '', 1 FROM import i" \
	" UNION ALL SELECT c.created, 'case opened', c.id, c.operator, c.ssh_client, a.name, c.verdict," \
	"  c.their_path, c.their_format, 0, 0, c.period_from, c.period_to, c.their_calls, c.our_calls, 0, 0, '', 2" \
	"  FROM investigation c JOIN account a ON a.id = c.account_id" \
	" UNION ALL SELECT c.closed, 'case closed', c.id, COALESCE(c.closed_by, ''), COALESCE(c.closed_ssh, '')," \
	"  a.name, '', c.their_path, '', 0, 0, NULL, NULL, 0, 0, 0, 0, '', 3" \
	"  FROM investigation c JOIN account a ON a.id = c.account_id WHERE c.closed IS NOT NULL"
#define AUDIT_TAIL ") AS x WHERE at >= ?1 AND at < ?2 ORDER BY at DESC, id DESC, k"
/* PostgreSQL: months of calls taken out by `billtop archive` (archive.h) */
#define AUDIT_ARCHIVE \
	" UNION ALL SELECT r.at, 'archive', r.id, r.operator, r.ssh_client, '',"\
	"  CASE WHEN r.dropped = 1 THEN 'dropped' ELSE 'detached' END, r.month || ': ' || r.calls || ' calls '"\
	"  || CASE WHEN r.dropped = 1 THEN 'dropped' ELSE 'detached as table ' || r.tbl END, '', 0, 0, r.lo, r.hi,"\
	"  r.calls, 0, 0, 0, '', 4 FROM cdr_archive r"

static const char *text(db_stmt *q, int i)
{
	const char *s = (const char *)db_column_text(q, i);
	return s ? s : "";
}

static int64_t time_or_none(db_stmt *q, int i)
{
	return db_column_type(q, i) == DB_NULL ? TM_NONE : db_column_int64(q, i);
}

int audit_each(db_t *db, int64_t from, int64_t to, audit_fn fn, void *ctx)
{
	db_stmt *q;
	int rc;
	if (db_prepare(db, DB_SQL(db, AUDIT_HEAD AUDIT_TAIL, AUDIT_HEAD AUDIT_ARCHIVE AUDIT_TAIL), &q) != DB_OK)
		return db_fail(db, "audit");
	db_bind_int64(q, 1, from);
	db_bind_int64(q, 2, to);
	while ((rc = db_step(q)) == DB_ROW) {
		audit_row r;
		memset(&r, 0, sizeof r);
		r.at = db_column_int64(q, 0);
		r.what = text(q, 1);
		r.id = db_column_int64(q, 2);
		r.operator_ = text(q, 3);
		r.ssh_client = text(q, 4);
		r.account = text(q, 5);
		r.kind = text(q, 6);
		r.text = text(q, 7);
		r.format = text(q, 8);
		r.amount = db_column_int64(q, 9);
		r.decimals = db_column_int(q, 10);
		r.effective = time_or_none(q, 11);
		r.until = time_or_none(q, 12);
		r.rows = db_column_int64(q, 13);
		r.inserted = db_column_int64(q, 14);
		r.duplicates = db_column_int64(q, 15);
		r.rejected = db_column_int64(q, 16);
		r.ref = text(q, 17);
		if (fn(&r, ctx) != 0)
			break;
	}
	if (rc != DB_ROW && rc != DB_DONE) {
		db_finalize(q);
		return db_fail(db, "audit");
	}
	db_finalize(q);
	return DB_OK;
}
