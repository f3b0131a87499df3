/* csvin.c: streaming CSV reader over libcsv (strict mode, or lenient on
 * request) with line numbers.
 *
 * How positions are tracked. libcsv's callbacks say neither where a field nor
 * where a record is in the input, so we feed libcsv in "segments" that end
 * just after each CR or LF byte (found with memchr). libcsv can only end a
 * record on a CR or LF, so a record-end callback (cb2) can only fire on the
 * last byte of a segment: when it fires we know the byte offset and the line
 * exactly, at the cost of one csv_parse() call per physical line.
 *
 * Between records we skip blanks (space, tab, CR, LF) ourselves, which is
 * what libcsv does in its ROW_NOT_BEGUN state anyway; the first other byte
 * starts a record, so `offset` is that byte and `line` is its line.
 *
 * Lines: a LF, a CR, or a CR LF pair each end one physical line, whether or
 * not inside a quoted field. A record ended by CR is handed out only once the
 * next byte is seen, so that a CR LF pair is wholly inside end_offset.
 *
 * Memory: one 64 KiB read block, libcsv's field buffer and our record arena
 * (field bytes + per-field arrays), all reused for every record. A record
 * longer than CSVIN_MAX_RECORD bytes (in practice: a quote left open early in
 * a big file) is refused with CSVIN_EPARSE rather than read into memory whole.
 *
 * Deviations from a naive reading of csvin.h, stated here on purpose:
 *  - quoted[] is always 0: libcsv keeps "was this field quoted" in a local
 *    variable and never reports it; finding it out would mean parsing every
 *    byte twice. No caller in billtop needs it.
 *  - libcsv trims blanks around unquoted fields and outside quotes (its
 *    default); a UTF-8 BOM at the very start of the file is skipped.
 *  - A row callback that returns non-zero makes csvin_read_* return
 *    CSVIN_ESTOPPED with the value in err->stop_value.
 *  - With start_offset > 0 the bytes before it are still read (not parsed) to
 *    count lines, so line numbers stay physical line numbers of the file.
 *
 * Lenient mode (CSVIN_LENIENT): libcsv runs without CSV_STRICT; a quote
 * open at end of file is still an error (checked in finish(): libcsv's
 * CSV_STRICT_FINI needs CSV_STRICT). libcsv
 * does not say when it tolerated a stray quote, so the record's raw bytes
 * are kept and, once the record is complete, parsed again by a second,
 * strict parser: the record is `repaired` when that one refuses it or
 * splits it differently. Strict mode never pays for this.
 *
 * Two readings of a record strict CSV refuses. (a) is libcsv's non-strict
 * one: a quote not followed by a delimiter is text inside a quoted field, so
 * `"User 10" <114>,...,"SIP/113,60,rI"` (FreePBX's CDR Reports download:
 * it quotes a field only when it holds a comma and never doubles a quote)
 * runs from `"User 10` to `rI"` and the row loses fields, or, with no later
 * quote on its line, swallows the line break. (b) is the "unescaped writer"
 * reading of the record's physical line (csvfix.h): a field starting
 * with a quote is a quoted field only when its closing quote (the first one
 * not doubled) is followed by blanks then a delimiter or the line end; else
 * the field is text, quotes included, up to the next delimiter after that
 * quote. The file's expected field count is the field count of the first
 * record strict CSV reads as is (the header, for a headed file); the reading
 * with that count is kept, (a) first, and the row is `repaired`; when
 * neither has it (or no count is known yet), (a) is kept as before (the
 * caller rejects the count). (b) is tried on a single-line record at its
 * end, and at the end of a record's first line when (a) runs on past it and
 * strict CSV refuses that line (or at end of file, for a record on one line
 * with no line end and a quote open): (b) then ends the record there
 * (line, offset, end_offset as for any record: a CR LF wholly inside),
 * libcsv is reset (csv_fini, harmless without CSV_STRICT) and reading goes
 * on at the next line; otherwise a repaired record over several lines is
 * refused as before. So (b) only ever turns a refusal or a wrong field
 * count into a read: a record that read before reads the same.
 * (b) is done through libcsv too: csvfix_unescaped() only decides where fields
 * end and rewrites the line as proper CSV (a text field holding a quote is
 * wrapped in quotes with its quotes doubled; a quoted field is copied as
 * written), and the strict parser reads that. So unquoting, `""` pairs and
 * the trimming of blanks are libcsv's, exactly as in (a) and strict mode,
 * and the rewrite is checked: strict libcsv must read it as one record. */
