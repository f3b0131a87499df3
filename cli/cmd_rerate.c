/* cmd_rerate.c: billtop rerate ACCOUNT|--all (issue 10): rate stored calls
 * again as append-only corrections (data/rerate.h), or with --dry-run show
 * the difference per account and prefix without writing. --all re-rates
 * each account in its own transaction, in name order; accounts without a
 * deck (and no --deck) are skipped and said so. */
#include <stdlib.h>
#include <string.h>

#include "../data/out.h"
#include "../data/rerate.h"
#include "cli.h"

typedef struct {
	db_t *db;
	rerate_opts o;
	int fmt, all, failed, skipped;
	out_json j;
} rr_ctx;

static const char *signed_money(money_t v, int d)
{
	static char buf[4][48];
	static int k;
	char *b = buf[k++ & 3];
	snprintf(b, sizeof buf[0], "%s%s", v > 0 ? "+" : "", cli_money(v, d));
	return b;
}

static void print_text(const rr_ctx *x, const rerate_result *r)
{
	int d = r->account.decimals;
	printf("rerate %s on deck %s%s: %lld calls examined, ", cli_vis(r->account.name), cli_vis(r->deck),
	       x->o.dry_run ? " (dry run: nothing written)" : "", (long long)r->examined);
	if (!r->corrected) {
		printf("none would change%s\n", x->o.dry_run ? "" : ": nothing written");
		return;
	}
	printf("%lld %s (%lld newly rated, %lld now unrated), charges %s -> %s (%s %s)",
	       (long long)r->corrected, x->o.dry_run ? "would change" : "corrected", (long long)r->newly_rated,
	       (long long)r->now_unrated, cli_money(r->was, d), cli_money(r->now, d),
	       signed_money(r->now - r->was, d), cli_vis(r->account.currency));
	if (r->run_id)
		printf(", run #%lld", (long long)r->run_id);
	printf("\n  %-12s %8s %16s %16s %16s\n", "prefix", "calls", "was", "now", "difference");
	for (int i = 0; i < r->nprefix; i++) {
		const rerate_prefix *p = &r->prefix[i];
		printf("  %-12s %8lld %16s %16s %16s\n", p->prefix[0] ? p->prefix : "(unrated)", (long long)p->calls,
		       cli_money(p->was, d), cli_money(p->now, d), signed_money(p->now - p->was, d));
	}
}

static void print_json(rr_ctx *x, const rerate_result *r)
{
	int d = r->account.decimals;
	out_json *j = &x->j;
	out_json_obj(j, NULL);
	out_json_str(j, "account", r->account.name);
	out_json_str(j, "deck", r->deck);
	out_json_bool(j, "dry_run", x->o.dry_run);
	if (r->run_id) out_json_int(j, "run", r->run_id); else out_json_null(j, "run");
	out_json_int(j, "examined", r->examined);
	out_json_int(j, "corrected", r->corrected);
	out_json_int(j, "newly_rated", r->newly_rated);
	out_json_int(j, "now_unrated", r->now_unrated);
	out_json_money(j, "was", r->was, d);
	out_json_money(j, "now", r->now, d);
	out_json_money(j, "difference", r->now - r->was, d);
	out_json_arr(j, "prefixes");
	for (int i = 0; i < r->nprefix; i++) {
		const rerate_prefix *p = &r->prefix[i];
		out_json_obj(j, NULL);
		out_json_str(j, "prefix", p->prefix[0] ? p->prefix : NULL);
		out_json_int(j, "calls", p->calls);
		out_json_money(j, "was", p->was, d);
		out_json_money(j, "now", p->now, d);
		out_json_money(j, "difference", p->now - p->was, d);
		out_json_end(j);
	}
	out_json_end(j);
	out_json_end(j);
}

static int one(const account_info *a, void *vx)
{
	rr_ctx *x = vx;
	rerate_result r;
	int st;
	if (x->all && !a->deck_id && !(x->o.deck && *x->o.deck)) {
		x->skipped++;
		if (x->fmt == FMT_TEXT)
			printf("rerate %s: no rate deck, skipped\n", cli_vis(a->name));
		return 0;
	}
	st = rerate_account(x->db, a, &x->o, &r);
	if (st != DB_OK) {
		cli_error("rerate %s: %s", a->name, db_errmsg(x->db));
		x->failed = 1;
		rerate_result_free(&r);
		return st != DB_EINPUT && st != DB_ENOTFOUND ? 1 : !x->all; /* a store failure stops --all */
	}
	if (x->fmt == FMT_JSON)
		print_json(x, &r);
	else
		print_text(x, &r);
	rerate_result_free(&r);
	return 0;
}

