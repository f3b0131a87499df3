/* list_out.c: the shared plumbing of `cdrs` and `mdrs` (list_out.h). */
#include "list_out.h"

#include <string.h>

int list_begin(list_out *l, const char *cmd, const cli_global *g, const char *account)
{
	if ((l->fmt = cli_format(cmd, l->format, 1)) < 0)
		return 2;
	l->from = INT64_MIN;
	l->to = INT64_MAX;
	l->asof = db_now();
	memset(&l->later, 0, sizeof l->later);
	if ((l->from_t && cli_time("--from", l->from_t, &l->from) < 0) ||
	    (l->to_t && cli_time("--to", l->to_t, &l->to) < 0) ||
	    (l->asof_t && cli_time("--as-of", l->asof_t, &l->asof) < 0))
		return 1;
	if (!(l->db = cli_open(g, 0, 0)))
		return 1;
	if (cli_account(l->db, account, &l->account) < 0 || !(l->f = cli_output(l->out))) {
		db_close(l->db);
		return 1;
	}
	out_csv_init(&l->csv, l->f);
	out_json_init(&l->j, l->f, 1);
	if (l->fmt == FMT_JSON)
		out_json_arr(&l->j, NULL);
	return 0;
}

int list_asof_split(const list_out *l, int64_t *to, int64_t *later_from)
{
	*to = l->to;
	if (!(l->asof < INT64_MAX && l->asof + 1 < l->to))
		return 0;
	*to = l->asof + 1;
	*later_from = l->asof + 1 > l->from ? l->asof + 1 : l->from;
	return 1;
}

void list_later_add(list_later *lt, int64_t t)
{
	if (lt->n++ == 0 || t < lt->first)
		lt->first = t;
	if (lt->n == 1 || t > lt->last)
		lt->last = t;
}

int list_end(list_out *l, int rc, const char *noun, const char *clock)
{
	if (l->fmt == FMT_JSON) {
		out_json_end(&l->j);
		out_json_done(&l->j);
	}
	if (cli_close_output(l->f, l->out))
		rc = 1;
	if (l->later.n)
		fprintf(stderr, "billtop: warning: %lld %s%s dated after %s (%s to %s UTC) not listed: %s "
		        "running ahead? they count from their own time; --as-of '%s' lists them\n", (long long)l->later.n,
		        noun, l->later.n == 1 ? "" : "s", l->asof_t ? "the --as-of time" : "now",
		        cli_time_text(l->later.first), cli_time_text(l->later.last), clock, cli_time_text(l->later.last));
	db_close(l->db);
	return rc;
}
