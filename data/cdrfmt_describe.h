/* cdrfmt_describe.h: say in words how a cdrfmt reader maps a file's columns
 * (for `import cdr --dry-run`). */
#ifndef BILLTOP_CDRFMT_DESCRIBE_H
#define BILLTOP_CDRFMT_DESCRIBE_H

#include <stddef.h>
#include "cdrfmt.h"

/* Write the column mapping of reader r into out[0..cap), one line per
 * column: "  N Name -> field" for a used column, "  N Name (ignored)" for one
 * billtop reads nothing from. nfields: the field count of the file's first
 * data row (headerless layouts vary by it). A headed reader must have seen
 * the header. Returns the length written (cut to fit, NUL-terminated). */
size_t cdrfmt_describe(const cdrfmt_reader *r, int nfields, char *out, size_t cap);

#endif
