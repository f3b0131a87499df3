/* ingest_tx.c: the transactions of `billtop ingest`: a batch's BEGIN,
 * its COMMIT with the import counters and the file position, rollback,
 * and rejected rows (see ingest_int.h and the top of ingest.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest_int.h"

/* ---- transactions ------------------------------------------------------------ */

db_stmt *ing_prep(ing *x, const char *sql)
{
	db_stmt *q;
	if (db_prepare(x->db, sql, &q) != DB_OK)
		return NULL;
	return q;
}

int ing_step_done(ing *x, db_stmt *q, const char *what)
{
	int rc = db_step(q);
	db_finalize(q);
	return rc == DB_DONE ? DB_OK : db_fail(x->db, what);
}

void ing_rollback(ing *x)
{
	db_rollback(x->db);
	x->in_txn = 0;
	x->wpos = x->pos;
	x->wline = x->line;
	if (x->import_new) {
		x->res->import_id = 0; /* its row went with the rollback */
		x->import_new = 0;
		store_free(x->w);
		x->w = NULL;
	}
	/* the walks in memory are ahead of the database now */
	if (x->w && store_next(x->w, 1) != DB_OK) {
		store_free(x->w);
		x->w = NULL;
	}
}

/* Begin a batch: the write lock (waiting out other writers), the session's
 * import row, the writer; and a check that nobody else moved our position.
 * On PostgreSQL db_begin locks nothing: each account is locked at its first
 * touch in the batch and read again there (store.c, relock), so a follower
 * keeping its accounts across batches waits for an import or a post on the
 * same account, and never for one on another account. */
int ing_begin(ing *x)
{
	db_stmt *q;
	int st, rc;
	while ((st = db_begin(x->db, 1)) != DB_OK) {
		if (!ing_busy(x->db) || ing_stopping(x))
			return st;
		ing_nap(50); /* a long import holds the lock: wait for it */
	}
	x->in_txn = 1;
	if (x->ingest_id) {
		if (!(q = ing_prep(x, "SELECT dev, inode, \"offset\" FROM ingest WHERE id = ?1")))
			goto fail;
		db_bind_int64(q, 1, x->ingest_id);
		rc = db_step(q);
		if (rc != DB_ROW || db_column_int64(q, 0) != x->row_dev
		    || db_column_int64(q, 1) != x->row_ino || db_column_int64(q, 2) != x->row_pos) {
			db_finalize(q);
			db_failf(x->db, DB_EINPUT, "%s: the position kept in the database moved under us: "
			         "is another `billtop ingest` following this file?", x->path);
			goto fail_keep;
		}
		db_finalize(q);
	}
	if (!x->res->import_id) {
		if (!(q = ing_prep(x, "INSERT INTO import(kind, path, format, started, operator, ssh_client)"
		               " VALUES('ingest', ?1, ?2, ?3, ?4, ?5) RETURNING id")))
			goto fail;
		db_bind_text(q, 1, x->path, -1);
		db_bind_text(q, 2, cdrfmt_name(x->kind), -1);
		db_bind_int64(q, 3, db_now());
		db_bind_text(q, 4, db_operator(), -1);
		db_bind_text(q, 5, db_ssh_client(), -1);
		if (db_step(q) != DB_ROW) { /* RETURNING id */
			db_fail(x->db, "record the ingest session");
			db_finalize(q);
			goto fail_keep;
		}
		x->res->import_id = db_column_int64(q, 0);
		db_finalize(q);
		x->import_new = 1;
		store_free(x->w);
		x->w = NULL;
	}
	if (!x->w) {
		store_opts so;
		memset(&so, 0, sizeof so);
		so.source = cdrfmt_name(x->kind);
		so.account = x->o->account;
		so.create_accounts = x->o->create_accounts;
		so.import_id = x->res->import_id;
		if (!(x->w = store_new(x->db, &so))) {
			db_failf(x->db, DB_ENOMEM, "%s: cannot prepare the store: %s", x->path, db_errmsg(x->db));
			goto fail_keep;
		}
	} else if (store_next(x->w, 0) != DB_OK) {
		goto fail_keep;
	}
	x->st0 = *store_get_stats(x->w);
	x->b_rows = x->b_rejected = 0;
	x->b_t0 = tm_mono_s();
	return DB_OK;
fail:
	db_fail(x->db, "begin a batch");
fail_keep:
	{
		ing_rollback(x);
	}
	return DB_EINPUT;
}

