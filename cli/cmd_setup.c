/* cmd_setup.c: init, account, rates. */
#include <stdlib.h>
#include <string.h>

#include "../core/tm.h"
#include "../data/deck.h"
#include "../data/out.h"
#include "cli.h"

int cmd_init(const cli_global *g, int argc, char **argv)
{
	const char *pos[1];
	int npos;
	db_t *db;
	if (cli_parse("init", argc, argv, NULL, pos, 0, &npos) < 0)
		return 2;
	if (!(db = cli_open(g, 1, 1)))
		return 1;
	printf("%s: ready (schema version %d)\n", db_default_path(g->db_path), DB_SCHEMA_VERSION);
	db_close(db);
	return 0;
}

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

/* Decimals to show a deck amount exactly: 4 at least, 9 at most. */
static int deck_decimals(money_t v)
{
	int d = 9;
	if (v < 0)
		v = -v;
	while (d > 4 && v % 10 == 0) {
		v /= 10;
		d--;
	}
	return d;
}

/* FILE:LINE: warning: ... and FILE:LINE: reason, in line order, on stderr. */
static void print_deck_msgs(const char *path, const deckfmt_deck *d)
{
	char vis[300];
	for (size_t i = 0; i < d->nmsgs; i++) {
		out_visible(d->msgs[i].text, vis, sizeof vis, 0);
		fprintf(stderr, "%s:%lld: %s%s\n", cli_vis(path), (long long)d->msgs[i].line,
		        d->msgs[i].reject ? "" : "warning: ", vis);
	}
	if (d->msgs_dropped)
		fprintf(stderr, "%s: %lld more messages not shown\n", cli_vis(path), (long long)d->msgs_dropped);
}

/* --dry-run: the mapping and the first rows as they would be stored. */
static void print_dry_run(const char *path, const deckfmt_deck *d, int nshow)
{
	char vis[200];
	printf("%s: %s, %d columns\n", cli_vis(path), d->has_header ? "header row" : "no header", d->ncols);
	for (int f = 0; f < DF_NFIELDS; f++) {
		int c = d->col[f];
		if (c < 0)
			continue;
		out_visible(d->colname[c], vis, sizeof vis, 0);
		printf("  %-18s <- column %d \"%s\"\n", deckfmt_field_name((deckfmt_field)f), c + 1, vis);
	}
	for (int c = 0; c < d->ncols; c++) {
		int used = 0;
		for (int f = 0; f < DF_NFIELDS; f++)
			used |= d->col[f] == c;
		if (!used) {
			out_visible(d->colname[c], vis, sizeof vis, 0);
			printf("  ignored            column %d \"%s\"\n", c + 1, vis);
		}
	}
	printf("%-8s %-16s %-28s %14s %9s %12s %s\n", "LINE", "PREFIX", "DESCRIPTION", "RATE/MIN", "MIN/INC",
	       "CONNECT", "EFFECTIVE");
	for (size_t i = 0, shown = 0; i < d->nrows && (int)shown < nshow; i++) {
		const rate_row *r = &d->rows[i].r;
		char mi[24];
		if (d->rows[i].repeat)
			continue;
		out_visible(r->description, vis, sizeof vis, 0);
		snprintf(mi, sizeof mi, "%d/%d", r->min_secs, r->inc_secs);
		printf("%-8lld %-16s %-28.28s %14s %9s", (long long)d->rows[i].line, r->prefix, vis,
		       cli_money(r->rate_per_min, deck_decimals(r->rate_per_min)), mi);
		printf(" %12s %s\n", cli_money(r->connect_fee, deck_decimals(r->connect_fee)),
		       r->eff_from ? cli_time_text(r->eff_from) : "since ever");
		shown++;
	}
}

