/* db_pg_stmt.c: the PostgreSQL backend's statements (see db_pg.c's header
 * for the contract): SQLite's ?NNN and ? rewritten to $N, the server
 * statement prepared at the first step typed by the bindings and cached per
 * connection by (text, types), parameters as text (blobs as binary bytea),
 * results in text format, bytea handed back decoded.
 *
 * Results: a SELECT streams (libpq single-row mode: one row in memory at a
 * time, so a scan of millions of calls stays small) as long as nothing else
 * is sent on the connection. Whatever needs the connection first (another
 * statement's step, exec, begin/commit, COPY: pg_settle, db_in_transaction)
 * calls pg_unstream, which reads the streaming statement's remaining rows
 * into one result in memory: the statement then steps on as before, so a
 * statement may still be stepped while others run (the walk stepping calls
 * while it inserts), at the old memory cost for that one. Other statements
 * (INSERT ... RETURNING, a console query with a progress handler, deferred
 * steps) are fetched whole at their first step. */
#include "db_pg.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "db_pg_int.h"

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
	PGresult *res;         /* the rows at hand: whole, one streamed row, or `more` */
	int row, nrows, ncols, started;
	int streaming;         /* rows still arriving: c->stream == this statement */
	PGresult *more;        /* the rest of the rows, read ahead by pg_unstream */
	PGresult *fail;        /* the failure pg_unstream met, for the step reaching it */
	int lost;              /* pg_unstream ran out of memory: the step says so */
	unsigned char **dec;   /* decoded bytea of the current row, per column */
	size_t *declen;
} pg_stmt;

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