/* Commit the open batch with the position it reached. */
int ing_commit(ing *x)
{
	db_stmt *q;
	store_stats now;
	ingest_result *r = x->res;
	int st;
	int64_t t = db_now();

	if ((st = store_finish(x->w)) != DB_OK)
		goto fail;
	now = *store_get_stats(x->w);
	if (!(q = ing_prep(x, "UPDATE import SET finished = ?2, rows = ?3, inserted = ?4, duplicates = ?5,"
	               " rejected = ?6, unrated = ?7 WHERE id = ?1")))
		goto fail_sql;
	db_bind_int64(q, 1, r->import_id);
	db_bind_int64(q, 2, t);
	db_bind_int64(q, 3, r->rows + x->b_rows);
	db_bind_int64(q, 4, r->st.inserted + now.inserted - x->st0.inserted);
	db_bind_int64(q, 5, r->st.duplicates + now.duplicates - x->st0.duplicates);
	db_bind_int64(q, 6, r->rejected + x->b_rejected);
	db_bind_int64(q, 7, r->st.unrated + now.unrated - x->st0.unrated);
	if ((st = ing_step_done(x, q, "update the ingest session")) != DB_OK)
		goto fail;
	if (!(q = ing_prep(x, "INSERT INTO ingest(path, format, dev, inode, \"offset\", line, files, import_id, started, updated)"
	               " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9) ON CONFLICT(path) DO UPDATE SET"
	               " format = excluded.format, dev = excluded.dev, inode = excluded.inode,"
	               " \"offset\" = excluded.\"offset\", line = excluded.line, files = excluded.files,"
	               " import_id = excluded.import_id, updated = excluded.updated")))
		goto fail_sql;
	db_bind_text(q, 1, x->path, -1);
	db_bind_text(q, 2, cdrfmt_name(x->kind), -1);
	db_bind_int64(q, 3, (int64_t)x->dev);
	db_bind_int64(q, 4, (int64_t)x->ino);
	db_bind_int64(q, 5, x->wpos);
	db_bind_int64(q, 6, x->wline);
	db_bind_int64(q, 7, x->files);
	db_bind_int64(q, 8, r->import_id);
	db_bind_int64(q, 9, t);
	if ((st = ing_step_done(x, q, "save the position")) != DB_OK)
		goto fail;
	if (!x->ingest_id) {
		if (!(q = ing_prep(x, "SELECT id FROM ingest WHERE path = ?1")))
			goto fail_sql;
		db_bind_text(q, 1, x->path, -1);
		if (db_step(q) == DB_ROW)
			x->ingest_id = db_column_int64(q, 0);
		db_finalize(q);
	}
	if ((st = db_commit(x->db)) != DB_OK)
		goto fail;
	x->in_txn = 0;
	x->import_new = 0;
	x->pos = x->wpos;
	x->line = x->wline;
	x->row_dev = (int64_t)x->dev;
	x->row_ino = (int64_t)x->ino;
	x->row_pos = x->pos;
	r->batches++;
	r->rows += x->b_rows;
	r->rejected += x->b_rejected;
	ing_add_stats(&r->st, &now, &x->st0);
	r->offset = x->pos;
	r->line = x->line;
	if (x->o->verbose)
		ing_note(x, "%s: batch %lld: %lld rows (%lld stored, %lld duplicates, %lld rejected) to byte %lld, line %lld",
		     x->cur, (long long)r->batches, (long long)x->b_rows,
		     (long long)(now.inserted - x->st0.inserted), (long long)(now.duplicates - x->st0.duplicates),
		     (long long)x->b_rejected, (long long)x->pos, (long long)x->line);
	return DB_OK;
fail_sql:
	st = db_fail(x->db, "commit a batch");
fail:
	{
		ing_rollback(x);
	}
	return st;
}

/* Keep a bad row (line is absolute) with its text. */
int ing_reject(ing *x, int64_t line, const char *raw, size_t rawlen, const char *why)
{
	db_stmt *q;
	x->b_rejected++;
	ing_note(x, "%s:%lld: %s (kept: see `billtop rejects --import %lld`)", x->cur, (long long)line, why,
	     (long long)x->res->import_id);
	if (!(q = ing_prep(x, "INSERT INTO reject(import_id, path, line, reason, raw) VALUES(?1, ?2, ?3, ?4, ?5)")))
		return db_fail(x->db, "keep rejected row");
	db_bind_int64(q, 1, x->res->import_id);
	db_bind_text(q, 2, x->cur, -1);
	db_bind_int64(q, 3, line);
	db_bind_text(q, 4, why, -1);
	if (raw)
		db_bind_blob(q, 5, raw, (int)rawlen);
	else
		db_bind_null(q, 5);
	return ing_step_done(x, q, "keep rejected row");
}

