/* cmd_explain.c: explain (how one call was rated). The text form of the
 * rating lives in render.c, shared with the console. */
#include <stdlib.h>
#include <string.h>

#include "../core/tm.h"
#include "../data/cdrq.h"
#include "../data/out.h"
#include "../data/rerate.h"
#include "../data/store.h"
#include "../data/archive.h"
#include "cli.h"
#include "../front/render.h"

/* Every rating of the call (issue 10), in JSON or (j NULL) as text. */
static void explain_ratings(const rerate_rating *g, int n, int d, out_json *j)
{
	if (j) {
		out_json_arr(j, "ratings");
		for (int i = 0; i < n; i++) {
			out_json_obj(j, NULL);
			out_json_int(j, "seq", g[i].seq);
			out_json_bool(j, "current", i == n - 1);
			if (g[i].run_id) {
				out_json_int(j, "run", g[i].run_id);
				out_json_time(j, "at", g[i].at);
				out_json_str(j, "operator", g[i].operator_);
				out_json_str(j, "memo", g[i].memo);
				out_json_str(j, "deck", g[i].deck);
			} else {
				out_json_null(j, "run");
			}
			out_json_str(j, "state", store_cdr_state_name(g[i].state));
			out_json_str(j, "prefix", g[i].prefix[0] ? g[i].prefix : NULL);
			if (g[i].rate_id) out_json_int(j, "rate_id", g[i].rate_id); else out_json_null(j, "rate_id");
			out_json_int(j, "billed_seconds", g[i].billed_secs);
			out_json_money(j, "cost", g[i].cost, d);
			out_json_str(j, "unrated_reason", g[i].unrated_reason[0] ? g[i].unrated_reason : NULL);
			out_json_end(j);
		}
		out_json_end(j);
		return;
	}
	render_explain_ratings(stdout, g, n, d);
}

const cli_command cmd_explain_entry = {
	.name = "explain",
	.usage = "explain CALL-ID [--format text|json]",
	.summary = "how one call was rated: rate row, increments, exact cost, rounding, every rating",
	.help = NULL,
	.fn = cmd_explain,
};

int cmd_explain(const cli_global *g, int argc, char **argv)
{
	rerate_rating *hist = NULL;
	int nhist = 0;
	const char *format = NULL, *pos[1];
	int npos, fmt;
	cli_opt opts[] = { { "--format", 1, &format, NULL }, { NULL, 0, NULL, NULL } };
	cdrq_explain e;
	db_t *db;
	char exact[64], billsec[32];
	if (cli_parse("explain", argc, argv, opts, pos, 1, &npos) < 0)
		return 2;
	if (npos != 1)
		return cli_usage_error("explain", "explain needs a CALL-ID");
	if ((fmt = cli_format("explain", format, 0)) < 0)
		return 2;
	if (!(db = cli_open(g, 0, 0)))
		return 1;
	int st = cdrq_explain_call(db, pos[0], &e);
	if (st != DB_OK) {
		char months[256];
		int rc = cli_error("%s", db_errmsg(db));
		/* PostgreSQL: the calls of an archived month are no longer here */
		if (st == DB_ENOTFOUND && archive_months_in(db, INT64_MIN, INT64_MAX, months, sizeof months) == DB_OK
		    && *months)
			fprintf(stderr, "billtop: note: months archived (billtop archive): %s; their calls are not"
			        " explained here\n", months);
		db_close(db);
		return rc;
	}
	if (rerate_history(db, e.call.id, &hist, &nhist) != DB_OK) {
		int rc = cli_error("%s", db_errmsg(db));
		db_close(db);
		return rc;
	}
	int d = e.account.decimals;
	const rate_row *r = &e.rate;
	money_format_fraction(e.exact_num, 60, 12, exact, sizeof exact);
	snprintf(billsec, sizeof billsec, "%lld.%03lld", (long long)(e.call.billsec_ms / 1000),
	         (long long)(e.call.billsec_ms % 1000));
	if (fmt == FMT_JSON) {
		out_json j;
		out_json_init(&j, stdout, 1);
		out_json_obj(&j, NULL);
		out_json_str(&j, "call_id", e.call.record_id);
		out_json_str(&j, "account", e.account.name);
		out_json_time(&j, "start", e.call.start);
		out_json_str(&j, "dst", e.call.dst);
		out_json_str(&j, "disposition", e.call.disposition);
		out_json_str(&j, "state", store_cdr_state_name(e.call.state));
		out_json_str(&j, "unrated_reason", e.call.unrated_reason[0] ? e.call.unrated_reason : NULL);
		out_json_obj(&j, "number");
		out_json_str(&j, "dialled", e.call.dst);
		if (e.has_plan) {
			out_json_str(&j, "dial_plan", e.call.dialplan);
			out_json_str(&j, "class", dialplan_class_name(e.dial.cls));
			out_json_str(&j, "rule", e.dial.rule);
			out_json_str(&j, "e164", e.dial.cls == DIAL_EXTERNAL ? e.dial.digits : NULL);
		} else {
			out_json_null(&j, "dial_plan");
			out_json_str(&j, "digits", e.digits);
		}
		out_json_end(&j);
		out_json_int(&j, "billsec_ms", e.call.billsec_ms);
		out_json_int(&j, "billsec", e.billsec);
		if (e.has_rate) {
			out_json_obj(&j, "rate");
			out_json_int(&j, "id", r->id);
			out_json_str(&j, "prefix", r->prefix);
			out_json_str(&j, "description", r->description);
			out_json_money(&j, "rate_per_min", r->rate_per_min, 4);
			out_json_int(&j, "min_secs", r->min_secs);
			out_json_int(&j, "inc_secs", r->inc_secs);
			out_json_int(&j, "grace_secs", r->grace_secs);
			out_json_money(&j, "connect_fee", r->connect_fee, 4);
			out_json_time(&j, "effective", r->eff_from);
			out_json_end(&j);
		} else {
			out_json_null(&j, "rate");
		}
		out_json_int(&j, "billed_seconds", e.call.billed_secs);
		out_json_str(&j, "exact_cost", e.has_rate && e.call.state == CDR_RATED ? exact : NULL);
		out_json_str(&j, "rounding", round_mode_name(e.account.rounding));
		out_json_int(&j, "decimals", d);
		out_json_money(&j, "cost", e.call.cost, d);
		out_json_money(&j, "cnam_cost", e.call.cnam_cost, d);
		out_json_bool(&j, "recomputed_matches", e.recomputed == e.call.cost);
		explain_ratings(hist, nhist, d, &j);
		out_json_end(&j);
		out_json_done(&j);
		free(hist);
		db_close(db);
		return 0;
	}
	render_explain_text(stdout, &e);
	explain_ratings(hist, nhist, d, NULL);
	free(hist);
	db_close(db);
	return 0;
}
