/* pgsrc.c: read a switch's CDR table in PostgreSQL into billtop's store
 * (see pgsrc.h for the layouts, record ids and the watermark). libpq is
 * spoken here only. The SQLite side is the follower's (ingest_tx.c): a
 * batch is ing_begin .. ing_commit, which saves the watermark (offset) with
 * the records. One PGconn per pgsrc_ingest, owned by it. */
#include "ingest_int.h"
#include "pgsrc.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pgsrc_seen.h"
#include "pipeline.h"

enum { KEY_ID = 0, KEY_TS, KEY_TSTZ };

static const char *const fs_cols[15] = {
	"caller_id_name", "caller_id_number", "destination_number", "context", "start_stamp",
	"answer_stamp", "end_stamp", "duration", "billsec", "hangup_cause", "uuid", "bleg_uuid",
	"accountcode", "read_codec", "write_codec"
};
/* what the asterisk-db reader needs by name; "start" may be "calldate" */
static const char *const ast_cols[6] = { "start", "dst", "duration", "billsec", "disposition", "uniqueid" };

typedef struct {
	PGconn *pg;
	char secret[256];          /* the password given, scrubbed from every message */
	int ncol;                  /* the table's columns */
	char **col, **type;        /* their names and types (format_type) */
	char qtable[600];          /* "schema"."table", quoted */
	char table[400];           /* schema.table as shown */
	int nsel;                  /* columns fed to the reader */
	char **sel;                /* their names (the header for asterisk) */
	char *sel_sql;             /* quoted, comma separated */
	char key_sql[300];         /* the key column, quoted */
	int key_kind;
	int64_t lookback;
	pgsrc_layout layout;
	pgseen seen;               /* the window's rows already committed */
	uint64_t *ph;              /* the page's row digests (batch_rows) */
	int64_t *pkey;             /* and keys */
	unsigned char *known;      /* 1: in seen, skipped */
} pgs;

int pgsrc_parse_layout(const char *s, pgsrc_layout *out)
{
	if (!strcmp(s, "asterisk"))
		*out = PGSRC_ASTERISK;
	else if (!strcmp(s, "freeswitch"))
		*out = PGSRC_FREESWITCH;
	else
		return -1;
	return 0;
}

const char *pgsrc_layout_name(pgsrc_layout l)
{
	return l == PGSRC_ASTERISK ? "asterisk" : l == PGSRC_FREESWITCH ? "freeswitch" : "auto";
}

/* Replace every copy of the password in s by "***" (in place: never longer). */
static void scrub(const pgs *p, char *s)
{
	size_t n = strlen(p->secret);
	char *at;
	if (!n)
		return;
	while ((at = strstr(s, p->secret))) {
		memcpy(at, "***", 3);
		memmove(at + 3, at + n, strlen(at + n) + 1);
	}
}

/* A libpq failure as the follower's error: "SOURCE: what: libpq's message". */
static int pg_fail(ing *x, pgs *p, const char *what, const char *msg)
{
	char m[400];
	size_t k;
	snprintf(m, sizeof m, "%s", msg ? msg : "");
	k = strlen(m);
	while (k && (m[k - 1] == '\n' || m[k - 1] == ' '))
		m[--k] = 0;
	for (char *c = m; *c; c++)
		if (*c == '\n')
			*c = ' ';
	scrub(p, m);
	return db_failf(x->db, DB_EINPUT, "%s: %s: %s", x->path, what, m);
}

static PGresult *pg_run(ing *x, pgs *p, const char *sql, int nparams, const char *const *params, int want,
                        const char *what)
{
	PGresult *r = PQexecParams(p->pg, sql, nparams, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(r) != (ExecStatusType)want) {
		pg_fail(x, p, what, PQerrorMessage(p->pg));
		PQclear(r);
		return NULL;
	}
	return r;
}

static int has_col(const pgs *p, const char *name)
{
	for (int i = 0; i < p->ncol; i++)
		if (!strcmp(p->col[i], name))
			return i;
	return -1;
}

