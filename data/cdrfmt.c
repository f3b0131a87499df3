/* cdrfmt.c: CDR source formats: names, detection, the reader object and the
 * field helpers every format shares. The per-format row mappers live in
 * cdrfmt_switch.c (Asterisk cdr_csv, Asterisk cdr_custom, FreeSWITCH) and
 * cdrfmt_headed.c (Flowroute, generic).
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

static const char *const kind_names[] = {
	"auto", "asterisk", "asterisk-custom", "freeswitch", "flowroute", "generic", "asterisk-db",
	"grandstream"
};

const char *cdrfmt_name(cdrfmt_kind k)
{
	if ((unsigned)k < sizeof kind_names / sizeof kind_names[0])
		return kind_names[k];
	return "?";
}

int cdrfmt_parse_name(const char *s, cdrfmt_kind *out)
{
	size_t i;
	if (!s)
		return -1;
	for (i = 0; i < sizeof kind_names / sizeof kind_names[0]; i++)
		if (!strcasecmp(s, kind_names[i])) {
			*out = (cdrfmt_kind)i;
			return 0;
		}
	if (!strcasecmp(s, "cdr_csv"))
		*out = CDRFMT_ASTERISK;
	else if (!strcasecmp(s, "cdr_custom") || !strcasecmp(s, "asterisk_custom"))
		*out = CDRFMT_ASTERISK_CUSTOM;
	else if (!strcasecmp(s, "cdr_mysql") || !strcasecmp(s, "cdr_pgsql") || !strcasecmp(s, "cdr_odbc")
	         || !strcasecmp(s, "cdr_adaptive_odbc") || !strcasecmp(s, "freepbx-db")
	         || !strcasecmp(s, "asteriskcdrdb") || !strcasecmp(s, "asterisk_db"))
		*out = CDRFMT_ASTERISK_DB;
	else if (!strcasecmp(s, "ucm") || !strcasecmp(s, "grandstream-ucm"))
		*out = CDRFMT_GRANDSTREAM;
	else
		return -1;
	return 0;
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
	int i;
	if (kind <= CDRFMT_AUTO || kind > CDRFMT_LAST) {
		snprintf(why, whylen, "no format given: detect it first (cdrfmt_detect)");
		return NULL;
	}
	if (map && *map && kind != CDRFMT_GENERIC && kind != CDRFMT_FLOWROUTE && kind != CDRFMT_GRANDSTREAM
	    && kind != CDRFMT_ASTERISK_DB) {
		snprintf(why, whylen, "--map applies to generic, flowroute, grandstream and asterisk-db files, not %s "
		         "(give --format generic, or --format auto)", cdrfmt_name(kind));
		return NULL;
	}
	r = calloc(1, sizeof *r);
	if (!r) {
		snprintf(why, whylen, "out of memory");
		return NULL;
	}
	r->kind = kind;
	r->zone = zone;
	for (i = 0; i < CF_COUNT; i++)
		r->col[i] = -1;
	if (kind == CDRFMT_ASTERISK_DB)
		cf_astdb_layout(r); /* used when the first row turns out to be data */
	if (map && *map && cf_map_parse(r, map, why, whylen) != 0) {
		cdrfmt_reader_free(r);
		return NULL;
	}
	return r;
}

int cdrfmt_reader_headed(const cdrfmt_reader *r)
{
	if (r->kind == CDRFMT_ASTERISK_DB && !r->headerless)
		return 2; /* the first row decides: a header, or data */
	return (r->kind == CDRFMT_GENERIC || r->kind == CDRFMT_FLOWROUTE || r->kind == CDRFMT_GRANDSTREAM)
	       && !r->headerless;
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
	switch (r->kind) {
	case CDRFMT_ASTERISK: return cf_asterisk_row(r, row, out, why, whylen);
	case CDRFMT_ASTERISK_CUSTOM: return cf_custom_row(r, row, out, why, whylen);
	case CDRFMT_FREESWITCH: return cf_freeswitch_row(r, row, out, why, whylen);
	case CDRFMT_FLOWROUTE:
	case CDRFMT_GRANDSTREAM:
	case CDRFMT_GENERIC: return cf_headed_row(r, row, out, why, whylen);
	case CDRFMT_ASTERISK_DB: return cf_astdb_row(r, row, out, why, whylen);
	default: break;
	}
	snprintf(why, whylen, "reader has no format");
	return CDRFMT_EBAD;
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
	int h;
	d->got = 1;
	h = cf_headed_classify(row, d->why, d->whylen);
	if (h >= 0) {
		d->kind = (cdrfmt_kind)h; /* AUTO with why when a column is missing */
		return 1;
	}
	d->kind = cf_switch_classify(row);
	if (d->kind == CDRFMT_AUTO && cf_astdb_classify(row))
		d->kind = CDRFMT_ASTERISK_DB;
	if (d->kind == CDRFMT_AUTO)
		snprintf(d->why, d->whylen,
		         "line %lld: %d fields, no header names a time column and no known layout matches "
		         "(without a header: --map FIELD=NUMBER,...; asterisk: 16-21 fields, a time in field 10; "
		         "asterisk-custom: 18-19, a time in field 9; freeswitch: 15, a time in field 5, a uuid in "
		         "field 11; asterisk-db: 16 or more, a time in field 1, a disposition in field 12)",
		         (long long)row->line, row->nfields);
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
	if (k == CDRFMT_FLOWROUTE || k == CDRFMT_GRANDSTREAM || k == CDRFMT_ASTERISK_DB || k == CDRFMT_GENERIC)
		return k;
	return CDRFMT_GENERIC;
}

