/* db_pg.c: the PostgreSQL backend of the store interface (libpq).
 *
 * Target: a "postgresql://" / "postgres://" URI or a libpq "key=value"
 * string. No message ever shows the password: libpq's own messages are
 * scrubbed of it, and the store is named by pg_label (user@host:port/db).
 *
 * Statements: SQLite's ?NNN and bare ? are rewritten to $N (outside quoted
 * strings, identifiers and comments) at prepare; the server statement is
 * prepared at the first step, typed by the bindings then (int64 -> int8,
 * blob -> bytea, text and NULL left for the server to infer), and cached per
 * connection by (text, types): a statement prepared again costs nothing.
 * Parameters travel as text (int64 in decimal), blobs as binary bytea.
 * Results are text format. A SELECT streams in single-row mode while it has
 * the connection to itself; another use of the connection first reads its
 * remaining rows into memory (pg_unstream, db_pg_stmt.c), so a statement may
 * still be stepped while others run (the walk stepping calls while it
 * inserts). Other statements are fetched whole at the first step.
 * bytea columns are handed back decoded (column_text and column_blob alike).
 *
 * Transactions: db_begin(write=1) is BEGIN ISOLATION LEVEL READ COMMITTED
 * (writers of different accounts never wait; the same account is serialised
 * by lock_account = pg_advisory_xact_lock); a read is REPEATABLE READ READ
 * ONLY (one snapshot, as SQLite's read transaction).
 *
 * data_version: the schema's statement triggers pg_notify('billtop') on
 * commit; this connection LISTENs, and data_version counts the notifications
 * from other sessions (PQconsumeInput + PQnotifies: no round trip when none
 * came). Errors map SQLSTATE 23xxx -> DB_ECONSTRAINT, 40001/40P01/55P03 ->
 * DB_EBUSY, 57014 -> DB_EINTERRUPT, 25006 -> DB_EREADONLY, else DB_ESQL. */
#include "db_pg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_pg_int.h"
#include "schema.sql.h"

/* ---- messages ---- */

/* Replace every copy of the password in s by "***" (never longer). */
static void scrub(const pg_conn *c, char *s)
{
	size_t n = strlen(c->secret);
	char *p;
	if (n == 0)
		return;
	while ((p = strstr(s, c->secret))) {
		memcpy(p, "***", 3);
		memmove(p + 3, p + n, strlen(p + n) + 1);
	}
}

/* The first line of a libpq message, scrubbed, into db's error. */
static int pg_failmsg(db_t *db, pg_conn *c, int status, const char *what, const char *msg)
{
	char m[400];
	size_t k;
	snprintf(m, sizeof m, "%s", msg && *msg ? msg : "unknown error");
	if (strncmp(m, "ERROR:  ", 8) == 0)
		memmove(m, m + 8, strlen(m + 8) + 1);
	k = strcspn(m, "\n");
	m[k] = '\0';
	scrub(c, m);
	(void)what;
	return db_be_error(db, status, m);
}

static int status_of(const char *sqlstate)
{
	if (!sqlstate)
		return DB_ESQL;
	if (strncmp(sqlstate, "23", 2) == 0)
		return DB_ECONSTRAINT;
	if (!strcmp(sqlstate, "40001") || !strcmp(sqlstate, "40P01") || !strcmp(sqlstate, "55P03"))
		return DB_EBUSY;
	if (!strcmp(sqlstate, "57014"))
		return DB_EINTERRUPT;
	if (!strcmp(sqlstate, "25006"))
		return DB_EREADONLY;
	return DB_ESQL;
}

/* A failed result: its status from the SQLSTATE, its message in db. */
int pg_res_fail(db_t *db, pg_conn *c, const char *what, PGresult *r)
{
	const char *msg = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	int st = status_of(r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL);
	if (st == DB_EREADONLY)
		return db_be_error(db, st, "the database is read-only");
	return pg_failmsg(db, c, st, what, msg ? msg : PQerrorMessage(c->pg));
}

pg_conn *pg_conn_of(db_t *db)
{
	return (pg_conn *)db->impl;
}

/* ---- open / close ---- */


/* The session's settings, before its LISTEN. */
#define SESSION_SQL "SET client_min_messages = warning; SET application_name = 'billtop';" \
	" SET TIME ZONE 'UTC'; SET jit = off;"