static char *dup_or_null(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = malloc(n);
	return d ? memcpy(d, s, n) : NULL;
}

/* Connect; the label (no password) goes to x->path / x->cur. */
static int pg_open(ing *x, pgs *p, const char *conninfo)
{
	char *err = NULL;
	PQconninfoOption *opt = PQconninfoParse(conninfo, &err), *o;
	if (!opt) {
		/* libpq quotes the piece it could not read, which may be the password */
		char m[300];
		size_t k = 0;
		int inq = 0;
		for (const char *c = err ? err : ""; *c && k + 4 < sizeof m; c++) {
			if (*c == '"') {
				inq = !inq;
				if (inq) {
					memcpy(m + k, "\"...", 4);
					k += 4;
					continue;
				}
			}
			if (!inq && *c != '\n')
				m[k++] = *c;
		}
		m[k] = 0;
		PQfreemem(err);
		return db_failf(x->db, DB_EINPUT, "--from-db: not a libpq connection string or URI: %s", m);
	}
	for (o = opt; o->keyword; o++)
		if (!strcmp(o->keyword, "password") && o->val)
			snprintf(p->secret, sizeof p->secret, "%s", o->val);
	PQconninfoFree(opt);
	snprintf(x->path, sizeof x->path, "pg:%s", "(not connected)");
	p->pg = PQconnectdb(conninfo);
	if (!p->pg)
		return db_failf(x->db, DB_ENOMEM, "out of memory");
	if (PQstatus(p->pg) != CONNECTION_OK) {
		char m[400];
		size_t k;
		snprintf(m, sizeof m, "%s", PQerrorMessage(p->pg));
		k = strlen(m);
		while (k && (m[k - 1] == '\n' || m[k - 1] == ' '))
			m[--k] = 0;
		for (char *c = m; *c; c++)
			if (*c == '\n')
				*c = ' ';
		scrub(p, m);
		return db_failf(x->db, DB_EINPUT, "--from-db: cannot connect: %s", m);
	}
	return DB_OK;
}

