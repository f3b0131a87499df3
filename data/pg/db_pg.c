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
 * Results are text format, fetched WHOLE at the first step (PQexecPrepared):
 * simple, and a statement may be stepped while others run on the same
 * connection (the walk stepping calls while it inserts); a query returning
 * millions of rows holds them in memory (single-row mode is left to do).
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

#include <errno.h>
#include <libpq-fe.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../db_backend.h"
#include "schema.sql.h"

#define OID_BOOL 16
#define OID_BYTEA 17
#define OID_INT8 20
#define OID_TEXT 25
#define OID_INT2 21
#define OID_INT4 23
#define OID_OID 26
#define OID_FLOAT4 700
#define OID_FLOAT8 701
#define OID_NUMERIC 1700

typedef struct pg_prep {
	char *key;  /* statement text, NUL, type signature */
	size_t keylen;
	char name[16];
	struct pg_prep *next;
} pg_prep;

typedef struct pg_conn {
	PGconn *pg;
	char *target;          /* as given (for reopen); never printed */
	char secret[256];      /* the password, scrubbed from messages */
	char label[256];       /* user@host:port/db */
	int flags;
	int64_t version;       /* notifications from other sessions */
	int64_t changes;
	int nprep;
	pg_prep *preps;
	int progress_every;
	int (*progress)(void *);
	void *progress_ctx;
} pg_conn;

typedef struct pg_stmt {
	struct db_stmt head;   /* first: db.c dispatches through head.db */
	db_t *db;
	pg_conn *c;
	char *sql;             /* rewritten to $N */
	int nparams;
	char **val;            /* per parameter: owned copy, or NULL (SQL NULL) */
	int *len;
	Oid *type;
	int *fmt;
	PGresult *res;
	int row, nrows, ncols, started;
	unsigned char **dec;   /* decoded bytea of the current row, per column */
	size_t *declen;
} pg_stmt;

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
static int res_fail(db_t *db, pg_conn *c, const char *what, PGresult *r)
{
	const char *msg = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	int st = status_of(r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL);
	if (st == DB_EREADONLY)
		return db_be_error(db, st, "the database is read-only");
	return pg_failmsg(db, c, st, what, msg ? msg : PQerrorMessage(c->pg));
}

static pg_conn *conn_of(db_t *db)
{
	return (pg_conn *)db->impl;
}

/* ---- open / close ---- */

static int pg_exec_c(db_t *db, const char *sql);

/* Connect db (its impl set first: db.c closes it on failure) to target. */
static int pg_open(db_t *db, const char *target, int flags)
{
	char *err = NULL;
	PQconninfoOption *opt, *o;
	const char *user = "", *host = "", *port = "", *dbname = "";
	pg_conn *c;
	PGresult *r;

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
	 * epochs, but a session function never sees a local zone */
	r = PQexec(c->pg, "SET client_min_messages = warning; SET application_name = 'billtop';"
	           " SET TIME ZONE 'UTC'; LISTEN billtop");
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		char m[400];
		snprintf(m, sizeof m, "%s", PQresultErrorMessage(r));
		m[strcspn(m, "\n")] = '\0';
		PQclear(r);
		return db_failf(db, DB_EOPEN, "%s: %s", c->label, m);
	}
	PQclear(r);
	if (db->read_only && pg_exec_c(db, "SET default_transaction_read_only = on") != DB_OK)
		return db_failf(db, DB_EOPEN, "%s: %s", c->label, db->be_err);
	return DB_OK;
}

static void pg_close(db_t *db)
{
	pg_conn *c = conn_of(db);
	pg_prep *p, *n;
	if (!c)
		return;
	for (p = c->preps; p; p = n) {
		n = p->next;
		free(p->key);
		free(p);
	}
	if (c->pg)
		PQfinish(c->pg);
	free(c->target);
	memset(c->secret, 0, sizeof c->secret);
	free(c);
	db->impl = NULL;
}

/* changes: rows written by the last INSERT, UPDATE or DELETE, as SQLite's
 * sqlite3_changes (a SELECT, BEGIN or COMMIT leaves it as it was). */
static void note_changes(pg_conn *c, PGresult *r)
{
	const char *cmd = PQcmdStatus(r);
	if (!strncmp(cmd, "INSERT ", 7) || !strncmp(cmd, "UPDATE ", 7) || !strncmp(cmd, "DELETE ", 7)
	    || !strncmp(cmd, "MERGE ", 6))
		c->changes = atoll(PQcmdTuples(r));
}