/* ---- helpers shared by the formats ---------------------------------------- */

void cf_rec_init(cdr_rec *out)
{
	memset(out, 0, sizeof *out);
	out->record_id = "";
	out->call_key = "";
	out->account = "";
	out->src = "";
	out->dst = "";
	out->clid = "";
	out->disposition_text = "";
	out->direction = "";
	out->start = TM_NONE;
	out->answer = TM_NONE;
	out->end = TM_NONE;
	out->disposition = DISP_OTHER;
	out->their_billed_secs = -1;
}

int cf_bad(char *why, size_t n, int i, const char *name, const char *what, const char *s, size_t len)
{
	char v[64];
	size_t k = 0, j;
	for (j = 0; j < len && k < sizeof v - 8; j++) {
		unsigned char c = (unsigned char)s[j];
		if (c == '"' || c == '\\') {
			v[k++] = '\\';
			v[k++] = (char)c;
		} else if (c >= 0x20 && c < 0x7f) {
			v[k++] = (char)c;
		} else {
			k += (size_t)snprintf(v + k, sizeof v - k, "\\x%02x", c);
		}
	}
	if (j < len) {
		memcpy(v + k, "...", 3);
		k += 3;
	}
	v[k] = '\0';
	char field[96];
	if (name)
		snprintf(field, sizeof field, "field %d (%s)", i + 1, name);
	else
		snprintf(field, sizeof field, "field %d", i + 1);
	if (s)
		snprintf(why, n, "%s: %s \"%s\"", field, what, v);
	else
		snprintf(why, n, "%s: %s", field, what);
	return CDRFMT_EBAD;
}

int cf_bytes(const csvin_row *row, int i, const char *name, char *why, size_t n)
{
	if (memchr(row->field[i], '\0', row->len[i]))
		return cf_bad(why, n, i, name, "holds a NUL byte", row->field[i], row->len[i]);
	if (row->len[i] > CDR_FIELD_MAX) {
		char what[96];
		snprintf(what, sizeof what, "%zu bytes, longer than the %d a stored field may hold", row->len[i],
		         CDR_FIELD_MAX);
		return cf_bad(why, n, i, name, what, row->field[i], row->len[i]);
	}
	return 0;
}

int cf_text(const csvin_row *row, int i, const char *name, char *why, size_t n)
{
	if (!csvin_valid_utf8(row->field[i], row->len[i]))
		return cf_bad(why, n, i, name, "not UTF-8", row->field[i], row->len[i]);
	return cf_bytes(row, i, name, why, n);
}

int cf_is_uint(const char *s, size_t len)
{
	size_t i;
	if (len == 0 || len > 18)
		return 0;
	for (i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

int cf_is_time(const char *s, size_t len)
{
	tm_civil c;
	if (len < 8)
		return 0;
	if (tm_parse_civil(s, len, &c) == TM_OK)
		return c.has_time;
	/* day- or month-first ("1/9/2017 16:33:01"): the order is decided
	 * later, from a sample (cdrsniff.h) */
	return (df_parse_ordered(s, len, DF_DMY, &c) == TM_OK || df_parse_ordered(s, len, DF_MDY, &c) == TM_OK)
	       && c.has_time;
}

int cf_is_uuid(const char *s, size_t len)
{
	size_t i;
	if (len != 36)
		return 0;
	for (i = 0; i < 36; i++) {
		char c = s[i];
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (c != '-')
				return 0;
		} else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
			return 0;
		}
	}
	return 1;
}