static void print_deck_summary(const char *path, const char *deck, const deck_import_stats *s,
                               const deckfmt_deck *d, int fmt, int dry)
{
	if (fmt == FMT_JSON) {
		out_json j;
		out_json_init(&j, stdout, 1);
		out_json_obj(&j, NULL);
		out_json_str(&j, "deck", deck);
		out_json_int(&j, "dry_run", dry);
		out_json_int(&j, "rows", s->rows);
		out_json_int(&j, "added", s->added);
		out_json_int(&j, "unchanged", s->unchanged);
		out_json_int(&j, "repeats", s->repeats);
		out_json_int(&j, "blank", s->blank);
		out_json_int(&j, "rejected", s->rejected);
		out_json_int(&j, "warnings", s->warnings);
		out_json_int(&j, "closed", s->closed);
		/* the same lines as on stderr: FILE:LINE: [warning: ]text */
		out_json_str(&j, "file", path);
		out_json_arr(&j, "messages");
		for (size_t i = 0; i < d->nmsgs; i++) {
			out_json_obj(&j, NULL);
			out_json_int(&j, "line", d->msgs[i].line);
			out_json_str(&j, "kind", d->msgs[i].reject ? "rejected" : "warning");
			out_json_str(&j, "text", d->msgs[i].text);
			out_json_end(&j);
		}
		out_json_end(&j);
		out_json_int(&j, "messages_not_shown", d->msgs_dropped);
		out_json_end(&j);
		out_json_done(&j);
		return;
	}
	printf("deck %s: %lld rows read: %lld %s, %lld unchanged, %lld repeated in the file, %lld blank, "
	       "%lld rejected; %lld warnings, %lld closed at the effective date\n", cli_vis(deck), (long long)s->rows,
	       (long long)s->added, dry ? "to add" : "added", (long long)s->unchanged, (long long)s->repeats,
	       (long long)s->blank, (long long)s->rejected, (long long)s->warnings, (long long)s->closed);
}

static int rates_import_cmd(const cli_global *g, int argc, char **argv)
{
	const char *deck = "default", *eff = NULL, *map = NULL, *add = NULL, *ratecol = NULL, *format = NULL;
	const char *pos[1];
	int npos, rc = 0, dry = 0, keep = 0, fmt, st;
	int64_t effective = 0;
	cli_opt opts[] = { { "--deck", 1, &deck, NULL }, { "--effective", 1, &eff, NULL },
		{ "--map", 1, &map, NULL }, { "--add-prefix", 1, &add, NULL }, { "--rate-column", 1, &ratecol, NULL },
		{ "--dry-run", 0, NULL, &dry }, { "--keep-going", 0, NULL, &keep }, { "--format", 1, &format, NULL },
		{ NULL, 0, NULL, NULL } };
	deck_import_stats s;
	deckfmt_opts o;
	deckfmt_deck d;
	db_t *db;
	if (cli_parse("rates", argc, argv, opts, pos, 1, &npos) < 0)
		return 2;
	if (npos != 1)
		return cli_usage_error("rates", "rates import needs a FILE");
	if ((fmt = cli_format("rates", format, 0)) < 0)
		return 2;
	if (fmt == FMT_CSV)
		return cli_usage_error("rates", "rates import --format: text or json");
	if (eff && cli_time("--effective", eff, &effective) < 0)
		return 1;
	memset(&o, 0, sizeof o);
	o.map = map;
	o.add_prefix = add;
	o.rate_column = ratecol;
	o.effective = effective;
	st = deckfmt_read(pos[0], NULL, 0, &o, &d);
	if (st != DECKFMT_OK) {
		rc = cli_error("%s", d.err);
		deckfmt_free(&d);
		return rc;
	}
	print_deck_msgs(pos[0], &d);
	memset(&s, 0, sizeof s);
	if (dry) {
		/* nothing is opened or written: what would be stored, as read */
		s.rows = d.records;
		s.added = (int64_t)d.nrows - d.repeats;
		s.repeats = d.repeats;
		s.blank = d.blank;
		s.rejected = d.rejected;
		s.warnings = d.warnings;
		if (fmt != FMT_JSON)
			print_dry_run(pos[0], &d, 10);
		print_deck_summary(pos[0], deck, &s, &d, fmt, 1);
		rc = d.rejected && !keep ? 1 : 0;
		deckfmt_free(&d);
		return rc;
	}
	if (!(db = cli_open(g, 0, 1))) {
		deckfmt_free(&d);
		return 1;
	}
	if (deck_store(db, pos[0], deck, effective, &d, keep, &s) != DB_OK)
		rc = cli_error("%s", db_errmsg(db));
	else {
		print_deck_summary(pos[0], deck, &s, &d, fmt, 0);
		/* as `import`: 4 some rows rejected (the others stored), 5 every row
		 * rejected; 3 is ledger --ref's conflict */
		rc = !s.rejected ? 0 : s.rejected >= s.rows ? 5 : 4;
	}
	db_close(db);
	deckfmt_free(&d);
	return rc;
}

