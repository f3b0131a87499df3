/* cmd_cdrs.c: cdrs (per-call charges). The text and CSV forms live in
 * render.c, shared with the console. */
#include <stdlib.h>
#include <string.h>

#include "../core/tm.h"
#include "../data/cdrq.h"
#include "../data/out.h"
#include "../data/rerate.h"
#include "../data/store.h"
#include "../data/archive.h"
#include "cli.h"
#include "list_out.h"
#include "../front/render.h"

typedef struct {
	list_out l;
	int d;
	int64_t n;
	money_t total;
} cdrs_ctx;

static int print_cdr(const cdrq_row *r, void *vctx)
{
	cdrs_ctx *x = vctx;
	out_json *j = &x->l.j;
	x->n++;
	x->total += r->cost + r->cnam_cost;
	if (x->l.fmt == FMT_CSV) {
		render_cdr_csv_row(&x->l.csv, r, x->d);
	} else if (x->l.fmt == FMT_JSON) {
		out_json_obj(j, NULL);
		out_json_str(j, "call_id", r->record_id);
		out_json_time(j, "start", r->start);
		out_json_str(j, "src", r->src);
		out_json_str(j, "dst", r->dst);
		out_json_str(j, "clid", r->clid);
		out_json_str(j, "disposition", r->disposition);
		out_json_int(j, "billsec_ms", r->billsec_ms);
		out_json_str(j, "prefix", r->prefix[0] ? r->prefix : NULL);
		out_json_int(j, "billed_seconds", r->billed_secs);
		out_json_money(j, "cost", r->cost, x->d);
		out_json_money(j, "cnam_cost", r->cnam_cost, x->d);
		out_json_money(j, "total", r->cost + r->cnam_cost, x->d);
		out_json_str(j, "state", store_cdr_state_name(r->state));
		out_json_str(j, "unrated_reason", r->unrated_reason[0] ? r->unrated_reason : NULL);
		out_json_bool(j, "started_while_suspended", r->suspended);
		out_json_int(j, "corrections", r->corrections);
		out_json_end(j);
	} else {
		render_cdr_text_row(x->l.f, r, x->d);
	}
	return 0;
}

/* Calls dated after the as-of time: counted apart, not listed. */
static int count_later(const cdrq_row *r, void *vctx)
{
	list_later_add(vctx, r->start);
	return 0;
}

const cli_command cmd_cdrs_entry = {
	.name = "cdrs",
	.usage = "cdrs ACCOUNT [--from TIME] [--to TIME] [--as-of TIME] [--unrated] [--internal] [--number DIGITS]\n"
	         "       [--disposition TEXT] [--prefix DIGITS] [--limit N] [--format text|csv|json] [-o FILE]",
	.summary = "per-call charges, including CNAM lookup costs, newest first",
	.help = "Calls dated after now (or --as-of TIME) are not listed: a warning counts\n"
	        "them (a switch whose clock runs ahead).",
	.fn = cmd_cdrs,
};

int cmd_cdrs(const cli_global *g, int argc, char **argv)
{
	const char *number = NULL, *disp = NULL, *prefix = NULL, *limit = NULL, *pos[1];
	int npos, unrated = 0, internal = 0, rc = 0;
	cdrs_ctx x;
	cli_opt opts[] = { { "--from", 1, &x.l.from_t, NULL }, { "--to", 1, &x.l.to_t, NULL },
	                   { "--format", 1, &x.l.format, NULL }, { "-o", 1, &x.l.out, NULL },
	                   { "--unrated", 0, NULL, &unrated }, { "--internal", 0, NULL, &internal },
	                   { "--number", 1, &number, NULL }, { "--disposition", 1, &disp, NULL },
	                   { "--prefix", 1, &prefix, NULL }, { "--limit", 1, &limit, NULL },
	                   { "--as-of", 1, &x.l.asof_t, NULL }, { NULL, 0, NULL, NULL } };
	cdrq_filter f, lf;
	memset(&x, 0, sizeof x);
	if (cli_parse("cdrs", argc, argv, opts, pos, 1, &npos) < 0)
		return 2;
	if (npos != 1)
		return cli_usage_error("cdrs", "cdrs needs an ACCOUNT");
	if ((rc = list_begin(&x.l, "cdrs", g, pos[0])) != 0)
		return rc;
	memset(&f, 0, sizeof f);
	f.from = x.l.from;
	f.unrated_only = unrated;
	f.internal_only = internal;
	f.number = number;
	f.disposition = disp;
	f.prefix = prefix;
	f.limit = limit ? atoi(limit) : 0;
	x.d = x.l.account.decimals;
	if (x.l.fmt == FMT_CSV)
		render_cdr_csv_header(&x.l.csv);
	else if (x.l.fmt == FMT_TEXT)
		render_cdr_text_header(x.l.f);
	/* nothing dated after the as-of time is listed; it is counted apart */
	lf = f;
	lf.to = x.l.to;
	lf.limit = 0;
	if (list_asof_split(&x.l, &f.to, &lf.from) && cdrq_each(x.l.db, &x.l.account, &lf, count_later,
	                                                         &x.l.later) != DB_OK)
		rc = cli_error("%s", db_errmsg(x.l.db));
	if (!rc && cdrq_each(x.l.db, &x.l.account, &f, print_cdr, &x) != DB_OK)
		rc = cli_error("%s", db_errmsg(x.l.db));
	if (x.l.fmt == FMT_TEXT)
		render_cdr_text_footer(x.l.f, x.n, x.total, x.d, x.l.account.currency);
	if (!rc) { /* PostgreSQL: months whose calls `billtop archive` took out */
		char months[256];
		if (archive_months_in(x.l.db, x.l.from, x.l.to, months, sizeof months) == DB_OK && *months)
			fprintf(stderr, "billtop: note: archived: %s (billtop archive): the calls of %s not listed\n",
			        months, strchr(months, ',') ? "those months are" : "that month are");
	}
	return list_end(&x.l, rc, "call", "a switch clock");
}