const cli_command cmd_rerate_entry = {
	.name = "rerate",
	.usage = "rerate ACCOUNT|--all --memo TEXT [--from TIME] [--to TIME] [--deck NAME] [--only-unrated]\n"
	         "       [--dry-run] [--format text|json]",
	.summary = "rate stored calls again (a deck added or corrected): append-only corrections",
	.help = "Rates the connected calls that are rated or unrated (in [--from, --to) of\n"
	        "their start; --only-unrated: the unrated ones) again on the account's deck\n"
	        "or --deck NAME, with the call's own dial plan and the account's rounding.\n"
	        "A call whose charge changes gets a correction: its first rating is kept,\n"
	        "the new one is appended with who, when, --memo and the deck, and balances,\n"
	        "rollups, the suspension history and flags follow it. One transaction per\n"
	        "account: all of its corrections or none (--all: each account in turn).\n"
	        "A call already rated as the deck says is left alone: the same rerate twice\n"
	        "changes nothing. --dry-run prints the difference per account and prefix\n"
	        "and writes nothing. `explain CALL-ID` lists every rating of a call; the\n"
	        "statement of the calls' month shows each run as a correction line.",
	.fn = cmd_rerate,
};

int cmd_rerate(const cli_global *g, int argc, char **argv)
{
	const char *from_t = NULL, *to_t = NULL, *deck = NULL, *memo = NULL, *format = NULL, *pos[1];
	int npos, all = 0, only_unrated = 0, dry = 0, st;
	cli_opt opts[] = { { "--from", 1, &from_t, NULL }, { "--to", 1, &to_t, NULL }, { "--deck", 1, &deck, NULL },
	                   { "--memo", 1, &memo, NULL }, { "--format", 1, &format, NULL },
	                   { "--all", 0, NULL, &all }, { "--only-unrated", 0, NULL, &only_unrated },
	                   { "--dry-run", 0, NULL, &dry }, { NULL, 0, NULL, NULL } };
	rr_ctx x;
	if (cli_parse("rerate", argc, argv, opts, pos, 1, &npos) < 0)
		return 2;
	if ((npos == 1) == (all != 0))
		return cli_usage_error("rerate", "give an ACCOUNT or --all");
	if (!dry && (!memo || !*memo))
		return cli_usage_error("rerate", "a re-rate needs --memo TEXT: why the calls are rated again");
	memset(&x, 0, sizeof x);
	if ((x.fmt = cli_format("rerate", format, 0)) < 0)
		return 2;
	x.o.from = INT64_MIN;
	x.o.to = INT64_MAX;
	if ((from_t && cli_time("--from", from_t, &x.o.from) < 0) || (to_t && cli_time("--to", to_t, &x.o.to) < 0))
		return 2;
	if (x.o.from >= x.o.to)
		return cli_usage_error("rerate", "--from must be before --to");
	x.o.deck = deck;
	x.o.memo = memo;
	x.o.only_unrated = only_unrated;
	x.o.dry_run = dry;
	x.all = all;
	if (!(x.db = cli_open(g, 0, !dry)))
		return 1;
	if (x.fmt == FMT_JSON) {
		out_json_init(&x.j, stdout, 1);
		out_json_arr(&x.j, NULL);
	}
	if (all) {
		if ((st = account_each(x.db, one, &x)) != DB_OK && !x.failed) {
			cli_error("rerate: %s", db_errmsg(x.db));
			x.failed = 1;
		}
	} else {
		account_info a;
		if (cli_account(x.db, pos[0], &a) < 0)
			x.failed = 1;
		else
			one(&a, &x);
	}
	if (x.fmt == FMT_JSON) {
		out_json_end(&x.j);
		out_json_done(&x.j);
	}
	db_close(x.db);
	return x.failed ? 1 : 0;
}
