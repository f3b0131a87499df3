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
#include "ingest_int.h"

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
#include "cdrsniff.h"
#include "tz.h"

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
		x->status = ing_reject(x, line, raw, rawlen, why);
		free(raw);
		if (x->status != DB_OK)
			return 1;
	}
	x->last_end = row->end_offset;
	if (x->b_rows >= x->o->batch_rows || tm_mono_s() - x->b_t0 >= x->o->batch_ms / 1000.0 || ing_stopping(x))
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
	int headed = cdrfmt_reader_headed(x->fmt);
	if (!headed)
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
	if (h.kind != CDRFMT_HEADER && !(headed == 2 && h.kind == CDRFMT_RECORD))
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
	if (x->kind == CDRFMT_AUTO && (complete == 0 || x->wpos != 0))
		return complete == 0 ? DB_OK
		                     : db_failf(x->db, DB_EINPUT, "%s: cannot tell the format (give --format)", x->cur);
	x->src.format = x->kind; /* the saved format, when resuming */
	if (cdrsrc_open_reader(&x->src, x->cur, x->kind == CDRFMT_AUTO ? x->buf : NULL, complete, why,
	                       sizeof why) != 0)
		return db_failf(x->db, DB_EINPUT, "%s", why);
	if (x->kind == CDRFMT_AUTO) {
		x->kind = x->src.format;
		x->res->format = x->kind;
		ing_note(x, "%s: %s format", x->cur, cdrfmt_name(x->kind));
	}
	x->fmt = x->src.fmt;
	if (x->src.dates.dates.kind != DF_AUTO)
		ing_note(x, "%s: dates %s", x->cur, x->src.dates.order);
	if (x->src.dates.hint[0])
		ing_note(x, "%s: %s", x->cur, x->src.dates.hint);
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
		if ((x->status = ing_read_chunk(x, &len, &complete)) != DB_OK)
			return STEP_ERR;
		if (complete > 0 || len < x->cap)
			break;
		if (ing_grow(x) != 0) { /* one line fills the buffer: refuse it */
			x->status = db_failf(x->db, DB_EINPUT, "%s:%lld: a line longer than %zu bytes", x->cur,
			                     (long long)x->wline, READ_MAX);
			return STEP_ERR;
		}
	}
	if (complete == 0)
		return STEP_IDLE;
	if ((x->status = ensure_reader(x, complete)) != DB_OK)
		return STEP_ERR;
	if (!x->in_txn && (x->status = ing_begin(x)) != DB_OK)
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
		if (used == 0 && complete == len && len == x->cap && ing_grow(x) != 0) {
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
		if ((x->status = ing_reject(x, x->wline + ing_count_lines(x->buf, s), x->buf + s, e - s, err.msg)) != DB_OK)
			return STEP_ERR;
		used = (int64_t)(e < complete ? e + 1 : complete);
		break;
	}
	default:
		x->status = db_failf(x->db, DB_EINPUT, "%s:%lld: %s", x->cur, (long long)(x->wline + err.line - 1), err.msg);
		return STEP_ERR;
	}
	x->wline += ing_count_lines(x->buf, (size_t)used);
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
	if ((st = ing_open_file(x, keep, 0, 1)) != DB_OK)
		return st;
	x->files += another_file != 0;
	if (!x->ingest_id)
		return DB_OK;
	if ((st = ing_begin(x)) != DB_OK)
		return st;
	return ing_commit(x);
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
			x->leftover_since = tm_mono_s();
		if (tm_mono_s() - x->leftover_since < grace / 1000.0)
			return 0;
	}
	x->leftover_since = 0;
	if (left > 0) {
		if ((x->status = ing_begin(x)) != DB_OK)
			return -1;
		char *raw = malloc((size_t)(left < 65536 ? left : 65536));
		ssize_t got = raw ? pread(x->fd, raw, (size_t)(left < 65536 ? left : 65536), (off_t)x->wpos) : -1;
		char why[200];
		snprintf(why, sizeof why, "the last line (%lld bytes) was never finished before the file was rotated",
		         (long long)left);
		x->b_rows++;
		x->status = ing_reject(x, x->wline, raw, got > 0 ? (size_t)got : 0, why);
		free(raw);
		if (x->status != DB_OK) {
			ing_rollback(x);
			return -1;
		}
		x->wpos += left;
		if ((x->status = ing_commit(x)) != DB_OK)
			return -1;
	}
	if (truncated)
		ing_note(x, "%s: shrank to %lld bytes (we had read %lld): reading it again from its start", x->cur,
		     (long long)fs.st_size, (long long)x->pos);
	else
		ing_note(x, "%s: rotated: %s read to its end (line %lld), reading the new file from its start",
		     x->path, x->cur, (long long)x->line);
	if ((x->status = move_to(x, truncated ? x->cur : x->path, !truncated)) != DB_OK)
		return -1;
	return 1;
}