int cf_time(cdrfmt_reader *r, const csvin_row *row, int i, const char *name, int optional,
            int allow_epoch, int64_t *out, char *why, size_t n)
{
	const char *s = row->field[i];
	size_t len = row->len[i], k;
	char reason[160];
	tm_civil c;
	while (len && (*s == ' ' || *s == '\t'))
		s++, len--;
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (len == 0) {
		if (optional) {
			*out = TM_NONE;
			return 0;
		}
		return cf_bad(why, n, i, name, "empty, a time is required", NULL, 0);
	}
	if (r->sniff) {
		cf_sniff_note(r->sniff, s, len);
		*out = 0;
		return 0;
	}
	if (df_read(&r->dates, s, len, allow_epoch, &c, reason, sizeof reason) != TM_OK) {
		cf_bad(why, n, i, name, "bad time", row->field[i], row->len[i]);
		/* today's message stays as it was for year-first files */
		if (r->dates.kind != DF_AUTO && (k = strlen(why)) + 2 < n)
			snprintf(why + k, n - k, ": %s", reason);
		return CDRFMT_EBAD;
	}
	*out = tz_to_utc(r->zone, &c);
	return 0;
}

int cf_time_in(cdrfmt_reader *r, tz_zone *z, const csvin_row *row, int i, const char *name,
               int optional, int allow_epoch, int64_t *out, char *why, size_t n)
{
	tz_zone *keep = r->zone;
	int st;
	if (z)
		r->zone = z;
	st = cf_time(r, row, i, name, optional, allow_epoch, out, why, n);
	r->zone = keep;
	return st;
}

int cf_secs(const csvin_row *row, int i, const char *name, int64_t *ms, char *why, size_t n)
{
	const char *s = row->field[i];
	size_t len = row->len[i], k;
	int64_t v = 0;
	if (len == 0)
		return cf_bad(why, n, i, name, "empty, a number of seconds is required", NULL, 0);
	if (len > 12 || !cf_is_uint(s, len))
		return cf_bad(why, n, i, name, "bad number", s, len);
	for (k = 0; k < len; k++)
		v = v * 10 + (s[k] - '0');
	*ms = v * 1000;
	return 0;
}

/* digits[.digits] -> ms; 0 or -1; *sub when non-zero digits beyond ms. */
static int dec_ms(const char *s, size_t len, int64_t *ms, int *sub)
{
	size_t k = 0;
	int64_t v = 0;
	int nd = 0, frac = 0, nf = 0;
	*sub = 0;
	while (k < len && s[k] >= '0' && s[k] <= '9') {
		if (++nd > 12)
			return -1;
		v = v * 10 + (s[k++] - '0');
	}
	if (k < len && s[k] == '.') {
		k++;
		while (k < len && s[k] >= '0' && s[k] <= '9') {
			if (nf < 3) {
				frac = frac * 10 + (s[k] - '0');
				nf++;
			} else if (s[k] != '0') {
				*sub = 1;
			}
			k++;
			nd++;
		}
	}
	if (k != len || nd == 0)
		return -1;
	while (nf < 3)
		frac *= 10, nf++;
	*ms = v * 1000 + frac;
	return 0;
}

int cf_dec_ms(const csvin_row *row, int i, const char *name, int empty_ok, int64_t *ms,
              char *why, size_t n)
{
	const char *s = row->field[i];
	size_t len = row->len[i];
	int sub = 0;
	while (len && (*s == ' ' || *s == '\t'))
		s++, len--;
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (len == 0) {
		if (empty_ok) {
			*ms = 0;
			return 0;
		}
		return cf_bad(why, n, i, name, "empty, a duration is required", NULL, 0);
	}
	/* [[h:]mm:]ss[.fff] */
	int64_t part[2] = { 0, 0 }, sec;
	int np = 0;
	const char *c;
	while ((c = memchr(s, ':', len)) != NULL) {
		size_t k = (size_t)(c - s);
		if (np == 2 || k == 0 || k > 9 || !cf_is_uint(s, k))
			return cf_bad(why, n, i, name, "bad duration", row->field[i], row->len[i]);
		part[np] = 0;
		for (size_t j = 0; j < k; j++)
			part[np] = part[np] * 10 + (s[j] - '0');
		np++;
		s = c + 1;
		len -= k + 1;
	}
	if (dec_ms(s, len, &sec, &sub) != 0 || (np && sec >= 60000) || (np == 2 && part[1] >= 60))
		return cf_bad(why, n, i, name, "bad duration", row->field[i], row->len[i]);
	if (sub)
		return cf_bad(why, n, i, name, "finer than a millisecond", row->field[i], row->len[i]);
	if (np == 1)
		sec += part[0] * 60000;
	else if (np == 2)
		sec += (part[0] * 3600 + part[1] * 60) * 1000;
	*ms = sec;
	return 0;
}