#include "csvin.h"
#include "csvfix.h"

#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CSVIN_BLOCK (64 * 1024)
#define CSVIN_MAX_RECORD ((int64_t)16 * 1024 * 1024)

typedef struct {
	struct csv_parser p;
	/* the record being assembled: field bytes, each NUL-terminated */
	char *arena;
	size_t arena_len, arena_cap;
	size_t *off;             /* field i starts at arena + off[i] */
	size_t *len;
	char **ptr;
	unsigned char *quoted;   /* always zeros, see the file comment */
	int nf, fcap;
	int row_done;            /* cb2 fired during the last csv_parse */
	int oom;
	/* position */
	int64_t pos;             /* absolute offset of the next byte */
	int64_t line;            /* physical line of the next byte */
	int prev_cr;             /* the last byte seen was CR */
	int open;                /* a record has begun and not ended */
	int pending;             /* a record ended on CR, not handed out yet */
	int64_t rec_line, rec_off, rec_bytes;
	int bom_checked;
	/* lenient mode */
	int lenient;
	struct csv_parser strict; /* re-reads each record to tell repairs */
	int strict_ok;
	unsigned char *raw;      /* the record's bytes as read */
	size_t raw_len, raw_cap;
	int strict_rows;
	int expect;              /* the file's field count; 0 until known */
	int decided;             /* the arena holds reading (b): repaired */
	int line1_checked;       /* (b) was tried at the record's first line end */
	int no_eol;              /* finish(): the record has no line end */
	csvfix_buf alt;          /* reading (b) rewritten as proper CSV */
	int alt_fields;
	csvin_row_fn row;
	void *ctx;
	csvin_error *err;
} csvin_rd;

