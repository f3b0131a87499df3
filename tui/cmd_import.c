/* cmd_import.c: import cdr|mdr, rejects. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../data/import.h"
#include "../data/out.h"
#include "cli.h"

int cmd_import(const cli_global *g, int argc, char **argv)
{
	const char *format = NULL, *account = NULL, *tz = NULL, *map = NULL, *date_format = NULL, *pos[256];
	int keep_going = 0, create = 0, quiet = 0, npos, rc = 0, mdr;
	cli_opt opts[] = {
		{ "--format", 1, &format, NULL }, { "--account", 1, &account, NULL }, { "--tz", 1, &tz, NULL },
		{ "--map", 1, &map, NULL }, { "--date-format", 1, &date_format, NULL },
		{ "--keep-going", 0, NULL, &keep_going },
		{ "--create-accounts", 0, NULL, &create }, { "--quiet", 0, NULL, &quiet }, { NULL, 0, NULL, NULL } };
	import_opts o;
	db_t *db;

	if (cli_parse("import", argc, argv, opts, pos, 256, &npos) < 0)
		return 2;
	if (npos < 2 || (strcmp(pos[0], "cdr") != 0 && strcmp(pos[0], "mdr") != 0))
		return cli_usage_error("import", "say `import cdr FILE...` or `import mdr FILE...`");
	mdr = strcmp(pos[0], "mdr") == 0;
	memset(&o, 0, sizeof o);
	o.format = CDRFMT_AUTO;
	if (format && cdrfmt_parse_name(format, &o.format) != 0)
		return cli_usage_error("import", "unknown --format \"%s\"", format);
	o.account = account;
	o.tz = tz;
	o.map = map;
	o.date_format = date_format;
	o.keep_going = keep_going;
	o.create_accounts = create;
	o.progress = !quiet && isatty(2);
	if (!(db = cli_open(g, 0, 1)))
		return 1;
	for (int i = 1; i < npos; i++) {
		import_result r;
		int st = mdr ? import_mdr_file(db, pos[i], &o, &r) : import_cdr_file(db, pos[i], &o, &r);
		if (st != DB_OK) {
			cli_error("%s", db_errmsg(db));
			fprintf(stderr, "billtop: %s: nothing imported (the database is unchanged)\n", cli_vis(pos[i]));
			rc = 1;
			continue;
		}
		if (r.dates.hint[0]) /* a warning: the import went on reading times as UTC */
			fprintf(stderr, "billtop: %s: %s\n", cli_vis(pos[i]), r.dates.hint);
		if (mdr)
			printf("%s: %lld rows: %lld messages stored, %lld duplicates, %lld rejected (import %lld)\n",
			       cli_vis(pos[i]), (long long)r.rows, (long long)r.st.inserted, (long long)r.st.duplicates,
			       (long long)r.rejected, (long long)r.import_id);
		else
			printf("%s (%s): %lld rows: %lld stored (%lld rated, %lld unrated, %lld not connected, "
			       "%lld extra legs, %lld emergency), %lld duplicates, %lld rejected (import %lld)\n",
			       cli_vis(pos[i]), cdrfmt_name(r.format), (long long)r.rows, (long long)r.st.inserted,
			       (long long)r.st.rated, (long long)r.st.unrated, (long long)r.st.not_connected,
			       (long long)r.st.extra_legs, (long long)r.st.emergency, (long long)r.st.duplicates,
			       (long long)r.rejected, (long long)r.import_id);
		if (r.rejected)
			fprintf(stderr, "billtop: %s: %lld rows rejected: see `billtop rejects --import %lld`\n",
			        cli_vis(pos[i]), (long long)r.rejected, (long long)r.import_id);
		if (r.st.unrated)
			fprintf(stderr, "billtop: %s: %lld connected calls have no rate (no deck or no prefix): "
			        "see `billtop cdrs ACCOUNT --unrated`\n", cli_vis(pos[i]), (long long)r.st.unrated);
		if (r.st.internal) /* dial plans (issue 9): counted apart, never charged */
			printf("%s: %lld internal calls (extensions, feature codes, voicemail): not charged\n",
			       cli_vis(pos[i]), (long long)r.st.internal);
	}
	db_close(db);
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
