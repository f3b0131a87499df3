/* cmd_report.c: balance, statement, usage. The text and CSV forms of the
 * statement and of usage live in render.c, shared with the console's
 * exports; the JSON forms are here. */
#include <stdlib.h>

#include "../core/tm.h"
#include "../data/out.h"
#include "../data/report.h"
#include "cli.h"
#include "../front/asof.h"
#include "../front/render.h"

/* ---- balance -------------------------------------------------------- */

typedef struct {
	db_t *db;
	int fmt, rc, n;
	int64_t as_of;
	out_json j;
} bal_ctx;

static void balance_json(out_json *j, const account_info *a, const report_balance *b)
{
	int d = a->decimals;
	out_json_obj(j, NULL);
	out_json_str(j, "account", a->name);
	out_json_str(j, "currency", a->currency);
	out_json_money(j, "balance", b->balance, d);
	out_json_str(j, "status", b->suspended ? "suspended" : "active");
	out_json_time(j, "suspended_since", b->suspended ? b->suspended_since : TM_NONE);
	out_json_bool(j, "low_balance", b->low);
	out_json_int(j, "unrated_calls", b->unrated);
	out_json_int(j, "internal_calls", b->internal);
	out_json_time(j, "as_of", b->as_of);
	/* dated after as_of: counted from their own time, not in this balance */
	out_json_obj(j, "scheduled");
	out_json_int(j, "entries", b->later.entries);
	out_json_money(j, "amount", b->later.amount, d);
	out_json_time(j, "first_at", b->later.first_at);
	out_json_end(j);
	out_json_obj(j, "dated_later");
	out_json_int(j, "records", b->later.records);
	out_json_money(j, "charges", b->later.charges, d);
	out_json_time(j, "first", b->later.rec_first);
	out_json_time(j, "last", b->later.rec_last);
	out_json_end(j);
	out_json_str(j, "next_transition", b->later.next_event == 1 ? "suspended"
	                                   : b->later.next_event == 2 ? "restored" : NULL);
	out_json_time(j, "next_transition_at", b->later.next_at);
	out_json_obj(j, "breakdown");
	out_json_money(j, "deposits", b->deposits, d);
	out_json_money(j, "payments", b->payments, d);
	out_json_money(j, "calls", b->calls, d);
	out_json_money(j, "messaging", b->messaging, d);
	out_json_money(j, "cnam", b->cnam, d);
	out_json_money(j, "e911", b->e911, d);
	out_json_money(j, "mrc", b->mrc, d);
	out_json_money(j, "nrc", b->nrc, d);
	out_json_money(j, "adjustments", b->adjustments, d);
	out_json_end(j);
	out_json_end(j);
}

static void balance_text(const account_info *a, const report_balance *b)
{
	int d = a->decimals;
	char name[200];
	out_visible(a->name, name, sizeof name, 0);
	printf("%s: %s %s, %s", name, cli_money(b->balance, d), a->currency, b->suspended ? "SUSPENDED" : "active");
	if (b->suspended)
		printf(" since %s UTC (all services but E911 stopped)", cli_time_text(b->suspended_since));
	printf(", as of %s UTC\n", cli_time_text(b->as_of));
	printf("  deposits     %16s\n  payments     %16s\n  calls        %16s\n  messaging    %16s\n"
	       "  CNAM         %16s\n  E911         %16s\n  MRC          %16s\n  NRC          %16s\n"
	       "  adjustments  %16s\n",
	       cli_money(b->deposits, d), cli_money(b->payments, d), cli_money(-b->calls, d),
	       cli_money(-b->messaging, d), cli_money(-b->cnam, d), cli_money(-b->e911, d),
	       cli_money(-b->mrc, d), cli_money(-b->nrc, d), cli_money(b->adjustments, d));
	if (b->low)
		printf("  warning: balance is below the low-balance mark %s\n", cli_money(a->low_balance, d));
	if (b->unrated)
		printf("  warning: %lld connected calls are unrated (not charged): `billtop cdrs %s --unrated`\n",
		       (long long)b->unrated, name);
	if (b->internal)
		printf("  %lld internal calls (extensions, feature codes, voicemail): never charged\n",
		       (long long)b->internal);
	asof_print_later(stdout, a, &b->later);
}

static int balance_one(const account_info *a, void *vctx)
{
	bal_ctx *x = vctx;
	report_balance b;
	if (report_get_balance_asof(x->db, a, x->as_of, &b) != DB_OK) {
		x->rc = cli_error("%s", db_errmsg(x->db));
		return 1;
	}
	if (x->fmt == FMT_JSON)
		balance_json(&x->j, a, &b);
	else
		balance_text(a, &b);
	x->n++;
	return 0;
}

const cli_command cmd_balance_entry = {
	.name = "balance",
	.usage = "balance [ACCOUNT] [--as-of TIME] [--format text|json]",
	.summary = "balance, status (active / suspended since) and breakdown",
	.help = "As of now (the clock: --now, $BILLTOP_NOW) or --as-of TIME: what is dated\n"
	        "later (a scheduled entry, calls from a switch whose clock runs ahead) is\n"
	        "shown apart, with the next scheduled transition, never in the balance.",
	.fn = cmd_balance,
};

int cmd_balance(const cli_global *g, int argc, char **argv)
{
	const char *format = NULL, *asof = NULL, *pos[1];
	int npos;
	cli_opt opts[] = { { "--format", 1, &format, NULL }, { "--as-of", 1, &asof, NULL }, { NULL, 0, NULL, NULL } };
	bal_ctx x = { 0 };
	if (cli_parse("balance", argc, argv, opts, pos, 1, &npos) < 0)
		return 2;
	x.as_of = db_now();
	if (asof && cli_time("--as-of", asof, &x.as_of) < 0)
		return 1;
	if ((x.fmt = cli_format("balance", format, 0)) < 0)
		return 2;
	if (!(x.db = cli_open(g, 0, 0)))
		return 1;
	out_json_init(&x.j, stdout, 1);
	if (npos == 1) {
		account_info a;
		if (cli_account(x.db, pos[0], &a) < 0)
			x.rc = 1;
		else
			balance_one(&a, &x);
		if (x.fmt == FMT_JSON && !x.rc)
			out_json_done(&x.j);
	} else {
		if (x.fmt == FMT_JSON)
			out_json_arr(&x.j, NULL);
		if (account_each(x.db, balance_one, &x) != DB_OK)
			x.rc = cli_error("%s", db_errmsg(x.db));
		if (x.fmt == FMT_JSON) {
			out_json_end(&x.j);
			out_json_done(&x.j);
		} else if (x.n == 0) {
			printf("no accounts (add one with `billtop account add NAME`)\n");
		}
	}
	db_close(x.db);
	return x.rc;
}

/* ---- statement ------------------------------------------------------ */

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

/* ---- usage ---------------------------------------------------------- */

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
