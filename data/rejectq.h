/* rejectq.h: the rows imports refused (--keep-going keeps them in the
 * reject table): for `billtop rejects` and the console's rejects screen.
 * A row is kept as a blob exactly as it was read (it may hold NULs,
 * invalid UTF-8, escape sequences). */
#ifndef BILLTOP_REJECTQ_H
#define BILLTOP_REJECTQ_H

#include <stddef.h>
#include <stdint.h>
#include "db.h"

typedef struct {
	int64_t id;              /* the reject row's id */
	int64_t import_id;
	const char *path;        /* the file as given to the import */
	int64_t line;
	const char *reason;
	const char *raw;         /* the row's bytes, raw_len of them (not NUL-terminated) */
	size_t raw_len;
} rejectq_row;

typedef int (*rejectq_fn)(const rejectq_row *r, void *ctx);

/* Calls fn for each refused row, by import then line; import_id 0: every
 * import; text (or NULL): only rows whose file, reason or row holds it.
 * Strings are valid during the call only. A non-zero return from fn stops
 * the walk. DB_OK or a db status (db_errmsg says why). */
int rejectq_each(db_t *db, int64_t import_id, const char *text, rejectq_fn fn, void *ctx);

#endif
