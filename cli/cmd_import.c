/* cmd_import.c: import cdr|mdr. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/money.h"
#include "../core/tm.h"
#include "../data/import.h"
#include "../data/out.h"
#include "cli.h"

/* Exit statuses of `import` (stated in `billtop help import`): 0 every
 * row stored or a duplicate; 1 a file refused (nothing of it imported);
 * 2 usage; 4 --keep-going stored rows but rejected some; 5 --keep-going
 * rejected every row it read. 3 is taken (ledger --ref conflicts). With
 * several files the worst wins: 1, then 5, then 4. */
enum { IMPORT_EXIT_SOME_REJECTED = 4, IMPORT_EXIT_ALL_REJECTED = 5 };

static int worse(int a, int b)
{
	static const int rank[6] = { 0, 4, 0, 0, 2, 3 }; /* by status: 1 > 5 > 4 > 0 */
	return rank[b] > rank[a] ? b : a;
}

static void print_preview(const import_result *r, const import_preview *p, const char *path)
{
	printf("%s: dry run: nothing written\n", cli_vis(path));
	printf("format: %s\n", cdrfmt_name(r->format));
	printf("columns:\n%s", p->mapping);
	printf("date order: %s\n", r->dates.order[0] ? r->dates.order : "as written (ISO)");
	if (r->dates.hint[0])
		printf("zone warning: %s\n", r->dates.hint);
	printf("zone: %s\n", p->zone);
	printf("dial plan: %s\n", p->dialplan[0] ? p->dialplan : "none");
	printf("first rows as they would be stored:\n");
	for (int i = 0; i < p->nrows; i++) {
		const import_preview_row *v = &p->row[i];
		char t[32], cost[64];
		if (v->outcome == STORE_REJECT) {
			printf("  line %lld: rejected: %s\n", (long long)v->line, cli_vis(v->why));
			continue;
		}
		tm_format(v->start, t, sizeof t);
		if (v->outcome == STORE_DUPLICATE) {
			printf("  line %lld: %s %s -> %s: duplicate of a stored record\n", (long long)v->line, t,
			       cli_vis(v->src), cli_vis(v->dst));
			continue;
		}
		money_format(v->cost, v->decimals, cost, sizeof cost);
		printf("  line %lld: %s %s %s -> %s %s billsec %lld.%03llds: %s", (long long)v->line,
		       cli_vis(v->account), t, cli_vis(v->src), cli_vis(v->dst), v->disposition,
		       (long long)(v->billsec_ms / 1000), (long long)(v->billsec_ms % 1000),
		       store_cdr_state_name(v->state));
		if (v->state == CDR_RATED)
			printf(", prefix %s, %lld s billed, cost %s", v->prefix, (long long)v->billed_secs, cost);
		putchar('\n');
	}
	printf("sample: %s%lld rows read = %lld would be stored + %lld duplicates + %lld rejected\n",
	       p->truncated ? "the first " : "all ", (long long)r->rows, (long long)r->st.inserted,
	       (long long)r->st.duplicates, (long long)r->rejected);
	printf("  would be stored: %lld rated, %lld unrated, %lld internal, %lld not connected, %lld extra legs,"
	       " %lld emergency; calls written as several rows: %lld", (long long)r->st.rated,
	       (long long)r->st.unrated, (long long)r->st.internal, (long long)r->st.not_connected,
	       (long long)r->st.extra_legs, (long long)r->st.emergency, (long long)r->st.multi_row_calls);
	if (r->repaired)
		printf("; quoting repaired: %lld rows", (long long)r->repaired);
	putchar('\n');
}