static int set_err(csvin_rd *r, int status, int64_t line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int set_err(csvin_rd *r, int status, int64_t line, const char *fmt, ...)
{
	va_list ap;
	r->err->status = status;
	r->err->line = line;
	va_start(ap, fmt);
	vsnprintf(r->err->msg, sizeof r->err->msg, fmt, ap);
	va_end(ap);
	return status;
}

/* Grow the per-field arrays to hold at least n fields. 0 or -1. */
static int grow_fields(csvin_rd *r, int n)
{
	int cap = r->fcap ? r->fcap : 32;
	while (cap < n)
		cap *= 2;
	if (cap == r->fcap)
		return 0;
	size_t *o = realloc(r->off, (size_t)cap * sizeof *o);
	if (!o)
		return -1;
	r->off = o;
	size_t *l = realloc(r->len, (size_t)cap * sizeof *l);
	if (!l)
		return -1;
	r->len = l;
	char **p = realloc(r->ptr, (size_t)cap * sizeof *p);
	if (!p)
		return -1;
	r->ptr = p;
	unsigned char *q = realloc(r->quoted, (size_t)cap);
	if (!q)
		return -1;
	memset(q + r->fcap, 0, (size_t)(cap - r->fcap));
	r->quoted = q;
	r->fcap = cap;
	return 0;
}

/* libcsv field callback: copy the field into the arena (libcsv reuses its
 * buffer for the next field). */
static void cb_field(void *s, size_t n, void *data)
{
	csvin_rd *r = data;
	if (r->oom)
		return;
	if (r->nf == r->fcap && grow_fields(r, r->nf + 1) != 0) {
		r->oom = 1;
		return;
	}
	if (r->arena_len + n + 1 > r->arena_cap) {
		size_t cap = r->arena_cap ? r->arena_cap : 4096;
		while (cap < r->arena_len + n + 1)
			cap *= 2;
		char *a = realloc(r->arena, cap);
		if (!a) {
			r->oom = 1;
			return;
		}
		r->arena = a;
		r->arena_cap = cap;
	}
	if (n)
		memcpy(r->arena + r->arena_len, s, n);
	r->arena[r->arena_len + n] = '\0';
	r->off[r->nf] = r->arena_len;
	r->len[r->nf] = n;
	r->nf++;
	r->arena_len += n + 1;
}

static void cb_row(int c, void *data)
{
	csvin_rd *r = data;
	(void)c;
	r->row_done = 1;
}

static void cb_strict_row(int c, void *data)
{
	(void)c;
	((csvin_rd *)data)->strict_rows++;
}

/* Lenient mode: would strict CSV read r->raw as this one record? */
static int strict_refuses(csvin_rd *r)
{
	size_t used;
	int bad;
	r->strict_rows = 0;
	used = csv_parse(&r->strict, r->raw, r->raw_len, NULL, cb_strict_row, r);
	bad = used < r->raw_len || csv_error(&r->strict) != CSV_SUCCESS;
	if (!bad && csv_fini(&r->strict, NULL, cb_strict_row, r) != 0)
		bad = 1;
	if (bad) { /* start the checker afresh after an error */
		csv_free(&r->strict);
		r->strict_ok = csv_init(&r->strict, CSV_STRICT | CSV_STRICT_FINI) == 0;
	}
	return bad || r->strict_rows != 1;
}

/* Restart the checking parser (after an error, or mid-record: csv_fini on
 * a strict parser inside a quoted field refuses and keeps its state). */
static void strict_reset(csvin_rd *r)
{
	csv_free(&r->strict);
	r->strict_ok = csv_init(&r->strict, CSV_STRICT | CSV_STRICT_FINI) == 0;
}

/* Does strict CSV refuse b[0..n) (part of a record: no fini)? */
static int strict_refuses_part(csvin_rd *r, const unsigned char *b, size_t n)
{
	size_t used = csv_parse(&r->strict, b, n, NULL, cb_strict_row, r);
	int bad = used < n || csv_error(&r->strict) != CSV_SUCCESS;
	strict_reset(r);
	return bad;
}

static void cb_alt_field(void *s, size_t n, void *data)
{
	(void)s;
	(void)n;
	((csvin_rd *)data)->alt_fields++;
}

/* Parse r->alt strictly, counting its fields (into == 0) or into the
 * arena in place of reading (a) (into == 1). Returns the field count, -1
 * when strict libcsv does not read it as one record (not expected: the
 * rewrite is proper CSV). */
static int alt_parse(csvin_rd *r, int into)
{
	size_t used;
	int bad;
	r->strict_rows = 0;
	r->alt_fields = 0;
	if (into) {
		r->nf = 0;
		r->arena_len = 0;
	}
	used = csv_parse(&r->strict, r->alt.buf, r->alt.len, into ? cb_field : cb_alt_field, cb_strict_row, r);
	bad = used < r->alt.len || csv_error(&r->strict) != CSV_SUCCESS;
	if (!bad && csv_fini(&r->strict, NULL, cb_strict_row, r) != 0)
		bad = 1;
	if (bad)
		strict_reset(r);
	if (bad || r->strict_rows != 1)
		return -1;
	return into ? r->nf : r->alt_fields;
}

/* Try reading (b) on the record's raw bytes, one physical line (trailing CR
 * and LF are dropped). When it gives the expected field count the arena
 * holds it and 1 is returned; 0 leaves reading (a); -1 out of memory. */
static int try_unescaped(csvin_rd *r)
{
	size_t n = r->raw_len;
	if (r->expect <= 0)
		return 0;
	while (n > 0 && (r->raw[n - 1] == '\n' || r->raw[n - 1] == '\r'))
		n--;
	if (csvfix_unescaped(r->raw, n, &r->alt) != 0)
		return -1;
	if (alt_parse(r, 0) != r->expect)
		return 0;
	if (alt_parse(r, 1) != r->expect)
		return -1; /* out of memory: (a) is gone from the arena */
	return 1;
}

/* Hand the finished record to the caller. Returns CSVIN_OK or ESTOPPED. */
static int deliver(csvin_rd *r, int64_t end)
{
	csvin_row row;
	int i, v;
	row.repaired = 0;
	if (r->lenient) {
		if (!r->strict_ok)
			return set_err(r, CSVIN_ENOMEM, r->rec_line, "out of memory");
		if (r->decided) { /* reading (b), chosen at the line's end */
			row.repaired = 1;
			r->decided = 0;
		} else {
			row.repaired = strict_refuses(r);
			/* r->line is the line after the record's terminator, or its
			 * last line when the file ends without one (found by fuzzing:
			 * two lines merged at the end of such a file were let
			 * through) */
			int64_t span = r->line - r->rec_line + (r->no_eol ? 1 : 0);
			if (row.repaired && span > 1)
				return set_err(r, CSVIN_EPARSE, r->rec_line,
				               "a stray quote in the record starting on line %lld opens a field that runs "
				               "over %lld lines: the rows cannot be told apart, even leniently",
				               (long long)r->rec_line, (long long)span);
			if (row.repaired && r->nf != r->expect && try_unescaped(r) < 0)
				return set_err(r, CSVIN_ENOMEM, r->rec_line, "out of memory");
		}
		r->raw_len = 0;
		if (!row.repaired && r->expect == 0)
			r->expect = r->nf;
	}
	for (i = 0; i < r->nf; i++)
		r->ptr[i] = r->arena + r->off[i];
	row.nfields = r->nf;
	row.field = r->ptr;
	row.len = r->len;
	row.quoted = r->quoted;
	row.line = r->rec_line;
	row.offset = r->rec_off;
	row.end_offset = end;
	r->pending = 0;
	v = r->row(&row, r->ctx);
	r->nf = 0;
	r->arena_len = 0;
	if (v) {
		r->err->stop_value = v;
		return set_err(r, CSVIN_ESTOPPED, row.line, "stopped by the row callback (%d)", v);
	}
	return CSVIN_OK;
}

/* Count the line break that byte c makes (LF, CR, or the LF of a CR LF). */
static inline void count_byte(csvin_rd *r, unsigned char c)
{
	if (c == '\n') {
		if (!r->prev_cr)
			r->line++;
		r->prev_cr = 0;
	} else if (c == '\r') {
		r->line++;
		r->prev_cr = 1;
	} else {
		r->prev_cr = 0;
	}
}

/* Count lines in bytes that are skipped, not parsed (resuming). */
static void count_only(csvin_rd *r, const unsigned char *b, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		count_byte(r, b[i]);
	r->pos += (int64_t)n;
}

/* Parse n bytes of input. Returns CSVIN_OK or an error status. */
static int feed(csvin_rd *r, const unsigned char *b, size_t n)
{
	size_t i = 0;

	if (!r->bom_checked && n > 0) {
		r->bom_checked = 1;
		if (r->pos == 0 && n >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF) {
			i = 3;
			r->pos = 3;
		}
	}
	while (i < n) {
		if (r->pending) {
			/* a record ended on CR: take a following LF into it */
			if (b[i] == '\n') {
				count_byte(r, b[i]);
				i++;
				r->pos++;
			}
			int st = deliver(r, r->pos);
			if (st)
				return st;
			continue;
		}
		if (!r->open) {
			unsigned char c = b[i];
			if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
				count_byte(r, c);
				i++;
				r->pos++;
				continue;
			}
			r->open = 1;
			r->rec_line = r->line;
			r->rec_off = r->pos;
			r->rec_bytes = 0;
			r->raw_len = 0;
			r->nf = 0;
			r->arena_len = 0;
			r->line1_checked = 0;
		}
		/* one segment: up to and including the next CR or LF */
		const unsigned char *s = b + i;
		size_t rest = n - i, seg;
		const unsigned char *lf = memchr(s, '\n', rest);
		size_t lim = lf ? (size_t)(lf - s) + 1 : rest;
		const unsigned char *cr = memchr(s, '\r', lim);
		seg = cr ? (size_t)(cr - s) + 1 : lim;

		r->row_done = 0;
		/* libcsv grows its field buffer by a fixed blk_size (128 bytes):
		 * a long field (a 16 MiB quote left open) would cost a realloc per
		 * 128 bytes, quadratic copying wherever realloc cannot grow in
		 * place (ASan took hours on tests/cli/hostile.sh's 17 MiB row).
		 * Growing by the size reached makes it geometric. */
		if (r->p.entry_size > r->p.blk_size)
			csv_set_blk_size(&r->p, r->p.entry_size);
		if (r->lenient) {
			if (r->raw_len + seg > r->raw_cap) {
				size_t cap = r->raw_cap ? r->raw_cap : 4096;
				while (cap < r->raw_len + seg)
					cap *= 2;
				unsigned char *nr = realloc(r->raw, cap);
				if (!nr)
					return set_err(r, CSVIN_ENOMEM, r->rec_line, "out of memory reading the record");
				r->raw = nr;
				r->raw_cap = cap;
			}
			memcpy(r->raw + r->raw_len, s, seg);
			r->raw_len += seg;
		}
		size_t used = csv_parse(&r->p, s, seg, cb_field, cb_row, r);
		if (r->oom || csv_error(&r->p) == CSV_ENOMEM)
			return set_err(r, CSVIN_ENOMEM, r->rec_line, "out of memory reading the record");
		if (used < seg) {
			int64_t at = r->pos + (int64_t)used;
			r->err->stray_quote = 1;
			/* the bad byte is on the current line: segments hold one break at most, at their end */
			return set_err(r, CSVIN_EPARSE, r->rec_line,
			               "malformed quoting at line %lld (byte %lld) in the record starting on line %lld: "
			               "a quote inside an unquoted field or text after a closing quote",
			               (long long)r->line, (long long)at, (long long)r->rec_line);
		}
		unsigned char last = s[seg - 1];
		/* Only the last byte of a segment can be a break, so when there are
		 * bytes before it, the byte before `last` was no CR: a LF ending this
		 * segment is a line of its own even right after a record that ended
		 * on a lone CR (found by fuzzing: "a\rb\nc" put c on line 2). */
		if (seg > 1)
			r->prev_cr = 0;
		if (last == '\n' || last == '\r')
			count_byte(r, last);
		else
			r->prev_cr = 0;
		i += seg;
		r->pos += (int64_t)seg;
		r->rec_bytes += (int64_t)seg;
		if (!r->row_done && r->lenient && !r->line1_checked && r->expect > 0
		    && (last == '\n' || last == '\r')) {
			/* (a) runs past the record's first line: if strict CSV
			 * refuses that line, try reading (b) on it alone */
			int got = 0;
			r->line1_checked = 1;
			if (!r->strict_ok)
				return set_err(r, CSVIN_ENOMEM, r->rec_line, "out of memory");
			if (strict_refuses_part(r, r->raw, r->raw_len) && (got = try_unescaped(r)) < 0)
				return set_err(r, CSVIN_ENOMEM, r->rec_line, "out of memory");
			if (got) {
				csv_fini(&r->p, NULL, NULL, NULL); /* non-strict: resets, no error */
				r->decided = 1;
				r->row_done = 1;
			}
		}
		if (r->row_done) {
			r->open = 0;
			if (last == '\r') {
				r->pending = 1; /* hand out once we know whether LF follows */
			} else {
				int st = deliver(r, r->pos);
				if (st)
					return st;
			}
		} else if (r->rec_bytes > CSVIN_MAX_RECORD) {
			return set_err(r, CSVIN_EPARSE, r->rec_line,
			               "record starting on line %lld is longer than %lld bytes (a quote left open?)",
			               (long long)r->rec_line, (long long)CSVIN_MAX_RECORD);
		}
	}
	return CSVIN_OK;
}

