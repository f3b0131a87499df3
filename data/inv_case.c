/* inv_case.c: investigations kept as cases (the `investigation` table,
 * schema migration 2). Declared in investigate.h.
 *
 * A case's findings (period, options, verdict, the three reports) are
 * written once, in the transaction that assigns its id, and never change
 * (triggers refuse it); notes are appended and the status goes from open
 * to closed once, each with the time and the operator. */
#include "investigate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/tm.h"
#include "inv_report.h"

/* Render one report and write it into the case's row: report_json with the
 * INSERT, then report_text and report_csv by UPDATE, so that one report at a
 * time is in memory (a million missing calls make reports of tens of MB). */
static int put_report(db_t *db, inv_case *c, int kind, db_stmt *q, int col)
{
	size_t len;
	char *rep = inv_report_string(c, kind, &len);
	int rc;
	if (!rep)
		return db_failf(db, DB_ENOMEM, "out of memory writing the report");
	db_bind_text(q, col, rep, (int)(len));
	rc = db_step(q);
	db_reset(q);
	db_clear_bindings(q);
	free(rep);
	return rc == DB_DONE ? DB_OK : db_fail(db, "save the case");
}

int inv_save(db_t *db, inv_case *c)
{
	db_stmt *q = NULL;
	int st;

	if ((st = db_begin(db, 1)) != DB_OK)
		return st;
	/* The id is taken under the write lock, so the reports can name it. */
	if ((st = db_prepare(db, "SELECT COALESCE(MAX(id), 0) + 1 FROM investigation", &q)) != DB_OK)
		goto fail;
	if (db_step(q) != DB_ROW) {
		st = db_fail(db, "number the case");
		goto fail;
	}
	c->id = db_column_int64(q, 0);
	db_finalize(q);
	q = NULL;
	if ((st = db_prepare(db, "INSERT INTO investigation(id, account_id, created, operator, ssh_client,"
	                     " their_path, their_format, their_rows, their_calls, their_rejected, our_calls,"
	                     " period_from, period_to, options, verdict, worst_day, report_json) VALUES(?1,?2,?3,"
	                     "?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17)", &q)) != DB_OK)
		goto fail;
	db_bind_int64(q, 1, c->id);
	db_bind_int64(q, 2, c->account.id);
	db_bind_int64(q, 3, c->created);
	db_bind_text(q, 4, c->operator_, -1);
	db_bind_text(q, 5, c->ssh_client, -1);
	db_bind_text(q, 6, c->their_path, -1);
	db_bind_text(q, 7, c->their_format, -1);
	db_bind_int64(q, 8, c->theirs.rows);
	db_bind_int64(q, 9, (int64_t)c->theirs.n);
	db_bind_int64(q, 10, c->theirs.rejected);
	db_bind_int64(q, 11, (int64_t)c->ours.n);
	db_bind_int64(q, 12, c->from);
	db_bind_int64(q, 13, c->to);
	db_bind_text(q, 14, c->options, -1);
	db_bind_text(q, 15, recon_verdict_name(c->res.verdict), -1);
	if (c->res.worst_day >= 0 && c->res.worst_day < c->res.nday)
		db_bind_int64(q, 16, c->res.days[c->res.worst_day].start);
	else
		db_bind_null(q, 16);
	if ((st = put_report(db, c, INV_REPORT_JSON, q, 17)) != DB_OK)
		goto fail;
	db_finalize(q);
	q = NULL;
	for (int k = 0; k < 2; k++) {
		if ((st = db_prepare(db, k == 0 ? "UPDATE investigation SET report_text = ?2 WHERE id = ?1"
		                                : "UPDATE investigation SET report_csv = ?2 WHERE id = ?1", &q)) != DB_OK)
			goto fail;
		db_bind_int64(q, 1, c->id);
		if ((st = put_report(db, c, k == 0 ? INV_REPORT_TEXT : INV_REPORT_CSV, q, 2)) != DB_OK)
			goto fail;
		db_finalize(q);
		q = NULL;
	}
	if ((st = db_commit(db)) != DB_OK)
		goto fail;
	return DB_OK;
fail:
	db_finalize(q);
	db_rollback(db);
	c->id = 0;
	return st;
}

#define CASE_COLS "i.id, i.account_id, a.name, i.created, i.operator, i.ssh_client, i.status, i.closed," \
	" COALESCE(i.closed_by, ''), i.their_path, i.their_format, i.period_from, i.period_to, i.options," \
	" i.verdict, i.notes," \
	" (SELECT COUNT(*) FROM investigation_version v WHERE v.case_id = i.id) + 1," \
	" COALESCE((SELECT v.verdict FROM investigation_version v WHERE v.case_id = i.id ORDER BY v.version DESC LIMIT 1)," \
	"   i.verdict)," \
	" COALESCE((SELECT v.disputed FROM investigation_version v WHERE v.case_id = i.id ORDER BY v.version DESC LIMIT 1)," \
	"   json_extract(i.report_json, '$.totals.cost_diff'), '')," \
	" a.currency FROM investigation i JOIN account a ON a.id = i.account_id"