int pg_prepare(db_t *db, const char *sql, db_stmt **out)
{
	pg_stmt *s = calloc(1, sizeof *s);
	*out = NULL;
	if (!s)
		return db_be_error(db, DB_ENOMEM, "out of memory");
	s->head.db = db;
	s->db = db;
	s->c = pg_conn_of(db);
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

/* The decoded bytea of the current row, freed (the arrays stay). */
static void free_dec(pg_stmt *s)
{
	if (s->dec)
		for (int i = 0; i < s->ncols; i++) {
			PQfreemem(s->dec[i]);
			s->dec[i] = NULL;
		}
}

/* Read the connection's results up to the end of the statement (NULL). */
static void discard_results(pg_conn *c)
{
	PGresult *r;
	while ((r = PQgetResult(c->pg)))
		PQclear(r);
}

static void clear_result(pg_stmt *s)
{
	int i;
	if (s->streaming) { /* reset or finalized before its last row */
		discard_results(s->c);
		s->streaming = 0;
		s->c->stream = NULL;
	}
	PQclear(s->more);
	PQclear(s->fail);
	s->more = s->fail = NULL;
	s->lost = 0;
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

int pg_bind_int64(db_stmt *st, int idx, int64_t v)
{
	char b[24];
	int n = snprintf(b, sizeof b, "%lld", (long long)v);
	return set_param((pg_stmt *)st, idx, b, n, OID_INT8, 0);
}

int pg_bind_text(db_stmt *st, int idx, const char *p, int n)
{
	if (!p)
		return set_param((pg_stmt *)st, idx, NULL, 0, 0, 0);
	return set_param((pg_stmt *)st, idx, p, n < 0 ? (int)strlen(p) : n, 0, 0);
}

int pg_bind_blob(db_stmt *st, int idx, const void *p, int n)
{
	/* SQLite binds a NULL pointer as NULL; an empty blob stays empty */
	if (!p)
		return set_param((pg_stmt *)st, idx, NULL, 0, 0, 0);
	return set_param((pg_stmt *)st, idx, p, n, OID_BYTEA, 1);
}

int pg_bind_null(db_stmt *st, int idx)
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
	/* PQprepare waits for its answer: not in pipeline mode */
	if (c->inpipe && (i = pg_drain(s->db, c, 1)) != DB_OK) {
		free(key);
		return i;
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
		st = pg_res_fail(s->db, c, what, r);
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

/* Every deferred step's result, in order, up to the sync: the first failure
 * recorded on db (the rest are PGRES_PIPELINE_ABORTED); read to the end
 * either way. */
int pg_drain(db_t *db, pg_conn *c, int leave)
{
	PGresult *r;
	int st = DB_OK, nulls = 0;
	if (!c->inpipe)
		return DB_OK;
	if (c->pending && !PQpipelineSync(c->pg))
		st = db_be_error(db, DB_ESQL, PQerrorMessage(c->pg));
	while (c->pending) {
		r = PQgetResult(c->pg);
		if (!r) {
			/* a NULL ends each statement's results; two in a row: the
			 * connection broke */
			if (++nulls > 1 && PQstatus(c->pg) != CONNECTION_OK) {
				if (st == DB_OK)
					st = db_be_error(db, DB_ESQL, PQerrorMessage(c->pg));
				c->pending = 0;
				break;
			}
			continue;
		}
		nulls = 0;
		switch (PQresultStatus(r)) {
		case PGRES_PIPELINE_SYNC:
			c->pending = 0;
			break;
		case PGRES_COMMAND_OK:
		case PGRES_TUPLES_OK:
		case PGRES_PIPELINE_ABORTED:
			break;
		default:
			if (st == DB_OK)
				st = pg_res_fail(db, c, "deferred statement", r);
			break;
		}
		PQclear(r);
	}
	if (leave) {
		if (!PQexitPipelineMode(c->pg) && st == DB_OK)
			st = db_be_error(db, DB_ESQL, PQerrorMessage(c->pg));
		c->inpipe = 0;
	}
	return st;
}

#define DEFER_SYNC_EVERY 512 /* statements between syncs: their results stay small */

/* db_pg_defer's step: send, count, and read the results every
 * DEFER_SYNC_EVERY statements. */
static int send_deferred(pg_stmt *s, const char *name)
{
	pg_conn *c = s->c;
	if (!c->inpipe) {
		if (!PQenterPipelineMode(c->pg))
			return db_be_error(s->db, DB_ESQL, PQerrorMessage(c->pg));
		c->inpipe = 1;
	}
	if (!PQsendQueryPrepared(c->pg, name, s->nparams, (const char *const *)s->val, s->len, s->fmt, 0))
		return db_be_error(s->db, DB_ESQL, PQerrorMessage(c->pg));
	s->started = 1;
	if (++c->pending >= DEFER_SYNC_EVERY) {
		int st = pg_drain(s->db, c, 0);
		if (st != DB_OK)
			return st;
	}
	return DB_DONE;
}

/* A failed result of s: its status, the message on db. */
static int step_fail(pg_stmt *s, PGresult *r)
{
	char what[120];
	snprintf(what, sizeof what, "%.100s", s->sql);
	return pg_res_fail(s->db, s->c, what, r);
}

/* The next result of the streaming statement s: DB_ROW (s->res is that
 * row), DB_DONE (the end: the stream is over), or its failure (read to the
 * end of the statement either way). */
static int stream_next(pg_stmt *s)
{
	pg_conn *c = s->c;
	PGresult *r = PQgetResult(c->pg);
	ExecStatusType rs = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
	int rc = DB_DONE;
	if (rs == PGRES_SINGLE_TUPLE) {
		free_dec(s);
		PQclear(s->res);
		s->res = r;
		s->row = 0;
		s->nrows = 1;
		s->ncols = PQnfields(r);
		return DB_ROW;
	}
	if (rs == PGRES_TUPLES_OK) {
		/* the end (0 rows: its columns stay for column_count), or every
		 * row at once if single-row mode was refused */
		free_dec(s);
		PQclear(s->res);
		s->res = r;
		s->ncols = PQnfields(r);
		s->row = 0;
		s->nrows = PQntuples(r);
		rc = s->nrows > 0 ? DB_ROW : DB_DONE;
	} else {
		rc = step_fail(s, r);
		PQclear(r);
	}
	discard_results(c);
	s->streaming = 0;
	c->stream = NULL;
	return rc;
}

void pg_unstream(pg_conn *c)
{
	pg_stmt *s = c->stream;
	PGresult *r, *all = NULL;
	if (!s)
		return;
	while ((r = PQgetResult(c->pg))) {
		ExecStatusType rs = PQresultStatus(r);
		if (rs == PGRES_SINGLE_TUPLE && !s->lost) {
			int n, k, nf = PQnfields(r);
			if (!all && !(all = PQcopyResult(r, PG_COPYRES_ATTRS)))
				s->lost = 1;
			for (n = all ? PQntuples(all) : 0, k = 0; all && k < nf; k++) {
				int null = PQgetisnull(r, 0, k);
				if (!PQsetvalue(all, n, k, null ? NULL : PQgetvalue(r, 0, k), null ? -1 : PQgetlength(r, 0, k)))
					s->lost = 1;
			}
		} else if (rs != PGRES_SINGLE_TUPLE && rs != PGRES_TUPLES_OK && !s->fail) {
			s->fail = r;
			continue;
		}
		PQclear(r);
	}
	if (s->lost) {
		PQclear(all);
		all = NULL;
	}
	s->more = all;
	s->streaming = 0;
	c->stream = NULL;
}

/* Only a SELECT streams: its rows are its whole answer (an INSERT ...
 * RETURNING's rows changed are counted at its end, read at once). */
static int streams(const pg_stmt *s)
{
	const char *p = s->sql;
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '(')
		p++;
	return !s->c->progress && !s->c->defer && !s->c->inpipe && strncasecmp(p, "SELECT", 6) == 0;
}

int pg_step(db_stmt *st)
{
	pg_stmt *s = (pg_stmt *)st;
	const char *name = NULL;
	ExecStatusType rs;
	int rc;
	if (s->started) {
		if (s->row + 1 < s->nrows) {
			s->row++;
			free_dec(s);
			return DB_ROW;
		}
		s->row = s->nrows;
		if (s->streaming)
			return stream_next(s);
		if (s->more) { /* the rows pg_unstream read ahead */
			free_dec(s);
			PQclear(s->res);
			s->res = s->more;
			s->more = NULL;
			s->row = 0;
			s->nrows = PQntuples(s->res);
			if (s->nrows > 0)
				return DB_ROW;
		}
		if (s->fail) {
			rc = step_fail(s, s->fail);
			PQclear(s->fail);
			s->fail = NULL;
			return rc;
		}
		if (s->lost) {
			s->lost = 0;
			return db_be_error(s->db, DB_ENOMEM, "out of memory reading the rows of a query");
		}
		return DB_DONE;
	}
	if ((rc = pg_settle(s->db, s->c)) != DB_OK || (rc = server_stmt(s, &name)) != DB_OK)
		return rc;
	if (s->c->defer)
		return send_deferred(s, name);
	if (streams(s)) {
		pg_conn *c = s->c;
		if (!PQsendQueryPrepared(c->pg, name, s->nparams, (const char *const *)s->val, s->len, s->fmt, 0))
			return step_fail(s, NULL);
		PQsetSingleRowMode(c->pg);
		s->started = 1;
		s->streaming = 1;
		c->stream = s;
		return stream_next(s);
	}
	s->res = run(s, name);
	s->started = 1;
	rs = PQresultStatus(s->res);
	if (rs == PGRES_COMMAND_OK) {
		pg_note_changes(s->c, s->res);
		return DB_DONE;
	}
	if (rs != PGRES_TUPLES_OK) {
		char what[120];
		snprintf(what, sizeof what, "%.100s", s->sql);
		rc = pg_res_fail(s->db, s->c, what, s->res);
		clear_result(s);
		return rc;
	}
	pg_note_changes(s->c, s->res); /* INSERT ... RETURNING: rows changed too */
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

int pg_column_type(db_stmt *st, int col)
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

int64_t pg_column_int64(db_stmt *st, int col)
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

const unsigned char *pg_column_text(db_stmt *st, int col)
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

const void *pg_column_blob(db_stmt *st, int col)
{
	return pg_column_text(st, col);
}

int pg_column_bytes(db_stmt *st, int col)
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

int pg_column_count(db_stmt *st)
{
	pg_stmt *s = (pg_stmt *)st;
	return s->res ? PQnfields(s->res) : 0;
}

void pg_reset(db_stmt *st)
{
	if (st)
		clear_result((pg_stmt *)st);
}

void pg_clear_bindings(db_stmt *st)
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

void pg_finalize(db_stmt *st)
{
	pg_stmt *s = (pg_stmt *)st;
	if (!s)
		return;
	clear_result(s);
	pg_clear_bindings(st);
	free(s->val), free(s->len), free(s->type), free(s->fmt), free(s->sql), free(s);
}

