/* cmd_account.c: account add, list, set. */
#include <stdlib.h>
#include <string.h>

#include "../core/tm.h"
#include "../data/out.h"
#include "cli.h"

static int parse_amount(const char *opt, const char *text, money_t *out)
{
	int st = money_parse(text, strlen(text), out);
	if (st != MONEY_OK)
		return cli_error("%s \"%s\": %s", opt, text, money_strerror(st)), -1;
	return 0;
}

/* --country CC [--national-prefix P] [--intl-prefix P,P] -> a plan built
 * from the built-in table (core/dialplan.c). 0, or -1 after the error. */
static int parse_plan(const char *cc, const char *np, const char *ip, dialplan *out)
{
	char why[200];
	if (dialplan_make(cc, np, ip, out, why, sizeof why) < 0)
		return cli_error("dial plan: %s", why), -1;
	return 0;
}

static void print_plan(const account_info *a)
{
	char text[200];
	if (!a->plan_code[0])
		return;
	dialplan_describe(&a->plan, text, sizeof text);
	printf("  dial plan: %s\n", text);
}

static int account_add_cmd(const cli_global *g, int argc, char **argv)
{
	const char *currency = NULL, *decimals = NULL, *rounding = NULL, *low = NULL, *pos[1];
	const char *country = NULL, *natp = NULL, *intlp = NULL;
	int npos, rc = 0;
	cli_opt opts[] = {
		{ "--currency", 1, &currency, NULL }, { "--decimals", 1, &decimals, NULL },
		{ "--rounding", 1, &rounding, NULL }, { "--low-balance", 1, &low, NULL },
		{ "--country", 1, &country, NULL }, { "--national-prefix", 1, &natp, NULL },
		{ "--intl-prefix", 1, &intlp, NULL }, { NULL, 0, NULL, NULL } };
	account_info a;
	db_t *db;
	if (cli_parse("account", argc, argv, opts, pos, 1, &npos) < 0)
		return 2;
	if (npos != 1)
		return cli_usage_error("account", "account add needs a NAME");
	account_defaults(&a, pos[0]);
	if (strlen(pos[0]) > ACCOUNT_NAME_MAX)
		return cli_error("account name is longer than %d bytes", ACCOUNT_NAME_MAX);
	if (currency) {
		if (strlen(currency) != 3)
			return cli_error("--currency \"%s\": a 3-letter ISO 4217 code", currency);
		snprintf(a.currency, sizeof a.currency, "%s", currency);
	}
	if (decimals) {
		char *end;
		long d = strtol(decimals, &end, 10);
		if (*end || d < 0 || d > 9)
			return cli_error("--decimals \"%s\": 0 to 9", decimals);
		a.decimals = (int)d;
	}
	if (rounding && round_mode_parse(rounding, &a.rounding) != 0)
		return cli_error("--rounding \"%s\": up, half-up, half-even or down", rounding);
	if (low) {
		if (parse_amount("--low-balance", low, &a.low_balance) < 0)
			return 1;
		a.has_low_balance = 1;
	}
	if (low && !money_fits_decimals(a.low_balance, a.decimals)) { /* issue 10: never rounded */
		char why[160];
		money_decimals_why(a.low_balance, a.decimals, a.name, why, sizeof why);
		return cli_error("--low-balance %s: %s", cli_vis(low), why);
	}
	if ((natp || intlp) && !country)
		return cli_usage_error("account", "--national-prefix and --intl-prefix need --country CC");
	if (country) {
		if (parse_plan(country, natp, intlp, &a.plan) < 0)
			return 1;
		dialplan_encode(&a.plan, a.plan_code, sizeof a.plan_code);
	}
	if (!(db = cli_open(g, 0, 1)))
		return 1;
	if (account_add(db, &a) != DB_OK)
		rc = cli_error("%s", db_errmsg(db));
	else {
		printf("account %s added (%s, %d decimals, rounding %s)\n", cli_vis(a.name), a.currency, a.decimals,
		       round_mode_name(a.rounding));
		print_plan(&a);
	}
	db_close(db);
	return rc;
}

typedef struct {
	int fmt;
	out_csv csv;
	out_json json;
} list_ctx;