static void text_col(char *dst, size_t n, db_stmt *q, int col)
{
	const char *s = (const char *)db_column_text(q, col);
	snprintf(dst, n, "%s", s ? s : "");
}

static void case_row(db_stmt *q, inv_case_row *r)
{
	memset(r, 0, sizeof *r);
	r->id = db_column_int64(q, 0);
	r->account_id = db_column_int64(q, 1);
	text_col(r->account, sizeof r->account, q, 2);
	r->created = db_column_int64(q, 3);
	text_col(r->operator_, sizeof r->operator_, q, 4);
	text_col(r->ssh_client, sizeof r->ssh_client, q, 5);
	text_col(r->status, sizeof r->status, q, 6);
	r->closed = db_column_type(q, 7) == DB_NULL ? TM_NONE : db_column_int64(q, 7);
	text_col(r->closed_by, sizeof r->closed_by, q, 8);
	text_col(r->their_path, sizeof r->their_path, q, 9);
	text_col(r->their_format, sizeof r->their_format, q, 10);
	r->from = db_column_int64(q, 11);
	r->to = db_column_int64(q, 12);
	text_col(r->options, sizeof r->options, q, 13);
	text_col(r->verdict, sizeof r->verdict, q, 14);
	r->notes = (const char *)db_column_text(q, 15);
	if (!r->notes)
		r->notes = "";
	r->versions = db_column_int(q, 16);
	text_col(r->concluded, sizeof r->concluded, q, 17);
	text_col(r->disputed, sizeof r->disputed, q, 18);
	text_col(r->currency, sizeof r->currency, q, 19);
}

int inv_case_each(db_t *db, int64_t account_id, inv_case_fn fn, void *ctx)
{
	db_stmt *q;
	int rc;
	if (db_prepare(db, "SELECT " CASE_COLS " WHERE ?1 = 0 OR i.account_id = ?1"
	                       " ORDER BY i.status = 'open' DESC, i.id DESC", &q) != DB_OK)
		return db_fail(db, "list cases");
	db_bind_int64(q, 1, account_id);
	while ((rc = db_step(q)) == DB_ROW) {
		inv_case_row r;
		case_row(q, &r);
		if (fn(&r, ctx))
			break;
	}
	db_finalize(q);
	return rc == DB_ROW || rc == DB_DONE ? DB_OK : db_fail(db, "list cases");
}

int inv_case_get(db_t *db, int64_t id, inv_case_row *out)
{
	db_stmt *q;
	int rc, st = DB_OK;
	memset(out, 0, sizeof *out);
	out->notes = "";
	if (db_prepare(db, "SELECT " CASE_COLS " WHERE i.id = ?1", &q) != DB_OK)
		return db_fail(db, "read case");
	db_bind_int64(q, 1, id);
	rc = db_step(q);
	if (rc == DB_ROW) {
		case_row(q, out);
		if (!(out->notes_buf = strdup(out->notes)))
			st = db_failf(db, DB_ENOMEM, "out of memory");
		out->notes = out->notes_buf ? out->notes_buf : "";
	} else if (rc == DB_DONE) {
		st = db_failf(db, DB_ENOTFOUND, "no case %lld (see `billtop cases`)", (long long)id);
	} else {
		st = db_fail(db, "read case");
	}
	db_finalize(q);
	return st;
}

void inv_case_row_free(inv_case_row *r)
{
	if (!r)
		return;
	free(r->notes_buf);
	r->notes_buf = NULL;
	r->notes = "";
}

int inv_case_report(db_t *db, int64_t id, int kind, char **text, size_t *len)
{
	return inv_case_report_v(db, id, 0, kind, text, len);
}

