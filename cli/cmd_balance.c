/* cmd_balance.c: balance: one account or all, with status, breakdown and what is dated later. */
#include <stdlib.h>

#include "../core/tm.h"
#include "../data/out.h"
#include "../data/report.h"
#include "cli.h"
#include "../front/asof.h"
#include "../front/render.h"

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

