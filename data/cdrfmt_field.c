/* cdrfmt_field.c: the field helpers every CDR format shares: checks
 * (cf_text, cf_bytes, cf_time, cf_secs, cf_dec_ms), shapes for detection,
 * dispositions, and the record ids built in the reader's scratch buffer.
 * The rules they keep are cdrfmt.c's ("Rules common to all formats"). */
#include "cdrfmt_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

const char *cdrfmt_direction(const char *s, size_t len)
{
	char w[16];
	cf_norm(s, len, w, sizeof w);
	if (!strcmp(w, "inbound") || !strcmp(w, "in") || !strcmp(w, "incoming"))
		return "inbound";
	if (!strcmp(w, "outbound") || !strcmp(w, "out") || !strcmp(w, "outgoing"))
		return "outbound";
	return NULL;
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
