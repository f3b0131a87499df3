/* cmd_ledger.c: ledger add | list. */
#include <string.h>

#include "../core/ledger.h"
#include "../core/tm.h"
#include "../data/out.h"
#include "../data/report.h"
#include "../data/post.h"
#include "cli.h"

/* Exit status when --ref names an entry of another kind or amount. */
#define EXIT_REF_CONFLICT 3

static int ledger_add_cmd(const cli_global *g, int argc, char **argv)
{
	const char *memo = NULL, *at_text = NULL, *ref = NULL, *pos[3];
	int npos, st, rc = 0, future = 0;
	cli_opt opts[] = { { "--memo", 1, &memo, NULL }, { "--at", 1, &at_text, NULL }, { "--ref", 1, &ref, NULL },
	                   { "--future", 0, NULL, &future }, { NULL, 0, NULL, NULL } };
	int64_t now = db_now();
	ledger_kind kind;
	money_t entered, posted;
	int64_t at;
	post_result r;
	account_info a;
	db_t *db;

	if (cli_parse("ledger", argc, argv, opts, pos, 3, &npos) < 0)
		return 2;
	if (npos != 3)
		return cli_usage_error("ledger", "ledger add needs ACCOUNT KIND AMOUNT");
	if (ledger_kind_parse(pos[1], &kind) != 0 || kind == LEDGER_USAGE)
		return cli_usage_error("ledger", "unknown kind \"%s\" (deposit payment adjustment mrc nrc e911 cnam)", pos[1]);
	if ((st = money_parse(pos[2], strlen(pos[2]), &entered)) != MONEY_OK)
		return cli_error("amount \"%s\": %s", pos[2], money_strerror(st));
	if (!memo)
		return cli_usage_error("ledger", "--memo TEXT is required: every entry says why");
	if (ref && !*ref)
		return cli_usage_error("ledger", "--ref needs a KEY");
	if ((st = ledger_signed_amount(kind, entered, memo, &posted)) != LEDGER_OK)
		return cli_error("%s %s: %s", pos[1], pos[2], ledger_strerror(st));
	at = now;
	if (at_text && cli_time("--at", at_text, &at) < 0)
		return 1;
	if (!(db = cli_open(g, 0, 1)))
		return 1;
	if (cli_account(db, pos[0], &a) < 0) {
		db_close(db);
		return 1;
	}
	/* a future date is refused unless asked for: then it is scheduled */
	if ((st = post_check_at(db, at, now, future)) == DB_OK)
		st = post_ledger_entry_ref(db, a.id, kind, posted, memo, at, ref, &r);
	if (st == DB_EEXISTS) {
		/* the key was used for another entry: say which, post nothing */
		cli_error("--ref %s already names entry %lld: %s %s at %s (posted %s), not %s %s: nothing posted",
		          ref, (long long)r.id, r.kind, cli_money(r.amount, a.decimals), cli_time_text(r.at),
		          cli_time_text(r.posted), pos[1], cli_money(posted, a.decimals));
		rc = EXIT_REF_CONFLICT;
	} else if (st != DB_OK) {
		rc = cli_error("%s", db_errmsg(db));
	} else {
		report_balance b;
		if (r.existing)
			printf("entry %lld: %s %s %s at %s, already posted at %s with --ref %s: nothing posted now\n",
			       (long long)r.id, cli_vis(a.name), r.kind, cli_money(r.amount, a.decimals),
			       cli_time_text(r.at), cli_time_text(r.posted), cli_vis(ref));
		else if (at > now)
			printf("entry %lld: %s %s %s scheduled: takes effect at %s (counts from then, not now)\n",
			       (long long)r.id, cli_vis(a.name), pos[1], cli_money(posted, a.decimals), cli_time_text(at));
		else
			printf("entry %lld: %s %s %s at %s\n", (long long)r.id, cli_vis(a.name), pos[1],
			       cli_money(posted, a.decimals), cli_time_text(at));
		if (report_get_balance_asof(db, &a, now, &b) == DB_OK) {
			printf("balance %s %s, %s (now)\n", cli_money(b.balance, a.decimals), a.currency,
			       b.suspended ? "suspended" : "active");
			if (b.later.next_event)
				printf("  scheduled: %s at %s\n", b.later.next_event == 1 ? "suspended" : "restored",
				       cli_time_text(b.later.next_at));
		}
	}
	db_close(db);
	return rc;
}

typedef struct {
	int fmt, decimals;
	int64_t as_of;         /* entries after it are scheduled */
	out_csv csv;
	out_json j;
} list_ctx;

