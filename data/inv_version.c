/* inv_version.c: the engineer's conclusions about a saved case, appended
 * as versions 2, 3, ... of its findings (schema migration 10; declared in
 * investigate.h). The case's own row (version 1, the engine's answer) is
 * never touched. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inv_report.h"
#include "investigate.h"

/* "question: yes/no (the engineer's answer)" for each step, one per line. */
#define INS_VERSION "INSERT INTO investigation_version(case_id, version, created, operator, ssh_client," \
                    " verdict, worst_day, path, disputed, report_json, report_text, report_csv"
#define VERSION_ROW "?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12"

static char *path_text(const recon_result *r)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);
	if (!f)
		return NULL;
	for (int i = 0; i < r->nstep; i++)
		fprintf(f, "%s %s%s\n", r->steps[i].question, r->steps[i].answer ? "yes" : "no",
		        r->steps[i].overridden ? " (the engineer's answer)" : "");
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

int inv_conclude_save(db_t *db, inv_case *c)
{
	db_stmt *q = NULL;
	char *path = NULL, *rep[3] = { NULL, NULL, NULL }, disputed[48];
	size_t len[3];
	money_t diff = 0;
	int st, version, keep = c->version;

	if (!c->id)
		return db_failf(db, DB_EINPUT, "the investigation is not saved (read-only): nothing to conclude");
	for (int i = 0; i < c->res.nday; i++)
		diff = money_add_sat(diff, money_add_sat(c->res.days[i].cost[1], -c->res.days[i].cost[0]));
	money_format(diff, c->account.decimals, disputed, sizeof disputed);
	if ((st = db_begin(db, 1)) != DB_OK)
		return st;
	if ((st = db_prepare(db, "SELECT COALESCE(MAX(version), 1) + 1 FROM investigation_version WHERE case_id = ?1",
	                     &q)) != DB_OK)
		goto fail;
	db_bind_int64(q, 1, c->id);
	if (db_step(q) != DB_ROW) {
		st = db_fail(db, "number the conclusion");
		goto fail;
	}
	version = db_column_int(q, 0);
	db_finalize(q);
	q = NULL;
	c->version = version; /* the reports name it */
	if (!(path = path_text(&c->res)))
		goto oom;
	for (int k = 0; k < 3; k++)
		if (!(rep[k] = inv_report_string(c, k, &len[k])))
			goto oom;
	/* PostgreSQL's investigation_version also carries the case's account
	 * (the key Citus distributes it by: docs/scale.md) */
	if ((st = db_prepare(db, DB_SQL(db, INS_VERSION ") VALUES(" VERSION_ROW ")",
	                                INS_VERSION ", account_id) SELECT " VERSION_ROW ", account_id"
	                                " FROM investigation WHERE id = ?1"), &q)) != DB_OK)
		goto fail;
	db_bind_int64(q, 1, c->id);
	db_bind_int(q, 2, version);
	db_bind_int64(q, 3, db_now());
	db_bind_text(q, 4, db_operator(), -1);
	db_bind_text(q, 5, db_ssh_client(), -1);
	db_bind_text(q, 6, recon_verdict_name(c->res.verdict), -1);
	if (c->res.worst_day >= 0 && c->res.worst_day < c->res.nday)
		db_bind_int64(q, 7, c->res.days[c->res.worst_day].start);
	else
		db_bind_null(q, 7);
	db_bind_text(q, 8, path, -1);
	db_bind_text(q, 9, disputed, -1);
	db_bind_text(q, 10, rep[INV_REPORT_JSON], (int)(len[INV_REPORT_JSON]));
	db_bind_text(q, 11, rep[INV_REPORT_TEXT], (int)(len[INV_REPORT_TEXT]));
	db_bind_text(q, 12, rep[INV_REPORT_CSV], (int)(len[INV_REPORT_CSV]));
	if (db_step(q) != DB_DONE) {
		st = db_fail(db, "save the conclusion");
		goto fail;
	}
	db_finalize(q);
	q = NULL;
	if ((st = db_commit(db)) != DB_OK)
		goto fail;
	free(path);
	for (int k = 0; k < 3; k++)
		free(rep[k]);
	return DB_OK;
oom:
	st = db_failf(db, DB_ENOMEM, "out of memory writing the conclusion");
fail:
	db_finalize(q);
	db_rollback(db);
	c->version = keep;
	free(path);
	for (int k = 0; k < 3; k++)
		free(rep[k]);
	return st;
}
