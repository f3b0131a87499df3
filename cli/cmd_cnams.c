/* cmd_cnams.c: cnams, every CNAM charge of an account one by one, oldest
 * first: each caller-name lookup fee on a call (the number looked up, the
 * name returned when the caller id holds one) and each ledger entry of
 * kind cnam, with its source. The total equals the statement's CNAM line
 * for the same period. Charges dated after now (or --as-of) are counted
 * apart on stderr, never listed, as mdrs and cdrs do. */
#include <string.h>

#include "../data/cnamq.h"
#include "../data/out.h"
#include "cli.h"
#include "../front/render_cnam.h"

typedef struct {
	int fmt, d;
	FILE *f;
	out_csv csv;
	out_json j;
	int64_t lookups, entries;
	money_t total;
} cnams_ctx;

static int print_cnam(const cnamq_row *r, void *vctx)
{
	cnams_ctx *x = vctx;
	if (r->source == CNAMQ_CALL)
		x->lookups++;
	else
		x->entries++;
	x->total += r->fee;
	if (x->fmt == FMT_CSV) {
		render_cnam_csv_row(&x->csv, r, x->d);
	} else if (x->fmt == FMT_JSON) {
		char ref[CDR_RECORD_ID_MAX + 32], name[CDR_FIELD_MAX + 1];
		render_cnam_ref(r, ref, sizeof ref);
		render_cnam_name(r, name, sizeof name);
		out_json_obj(&x->j, NULL);
		out_json_time(&x->j, "time", r->at);
		out_json_str(&x->j, "source", render_cnam_source(r));
		out_json_str(&x->j, "id", ref);
		if (r->source == CNAMQ_CALL) {
			out_json_str(&x->j, "number", r->number);
			out_json_str(&x->j, "called", r->dst);
			out_json_str(&x->j, "name", name[0] ? name : NULL);
			out_json_str(&x->j, "caller_id", r->clid);
			out_json_bool(&x->j, "while_suspended", r->suspended);
		} else {
			out_json_str(&x->j, "memo", r->memo);
		}
		out_json_money(&x->j, "fee", r->fee, x->d);
		out_json_end(&x->j);
	} else {
		render_cnam_text_row(x->f, r, x->d);
	}
	return 0;
}

/* Charges dated after the as-of time: counted apart, not listed. */
typedef struct {
	int64_t n, first, last;
} later_ctx;

static int count_later(const cnamq_row *r, void *vctx)
{
	later_ctx *l = vctx;
	if (l->n++ == 0 || r->at < l->first)
		l->first = r->at;
	if (l->n == 1 || r->at > l->last)
		l->last = r->at;
	return 0;
}

const cli_command cmd_cnams_entry = {
	.name = "cnams",
	.usage = "cnams ACCOUNT [--from TIME] [--to TIME] [--as-of TIME] [--format text|csv|json] [-o FILE]",
	.summary = "every CNAM charge with its source, oldest first; the total is the statement's CNAM line",
	.help = "A charge is a lookup fee on a call (the number looked up, the name the\n"
	        "caller id returned) or a ledger entry of kind cnam (its memo). Charges\n"
	        "dated after now (or --as-of TIME) are not listed: a warning counts them.\n"
	        "--to before --from is refused.",
	.fn = cmd_cnams,
};

int cmd_cnams(const cli_global *g, int argc, char **argv)
{
	const char *from_t = NULL, *to_t = NULL, *format = NULL, *out = NULL, *asof_t = NULL, *pos[1];
	int64_t asof = db_now();
	later_ctx later = { 0, 0, 0 };
	int npos, rc = 0;
	cli_opt opts[] = { { "--from", 1, &from_t, NULL }, { "--to", 1, &to_t, NULL }, { "--format", 1, &format, NULL },
	                   { "-o", 1, &out, NULL }, { "--as-of", 1, &asof_t, NULL }, { NULL, 0, NULL, NULL } };
	cnamq_filter f;
	cnams_ctx x;
	account_info a;
	db_t *db;
	if (cli_parse("cnams", argc, argv, opts, pos, 1, &npos) < 0)
		return 2;
	if (npos != 1)
		return cli_usage_error("cnams", "cnams needs an ACCOUNT");
	memset(&x, 0, sizeof x);
	memset(&f, 0, sizeof f);
	if ((x.fmt = cli_format("cnams", format, 1)) < 0)
		return 2;
	f.from = INT64_MIN;
	f.to = INT64_MAX;
	if ((from_t && cli_time("--from", from_t, &f.from) < 0) || (to_t && cli_time("--to", to_t, &f.to) < 0)
	    || (asof_t && cli_time("--as-of", asof_t, &asof) < 0))
		return 1;
	if (f.to < f.from)
		return cli_usage_error("cnams", "--to %s is before --from %s: nothing listed", cli_time_text(f.to),
		                       cli_time_text(f.from));
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
		render_cnam_csv_header(&x.csv);
	else if (x.fmt == FMT_JSON)
		out_json_arr(&x.j, NULL);
	else
		render_cnam_text_header(x.f);
	/* nothing dated after the as-of time is listed; it is counted apart */
	if (asof < INT64_MAX && asof + 1 < f.to) {
		cnamq_filter lf = f;
		f.to = asof + 1;
		lf.from = asof + 1 > f.from ? asof + 1 : f.from;
		if (cnamq_each(db, &a, &lf, count_later, &later) != DB_OK)
			rc = cli_error("%s", db_errmsg(db));
	}
	if (!rc && cnamq_each(db, &a, &f, print_cnam, &x) != DB_OK)
		rc = cli_error("%s", db_errmsg(db));
	if (x.fmt == FMT_JSON) {
		out_json_end(&x.j);
		out_json_done(&x.j);
	} else if (x.fmt == FMT_TEXT) {
		render_cnam_text_footer(x.f, x.lookups, x.entries, x.total, x.d, a.currency);
	}
	if (cli_close_output(x.f, out))
		rc = 1;
	if (later.n)
		fprintf(stderr, "billtop: warning: %lld CNAM charge%s dated after %s (%s to %s UTC) not listed: a clock "
		        "running ahead? they count from their own time; --as-of '%s' lists them\n", (long long)later.n,
		        later.n == 1 ? "" : "s", asof_t ? "the --as-of time" : "now", cli_time_text(later.first),
		        cli_time_text(later.last), cli_time_text(later.last));
	db_close(db);
	return rc;
}