static int pg_exec_c(db_t *db, const char *sql)
{
	pg_conn *c = conn_of(db);
	PGresult *r = PQexec(c->pg, sql);
	ExecStatusType s = PQresultStatus(r);
	int st = DB_OK;
	if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK)
		st = res_fail(db, c, "exec", r);
	else
		note_changes(c, r);
	PQclear(r);
	return st;
}

/* ---- statements ---- */

/* Rewrite SQLite parameters to PostgreSQL's: ?NNN -> $NNN, bare ? -> $k (one
 * more than the largest so far, SQLite's rule), outside '...', "...", -- and
 * C comments. *nparams: the largest number. The result is malloc'd. */
char *db_pg_rewrite(const char *sql, int *nparams)
{
	size_t n = strlen(sql), k = 0, i;
	/* one '?' becomes at most "$32767" (6 bytes; SQLite's limit on ?NNN) */
	size_t cap = n * 6 + 16;
	char *out = malloc(cap);
	int maxp = 0;
	if (!out)
		return NULL;
	for (i = 0; i < n;) {
		char ch = sql[i];
		if (ch == '\'' || ch == '"') {
			out[k++] = sql[i++];
			while (i < n) {
				out[k++] = sql[i];
				if (sql[i++] == ch) {
					if (i < n && sql[i] == ch) { /* doubled quote */
						out[k++] = sql[i++];
						continue;
					}
					break;
				}
			}
		} else if (ch == '-' && i + 1 < n && sql[i + 1] == '-') {
			while (i < n && sql[i] != '\n')
				out[k++] = sql[i++];
		} else if (ch == '/' && i + 1 < n && sql[i + 1] == '*') {
			const char *e = strstr(sql + i + 2, "*/");
			size_t stop = e ? (size_t)(e - sql) + 2 : n;
			while (i < stop)
				out[k++] = sql[i++];
		} else if (ch == '?') {
			int num = 0;
			i++;
			if (i < n && sql[i] >= '0' && sql[i] <= '9') {
				while (i < n && sql[i] >= '0' && sql[i] <= '9' && num < 32767)
					num = num * 10 + (sql[i++] - '0');
			} else {
				num = maxp + 1;
			}
			if (num > maxp)
				maxp = num;
			k += (size_t)sprintf(out + k, "$%d", num);
		} else {
			out[k++] = sql[i++];
		}
		if (k + 8 > cap) { /* cannot happen with the bound above; stay safe */
			free(out);
			return NULL;
		}
	}
	out[k] = '\0';
	*nparams = maxp;
	return out;
}

static int pg_prepare(db_t *db, const char *sql, db_stmt **out)
{
	pg_stmt *s = calloc(1, sizeof *s);
	*out = NULL;
	if (!s)
		return db_be_error(db, DB_ENOMEM, "out of memory");
	s->head.db = db;
	s->db = db;
	s->c = conn_of(db);
	if (!(s->sql = db_pg_rewrite(sql, &s->nparams))) {
		free(s);
		return db_be_error(db, DB_ENOMEM, "out of memory");
	}
	if (s->nparams > 0) {
		s->val = calloc((size_t)s->nparams, sizeof *s->val);
		s->len = calloc((size_t)s->nparams, sizeof *s->len);
		s->type = calloc((size_t)s->nparams, sizeof *s->type);
		s->fmt = calloc((size_t)s->nparams, sizeof *s->fmt);
		if (!s->val || !s->len || !s->type || !s->fmt) {
			free(s->val), free(s->len), free(s->type), free(s->fmt), free(s->sql), free(s);
			return db_be_error(db, DB_ENOMEM, "out of memory");
		}
	}
	*out = (db_stmt *)s;
	return DB_OK;
}

static void clear_result(pg_stmt *s)
{
	int i;
	if (s->dec) {
		for (i = 0; i < s->ncols; i++)
			PQfreemem(s->dec[i]);
		free(s->dec);
		free(s->declen);
		s->dec = NULL;
		s->declen = NULL;
	}
	PQclear(s->res);
	s->res = NULL;
	s->started = 0;
	s->row = s->nrows = s->ncols = 0;
}

static int set_param(pg_stmt *s, int idx, const void *p, int n, Oid type, int fmt)
{
	char *v = NULL;
	if (idx < 1 || idx > s->nparams)
		{
		char m[80];
		snprintf(m, sizeof m, "bind: parameter %d out of range (1..%d)", idx, s->nparams);
		return db_be_error(s->db, DB_ESQL, m);
	}
	if (p) {
		if (!(v = malloc((size_t)n + 1)))
			return db_be_error(s->db, DB_ENOMEM, "out of memory");
		memcpy(v, p, (size_t)n);
		v[n] = '\0';
	}
	free(s->val[idx - 1]);
	s->val[idx - 1] = v;
	s->len[idx - 1] = n;
	s->type[idx - 1] = type;
	s->fmt[idx - 1] = fmt;
	return DB_OK;
}

