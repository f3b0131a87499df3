/* ingest_int.h: what the parts of `billtop ingest` share (private to
 * data/ingest*.c): the follower's state and the helpers of its file
 * (ingest_file.c) and transaction (ingest_tx.c) handling. The positions'
 * contract is stated at the top of ingest.c. One `ing` per ingest_run, owned
 * by it; none of these functions keeps a pointer past the call. */
#ifndef BILLTOP_INGEST_INT_H
#define BILLTOP_INGEST_INT_H

#include <limits.h>
#include <sys/types.h>
#include "../core/tm.h"  /* tm_mono_s for batch timing */
#include "ingest.h"
#include "cdrsrc.h"
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
	cdrsrc_opts so;         /* the source's options (cdrsrc.h) */
	cdrsrc src;             /* zone (opened at start) and reader: fmt is src.fmt */
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

/* small helpers (ingest_file.c) */
void ing_note(ing *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int ing_stopping(const ing *x);
void ing_nap(int ms);
int ing_busy(db_t *db);
int64_t ing_count_lines(const char *b, size_t n);
void ing_add_stats(store_stats *d, const store_stats *a, const store_stats *b);

/* the file (ingest_file.c): opening by name or inode, reading complete lines */
int ing_absolute(const char *path, char *out, size_t n);
int ing_find_by_inode(ing *x, dev_t dev, ino_t ino, char *out, size_t n);
void ing_close_file(ing *x);
int ing_open_file(ing *x, const char *name, int64_t pos, int64_t line);
int ing_read_chunk(ing *x, size_t *len, size_t *complete);
int ing_grow(ing *x);

/* transactions (ingest_tx.c): a batch is BEGIN IMMEDIATE .. COMMIT with the position */
db_stmt *ing_prep(ing *x, const char *sql);
int ing_step_done(ing *x, db_stmt *q, const char *what);
void ing_rollback(ing *x);
int ing_begin(ing *x);
int ing_commit(ing *x);
int ing_reject(ing *x, int64_t line, const char *raw, size_t rawlen, const char *why);

#endif
