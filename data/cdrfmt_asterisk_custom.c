/* cdrfmt_asterisk_custom.c: format "asterisk-custom" (aliases cdr_custom,
 * asterisk_custom): an Asterisk cdr_custom layout, no header.
 *
 * As in KelySaina's Master.csv (19 columns, numbers quoted, sequence last;
 * 18 = without sequence): clid, src, dst, dcontext, channel, dstchannel,
 * lastapp, lastdata, start, answer, end, duration, billsec, disposition,
 * amaflags, accountcode, uniqueid, userfield, sequence.
 * Same rules as cdr_csv (cdrfmt_asterisk.c); call_key = uniqueid (the layout
 * has no linkedid). Recognised by a time in field 9 (and none in field 1)
 * and whole numbers in fields 12 and 13 of an 18- or 19-field row. */
#include "cdrfmt_switch.h"

#include <stdio.h>

static const cf_switch_layout custom_layout = {
	15, 1, 2, 0, 8, 9, 10, 11, 12, 13, 16, -1, 18,
	{ "clid", "src", "dst", "dcontext", "channel", "dstchannel", "lastapp", "lastdata", "start",
	  "answer", "end", "duration", "billsec", "disposition", "amaflags", "accountcode", "uniqueid",
	  "userfield", "sequence" }
};

static int custom_row(cdrfmt_reader *r, const csvin_row *row, cdr_rec *out, char *why, size_t n)
{
	cf_switch_layout L = custom_layout;
	if (row->nfields != 18 && row->nfields != 19) {
		snprintf(why, n, "expected 19 fields (18 without sequence), got %d", row->nfields);
		return CDRFMT_EBAD;
	}
	if (row->nfields == 18)
		L.seq = -1;
	return cf_switch_map_asterisk(r, row, &L, out, why, n);
}

static int custom_classify(const cf_probe *p)
{
	const csvin_row *row = p->row;
	char *const *f = row->field;
	const size_t *len = row->len;
	int nf = row->nfields;
	if (p->header)
		return CF_NO;
	if ((nf == 18 || nf == 19) && cf_is_time(f[8], len[8]) && cf_is_uint(f[11], len[11])
	    && cf_is_uint(f[12], len[12]) && !cf_is_time(f[0], len[0]))
		return CF_SURE;
	return CF_NO;
}

static void custom_describe(const cdrfmt_reader *r, int nfields, cf_sbuf *b)
{
	static const char *const use[19] = {
		"clid", "src", "dst", NULL, NULL, NULL, NULL, NULL, "start", "answer", "end", "duration",
		"billsec", "disposition", NULL, "account", "record id, call key", NULL, "record id (with uniqueid)" };
	(void)r;
	cf_describe_fixed(b, nfields == 18 ? 18 : 19, custom_layout.names, use);
}

static const char *const aliases[] = { "cdr_custom", "asterisk_custom", NULL };

const cdrfmt_desc cdrfmt_asterisk_custom = {
	.kind = CDRFMT_ASTERISK_CUSTOM,
	.name = "asterisk-custom",
	.aliases = aliases,
	.headed = CF_HEADLESS,
	.classify = custom_classify,
	.row = custom_row,
	.describe = custom_describe,
	.shape = "asterisk-custom: 18-19, a time in field 9",
	.summary = "Asterisk cdr_custom, clid first, 18-19 columns, no header",
	.billing = "one leg per uniqueid",
};
