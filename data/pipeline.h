/* pipeline.h: read and map a CDR file on a second core while the caller
 * rates and stores.
 *
 * A worker thread runs csvin + cdrfmt (parsing is about half the cost of an
 * import) and hands mapped rows to the calling thread in batches, in file
 * order, through a small bounded queue (memory stays constant whatever the
 * file size). The calling thread alone touches SQLite. The worker owns the
 * cdrfmt reader for the duration of pipeline_run. Item strings live in the
 * batch and are valid only during the callback. */
#ifndef BILLTOP_PIPELINE_H
#define BILLTOP_PIPELINE_H

#include <stddef.h>
#include <stdint.h>
#include "cdr.h"
#include "cdrfmt.h"
#include "csvin.h"

enum { PIPE_RECORD = 0, PIPE_BAD };

typedef struct {
	int kind;              /* PIPE_RECORD or PIPE_BAD */
	int64_t line;          /* physical line where the row starts */
	cdr_rec rec;           /* PIPE_RECORD */
	const char *why;       /* PIPE_BAD: reason, no FILE:LINE prefix */
	const char *raw;       /* PIPE_BAD: the row re-serialised as CSV */
	size_t rawlen;
	int64_t offset, end_offset; /* the row's bytes in the file (csvin_row's) */
	int repaired;          /* csvin_row's: lenient quoting changed the row */
	int nfields;           /* the row's field count */
} pipe_item;

/* Return 0 to go on, non-zero to stop (the worker stops reading). */
typedef int (*pipe_item_fn)(const pipe_item *it, void *ctx);
typedef void (*pipe_progress_fn)(int64_t done, int64_t total, void *ctx);

/* Runs the whole file. Returns the csvin status of the read: CSVIN_OK,
 * a CSVIN_E* with *err filled, or CSVIN_ESTOPPED when fn stopped it. */
int pipeline_run(const char *path, cdrfmt_reader *fmt, pipe_item_fn fn, pipe_progress_fn progress,
                 void *ctx, csvin_error *err);
/* The same with csvin flags (CSVIN_LENIENT or 0). */
int pipeline_run_flags(const char *path, unsigned csv_flags, cdrfmt_reader *fmt, pipe_item_fn fn,
                       pipe_progress_fn progress, void *ctx, csvin_error *err);

/* Serialise a row back to CSV text (quoted, quotes doubled) into a new
 * malloc'd buffer the caller frees; NULL on out of memory. */
char *pipeline_row_text(const csvin_row *row, size_t *len);

#endif
