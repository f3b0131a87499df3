/* cdrsrc.c: open a CDR source (cdrsrc.h). */
#include "cdrsrc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pipeline.h"

static const char *pfx(const cdrsrc *s)
{
	return s->o && s->o->opt_prefix ? s->o->opt_prefix : "";
}

int cdrsrc_open_zone(cdrsrc *s, const cdrsrc_opts *o, char *why, size_t whylen)
{
	char r[300];
	memset(s, 0, sizeof *s);
	s->o = o;
	s->format = o->format;
	s->csv_flags = o->lenient ? CSVIN_LENIENT : 0;
	if (!(s->zone = tz_open(o->tz, r, sizeof r))) {
		snprintf(why, whylen, "--%stz %s: %s", pfx(s), o->tz ? o->tz : "", r);
		return -1;
	}
	return 0;
}

/* --lenient: detection reads strictly, so a first record with a stray quote
 * defeats it. Read that record leniently, write it back as proper CSV
 * (pipeline_row_text) and detect from that. */
typedef struct {
	char *text;
	size_t len;
} first_rec;

static int first_row(const csvin_row *row, void *ctx)
{
	first_rec *f = ctx;
	f->text = pipeline_row_text(row, &f->len);
	return 1; /* the first record only */
}

static cdrfmt_kind detect_lenient(const char *path, const char *map, char *why, size_t whylen)
{
	first_rec f = { NULL, 0 };
	csvin_error err;
	cdrfmt_kind k = CDRFMT_AUTO;
	csvin_read_file_ex(path, 0, CSVIN_LENIENT, first_row, NULL, &f, &err);
	if (f.text)
		k = cdrfmt_choose(NULL, f.text, f.len, CDRFMT_AUTO, map, why, whylen);
	free(f.text);
	return k;
}

int cdrsrc_open_reader(cdrsrc *s, const char *label, const char *buf, size_t len, char *why, size_t whylen)
{
	char r[600];
	if (!label)
		label = s->o->path;
	if (s->format == CDRFMT_AUTO) {
		/* auto: a map of column numbers means a headerless generic file;
		 * otherwise the content decides (cdrfmt_choose) */
		s->format = cdrfmt_choose(buf ? NULL : s->o->path, buf, len, CDRFMT_AUTO, s->o->map, r, sizeof r);
		if (s->format == CDRFMT_AUTO && !buf && (s->o->lenient || s->o->offer_lenient)) {
			char r2[300];
			cdrfmt_kind k = detect_lenient(s->o->path, s->o->map, r2, sizeof r2);
			if (k != CDRFMT_AUTO && s->o->lenient) {
				s->format = k;
			} else if (k != CDRFMT_AUTO) {
				snprintf(why, whylen, "%s: cannot tell the format: %s (give --%sformat; if the file writes "
				         "quotes unescaped, --lenient reads them as text and counts the rows it repaired)",
				         label, r, pfx(s));
				return -1;
			}
		}
		if (s->format == CDRFMT_AUTO) {
			snprintf(why, whylen, "%s: cannot tell the format: %s (give --%sformat)", label, r, pfx(s));
			return -1;
		}
	}
	if (!(s->fmt = cdrfmt_reader_new(s->format, s->o->map, s->zone, r, sizeof r))) {
		snprintf(why, whylen, "%s: %s", label, r);
		return -1;
	}
	/* dates: the order (or --date-format) and the zone hint, from a sample */
	if (cdrsniff_cdr(label, s->format, s->o->map, s->o->date_format, s->csv_flags,
	                 s->o->tz != NULL || s->o->no_zone_hint, &s->dates, r, sizeof r) != 0) {
		snprintf(why, whylen, "%s: %s", label, r);
		cdrsrc_close_reader(s);
		return -1;
	}
	cdrfmt_reader_set_dates(s->fmt, &s->dates.dates);
	return 0;
}

int cdrsrc_open(cdrsrc *s, const cdrsrc_opts *o, char *why, size_t whylen)
{
	if (cdrsrc_open_zone(s, o, why, whylen) != 0)
		return -1;
	if (cdrsrc_open_reader(s, NULL, NULL, 0, why, whylen) != 0) {
		cdrsrc_close(s);
		return -1;
	}
	return 0;
}

void cdrsrc_close_reader(cdrsrc *s)
{
	cdrfmt_reader_free(s->fmt);
	s->fmt = NULL;
}

void cdrsrc_close(cdrsrc *s)
{
	cdrsrc_close_reader(s);
	tz_close(s->zone);
	s->zone = NULL;
}
