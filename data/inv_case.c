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
static int put_report(db_t *db, inv_case *c, int kind, sqlite3_stmt *q, int col)
{
	size_t len;
	char *rep = inv_report_string(c, kind, &len);
	int rc;
	if (!rep)
		return db_failf(db, DB_ENOMEM, "out of memory writing the report");
	sqlite3_bind_text64(q, col, rep, len, SQLITE_STATIC, SQLITE_UTF8);
	rc = sqlite3_step(q);
	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
	free(rep);
	return rc == SQLITE_DONE ? DB_OK : db_fail(db, "save the case");
}

int inv_save(db_t *db, inv_case *c)
{
	sqlite3_stmt *q = NULL;
	int st;

	if ((st = db_begin(db)) != DB_OK)
		return st;
	/* The id is taken under the write lock, so the reports can name it. */
	if ((st = db_prepare(db, "SELECT COALESCE(MAX(id), 0) + 1 FROM investigation", &q)) != DB_OK)
		goto fail;
	if (sqlite3_step(q) != SQLITE_ROW) {
		st = db_fail(db, "number the case");
		goto fail;
	}
	c->id = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	q = NULL;
	if ((st = db_prepare(db, "INSERT INTO investigation(id, account_id, created, operator, ssh_client,"
	                     " their_path, their_format, their_rows, their_calls, their_rejected, our_calls,"
	                     " period_from, period_to, options, verdict, worst_day, report_json) VALUES(?1,?2,?3,"
	                     "?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17)", &q)) != DB_OK)
		goto fail;
	sqlite3_bind_int64(q, 1, c->id);
	sqlite3_bind_int64(q, 2, c->account.id);
	sqlite3_bind_int64(q, 3, c->created);
	sqlite3_bind_text(q, 4, c->operator_, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 5, c->ssh_client, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 6, c->their_path, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 7, c->their_format, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 8, c->theirs.rows);
	sqlite3_bind_int64(q, 9, (int64_t)c->theirs.n);
	sqlite3_bind_int64(q, 10, c->theirs.rejected);
	sqlite3_bind_int64(q, 11, (int64_t)c->ours.n);
	sqlite3_bind_int64(q, 12, c->from);
	sqlite3_bind_int64(q, 13, c->to);
	sqlite3_bind_text(q, 14, c->options, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 15, recon_verdict_name(c->res.verdict), -1, SQLITE_STATIC);
	if (c->res.worst_day >= 0 && c->res.worst_day < c->res.nday)
		sqlite3_bind_int64(q, 16, c->res.days[c->res.worst_day].start);
	else
		sqlite3_bind_null(q, 16);
	if ((st = put_report(db, c, INV_REPORT_JSON, q, 17)) != DB_OK)
		goto fail;
	sqlite3_finalize(q);
	q = NULL;
	for (int k = 0; k < 2; k++) {
		if ((st = db_prepare(db, k == 0 ? "UPDATE investigation SET report_text = ?2 WHERE id = ?1"
		                                : "UPDATE investigation SET report_csv = ?2 WHERE id = ?1", &q)) != DB_OK)
			goto fail;
		sqlite3_bind_int64(q, 1, c->id);
		if ((st = put_report(db, c, k == 0 ? INV_REPORT_TEXT : INV_REPORT_CSV, q, 2)) != DB_OK)
			goto fail;
		sqlite3_finalize(q);
		q = NULL;
	}
	if ((st = db_commit(db)) != DB_OK)
		goto fail;
	return DB_OK;
fail:
	sqlite3_finalize(q);
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

static void text_col(char *dst, size_t n, sqlite3_stmt *q, int col)
{
	const char *s = (const char *)sqlite3_column_text(q, col);
	snprintf(dst, n, "%s", s ? s : "");
}

static void case_row(sqlite3_stmt *q, inv_case_row *r)
{
	memset(r, 0, sizeof *r);
	r->id = sqlite3_column_int64(q, 0);
	r->account_id = sqlite3_column_int64(q, 1);
	text_col(r->account, sizeof r->account, q, 2);
	r->created = sqlite3_column_int64(q, 3);
	text_col(r->operator_, sizeof r->operator_, q, 4);
	text_col(r->ssh_client, sizeof r->ssh_client, q, 5);
	text_col(r->status, sizeof r->status, q, 6);
	r->closed = sqlite3_column_type(q, 7) == SQLITE_NULL ? TM_NONE : sqlite3_column_int64(q, 7);
	text_col(r->closed_by, sizeof r->closed_by, q, 8);
	text_col(r->their_path, sizeof r->their_path, q, 9);
	text_col(r->their_format, sizeof r->their_format, q, 10);
	r->from = sqlite3_column_int64(q, 11);
	r->to = sqlite3_column_int64(q, 12);
	text_col(r->options, sizeof r->options, q, 13);
	text_col(r->verdict, sizeof r->verdict, q, 14);
	r->notes = (const char *)sqlite3_column_text(q, 15);
	if (!r->notes)
		r->notes = "";
	r->versions = sqlite3_column_int(q, 16);
	text_col(r->concluded, sizeof r->concluded, q, 17);
	text_col(r->disputed, sizeof r->disputed, q, 18);
	text_col(r->currency, sizeof r->currency, q, 19);
}

int inv_case_each(db_t *db, int64_t account_id, inv_case_fn fn, void *ctx)
{
	sqlite3_stmt *q;
	int rc;
	if (sqlite3_prepare_v2(db->sql, "SELECT " CASE_COLS " WHERE ?1 = 0 OR i.account_id = ?1"
	                       " ORDER BY i.status = 'open' DESC, i.id DESC", -1, &q, NULL) != SQLITE_OK)
		return db_fail(db, "list cases");
	sqlite3_bind_int64(q, 1, account_id);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		inv_case_row r;
		case_row(q, &r);
		if (fn(&r, ctx))
			break;
	}
	sqlite3_finalize(q);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? DB_OK : db_fail(db, "list cases");
}

