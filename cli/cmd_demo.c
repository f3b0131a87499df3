/* cmd_demo.c: billtop demo: build (or rebuild) the demo database. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../data/demo.h"
#include "cli.h"
#include "../console/tui.h"

/* Remove a previous demo database (and its WAL files); refuse anything else. */
static int clear_old_demo(const char *path)
{
	struct stat sb;
	db_t *db;
	char msg[512], v[8];
	int is_demo;
	if (stat(path, &sb) != 0)
		return 0;
	if (db_open(path, DB_OPEN_READONLY, &db, msg, sizeof msg) != DB_OK)
		return cli_error("%s exists and is not a billtop database: choose another --db", path), -1;
	is_demo = db_meta_get(db, "demo", v, sizeof v) == 0;
	db_close(db);
	if (!is_demo)
		return cli_error("%s holds real data, not a demo: choose another --db", path), -1;
	char side[1100];
	unlink(path);
	snprintf(side, sizeof side, "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", path);
	unlink(side);
	return 0;
}

int cmd_demo(const cli_global *g, int argc, char **argv)
{
	const char *dbpath = NULL, *days = NULL, *seed = NULL, *scale = NULL, *pos[1];
	int npos, quiet = 0, no_console = 0;
	cli_opt opts[] = { { "--db", 1, &dbpath, NULL }, { "--days", 1, &days, NULL }, { "--seed", 1, &seed, NULL },
	                   { "--scale", 1, &scale, NULL }, { "--quiet", 0, NULL, &quiet },
	                   { "--no-console", 0, NULL, &no_console }, { NULL, 0, NULL, NULL } };
	cli_global gg = *g;
	demo_opts o;
	demo_result r;
	db_t *db;
	if (cli_parse("demo", argc, argv, opts, pos, 0, &npos) < 0)
		return 2;
	if (dbpath)
		gg.db_path = dbpath;
	memset(&o, 0, sizeof o);
	o.days = days ? atoi(days) : 92;
	o.seed = seed ? strtoull(seed, NULL, 10) : 2026;
	o.scale = scale ? atoi(scale) : 1;
	o.now = db_now();
	if (o.days < 1 || o.days > 3660 || o.scale < 1)
		return cli_usage_error("demo", "--days 1..3660, --scale >= 1");
	if (clear_old_demo(db_default_path(gg.db_path)) < 0)
		return 1;
	if (!(db = cli_open(&gg, 1, 1)))
		return 1;
	if (demo_build(db, &o, &r) != DB_OK) {
		int rc = cli_error("demo: %s", db_errmsg(db));
		db_close(db);
		return rc;
	}
	db_close(db);
	if (!quiet && !no_console && isatty(1) && isatty(0))
		return tui_run(db_default_path(gg.db_path), 0, gg.ascii, gg.no_color);
	if (!quiet) {
		printf("demo database %s: %d days, %lld calls (%lld rated), %lld messages, %lld ledger entries\n\n",
		       db_default_path(gg.db_path), o.days, (long long)r.calls, (long long)r.st.rated,
		       (long long)r.messages, (long long)r.ledger_entries);
		char *args[] = { "balance", NULL };
		return cmd_balance(&gg, 1, args);
	}
	return 0;
}