static int rates_list_cmd(const cli_global *g, int argc, char **argv)
{
	const char *format = NULL, *prefix = NULL, *pos[1];
	int npos, fmt, rc;
	int64_t deck_id;
	cli_opt opts[] = { { "--format", 1, &format, NULL }, { "--prefix", 1, &prefix, NULL }, { NULL, 0, NULL, NULL } };
	sqlite3_stmt *st;
	db_t *db;
	out_csv csv;
	out_json j;
	if (cli_parse("rates", argc, argv, opts, pos, 1, &npos) < 0)
		return 2;
	if (npos != 1)
		return cli_usage_error("rates", "rates list needs a DECK name");
	if ((fmt = cli_format("rates", format, 1)) < 0)
		return 2;
	if (!(db = cli_open(g, 0, 0)))
		return 1;
	if (deck_find(db, pos[0], &deck_id) != DB_OK) {
		rc = cli_error("%s", db_errmsg(db));
		db_close(db);
		return rc;
	}
	if (sqlite3_prepare_v2(db->sql, "SELECT prefix, description, rate, min_secs, inc_secs, connect_fee,"
	                       " grace_secs, eff_from, eff_to FROM rate WHERE deck_id = ?1"
	                       " AND (?2 IS NULL OR substr(prefix, 1, length(?2)) = ?2) ORDER BY prefix, eff_from",
	                       -1, &st, NULL) != SQLITE_OK) {
		rc = cli_error("%s", sqlite3_errmsg(db->sql));
		db_close(db);
		return rc;
	}
	sqlite3_bind_int64(st, 1, deck_id);
	if (prefix)
		sqlite3_bind_text(st, 2, prefix, -1, SQLITE_STATIC);
	out_csv_init(&csv, stdout);
	out_json_init(&j, stdout, 1);
	if (fmt == FMT_CSV) {
		const char *h[] = { "prefix", "description", "rate", "min", "inc", "connect_fee", "grace", "effective", "until" };
		for (int i = 0; i < 9; i++)
			out_csv_cell(&csv, h[i]);
		out_csv_end(&csv);
	} else if (fmt == FMT_JSON) {
		out_json_arr(&j, NULL);
	} else {
		printf("%-12s %-28s %12s %7s %10s %5s %-10s %s\n", "PREFIX", "DESCRIPTION", "RATE/MIN", "MIN/INC",
		       "CONNECT", "GRACE", "FROM", "UNTIL");
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *p = (const char *)sqlite3_column_text(st, 0);
		const char *d = (const char *)sqlite3_column_text(st, 1);
		money_t rate = sqlite3_column_int64(st, 2), fee = sqlite3_column_int64(st, 5);
		int mn = sqlite3_column_int(st, 3), inc = sqlite3_column_int(st, 4), gr = sqlite3_column_int(st, 6);
		int64_t ef = sqlite3_column_int64(st, 7);
		int has_to = sqlite3_column_type(st, 8) != SQLITE_NULL;
		int64_t et = sqlite3_column_int64(st, 8);
		if (fmt == FMT_CSV) {
			out_csv_cell(&csv, p);
			out_csv_cell(&csv, d);
			out_csv_money(&csv, rate, deck_decimals(rate));
			out_csv_int(&csv, mn);
			out_csv_int(&csv, inc);
			out_csv_money(&csv, fee, deck_decimals(fee));
			out_csv_int(&csv, gr);
			out_csv_time(&csv, ef);
			out_csv_time(&csv, has_to ? et : TM_NONE);
			out_csv_end(&csv);
		} else if (fmt == FMT_JSON) {
			out_json_obj(&j, NULL);
			out_json_str(&j, "prefix", p);
			out_json_str(&j, "description", d);
			out_json_money(&j, "rate", rate, deck_decimals(rate));
			out_json_int(&j, "min_secs", mn);
			out_json_int(&j, "inc_secs", inc);
			out_json_money(&j, "connect_fee", fee, deck_decimals(fee));
			out_json_int(&j, "grace_secs", gr);
			out_json_time(&j, "effective", ef);
			out_json_time(&j, "until", has_to ? et : TM_NONE);
			out_json_end(&j);
		} else {
			char vis[120], mi[16];
			out_visible(d, vis, sizeof vis, 0);
			snprintf(mi, sizeof mi, "%d/%d", mn, inc);
			printf("%-12s %-28.28s %12s %7s %10s %5d %-10.10s %.10s\n", p, vis, cli_money(rate, deck_decimals(rate)), mi,
			       cli_money(fee, deck_decimals(fee)), gr, cli_time_text(ef), has_to ? cli_time_text(et) : "-");
		}
	}
	sqlite3_finalize(st);
	if (fmt == FMT_JSON) {
		out_json_end(&j);
		out_json_done(&j);
	}
	db_close(db);
	return 0;
}

int cmd_rates(const cli_global *g, int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "import") == 0)
		return rates_import_cmd(g, argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "list") == 0)
		return rates_list_cmd(g, argc - 1, argv + 1);
	return cli_usage_error("rates", "say import or list");
}