static void json_result(out_json *j, const char *path, int mdr, int status, const char *error,
                        const import_result *r)
{
	out_json_obj(j, NULL);
	out_json_str(j, "file", path);
	out_json_str(j, "kind", mdr ? "mdr" : "cdr");
	if (!mdr)
		out_json_str(j, "format", cdrfmt_name(r->format));
	out_json_int(j, "exit", status);
	if (error) {
		out_json_str(j, "error", error);
		out_json_bool(j, "imported", 0);
		out_json_end(j);
		return;
	}
	out_json_bool(j, "imported", 1);
	out_json_int(j, "import", r->import_id);
	out_json_int(j, "rows", r->rows);
	out_json_int(j, "stored", r->st.inserted);
	out_json_int(j, "duplicates", r->st.duplicates);
	out_json_int(j, "rejected", r->rejected);
	out_json_bool(j, "adds_up", r->rows == r->st.inserted + r->st.duplicates + r->rejected);
	if (!mdr) {
		out_json_int(j, "rated", r->st.rated);
		out_json_int(j, "unrated", r->st.unrated);
		out_json_int(j, "internal", r->st.internal);
		out_json_int(j, "not_connected", r->st.not_connected);
		out_json_int(j, "extra_legs", r->st.extra_legs);
		out_json_int(j, "emergency", r->st.emergency);
		out_json_int(j, "multi_row_calls", r->st.multi_row_calls);
	}
	out_json_int(j, "repaired", r->repaired);
	if (r->dates.order[0])
		out_json_str(j, "date_order", r->dates.order);
	if (r->dates.hint[0])
		out_json_str(j, "zone_warning", r->dates.hint);
	out_json_int(j, "accounts_created", r->st.accounts_created);
	out_json_int(j, "dated_later", r->st.dated_later);
	out_json_end(j);
}

const cli_command cmd_import_entry = {
	.name = "import",
	.usage = "import cdr FILE... [--format @FORMATS@]\n"
	         "       [--account NAME] [--tz ZONE] [--map field=Column,...] [--date-format FMT] [--keep-going]\n"
	         "       [--lenient] [--create-accounts [--deck NAME]] [--dry-run] [--report text|json] [--quiet]\n"
	         "       billtop import mdr FILE... [--account NAME] [--tz ZONE] [--date-format FMT] [--keep-going]\n"
	         "       [--lenient] [--create-accounts [--deck NAME]] [--report text|json] [--quiet]",
	.summary = "rate and store call (cdr) or messaging (mdr) records",
	.help = "Each file is one transaction: all of it or nothing. A bad row stops the\n"
	        "import with FILE:LINE: reason; with --keep-going the good rows go in and\n"
	        "every bad row is kept (see `billtop rejects`). Re-importing adds nothing twice.\n"
	        "Every row read is accounted for: rows read = stored + duplicates + rejected,\n"
	        "printed, and in JSON with --report json (or --format json when the source\n"
	        "format is detected). The summary counts calls written as several rows.\n"
	        "--lenient reads quotes a file leaves unescaped (\"User 10\" <114>) as text and\n"
	        "counts the rows so repaired; without it such a file is refused at its line.\n"
	        "--account NAME stores every record under NAME (so an empty account code too).\n"
	        "--create-accounts adds unknown account codes; --deck NAME gives them that deck.\n"
	        "--dry-run shows the format, the columns used and ignored, zone, the first rows\n"
	        "as they would be stored and charged, and counts over the first 1000 rows;\n"
	        "it writes nothing.\n"
	        "Exit: 0 no row rejected; 1 a file refused (nothing of it imported); 2 usage;\n"
	        "4 with --keep-going, rows rejected and others stored; 5 with --keep-going,\n"
	        "every row rejected. With several files the worst wins (1, then 5, then 4).\n"
	        "--map fields: call_id start answer end src dst duration billsec disposition\n"
	        "cost account clid billed cnam direction linkedid sequence; a Column is a\n"
	        "header name or a column number (1-based): numbers only read a file without\n"
	        "a header (--map start=1,dst=4,billsec=11). asterisk-db is the Asterisk cdr\n"
	        "table dumped to CSV (cdr_mysql, cdr_pgsql, freepbx-db), with or without a header.\n"
	        "Dates: year-first (2017-09-01 16:33:01, ISO 8601 with T and zones), day-first\n"
	        "or month-first (1/9/2017 16:33:01, 04/09/17 12:39, 9/1/2017 4:33 PM), epoch\n"
	        "seconds (9-10 digits) or milliseconds (12-13). The order comes from the\n"
	        "file's own values (a day above 12) or from the epoch in Asterisk/Grandstream\n"
	        "unique ids; a file that cannot tell is refused: say it with --date-format\n"
	        "(strftime-style: %Y %y %m %d %e %H %I %M %S %p %b %z %T %F %s, e.g.\n"
	        "'%d/%m/%Y %H:%M:%S'). Two-digit years: 00-69 are 20xx, 70-99 19xx.\n"
	        "Without --tz, times off from the unique ids' epochs by whole or half hours\n"
	        "get a warning naming the offset and a zone (the import goes on as UTC).",
	.fn = cmd_import,
};