static int print_entry(const report_entry *e, const char *op, const char *ssh, int64_t posted, void *vctx)
{
	list_ctx *x = vctx;
	if (x->fmt == FMT_CSV) {
		out_csv_int(&x->csv, e->id);
		out_csv_time(&x->csv, e->at);
		out_csv_cell(&x->csv, e->kind);
		out_csv_money(&x->csv, e->amount, x->decimals);
		out_csv_cell(&x->csv, e->memo);
		out_csv_cell(&x->csv, op);
		out_csv_cell(&x->csv, ssh);
		out_csv_time(&x->csv, posted);
		out_csv_cell(&x->csv, e->ref);
		out_csv_cell(&x->csv, e->at > x->as_of ? "scheduled" : "");
		out_csv_end(&x->csv);
	} else if (x->fmt == FMT_JSON) {
		out_json_obj(&x->j, NULL);
		out_json_int(&x->j, "id", e->id);
		out_json_time(&x->j, "at", e->at);
		out_json_str(&x->j, "kind", e->kind);
		out_json_money(&x->j, "amount", e->amount, x->decimals);
		out_json_str(&x->j, "memo", e->memo);
		out_json_str(&x->j, "operator", op);
		out_json_str(&x->j, "ssh_client", ssh);
		out_json_time(&x->j, "posted", posted);
		out_json_str(&x->j, "ref", e->ref[0] ? e->ref : NULL);
		out_json_bool(&x->j, "scheduled", e->at > x->as_of);
		out_json_end(&x->j);
	} else {
		char memo[300];
		out_visible(e->memo, memo, sizeof memo, 0);
		printf("%6lld  %s  %-10s %14s  %-10s %s%s%s%s\n", (long long)e->id, cli_time_text(e->at), e->kind,
		       cli_money(e->amount, x->decimals), cli_vis(op), memo, e->ref[0] ? "  ref " : "", cli_vis(e->ref),
		       e->at > x->as_of ? "  [SCHEDULED: takes effect at its time]" : "");
	}
	return 0;
}

static int ledger_list_cmd(const cli_global *g, int argc, char **argv)
{
	const char *from_t = NULL, *to_t = NULL, *format = NULL, *asof_t = NULL, *pos[1];
	int npos, rc = 0;
	int64_t from = INT64_MIN, to = INT64_MAX;
	cli_opt opts[] = { { "--from", 1, &from_t, NULL }, { "--to", 1, &to_t, NULL },
	                   { "--format", 1, &format, NULL }, { "--as-of", 1, &asof_t, NULL },
	                   { NULL, 0, NULL, NULL } };
	list_ctx x;
	account_info a;
	db_t *db;
	if (cli_parse("ledger", argc, argv, opts, pos, 1, &npos) < 0)
		return 2;
	if (npos != 1)
		return cli_usage_error("ledger", "ledger list needs an ACCOUNT");
	if ((x.fmt = cli_format("ledger", format, 1)) < 0)
		return 2;
	x.as_of = db_now();
	if ((from_t && cli_time("--from", from_t, &from) < 0) || (to_t && cli_time("--to", to_t, &to) < 0)
	    || (asof_t && cli_time("--as-of", asof_t, &x.as_of) < 0))
		return 1;
	if (!(db = cli_open(g, 0, 0)))
		return 1;
	if (cli_account(db, pos[0], &a) < 0) {
		db_close(db);
		return 1;
	}
	x.decimals = a.decimals;
	out_csv_init(&x.csv, stdout);
	out_json_init(&x.j, stdout, 1);
	if (x.fmt == FMT_CSV) {
		const char *h[] = { "id", "at", "kind", "amount", "memo", "operator", "ssh_client", "posted", "ref",
		                    "scheduled" };
		for (int i = 0; i < 10; i++)
			out_csv_cell(&x.csv, h[i]);
		out_csv_end(&x.csv);
	} else if (x.fmt == FMT_JSON) {
		out_json_arr(&x.j, NULL);
	} else {
		printf("%6s  %-19s  %-10s %14s  %-10s %s\n", "ID", "AT (UTC)", "KIND", "AMOUNT", "OPERATOR", "MEMO");
	}
	if (report_each_entry(db, &a, from, to, print_entry, &x) != DB_OK)
		rc = cli_error("%s", db_errmsg(db));
	if (x.fmt == FMT_JSON) {
		out_json_end(&x.j);
		out_json_done(&x.j);
	}
	db_close(db);
	return rc;
}

const cli_command cmd_ledger_entry = {
	.name = "ledger",
	.usage = "ledger add ACCOUNT KIND AMOUNT --memo TEXT [--at TIME [--future]] [--ref KEY]\n"
	         "       billtop ledger list ACCOUNT [--from TIME] [--to TIME] [--as-of TIME] [--format text|csv|json]",
	.summary = "post or list ledger entries (deposit payment adjustment mrc nrc e911 cnam)",
	.help = "Amounts are typed positive; the kind gives the sign (deposit and payment\n"
	        "credit, the others debit). An adjustment is signed and needs --memo.\n"
	        "Posted entries never change: a correction is a new entry.\n"
	        "--ref KEY makes a retry safe: KEY (unique per account) is kept with the\n"
	        "entry; the same command again posts nothing, prints the entry KEY names\n"
	        "and exits 0; KEY given with another kind or amount posts nothing and\n"
	        "exits 3. `ledger list` and `audit` show the ref.\n"
	        "--at TIME after now is refused (a typo for another year?) unless --future\n"
	        "is given: the entry is then scheduled and counts only from TIME (it can\n"
	        "neither restore nor suspend the account before). `ledger list` marks the\n"
	        "entries dated after now (or --as-of TIME) as scheduled.",
	.fn = cmd_ledger,
};

int cmd_ledger(const cli_global *g, int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "add") == 0)
		return ledger_add_cmd(g, argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "list") == 0)
		return ledger_list_cmd(g, argc - 1, argv + 1);
	return cli_usage_error("ledger", "say add or list");
}
