/* cdrfmt_describe.c: the column mapping of a reader in words. Lives apart
 * from cdrfmt*.c so the formats' own files stay about reading; the layouts
 * below restate those files' comments (cdrfmt_switch.c, cdrfmt_headed.c)
 * and must follow them. */
#include "cdrfmt_describe.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cdrfmt_int.h"

/* What each canonical field feeds, in CF_* order. */
static const char *const cf_label[CF_COUNT] = {
	"call_id (record id)", "start", "answer", "end", "src", "dst", "duration", "billsec",
	"disposition", "cost (their charge)", "account", "clid", "billed (their billed secs)",
	"cnam (CNAM fee)", "direction"
};

typedef struct {
	char *out;
	size_t cap, len;
} sbuf;

static void put(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;
	if (b->len + 1 >= b->cap)
		return;
	va_start(ap, fmt);
	n = vsnprintf(b->out + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		b->len = b->len + (size_t)n < b->cap ? b->len + (size_t)n : b->cap - 1;
}

/* A headerless layout: names[i] and what it feeds (NULL: ignored). */
static void fixed(sbuf *b, int nf, const char *const *names, const char *const *use)
{
	for (int i = 0; i < nf; i++) {
		if (use[i])
			put(b, "  %2d %-12s -> %s\n", i + 1, names[i], use[i]);
		else
			put(b, "  %2d %-12s (ignored)\n", i + 1, names[i]);
	}
}

static void asterisk(sbuf *b, int nf)
{
	static const char *const base[16] = {
		"accountcode", "src", "dst", "dcontext", "clid", "channel", "dstchannel", "lastapp",
		"lastdata", "start", "answer", "end", "duration", "billsec", "disposition", "amaflags" };
	static const char *const base_use[16] = {
		"account", "src", "dst", NULL, "clid", NULL, NULL, NULL, NULL, "start", "answer", "end",
		"duration", "billsec", "disposition", NULL };
	const char *names[21], *use[21];
	int i;
	for (i = 0; i < 16; i++) {
		names[i] = base[i];
		use[i] = base_use[i];
	}
	/* the optional tail by field count (cdrfmt_switch.c) */
	static const char *const t17[] = { "uniqueid" };
	static const char *const t18[] = { "uniqueid", "userfield" };
	static const char *const t19[] = { "peeraccount", "linkedid", "sequence" };
	static const char *const t20[] = { "uniqueid", "peeraccount", "linkedid", "sequence" };
	static const char *const t21[] = { "uniqueid", "userfield", "peeraccount", "linkedid", "sequence" };
	const char *const *t = nf == 17 ? t17 : nf == 18 ? t18 : nf == 19 ? t19 : nf == 20 ? t20 : t21;
	if (nf < 16 || nf > 21) {
		put(b, "  (%d fields: asterisk cdr_csv has 16 to 21)\n", nf);
		return;
	}
	for (i = 16; i < nf; i++) {
		names[i] = t[i - 16];
		if (!strcmp(names[i], "uniqueid"))
			use[i] = "record id (with sequence), call key without linkedid";
		else if (!strcmp(names[i], "linkedid"))
			use[i] = "call key (one billed leg per call)";
		else if (!strcmp(names[i], "sequence"))
			use[i] = "record id (with uniqueid)";
		else
			use[i] = NULL;
	}
	fixed(b, nf, names, use);
}

static void headed(sbuf *b, const cdrfmt_reader *r)
{
	if (!r->header_seen || !r->hdr_text) {
		put(b, "  (no header read)\n");
		return;
	}
	for (int i = 0; i < r->hdr_nf; i++) {
		const char *name = r->hdr_text + r->hdr_off[i];
		int f = -1;
		for (int c = 0; c < CF_COUNT; c++)
			if (r->col[c] == i) {
				f = c;
				break;
			}
		if (f >= 0)
			put(b, "  %2d %-20.60s -> %s%s\n", i + 1, name, cf_label[f], r->map_col[f] ? " (--map)" : "");
		else
			put(b, "  %2d %-20.60s (ignored)\n", i + 1, name);
	}
	for (int c = 0; c < CF_COUNT; c++)
		if (r->col[c] < 0 && (c == CF_CALLID || c == CF_DURATION || c == CF_BILLSEC || c == CF_DISP
		                      || c == CF_ACCOUNT || c == CF_ANSWER))
			put(b, "     no column for %s\n", cf_label[c]);
}

size_t cdrfmt_describe(const cdrfmt_reader *r, int nfields, char *out, size_t cap)
{
	static const char *const custom[19] = {
		"clid", "src", "dst", "dcontext", "channel", "dstchannel", "lastapp", "lastdata", "start",
		"answer", "end", "duration", "billsec", "disposition", "amaflags", "accountcode", "uniqueid",
		"userfield", "sequence" };
	static const char *const custom_use[19] = {
		"clid", "src", "dst", NULL, NULL, NULL, NULL, NULL, "start", "answer", "end", "duration",
		"billsec", "disposition", NULL, "account", "record id, call key", NULL, "record id (with uniqueid)" };
	static const char *const fs[15] = {
		"caller_id_name", "caller_id_number", "destination_number", "context", "start_stamp",
		"answer_stamp", "end_stamp", "duration", "billsec", "hangup_cause", "uuid", "bleg_uuid",
		"accountcode", "read_codec", "write_codec" };
	static const char *const fs_use[15] = {
		"clid", "src", "dst", NULL, "start", "answer", "end", "duration", "billsec", "disposition",
		"record id, call key", NULL, "account", NULL, NULL };
	sbuf b = { out, cap, 0 };
	if (!cap)
		return 0;
	out[0] = '\0';
	switch (r->kind) {
	case CDRFMT_ASTERISK: asterisk(&b, nfields); break;
	case CDRFMT_ASTERISK_CUSTOM: fixed(&b, nfields == 18 ? 18 : 19, custom, custom_use); break;
	case CDRFMT_FREESWITCH: fixed(&b, 15, fs, fs_use); break;
	case CDRFMT_FLOWROUTE:
	case CDRFMT_GENERIC: headed(&b, r); break;
	default: put(&b, "  (no format)\n"); break;
	}
	return b.len;
}
