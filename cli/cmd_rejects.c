/* cmd_rejects.c: rejects (rows refused by --keep-going imports), read with
 * rejects_each (data/rejects.h); CSV and text are front/render_records.c's
 * forms (the console's rejects export writes them too). */
#include <stdlib.h>

#include "../data/out.h"
#include "../data/rejects.h"
#include "../front/render_records.h"
#include "cli.h"

const cli_command cmd_rejects_entry = {
	.name = "rejects",
	.usage = "rejects [--import ID] [--format text|csv|json]",
	.summary = "list rows refused by --keep-going imports, with file, line and reason",
	.help = NULL,
	.fn = cmd_rejects,
};

typedef struct {
	int fmt;
	out_csv csv;
	out_json j;
} rejects_ctx;

/* The row is kept as a blob exactly as read (it may hold NULs, invalid
 * UTF-8, escape sequences): CSV and JSON carry all of it under their
 * contracts (out.h); the text form shows the first 2 KB made visible
 * (render_reject_text_row). */
static int print_reject(const rejects_row *r, void *vctx)
{
	rejects_ctx *x = vctx;
	if (x->fmt == FMT_CSV) {
		render_reject_csv_row(&x->csv, r);
	} else if (x->fmt == FMT_JSON) {
		out_json_obj(&x->j, NULL);
		out_json_int(&x->j, "import", r->import_id);
		out_json_str(&x->j, "file", r->path);
		out_json_int(&x->j, "line", r->line);
		out_json_str(&x->j, "reason", r->reason);
		out_json_strn(&x->j, "row", r->raw, r->raw_len);
		out_json_int(&x->j, "row_bytes", (int64_t)r->raw_len);
		out_json_end(&x->j);
	} else {
		render_reject_text_row(stdout, r);
	}
	return 0;
}

int cmd_rejects(const cli_global *g, int argc, char **argv)
{
	const char *imp = NULL, *format = NULL, *pos[1];
	int npos, st;
	cli_opt opts[] = { { "--import", 1, &imp, NULL }, { "--format", 1, &format, NULL }, { NULL, 0, NULL, NULL } };
	rejects_ctx x;
	db_t *db;
	if (cli_parse("rejects", argc, argv, opts, pos, 0, &npos) < 0)
		return 2;
	if ((x.fmt = cli_format("rejects", format, 1)) < 0)
		return 2;
	if (!(db = cli_open(g, 0, 0)))
		return 1;
	out_csv_init(&x.csv, stdout);
	out_json_init(&x.j, stdout, 1);
	if (x.fmt == FMT_CSV) {
		render_reject_csv_header(&x.csv);
	} else if (x.fmt == FMT_JSON) {
		out_json_arr(&x.j, NULL);
	}
	st = rejects_each(db, imp != NULL, imp ? strtoll(imp, NULL, 10) : 0, print_reject, &x);
	if (x.fmt == FMT_JSON) {
		out_json_end(&x.j);
		out_json_done(&x.j);
	}
	if (st != DB_OK)
		st = cli_error("rejects: %s", db_errmsg(db));
	db_close(db);
	return st;
}
