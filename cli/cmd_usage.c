/* cmd_usage.c: usage: calls, connected, ASR, ACD, minutes and calls cost by hour, day,
 * weekday or destination. The text and CSV forms live in front/render.c,
 * shared with the console's exports; the JSON form is here. */
#include <stdlib.h>

#include "../core/tm.h"
#include "../data/out.h"
#include "../data/report.h"
#include "cli.h"
#include "../front/asof.h"
#include "../front/render.h"

static void usage_json(FILE *f, const account_info *a, const char *window, const report_usage *u)
{
	int d = a->decimals;
	out_json j;
	out_json_init(&j, f, 1);
	out_json_obj(&j, NULL);
	out_json_str(&j, "account", a->name);
	out_json_str(&j, "window", window);
	out_json_str(&j, "by", report_by_name(u->by));
	out_json_time(&j, "from", u->from);
	out_json_time(&j, "to", u->to);
	out_json_arr(&j, "buckets");
	for (int i = 0; i <= u->n; i++) {
		const report_bucket *k = i < u->n ? &u->b[i] : &u->total;
		if (i == u->n) {
			out_json_end(&j);
			out_json_obj(&j, "total");
		} else {
			out_json_obj(&j, NULL);
			out_json_str(&j, "label", k->label);
			if (u->by == BY_DESTINATION)
				out_json_str(&j, "prefix", k->prefix);
			else if (u->by != BY_WEEKDAY)
				out_json_time(&j, "start", k->start);
		}
		out_json_int(&j, "calls", k->calls);
		out_json_int(&j, "connected", k->connected);
		out_json_int(&j, "asr_bp", report_asr_bp(k->calls, k->connected));
		out_json_int(&j, "acd_ms", report_acd_ms(k->connected, k->billsec_ms));
		out_json_int(&j, "billsec_ms", k->billsec_ms);
		out_json_int(&j, "billed_seconds", k->billed_secs);
		out_json_money(&j, "cost", k->cost, d);
		out_json_end(&j);
	}
	out_json_obj(&j, "charges");
	out_json_money(&j, "calls", u->k_calls, d);
	out_json_money(&j, "messaging", u->k_msg, d);
	out_json_money(&j, "cnam", u->k_cnam, d);
	out_json_money(&j, "e911", u->k_e911, d);
	out_json_money(&j, "mrc", u->k_mrc, d);
	out_json_money(&j, "nrc", u->k_nrc, d);
	out_json_money(&j, "adjustments", u->k_adj, d);
	out_json_end(&j);
	out_json_end(&j);
	out_json_done(&j);
}

const cli_command cmd_usage_entry = {
	.name = "usage",
	.usage = "usage ACCOUNT --window 12h|3d|week|month|this-week|this-month [--by hour|day|weekday|destination]\n"
	         "       [--as-of TIME] [--format text|csv|json]",
	.summary = "calls, connected, ASR, ACD, minutes and cost per bucket",
	.help = "Windows end now (or at --as-of TIME; nothing dated later is counted): 12h\n"
	        "is the last 12 hours by hour; 3d, week, month are the last 3, 7, 30 UTC\n"
	        "days; this-week is the ISO week (Monday on).",
	.fn = cmd_usage,
};

int cmd_usage(const cli_global *g, int argc, char **argv)
{
	const char *window = NULL, *by = NULL, *format = NULL, *asof_t = NULL, *pos[1];
	int npos, fmt, rc = 0;
	cli_opt opts[] = { { "--window", 1, &window, NULL }, { "--by", 1, &by, NULL },
	                   { "--format", 1, &format, NULL }, { "--as-of", 1, &asof_t, NULL }, { NULL, 0, NULL, NULL } };
	int64_t asof = db_now();
	report_window w;
	report_by b;
	report_usage u;
	int64_t from, to;
	account_info a;
	db_t *db;
	if (cli_parse("usage", argc, argv, opts, pos, 1, &npos) < 0)
		return 2;
	if (npos != 1)
		return cli_usage_error("usage", "usage needs an ACCOUNT");
	if (!window)
		window = "12h";
	if (report_window_parse(window, &w) != 0)
		return cli_usage_error("usage", "unknown --window \"%s\"", window);
	b = report_window_default_by(w);
	if (by && report_by_parse(by, &b) != 0)
		return cli_usage_error("usage", "unknown --by \"%s\" (hour, day, weekday, destination)", by);
	if ((fmt = cli_format("usage", format, 1)) < 0)
		return 2;
	if (asof_t && cli_time("--as-of", asof_t, &asof) < 0)
		return 1;
	report_window_range(w, asof, &from, &to);
	if (b == BY_HOUR && to - from > 31 * 86400)
		return cli_usage_error("usage", "--by hour is for windows up to a month");
	if (!(db = cli_open(g, 0, 0)))
		return 1;
	if (cli_account(db, pos[0], &a) < 0) {
		db_close(db);
		return 1;
	}
	if (report_get_usage_asof(db, &a, from, to, b, asof, &u) != DB_OK) {
		rc = cli_error("%s", db_errmsg(db));
		db_close(db);
		return rc;
	}
	if (fmt == FMT_JSON)
		usage_json(stdout, &a, window, &u);
	else if (fmt == FMT_CSV)
		render_usage_csv(stdout, &u, a.decimals);
	else
		render_usage_text(stdout, &a, window, &u);
	report_usage_free(&u);
	db_close(db);
	return rc;
}
