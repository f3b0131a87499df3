/* cmd_investigate.c: investigate (reconcile their CDR file with our calls
 * and walk the dispute tree, kept as a case), cases (list) and case (reopen,
 * note, close). The work is in data/investigate.c and core/recon.c; the
 * reports in data/inv_report.c. */
#include <stdlib.h>
#include <string.h>

#include "../core/tm.h"
#include "../data/inv_report.h"
#include "../data/inv_opts.h"
#include "../data/inv_session.h"
#include "../data/investigate.h"
#include "../data/out.h"
#include "cli.h"

/* --tolerance TEXT into o (inv_opts.c); 0, or a usage error (2). */
static int parse_tolerance(const char *spec, recon_opts *o)
{
	char why[300];
	if (strlen(spec) >= 512)
		return cli_usage_error("investigate", "--tolerance is too long");
	if (inv_tolerance_parse(spec, o, why, sizeof why) != 0)
		return cli_usage_error("investigate", "--tolerance: %s", why);
	return 0;
}

/* --report text|json|csv -> INV_REPORT_* (the same numbers as FMT_*). */
static int report_kind(const char *cmd, const char *text)
{
	if (!text || !strcmp(text, "text"))
		return INV_REPORT_TEXT;
	if (!strcmp(text, "json"))
		return INV_REPORT_JSON;
	if (!strcmp(text, "csv"))
		return INV_REPORT_CSV;
	cli_usage_error(cmd, "unknown --report \"%s\" (text, json or csv)", text);
	return -1;
}

const cli_command cmd_investigate_entry = {
	.name = "investigate",
	.usage = "investigate ACCOUNT --theirs FILE [--from TIME --to TIME] [--match-ids]\n"
	         "       [--theirs-format @FORMATS@]\n"
	         "       [--theirs-map field=Column,...] [--theirs-tz ZONE] [--theirs-date-format FMT]\n"
	         "       [--tolerance count=0.5%,seconds=0.5%,cost=0.5%,cost-abs=0.01,time=5s,max-offset=14h]\n"
	         "       [--keep-going] [--report text|json|csv] [-o FILE] [--sign NAME] [--calls N|all]\n"
	         "       [--override day=YYYY-MM-DD,connected=yes|no,durations=yes|no]",
	.summary = "reconcile their CDR file with our calls, walk the dispute tree, keep it as a case",
	.help = "Their file is read with the importers of `import cdr` but stored nowhere\n"
	        "but the case. Compares UTC daily totals, finds the worst day; missing calls\n"
	        "are narrowed to the hour and listed; otherwise the single call with the\n"
	        "biggest duration or cost difference is shown with our rating. Call charges\n"
	        "are compared; CNAM fees are totalled apart. The period is [--from, --to)\n"
	        "(start times), by default the UTC days their file covers. A bad row stops\n"
	        "with FILE:LINE: reason; --keep-going skips and lists them in the report.\n"
	        "Calls pair on numbers and start/answer within time= seconds (after any\n"
	        "clock offset found), or on record ids first with --match-ids. Every UTC\n"
	        "day that differs is a finding (JSON findings, by money): its missing calls\n"
	        "are all counted, the first 20 each way listed (--calls N: N, --calls all:\n"
	        "every one). The text report is a letter to the carrier (80 columns; -o FILE\n"
	        "also writes the calls as CSV beside it; --sign NAME signs it). --override\n"
	        "keeps the engineer's answers as the case's version 2.",
	.fn = cmd_investigate,
};

/* --override "day=YYYY-MM-DD,connected=yes|no,durations=yes|no" (any
 * subset): the engineer's answers to the tree, as the console's wizard
 * gives them; 0, or -1 after a usage error. */
