/* cdrfmt.c: CDR source formats: the table of formats (names, aliases,
 * detection, dispatch) and the reader object. Each format is one file,
 * cdrfmt_<name>.c, exporting its descriptor (cdrfmt_int.h); the field
 * helpers they share are in cdrfmt_field.c.
 *
 * Adding a format: write cdrfmt_<name>.c with its descriptor, add its kind
 * to cdrfmt.h's enum (at the end: kinds are not stored, names are), one
 * line in cdrfmt_table below (where its classify ranks), and its tests.
 *
 * Rules common to all formats:
 *  - Times without a zone in the text are read in the reader's zone (tz.h);
 *    a zone in the text ("+00") wins.
 *  - What "stored faithfully" means for a record (the contract the hostile
 *    input tests hold, tests/cli/hostile.sh): every field billtop keeps is
 *    stored byte for byte as written, escape sequences, control characters
 *    and formula-looking text included (they are made harmless when shown
 *    or exported, out.h), or the row is refused with a reason naming the
 *    field, and with --keep-going kept in the rejects with all its bytes.
 *    Refused: a NUL byte in any field (CSV written by a switch never holds
 *    one; NULs are what a crash leaves in a preallocated or torn file, so
 *    the row is damaged, not data); a kept field longer than CDR_FIELD_MAX;
 *    bytes that are not UTF-8 in fields that must be text (ids, numbers,
 *    times, disposition, account). Caller names (clid) may hold any bytes
 *    but NUL and are stored as a blob.
 *  - A bad row gives CDRFMT_EBAD and a reason naming the 1-based field, its
 *    name and the offending value, never a partly filled record.
 *
 * cdr_disposition_name() (declared in cdr.h, which has no .c of its own) is
 * defined here. */
