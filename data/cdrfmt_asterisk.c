/* cdrfmt_asterisk.c: format "asterisk" (alias cdr_csv): Asterisk cdr_csv's
 * Master.csv, no header.
 *
 * 16 fixed columns, then optional uniqueid and userfield (loguniqueid,
 * loguserfield), then peeraccount, linkedid, sequence (newcdrcolumns). The
 * field count says which are there:
 *   16: none   17: uniqueid   18: uniqueid userfield   19: peeraccount linkedid
 *   sequence   20: uniqueid + the three   21: all five.
 * (17 could also be userfield alone; uniqueid is by far the common setting.)
 *   record_id = uniqueid/sequence, else uniqueid/digest-of-the-row (several
 *               distinct rows share a uniqueid when there is no sequence:
 *               forked CDRs; each is kept, identical re-imports dedupe),
 *               else a digest of the row
 *   call_key  = linkedid, else uniqueid, else ""  (one billed leg per key)
 *   connected = disposition ANSWERED and billsec > 0 ("NO ANSWER" legs with
 *               billsec > 0 exist in real files and are not connected).
 * Recognised by a time in field 10 and whole numbers in fields 13 and 14 of
 * a 16..21-field row. */
#include "cdrfmt_switch.h"

#include <stdio.h>
#include <string.h>

static const char *const ast_fixed[16] = {
	"accountcode", "src", "dst", "dcontext", "clid", "channel", "dstchannel", "lastapp",
	"lastdata", "start", "answer", "end", "duration", "billsec", "disposition", "amaflags"
};

static int asterisk_row(cdrfmt_reader *r, const csvin_row *row, cdr_rec *out, char *why, size_t n)
{
	int nf = row->nfields, i;
	cf_switch_layout L;
	if (nf < 16 || nf > 21) {
		snprintf(why, n, "expected 16 to 21 fields, got %d", nf);
		return CDRFMT_EBAD;
	}
	L.account = 0, L.src = 1, L.dst = 2, L.clid = 4, L.start = 9, L.answer = 10, L.end = 11;
	L.dur = 12, L.bill = 13, L.disp = 14;
	for (i = 0; i < 16; i++)
		L.names[i] = ast_fixed[i];
	L.uid = (nf == 17 || nf == 18 || nf == 20 || nf == 21) ? 16 : -1;
	L.link = nf >= 19 ? nf - 2 : -1;
	L.seq = nf >= 19 ? nf - 1 : -1;
	if (L.uid >= 0)
		L.names[16] = "uniqueid";
	if (nf == 18 || nf == 21)
		L.names[17] = "userfield";
	if (nf >= 19) {
		L.names[nf - 3] = "peeraccount";
		L.names[nf - 2] = "linkedid";
		L.names[nf - 1] = "sequence";
	}
	return cf_switch_map_asterisk(r, row, &L, out, why, n);
}

static int asterisk_classify(const cf_probe *p)
{
	const csvin_row *row = p->row;
	int nf = row->nfields;
	if (p->header)
		return CF_NO;
	if (nf >= 16 && nf <= 21 && cf_is_time(row->field[9], row->len[9]) && cf_is_uint(row->field[12], row->len[12])
	    && cf_is_uint(row->field[13], row->len[13]))
		return CF_SURE;
	return CF_NO;
}

static void asterisk_describe(const cdrfmt_reader *r, int nf, cf_sbuf *b)
{
	static const char *const base_use[16] = {
		"account", "src", "dst", NULL, "clid", NULL, NULL, NULL, NULL, "start", "answer", "end",
		"duration", "billsec", "disposition", NULL };
	/* the optional tail by field count (file comment) */
	static const char *const t17[] = { "uniqueid" };
	static const char *const t18[] = { "uniqueid", "userfield" };
	static const char *const t19[] = { "peeraccount", "linkedid", "sequence" };
	static const char *const t20[] = { "uniqueid", "peeraccount", "linkedid", "sequence" };
	static const char *const t21[] = { "uniqueid", "userfield", "peeraccount", "linkedid", "sequence" };
	const char *const *t = nf == 17 ? t17 : nf == 18 ? t18 : nf == 19 ? t19 : nf == 20 ? t20 : t21;
	const char *names[21], *use[21];
	int i;
	(void)r;
	if (nf < 16 || nf > 21) {
		cf_put(b, "  (%d fields: asterisk cdr_csv has 16 to 21)\n", nf);
		return;
	}
	for (i = 0; i < 16; i++) {
		names[i] = ast_fixed[i];
		use[i] = base_use[i];
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
	cf_describe_fixed(b, nf, names, use);
}

static const char *const aliases[] = { "cdr_csv", NULL };

const cdrfmt_desc cdrfmt_asterisk = {
	.kind = CDRFMT_ASTERISK,
	.name = "asterisk",
	.aliases = aliases,
	.headed = CF_HEADLESS,
	.classify = asterisk_classify,
	.row = asterisk_row,
	.describe = asterisk_describe,
	.shape = "asterisk: 16-21 fields, a time in field 10",
	.summary = "Asterisk cdr_csv Master.csv, 16-21 columns, no header",
	.billing = "one leg per linkedid (else per uniqueid)",
};
