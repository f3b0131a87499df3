/* cmd_import.c: import cdr|mdr, rejects. */
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

int cmd_rejects(const cli_global *g, int argc, char **argv)
{
	const char *imp = NULL, *format = NULL, *pos[1];
	int npos, fmt;
	cli_opt opts[] = { { "--import", 1, &imp, NULL }, { "--format", 1, &format, NULL }, { NULL, 0, NULL, NULL } };
	sqlite3_stmt *st;
	db_t *db;
	out_csv csv;
	out_json j;
	if (cli_parse("rejects", argc, argv, opts, pos, 0, &npos) < 0)
		return 2;
	if ((fmt = cli_format("rejects", format, 1)) < 0)
		return 2;
	if (!(db = cli_open(g, 0, 0)))
		return 1;
	if (sqlite3_prepare_v2(db->sql, "SELECT import_id, path, line, reason, raw FROM reject"
	                       " WHERE ?1 IS NULL OR import_id = ?1 ORDER BY import_id, line", -1, &st, NULL) != SQLITE_OK) {
		db_close(db);
		return cli_error("rejects: %s", sqlite3_errmsg(db->sql));
	}
	if (imp)
		sqlite3_bind_int64(st, 1, strtoll(imp, NULL, 10));
	out_csv_init(&csv, stdout);
	out_json_init(&j, stdout, 1);
	if (fmt == FMT_CSV) {
		out_csv_cell(&csv, "import");
		out_csv_cell(&csv, "file");
		out_csv_cell(&csv, "line");
		out_csv_cell(&csv, "reason");
		out_csv_cell(&csv, "row");
		out_csv_end(&csv);
	} else if (fmt == FMT_JSON) {
		out_json_arr(&j, NULL);
	}
	/* The row is kept as a blob exactly as read (it may hold NULs, invalid
	 * UTF-8, escape sequences): CSV and JSON carry all of it under their
	 * contracts (out.h); the text form shows the first 2 KB made visible. */
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *path = (const char *)sqlite3_column_text(st, 1);
		const char *reason = (const char *)sqlite3_column_text(st, 3);
		int64_t line = sqlite3_column_int64(st, 2), id = sqlite3_column_int64(st, 0);
		const char *raw = sqlite3_column_blob(st, 4);
		size_t n = (size_t)sqlite3_column_bytes(st, 4);
		if (!raw)
			raw = "", n = 0;
		if (fmt == FMT_CSV) {
			out_csv_int(&csv, id);
			out_csv_cell(&csv, path);
			out_csv_int(&csv, line);
			out_csv_cell(&csv, reason);
			out_csv_celln(&csv, raw, n);
			out_csv_end(&csv);
		} else if (fmt == FMT_JSON) {
			out_json_obj(&j, NULL);
			out_json_int(&j, "import", id);
			out_json_str(&j, "file", path);
			out_json_int(&j, "line", line);
			out_json_str(&j, "reason", reason);
			out_json_strn(&j, "row", raw, n);
			out_json_int(&j, "row_bytes", (int64_t)n);
			out_json_end(&j);
		} else {
			char vis[2048];
			size_t shown = n > 2000 ? 2000 : n;
			out_visible_n(raw, shown, vis, sizeof vis, 0);
			printf("%s:%lld: %s (import %lld)\n    %s%s\n", cli_vis(path), (long long)line, cli_vis(reason),
			       (long long)id, vis, shown < n ? " ..." : "");
			if (shown < n)
				printf("    (%zu bytes; `billtop rejects --format json` has all of it)\n", n);
		}
	}
	sqlite3_finalize(st);
	if (fmt == FMT_JSON) {
		out_json_end(&j);
		out_json_done(&j);
	}
	db_close(db);
	return 0;
}