void cf_norm(const char *s, size_t len, char *out, size_t cap)
{
	size_t k = 0, i;
	for (i = 0; i < len && k + 1 < cap; i++) {
		char c = s[i];
		if (c >= 'A' && c <= 'Z')
			out[k++] = (char)(c - 'A' + 'a');
		else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			out[k++] = c;
	}
	out[k] = '\0';
}

/* Dispositions. One table of words (Asterisk's, FreeSWITCH's hangup causes,
 * Q.850 cause names, carrier portals' words; compared lower-cased without
 * punctuation) and two of numbers:
 *   Q.850 cause: 16 normal clearing, 31 normal unspecified (answered when
 *     billsec > 0, else OTHER); 17 busy; 18 no user response, 19 no answer,
 *     20 subscriber absent -> NO ANSWER; 34 circuit congestion, 42 switch
 *     congestion -> CONGESTION; 1 unallocated, 2/3 no route, 21 rejected,
 *     22 number changed, 27 out of order, 28 invalid format, 38, 41, 102
 *     and any other 1..127 -> FAILED.
 *   SIP response: 200 -> ANSWERED; 486, 600 busy -> BUSY; 480, 408, 487 ->
 *     NO ANSWER; 503 -> CONGESTION; other 300..699 -> FAILED.
 * Which table a number reads from is the caller's (the column's name:
 * "hangup cause", "cause code", "q850" -> Q.850; "sip code", "response"
 * -> SIP; any other name: 100..699 SIP, 0..99 Q.850).
 * *answered: the outcome is answered; *known: 0 when the text was not
 * recognised (or empty): the caller then follows billsec. */
typedef struct {
	const char *w;
	cdr_disposition d;
} disp_word;

static const disp_word disp_words[] = {
	{ "answered", DISP_ANSWERED }, { "answer", DISP_ANSWERED }, { "completed", DISP_ANSWERED },
	{ "complete", DISP_ANSWERED }, { "connected", DISP_ANSWERED }, { "ok", DISP_ANSWERED },
	{ "success", DISP_ANSWERED }, { "successful", DISP_ANSWERED }, { "succeeded", DISP_ANSWERED },
	{ "noanswer", DISP_NO_ANSWER }, { "nouserresponse", DISP_NO_ANSWER },
	{ "originatorcancel", DISP_NO_ANSWER }, { "cancel", DISP_NO_ANSWER }, { "cancelled", DISP_NO_ANSWER },
	{ "canceled", DISP_NO_ANSWER }, { "missed", DISP_NO_ANSWER }, { "unanswered", DISP_NO_ANSWER },
	{ "notanswered", DISP_NO_ANSWER }, { "timeout", DISP_NO_ANSWER }, { "subscriberabsent", DISP_NO_ANSWER },
	{ "requesttimeout", DISP_NO_ANSWER }, { "temporarilyunavailable", DISP_NO_ANSWER },
	{ "requestterminated", DISP_NO_ANSWER }, { "noanswerfromuser", DISP_NO_ANSWER },
	{ "busy", DISP_BUSY }, { "userbusy", DISP_BUSY }, { "busyhere", DISP_BUSY },
	{ "busyeverywhere", DISP_BUSY },
	{ "congestion", DISP_CONGESTION }, { "normalcircuitcongestion", DISP_CONGESTION },
	{ "switchcongestion", DISP_CONGESTION }, { "serviceunavailable", DISP_CONGESTION },
	{ "failed", DISP_FAILED }, { "fail", DISP_FAILED }, { "failure", DISP_FAILED }, { "error", DISP_FAILED },
	{ "rejected", DISP_FAILED }, { "callrejected", DISP_FAILED }, { "unallocatednumber", DISP_FAILED },
	{ "noroutedestination", DISP_FAILED }, { "noroutetransitnet", DISP_FAILED },
	{ "invalidnumberformat", DISP_FAILED }, { "normaltemporaryfailure", DISP_FAILED },
	{ "numberchanged", DISP_FAILED }, { "destinationoutoforder", DISP_FAILED },
	{ "networkoutoforder", DISP_FAILED }, { "recoveryontimerexpire", DISP_FAILED },
	{ "incompatibledestination", DISP_FAILED }, { "facilityrejected", DISP_FAILED },
	{ "bearercapabilitynotavail", DISP_FAILED }, { "outgoingcallbarred", DISP_FAILED },
	{ "incomingcallbarred", DISP_FAILED }, { "notfound", DISP_FAILED }, { "forbidden", DISP_FAILED },
	{ "decline", DISP_FAILED }, { "declined", DISP_FAILED }, { "chanunavail", DISP_CONGESTION },
	{ NULL, DISP_OTHER }
};

