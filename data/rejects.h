/* rejects.h: the rows `import --keep-going` (and `ingest`) refused, as kept
 * in the reject table: `billtop rejects` and the console's rejects screen.
 * (One query for the table: the former rejectq.h is folded in here.)
 *
 * Each row is kept exactly as read (a blob: it may hold NULs, invalid UTF-8,
 * escape sequences) with its file, line and reason; the caller shows it
 * under its output's contract (out.h). */
#ifndef BILLTOP_REJECTS_H
#define BILLTOP_REJECTS_H

#include <stddef.h>
#include <stdint.h>
#include "db.h"

typedef struct {
	int64_t id;         /* the reject row's id */
	int64_t import_id;  /* the import (or ingest session) that refused it */
	const char *path;   /* the file as named to the import */
	int64_t line;       /* 1-based line of the file */
	const char *reason;
	const char *raw;    /* the row's bytes as read; never NULL ("" when empty) */
	size_t raw_len;     /* raw may hold NULs: this is its length */
} rejects_row;

typedef int (*rejects_fn)(const rejects_row *r, void *ctx);

/* Every refused row (of import import_id when has_import, else of every
 * import) whose file, reason or row holds text (NULL or "": no such
 * narrowing), by import, line, id. fn returns non-zero to stop. Strings are
 * valid during the call only. DB_OK, or DB_ESQL with db_errmsg. */
int rejects_find(db_t *db, int has_import, int64_t import_id, const char *text, rejects_fn fn, void *ctx);

/* rejects_find with no text. */
int rejects_each(db_t *db, int has_import, int64_t import_id, rejects_fn fn, void *ctx);

#endif