/* End of input: hand out a pending record, or finish an unterminated one. */
static int finish(csvin_rd *r)
{
	int st;
	if (r->pending && (st = deliver(r, r->pos)) != CSVIN_OK)
		return st;
	if (!r->open)
		return CSVIN_OK;
	r->row_done = 0;
	/* libcsv honours CSV_STRICT_FINI only together with CSV_STRICT: in
	 * lenient mode look at its state (csv.h makes pstate and quoted
	 * public; 2 is libcsv's FIELD_BEGUN): a quoted field still open here
	 * would take the rest of the file as one field. */
	if (r->lenient && r->p.quoted && r->p.pstate == 2) {
		/* the record's only line, with no terminator: reading (b) as at
		 * a line end in feed() */
		int got = 0;
		if (r->line == r->rec_line && r->expect > 0 && r->strict_ok
		    && strict_refuses_part(r, r->raw, r->raw_len) && (got = try_unescaped(r)) < 0)
			return set_err(r, CSVIN_ENOMEM, r->rec_line, "out of memory");
		if (got) {
			csv_fini(&r->p, NULL, NULL, NULL);
			r->open = 0;
			r->decided = 1;
			return deliver(r, r->pos);
		}
		return set_err(r, CSVIN_EUNTERMINATED, r->rec_line,
		               "quote opened in the record starting on line %lld is still open at end of file",
		               (long long)r->rec_line);
	}
	if (csv_fini(&r->p, cb_field, cb_row, r) != 0)
		return set_err(r, CSVIN_EUNTERMINATED, r->rec_line,
		               "quote opened in the record starting on line %lld is still open at end of file",
		               (long long)r->rec_line);
	if (r->oom)
		return set_err(r, CSVIN_ENOMEM, r->rec_line, "out of memory reading the record");
	r->open = 0;
	if (r->row_done) {
		r->no_eol = 1; /* the record ends the file without a line end */
		return deliver(r, r->pos);
	}
	return CSVIN_OK;
}

