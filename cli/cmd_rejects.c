/* cmd_rejects.c: rejects (rows refused by --keep-going imports). */
#include <stdlib.h>

#include "../data/out.h"
#include "cli.h"

const cli_command cmd_rejects_entry = {
	.name = "rejects",
	.usage = "rejects [--import ID] [--format text|csv|json]",
	.summary = "list rows refused by --keep-going imports, with file, line and reason",
	.help = NULL,
	.fn = cmd_rejects,
};

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