/* Connect db (its impl set first: db.c closes it on failure) to target. */
static int pg_open(db_t *db, const char *target, int flags)
{
	char *err = NULL;
	PQconninfoOption *opt, *o;
	const char *user = "", *host = "", *port = "", *dbname = "";
	pg_conn *c;
	PGresult *r;
	const char *code;

	opt = PQconninfoParse(target, &err);
	if (!opt) {
		/* libpq quotes the piece it could not read, which may be the password */
		PQfreemem(err);
		return db_failf(db, DB_EOPEN, "not a PostgreSQL connection string or URI (libpq's "
		                "postgresql://user@host/dbname or \"host=... dbname=...\")");
	}
	if (!(c = calloc(1, sizeof *c)) || !(c->target = strdup(target))) {
		free(c);
		PQconninfoFree(opt);
		return db_failf(db, DB_ENOMEM, "out of memory");
	}
	for (o = opt; o->keyword; o++) {
		const char *v = o->val ? o->val : "";
		if (!strcmp(o->keyword, "password"))
			snprintf(c->secret, sizeof c->secret, "%s", v);
		else if (!strcmp(o->keyword, "user"))
			user = v;
		else if (!strcmp(o->keyword, "host"))
			host = v;
		else if (!strcmp(o->keyword, "port"))
			port = v;
		else if (!strcmp(o->keyword, "dbname"))
			dbname = v;
	}
	snprintf(c->label, sizeof c->label, "postgresql://%s%s%s%s%s/%s", user, *user ? "@" : "", host,
	         *port ? ":" : "", port, dbname);
	scrub(c, c->label);
	PQconninfoFree(opt);
	c->flags = flags;
	db->impl = c;
	c->pg = PQconnectdb(target);
	if (!c->pg || PQstatus(c->pg) != CONNECTION_OK) {
		char m[400];
		snprintf(m, sizeof m, "%s", c->pg ? PQerrorMessage(c->pg) : "out of memory");
		m[strcspn(m, "\n")] = '\0';
		scrub(c, m);
		return db_failf(db, DB_EOPEN, "%s: cannot connect: %s", c->label, m);
	}
	snprintf(c->label, sizeof c->label, "postgresql://%s@%s:%s/%s", PQuser(c->pg), PQhost(c->pg),
	         PQport(c->pg), PQdb(c->pg));
	scrub(c, c->label);
	/* NOTICEs (e.g. "relation exists") never reach the terminal; times are
	 * epochs, but a session function never sees a local zone. No JIT: our
	 * reads are short and indexed, and the planner's cost estimate of one
	 * over a busy account's 12 hours of calls (47,000 rows) crossed
	 * jit_above_cost: 20 ms of JIT compiling in that read (EXPLAIN ANALYZE),
	 * more than the console's 16 ms a key on its own. */
	r = PQexec(c->pg, SESSION_SQL " LISTEN billtop");
	if (PQresultStatus(r) != PGRES_COMMAND_OK && (code = PQresultErrorField(r, PG_DIAG_SQLSTATE))
	    && !strcmp(code, "25006")) {
		/* a hot standby refuses LISTEN ("cannot execute LISTEN during
		 * recovery"): its reads work without it; data_version then never
		 * moves (no live refresh on a standby) */
		PQclear(r);
		r = PQexec(c->pg, SESSION_SQL);
	}
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		char m[400];
		snprintf(m, sizeof m, "%s", PQresultErrorMessage(r));
		m[strcspn(m, "\n")] = '\0';
		PQclear(r);
		return db_failf(db, DB_EOPEN, "%s: %s", c->label, m);
	}
	PQclear(r);
	/* A session the server makes read-only (ALTER DATABASE/ROLE ... SET
	 * default_transaction_read_only = on: how an operator freezes a store;
	 * a hot standby) is read-only here too, as a file nobody may write is
	 * on SQLite: commands refuse up front instead of failing mid-way or,
	 * with nothing to write, quietly succeeding. */
	if (!db->read_only) {
		r = PQexec(c->pg, "SHOW transaction_read_only");
		if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 && !strcmp(PQgetvalue(r, 0, 0), "on"))
			db->read_only = 1;
		PQclear(r);
	}
	if (db->read_only && pg_exec_c(db, "SET default_transaction_read_only = on") != DB_OK)
		return db_failf(db, DB_EOPEN, "%s: %s", c->label, db->be_err);
	return DB_OK;
}