static int rd_init(csvin_rd *r, unsigned flags, csvin_row_fn row, void *ctx, csvin_error *err)
{
	memset(r, 0, sizeof *r);
	r->line = 1;
	r->row = row;
	r->ctx = ctx;
	r->err = err;
	r->lenient = (flags & CSVIN_LENIENT) != 0;
	memset(err, 0, sizeof *err);
	if (csv_init(&r->p, (r->lenient ? 0 : CSV_STRICT) | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0
	    || grow_fields(r, 32) != 0)
		return set_err(r, CSVIN_ENOMEM, 0, "out of memory");
	if (r->lenient && !(r->strict_ok = csv_init(&r->strict, CSV_STRICT | CSV_STRICT_FINI) == 0))
		return set_err(r, CSVIN_ENOMEM, 0, "out of memory");
	return CSVIN_OK;
}

static void rd_free(csvin_rd *r)
{
	csv_free(&r->p);
	if (r->strict_ok)
		csv_free(&r->strict);
	free(r->raw);
	free(r->alt.buf);
	free(r->arena);
	free(r->off);
	free(r->len);
	free(r->ptr);
	free(r->quoted);
}

int csvin_read_buffer(const char *buf, size_t len, csvin_row_fn row, void *ctx, csvin_error *err)
{
	return csvin_read_buffer_ex(buf, len, 0, row, ctx, err);
}

int csvin_read_buffer_ex(const char *buf, size_t len, unsigned flags, csvin_row_fn row, void *ctx,
                         csvin_error *err)
{
	csvin_error local;
	csvin_rd r;
	int st;
	if (!err)
		err = &local;
	if ((st = rd_init(&r, flags, row, ctx, err)) == CSVIN_OK) {
		st = feed(&r, (const unsigned char *)buf, len);
		if (st == CSVIN_OK)
			st = finish(&r);
	}
	rd_free(&r);
	return st;
}

int csvin_read_file(const char *path, int64_t start_offset, csvin_row_fn row,
                    csvin_progress_fn progress, void *ctx, csvin_error *err)
{
	return csvin_read_file_ex(path, start_offset, 0, row, progress, ctx, err);
}

int csvin_read_file_ex(const char *path, int64_t start_offset, unsigned flags, csvin_row_fn row,
                       csvin_progress_fn progress, void *ctx, csvin_error *err)
{
	csvin_error local;
	csvin_rd r;
	struct stat sb;
	unsigned char *blk = NULL;
	int fd, st, saved;

	if (!err)
		err = &local;
	if ((st = rd_init(&r, flags, row, ctx, err)) != CSVIN_OK) {
		rd_free(&r);
		return st;
	}
	saved = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &sb) != 0)
		saved = errno;
	else if (S_ISDIR(sb.st_mode))
		saved = EISDIR;
	if (saved) {
		set_err(&r, CSVIN_EOPEN, 0, "cannot open: %s", strerror(saved));
		if (fd >= 0)
			close(fd);
		rd_free(&r);
		errno = saved;
		return CSVIN_EOPEN;
	}
	if (start_offset < 0 || (S_ISREG(sb.st_mode) && start_offset > (int64_t)sb.st_size)) {
		st = set_err(&r, CSVIN_EREAD, 0, "start offset %lld is outside the file (%lld bytes)",
		             (long long)start_offset, (long long)sb.st_size);
		goto out;
	}
	if (!(blk = malloc(CSVIN_BLOCK))) {
		st = set_err(&r, CSVIN_ENOMEM, 0, "out of memory");
		goto out;
	}
	if (start_offset > 0)
		r.bom_checked = 1;
	st = CSVIN_OK;
	for (;;) {
		ssize_t got = read(fd, blk, CSVIN_BLOCK);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			saved = errno;
			st = set_err(&r, CSVIN_EREAD, r.open ? r.rec_line : r.line, "read error: %s", strerror(saved));
			errno = saved;
			break;
		}
		if (got == 0)
			break;
		size_t skip = 0;
		if (r.pos < start_offset) {
			int64_t want = start_offset - r.pos;
			skip = want < got ? (size_t)want : (size_t)got;
			count_only(&r, blk, skip);
		}
		if (skip < (size_t)got && (st = feed(&r, blk + skip, (size_t)got - skip)) != CSVIN_OK)
			break;
		if (progress)
			progress(r.pos, (int64_t)sb.st_size, ctx);
	}
	if (st == CSVIN_OK)
		st = finish(&r);
