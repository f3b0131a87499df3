/* cdrfmt_generic.c: format "generic": any CSV with a header, its columns
 * found by name (the synonyms of cdrfmt_headed.c) or named with --map; a
 * file without a header when --map gives only column numbers.
 * Rules: cdrfmt_headed.c's, with none of its per-format exceptions.
 * Recognised by any header detection can read (the fallback of headed
 * files: every other headed format ranks above it). */
#include "cdrfmt_int.h"

static const cf_headed_rules rules = { 0, 0, 0, NULL, NULL };

static int generic_row(cdrfmt_reader *r, const csvin_row *row, cdr_rec *out, char *why, size_t n)
{
	return cf_headed_row(r, &rules, row, out, why, n);
}

static int generic_classify(const cf_probe *p)
{
	return p->header && !p->why[0] ? CF_FALLBACK : CF_NO;
}

const cdrfmt_desc cdrfmt_generic = {
	.kind = CDRFMT_GENERIC,
	.name = "generic",
	.aliases = NULL,
	.headed = CF_HEADED,
	.classify = generic_classify,
	.row = generic_row,
	.describe = cf_describe_headed,
	.shape = NULL,
	.summary = "any CSV with a header, columns by name or --map",
	.billing = "one row per linkedid, else per call id; else every row",
};
