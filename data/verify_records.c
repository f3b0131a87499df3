/* verify_records.c: derived fields of single records and of imports, for
 * `billtop verify`.
 *
 * Legs: a connected call with a call key is its call's billed leg
 * (billed_leg = 1) unless it is an extra leg (state 3), which has a billed
 * leg of the same key on the same account; no other call is a billed leg.
 * Unrated reasons: only an unrated call has one. Imports (kind cdr, mdr,
 * ingest; finished): `inserted` is the records stored with the import's id,
 * `unrated` its unrated calls, `rejected` the rejected rows it kept, and
 * rows = inserted + duplicates + rejected. */
#include <string.h>

#include "store.h"
#include "verify_int.h"

typedef void (*row_fn)(vctx *v, db_stmt *st);

static void each_row(vctx *v, const char *what, const char *sql, row_fn fn)
{
	db_stmt *st;
	int rc;
	if (db_prepare(v->db, sql, &st) != DB_OK) {
		v->status = db_fail(v->db, what);
		return;
	}
	while ((rc = db_step(st)) == DB_ROW)
		fn(v, st);
	if (rc != DB_DONE)
		v->status = db_fail(v->db, what);
	db_finalize(st);
}

static const char *txt(db_stmt *st, int i)
{
	const char *s = (const char *)db_column_text(st, i);
	return s ? s : "";
}

static void leg_row(vctx *v, db_stmt *st)
{
	const char *rid = txt(st, 0), *key = txt(st, 1);
	int connected = db_column_int(st, 2), state = db_column_int(st, 3);
	int billed = db_column_int(st, 4), has_billed = db_column_int(st, 5);
	if (state == CDR_EXTRA_LEG && billed)
		verify_finding(v, "call %s: billed_leg is 1, but it is an extra leg of call %s", rid, key);
	else if (state == CDR_EXTRA_LEG && !has_billed)
		verify_finding(v, "call %s: an extra leg, but call %s has no billed leg", rid, key);
	else if (state != CDR_EXTRA_LEG && connected && key[0] && billed != 1)
		verify_finding(v, "call %s: billed_leg is %d, but it is the billed leg of call %s", rid, billed, key);
	else if (state != CDR_EXTRA_LEG && (!connected || !key[0]) && billed)
		verify_finding(v, "call %s: billed_leg is %d, but it %s", rid, billed,
		               connected ? "has no call key" : "did not connect");
}

static void reason_row(vctx *v, db_stmt *st)
{
	verify_finding(v, "call %s: unrated reason \"%s\", but it is %s", txt(st, 0), txt(st, 1),
	               store_cdr_state_name(db_column_int(st, 2)));
}

static void import_row(vctx *v, db_stmt *st)
{
	static const char *const col[] = { "inserted", "unrated", "rejected" };
	int64_t id = db_column_int64(st, 0);
	for (int k = 0; k < 3; k++) {
		int64_t got = db_column_int64(st, 2 + 2 * k), want = db_column_int64(st, 3 + 2 * k);
		if (got != want)
			verify_finding(v, "import %lld (%s): %s %lld, the records give %lld", (long long)id, txt(st, 1),
			               col[k], (long long)got, (long long)want);
	}
	if (db_column_int64(st, 8) != db_column_int64(st, 2) + db_column_int64(st, 9)
	                                       + db_column_int64(st, 6))
		verify_finding(v, "import %lld (%s): rows %lld != inserted %lld + duplicates %lld + rejected %lld",
		               (long long)id, txt(st, 1), (long long)db_column_int64(st, 8),
		               (long long)db_column_int64(st, 2), (long long)db_column_int64(st, 9),
		               (long long)db_column_int64(st, 6));
}

/* Billed legs: SQLite finds a call's billed leg in cdr; PostgreSQL in
 * cdr_call (every month's, archived ones too), itself checked against cdr
 * below. */
#define LEGS_SQL(has_billed) \
	"SELECT record_id, call_key, connected, state, billed_leg," \
	" CASE WHEN state = 3 AND EXISTS (" has_billed ") THEN 1 ELSE 0 END" \
	" FROM cdr c WHERE billed_leg != 0 OR state = 3 OR (connected != 0 AND COALESCE(call_key, '') != '')"
static const char LEGS[] = LEGS_SQL("SELECT 1 FROM cdr b WHERE b.account_id = c.account_id"
	" AND b.call_key = c.call_key AND b.billed_leg = 1");
static const char PG_LEGS[] = LEGS_SQL("SELECT 1 FROM cdr_call b WHERE b.account_id = c.account_id"
	" AND b.call_key = c.call_key");
/* PostgreSQL: each billed leg has its cdr_call row (same start and state),
 * and each cdr_call row of a month not archived has its billed leg */
static const char PG_CALLS[] =
	"SELECT c.record_id, 'its cdr_call row is missing or differs (start, state)' FROM cdr c"
	" LEFT JOIN cdr_call k ON k.account_id = c.account_id AND k.call_key = c.call_key"
	" WHERE c.billed_leg = 1 AND (k.account_id IS NULL OR k.start != c.start OR k.state != c.state)"
	" UNION ALL SELECT k.call_key, 'a cdr_call row without its billed leg' FROM cdr_call k"
	" WHERE NOT EXISTS (SELECT 1 FROM cdr_archive a WHERE k.start >= a.lo AND k.start < a.hi)"
	" AND NOT EXISTS (SELECT 1 FROM cdr c WHERE c.account_id = k.account_id AND c.call_key = k.call_key"
	"  AND c.start = k.start AND c.billed_leg = 1)";
/* Imports: on PostgreSQL the calls taken out by `billtop archive` count by
 * their checkpoints (archive_import) */
#define IMPORTS_SQL(calls, unrated) \
	"SELECT i.id, i.path, i.inserted," \
	" (SELECT COUNT(*) FROM cdr WHERE import_id = i.id) + (SELECT COUNT(*) FROM mdr WHERE import_id = i.id)" calls "," \
	" i.unrated, (SELECT COUNT(*) FROM cdr WHERE import_id = i.id AND state = 1)" unrated "," \
	" i.rejected, (SELECT COUNT(*) FROM reject WHERE import_id = i.id), i.rows, i.duplicates" \
	" FROM import i WHERE i.kind IN ('cdr', 'mdr', 'ingest') AND i.finished IS NOT NULL"
static const char IMPORTS[] = IMPORTS_SQL("", "");
static const char PG_IMPORTS[] =
	IMPORTS_SQL(" + (SELECT COALESCE(SUM(calls), 0) FROM archive_import WHERE import_id = i.id)",
	            " + (SELECT COALESCE(SUM(unrated), 0) FROM archive_import WHERE import_id = i.id)");

static void call_row(vctx *v, db_stmt *st)
{
	verify_finding(v, "call %s: %s", txt(st, 0), txt(st, 1));
}

void verify_records(vctx *v)
{
	each_row(v, "verify legs", DB_SQL(v->db, LEGS, PG_LEGS), leg_row);
	if (v->status == DB_OK && db_backend_is(v->db, "postgresql"))
		each_row(v, "verify billed legs (cdr_call)", PG_CALLS, call_row);
	if (v->status == DB_OK)
		each_row(v, "verify unrated reasons",
		         "SELECT record_id, unrated_reason, state FROM cdr WHERE unrated_reason IS NOT NULL AND state != 1",
		         reason_row);
	if (v->status == DB_OK)
		each_row(v, "verify imports", DB_SQL(v->db, IMPORTS, PG_IMPORTS), import_row);
}