/* The table's columns, its layout and its order key. */
static int pg_describe(ing *x, pgs *p, const char *table, pgsrc_layout want)
{
	const char *param[1] = { table };
	char miss_a[300] = "", miss_f[400] = "";
	int na = 0, nf = 0, i, key;
	PGresult *r;

	r = pg_run(x, p, "SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
	           " WHERE c.oid = to_regclass($1)", 1, param, PGRES_TUPLES_OK, "read the catalog");
	if (!r)
		return DB_EINPUT;
	if (PQntuples(r) != 1) {
		PQclear(r);
		return db_failf(x->db, DB_EINPUT, "%s: no table \"%s\" in this database", x->path, table);
	}
	{
		char *ns = PQescapeIdentifier(p->pg, PQgetvalue(r, 0, 0), strlen(PQgetvalue(r, 0, 0)));
		char *rel = PQescapeIdentifier(p->pg, PQgetvalue(r, 0, 1), strlen(PQgetvalue(r, 0, 1)));
		snprintf(p->qtable, sizeof p->qtable, "%s.%s", ns ? ns : "", rel ? rel : "");
		snprintf(p->table, sizeof p->table, "%s.%s", PQgetvalue(r, 0, 0), PQgetvalue(r, 0, 1));
		PQfreemem(ns);
		PQfreemem(rel);
	}
	PQclear(r);
	/* the source's name in the store (its position row, its rejects) and in
	 * messages: no user, no password */
	snprintf(x->path, sizeof x->path, "pg:%s:%s/%s/%s", PQhost(p->pg), PQport(p->pg), PQdb(p->pg), p->table);
	r = pg_run(x, p, "SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute"
	           " WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped ORDER BY attnum",
	           1, param, PGRES_TUPLES_OK, "read the table's columns");
	if (!r)
		return DB_EINPUT;
	p->ncol = PQntuples(r);
	p->col = calloc((size_t)p->ncol + 1, sizeof *p->col);
	p->type = calloc((size_t)p->ncol + 1, sizeof *p->type);
	if (!p->col || !p->type) {
		PQclear(r);
		return db_failf(x->db, DB_ENOMEM, "out of memory");
	}
	for (i = 0; i < p->ncol; i++)
		if (!(p->col[i] = dup_or_null(PQgetvalue(r, i, 0))) || !(p->type[i] = dup_or_null(PQgetvalue(r, i, 1)))) {
			PQclear(r);
			return db_failf(x->db, DB_ENOMEM, "out of memory");
		}
	PQclear(r);

	for (i = 0; i < 6; i++)
		if (has_col(p, ast_cols[i]) < 0 && !(i == 0 && has_col(p, "calldate") >= 0)) {
			size_t k = strlen(miss_a);
			snprintf(miss_a + k, sizeof miss_a - k, "%s%s", na++ ? ", " : "", i == 0 ? "start (or calldate)" : ast_cols[i]);
		}
	for (i = 0; i < 15; i++)
		if (has_col(p, fs_cols[i]) < 0) {
			size_t k = strlen(miss_f);
			snprintf(miss_f + k, sizeof miss_f - k, "%s%s", nf++ ? ", " : "", fs_cols[i]);
		}
	if (want == PGSRC_ASTERISK && na)
		return db_failf(x->db, DB_EINPUT, "%s: not an Asterisk cdr_pgsql table: no column %s", x->path, miss_a);
	if (want == PGSRC_FREESWITCH && nf)
		return db_failf(x->db, DB_EINPUT, "%s: not a FreeSWITCH mod_cdr_pg_csv table: no column %s", x->path, miss_f);
	if (want == PGSRC_AUTO) {
		if (!na)
			want = PGSRC_ASTERISK;
		else if (!nf)
			want = PGSRC_FREESWITCH;
		else
			return db_failf(x->db, DB_EINPUT, "%s: neither an Asterisk cdr_pgsql table (no column %s) nor a "
			                "FreeSWITCH mod_cdr_pg_csv table (no column %s)", x->path, miss_a, miss_f);
	}
	p->layout = want;

	/* the columns fed to the reader: asterisk, the whole row with its names
	 * (SELECT *); freeswitch, mod_cdr_csv's 15 columns in their order */
	p->nsel = want == PGSRC_ASTERISK ? p->ncol : 15;
	p->sel = calloc((size_t)p->nsel, sizeof *p->sel);
	p->sel_sql = malloc((size_t)p->nsel * 140 + 1);
	if (!p->sel || !p->sel_sql)
		return db_failf(x->db, DB_ENOMEM, "out of memory");
	p->sel_sql[0] = 0;
	for (i = 0; i < p->nsel; i++) {
		const char *name = want == PGSRC_ASTERISK ? p->col[i] : fs_cols[i];
		char *q = PQescapeIdentifier(p->pg, name, strlen(name));
		if (!q || strlen(q) > 128) {
			PQfreemem(q);
			return db_failf(x->db, DB_EINPUT, "%s: column name too long", x->path);
		}
		p->sel[i] = (char *)name;
		if (i)
			strcat(p->sel_sql, ", ");
		strcat(p->sel_sql, q);
		PQfreemem(q);
	}

	/* the order key: an integer id, else the end time, else the start time */
	key = has_col(p, "id");
	if (key >= 0 && (!strcmp(p->type[key], "integer") || !strcmp(p->type[key], "bigint")
	                 || !strcmp(p->type[key], "smallint"))) {
		p->key_kind = KEY_ID;
	} else {
		static const char *const ast_keys[] = { "end", "calldate", "start" };
		key = -1;
		if (want == PGSRC_FREESWITCH)
			key = has_col(p, "end_stamp");
		for (i = 0; want == PGSRC_ASTERISK && key < 0 && i < 3; i++)
			key = has_col(p, ast_keys[i]);
		if (!strcmp(p->type[key], "timestamp without time zone"))
			p->key_kind = KEY_TS;
		else if (!strcmp(p->type[key], "timestamp with time zone"))
			p->key_kind = KEY_TSTZ;
		else
			return db_failf(x->db, DB_EINPUT, "%s: column %s is %s: cannot keep a position in it (an integer id "
			                "column, or a timestamp end or start column, is needed)", x->path, p->col[key], p->type[key]);
	}
	{
		char *q = PQescapeIdentifier(p->pg, p->col[key], strlen(p->col[key]));
		snprintf(p->key_sql, sizeof p->key_sql, "%s", q ? q : "");
		PQfreemem(q);
	}
	return DB_OK;
}