int inv_case_get(db_t *db, int64_t id, inv_case_row *out)
{
	sqlite3_stmt *q;
	int rc, st = DB_OK;
	memset(out, 0, sizeof *out);
	out->notes = "";
	if (sqlite3_prepare_v2(db->sql, "SELECT " CASE_COLS " WHERE i.id = ?1", -1, &q, NULL) != SQLITE_OK)
		return db_fail(db, "read case");
	sqlite3_bind_int64(q, 1, id);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		case_row(q, out);
		if (!(out->notes_buf = strdup(out->notes)))
			st = db_failf(db, DB_ENOMEM, "out of memory");
		out->notes = out->notes_buf ? out->notes_buf : "";
	} else if (rc == SQLITE_DONE) {
		st = db_failf(db, DB_ENOTFOUND, "no case %lld (see `billtop cases`)", (long long)id);
	} else {
		st = db_fail(db, "read case");
	}
	sqlite3_finalize(q);
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
	sqlite3_stmt *q;
	int rc, st = DB_OK;
	*text = NULL;
	*len = 0;
	if (kind < 0 || kind > 2)
		return db_failf(db, DB_EINPUT, "no such report kind");
	if (sqlite3_prepare_v2(db->sql, sqls[which][kind], -1, &q, NULL) != SQLITE_OK)
		return db_fail(db, "read case");
	sqlite3_bind_int64(q, 1, id);
	if (version > 1)
		sqlite3_bind_int(q, 2, version);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		const void *p = sqlite3_column_blob(q, 0);
		size_t n = (size_t)sqlite3_column_bytes(q, 0);
		if (!(*text = malloc(n + 1))) {
			st = db_failf(db, DB_ENOMEM, "out of memory");
		} else {
			if (n)
				memcpy(*text, p, n);
			(*text)[n] = '\0';
			*len = n;
		}
	} else if (rc == SQLITE_DONE) {
		st = version > 1 ? db_failf(db, DB_ENOTFOUND, "case %lld has no version %d (see `billtop case %lld`)",
		                            (long long)id, version, (long long)id)
		                 : db_failf(db, DB_ENOTFOUND, "no case %lld (see `billtop cases`)", (long long)id);
	} else {
		st = db_fail(db, "read case");
	}
	sqlite3_finalize(q);
	return st;
}

/* Run an UPDATE of one case; DB_ENOTFOUND when no row changed. */
static int update_case(db_t *db, sqlite3_stmt *q, int64_t id, const char *what)
{
	int rc = sqlite3_step(q);
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return db_fail(db, what);
	if (sqlite3_changes(db->sql) == 0)
		return db_failf(db, DB_ENOTFOUND, "no case %lld (see `billtop cases`)", (long long)id);
	return DB_OK;
}

int inv_case_note(db_t *db, int64_t id, const char *text)
{
	sqlite3_stmt *q;
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
	if (sqlite3_prepare_v2(db->sql, "UPDATE investigation SET notes = notes || ?2 WHERE id = ?1", -1, &q,
	                       NULL) != SQLITE_OK) {
		free(line);
		return db_fail(db, "add a note");
	}
	sqlite3_bind_int64(q, 1, id);
	sqlite3_bind_text(q, 2, line, -1, SQLITE_STATIC);
	st = update_case(db, q, id, "add a note");
	free(line);
	return st;
}

int inv_case_close(db_t *db, int64_t id)
{
	sqlite3_stmt *q;
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
	if (sqlite3_prepare_v2(db->sql, "UPDATE investigation SET status = 'closed', closed = ?2, closed_by = ?3,"
	                       " closed_ssh = ?4 WHERE id = ?1 AND status = 'open'", -1, &q, NULL) != SQLITE_OK)
		return db_fail(db, "close the case");
	sqlite3_bind_int64(q, 1, id);
	sqlite3_bind_int64(q, 2, db_now());
	sqlite3_bind_text(q, 3, db_operator(), -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, db_ssh_client(), -1, SQLITE_STATIC);
	return update_case(db, q, id, "close the case");
}