static int parse_override(const char *spec, recon_opts *o)
{
	char buf[256], *save = NULL, *item;
	if (strlen(spec) >= sizeof buf)
		return cli_usage_error("investigate", "--override is too long"), -1;
	snprintf(buf, sizeof buf, "%s", spec);
	for (item = strtok_r(buf, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(item, '=');
		const char *v = eq ? eq + 1 : "";
		int yes = !strcmp(v, "yes"), no = !strcmp(v, "no");
		if (eq)
			*eq = '\0';
		if (!strcmp(item, "day")) {
			int64_t t;
			if (cli_time("--override day", v, &t) < 0)
				return -1;
			o->force_day = t;
		} else if (!strcmp(item, "connected") && (yes || no)) {
			o->force_connected_match = yes;
		} else if (!strcmp(item, "durations") && (yes || no)) {
			o->force_duration_match = yes;
		} else {
			cli_usage_error("investigate", "--override: bad item \"%s\" (day=YYYY-MM-DD, connected=yes|no,"
			                " durations=yes|no)", item);
			return -1;
		}
	}
	return 0;
}

/* Report `kind` of the case as stored (its latest version) into f: the
 * reports are rendered once, when saved, and printed from the store. */
static int write_stored(db_t *db, const inv_case *c, int kind, FILE *f)
{
	char *text;
	size_t len;
	int st = inv_case_report(db, c->id, kind, &text, &len);
	if (st != DB_OK)
		return cli_error("%s", db_errmsg(db));
	if (len && fwrite(text, 1, len, f) != len) {
		free(text);
		return 1; /* cli_close_output reports it */
	}
	free(text);
	return 0;
}

/* --calls N|all -> inv_request.list_calls (N >= 1; all: -1). 0, or -1 after
 * a usage error. */
static int parse_calls(const char *text, int *out)
{
	char *end;
	long v;
	if (!strcmp(text, "all")) {
		*out = -1;
		return 0;
	}
	v = strtol(text, &end, 10);
	if (*text < '0' || *text > '9' || *end || v < 1 || v > 100000000)
		return cli_usage_error("investigate", "--calls: \"%s\" is not a number of calls (1 or more) or all", text),
		       -1;
	*out = (int)v;
	return 0;
}

/* With the letter written to -o FILE, the calls it names go beside it as
 * CSV: FILE with its ".txt" (or nothing) replaced by ".csv". */
static int write_calls_csv(db_t *db, const inv_case *c, const char *out)
{
	char path[4096];
	size_t n = strlen(out);
	FILE *f;
	int rc;
	if (n > 4 && !strcmp(out + n - 4, ".txt"))
		n -= 4;
	if (!strcmp(out, "-"))
		return 0;
	snprintf(path, sizeof path, "%.*s.csv", (int)n, out);
	if (!strcmp(path, out))
		return 0;
	if (!(f = cli_output(path)))
		return 1;
	rc = write_stored(db, c, INV_REPORT_CSV, f);
	rc = cli_close_output(f, path) || rc;
	return rc;
}

int cmd_investigate(const cli_global *g, int argc, char **argv)
{
	const char *theirs = NULL, *tformat = NULL, *tmap = NULL, *ttz = NULL, *tdate = NULL, *from_t = NULL,
	           *to_t = NULL,
	           *tol = NULL, *report = NULL, *out = NULL, *sign = NULL, *override = NULL, *calls = NULL, *pos[1];
	int npos, match_ids = 0, keep_going = 0, kind, st, rc = 0;
	cli_opt opts[] = { { "--theirs", 1, &theirs, NULL }, { "--theirs-format", 1, &tformat, NULL },
	                   { "--theirs-map", 1, &tmap, NULL }, { "--theirs-tz", 1, &ttz, NULL },
	                   { "--theirs-date-format", 1, &tdate, NULL },
	                   { "--from", 1, &from_t, NULL }, { "--to", 1, &to_t, NULL },
	                   { "--tolerance", 1, &tol, NULL }, { "--match-ids", 0, NULL, &match_ids },
	                   { "--report", 1, &report, NULL }, { "-o", 1, &out, NULL },
	                   { "--keep-going", 0, NULL, &keep_going }, { "--sign", 1, &sign, NULL },
	                   { "--override", 1, &override, NULL }, { "--calls", 1, &calls, NULL },
	                   { NULL, 0, NULL, NULL } };
	recon_opts forced;
	inv_request rq;
	inv_case c;
	account_info a;
	char options[1024];
	db_t *db;
	FILE *f;

	if (cli_parse("investigate", argc, argv, opts, pos, 1, &npos) < 0)
		return 2;
	if (npos != 1)
		return cli_usage_error("investigate", "investigate needs an ACCOUNT");
	if (!theirs)
		return cli_usage_error("investigate", "give their CDR file with --theirs FILE");
	if ((kind = report_kind("investigate", report)) < 0)
		return 2;
	memset(&rq, 0, sizeof rq);
	recon_default_opts(&rq.ro);
	rq.ro.match_ids = match_ids;
	if (tol && parse_tolerance(tol, &rq.ro))
		return 2;
	forced = rq.ro;
	if (override && parse_override(override, &forced) < 0)
		return 2;
	if (sign && strlen(sign) >= sizeof c.sign)
		return cli_usage_error("investigate", "--sign is too long (at most %zu bytes)", sizeof c.sign - 1);
	if (tformat && cdrfmt_parse_name(tformat, &rq.theirs.format) < 0)
		return cli_usage_error("investigate", "unknown --theirs-format \"%s\" (auto, asterisk, asterisk-custom,"
		                       " freeswitch, flowroute, generic, asterisk-db, grandstream)", tformat);
	if (!!from_t != !!to_t)
		return cli_usage_error("investigate", "give both --from and --to, or neither (their file's days)");
	if (from_t && (cli_time("--from", from_t, &rq.from) < 0 || cli_time("--to", to_t, &rq.to) < 0))
		return 1;
	if (from_t && rq.to <= rq.from)
		return cli_usage_error("investigate", "--to must be after --from");
	rq.has_period = from_t != NULL;
	if (calls && parse_calls(calls, &rq.list_calls) < 0)
		return 2;
	rq.theirs.path = theirs;
	rq.theirs.map = tmap;
	rq.theirs.tz = ttz;
	rq.theirs.date_format = tdate;
	rq.theirs.keep_going = keep_going;
	options[0] = '\0';
	inv_options_add(options, sizeof options, "--theirs-format", tformat);
	inv_options_add(options, sizeof options, "--theirs-map", tmap);
	inv_options_add(options, sizeof options, "--theirs-tz", ttz);
	inv_options_add(options, sizeof options, "--theirs-date-format", tdate);
	inv_options_add(options, sizeof options, "--from", from_t);
	inv_options_add(options, sizeof options, "--to", to_t);
	inv_options_add(options, sizeof options, "--tolerance", tol);
	inv_options_add(options, sizeof options, "--match-ids", match_ids ? "" : NULL);
	inv_options_add(options, sizeof options, "--keep-going", keep_going ? "" : NULL);
	inv_options_add(options, sizeof options, "--calls", calls);
	rq.options = options;
	rq.compact = 1; /* the calls only in the engine's compact form: a third of the memory */

	if (!(db = cli_open(g, 0, 1)))
		return 1;
	if (cli_account(db, pos[0], &a) < 0) {
		db_close(db);
		return 1;
	}
	rq.account = &a;
	st = inv_run(db, &rq, &c);
	if (sign)
		snprintf(c.sign, sizeof c.sign, "%s", sign);
	if (st != DB_OK || (st = inv_save(db, &c)) != DB_OK ||
	    (override && ((st = inv_rerun(db, &c, &forced)) != DB_OK || (st = inv_conclude_save(db, &c)) != DB_OK))) {
		rc = cli_error("%s", db_errmsg(db));
		inv_case_free(&c);
		db_close(db);
		return rc;
	}
	fprintf(stderr, "case %lld saved (verdict %s): %zu of our calls loaded in %.2f s, %zu of theirs in %.2f s,"
	        " reconciled in %.2f s; `billtop case %lld` reopens it\n", (long long)c.id,
	        recon_verdict_name(c.res.verdict), c.ours.n, c.secs_ours, c.theirs.n, c.secs_theirs, c.secs_recon,
	        (long long)c.id);
	if (override)
		fprintf(stderr, "case %lld: the engineer's conclusion saved as version %d (verdict %s)\n", (long long)c.id,
		        c.version, recon_verdict_name(c.res.verdict));
	if ((f = cli_output(out))) {
		rc = write_stored(db, &c, kind, f);
		rc = cli_close_output(f, out) || rc;
	} else {
		rc = 1;
	}
	if (!rc && out && kind == INV_REPORT_TEXT)
		rc = write_calls_csv(db, &c, out);
	inv_case_free(&c);
	db_close(db);
	return rc;
}

/* ---- cases ------------------------------------------------------------------ */

typedef struct {
	int fmt;
	FILE *f;
	out_csv csv;
	out_json j;
	int n;
} cases_ctx;

static int print_case(const inv_case_row *r, void *vctx)
{
	cases_ctx *x = vctx;
	char from[32], to[32], path[160];
	int nnotes = 0;
	for (const char *p = r->notes; *p; p++)
		nnotes += *p == '\n';
	x->n++;
	if (x->fmt == FMT_JSON) {
		out_json_obj(&x->j, NULL);
		out_json_int(&x->j, "case", r->id);
		out_json_str(&x->j, "account", r->account);
		out_json_str(&x->j, "status", r->status);
		out_json_str(&x->j, "verdict", r->verdict);
		out_json_str(&x->j, "concluded", r->concluded);
		out_json_int(&x->j, "versions", r->versions);
		out_json_str(&x->j, "disputed", r->disputed[0] ? r->disputed : NULL);
		out_json_str(&x->j, "currency", r->currency);
		out_json_time(&x->j, "created", r->created);
		out_json_str(&x->j, "operator", r->operator_);
		out_json_str(&x->j, "ssh_client", r->ssh_client);
		out_json_time(&x->j, "closed", r->closed);
		out_json_str(&x->j, "closed_by", r->closed != TM_NONE ? r->closed_by : NULL);
		out_json_time(&x->j, "from", r->from);
		out_json_time(&x->j, "to", r->to);
		out_json_str(&x->j, "their_path", r->their_path);
		out_json_str(&x->j, "their_format", r->their_format);
		out_json_str(&x->j, "options", r->options);
		out_json_str(&x->j, "notes", r->notes);
		out_json_end(&x->j);
	} else if (x->fmt == FMT_CSV) {
		out_csv_int(&x->csv, r->id);
		out_csv_cell(&x->csv, r->account);
		out_csv_cell(&x->csv, r->status);
		out_csv_cell(&x->csv, r->verdict);
		out_csv_cell(&x->csv, r->concluded);
		out_csv_int(&x->csv, r->versions);
		out_csv_cell(&x->csv, r->disputed);
		out_csv_cell(&x->csv, r->currency);
		out_csv_time(&x->csv, r->created);
		out_csv_cell(&x->csv, r->operator_);
		out_csv_time(&x->csv, r->from);
		out_csv_time(&x->csv, r->to);
		out_csv_cell(&x->csv, r->their_path);
		out_csv_cell(&x->csv, r->their_format);
		out_csv_int(&x->csv, nnotes);
		out_csv_end(&x->csv);
	} else {
		char verdict[40];
		tm_format(r->from, from, sizeof from);
		tm_format(r->to, to, sizeof to);
		(void)path;
		snprintf(verdict, sizeof verdict, "%s%s", r->concluded, r->versions > 1 ? "*" : "");
		fprintf(x->f, "%5lld  %-6s %-12s %-10s %-16s %.10s..%.10s %12s %s\n", (long long)r->id, r->status,
		        cli_vis(r->account), cli_vis(r->operator_), verdict, from, to, r->disputed, r->currency);
	}
	return 0;
}

const cli_command cmd_cases_entry = {
	.name = "cases",
	.usage = "cases [ACCOUNT] [--format text|csv|json] [-o FILE]",
	.summary = "list dispute cases of every account (or one): open first, concluded verdict",
	.help = NULL,
	.fn = cmd_cases,
};

int cmd_cases(const cli_global *g, int argc, char **argv)
{
	const char *format = NULL, *out = NULL, *pos[1];
	int npos, rc = 0;
	cli_opt opts[] = { { "--format", 1, &format, NULL }, { "-o", 1, &out, NULL }, { NULL, 0, NULL, NULL } };
	cases_ctx x;
	account_info a;
	db_t *db;
	if (cli_parse("cases", argc, argv, opts, pos, 1, &npos) < 0)
		return 2;
	memset(&x, 0, sizeof x);
	if ((x.fmt = cli_format("cases", format, 1)) < 0)
		return 2;
	if (!(db = cli_open(g, 0, 0)))
		return 1;
	a.id = 0;
	if (npos == 1 && cli_account(db, pos[0], &a) < 0) {
		db_close(db);
		return 1;
	}
	if (!(x.f = cli_output(out))) {
		db_close(db);
		return 1;
	}
	out_csv_init(&x.csv, x.f);
	out_json_init(&x.j, x.f, 1);
	if (x.fmt == FMT_JSON) {
		out_json_arr(&x.j, NULL);
	} else if (x.fmt == FMT_CSV) {
		static const char *const h[] = { "case", "account", "status", "verdict", "concluded", "versions",
			"disputed", "currency", "created", "operator", "from",
			"to", "their_path", "their_format", "notes", NULL };
		for (int i = 0; h[i]; i++)
			out_csv_cell(&x.csv, h[i]);
		out_csv_end(&x.csv);
	} else {
		fprintf(x.f, "%5s  %-6s %-12s %-10s %-16s %-22s %12s\n", "case", "status", "account", "opened by",
		        "verdict", "period", "in dispute");
	}
	if (inv_case_each(db, a.id, print_case, &x) != DB_OK)
		rc = cli_error("%s", db_errmsg(db));
	if (x.fmt == FMT_JSON) {
		out_json_end(&x.j);
		out_json_done(&x.j);
	} else if (x.fmt == FMT_TEXT && x.n == 0) {
		fprintf(x.f, "(no cases: `billtop investigate ACCOUNT --theirs FILE` opens one)\n");
	} else if (x.fmt == FMT_TEXT) {
		fprintf(x.f, "(open cases first; * the engineer's conclusion; in dispute: theirs - ours)\n");
	}
	if (cli_close_output(x.f, out))
		rc = 1;
	db_close(db);
	return rc;
}

/* ---- case ------------------------------------------------------------------- */

const cli_command cmd_case_entry = {
	.name = "case",
	.usage = "case ID [--report text|json|csv] [--version N] [-o FILE] [--note TEXT] [--close]",
	.summary = "reopen a case (its stored report), add a note, or close it",
	.help = "The report is shown as it was written, of the latest version (the\n"
	        "engineer's conclusion; --version 1: the engine's). Without --report the\n"
	        "case's status and notes lead; --report text is the letter alone. Notes\n"
	        "are append-only; a closed case stays closed.",
	.fn = cmd_case,
};

int cmd_case(const cli_global *g, int argc, char **argv)
{
	const char *report = NULL, *out = NULL, *note = NULL, *vtext = NULL, *pos[1];
	int npos, close = 0, kind, rc = 0, st, version = 0;
	cli_opt opts[] = { { "--report", 1, &report, NULL }, { "-o", 1, &out, NULL }, { "--note", 1, &note, NULL },
	                   { "--close", 0, NULL, &close }, { "--version", 1, &vtext, NULL }, { NULL, 0, NULL, NULL } };
	long long id;
	char *end, *text;
	size_t len;
	db_t *db;
	FILE *f;

	if (cli_parse("case", argc, argv, opts, pos, 1, &npos) < 0)
		return 2;
	if (npos != 1)
		return cli_usage_error("case", "case needs a case ID (see `billtop cases`)");
	id = strtoll(pos[0][0] == '#' ? pos[0] + 1 : pos[0], &end, 10);
	if (*end || id <= 0)
		return cli_usage_error("case", "\"%s\" is not a case number", pos[0]);
	if ((kind = report_kind("case", report)) < 0)
		return 2;
	if (vtext) {
		long v = strtol(vtext, &end, 10);
		if (*end || v < 1 || v > 1000000)
			return cli_usage_error("case", "--version: \"%s\" is not a version (1: the engine's findings, 2..: "
			                       "the engineer's conclusions)", vtext);
		version = (int)v;
	}
	if (note && !*note)
		return cli_usage_error("case", "--note needs some text");
	if (!(db = cli_open(g, 0, note || close)))
		return 1;
	if (note) {
		if ((st = inv_case_note(db, id, note)) != DB_OK) {
			rc = cli_error("%s", db_errmsg(db));
			goto done;
		}
		printf("case %lld: note added\n", id);
	}
	if (close) {
		if ((st = inv_case_close(db, id)) != DB_OK) {
			rc = cli_error("%s", db_errmsg(db));
			goto done;
		}
		printf("case %lld closed\n", id);
	}
	if ((note || close) && !report && !out)
		goto done;
	/* every report exactly as stored (the latest version unless --version);
	 * without --report, the case's state (status, verdicts, notes: internal)
	 * leads, above the letter */
	if (inv_case_print_v(db, id, version, kind, &text, &len) != DB_OK) {
		rc = cli_error("%s", db_errmsg(db));
		goto done;
	}
	if ((f = cli_output(out))) {
		if (!report && !out) {
			inv_case_row row;
			if (inv_case_get(db, id, &row) == DB_OK) {
				inv_case_state_write(f, &row);
				inv_case_row_free(&row);
			}
		}
		fwrite(text, 1, len, f);
		rc = cli_close_output(f, out);
	} else {
		rc = 1;
	}
	free(text);
done:
	db_close(db);
	return rc;
}