/* Rows of bad input are kept once: a window read again finds them again. */
static int reject_once(ing *x, int64_t at, const csvin_row *row, const char *why)
{
	size_t rawlen = 0;
	char *raw = pipeline_row_text(row, &rawlen);
	db_stmt *q;
	int seen = 0, st;
	if (!(q = ing_prep(x, "SELECT 1 FROM reject WHERE path = ?1 AND raw = ?2 LIMIT 1"))) {
		free(raw);
		return db_fail(x->db, "look for a rejected row");
	}
	db_bind_text(q, 1, x->cur, -1);
	db_bind_blob(q, 2, raw ? raw : "", (int)rawlen);
	seen = db_step(q) == DB_ROW;
	db_finalize(q);
	st = seen ? DB_OK : ing_reject(x, at, raw, rawlen, why);
	free(raw);
	return st;
}

/* One csvin row over the fields of result row i (NULL reads as empty, as in
 * psql's CSV). */
static void make_row(const pgs *p, PGresult *r, int i, int64_t n, csvin_row *row)
{
	for (int c = 0; c < p->nsel; c++) {
		row->field[c] = PQgetvalue(r, i, c);
		row->len[c] = (size_t)PQgetlength(r, i, c);
		row->quoted[c] = 0;
	}
	row->nfields = p->nsel;
	row->line = n;
	row->offset = row->end_offset = 0;
	row->repaired = 0;
}

/* Leave a batch that changed nothing (every row re-checked): no commit, so
 * an idle follower writes nothing. */
static void abandon(ing *x)
{
	if (x->import_new) {
		ing_rollback(x);
		return;
	}
	db_rollback(x->db);
	x->in_txn = 0;
	x->wpos = x->pos;
	x->wline = x->line;
}

/* Rate and store the page's rows into the open batch. *recheck counts the
 * rows of the window that the writer found stored (its duplicates),
 * *skipped those known without it (pgsrc_seen.h). */
static int feed_page(ing *x, pgs *p, PGresult *r, csvin_row *row, int64_t w0, int have, int64_t *recheck,
                     int64_t *skipped)
{
	char why[400];
	cdr_rec rec;
	int k, outcome, n = PQntuples(r);
	for (int i = 0; i < n; i++) {
		int64_t key = p->pkey[i];
		int64_t at = p->key_kind == KEY_ID ? key : x->line + x->b_rows + 1;
		if (p->known[i]) {
			(*skipped)++;   /* committed before: not rated again */
			continue;
		}
		make_row(p, r, i, at, row);
		k = cdrfmt_reader_row(x->fmt, row, &rec, why, sizeof why);
		if (k == CDRFMT_RECORD) {
			if ((x->status = store_cdr(x->w, &rec, &outcome, why, sizeof why)) != DB_OK)
				return x->status;
			if (outcome == STORE_DUPLICATE && have && key <= w0)
				(*recheck)++;   /* read again in the window: not new, not a duplicate */
			else
				x->b_rows++;
			if (outcome == STORE_REJECT)
				k = CDRFMT_EBAD;
		} else if (k == CDRFMT_EBAD) {
			x->b_rows++;
		}
		if (k == CDRFMT_EBAD && (x->status = reject_once(x, at, row, why)) != DB_OK)
			return x->status;
		if (key > x->wpos)
			x->wpos = key;   /* rows come in key order: the batch's last key */
	}
	return DB_OK;
}

/* One pass: every row with key >= W - lookback in one snapshot, in key
 * order, a batch per page. *fresh gets the rows that were new. */