static cdr_disposition q850(long v, int *normal)
{
	*normal = 0;
	switch (v) {
	case 16: case 31: *normal = 1; return DISP_OTHER;
	case 17: return DISP_BUSY;
	case 18: case 19: case 20: return DISP_NO_ANSWER;
	case 34: case 42: return DISP_CONGESTION;
	default: return DISP_FAILED; /* 1, 2, 3, 21, 22, 27, 28, 38, 41, 102... */
	}
}

static cdr_disposition sip(long v)
{
	switch (v) {
	case 200: return DISP_ANSWERED;
	case 486: case 600: return DISP_BUSY;
	case 480: case 408: case 487: return DISP_NO_ANSWER;
	case 503: return DISP_CONGESTION;
	default: return DISP_FAILED;
	}
}

cdr_disposition cf_disposition_as(const char *s, size_t len, int64_t billsec_ms, int code, int *answered,
                                  int *known)
{
	char w[40];
	int normal = 0;
	cdr_disposition d = DISP_OTHER;
	while (len && (*s == ' ' || *s == '\t'))
		s++, len--;
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	*answered = 0;
	*known = 1;
	if (cf_is_uint(s, len) && len <= 3) {
		long v = 0;
		for (size_t k = 0; k < len; k++)
			v = v * 10 + (s[k] - '0');
		if (code == CF_CODE_Q850 || (code == CF_CODE_AUTO && v < 100)) {
			if (v < 1 || v > 127)
				goto unknown;
			d = q850(v, &normal);
		} else {
			if (v < 200 || v > 699)
				goto unknown;
			d = sip(v);
		}
	} else {
		cf_norm(s, len, w, sizeof w);
		if (!strcmp(w, "normalclearing") || !strcmp(w, "normalunspecified")) {
			normal = 1;
		} else {
			const disp_word *p;
			for (p = disp_words; p->w && strcmp(p->w, w); p++)
				;
			if (!p->w)
				goto unknown;
			d = p->d;
		}
	}
	if (normal) { /* a normal end: answered when something was billed */
		if (billsec_ms > 0) {
			*answered = 1;
			return DISP_ANSWERED;
		}
		return DISP_OTHER;
	}
	*answered = d == DISP_ANSWERED;
	return d;
unknown:
	*known = 0;
	return DISP_OTHER;
}

cdr_disposition cf_disposition(const char *s, size_t len, int64_t billsec_ms, int *answered, int *known)
{
	return cf_disposition_as(s, len, billsec_ms, CF_CODE_AUTO, answered, known);
}

static char *scratch(cdrfmt_reader *r, size_t need)
{
	if (need > r->bufcap) {
		size_t cap = r->bufcap ? r->bufcap : 256;
		while (cap < need)
			cap *= 2;
		char *b = realloc(r->buf, cap);
		if (!b)
			return NULL;
		r->buf = b;
		r->bufcap = cap;
	}
	return r->buf;
}

const char *cf_join_id(cdrfmt_reader *r, const char *a, size_t alen, const char *b, size_t blen)
{
	char *p = scratch(r, alen + blen + 2);
	if (!p)
		return NULL;
	memcpy(p, a, alen);
	p[alen] = '/';
	memcpy(p + alen + 1, b, blen);
	p[alen + 1 + blen] = '\0';
	return p;
}

/* FNV-1a 64 over every field, each preceded by its length, so that moving a
 * byte across a field boundary changes the digest. */
static void digest_text(const csvin_row *row, char out[24])
{
	uint64_t h = 0xcbf29ce484222325ULL;
	const uint64_t prime = 0x100000001b3ULL;
	int i;
	for (i = 0; i < row->nfields; i++) {
		uint64_t n = row->len[i];
		const unsigned char *s = (const unsigned char *)row->field[i];
		for (int k = 0; k < 8; k++) {
			h ^= (n >> (8 * k)) & 0xff;
			h *= prime;
		}
		for (size_t j = 0; j < row->len[i]; j++) {
			h ^= s[j];
			h *= prime;
		}
	}
	snprintf(out, 24, "fnv:%016llx", (unsigned long long)h);
}

const char *cf_digest(cdrfmt_reader *r, const csvin_row *row)
{
	char *p = scratch(r, 24);
	if (!p)
		return NULL;
	digest_text(row, p);
	return p;
}

const char *cf_id_digest(cdrfmt_reader *r, const char *id, size_t idlen, const csvin_row *row)
{
	char d[24];
	digest_text(row, d);
	return cf_join_id(r, id, idlen, d, strlen(d));
}