static int print_account(const account_info *a, void *vctx)
{
	list_ctx *x = vctx;
	if (x->fmt == FMT_CSV) {
		out_csv_cell(&x->csv, a->name);
		out_csv_cell(&x->csv, a->currency);
		out_csv_int(&x->csv, a->decimals);
		out_csv_cell(&x->csv, round_mode_name(a->rounding));
		out_csv_cell(&x->csv, a->deck);
		if (a->has_low_balance)
			out_csv_money(&x->csv, a->low_balance, a->decimals);
		else
			out_csv_cell(&x->csv, "");
		out_csv_cell(&x->csv, a->plan_code);
		out_csv_end(&x->csv);
	} else if (x->fmt == FMT_JSON) {
		out_json_obj(&x->json, NULL);
		out_json_str(&x->json, "name", a->name);
		out_json_str(&x->json, "currency", a->currency);
		out_json_int(&x->json, "decimals", a->decimals);
		out_json_str(&x->json, "rounding", round_mode_name(a->rounding));
		out_json_str(&x->json, "deck", a->deck[0] ? a->deck : NULL);
		if (a->has_low_balance)
			out_json_money(&x->json, "low_balance", a->low_balance, a->decimals);
		else
			out_json_null(&x->json, "low_balance");
		if (a->plan_code[0]) {
			out_json_obj(&x->json, "dial_plan");
			out_json_str(&x->json, "country", a->plan.cc);
			out_json_str(&x->json, "name", a->plan.name);
			out_json_str(&x->json, "national_prefix", a->plan.national);
			out_json_arr(&x->json, "intl_prefixes");
			for (int i = 0; i < a->plan.nintl; i++)
				out_json_str(&x->json, NULL, a->plan.intl[i]);
			out_json_end(&x->json);
			out_json_int(&x->json, "nsn_min", a->plan.nsn_min);
			out_json_int(&x->json, "nsn_max", a->plan.nsn_max);
			out_json_end(&x->json);
		} else
			out_json_null(&x->json, "dial_plan");
		out_json_end(&x->json);
	} else {
		char name[200];
		out_visible(a->name, name, sizeof name, 0);
		printf("%-20s %-4s %8d  %-10s %-16s %-12s %s\n", name, a->currency, a->decimals,
		       round_mode_name(a->rounding), a->deck[0] ? a->deck : "-",
		       a->has_low_balance ? cli_money(a->low_balance, a->decimals) : "-",
		       a->plan_code[0] ? a->plan_code : "-");
	}
	return 0;
}

static int account_list_cmd(const cli_global *g, int argc, char **argv)
{
	const char *format = NULL, *pos[1];
	int npos, rc = 0;
	cli_opt opts[] = { { "--format", 1, &format, NULL }, { NULL, 0, NULL, NULL } };
	list_ctx x;
	db_t *db;
	if (cli_parse("account", argc, argv, opts, pos, 0, &npos) < 0)
		return 2;
	if ((x.fmt = cli_format("account", format, 1)) < 0)
		return 2;
	if (!(db = cli_open(g, 0, 0)))
		return 1;
	if (x.fmt == FMT_CSV) {
		out_csv_init(&x.csv, stdout);
		const char *h[] = { "name", "currency", "decimals", "rounding", "deck", "low_balance", "dial_plan" };
		for (int i = 0; i < 7; i++)
			out_csv_cell(&x.csv, h[i]);
		out_csv_end(&x.csv);
	} else if (x.fmt == FMT_JSON) {
		out_json_init(&x.json, stdout, 1);
		out_json_arr(&x.json, NULL);
	} else {
		printf("%-20s %-4s %8s  %-10s %-16s %-12s %s\n", "ACCOUNT", "CUR", "DECIMALS", "ROUNDING", "DECK",
		       "LOW BALANCE", "DIAL PLAN");
	}
	if (account_each(db, print_account, &x) != DB_OK)
		rc = cli_error("%s", db_errmsg(db));
	if (x.fmt == FMT_JSON) {
		out_json_end(&x.json);
		out_json_done(&x.json);
	}
	db_close(db);
	return rc;
}