static int pass(ing *x, pgs *p, csvin_row *row, int64_t *fresh, int64_t *rechecked)
{
	int have = x->ingest_id != 0, st = DB_OK;
	int64_t w0 = x->pos, from = have ? (w0 > INT64_MIN + p->lookback ? w0 - p->lookback : INT64_MIN) : 0;
	size_t n = strlen(p->sel_sql) + strlen(p->qtable) + 3 * strlen(p->key_sql) + 400;
	char *sql = malloc(n), fetch[64], where[600] = "", from_text[32];
	const char *param[1] = { from_text };
	PGresult *r;

	*fresh = 0;
	if (!sql)
		return db_failf(x->db, DB_ENOMEM, "out of memory");
	/* identifiers are the catalog's, quoted by PQescapeIdentifier; the
	 * watermark is bound ($1) */
	if (have && p->key_kind == KEY_ID)
		snprintf(where, sizeof where, " AND %s >= $1::bigint", p->key_sql);
	else if (have)
		snprintf(where, sizeof where, " AND %s >= %s 'epoch' + $1::bigint * interval '1 microsecond'", p->key_sql,
		         p->key_kind == KEY_TS ? "timestamp" : "timestamptz");
	snprintf(from_text, sizeof from_text, "%lld", (long long)from);
	snprintf(sql, n, "DECLARE billtop_cdr NO SCROLL CURSOR FOR SELECT %s, %s%s%s FROM %s WHERE %s IS NOT NULL%s ORDER BY %s",
	         p->sel_sql, p->key_kind == KEY_ID ? "" : "(extract(epoch from ", p->key_sql,
	         p->key_kind == KEY_ID ? "::bigint" : ") * 1000000)::bigint", p->qtable, p->key_sql, where, p->key_sql);
	if (!(r = pg_run(x, p, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", 0, NULL, PGRES_COMMAND_OK, "begin a read")))
		goto fail;
	PQclear(r);
	if (!(r = pg_run(x, p, sql, have, param, PGRES_COMMAND_OK, "read the table")))
		goto fail_pg;
	PQclear(r);
	snprintf(fetch, sizeof fetch, "FETCH %d FROM billtop_cdr", x->o->batch_rows);
	for (;;) {
		int64_t recheck = 0, skipped = 0;
		int unknown = 0, rows;
		if (!(r = pg_run(x, p, fetch, 0, NULL, PGRES_TUPLES_OK, "read the table")))
			goto fail_pg;
		if ((rows = PQntuples(r)) == 0) {
			PQclear(r);
			break;
		}
		for (int i = 0; i < rows; i++) {
			p->pkey[i] = strtoll(PQgetvalue(r, i, p->nsel), NULL, 10);
			make_row(p, r, i, 0, row);
			p->ph[i] = pgseen_digest(row, p->pkey[i]);
			p->known[i] = (unsigned char)pgseen_has(&p->seen, p->ph[i]);
			unknown += !p->known[i];
		}
		if (!unknown) { /* the window, all committed before: nothing to store, no lock */
			PQclear(r);
			*rechecked += rows;
			if (ing_stopping(x))
				break;
			continue;
		}
		if (!x->in_txn && (st = ing_begin(x)) != DB_OK) {
			PQclear(r);
			goto fail_pg;
		}
		st = feed_page(x, p, r, row, w0, have, &recheck, &skipped);
		PQclear(r);
		if (st != DB_OK)
			goto fail_pg;
		*rechecked += recheck + skipped;
		*fresh += x->b_rows;
		if (x->b_rows == 0 && x->b_rejected == 0 && x->wpos == x->pos) {
			abandon(x);
		} else {
			x->st0.duplicates += recheck; /* counted by the writer, not duplicates of the feed */
			x->wline = x->line + x->b_rows;
			if ((st = ing_commit(x)) != DB_OK)
				goto fail_pg;
		}
		for (int i = 0; i < rows; i++) /* committed (or already stored): known from now on */
			if (!p->known[i])
				pgseen_add(&p->seen, p->ph[i], p->pkey[i]);
		if (ing_stopping(x))
			break;
	}
	r = PQexec(p->pg, "COMMIT");
	PQclear(r);
	pgseen_prune(&p->seen, x->pos > INT64_MIN + p->lookback ? x->pos - p->lookback : INT64_MIN);
	free(sql);
	return DB_OK;
fail_pg:
	PQclear(PQexec(p->pg, "ROLLBACK"));
fail:
	free(sql);
	return st != DB_OK ? st : DB_EINPUT;
}

/* The session's settings: times as psql's CSV writes them in UTC (the
 * record ids' rule, pgsrc.h). */
static int session(ing *x, pgs *p)
{
	int st = DB_OK;
	PGresult *r = PQexec(p->pg, "SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD';"
	                     " SET application_name = 'billtop ingest'");
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		st = pg_fail(x, p, "set up the session", PQerrorMessage(p->pg));
	PQclear(r);
	return st;
}

/* The saved watermark of this source, if any. */
static int load_position(ing *x)
{
	db_stmt *q;
	int st = DB_OK;
	if (!(q = ing_prep(x, "SELECT id, format, \"offset\", line FROM ingest WHERE path = ?1")))
		return db_fail(x->db, "read the saved position");
	db_bind_text(q, 1, x->path, -1);
	x->pos = x->wpos = INT64_MIN; /* nothing read yet */
	if (db_step(q) == DB_ROW) {
		const char *f = (const char *)db_column_text(q, 1);
		if (!f || strcmp(f, cdrfmt_name(x->kind)) != 0) {
			st = db_failf(x->db, DB_EINPUT, "%s is followed as %s (its record ids are %s ids): reading it as %s "
			              "would store the same calls again", x->path, f ? f : "?", f ? f : "?", cdrfmt_name(x->kind));
		} else {
			x->ingest_id = db_column_int64(q, 0);
			x->row_pos = x->pos = x->wpos = db_column_int64(q, 2);
			x->line = x->wline = db_column_int64(q, 3);
		}
	}
	db_finalize(q);
	return st;
}

int pgsrc_ingest(db_t *db, const pgsrc_opts *po, const ingest_opts *opts, ingest_result *res, pgsrc_result *pr)
{
	ingest_opts o = *opts;
	ing x;
	pgs p;
	char why[300];
	csvin_row row;
	int st;

	memset(res, 0, sizeof *res);
	memset(pr, 0, sizeof *pr);
	memset(&x, 0, sizeof x);
	memset(&p, 0, sizeof p);
	memset(&row, 0, sizeof row);
	if (o.batch_rows <= 0)
		o.batch_rows = 500;
	if (o.poll_ms <= 0)
		o.poll_ms = 1000;
	x.db = db;
	x.o = &o;
	x.res = res;
	x.fd = -1;
	x.files = 1;
	if (db_read_only(db))
		return db_failf(db, DB_EREADONLY, "the database is open read-only: nothing ingested");
	if ((st = pg_open(&x, &p, po->conninfo)) != DB_OK)
		goto out;
	snprintf(x.path, sizeof x.path, "pg:%s:%s/%s", PQhost(p.pg), PQport(p.pg), PQdb(p.pg));
	if ((st = session(&x, &p)) != DB_OK)
		goto out;
	if ((st = pg_describe(&x, &p, po->table, po->layout)) != DB_OK)
		goto out;
	memcpy(x.cur, x.path, sizeof x.cur);
	snprintf(pr->label, sizeof pr->label, "%.500s", x.path);
	pr->layout = p.layout;
	pr->key_is_time = p.key_kind != KEY_ID;
	p.lookback = po->lookback >= 0 ? po->lookback : p.key_kind == KEY_ID ? 1000 : 300;
	if (p.key_kind != KEY_ID)
		p.lookback *= 1000000; /* seconds to the key's microseconds */
	x.kind = p.layout == PGSRC_ASTERISK ? CDRFMT_ASTERISK_DB : CDRFMT_FREESWITCH;
	res->format = x.kind;

	x.so.path = x.path;
	x.so.format = x.kind;
	x.so.tz = o.tz;
	if (cdrsrc_open_zone(&x.src, &x.so, why, sizeof why) != 0) {
		st = db_failf(db, DB_EINPUT, "%s", why);
		goto out;
	}
	if (!(x.src.fmt = x.fmt = cdrfmt_reader_new(x.kind, NULL, x.src.zone, why, sizeof why))) {
		st = db_failf(db, DB_EINPUT, "%s: %s", x.path, why);
		goto out;
	}
	row.field = calloc((size_t)p.nsel, sizeof *row.field);
	row.len = calloc((size_t)p.nsel, sizeof *row.len);
	row.quoted = calloc((size_t)p.nsel, 1);
	p.ph = calloc((size_t)o.batch_rows, sizeof *p.ph);
	p.pkey = calloc((size_t)o.batch_rows, sizeof *p.pkey);
	p.known = calloc((size_t)o.batch_rows, 1);
	if (!row.field || !row.len || !row.quoted || !p.ph || !p.pkey || !p.known) {
		st = db_failf(db, DB_ENOMEM, "out of memory");
		goto out;
	}
	if (p.layout == PGSRC_ASTERISK) { /* the column names are the reader's header */
		cdr_rec rec;
		for (int c = 0; c < p.nsel; c++) {
			row.field[c] = p.sel[c];
			row.len[c] = strlen(p.sel[c]);
		}
		row.nfields = p.nsel;
		if (cdrfmt_reader_row(x.fmt, &row, &rec, why, sizeof why) != CDRFMT_HEADER) {
			st = db_failf(db, DB_EINPUT, "%s: the columns do not read as an Asterisk cdr table: %s", x.path, why);
			goto out;
		}
	}
	if ((st = load_position(&x)) != DB_OK)
		goto out;
	if (x.ingest_id)
		ing_note(&x, "%s (%s): resuming at %s %lld, %lld rows read", x.path, pgsrc_layout_name(p.layout),
		         p.key_kind == KEY_ID ? "id" : "time (us)", (long long)x.pos, (long long)x.line);
	else
		ing_note(&x, "%s (%s): reading from its first row", x.path, pgsrc_layout_name(p.layout));
	for (;;) {
		int64_t fresh = 0;
		if (ing_stopping(&x))
			break;
		if ((st = pass(&x, &p, &row, &fresh, &pr->rechecked)) != DB_OK) {
			/* following, a lost server (restarted, network) is waited for:
			 * the open batch is dropped and read again after the reconnect */
			if (!o.follow || PQstatus(p.pg) != CONNECTION_BAD)
				break;
			if (x.in_txn)
				ing_rollback(&x);
			ing_note(&x, "%s: reconnecting", db_errmsg(db));
			while (!ing_stopping(&x)) {
				ing_nap(o.poll_ms);
				PQreset(p.pg);
				if (PQstatus(p.pg) == CONNECTION_OK && session(&x, &p) == DB_OK)
					break;
			}
			if (PQstatus(p.pg) == CONNECTION_OK)
				ing_note(&x, "%s: connected again", x.path);
			st = DB_OK;
			continue;
		}
		if (!o.follow)
			break;
		if (!fresh && !ing_stopping(&x))
			ing_nap(o.poll_ms);
	}
out:
	if (x.in_txn) {
		ing_rollback(&x);
	}
	res->offset = pr->watermark = x.pos;
	res->line = x.line;
	store_free(x.w);
	cdrsrc_close(&x.src);
	free(row.field);
	free(row.len);
	free(row.quoted);
	for (int i = 0; p.col && i < p.ncol; i++) {
		free(p.col[i]);
		free(p.type[i]);
	}
	free(p.col);
	free(p.type);
	free(p.sel);
	free(p.sel_sql);
	free(p.ph);
	free(p.pkey);
	free(p.known);
	pgseen_free(&p.seen);
	PQfinish(p.pg);
	return st;
}