static int pg_bind_int64(db_stmt *st, int idx, int64_t v)
{
	char b[24];
	int n = snprintf(b, sizeof b, "%lld", (long long)v);
	return set_param((pg_stmt *)st, idx, b, n, OID_INT8, 0);
}

static int pg_bind_text(db_stmt *st, int idx, const char *p, int n)
{
	if (!p)
		return set_param((pg_stmt *)st, idx, NULL, 0, 0, 0);
	return set_param((pg_stmt *)st, idx, p, n < 0 ? (int)strlen(p) : n, 0, 0);
}

static int pg_bind_blob(db_stmt *st, int idx, const void *p, int n)
{
	/* SQLite binds a NULL pointer as NULL; an empty blob stays empty */
	if (!p)
		return set_param((pg_stmt *)st, idx, NULL, 0, 0, 0);
	return set_param((pg_stmt *)st, idx, p, n, OID_BYTEA, 1);
}

static int pg_bind_null(db_stmt *st, int idx)
{
	return set_param((pg_stmt *)st, idx, NULL, 0, 0, 0);
}

/* The server statement for s with its current parameter types: prepared once
 * per connection (cached by text + types). */
static int server_stmt(pg_stmt *s, const char **name)
{
	pg_conn *c = s->c;
	size_t tl = strlen(s->sql), kl = tl + 1 + (size_t)s->nparams * 11;
	char *key = malloc(kl + 1);
	size_t k;
	pg_prep *p;
	PGresult *r;
	Oid *t;
	int i, intx, tries, last;
	if (!key)
		return db_be_error(s->db, DB_ENOMEM, "out of memory");
	memcpy(key, s->sql, tl + 1);
	k = tl + 1;
	for (i = 0; i < s->nparams; i++)
		k += (size_t)sprintf(key + k, "%u,", (unsigned)s->type[i]);
	for (p = c->preps; p; p = p->next)
		if (p->keylen == k && memcmp(p->key, key, k) == 0) {
			free(key);
			*name = p->name;
			return DB_OK;
		}
	if (!(p = calloc(1, sizeof *p))) {
		free(key);
		return db_be_error(s->db, DB_ENOMEM, "out of memory");
	}
	snprintf(p->name, sizeof p->name, "bt%d", ++c->nprep);
	/* In a transaction a failed PREPARE would abort it (SQLite's prepare
	 * never does): the first prepare of a text runs under a savepoint. */
	intx = PQtransactionStatus(c->pg) == PQTRANS_INTRANS;
	if (intx)
		PQclear(PQexec(c->pg, "SAVEPOINT billtop_prepare"));
	r = PQprepare(c->pg, p->name, s->sql, s->nparams, s->type);
	/* "could not determine data type of parameter $N" (42P18, or 42P08 for
	 * `?2 IS NULL OR ...`; or a parameter this text leaves unused): SQLite
	 * has no types. That parameter is text when bound to text; bound to NULL
	 * it is int8 first, text when int8 does not fit how the text uses it. */
	t = s->nparams ? malloc((size_t)s->nparams * sizeof *t) : NULL;
	if (t)
		memcpy(t, s->type, (size_t)s->nparams * sizeof *t);
	for (tries = 0, last = 0; t && tries < 2 * s->nparams && PQresultStatus(r) != PGRES_COMMAND_OK; tries++) {
		const char *code = PQresultErrorField(r, PG_DIAG_SQLSTATE);
		const char *msg = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
		const char *d = msg ? strrchr(msg, '$') : NULL;
		int n = d ? atoi(d + 1) : 0;
		if (code && (!strcmp(code, "42P18") || !strcmp(code, "42P08")) && n >= 1 && n <= s->nparams
		    && t[n - 1] == 0) {
			t[n - 1] = s->val[n - 1] ? OID_TEXT : OID_INT8;
			last = n;
		} else if (last && t[last - 1] == OID_INT8) {
			t[last - 1] = OID_TEXT;
		} else {
			break;
		}
		if (intx)
			PQclear(PQexec(c->pg, "ROLLBACK TO SAVEPOINT billtop_prepare"));
		PQclear(r);
		r = PQprepare(c->pg, p->name, s->sql, s->nparams, t);
	}
	free(t);
	if (intx) {
		if (PQresultStatus(r) != PGRES_COMMAND_OK)
			PQclear(PQexec(c->pg, "ROLLBACK TO SAVEPOINT billtop_prepare"));
		PQclear(PQexec(c->pg, "RELEASE SAVEPOINT billtop_prepare"));
	}
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		char what[120];
		int st;
		snprintf(what, sizeof what, "prepare (%.80s)", s->sql);
		st = res_fail(s->db, c, what, r);
		PQclear(r);
		free(key);
		free(p);
		return st;
	}
	PQclear(r);
	p->key = key;
	p->keylen = k;
	p->next = c->preps;
	c->preps = p;
	*name = p->name;
	return DB_OK;
}

