/* cdrfmt_grandstream.c: format "grandstream" (aliases ucm, grandstream-ucm):
 * a Grandstream UCM CDR download (header "Caller Number", "Callee Number",
 * "Start Time", "Talk Time", "Uniqueid"...).
 * Rules: cdrfmt_headed.c's, and the UCM writes one row per segment of a
 * call (after a transfer, IVR -> extension), each with the talk time of its
 * own stretch: the segments follow one another and their talk times add up
 * to the call's, so every segment is billed (call_key "").
 * Recognised by a header naming uniqueid, talk time and a caller or callee
 * number. */
#include "cdrfmt_int.h"

static const cf_headed_rules rules = { 0, 0, 1, NULL, NULL };

static int grandstream_row(cdrfmt_reader *r, const csvin_row *row, cdr_rec *out, char *why, size_t n)
{
	return cf_headed_row(r, &rules, row, out, why, n);
}

static int grandstream_classify(const cf_probe *p)
{
	if (!p->header || p->why[0])
		return CF_NO;
	return cf_probe_count(p, "uniqueid") && cf_probe_count(p, "talktime")
	       && (cf_probe_count(p, "calleenumber") || cf_probe_count(p, "callernumber")) ? CF_SURE : CF_NO;
}

static const char *const aliases[] = { "ucm", "grandstream-ucm", NULL };

const cdrfmt_desc cdrfmt_grandstream = {
	.kind = CDRFMT_GRANDSTREAM,
	.name = "grandstream",
	.aliases = aliases,
	.headed = CF_HEADED,
	.classify = grandstream_classify,
	.row = grandstream_row,
	.describe = cf_describe_headed,
	.shape = NULL,
	.summary = "Grandstream UCM CDR download (Callee Number, Talk Time...)",
	.billing = "every row: a transferred call's segments add up",
};