/* ---- the session --------------------------------------------------------------- */

/* Where to start: the saved position, or the file's start. */
static int start(ing *x)
{
	db_stmt *q;
	struct stat ps;
	int have = 0, st;
	int64_t off = 0, line = 1;
	char fmtname[64] = "", found[PATH_MAX];

	if (!(q = ing_prep(x, "SELECT id, format, dev, inode, \"offset\", line, files FROM ingest WHERE path = ?1")))
		return db_fail(x->db, "read the saved position");
	db_bind_text(q, 1, x->path, -1);
	if (db_step(q) == DB_ROW) {
		have = 1;
		x->ingest_id = db_column_int64(q, 0);
		snprintf(fmtname, sizeof fmtname, "%s", (const char *)db_column_text(q, 1));
		x->row_dev = db_column_int64(q, 2);
		x->row_ino = db_column_int64(q, 3);
		x->row_pos = off = db_column_int64(q, 4);
		line = db_column_int64(q, 5);
		x->files = db_column_int64(q, 6);
	}
	db_finalize(q);
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
			ing_note(x, "%s: shrank to %lld bytes since byte %lld was read: reading it again from its start",
			     x->path, (long long)ps.st_size, (long long)off);
			return move_to(x, x->path, 0);
		}
		if ((st = ing_open_file(x, x->path, off, line)) != DB_OK)
			return st;
		ing_note(x, "%s: resuming at byte %lld, line %lld", x->path, (long long)off, (long long)line);
		return DB_OK;
	}
	if (have && ing_find_by_inode(x, (dev_t)x->row_dev, (ino_t)x->row_ino, found, sizeof found) == 0) {
		struct stat fs;
		if (stat(found, &fs) == 0 && (int64_t)fs.st_size >= off) {
			if ((st = ing_open_file(x, found, off, line)) != DB_OK)
				return st;
			ing_note(x, "%s: rotated while billtop was down: finishing %s from byte %lld first", x->path, found,
			     (long long)off);
			return DB_OK;
		}
	}
	if (have)
		ing_note(x, "%s: the file read before (inode %lld, up to byte %lld) is gone: reading the new one from "
		     "its start; records the old one got after that byte were not read", x->path,
		     (long long)x->row_ino, (long long)off);
	while (stat(x->path, &ps) != 0) {
		if (!x->o->follow)
			return db_failf(x->db, DB_EINPUT, "%s: %s", x->path, strerror(errno));
		if (ing_stopping(x))
			return DB_OK;
		ing_nap(x->o->poll_ms);
	}
	if (have)
		return move_to(x, x->path, 1);
	ing_note(x, "%s: reading from its start", x->path);
	return ing_open_file(x, x->path, 0, 1);
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
	if (db_read_only(db))
		return db_failf(db, DB_EREADONLY, "the database is open read-only: nothing ingested");
	if (ing_absolute(path, x.path, sizeof x.path) != 0)
		return db_failf(db, DB_EINPUT, "%s: no such directory, or not a file name", path);
	x.so.path = path;
	x.so.format = o.format;
	x.so.map = o.map;
	x.so.tz = o.tz;
	x.so.date_format = o.date_format;
	if (cdrsrc_open_zone(&x.src, &x.so, why, sizeof why) != 0)
		return db_failf(db, DB_EINPUT, "%s", why);
	if ((st = start(&x)) != DB_OK || x.fd < 0)
		goto out;
	for (;;) {
		if (ing_stopping(&x))
			break;
		r = step(&x);
		if (r == STEP_ERR) {
			st = x.status;
			if (x.in_txn) {
				ing_rollback(&x);
			}
			goto out;
		}
		/* commit when caught up, when the batch is full, or when stopping */
		if (x.in_txn && (r == STEP_IDLE || x.b_rows >= o.batch_rows
		                 || tm_mono_s() - x.b_t0 >= o.batch_ms / 1000.0 || ing_stopping(&x))) {
			if ((st = ing_commit(&x)) != DB_OK) {
				if (!ing_busy(db))
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
		ing_nap(o.poll_ms);
	}
	if (x.in_txn)
		st = ing_commit(&x);
out:
	res->files = x.files;
	res->offset = x.pos;
	res->line = x.line;
	if (x.in_txn)
		ing_rollback(&x);
	store_free(x.w);
	ing_close_file(&x);
	free(x.buf);
	cdrsrc_close(&x.src);
	return st;
}
