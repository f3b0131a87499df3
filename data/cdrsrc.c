/* cdrsrc.c: open a CDR source (cdrsrc.h). */
#include "cdrsrc.h"

#include <stdio.h>
#include <string.h>

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
	if (o->date_format) {
		snprintf(why, whylen, "--%sdate-format is not supported yet", pfx(s));
		return -1;
	}
	if (!(s->zone = tz_open(o->tz, r, sizeof r))) {
		snprintf(why, whylen, "--%stz %s: %s", pfx(s), o->tz ? o->tz : "", r);
		return -1;
	}
	return 0;
}

int cdrsrc_open_reader(cdrsrc *s, const char *label, const char *buf, size_t len, char *why, size_t whylen)
{
	char r[300];
	if (!label)
		label = s->o->path;
	if (s->format == CDRFMT_AUTO) {
		s->format = buf ? cdrfmt_detect_buffer(buf, len, r, sizeof r) : cdrfmt_detect(s->o->path, r, sizeof r);
		if (s->format == CDRFMT_AUTO) {
			snprintf(why, whylen, "%s: cannot tell the format: %s (give --%sformat)", label, r, pfx(s));
			return -1;
		}
	}
	if (!(s->fmt = cdrfmt_reader_new(s->format, s->o->map, s->zone, r, sizeof r))) {
		snprintf(why, whylen, "%s: %s", label, r);
		return -1;
	}
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