/* Run the statement; with a progress handler, asynchronously: fn polled about
 * every `every` microseconds/1000 of waiting (at least 10 ms), PQcancel when
 * it asks to stop. */
static PGresult *run(pg_stmt *s, const char *name)
{
	pg_conn *c = s->c;
	PGresult *r, *last = NULL;
	if (!c->progress)
		return PQexecPrepared(c->pg, name, s->nparams, (const char *const *)s->val, s->len, s->fmt, 0);
	if (!PQsendQueryPrepared(c->pg, name, s->nparams, (const char *const *)s->val, s->len, s->fmt, 0))
		return NULL;
	for (;;) {
		struct pollfd pfd = { .fd = PQsocket(c->pg), .events = POLLIN };
		int cancelled = 0;
		while (PQisBusy(c->pg)) {
			if (poll(&pfd, 1, 10) < 0 && errno != EINTR)
				break;
			if (!PQconsumeInput(c->pg))
				break;
			if (!cancelled && c->progress(c->progress_ctx)) {
				PGcancel *k = PQgetCancel(c->pg);
				char eb[256];
				if (k) {
					PQcancel(k, eb, sizeof eb);
					PQfreeCancel(k);
				}
				cancelled = 1;
			}
		}
		r = PQgetResult(c->pg);
		if (!r)
			break;
		if (last)
			PQclear(last);
		last = r;
	}
	return last;
}

static int pg_step(db_stmt *st)
{
	pg_stmt *s = (pg_stmt *)st;
	const char *name = NULL;
	ExecStatusType rs;
	int rc;
	if (s->started) {
		if (s->row + 1 < s->nrows) {
			s->row++;
			if (s->dec)
				for (int i = 0; i < s->ncols; i++) {
					PQfreemem(s->dec[i]);
					s->dec[i] = NULL;
				}
			return DB_ROW;
		}
		s->row = s->nrows;
		return DB_DONE;
	}
	if ((rc = server_stmt(s, &name)) != DB_OK)
		return rc;
	s->res = run(s, name);
	s->started = 1;
	rs = PQresultStatus(s->res);
	if (rs == PGRES_COMMAND_OK) {
		note_changes(s->c, s->res);
		return DB_DONE;
	}
	if (rs != PGRES_TUPLES_OK) {
		char what[120];
		snprintf(what, sizeof what, "%.100s", s->sql);
		rc = res_fail(s->db, s->c, what, s->res);
		clear_result(s);
		return rc;
	}
	note_changes(s->c, s->res); /* INSERT ... RETURNING: rows changed too */
	s->nrows = PQntuples(s->res);
	s->ncols = PQnfields(s->res);
	s->row = 0;
	if (s->nrows == 0)
		return DB_DONE;
	return DB_ROW;
}

static int valid(pg_stmt *s, int col)
{
	return s->res && s->row < s->nrows && col >= 0 && col < s->ncols;
}

static int pg_column_type(db_stmt *st, int col)
{
	pg_stmt *s = (pg_stmt *)st;
	if (!valid(s, col) || PQgetisnull(s->res, s->row, col))
		return DB_NULL;
	switch (PQftype(s->res, col)) {
	case OID_BOOL: case OID_INT2: case OID_INT4: case OID_INT8: case OID_OID:
		return DB_INTEGER;
	case OID_FLOAT4: case OID_FLOAT8: case OID_NUMERIC:
		return DB_FLOAT;
	case OID_BYTEA:
		return DB_BLOB;
	default:
		return DB_TEXT;
	}
}