static int account_set_cmd(const cli_global *g, int argc, char **argv)
{
	const char *deck = NULL, *low = NULL, *country = NULL, *natp = NULL, *intlp = NULL, *pos[1];
	int npos, rc = 0;
	cli_opt opts[] = { { "--deck", 1, &deck, NULL }, { "--low-balance", 1, &low, NULL },
	                   { "--country", 1, &country, NULL }, { "--national-prefix", 1, &natp, NULL },
	                   { "--intl-prefix", 1, &intlp, NULL }, { NULL, 0, NULL, NULL } };
	money_t lowv = 0;
	account_info a;
	dialplan plan;
	int plan_set, plan_none;
	db_t *db;
	if (cli_parse("account", argc, argv, opts, pos, 1, &npos) < 0)
		return 2;
	plan_set = country || natp || intlp;
	plan_none = country && strcmp(country, "none") == 0;
	if (npos != 1 || (!deck && !low && !plan_set))
		return cli_usage_error("account", "account set NAME needs --deck NAME, --low-balance AMOUNT or "
		                       "--country CC (none to remove the dial plan)");
	if (plan_none && (natp || intlp))
		return cli_usage_error("account", "--country none removes the dial plan: no prefixes with it");
	if (low && parse_amount("--low-balance", low, &lowv) < 0)
		return 1;
	if (!(db = cli_open(g, 0, 1)))
		return 1;
	if (low) { /* the mark is an amount of the account: its decimals (issue 10) */
		account_info cur;
		char why[160];
		if (account_find(db, pos[0], &cur) != DB_OK) {
			rc = cli_error("%s", db_errmsg(db));
			db_close(db);
			return rc;
		}
		if (!money_fits_decimals(lowv, cur.decimals)) {
			money_decimals_why(lowv, cur.decimals, cur.name, why, sizeof why);
			db_close(db);
			return cli_error("--low-balance %s: %s", cli_vis(low), why);
		}
	}
	if (plan_set && !plan_none) {
		/* prefixes alone change the account's current plan */
		if (account_find(db, pos[0], &a) != DB_OK) {
			rc = cli_error("%s", db_errmsg(db));
			db_close(db);
			return rc;
		}
		if (!country && !a.plan_code[0]) {
			db_close(db);
			return cli_usage_error("account", "%s has no dial plan: give --country CC", cli_vis(pos[0]));
		}
		if (parse_plan(country ? country : a.plan.cc,
		               natp ? natp : country ? NULL : a.plan.national, intlp, &plan) < 0) {
			db_close(db);
			return 1;
		}
		if (!country && !intlp) {
			plan.nintl = a.plan.nintl;
			memcpy(plan.intl, a.plan.intl, sizeof plan.intl);
		}
	}
	if (deck && account_set_deck(db, pos[0], deck) != DB_OK)
		rc = cli_error("%s", db_errmsg(db));
	else if (low && account_set_low_balance(db, pos[0], lowv) != DB_OK)
		rc = cli_error("%s", db_errmsg(db));
	else if (plan_set && account_set_dialplan(db, pos[0], plan_none ? NULL : &plan) != DB_OK)
		rc = cli_error("%s", db_errmsg(db));
	else {
		printf("account %s updated\n", cli_vis(pos[0]));
		if (plan_set && account_find(db, pos[0], &a) == DB_OK) {
			if (a.plan_code[0])
				print_plan(&a);
			else
				printf("  no dial plan: numbers are rated on their digits as written\n");
		}
	}
	db_close(db);
	return rc;
}

const cli_command cmd_account_entry = {
	.name = "account",
	.usage = "account add NAME [--currency USD] [--decimals 4] [--rounding up|half-up|half-even|down]"
	         " [--low-balance AMOUNT]\n       [--country CC [--national-prefix P|none] [--intl-prefix P[,P]]]\n"
	         "       billtop account list [--format text|csv|json]\n"
	         "       billtop account set NAME [--deck NAME] [--low-balance AMOUNT] [--country CC|none]\n"
	         "       [--national-prefix P|none] [--intl-prefix P[,P]]",
	.summary = "add, list and configure prepaid accounts",
	.help = "Rounding and decimals apply to every rated call of the account: each call's\n"
	        "cost is computed exactly and rounded once, to DECIMALS, by the mode.\n"
	        "--country CC gives the account a dial plan: the calling code (1, 44, 998...)\n"
	        "brings its trunk prefix, international prefixes and number lengths from a\n"
	        "built-in table. Every destination is then normalised to E.164 before rating;\n"
	        "extensions, feature codes and voicemail are internal calls (never charged,\n"
	        "never unrated); a number that cannot be valid for the plan is unrated with\n"
	        "the reason. Without a plan, numbers are rated on their digits as written.",
	.fn = cmd_account,
};

int cmd_account(const cli_global *g, int argc, char **argv)
{
	if (argc < 2)
		return cli_usage_error("account", "say add, list or set");
	if (strcmp(argv[1], "add") == 0)
		return account_add_cmd(g, argc - 1, argv + 1);
	if (strcmp(argv[1], "list") == 0)
		return account_list_cmd(g, argc - 1, argv + 1);
	if (strcmp(argv[1], "set") == 0)
		return account_set_cmd(g, argc - 1, argv + 1);
	return cli_usage_error("account", "unknown subcommand \"%s\" (add, list or set)", argv[1]);
}
