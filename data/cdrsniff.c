/* cdrsniff.c: the pre-scan (see cdrsniff.h). The reader runs in sniff mode:
 * cf_time (cdrfmt.c) hands each non-empty time text to cf_sniff_note
 * instead of parsing it, so the sample sees exactly the fields the import
 * will read, whatever the format and --map. After each row the texts go to
 * the guesser (core/datefmt.c), the first (the start time) with the epoch of
 * the row's unique id when its record id carries one. */
#include "cdrsniff.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "cdrfmt_int.h"
#include "csvin.h"

#define SNIFF_TEXTS 8
#define SNIFF_LEN 64

struct cf_sniff {
	int n;
	size_t len[SNIFF_TEXTS];
	char text[SNIFF_TEXTS][SNIFF_LEN];
};

void cf_sniff_note(struct cf_sniff *s, const char *text, size_t len)
{
	if (s->n >= SNIFF_TEXTS)
		return;
	if (len >= SNIFF_LEN)
		len = SNIFF_LEN - 1; /* cut: such a text is no date of any reading */
	memcpy(s->text[s->n], text, len);
	s->text[s->n][len] = '\0';
	s->len[s->n++] = len;
}

void cdrfmt_reader_set_dates(cdrfmt_reader *r, const df_spec *dates)
{
	r->dates = *dates;
}

typedef struct {
	cdrfmt_reader *fmt;
	tz_zone *zone;
	struct cf_sniff sn;
	df_guess g;
	int64_t rows;
	/* column mode (MDR) */
	const char *const *names;
	int col, header_done;
} sniff_ctx;

static int on_cdr_row(const csvin_row *row, void *vctx)
{
	sniff_ctx *x = vctx;
	cdr_rec rec;
	char why[300];
	int64_t epoch = 0;
	int k, has_epoch = 0;
	x->sn.n = 0;
	k = cdrfmt_reader_row(x->fmt, row, &rec, why, sizeof why);
	if (k == CDRFMT_HEADER || k == CDRFMT_SKIP)
		return 0;
	if (k == CDRFMT_RECORD && rec.record_id)
		has_epoch = df_uniqueid_epoch(rec.record_id, strlen(rec.record_id), &epoch);
	for (int i = 0; i < x->sn.n; i++)
		df_guess_feed(&x->g, x->sn.text[i], x->sn.len[i], row->line, i == 0 && has_epoch, epoch);
	return ++x->rows >= CDRSNIFF_ROWS;
}

static int on_col_row(const csvin_row *row, void *vctx)
{
	sniff_ctx *x = vctx;
	if (!x->header_done) {
		x->header_done = 1;
		x->col = -1;
		/* the leftmost column with one of the names, as import.c's MDR reader */
		for (int i = 0; i < row->nfields && x->col < 0; i++)
			for (const char *const *nm = x->names; *nm; nm++)
				if (!strcasecmp(row->field[i], *nm)) {
					x->col = i;
					break;
				}
		return x->col < 0; /* no time column: the import says so */
	}
	if (x->col < row->nfields)
		df_guess_feed(&x->g, row->field[x->col], row->len[x->col], row->line, 0, 0);
	return ++x->rows >= CDRSNIFF_ROWS;
}

/* "3 h", "5.5 h", "5 h 45 min" */
static void hours(int s, char *buf, size_t n)
{
	if (s % 3600 == 0)
		snprintf(buf, n, "%d h", s / 3600);
	else if (s % 1800 == 0)
		snprintf(buf, n, "%d.5 h", s / 3600);
	else
		snprintf(buf, n, "%d h %d min", s / 3600, s / 60 % 60);
}