static int64_t pg_column_int64(db_stmt *st, int col)
{
	pg_stmt *s = (pg_stmt *)st;
	const char *v;
	if (!valid(s, col) || PQgetisnull(s->res, s->row, col))
		return 0;
	v = PQgetvalue(s->res, s->row, col);
	if (PQftype(s->res, col) == OID_BOOL)
		return v[0] == 't';
	if (PQftype(s->res, col) == OID_FLOAT4 || PQftype(s->res, col) == OID_FLOAT8
	    || (PQftype(s->res, col) == OID_NUMERIC && strpbrk(v, "eE")))
		return (int64_t)strtod(v, NULL);
	return (int64_t)strtoll(v, NULL, 10); /* numeric "12.5" -> 12, as SQLite's cast */
}

/* bytea of the current row, decoded once. */
static const unsigned char *decoded(pg_stmt *s, int col, size_t *len)
{
	if (!s->dec) {
		s->dec = calloc((size_t)s->ncols, sizeof *s->dec);
		s->declen = calloc((size_t)s->ncols, sizeof *s->declen);
		if (!s->dec || !s->declen)
			return NULL;
	}
	if (!s->dec[col]) {
		/* PQunescapeBytea's result is not NUL-terminated: copy with one */
		size_t n;
		unsigned char *raw = PQunescapeBytea((const unsigned char *)PQgetvalue(s->res, s->row, col), &n);
		unsigned char *z;
		if (!raw)
			return NULL;
		z = malloc(n + 1);
		if (!z) {
			PQfreemem(raw);
			return NULL;
		}
		memcpy(z, raw, n);
		z[n] = '\0';
		PQfreemem(raw);
		s->dec[col] = z;
		s->declen[col] = n;
	}
	*len = s->declen[col];
	return s->dec[col];
}

static const unsigned char *pg_column_text(db_stmt *st, int col)
{
	pg_stmt *s = (pg_stmt *)st;
	size_t n;
	if (!valid(s, col) || PQgetisnull(s->res, s->row, col))
		return NULL;
	if (PQftype(s->res, col) == OID_BYTEA)
		return decoded(s, col, &n);
	if (PQftype(s->res, col) == OID_BOOL)
		return (const unsigned char *)(PQgetvalue(s->res, s->row, col)[0] == 't' ? "1" : "0");
	return (const unsigned char *)PQgetvalue(s->res, s->row, col);
}

static const void *pg_column_blob(db_stmt *st, int col)
{
	return pg_column_text(st, col);
}

static int pg_column_bytes(db_stmt *st, int col)
{
	pg_stmt *s = (pg_stmt *)st;
	size_t n;
	if (!valid(s, col) || PQgetisnull(s->res, s->row, col))
		return 0;
	if (PQftype(s->res, col) == OID_BYTEA)
		return decoded(s, col, &n) ? (int)n : 0;
	if (PQftype(s->res, col) == OID_BOOL)
		return 1;
	return PQgetlength(s->res, s->row, col);
}

static int pg_column_count(db_stmt *st)
{
	pg_stmt *s = (pg_stmt *)st;
	return s->res ? PQnfields(s->res) : 0;
}

static void pg_reset(db_stmt *st)
{
	if (st)
		clear_result((pg_stmt *)st);
}

static void pg_clear_bindings(db_stmt *st)
{
	pg_stmt *s = (pg_stmt *)st;
	for (int i = 0; i < s->nparams; i++) {
		free(s->val[i]);
		s->val[i] = NULL;
		s->len[i] = 0;
		s->type[i] = 0;
		s->fmt[i] = 0;
	}
}

static void pg_finalize(db_stmt *st)
{
	pg_stmt *s = (pg_stmt *)st;
	if (!s)
		return;
	clear_result(s);
	pg_clear_bindings(st);
	free(s->val), free(s->len), free(s->type), free(s->fmt), free(s->sql), free(s);
}

/* ---- connection state ---- */

static int64_t pg_changes(db_t *db)
{
	return conn_of(db)->changes;
}

static int pg_in_transaction(db_t *db)
{
	return PQtransactionStatus(conn_of(db)->pg) != PQTRANS_IDLE;
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
	pg_conn *c = conn_of(db);
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
	pg_conn *c = conn_of(db);
	c->progress_every = every;
	c->progress = every > 0 ? fn : NULL;
	c->progress_ctx = ctx;
}

/* One integer from a one-row query (no parameters); -1 when NULL or none. */
static int query_int(db_t *db, const char *sql, int64_t *out)
{
	pg_conn *c = conn_of(db);
	PGresult *r = PQexec(c->pg, sql);
	int st = DB_OK;
	if (PQresultStatus(r) != PGRES_TUPLES_OK)
		st = res_fail(db, c, "read schema version", r);
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
	pg_conn *c = conn_of(db);
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
	pg_conn *c = conn_of(db);
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
	return conn_of(db)->label;
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

