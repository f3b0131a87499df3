/* cmd_mdrs.c: mdrs, every message record (MDR) of an account with its
 * charge, oldest first, and a total equal to the statement's messaging line
 * for the same period. Messages dated after now (or --as-of) are counted
 * apart on stderr, never listed, as cdrs does for calls. */
#include <string.h>

#include "../data/mdrq.h"
#include "../data/out.h"
#include "cli.h"
#include "list_out.h"
#include "../front/render_mdr.h"

typedef struct {
	list_out l;
	int d;
	int64_t n, segments;
	money_t total;
} mdrs_ctx;

static int print_mdr(const mdrq_row *r, void *vctx)
{
	mdrs_ctx *x = vctx;
	out_json *j = &x->l.j;
	x->n++;
	x->segments += r->segments;
	x->total += r->cost;
	if (x->l.fmt == FMT_CSV) {
		render_mdr_csv_row(&x->l.csv, r, x->d);
	} else if (x->l.fmt == FMT_JSON) {
		out_json_obj(j, NULL);
		out_json_str(j, "message_id", r->record_id);
		out_json_time(j, "time", r->at);
		out_json_str(j, "direction", r->direction);
		out_json_str(j, "from", r->src);
		out_json_str(j, "to", r->dst);
		out_json_str(j, "type", r->type);
		out_json_int(j, "segments", r->segments);
		out_json_money(j, "charge", r->cost, x->d);
		out_json_bool(j, "while_suspended", r->suspended);
		out_json_end(j);
	} else {
		render_mdr_text_row(x->l.f, r, x->d);
	}
	return 0;
}

/* Messages dated after the as-of time: counted apart, not listed. */
static int count_later(const mdrq_row *r, void *vctx)
{
	list_later_add(vctx, r->at);
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
	const char *pos[1];
	int npos, rc = 0;
	mdrs_ctx x;
	cli_opt opts[] = { { "--from", 1, &x.l.from_t, NULL }, { "--to", 1, &x.l.to_t, NULL },
	                   { "--format", 1, &x.l.format, NULL }, { "-o", 1, &x.l.out, NULL },
	                   { "--as-of", 1, &x.l.asof_t, NULL }, { NULL, 0, NULL, NULL } };
	mdrq_filter f, lf;
	memset(&x, 0, sizeof x);
	if (cli_parse("mdrs", argc, argv, opts, pos, 1, &npos) < 0)
		return 2;
	if (npos != 1)
		return cli_usage_error("mdrs", "mdrs needs an ACCOUNT");
	if ((rc = list_begin(&x.l, "mdrs", g, pos[0])) != 0)
		return rc;
	memset(&f, 0, sizeof f);
	f.from = x.l.from;
	f.oldest_first = 1;
	x.d = x.l.account.decimals;
	if (x.l.fmt == FMT_CSV)
		render_mdr_csv_header(&x.l.csv);
	else if (x.l.fmt == FMT_TEXT)
		render_mdr_text_header(x.l.f);
	/* nothing dated after the as-of time is listed; it is counted apart */
	lf = f;
	lf.to = x.l.to;
	if (list_asof_split(&x.l, &f.to, &lf.from) && mdrq_each(x.l.db, &x.l.account, &lf, count_later,
	                                                         &x.l.later) != DB_OK)
		rc = cli_error("%s", db_errmsg(x.l.db));
	if (!rc && mdrq_each(x.l.db, &x.l.account, &f, print_mdr, &x) != DB_OK)
		rc = cli_error("%s", db_errmsg(x.l.db));
	if (x.l.fmt == FMT_TEXT)
		render_mdr_text_footer(x.l.f, x.n, x.segments, x.total, x.d, x.l.account.currency);
	return list_end(&x.l, rc, "message", "a clock");
}
