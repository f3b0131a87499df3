/* ingest.c: follow a growing CDR file; batches committed with the file
 * position (see ingest.h).
 *
 * Positions. `pos`/`line` is what the database holds (committed); `wpos`/
 * `wline` is how far the open batch has read. A batch is: BEGIN IMMEDIATE,
 * read the complete lines after wpos, rate and store their records, then
 * in the same transaction the import counters and the ingest row
 * (dev, inode, offset = wpos, line = wline), COMMIT, pos = wpos. A rollback
 * (or a kill) leaves pos where it was, so the batch is read again: nothing
 * committed is re-read and nothing read is lost. */
#include "ingest.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "csvin.h"
#include "pipeline.h"
#include "tz.h"

#define READ_START (256 * 1024)             /* first read size; grows for one long record */
#define READ_MAX ((size_t)32 * 1024 * 1024) /* a line longer than this is refused */

enum { STEP_IDLE = 0, STEP_DATA, STEP_ERR };

typedef struct {
	db_t *db;
	const ingest_opts *o;
	ingest_result *res;
	char path[PATH_MAX];          /* the path followed, absolute */
	char cur[PATH_MAX];           /* the file being read (path, or the rotated file found) */
	int fd;
	dev_t dev;
	ino_t ino;
	int64_t pos, line;            /* committed */
	int64_t wpos, wline;          /* read by the open batch */
	int64_t ingest_id, files;     /* ingest_id 0: no row yet */
	int64_t row_dev, row_ino, row_pos; /* what the ingest row holds */
	cdrfmt_kind kind;
	cdrfmt_reader *fmt;
	tz_zone *zone;
	store_writer *w;
	store_stats st0;              /* writer stats when the batch began */
	int in_txn, import_new;
	int64_t b_rows, b_rejected;   /* the open batch's counts */
	double b_t0;
	char *buf;
	size_t cap;
	/* parse of one chunk */
	int64_t last_end;             /* chunk-relative end of the last record taken */
	int status;
	double leftover_since;        /* rotation seen with an unfinished last line: since when */
} ing;

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void note(ing *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(ing *x, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	if (!x->o->note)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	x->o->note(msg, x->o->ctx);
}

static int stopping(const ing *x)
{
	return x->o->stop && *x->o->stop;
}

/* Sleep ms milliseconds; a signal cuts it short. */
static void nap(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

static int busy(db_t *db)
{
	int c = sqlite3_extended_errcode(db->sql) & 0xff;
	return c == SQLITE_BUSY || c == SQLITE_LOCKED;
}

/* Line breaks in b[0..n) counted as csvin counts them: LF, CR, CR LF. */
static int64_t count_lines(const char *b, size_t n)
{
	int64_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (b[i] == '\n' ? !(i > 0 && b[i - 1] == '\r') : b[i] == '\r')
			k++;
	return k;
}

static void add_stats(store_stats *d, const store_stats *a, const store_stats *b)
{
	d->inserted += a->inserted - b->inserted;
	d->duplicates += a->duplicates - b->duplicates;
	d->rated += a->rated - b->rated;
	d->unrated += a->unrated - b->unrated;
	d->not_connected += a->not_connected - b->not_connected;
	d->extra_legs += a->extra_legs - b->extra_legs;
	d->emergency += a->emergency - b->emergency;
	d->messages += a->messages - b->messages;
	d->charged += a->charged - b->charged;
}

/* ---- the file -------------------------------------------------------------- */

/* The absolute form of `path` (its directory resolved), for the ingest row. */
static int absolute(const char *path, char *out, size_t n)
{
	char dir[PATH_MAX], real[PATH_MAX];
	const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path;
	if (!*base)
		return -1;
	if (!slash)
		snprintf(dir, sizeof dir, ".");
	else if (slash == path)
		snprintf(dir, sizeof dir, "/");
	else
		snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
	if (!realpath(dir, real))
		return -1;
	if ((size_t)snprintf(out, n, "%s%s%s", real, strcmp(real, "/") ? "/" : "", base) >= n)
		return -1;
	return 0;
}

/* A regular file in the directory of x->path with this device and inode
 * (the file we were reading, rotated while billtop was down). */
static int find_by_inode(ing *x, dev_t dev, ino_t ino, char *out, size_t n)
{
	char dir[PATH_MAX], full[PATH_MAX + 256];
	const char *slash = strrchr(x->path, '/');
	struct dirent *e;
	struct stat sb;
	DIR *d;
	int found = -1;
	snprintf(dir, sizeof dir, "%.*s", slash == x->path ? 1 : (int)(slash - x->path), x->path);
	if (!(d = opendir(dir)))
		return -1;
	while (found < 0 && (e = readdir(d)) != NULL) {
		snprintf(full, sizeof full, "%s/%s", strcmp(dir, "/") ? dir : "", e->d_name);
		if (stat(full, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_dev == dev && sb.st_ino == ino
		    && strlen(full) < n) {
			memcpy(out, full, strlen(full) + 1);
			found = 0;
		}
	}
	closedir(d);
	return found;
}

static void close_file(ing *x)
{
	if (x->fd >= 0)
		close(x->fd);
	x->fd = -1;
	cdrfmt_reader_free(x->fmt);
	x->fmt = NULL;
}

/* Open `name` to be read from `pos` (line `line`). */
static int open_file(ing *x, const char *name, int64_t pos, int64_t line)
{
	struct stat sb;
	close_file(x);
	if ((x->fd = open(name, O_RDONLY | O_CLOEXEC)) < 0 || fstat(x->fd, &sb) != 0) {
		int e = errno;
		close_file(x);
		return db_failf(x->db, DB_EINPUT, "%s: cannot open: %s", name, strerror(e));
	}
	if (!S_ISREG(sb.st_mode)) {
		close_file(x);
		return db_failf(x->db, DB_EINPUT, "%s: not a regular file", name);
	}
	snprintf(x->cur, sizeof x->cur, "%s", name);
	x->dev = sb.st_dev;
	x->ino = sb.st_ino;
	x->pos = x->wpos = pos;
	x->line = x->wline = line;
	return DB_OK;
}

/* Read from wpos: up to the last line end, into x->buf. *len gets the
 * bytes read, *complete those up to and including the last '\n'. */
static int read_chunk(ing *x, size_t *len, size_t *complete)
{
	ssize_t got;
	*len = *complete = 0;
	if (!x->buf) {
		if (!(x->buf = malloc(READ_START)))
			return db_failf(x->db, DB_ENOMEM, "out of memory");
		x->cap = READ_START;
	}
	do
		got = pread(x->fd, x->buf, x->cap, (off_t)x->wpos);
	while (got < 0 && errno == EINTR);
	if (got < 0)
		return db_failf(x->db, DB_EINPUT, "%s: read error: %s", x->cur, strerror(errno));
	*len = (size_t)got;
	for (size_t i = *len; i > 0; i--)
		if (x->buf[i - 1] == '\n') {
			*complete = i;
			break;
		}
	return DB_OK;
}

/* Double the read buffer for a record longer than it; -1 at the limit. */
static int grow(ing *x)
{
	char *nb;
	if (x->cap >= READ_MAX)
		return -1;
	if (!(nb = realloc(x->buf, x->cap * 2)))
		return -1;
	x->buf = nb;
	x->cap *= 2;
	return 0;
}

/* ---- transactions ------------------------------------------------------------ */

static sqlite3_stmt *prep(ing *x, const char *sql)
{
	sqlite3_stmt *q;
	if (db_prepare(x->db, sql, &q) != DB_OK)
		return NULL;
	return q;
}

static int step_done(ing *x, sqlite3_stmt *q, const char *what)
{
	int rc = sqlite3_step(q);
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? DB_OK : db_fail(x->db, what);
}

static void rollback(ing *x)
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
 * import row, the writer; and a check that nobody else moved our position. */
static int begin(ing *x)
{
	sqlite3_stmt *q;
	int st, rc;
	while ((st = db_begin(x->db)) != DB_OK) {
		if (!busy(x->db) || stopping(x))
			return st;
		nap(50); /* a long import holds the lock: wait for it */
	}
	x->in_txn = 1;
	if (x->ingest_id) {
		if (!(q = prep(x, "SELECT dev, inode, offset FROM ingest WHERE id = ?1")))
			goto fail;
		sqlite3_bind_int64(q, 1, x->ingest_id);
		rc = sqlite3_step(q);
		if (rc != SQLITE_ROW || sqlite3_column_int64(q, 0) != x->row_dev
		    || sqlite3_column_int64(q, 1) != x->row_ino || sqlite3_column_int64(q, 2) != x->row_pos) {
			sqlite3_finalize(q);
			db_failf(x->db, DB_EINPUT, "%s: the position kept in the database moved under us: "
			         "is another `billtop ingest` following this file?", x->path);
			goto fail_keep;
		}
		sqlite3_finalize(q);
	}
	if (!x->res->import_id) {
		if (!(q = prep(x, "INSERT INTO import(kind, path, format, started, operator, ssh_client)"
		               " VALUES('ingest', ?1, ?2, ?3, ?4, ?5)")))
			goto fail;
		sqlite3_bind_text(q, 1, x->path, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 2, cdrfmt_name(x->kind), -1, SQLITE_STATIC);
		sqlite3_bind_int64(q, 3, db_now());
		sqlite3_bind_text(q, 4, db_operator(), -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 5, db_ssh_client(), -1, SQLITE_STATIC);
		if (step_done(x, q, "record the ingest session") != DB_OK)
			goto fail_keep;
		x->res->import_id = sqlite3_last_insert_rowid(x->db->sql);
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
	x->b_t0 = now_s();
	return DB_OK;
fail:
	db_fail(x->db, "begin a batch");
fail_keep:
	{
		char keep[sizeof x->db->err];
		memcpy(keep, x->db->err, sizeof keep);
		rollback(x);
		memcpy(x->db->err, keep, sizeof keep);
	}
	return DB_EINPUT;
}

/* Commit the open batch with the position it reached. */
static int commit(ing *x)
{
	sqlite3_stmt *q;
	store_stats now;
	ingest_result *r = x->res;
	int st;
	int64_t t = db_now();

	if ((st = store_finish(x->w)) != DB_OK)
		goto fail;
	now = *store_get_stats(x->w);
	if (!(q = prep(x, "UPDATE import SET finished = ?2, rows = ?3, inserted = ?4, duplicates = ?5,"
	               " rejected = ?6, unrated = ?7 WHERE id = ?1")))
		goto fail_sql;
	sqlite3_bind_int64(q, 1, r->import_id);
	sqlite3_bind_int64(q, 2, t);
	sqlite3_bind_int64(q, 3, r->rows + x->b_rows);
	sqlite3_bind_int64(q, 4, r->st.inserted + now.inserted - x->st0.inserted);
	sqlite3_bind_int64(q, 5, r->st.duplicates + now.duplicates - x->st0.duplicates);
	sqlite3_bind_int64(q, 6, r->rejected + x->b_rejected);
	sqlite3_bind_int64(q, 7, r->st.unrated + now.unrated - x->st0.unrated);
	if ((st = step_done(x, q, "update the ingest session")) != DB_OK)
		goto fail;
	if (!(q = prep(x, "INSERT INTO ingest(path, format, dev, inode, offset, line, files, import_id, started, updated)"
	               " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9) ON CONFLICT(path) DO UPDATE SET"
	               " format = excluded.format, dev = excluded.dev, inode = excluded.inode,"
	               " offset = excluded.offset, line = excluded.line, files = excluded.files,"
	               " import_id = excluded.import_id, updated = excluded.updated")))
		goto fail_sql;
	sqlite3_bind_text(q, 1, x->path, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, cdrfmt_name(x->kind), -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 3, (int64_t)x->dev);
	sqlite3_bind_int64(q, 4, (int64_t)x->ino);
	sqlite3_bind_int64(q, 5, x->wpos);
	sqlite3_bind_int64(q, 6, x->wline);
	sqlite3_bind_int64(q, 7, x->files);
	sqlite3_bind_int64(q, 8, r->import_id);
	sqlite3_bind_int64(q, 9, t);
	if ((st = step_done(x, q, "save the position")) != DB_OK)
		goto fail;
	if (!x->ingest_id) {
		if (!(q = prep(x, "SELECT id FROM ingest WHERE path = ?1")))
			goto fail_sql;
		sqlite3_bind_text(q, 1, x->path, -1, SQLITE_STATIC);
		if (sqlite3_step(q) == SQLITE_ROW)
			x->ingest_id = sqlite3_column_int64(q, 0);
		sqlite3_finalize(q);
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
	add_stats(&r->st, &now, &x->st0);
	r->offset = x->pos;
	r->line = x->line;
	if (x->o->verbose)
		note(x, "%s: batch %lld: %lld rows (%lld stored, %lld duplicates, %lld rejected) to byte %lld, line %lld",
		     x->cur, (long long)r->batches, (long long)x->b_rows,
		     (long long)(now.inserted - x->st0.inserted), (long long)(now.duplicates - x->st0.duplicates),
		     (long long)x->b_rejected, (long long)x->pos, (long long)x->line);
	return DB_OK;
fail_sql:
	st = db_fail(x->db, "commit a batch");
fail:
	{
		char keep[sizeof x->db->err];
		memcpy(keep, x->db->err, sizeof keep);
		rollback(x);
		memcpy(x->db->err, keep, sizeof keep);
	}
	return st;
}

/* Keep a bad row (line is absolute) with its text. */
static int reject(ing *x, int64_t line, const char *raw, size_t rawlen, const char *why)
{
	sqlite3_stmt *q;
	x->b_rejected++;
	note(x, "%s:%lld: %s (kept: see `billtop rejects --import %lld`)", x->cur, (long long)line, why,
	     (long long)x->res->import_id);
	if (!(q = prep(x, "INSERT INTO reject(import_id, path, line, reason, raw) VALUES(?1, ?2, ?3, ?4, ?5)")))
		return db_fail(x->db, "keep rejected row");
	sqlite3_bind_int64(q, 1, x->res->import_id);
	sqlite3_bind_text(q, 2, x->cur, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 3, line);
	sqlite3_bind_text(q, 4, why, -1, SQLITE_STATIC);
	if (raw)
		sqlite3_bind_blob(q, 5, raw, (int)rawlen, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(q, 5);
	return step_done(x, q, "keep rejected row");
}

/* ---- records ----------------------------------------------------------------- */

/* csvin callback: map, rate and store one record of the chunk. Returns
 * non-zero to end the chunk here (batch full, stop asked, or an error). */
static int on_row(const csvin_row *row, void *vctx)
{
	ing *x = vctx;
	char why[400];
	cdr_rec rec;
	int k, outcome;
	int64_t line = x->wline + row->line - 1;

	k = cdrfmt_reader_row(x->fmt, row, &rec, why, sizeof why);
	if (k == CDRFMT_RECORD) {
		x->b_rows++;
		if ((x->status = store_cdr(x->w, &rec, &outcome, why, sizeof why)) != DB_OK)
			return 1;
		if (outcome == STORE_REJECT)
			k = CDRFMT_EBAD;
	} else if (k == CDRFMT_EBAD) {
		x->b_rows++;
	}
	if (k == CDRFMT_EBAD) {
		size_t rawlen = 0;
		char *raw = pipeline_row_text(row, &rawlen);
		x->status = reject(x, line, raw, rawlen, why);
		free(raw);
		if (x->status != DB_OK)
			return 1;
	}
	x->last_end = row->end_offset;
	if (x->b_rows >= x->o->batch_rows || now_s() - x->b_t0 >= x->o->batch_ms / 1000.0 || stopping(x))
		return 1;
	return 0;
}

typedef struct {
	cdrfmt_reader *fmt;
	int kind;
} header_ctx;

static int header_row(const csvin_row *row, void *vctx)
{
	header_ctx *h = vctx;
	cdr_rec rec;
	char why[300];
	h->kind = cdrfmt_reader_row(h->fmt, row, &rec, why, sizeof why);
	return 1; /* the first record only */
}

/* Prime a headed format's reader with the file's header (resuming at pos > 0). */
static int read_header(ing *x)
{
	header_ctx h = { x->fmt, -1 };
	csvin_error err;
	ssize_t got;
	size_t n = 0;
	char *b;
	if (x->kind != CDRFMT_GENERIC && x->kind != CDRFMT_FLOWROUTE)
		return DB_OK;
	if (!(b = malloc(READ_START)))
		return db_failf(x->db, DB_ENOMEM, "out of memory");
	do
		got = pread(x->fd, b, READ_START, 0);
	while (got < 0 && errno == EINTR);
	while (got > 0 && n < (size_t)got && b[n] != '\n')
		n++;
	if (got > 0 && n < (size_t)got)
		csvin_read_buffer(b, n + 1, header_row, &h, &err);
	free(b);
	if (h.kind != CDRFMT_HEADER)
		return db_failf(x->db, DB_EINPUT, "%s: cannot read its header line again to resume at byte %lld",
		                x->cur, (long long)x->pos);
	return DB_OK;
}

/* The reader for the current file, the format decided from its first line
 * when nobody named it. DB_OK with x->fmt NULL: no complete line yet. */
static int ensure_reader(ing *x, size_t complete)
{
	char why[400];
	if (x->fmt)
		return DB_OK;
	if (x->kind == CDRFMT_AUTO) {
		if (complete == 0 || x->wpos != 0)
			return complete == 0 ? DB_OK
			                     : db_failf(x->db, DB_EINPUT, "%s: cannot tell the format (give --format)", x->cur);
		x->kind = cdrfmt_detect_buffer(x->buf, complete, why, sizeof why);
		if (x->kind == CDRFMT_AUTO)
			return db_failf(x->db, DB_EINPUT, "%s: cannot tell the format: %s (give --format)", x->cur, why);
		x->res->format = x->kind;
		note(x, "%s: %s format", x->cur, cdrfmt_name(x->kind));
	}
	if (!(x->fmt = cdrfmt_reader_new(x->kind, x->o->map, x->zone, why, sizeof why)))
		return db_failf(x->db, DB_EINPUT, "%s: %s", x->cur, why);
	return x->wpos > 0 ? read_header(x) : DB_OK;
}

/* Read what complete lines there are after wpos and store their records in
 * the open batch (opening one if needed). STEP_IDLE: nothing complete to
 * read; STEP_DATA: progress; STEP_ERR: x->status holds the error. */
static int step(ing *x)
{
	size_t len, complete;
	csvin_error err;
	int64_t used;
	int rc;

	for (;;) {
		if ((x->status = read_chunk(x, &len, &complete)) != DB_OK)
			return STEP_ERR;
		if (complete > 0 || len < x->cap)
			break;
		if (grow(x) != 0) { /* one line fills the buffer: refuse it */
			x->status = db_failf(x->db, DB_EINPUT, "%s:%lld: a line longer than %zu bytes", x->cur,
			                     (long long)x->wline, READ_MAX);
			return STEP_ERR;
		}
	}
	if (complete == 0)
		return STEP_IDLE;
	if ((x->status = ensure_reader(x, complete)) != DB_OK)
		return STEP_ERR;
	if (!x->in_txn && (x->status = begin(x)) != DB_OK)
		return STEP_ERR;
	x->last_end = 0;
	x->status = DB_OK;
	rc = csvin_read_buffer(x->buf, complete, on_row, x, &err);
	if (x->status != DB_OK)
		return STEP_ERR;
	switch (rc) {
	case CSVIN_OK:
		used = (int64_t)complete;
		break;
	case CSVIN_ESTOPPED:
		used = x->last_end;
		break;
	case CSVIN_EUNTERMINATED:
		/* a quoted field goes on past the last line end: wait for the rest */
		used = x->last_end;
		if (used == 0 && complete == len && len == x->cap && grow(x) != 0) {
			x->status = db_failf(x->db, DB_EINPUT, "%s:%lld: a record longer than %zu bytes", x->cur,
			                     (long long)x->wline, READ_MAX);
			return STEP_ERR;
		}
		break;
	case CSVIN_EPARSE: {
		/* malformed quoting: keep the line as a rejected row, go on after it */
		size_t s = (size_t)x->last_end, e;
		while (s < complete && (x->buf[s] == '\n' || x->buf[s] == '\r' || x->buf[s] == ' ' || x->buf[s] == '\t'))
			s++;
		for (e = s; e < complete && x->buf[e] != '\n'; e++)
			;
		x->b_rows++;
		if ((x->status = reject(x, x->wline + count_lines(x->buf, s), x->buf + s, e - s, err.msg)) != DB_OK)
			return STEP_ERR;
		used = (int64_t)(e < complete ? e + 1 : complete);
		break;
	}
	default:
		x->status = db_failf(x->db, DB_EINPUT, "%s:%lld: %s", x->cur, (long long)(x->wline + err.line - 1), err.msg);
		return STEP_ERR;
	}
	x->wline += count_lines(x->buf, (size_t)used);
	x->wpos += used;
	return used > 0 ? STEP_DATA : STEP_IDLE;
}

/* ---- rotation ----------------------------------------------------------------- */

/* Read `name` from its start from now on, and save that at once (a
 * transaction of its own) when the ingest row exists. If the save fails
 * the row still names the old file, finished: a restart moves on the same
 * way. */
static int move_to(ing *x, const char *name, int another_file)
{
	char keep[PATH_MAX];
	int st;
	snprintf(keep, sizeof keep, "%s", name);
	if ((st = open_file(x, keep, 0, 1)) != DB_OK)
		return st;
	x->files += another_file != 0;
	if (!x->ingest_id)
		return DB_OK;
	if ((st = begin(x)) != DB_OK)
		return st;
	return commit(x);
}

/* Called when nothing complete is left to read. If the path now names
 * another file, or ours shrank, move to it (in a transaction of its own,
 * with the unfinished last line of the old file kept as a rejected row).
 * Returns 1 when it moved, 0 when not, -1 on error (x->status). */
static int check_rotation(ing *x)
{
	struct stat ps, fs;
	int truncated = 0;
	int64_t left;

	if (fstat(x->fd, &fs) != 0) {
		x->status = db_failf(x->db, DB_EINPUT, "%s: %s", x->cur, strerror(errno));
		return -1;
	}
	if (fs.st_size < x->wpos) {
		truncated = 1;
	} else if (stat(x->path, &ps) != 0 || (ps.st_dev == x->dev && ps.st_ino == x->ino)) {
		x->leftover_since = 0;
		return 0; /* same file (or none yet at the path: keep the old one) */
	}
	left = truncated ? 0 : (int64_t)fs.st_size - x->wpos;
	if (left > 0) {
		/* the switch may still finish its last line in the old file */
		int grace = x->o->rotate_grace_ms;
		if (!x->leftover_since)
			x->leftover_since = now_s();
		if (now_s() - x->leftover_since < grace / 1000.0)
			return 0;
	}
	x->leftover_since = 0;
	if (left > 0) {
		if ((x->status = begin(x)) != DB_OK)
			return -1;
		char *raw = malloc((size_t)(left < 65536 ? left : 65536));
		ssize_t got = raw ? pread(x->fd, raw, (size_t)(left < 65536 ? left : 65536), (off_t)x->wpos) : -1;
		char why[200];
		snprintf(why, sizeof why, "the last line (%lld bytes) was never finished before the file was rotated",
		         (long long)left);
		x->b_rows++;
		x->status = reject(x, x->wline, raw, got > 0 ? (size_t)got : 0, why);
		free(raw);
		if (x->status != DB_OK) {
			rollback(x);
			return -1;
		}
		x->wpos += left;
		if ((x->status = commit(x)) != DB_OK)
			return -1;
	}
	if (truncated)
		note(x, "%s: shrank to %lld bytes (we had read %lld): reading it again from its start", x->cur,
		     (long long)fs.st_size, (long long)x->pos);
	else
		note(x, "%s: rotated: %s read to its end (line %lld), reading the new file from its start",
		     x->path, x->cur, (long long)x->line);
	if ((x->status = move_to(x, truncated ? x->cur : x->path, !truncated)) != DB_OK)
		return -1;
	return 1;
}

/* ---- the session --------------------------------------------------------------- */

/* Where to start: the saved position, or the file's start. */
static int start(ing *x)
{
	sqlite3_stmt *q;
	struct stat ps;
	int have = 0, st;
	int64_t off = 0, line = 1;
	char fmtname[64] = "", found[PATH_MAX];

	if (!(q = prep(x, "SELECT id, format, dev, inode, offset, line, files FROM ingest WHERE path = ?1")))
		return db_fail(x->db, "read the saved position");
	sqlite3_bind_text(q, 1, x->path, -1, SQLITE_STATIC);
	if (sqlite3_step(q) == SQLITE_ROW) {
		have = 1;
		x->ingest_id = sqlite3_column_int64(q, 0);
		snprintf(fmtname, sizeof fmtname, "%s", (const char *)sqlite3_column_text(q, 1));
		x->row_dev = sqlite3_column_int64(q, 2);
		x->row_ino = sqlite3_column_int64(q, 3);
		x->row_pos = off = sqlite3_column_int64(q, 4);
		line = sqlite3_column_int64(q, 5);
		x->files = sqlite3_column_int64(q, 6);
	}
	sqlite3_finalize(q);
	if (have) {
		cdrfmt_kind k;
		if (cdrfmt_parse_name(fmtname, &k) != 0)
			return db_failf(x->db, DB_EINPUT, "%s: saved format \"%s\" is unknown", x->path, fmtname);
		if (x->kind != CDRFMT_AUTO && x->kind != k)
			return db_failf(x->db, DB_EINPUT, "%s is followed as %s (its record ids are %s ids): "
			                "--format %s would store the same calls again", x->path, fmtname, fmtname,
			                cdrfmt_name(x->kind));
		x->kind = k;
		x->res->format = k;
		x->res->offset = off;
		x->res->line = line;
	}
	if (have && stat(x->path, &ps) == 0 && (int64_t)ps.st_dev == x->row_dev && (int64_t)ps.st_ino == x->row_ino) {
		if ((int64_t)ps.st_size < off) {
			note(x, "%s: shrank to %lld bytes since byte %lld was read: reading it again from its start",
			     x->path, (long long)ps.st_size, (long long)off);
			return move_to(x, x->path, 0);
		}
		if ((st = open_file(x, x->path, off, line)) != DB_OK)
			return st;
		note(x, "%s: resuming at byte %lld, line %lld", x->path, (long long)off, (long long)line);
		return DB_OK;
	}
	if (have && find_by_inode(x, (dev_t)x->row_dev, (ino_t)x->row_ino, found, sizeof found) == 0) {
		struct stat fs;
		if (stat(found, &fs) == 0 && (int64_t)fs.st_size >= off) {
			if ((st = open_file(x, found, off, line)) != DB_OK)
				return st;
			note(x, "%s: rotated while billtop was down: finishing %s from byte %lld first", x->path, found,
			     (long long)off);
			return DB_OK;
		}
	}
	if (have)
		note(x, "%s: the file read before (inode %lld, up to byte %lld) is gone: reading the new one from "
		     "its start; records the old one got after that byte were not read", x->path,
		     (long long)x->row_ino, (long long)off);
	while (stat(x->path, &ps) != 0) {
		if (!x->o->follow)
			return db_failf(x->db, DB_EINPUT, "%s: %s", x->path, strerror(errno));
		if (stopping(x))
			return DB_OK;
		nap(x->o->poll_ms);
	}
	if (have)
		return move_to(x, x->path, 1);
	note(x, "%s: reading from its start", x->path);
	return open_file(x, x->path, 0, 1);
}

int ingest_run(db_t *db, const char *path, const ingest_opts *opts, ingest_result *res)
{
	ingest_opts o = *opts;
	ing x;
	char why[300];
	int st = DB_OK, r;

	memset(res, 0, sizeof *res);
	memset(&x, 0, sizeof x);
	if (o.batch_ms <= 0)
		o.batch_ms = 200;
	if (o.batch_rows <= 0)
		o.batch_rows = 500;
	if (o.poll_ms <= 0)
		o.poll_ms = 50;
	if (o.rotate_grace_ms < 0)
		o.rotate_grace_ms = o.follow ? 1000 : 0;
	x.db = db;
	x.o = &o;
	x.res = res;
	x.fd = -1;
	x.files = 1;
	x.kind = o.format;
	res->format = o.format;
	if (db->read_only)
		return db_failf(db, DB_EREADONLY, "the database is open read-only: nothing ingested");
	if (absolute(path, x.path, sizeof x.path) != 0)
		return db_failf(db, DB_EINPUT, "%s: no such directory, or not a file name", path);
	if (!(x.zone = tz_open(o.tz, why, sizeof why)))
		return db_failf(db, DB_EINPUT, "--tz %s: %s", o.tz ? o.tz : "", why);
	if ((st = start(&x)) != DB_OK || x.fd < 0)
		goto out;
	for (;;) {
		if (stopping(&x))
			break;
		r = step(&x);
		if (r == STEP_ERR) {
			st = x.status;
			if (x.in_txn) {
				char keep[sizeof db->err];
				memcpy(keep, db->err, sizeof keep);
				rollback(&x);
				memcpy(db->err, keep, sizeof keep);
			}
			goto out;
		}
		/* commit when caught up, when the batch is full, or when stopping */
		if (x.in_txn && (r == STEP_IDLE || x.b_rows >= o.batch_rows
		                 || now_s() - x.b_t0 >= o.batch_ms / 1000.0 || stopping(&x))) {
			if ((st = commit(&x)) != DB_OK) {
				if (!busy(db))
					goto out;
				st = DB_OK; /* read the batch again */
			}
		}
		if (r == STEP_DATA)
			continue;
		if ((r = check_rotation(&x)) < 0) {
			st = x.status;
			goto out;
		}
		if (r > 0)
			continue;
		if (!o.follow)
			break;
		nap(o.poll_ms);
	}
	if (x.in_txn)
		st = commit(&x);
out:
	res->files = x.files;
	res->offset = x.pos;
	res->line = x.line;
	if (x.in_txn)
		rollback(&x);
	store_free(x.w);
	close_file(&x);
	free(x.buf);
	tz_close(x.zone);
	return st;
}