#include "cdrfmt_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Every format, in detection order: cdrfmt_detect asks each classify and
 * takes the highest confidence, the earlier entry on a tie. Header rows:
 * grandstream, asterisk-db (its table's column names), flowroute, then
 * generic (any usable header). Headerless rows: the switch layouts
 * (asterisk, asterisk-custom, freeswitch), then the asterisk-db layout. */
const cdrfmt_desc *const cdrfmt_table[] = {
	&cdrfmt_grandstream,
	&cdrfmt_asterisk_db,
	&cdrfmt_flowroute,
	&cdrfmt_generic,
	&cdrfmt_asterisk,
	&cdrfmt_asterisk_custom,
	&cdrfmt_freeswitch,
};
const size_t cdrfmt_table_len = sizeof cdrfmt_table / sizeof cdrfmt_table[0];

const cdrfmt_desc *cdrfmt_desc_of(cdrfmt_kind k)
{
	for (size_t i = 0; i < cdrfmt_table_len; i++)
		if (cdrfmt_table[i]->kind == k)
			return cdrfmt_table[i];
	return NULL;
}

const char *cdrfmt_name(cdrfmt_kind k)
{
	const cdrfmt_desc *d;
	if (k == CDRFMT_AUTO)
		return "auto";
	return (d = cdrfmt_desc_of(k)) ? d->name : "?";
}

const char *cdrfmt_summary(cdrfmt_kind k)
{
	const cdrfmt_desc *d = cdrfmt_desc_of(k);
	return d ? d->summary : "";
}

const char *cdrfmt_billing(cdrfmt_kind k)
{
	const cdrfmt_desc *d = cdrfmt_desc_of(k);
	return d ? d->billing : "";
}

int cdrfmt_parse_name(const char *s, cdrfmt_kind *out)
{
	if (!s)
		return -1;
	if (!strcasecmp(s, "auto")) {
		*out = CDRFMT_AUTO;
		return 0;
	}
	for (size_t i = 0; i < cdrfmt_table_len; i++) {
		const cdrfmt_desc *d = cdrfmt_table[i];
		int hit = !strcasecmp(s, d->name);
		for (const char *const *a = d->aliases; a && *a && !hit; a++)
			hit = !strcasecmp(s, *a);
		if (hit) {
			*out = d->kind;
			return 0;
		}
	}
	return -1;
}

char *cdrfmt_names_list(char *buf, size_t n)
{
	size_t k = 0;
	if (!n)
		return buf;
	buf[0] = '\0';
	for (int i = CDRFMT_AUTO; i <= CDRFMT_LAST && k + 1 < n; i++) {
		int w = snprintf(buf + k, n - k, "%s%s", i ? "|" : "", cdrfmt_name((cdrfmt_kind)i));
		if (w < 0)
			break;
		k = k + (size_t)w < n ? k + (size_t)w : n - 1;
	}
	return buf;
}

const char *cdr_disposition_name(cdr_disposition d)
{
	switch (d) {
	case DISP_ANSWERED: return "ANSWERED";
	case DISP_NO_ANSWER: return "NO ANSWER";
	case DISP_BUSY: return "BUSY";
	case DISP_FAILED: return "FAILED";
	case DISP_CONGESTION: return "CONGESTION";
	case DISP_OTHER: return "OTHER";
	}
	return "OTHER";
}

/* ---- the reader ----------------------------------------------------------- */

cdrfmt_reader *cdrfmt_reader_new(cdrfmt_kind kind, const char *map, tz_zone *zone,
                                 char *why, size_t whylen)
{
	cdrfmt_reader *r;
	const cdrfmt_desc *d = cdrfmt_desc_of(kind);
	int i;
	if (!d) {
		snprintf(why, whylen, "no format given: detect it first (cdrfmt_detect)");
		return NULL;
	}
	if (map && *map && d->headed == CF_HEADLESS) {
		char list[200];
		size_t k = 0;
		int left = 0;
		for (i = CDRFMT_AUTO + 1; i <= CDRFMT_LAST; i++) /* the formats that take a map, in kind order */
			left += cdrfmt_desc_of((cdrfmt_kind)i) && cdrfmt_desc_of((cdrfmt_kind)i)->headed != CF_HEADLESS;
		list[0] = '\0';
		for (i = CDRFMT_AUTO + 1; i <= CDRFMT_LAST && k + 1 < sizeof list; i++) {
			const cdrfmt_desc *m = cdrfmt_desc_of((cdrfmt_kind)i);
			if (!m || m->headed == CF_HEADLESS)
				continue;
			left--;
			k += (size_t)snprintf(list + k, sizeof list - k, "%s%s", k ? (left ? ", " : " and ") : "",
			                      m->name);
		}
		snprintf(why, whylen, "--map applies to %s files, not %s (give --format generic, or --format auto)",
		         list, d->name);
		return NULL;
	}
	r = calloc(1, sizeof *r);
	if (!r) {
		snprintf(why, whylen, "out of memory");
		return NULL;
	}
	r->kind = kind;
	r->desc = d;
	r->zone = zone;
	for (i = 0; i < CF_COUNT; i++)
		r->col[i] = -1;
	if (d->setup)
		d->setup(r);
	if (map && *map && cf_map_parse(r, map, why, whylen) != 0) {
		cdrfmt_reader_free(r);
		return NULL;
	}
	return r;
}

int cdrfmt_reader_headed(const cdrfmt_reader *r)
{
	if (r->headerless || r->desc->headed == CF_HEADLESS)
		return 0;
	return r->desc->headed == CF_FIRST_ROW ? 2 : 1; /* 2: the first row decides: a header, or data */
}

void cdrfmt_reader_free(cdrfmt_reader *r)
{
	if (!r)
		return;
	free(r->hdr_text);
	free(r->hdr_off);
	free(r->hdr_len);
	free(r->map_text);
	free(r->buf);
	tz_close(r->utc);
	free(r);
}

int cdrfmt_reader_row(cdrfmt_reader *r, const csvin_row *row, cdr_rec *out, char *why, size_t whylen)
{
	int i;
	for (i = 0; i < row->nfields; i++)
		if (row->len[i])
			break;
	if (i == row->nfields)
		return CDRFMT_SKIP; /* every field empty */
	/* a NUL anywhere, kept field or not, marks a damaged row (file comment) */
	for (i = 0; i < row->nfields; i++)
		if (memchr(row->field[i], '\0', row->len[i]))
			return cf_bad(why, whylen, i, NULL, "holds a NUL byte (a damaged row)", row->field[i],
			              row->len[i]);
	cf_rec_init(out);
	return r->desc->row(r, row, out, why, whylen);
}

/* ---- detection ------------------------------------------------------------ */

typedef struct {
	int got;
	cdrfmt_kind kind;
	char *why;
	size_t whylen;
} detect_ctx;

static int detect_row(const csvin_row *row, void *vctx)
{
	detect_ctx *d = vctx;
	cf_probe p;
	int best = CF_NO;
	d->got = 1;
	d->kind = CDRFMT_AUTO;
	cf_probe_init(&p, row);
	if (p.header && p.why[0]) { /* a header that no format can read */
		snprintf(d->why, d->whylen, "line %lld: %s", (long long)row->line, p.why);
		cf_probe_free(&p);
		return 1;
	}
	for (size_t i = 0; i < cdrfmt_table_len; i++) {
		int c = cdrfmt_table[i]->classify(&p);
		if (c > best) {
			best = c;
			d->kind = cdrfmt_table[i]->kind;
		}
	}
	cf_probe_free(&p);
	if (d->kind == CDRFMT_AUTO) {
		/* the headerless shapes, in kind order */
		char shapes[600];
		size_t k = 0;
		shapes[0] = '\0';
		for (int i = CDRFMT_AUTO + 1; i <= CDRFMT_LAST && k + 1 < sizeof shapes; i++) {
			const cdrfmt_desc *f = cdrfmt_desc_of((cdrfmt_kind)i);
			if (f && f->shape)
				k += (size_t)snprintf(shapes + k, sizeof shapes - k, "; %s", f->shape);
		}
		snprintf(d->why, d->whylen,
		         "line %lld: %d fields, no header names a time column and no known layout matches "
		         "(without a header: --map FIELD=NUMBER,...%s)", (long long)row->line, row->nfields, shapes);
	}
	return 1;
}

static cdrfmt_kind detect(const char *path, const char *buf, size_t len, char *why, size_t whylen)
{
	detect_ctx d = { 0, CDRFMT_AUTO, why, whylen };
	csvin_error err;
	int st;
	if (whylen)
		why[0] = '\0';
	st = path ? csvin_read_file(path, 0, detect_row, NULL, &d, &err)
	          : csvin_read_buffer(buf, len, detect_row, &d, &err);
	if (st != CSVIN_OK && st != CSVIN_ESTOPPED) {
		if (err.line > 0)
			snprintf(why, whylen, "line %lld: %s", (long long)err.line, err.msg);
		else
			snprintf(why, whylen, "%s", err.msg);
		return CDRFMT_AUTO;
	}
	if (!d.got) {
		snprintf(why, whylen, "the file holds no records");
		return CDRFMT_AUTO;
	}
	return d.kind;
}

cdrfmt_kind cdrfmt_detect(const char *path, char *why, size_t whylen)
{
	return detect(path, NULL, 0, why, whylen);
}

cdrfmt_kind cdrfmt_detect_buffer(const char *buf, size_t len, char *why, size_t whylen)
{
	return detect(NULL, buf, len, why, whylen);
}

size_t cdrfmt_call_id_len(const char *record_id)
{
	size_t n = strlen(record_id);
	for (;;) { /* "/fnv:" + 16 hex digits, as cf_id_digest writes it */
		size_t k;
		if (n < 21 || memcmp(record_id + n - 21, "/fnv:", 5))
			return n;
		for (k = n - 16; k < n; k++)
			if (!((record_id[k] >= '0' && record_id[k] <= '9') || (record_id[k] >= 'a' && record_id[k] <= 'f')))
				return n;
		n -= 21;
	}
}

int cdrfmt_map_positional(const char *map)
{
	int any = 0;
	const char *p = map;
	if (!map)
		return 0;
	while (*p) {
		const char *eq = strchr(p, '='), *end = strchr(p, ',');
		if (!end)
			end = p + strlen(p);
		if (!eq || eq > end)
			return 0;
		eq++;
		while (eq < end && *eq == ' ')
			eq++;
		const char *e = end;
		while (e > eq && e[-1] == ' ')
			e--;
		if (e == eq)
			return 0;
		for (const char *q = eq; q < e; q++)
			if (*q < '0' || *q > '9')
				return 0;
		any = 1;
		p = *end ? end + 1 : end;
	}
	return any;
}

cdrfmt_kind cdrfmt_choose(const char *path, const char *buf, size_t len, cdrfmt_kind given,
                          const char *map, char *why, size_t whylen)
{
	cdrfmt_kind k;
	int has_map = map && *map;
	if (whylen)
		why[0] = '\0';
	if (given != CDRFMT_AUTO)
		return given;
	if (has_map && cdrfmt_map_positional(map))
		return CDRFMT_GENERIC;
	k = path ? cdrfmt_detect(path, why, whylen) : cdrfmt_detect_buffer(buf, len, why, whylen);
	if (!has_map)
		return k;
	/* a map of names: the file has a header that the map names columns of */
	if (k != CDRFMT_AUTO && cdrfmt_desc_of(k)->headed != CF_HEADLESS)
		return k;
	return CDRFMT_GENERIC;
}