static void pg_close(db_t *db)
{
	pg_conn *c = pg_conn_of(db);
	pg_prep *p, *n;
	if (!c)
		return;
	for (p = c->preps; p; p = n) {
		n = p->next;
		free(p->key);
		free(p);
	}
	if (c->pg) {
		pg_unstream(c); /* a statement finalized after the close touches no connection */
		PQfinish(c->pg);
	}
	free(c->target);
	memset(c->secret, 0, sizeof c->secret);
	free(c);
	db->impl = NULL;
}

/* changes: rows written by the last INSERT, UPDATE or DELETE, as SQLite's
 * sqlite3_changes (a SELECT, BEGIN or COMMIT leaves it as it was). */
void pg_note_changes(pg_conn *c, PGresult *r)
{
	const char *cmd = PQcmdStatus(r);
	if (!strncmp(cmd, "INSERT ", 7) || !strncmp(cmd, "UPDATE ", 7) || !strncmp(cmd, "DELETE ", 7)
	    || !strncmp(cmd, "MERGE ", 6))
		c->changes = atoll(PQcmdTuples(r));
}

int pg_exec_c(db_t *db, const char *sql)
{
	pg_conn *c = pg_conn_of(db);
	/* a COPY left running failed: sql still runs (a ROLLBACK must; a COMMIT
	 * of the aborted transaction rolls back) and the COPY's failure is the
	 * answer */
	int pre = pg_settle(db, c);
	PGresult *r = PQexec(c->pg, sql);
	ExecStatusType s = PQresultStatus(r);
	int st = DB_OK;
	if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK)
		st = pg_res_fail(db, c, "exec", r);
	else
		pg_note_changes(c, r);
	PQclear(r);
	return pre != DB_OK ? pre : st;
}

/* ---- connection state ---- */

static int64_t pg_changes(db_t *db)
{
	return pg_conn_of(db)->changes;
}

static int pg_in_transaction(db_t *db)
{
	/* a streaming SELECT leaves the connection "active": read it first */
	pg_unstream(pg_conn_of(db));
	return PQtransactionStatus(pg_conn_of(db)->pg) != PQTRANS_IDLE;
}