static void make_hint(cdrsniff_result *out)
{
	int off = out->offset_s, a = off < 0 ? -off : off;
	char h[24], utc[16];
	const char *zone = df_zone_for_offset(off);
	hours(a, h, sizeof h);
	if (a % 3600)
		snprintf(utc, sizeof utc, "UTC%c%d:%02d", off < 0 ? '-' : '+', a / 3600, a / 60 % 60);
	else
		snprintf(utc, sizeof utc, "UTC%c%d", off < 0 ? '-' : '+', a / 3600);
	if (zone)
		snprintf(out->hint, sizeof out->hint, "warning: times are %s %s of the unique ids' clock: the switch "
		         "wrote local time (%s, e.g. %s); give --tz", h, off > 0 ? "ahead" : "behind", utc, zone);
	else
		snprintf(out->hint, sizeof out->hint, "warning: times are %s %s of the unique ids' clock: the switch "
		         "wrote local time (%s); give --tz %c%02d:%02d", h, off > 0 ? "ahead" : "behind", utc,
		         off < 0 ? '-' : '+', a / 3600, a / 60 % 60);
}

/* Set up g from --date-format (kept in out->dates), run fn over the file. */
static int run(const char *path, const char *date_format, unsigned csv_flags, sniff_ctx *x,
               csvin_row_fn fn, cdrsniff_result *out, char *why, size_t n)
{
	csvin_error err;
	struct stat sb;
	memset(out, 0, sizeof *out);
	if (date_format) {
		if (df_format_compile(date_format, &out->dates.fmt, why, n) != 0)
			return -1;
		out->dates.kind = DF_FORMAT;
		df_guess_init(&x->g, &out->dates);
	} else {
		df_guess_init(&x->g, NULL);
	}
	/* Only a regular file is sampled: reading a FIFO (a switch export
	 * streamed in) would eat the rows the import then waits for. Such a
	 * source keeps year-first dates or its --date-format. CSV errors are
	 * not the sample's business: the import reports them. */
	if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode))
		(void)csvin_read_file_ex(path, 0, csv_flags, fn, NULL, x, &err);
	out->rows = x->rows;
	if (df_guess_decide(&x->g, &out->dates, out->order, sizeof out->order) != 0) {
		snprintf(why, n, "%s", out->order);
		return -1;
	}
	return 0;
}

int cdrsniff_cdr(const char *path, cdrfmt_kind kind, const char *map, const char *date_format,
                 unsigned csv_flags, int tz_given, cdrsniff_result *out, char *why, size_t n)
{
	sniff_ctx *x = calloc(1, sizeof *x);
	int rc = -1;
	if (!x) {
		snprintf(why, n, "out of memory");
		return -1;
	}
	/* the reader's zone is never used in sniff mode; a real one all the same */
	if (!(x->zone = tz_open(NULL, why, n)) || !(x->fmt = cdrfmt_reader_new(kind, map, x->zone, why, n)))
		goto out;
	x->fmt->sniff = &x->sn;
	if (run(path, date_format, csv_flags, x, on_cdr_row, out, why, n) != 0)
		goto out;
	{
		int64_t agree = 0, rows = 0;
		int off = 0;
		if (df_guess_offset(&x->g, out->dates.kind, &off, &agree, &rows)) {
			out->has_offset = 1;
			out->offset_s = off;
		}
		out->epoch_rows = rows;
		out->offset_rows = agree;
		if (!tz_given && out->has_offset && off != 0 && agree * 5 >= rows * 4)
			make_hint(out);
	}
	rc = 0;
out:
	cdrfmt_reader_free(x->fmt);
	tz_close(x->zone);
	free(x);
	return rc;
}

int cdrsniff_column(const char *path, const char *const *names, const char *date_format,
                    unsigned csv_flags, cdrsniff_result *out, char *why, size_t n)
{
	sniff_ctx *x = calloc(1, sizeof *x);
	int rc;
	if (!x) {
		snprintf(why, n, "out of memory");
		return -1;
	}
	x->names = names;
	rc = run(path, date_format, csv_flags, x, on_col_row, out, why, n);
	free(x);
	return rc;
}