int inv_case_report_v(db_t *db, int64_t id, int version, int kind, char **text, size_t *len)
{
	/* [0] the latest (the engineer's last conclusion, else the engine's
	 * findings), [1] the engine's (version 1), [2] version ?2 (>= 2) */
	static const char *const sqls[3][3] = {
		{ "SELECT COALESCE((SELECT v.report_text FROM investigation_version v WHERE v.case_id = i.id"
		  " ORDER BY v.version DESC LIMIT 1), i.report_text) FROM investigation i WHERE i.id = ?1",
		  "SELECT COALESCE((SELECT v.report_csv FROM investigation_version v WHERE v.case_id = i.id"
		  " ORDER BY v.version DESC LIMIT 1), i.report_csv) FROM investigation i WHERE i.id = ?1",
		  "SELECT COALESCE((SELECT v.report_json FROM investigation_version v WHERE v.case_id = i.id"
		  " ORDER BY v.version DESC LIMIT 1), i.report_json) FROM investigation i WHERE i.id = ?1" },
		{ "SELECT report_text FROM investigation WHERE id = ?1",
		  "SELECT report_csv FROM investigation WHERE id = ?1",
		  "SELECT report_json FROM investigation WHERE id = ?1" },
		{ "SELECT report_text FROM investigation_version WHERE case_id = ?1 AND version = ?2",
		  "SELECT report_csv FROM investigation_version WHERE case_id = ?1 AND version = ?2",
		  "SELECT report_json FROM investigation_version WHERE case_id = ?1 AND version = ?2" },
	};
	int which = version == 0 ? 0 : version == 1 ? 1 : 2;
	db_stmt *q;
	int rc, st = DB_OK;
	*text = NULL;
	*len = 0;
	if (kind < 0 || kind > 2)
		return db_failf(db, DB_EINPUT, "no such report kind");
	if (db_prepare(db, sqls[which][kind], &q) != DB_OK)
		return db_fail(db, "read case");
	db_bind_int64(q, 1, id);
	if (version > 1)
		db_bind_int(q, 2, version);
	rc = db_step(q);
	if (rc == DB_ROW) {
		const void *p = db_column_blob(q, 0);
		size_t n = (size_t)db_column_bytes(q, 0);
		if (!(*text = malloc(n + 1))) {
			st = db_failf(db, DB_ENOMEM, "out of memory");
		} else {
			if (n)
				memcpy(*text, p, n);
			(*text)[n] = '\0';
			*len = n;
		}
	} else if (rc == DB_DONE) {
		st = version > 1 ? db_failf(db, DB_ENOTFOUND, "case %lld has no version %d (see `billtop case %lld`)",
		                            (long long)id, version, (long long)id)
		                 : db_failf(db, DB_ENOTFOUND, "no case %lld (see `billtop cases`)", (long long)id);
	} else {
		st = db_fail(db, "read case");
	}
	db_finalize(q);
	return st;
}

/* Run an UPDATE of one case; DB_ENOTFOUND when no row changed. */
static int update_case(db_t *db, db_stmt *q, int64_t id, const char *what)
{
	int rc = db_step(q);
	db_finalize(q);
	if (rc != DB_DONE)
		return db_fail(db, what);
	if (db_changes(db) == 0)
		return db_failf(db, DB_ENOTFOUND, "no case %lld (see `billtop cases`)", (long long)id);
	return DB_OK;
}

int inv_case_note(db_t *db, int64_t id, const char *text)
{
	db_stmt *q;
	char when[32], *line;
	size_t n;
	int st;
	if (!text || !*text)
		return db_failf(db, DB_EINPUT, "an empty note");
	tm_format(db_now(), when, sizeof when);
	n = strlen(when) + strlen(db_operator()) + strlen(text) + 8;
	if (!(line = malloc(n)))
		return db_failf(db, DB_ENOMEM, "out of memory");
	snprintf(line, n, "%s %s: %s\n", when, db_operator(), text);
	if (db_prepare(db, "UPDATE investigation SET notes = notes || ?2 WHERE id = ?1", &q) != DB_OK) {
		free(line);
		return db_fail(db, "add a note");
	}
	db_bind_int64(q, 1, id);
	db_bind_text(q, 2, line, -1);
	st = update_case(db, q, id, "add a note");
	free(line);
	return st;
}

int inv_case_close(db_t *db, int64_t id)
{
	db_stmt *q;
	inv_case_row r;
	int st;
	if ((st = inv_case_get(db, id, &r)) != DB_OK)
		return st;
	inv_case_row_free(&r);
	if (strcmp(r.status, "closed") == 0) {
		char when[32] = "?";
		if (r.closed != TM_NONE)
			tm_format(r.closed, when, sizeof when);
		return db_failf(db, DB_EINPUT, "case %lld is closed already (%s UTC by %s)", (long long)id, when,
		                r.closed_by);
	}
	if (db_prepare(db, "UPDATE investigation SET status = 'closed', closed = ?2, closed_by = ?3,"
	                       " closed_ssh = ?4 WHERE id = ?1 AND status = 'open'", &q) != DB_OK)
		return db_fail(db, "close the case");
	db_bind_int64(q, 1, id);
	db_bind_int64(q, 2, db_now());
	db_bind_text(q, 3, db_operator(), -1);
	db_bind_text(q, 4, db_ssh_client(), -1);
	return update_case(db, q, id, "close the case");
}
