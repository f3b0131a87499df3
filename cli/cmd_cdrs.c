/* cmd_cdrs.c: cdrs (per-call charges). The text and CSV forms live in
 * render.c, shared with the console. */
#include <stdlib.h>
#include <string.h>

#include "../core/tm.h"
#include "../data/cdrq.h"
#include "../data/out.h"
#include "../data/rerate.h"
#include "../data/store.h"
#include "cli.h"
#include "../front/render.h"

typedef struct {
	int fmt, d;
	FILE *f;
	out_csv csv;
	out_json j;
	int64_t n;
	money_t total;
} cdrs_ctx;

static int print_cdr(const cdrq_row *r, void *vctx)
{
	cdrs_ctx *x = vctx;
	x->n++;
	x->total += r->cost + r->cnam_cost;
	if (x->fmt == FMT_CSV) {
		render_cdr_csv_row(&x->csv, r, x->d);
	} else if (x->fmt == FMT_JSON) {
		out_json_obj(&x->j, NULL);
		out_json_str(&x->j, "call_id", r->record_id);
		out_json_time(&x->j, "start", r->start);
		out_json_str(&x->j, "src", r->src);
		out_json_str(&x->j, "dst", r->dst);
		out_json_str(&x->j, "clid", r->clid);
		out_json_str(&x->j, "disposition", r->disposition);
		out_json_int(&x->j, "billsec_ms", r->billsec_ms);
		out_json_str(&x->j, "prefix", r->prefix[0] ? r->prefix : NULL);
		out_json_int(&x->j, "billed_seconds", r->billed_secs);
		out_json_money(&x->j, "cost", r->cost, x->d);
		out_json_money(&x->j, "cnam_cost", r->cnam_cost, x->d);
		out_json_money(&x->j, "total", r->cost + r->cnam_cost, x->d);
		out_json_str(&x->j, "state", store_cdr_state_name(r->state));
		out_json_str(&x->j, "unrated_reason", r->unrated_reason[0] ? r->unrated_reason : NULL);
		out_json_bool(&x->j, "started_while_suspended", r->suspended);
		out_json_int(&x->j, "corrections", r->corrections);
		out_json_end(&x->j);
	} else {
		render_cdr_text_row(x->f, r, x->d);
	}
	return 0;
}

/* Calls dated after the as-of time: counted apart, not listed. */
typedef struct {
	int64_t n, first, last;
} later_ctx;

static int count_later(const cdrq_row *r, void *vctx)
{
	later_ctx *l = vctx;
	if (l->n++ == 0 || r->start < l->first)
		l->first = r->start;
	if (l->n == 1 || r->start > l->last)
		l->last = r->start;
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
	const char *from_t = NULL, *to_t = NULL, *format = NULL, *out = NULL, *number = NULL, *disp = NULL,
	           *prefix = NULL, *limit = NULL, *asof_t = NULL, *pos[1];
	int64_t asof = db_now();
	later_ctx later = { 0, 0, 0 };
	int npos, unrated = 0, internal = 0, rc = 0;
	cli_opt opts[] = { { "--from", 1, &from_t, NULL }, { "--to", 1, &to_t, NULL }, { "--format", 1, &format, NULL },
	                   { "-o", 1, &out, NULL }, { "--unrated", 0, NULL, &unrated },
	                   { "--internal", 0, NULL, &internal }, { "--number", 1, &number, NULL },
	                   { "--disposition", 1, &disp, NULL }, { "--prefix", 1, &prefix, NULL },
	                   { "--limit", 1, &limit, NULL }, { "--as-of", 1, &asof_t, NULL }, { NULL, 0, NULL, NULL } };
	cdrq_filter f;
	cdrs_ctx x;
	account_info a;
	db_t *db;
	if (cli_parse("cdrs", argc, argv, opts, pos, 1, &npos) < 0)
		return 2;
	if (npos != 1)
		return cli_usage_error("cdrs", "cdrs needs an ACCOUNT");
	memset(&x, 0, sizeof x);
	memset(&f, 0, sizeof f);
	if ((x.fmt = cli_format("cdrs", format, 1)) < 0)
		return 2;
	f.from = INT64_MIN;
	f.to = INT64_MAX;
	if ((from_t && cli_time("--from", from_t, &f.from) < 0) || (to_t && cli_time("--to", to_t, &f.to) < 0)
	    || (asof_t && cli_time("--as-of", asof_t, &asof) < 0))
		return 1;
	f.unrated_only = unrated;
	f.internal_only = internal;
	f.number = number;
	f.disposition = disp;
	f.prefix = prefix;
	f.limit = limit ? atoi(limit) : 0;
	if (!(db = cli_open(g, 0, 0)))
		return 1;
	if (cli_account(db, pos[0], &a) < 0) {
		db_close(db);
		return 1;
	}
	if (!(x.f = cli_output(out))) {
		db_close(db);
		return 1;
	}
	x.d = a.decimals;
	out_csv_init(&x.csv, x.f);
	out_json_init(&x.j, x.f, 1);
	if (x.fmt == FMT_CSV)
		render_cdr_csv_header(&x.csv);
	else if (x.fmt == FMT_JSON)
		out_json_arr(&x.j, NULL);
	else
		render_cdr_text_header(x.f);
	{
		/* nothing dated after the as-of time is listed; it is counted apart */
		cdrq_filter lf = f;
		int64_t to = f.to;
		if (asof < INT64_MAX && asof + 1 < f.to) {
			f.to = asof + 1;
			lf.from = asof + 1 > f.from ? asof + 1 : f.from;
			lf.to = to;
			lf.limit = 0;
			if (cdrq_each(db, &a, &lf, count_later, &later) != DB_OK)
				rc = cli_error("%s", db_errmsg(db));
		}
	}
	if (!rc && cdrq_each(db, &a, &f, print_cdr, &x) != DB_OK)
		rc = cli_error("%s", db_errmsg(db));
	if (x.fmt == FMT_JSON) {
		out_json_end(&x.j);
		out_json_done(&x.j);
	} else if (x.fmt == FMT_TEXT) {
		render_cdr_text_footer(x.f, x.n, x.total, x.d, a.currency);
	}
	if (cli_close_output(x.f, out))
		rc = 1;
	if (later.n)
		fprintf(stderr, "billtop: warning: %lld call%s dated after %s (%s to %s UTC) not listed: a switch clock "
		        "running ahead? they count from their own time; --as-of '%s' lists them\n", (long long)later.n,
		        later.n == 1 ? "" : "s", asof_t ? "the --as-of time" : "now", cli_time_text(later.first),
		        cli_time_text(later.last), cli_time_text(later.last));
	db_close(db);
	return rc;
}