out:
	free(blk);
	close(fd);
	rd_free(&r);
	return st;
}

/* Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing past
 * U+10FFFF. ASCII runs are checked 8 bytes at a time. */
int csvin_valid_utf8(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str, *e = s + len;
	while (s < e) {
		if (e - s >= 8) {
			uint64_t w;
			memcpy(&w, s, 8);
			if (!(w & 0x8080808080808080ULL)) {
				s += 8;
				continue;
			}
		}
		unsigned c = *s;
		if (c < 0x80) {
			s++;
		} else if (c >= 0xC2 && c <= 0xDF) {
			if (e - s < 2 || (s[1] & 0xC0) != 0x80)
				return 0;
			s += 2;
		} else if (c >= 0xE0 && c <= 0xEF) {
			if (e - s < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
				return 0;
			if (c == 0xE0 && s[1] < 0xA0)
				return 0; /* overlong */
			if (c == 0xED && s[1] > 0x9F)
				return 0; /* surrogate */
			s += 3;
		} else if (c >= 0xF0 && c <= 0xF4) {
			if (e - s < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 || (s[3] & 0xC0) != 0x80)
				return 0;
			if (c == 0xF0 && s[1] < 0x90)
				return 0; /* overlong */
			if (c == 0xF4 && s[1] > 0x8F)
				return 0; /* > U+10FFFF */
			s += 4;
		} else {
			return 0; /* continuation byte, C0/C1, F5..FF */
		}
	}
	return 1;
}
