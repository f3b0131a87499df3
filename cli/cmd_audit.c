/* cmd_audit.c: audit [--from --to]: who posted, imported, followed,
 * re-priced or investigated what, and when; newest first. The CSV and text
 * forms are front/render_records.c's (the console's audit export writes
 * them too); JSON is the command's own. */
#include <stdio.h>
#include <string.h>

#include "../core/tm.h"
#include "../data/audit.h"
#include "../data/out.h"
#include "../front/render_records.h"
#include "cli.h"

typedef struct {
	int fmt;
	FILE *f;
	out_csv csv;
	out_json j;
	int64_t n;
} audit_ctx;

static int print_row(const audit_row *r, void *vctx)
{
	audit_ctx *x = vctx;
	char d[2048];
	x->n++;
	if (x->fmt == FMT_CSV) {
		render_audit_csv_row(&x->csv, r);
	} else if (x->fmt == FMT_JSON) {
		render_audit_detail(r, d, sizeof d);
		out_json_obj(&x->j, NULL);
		out_json_time(&x->j, "at", r->at);
		out_json_str(&x->j, "what", r->what);
		out_json_int(&x->j, "id", r->id);
		out_json_str(&x->j, "operator", r->operator_);
		out_json_str(&x->j, "ssh_client", r->ssh_client);
		out_json_str(&x->j, "account", *r->account ? r->account : NULL);
		out_json_str(&x->j, "detail", d);
		if (strcmp(r->what, "ledger") == 0) {
			out_json_str(&x->j, "kind", r->kind);
			out_json_money(&x->j, "amount", r->amount, r->decimals);
			out_json_str(&x->j, "memo", r->text);
			out_json_time(&x->j, "effective", r->effective);
			out_json_str(&x->j, "ref", *r->ref ? r->ref : NULL);
		} else if (strncmp(r->what, "case", 4) != 0) {
			out_json_str(&x->j, "kind", r->kind);
			out_json_str(&x->j, "path", r->text);
			out_json_str(&x->j, "format", r->format);
			out_json_time(&x->j, "finished", r->until);
			out_json_int(&x->j, "rows", r->rows);
			out_json_int(&x->j, "inserted", r->inserted);
			out_json_int(&x->j, "duplicates", r->duplicates);
			out_json_int(&x->j, "rejected", r->rejected);
		} else if (strcmp(r->what, "case opened") == 0) {
			out_json_str(&x->j, "verdict", r->kind);
			out_json_str(&x->j, "their_path", r->text);
			out_json_time(&x->j, "period_from", r->effective);
			out_json_time(&x->j, "period_to", r->until);
		}
		out_json_end(&x->j);
	} else {
		render_audit_text_row(x->f, r);
	}
	return 0;
}

const cli_command cmd_audit_entry = {
	.name = "audit",
	.usage = "audit [--from TIME] [--to TIME] [--format text|csv|json] [-o FILE]",
	.summary = "who posted, imported, followed, re-priced or investigated what, and when",
	.help = "Lists ledger entries (by the time they were posted), CDR and MDR imports,\n"
	        "live-feed sessions (ingest), rate deck imports and investigations opened\n"
	        "and closed, newest first, each with its operator ($USER) and SSH client\n"
	        "($SSH_CLIENT). --from/--to select [FROM, TO) on the time of the action.",
	.fn = cmd_audit,
};

int cmd_audit(const cli_global *g, int argc, char **argv)
{
	const char *from_t = NULL, *to_t = NULL, *format = NULL, *outp = NULL, *pos[1];
	int64_t from = INT64_MIN, to = INT64_MAX;
	int npos, rc = 0;
	cli_opt opts[] = { { "--from", 1, &from_t, NULL }, { "--to", 1, &to_t, NULL },
	                   { "--format", 1, &format, NULL }, { "-o", 1, &outp, NULL }, { NULL, 0, NULL, NULL } };
	audit_ctx x;
	db_t *db;

	if (cli_parse("audit", argc, argv, opts, pos, 0, &npos) < 0)
		return 2;
	memset(&x, 0, sizeof x);
	if ((x.fmt = cli_format("audit", format, 1)) < 0)
		return 2;
	if ((from_t && cli_time("--from", from_t, &from) < 0) || (to_t && cli_time("--to", to_t, &to) < 0))
		return 1;
	if (!(db = cli_open(g, 0, 0)))
		return 1;
	if (!(x.f = cli_output(outp))) {
		db_close(db);
		return 1;
	}
	out_csv_init(&x.csv, x.f);
	out_json_init(&x.j, x.f, 1);
	if (x.fmt == FMT_CSV) {
		render_audit_csv_header(&x.csv);
	} else if (x.fmt == FMT_JSON) {
		out_json_arr(&x.j, NULL);
	} else {
		render_audit_text_header(x.f);
	}
	if (audit_each(db, from, to, print_row, &x) != DB_OK)
		rc = cli_error("%s", db_errmsg(db));
	if (x.fmt == FMT_JSON) {
		out_json_end(&x.j);
		out_json_done(&x.j);
	}
	if (cli_close_output(x.f, outp ? outp : "-") != 0)
		rc = 1;
	db_close(db);
	return rc;
}
