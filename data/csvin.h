/* csvin.h: streaming CSV reader over libcsv (strict mode, or lenient on
 * request) with line numbers.
 *
 * Reads a file in blocks (constant memory whatever the file size) and calls
 * `row` once per record with its fields. Each field is NUL-terminated; the
 * arrays and strings are owned by the reader and valid only during the call.
 * `line` is the 1-based physical line where the record starts. A field count
 * check is the caller's job (formats differ); quoting errors, an unterminated
 * quote at end of file and read errors are reported here. */
#ifndef BILLTOP_CSVIN_H
#define BILLTOP_CSVIN_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
	int nfields;
	char **field;          /* field[i] NUL-terminated */
	size_t *len;           /* byte length of field[i] */
	unsigned char *quoted; /* 1 if field i was quoted in the file */
	int64_t line;          /* physical line where the record starts */
	int64_t offset;        /* byte offset where the record starts */
	int64_t end_offset;    /* byte offset just past the record's terminator */
	int repaired;          /* CSVIN_LENIENT only: 1 when strict CSV refuses
	                          this record (stray quotes read as text, or
	                          its line read the unescaped writer's way) */
} csvin_row;

/* Return 0 to continue, non-zero to stop reading (that value is returned by
 * csvin_read_file). */
typedef int (*csvin_row_fn)(const csvin_row *row, void *ctx);
/* Optional progress callback: bytes consumed so far, total file size. */
typedef void (*csvin_progress_fn)(int64_t done, int64_t total, void *ctx);

enum {
	CSVIN_OK = 0,
	CSVIN_EOPEN,      /* cannot open/stat the file (errno kept) */
	CSVIN_EREAD,
	CSVIN_EPARSE,     /* malformed CSV (e.g. text after a closing quote) */
	CSVIN_EUNTERMINATED, /* quote still open at end of file */
	CSVIN_ENOMEM,
	CSVIN_ESTOPPED    /* the row callback returned non-zero */
};

typedef struct {
	int status;            /* CSVIN_* */
	int64_t line;          /* line of the error (where the bad record starts) */
	char msg[256];         /* human-readable reason */
	int stop_value;        /* value the row callback returned, when ESTOPPED */
	int stray_quote;       /* EPARSE: 1 when a stray quote caused it (the
	                          file may read with CSVIN_LENIENT) */
} csvin_error;

/* Flags for the _ex readers. CSVIN_LENIENT: libcsv's non-strict mode: a
 * quote inside an unquoted field, or text after a closing quote, is kept as
 * text instead of refusing the file. Each record so read is checked again
 * with strict CSV and marked `repaired` when strict would refuse it. Such a
 * record is also read as a writer that never doubles quotes meant it (a
 * field is quoted only when its closing quote ends it: `"User 10" <114>`
 * is text, `"SIP/113,60,rI"` one field; see csvin.c) on its own line, and
 * that reading is kept when it alone has the file's field count (that of
 * the first record strict CSV reads as is: the header of a headed file).
 * A quote still open at end of file is refused as in strict mode, and so is
 * a repaired record that runs over several lines (a stray quote that opened
 * a field and swallowed line breaks: rows would merge without a word). */
enum { CSVIN_LENIENT = 1 };

/* Read `path` ("-" for stdin is not supported: imports need a file to name).
 * start_offset > 0 resumes reading at that byte (must be a record boundary).
 * Returns CSVIN_OK or an error described in *err. */
int csvin_read_file(const char *path, int64_t start_offset, csvin_row_fn row,
                    csvin_progress_fn progress, void *ctx, csvin_error *err);

/* Read rows from an in-memory buffer (tests, fuzzing). Same contract. */
int csvin_read_buffer(const char *buf, size_t len, csvin_row_fn row, void *ctx,
                      csvin_error *err);

/* The same with flags (CSVIN_LENIENT or 0). */
int csvin_read_file_ex(const char *path, int64_t start_offset, unsigned flags, csvin_row_fn row,
                       csvin_progress_fn progress, void *ctx, csvin_error *err);
int csvin_read_buffer_ex(const char *buf, size_t len, unsigned flags, csvin_row_fn row, void *ctx,
                         csvin_error *err);

/* 1 when s[0..len) is valid UTF-8 (no overlongs, no surrogates). */
int csvin_valid_utf8(const char *s, size_t len);

#endif
