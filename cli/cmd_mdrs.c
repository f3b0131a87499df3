/* cmd_mdrs.c: mdrs, every message record (MDR) of an account with its
 * charge, oldest first, and a total equal to the statement's messaging line
 * for the same period. Messages dated after now (or --as-of) are counted
 * apart on stderr, never listed, as cdrs does for calls. */
#include <string.h>

#include "../data/mdrq.h"
#include "../data/out.h"
#include "cli.h"
#include "../front/render_mdr.h"

typedef struct {
	int fmt, d;
	FILE *f;
	out_csv csv;
	out_json j;
	int64_t n, segments;
	money_t total;
} mdrs_ctx;

static int print_mdr(const mdrq_row *r, void *vctx)
{
	mdrs_ctx *x = vctx;
	x->n++;
	x->segments += r->segments;
	x->total += r->cost;
	if (x->fmt == FMT_CSV) {
		render_mdr_csv_row(&x->csv, r, x->d);
	} else if (x->fmt == FMT_JSON) {
		out_json_obj(&x->j, NULL);
		out_json_str(&x->j, "message_id", r->record_id);
		out_json_time(&x->j, "time", r->at);
		out_json_str(&x->j, "direction", r->direction);
		out_json_str(&x->j, "from", r->src);
		out_json_str(&x->j, "to", r->dst);
		out_json_str(&x->j, "type", r->type);
		out_json_int(&x->j, "segments", r->segments);
		out_json_money(&x->j, "charge", r->cost, x->d);
		out_json_bool(&x->j, "while_suspended", r->suspended);
		out_json_end(&x->j);
	} else {
		render_mdr_text_row(x->f, r, x->d);
	}
	return 0;
}

/* Messages dated after the as-of time: counted apart, not listed. */
typedef struct {
	int64_t n, first, last;
} later_ctx;

static int count_later(const mdrq_row *r, void *vctx)
{
	later_ctx *l = vctx;
	if (l->n++ == 0 || r->at < l->first)
		l->first = r->at;
	if (l->n == 1 || r->at > l->last)
		l->last = r->at;
	return 0;
}

const cli_command cmd_mdrs_entry = {
	.name = "mdrs",
	.usage = "mdrs ACCOUNT [--from TIME] [--to TIME] [--as-of TIME] [--format text|csv|json] [-o FILE]",
	.summary = "every message (MDR) with its charge, oldest first; the total is the statement's messaging line",
	.help = "Messages dated after now (or --as-of TIME) are not listed: a warning counts\n"
	        "them.",
	.fn = cmd_mdrs,
};

int cmd_mdrs(const cli_global *g, int argc, char **argv)
{
	const char *from_t = NULL, *to_t = NULL, *format = NULL, *out = NULL, *asof_t = NULL, *pos[1];
	int64_t asof = db_now();
	later_ctx later = { 0, 0, 0 };
	int npos, rc = 0;
	cli_opt opts[] = { { "--from", 1, &from_t, NULL }, { "--to", 1, &to_t, NULL }, { "--format", 1, &format, NULL },
	                   { "-o", 1, &out, NULL }, { "--as-of", 1, &asof_t, NULL }, { NULL, 0, NULL, NULL } };
	mdrq_filter f;
	mdrs_ctx x;
	account_info a;
	db_t *db;
	if (cli_parse("mdrs", argc, argv, opts, pos, 1, &npos) < 0)
		return 2;
	if (npos != 1)
		return cli_usage_error("mdrs", "mdrs needs an ACCOUNT");
	memset(&x, 0, sizeof x);
	memset(&f, 0, sizeof f);
	if ((x.fmt = cli_format("mdrs", format, 1)) < 0)
		return 2;
	f.from = INT64_MIN;
	f.to = INT64_MAX;
	f.oldest_first = 1;
	if ((from_t && cli_time("--from", from_t, &f.from) < 0) || (to_t && cli_time("--to", to_t, &f.to) < 0)
	    || (asof_t && cli_time("--as-of", asof_t, &asof) < 0))
		return 1;
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
		render_mdr_csv_header(&x.csv);
	else if (x.fmt == FMT_JSON)
		out_json_arr(&x.j, NULL);
	else
		render_mdr_text_header(x.f);
	/* nothing dated after the as-of time is listed; it is counted apart */
	if (asof < INT64_MAX && asof + 1 < f.to) {
		mdrq_filter lf = f;
		f.to = asof + 1;
		lf.from = asof + 1 > f.from ? asof + 1 : f.from;
		if (mdrq_each(db, &a, &lf, count_later, &later) != DB_OK)
			rc = cli_error("%s", db_errmsg(db));
	}
	if (!rc && mdrq_each(db, &a, &f, print_mdr, &x) != DB_OK)
		rc = cli_error("%s", db_errmsg(db));
	if (x.fmt == FMT_JSON) {
		out_json_end(&x.j);
		out_json_done(&x.j);
	} else if (x.fmt == FMT_TEXT) {
		render_mdr_text_footer(x.f, x.n, x.segments, x.total, x.d, a.currency);
	}
	if (cli_close_output(x.f, out))
		rc = 1;
	if (later.n)
		fprintf(stderr, "billtop: warning: %lld message%s dated after %s (%s to %s UTC) not listed: a clock "
		        "running ahead? they count from their own time; --as-of '%s' lists them\n", (long long)later.n,
		        later.n == 1 ? "" : "s", asof_t ? "the --as-of time" : "now", cli_time_text(later.first),
		        cli_time_text(later.last), cli_time_text(later.last));
	db_close(db);
	return rc;
}