int cmd_import(const cli_global *g, int argc, char **argv)
{
	const char *format = NULL, *account = NULL, *tz = NULL, *map = NULL, *deck = NULL, *outfmt = NULL,
	           *date_format = NULL, *pos[256];
	int keep_going = 0, create = 0, quiet = 0, lenient = 0, dry = 0, npos, rc = 0, mdr, fmt;
	cli_opt opts[] = {
		{ "--format", 1, &format, NULL }, { "--account", 1, &account, NULL }, { "--tz", 1, &tz, NULL },
		{ "--map", 1, &map, NULL }, { "--date-format", 1, &date_format, NULL },
		{ "--keep-going", 0, NULL, &keep_going },
		{ "--create-accounts", 0, NULL, &create }, { "--deck", 1, &deck, NULL },
		{ "--lenient", 0, NULL, &lenient }, { "--dry-run", 0, NULL, &dry },
		{ "--report", 1, &outfmt, NULL }, { "--quiet", 0, NULL, &quiet }, { NULL, 0, NULL, NULL } };
	import_opts o;
	import_preview *pv = NULL;
	out_json j;
	db_t *db;

	if (cli_parse("import", argc, argv, opts, pos, 256, &npos) < 0)
		return 2;
	if (npos < 2 || (strcmp(pos[0], "cdr") != 0 && strcmp(pos[0], "mdr") != 0))
		return cli_usage_error("import", "say `import cdr FILE...` or `import mdr FILE...`");
	mdr = strcmp(pos[0], "mdr") == 0;
	memset(&o, 0, sizeof o);
	o.format = CDRFMT_AUTO;
	/* --format names the source format, except `--format text|json`, which
	 * is the summary's form (as for other commands); --report text|json
	 * says the same next to a named source format. */
	if (format && (!strcmp(format, "json") || !strcmp(format, "text"))) {
		if (outfmt)
			return cli_usage_error("import", "give the summary's form once (--format json or --report json)");
		outfmt = format;
		format = NULL;
	}
	if ((fmt = cli_format("import", outfmt, 0)) < 0)
		return 2;
	if (format && (mdr || cdrfmt_parse_name(format, &o.format) != 0))
		return cli_usage_error("import", "unknown --format \"%s\"", format);
	if (deck && !create)
		return cli_usage_error("import", "--deck NAME goes with --create-accounts (it is the deck of the "
		                       "accounts the import creates; `account set` changes an existing one)");
	if (map && mdr)
		return cli_usage_error("import", "--map is for CDR files (an MDR file's columns are found by name)");
	if (dry && (mdr || npos != 2))
		return cli_usage_error("import", "--dry-run takes one CDR file: `import cdr FILE --dry-run`");
	o.account = account;
	o.tz = tz;
	o.map = map;
	o.date_format = date_format;
	o.keep_going = keep_going;
	o.create_accounts = create;
	o.deck = deck;
	o.lenient = lenient;
	o.progress = !quiet && !dry && isatty(2);
	if (dry)
		o.preview = pv = calloc(1, sizeof *pv);
	if (!(db = cli_open(g, 0, 1))) {
		free(pv);
		return 1;
	}
	if (fmt == FMT_JSON) {
		out_json_init(&j, stdout, 1);
		out_json_arr(&j, NULL);
	}
	for (int i = 1; i < npos; i++) {
		import_result r;
		int st = mdr ? import_mdr_file(db, pos[i], &o, &r) : import_cdr_file(db, pos[i], &o, &r), fst = 0;
		if (st != DB_OK) {
			cli_error("%s", db_errmsg(db));
			fprintf(stderr, "billtop: %s: nothing imported (the database is unchanged)\n", cli_vis(pos[i]));
			rc = worse(rc, 1);
			if (fmt == FMT_JSON)
				json_result(&j, pos[i], mdr, 1, db_errmsg(db), &r);
			continue;
		}
		if (r.dates.hint[0] && fmt != FMT_JSON) /* a warning: the import went on reading times as UTC */
			fprintf(stderr, "billtop: %s: %s\n", cli_vis(pos[i]), r.dates.hint);
		if (r.rejected)
			fst = r.rejected == r.rows ? IMPORT_EXIT_ALL_REJECTED : IMPORT_EXIT_SOME_REJECTED;
		if (!dry)
			rc = worse(rc, fst);
		if (fmt == FMT_JSON) {
			json_result(&j, pos[i], mdr, dry ? 0 : fst, NULL, &r);
		} else if (dry) {
			print_preview(&r, pv, pos[i]);
		} else {
			if (mdr)
				printf("%s: %lld rows: %lld messages stored, %lld duplicates, %lld rejected (import %lld)\n",
				       cli_vis(pos[i]), (long long)r.rows, (long long)r.st.inserted,
				       (long long)r.st.duplicates, (long long)r.rejected, (long long)r.import_id);
			else
				printf("%s (%s): %lld rows: %lld stored (%lld rated, %lld unrated, %lld not connected, "
				       "%lld extra legs, %lld emergency), %lld duplicates, %lld rejected (import %lld)\n",
				       cli_vis(pos[i]), cdrfmt_name(r.format), (long long)r.rows, (long long)r.st.inserted,
				       (long long)r.st.rated, (long long)r.st.unrated, (long long)r.st.not_connected,
				       (long long)r.st.extra_legs, (long long)r.st.emergency, (long long)r.st.duplicates,
				       (long long)r.rejected, (long long)r.import_id);
			printf("  rows read %lld = %lld stored + %lld duplicates + %lld rejected",
			       (long long)r.rows, (long long)r.st.inserted, (long long)r.st.duplicates,
			       (long long)r.rejected);
			if (!mdr)
				printf("; calls written as several rows: %lld", (long long)r.st.multi_row_calls);
			if (r.repaired || lenient)
				printf("; quoting repaired (--lenient): %lld rows", (long long)r.repaired);
			if (r.st.accounts_created)
				printf("; accounts created: %lld%s%s", (long long)r.st.accounts_created,
				       deck ? " with deck " : "", deck ? cli_vis(deck) : "");
			putchar('\n');
		}
		if (dry)
			continue;
		if (r.rejected)
			fprintf(stderr, "billtop: %s: %lld rows rejected: see `billtop rejects --import %lld`\n",
			        cli_vis(pos[i]), (long long)r.rejected, (long long)r.import_id);
		if (r.st.unrated)
			fprintf(stderr, "billtop: %s: %lld connected calls have no rate (no deck or no prefix): "
			        "see `billtop cdrs ACCOUNT --unrated`\n", cli_vis(pos[i]), (long long)r.st.unrated);
		if (r.st.dated_later) /* issue 10: shown apart, counted from their own time */
			fprintf(stderr, "billtop: %s: warning: %lld records dated after now (a switch clock running "
			        "ahead?): they count from their own time, not in today's balance\n", cli_vis(pos[i]),
			        (long long)r.st.dated_later);
		if (r.st.internal && fmt != FMT_JSON) /* dial plans (issue 9): counted apart, never charged */
			printf("%s: %lld internal calls (extensions, feature codes, voicemail): not charged\n",
			       cli_vis(pos[i]), (long long)r.st.internal);
	}
	if (fmt == FMT_JSON) {
		out_json_end(&j);
		out_json_done(&j);
	}
	db_close(db);
	free(pv);
	return rc;
}