static int pg_begin(db_t *db, int write)
{
	return pg_exec_c(db, write ? "BEGIN ISOLATION LEVEL READ COMMITTED"
	                           : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
}

static int pg_commit(db_t *db)
{
	return pg_exec_c(db, "COMMIT");
}

static int pg_rollback(db_t *db)
{
	if (!pg_in_transaction(db))
		return DB_OK;
	return pg_exec_c(db, "ROLLBACK");
}

static int64_t pg_data_version(db_t *db)
{
	pg_conn *c = pg_conn_of(db);
	PGnotify *n;
	if (!PQconsumeInput(c->pg))
		return -1;
	while ((n = PQnotifies(c->pg))) {
		if (n->be_pid != PQbackendPID(c->pg)) /* as SQLite: others' commits only */
			c->version++;
		PQfreemem(n);
	}
	return c->version;
}

static void pg_set_progress(db_t *db, int every, int (*fn)(void *), void *ctx)
{
	pg_conn *c = pg_conn_of(db);
	c->progress_every = every;
	c->progress = every > 0 ? fn : NULL;
	c->progress_ctx = ctx;
}

/* One integer from a one-row query (no parameters); -1 when NULL or none. */
static int query_int(db_t *db, const char *sql, int64_t *out)
{
	pg_conn *c = pg_conn_of(db);
	int st = pg_settle(db, c);
	PGresult *r;
	if (st != DB_OK)
		return st;
	r = PQexec(c->pg, sql);
	if (PQresultStatus(r) != PGRES_TUPLES_OK)
		st = pg_res_fail(db, c, "read schema version", r);
	else
		*out = PQntuples(r) == 1 && !PQgetisnull(r, 0, 0) ? atoll(PQgetvalue(r, 0, 0)) : -1;
	PQclear(r);
	return st;
}

static int pg_schema_version(db_t *db, int *out)
{
	int64_t has, v;
	int st;
	*out = 0;
	if ((st = query_int(db, "SELECT CASE WHEN to_regclass('billtop_schema') IS NULL THEN 0 ELSE 1 END", &has))
	    != DB_OK)
		return st;
	if (!has)
		return DB_OK;
	if ((st = query_int(db, "SELECT max(version) FROM billtop_schema", &v)) != DB_OK)
		return st;
	*out = v < 0 ? 0 : (int)v;
	return DB_OK;
}

/* A database without billtop_schema gets the whole schema in one transaction
 * (two billtops creating at once: the advisory lock makes the second wait and
 * find it done). A newer version is refused; there is no older one yet (the
 * PostgreSQL store starts at version 10; migrations 11.. go here). */
static int pg_migrate(db_t *db)
{
	pg_conn *c = pg_conn_of(db);
	int v, st;
	if ((st = pg_schema_version(db, &v)) != DB_OK)
		return st;
	if (v > DB_SCHEMA_VERSION)
		return db_failf(db, DB_ESCHEMA, "schema version %d is newer than this billtop (%d): upgrade billtop",
		                v, DB_SCHEMA_VERSION);
	if (v == DB_SCHEMA_VERSION)
		return DB_OK;
	if (v != 0)
		return db_failf(db, DB_ESCHEMA, "schema version %d: this billtop creates PostgreSQL stores at %d "
		                "and knows no migration from %d", v, DB_SCHEMA_VERSION, v);
	if (!(c->flags & DB_OPEN_CREATE))
		return db_failf(db, DB_EOPEN, "no billtop store in this database (run `billtop --db URI init`)");
	if (db->read_only)
		return db_failf(db, DB_ESCHEMA, "the database has no billtop schema, and it is opened read-only");
	if ((st = pg_begin(db, 1)) != DB_OK)
		return st;
	if ((st = pg_exec_c(db, "SELECT pg_advisory_xact_lock(7412306)")) != DB_OK
	    || (st = pg_schema_version(db, &v)) != DB_OK)
		goto fail;
	if (v == 0 && (st = pg_exec_c(db, PG_SCHEMA_V10)) != DB_OK) {
		char keep[400];
		snprintf(keep, sizeof keep, "%.399s", db->be_err);
		pg_rollback(db);
		return db_failf(db, DB_ESCHEMA, "creating the schema failed: %s", keep);
	}
	return pg_commit(db);
fail:
	pg_rollback(db);
	return st;
}

/* A second connection to the same store, in the same mode; no migration. */
static int pg_reopen(db_t *db, db_t **out)
{
	pg_conn *c = pg_conn_of(db);
	db_t *r;
	*out = NULL;
	if (!(r = db_new(&db_pg_backend, db->read_only)))
		return db_failf(db, DB_ENOMEM, "out of memory");
	if (pg_open(r, c->target, c->flags & ~DB_OPEN_CREATE) != DB_OK) {
		db_failf(db, DB_EOPEN, "%s", db_errmsg(r));
		pg_close(r);
		free(r);
		return DB_EOPEN;
	}
	*out = r;
	return DB_OK;
}

static int pg_lock_account(db_t *db, int64_t account_id)
{
	db_stmt *st;
	int rc;
	if ((rc = pg_prepare(db, "SELECT pg_advisory_xact_lock(?1)", &st)) != DB_OK)
		return rc;
	pg_bind_int64(st, 1, account_id);
	rc = pg_step(st);
	pg_finalize(st);
	return rc == DB_ROW ? DB_OK : rc;
}

const char *db_pg_label(db_t *db)
{
	return pg_conn_of(db)->label;
}

const db_backend db_pg_backend = {
	.name = "postgresql",
	.open = pg_open,
	.close = pg_close,
	.exec = pg_exec_c,
	.prepare = pg_prepare,
	.bind_int64 = pg_bind_int64,
	.bind_text = pg_bind_text,
	.bind_blob = pg_bind_blob,
	.bind_null = pg_bind_null,
	.step = pg_step,
	.column_type = pg_column_type,
	.column_int64 = pg_column_int64,
	.column_text = pg_column_text,
	.column_blob = pg_column_blob,
	.column_bytes = pg_column_bytes,
	.column_count = pg_column_count,
	.reset = pg_reset,
	.clear_bindings = pg_clear_bindings,
	.finalize = pg_finalize,
	.changes = pg_changes,
	.in_transaction = pg_in_transaction,
	.begin = pg_begin,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.data_version = pg_data_version,
	.set_progress = pg_set_progress,
	.schema_version = pg_schema_version,
	.migrate = pg_migrate,
	.reopen = pg_reopen,
	.lock_account = pg_lock_account,
};

