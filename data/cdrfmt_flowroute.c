/* cdrfmt_flowroute.c: format "flowroute": Flowroute's CDR export (a header:
 * call_start_time, billed_duration, total_cost, result, cnam_lookup_fee...).
 * Rules: cdrfmt_headed.c's, and
 *  - result=completed is connected even with a billed time of 0 (it is
 *    Flowroute's connected flag);
 *  - duration is the connected time (end - start), so the answer time of a
 *    connected call without an answer column is its start;
 *  - no call id: the record id is a digest of the row.
 * Recognised by a header with at least four of start_time, billed_duration,
 * total_cost, result, cnam_lookup_fee. */
#include "cdrfmt_int.h"

static const cf_headed_rules rules = { 1, 1, 0, NULL, NULL };

static int flowroute_row(cdrfmt_reader *r, const csvin_row *row, cdr_rec *out, char *why, size_t n)
{
	return cf_headed_row(r, &rules, row, out, why, n);
}

static int flowroute_classify(const cf_probe *p)
{
	static const char *const marks[] = { "starttime", "billedduration", "totalcost", "result", "cnamlookupfee",
	                                     NULL };
	int fr = 0;
	if (!p->header || p->why[0])
		return CF_NO;
	for (const char *const *m = marks; *m; m++)
		fr += cf_probe_count(p, *m);
	return fr >= 4 ? CF_SURE : CF_NO;
}

const cdrfmt_desc cdrfmt_flowroute = {
	.kind = CDRFMT_FLOWROUTE,
	.name = "flowroute",
	.aliases = NULL,
	.headed = CF_HEADED,
	.classify = flowroute_classify,
	.row = flowroute_row,
	.describe = cf_describe_headed,
	.shape = NULL,
	.summary = "Flowroute CDR export (billed_duration, total_cost, result)",
	.billing = "every row (a row is a call; no call id)",
};
