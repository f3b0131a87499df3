/* cmd_statement.c: statement: MRC and NRC transactions of a month or a year, opening and
 * closing balance, usage totals. The text and CSV forms live in
 * front/render.c, shared with the console's exports; the JSON form is here. */
#include <stdlib.h>

#include "../core/tm.h"
#include "../data/out.h"
#include "../data/report.h"
#include "cli.h"
#include "../front/asof.h"
#include "../front/render.h"

static int parse_period(const char *month, const char *year, int64_t *from, int64_t *to, char *label, size_t n)
{
	char *end;
	long y, m = 0;
	if (!!month == !!year)
		return cli_usage_error("statement", "give --month YYYY-MM or --year YYYY"), -1;
	y = strtol(month ? month : year, &end, 10);
	if (month) {
		if (*end != '-' || (m = strtol(end + 1, &end, 10)) < 1 || m > 12 || *end)
			return cli_error("--month \"%s\": use YYYY-MM", month), -1;
	} else if (*end) {
		return cli_error("--year \"%s\": use YYYY", year), -1;
	}
	if (y < 1970 || y > 9999)
		return cli_error("year %ld out of range", y), -1;
	if (month) {
		*from = tm_month_start((int)y, (int)m);
		*to = m == 12 ? tm_month_start((int)y + 1, 1) : tm_month_start((int)y, (int)m + 1);
		snprintf(label, n, "%04ld-%02ld", y, m);
	} else {
		*from = tm_month_start((int)y, 1);
		*to = tm_month_start((int)y + 1, 1);
		snprintf(label, n, "%04ld", y);
	}
	return 0;
}

static void statement_json(FILE *f, const account_info *a, const report_statement *s, const char *label)
{
	out_json j;
	int d = a->decimals;
	out_json_init(&j, f, 1);
	out_json_obj(&j, NULL);
	out_json_str(&j, "account", a->name);
	out_json_str(&j, "period", label);
	out_json_str(&j, "currency", a->currency);
	out_json_time(&j, "from", s->from);
	out_json_time(&j, "to", s->to);
	out_json_money(&j, "opening_balance", s->opening, d);
	out_json_money(&j, "closing_balance", s->closing, d);
	out_json_arr(&j, "transactions");
	for (int i = 0; i < s->n; i++) {
		out_json_obj(&j, NULL);
		out_json_int(&j, "id", s->e[i].id);
		out_json_time(&j, "at", s->e[i].at);
		out_json_str(&j, "kind", s->e[i].kind);
		out_json_str(&j, "memo", s->e[i].memo);
		out_json_money(&j, "amount", s->e[i].amount, d);
		out_json_end(&j);
	}
	out_json_end(&j);
	out_json_obj(&j, "totals");
	out_json_money(&j, "mrc", s->mrc, d);
	out_json_money(&j, "nrc", s->nrc, d);
	out_json_money(&j, "credits", s->credits, d);
	out_json_money(&j, "e911", s->e911, d);
	out_json_money(&j, "adjustments", s->adjustments, d);
	out_json_end(&j);
	out_json_obj(&j, "usage");
	out_json_int(&j, "calls", s->calls);
	out_json_int(&j, "connected", s->connected);
	out_json_int(&j, "billed_seconds", s->billed_secs);
	out_json_money(&j, "calls_cost", s->usage_calls, d);
	out_json_int(&j, "messages", s->msgs);
	out_json_money(&j, "messaging_cost", s->usage_msg, d);
	out_json_int(&j, "cnam_lookups", s->cnam_lookups);
	out_json_money(&j, "cnam_cost", s->usage_cnam + s->cnam_fees, d);
	out_json_end(&j);
	out_json_arr(&j, "corrections"); /* included in usage.calls_cost (issue 10) */
	for (int i = 0; i < s->ncorr; i++) {
		out_json_obj(&j, NULL);
		out_json_int(&j, "run", s->corr[i].run_id);
		out_json_time(&j, "at", s->corr[i].at);
		out_json_str(&j, "operator", s->corr[i].operator_);
		out_json_str(&j, "deck", s->corr[i].deck);
		out_json_str(&j, "memo", s->corr[i].memo);
		out_json_int(&j, "calls", s->corr[i].calls);
		out_json_money(&j, "calls_cost_difference", s->corr[i].delta, d);
		out_json_end(&j);
	}
	out_json_end(&j);
	out_json_bool(&j, "period_recent", s->recent);
	out_json_time(&j, "as_of", s->as_of);
	out_json_bool(&j, "to_date", s->to_date);
	out_json_int(&j, "scheduled_entries", s->scheduled);
	out_json_money(&j, "scheduled_amount", s->scheduled_amount, d);
	out_json_end(&j);
	out_json_done(&j);
}

const cli_command cmd_statement_entry = {
	.name = "statement",
	.usage = "statement ACCOUNT --month YYYY-MM | --year YYYY [--as-of TIME] [--format text|csv|json] [-o FILE]",
	.summary = "MRC & NRC transaction statement with opening and closing balance",
	.help = "A period not ended (as of now, or --as-of TIME) is shown to date: its\n"
	        "figures and balance up to that time; entries scheduled later in it are\n"
	        "counted apart. A period that ended less than 24 hours before gets a\n"
	        "warning: late CDRs may still arrive.",
	.fn = cmd_statement,
};

int cmd_statement(const cli_global *g, int argc, char **argv)
{
	const char *month = NULL, *year = NULL, *format = NULL, *out = NULL, *asof_t = NULL, *pos[1];
	int npos, fmt, rc = 0;
	cli_opt opts[] = { { "--month", 1, &month, NULL }, { "--year", 1, &year, NULL },
	                   { "--format", 1, &format, NULL }, { "-o", 1, &out, NULL }, { "--as-of", 1, &asof_t, NULL },
	                   { NULL, 0, NULL, NULL } };
	int64_t from, to, asof = db_now();
	char label[16];
	account_info a;
	report_statement s;
	db_t *db;
	FILE *f;
	if (cli_parse("statement", argc, argv, opts, pos, 1, &npos) < 0)
		return 2;
	if (npos != 1)
		return cli_usage_error("statement", "statement needs an ACCOUNT");
	if ((fmt = cli_format("statement", format, 1)) < 0)
		return 2;
	if (parse_period(month, year, &from, &to, label, sizeof label) < 0)
		return 2;
	if (asof_t && cli_time("--as-of", asof_t, &asof) < 0)
		return 1;
	if (!(db = cli_open(g, 0, 0)))
		return 1;
	if (cli_account(db, pos[0], &a) < 0 || report_get_statement_asof(db, &a, from, to, asof, &s) != DB_OK) {
		if (db_errmsg(db)[0])
			cli_error("%s", db_errmsg(db));
		db_close(db);
		return 1;
	}
	if (s.recent)
		fprintf(stderr, "billtop: warning: the period ended less than 24 hours ago; late CDRs may still arrive\n");
	if (!(f = cli_output(out))) {
		rc = 1;
	} else {
		if (fmt == FMT_CSV)
			render_statement_csv(f, &a, &s);
		else if (fmt == FMT_JSON)
			statement_json(f, &a, &s, label);
		else
			render_statement_text(f, &a, &s, label);
		rc = cli_close_output(f, out);
	}
	report_statement_free(&s);
	db_close(db);
	return rc;
}

