/* cmd_init.c: init (create the database). */
#include "cli.h"

const cli_command cmd_init_entry = {
	.name = "init",
	.usage = "init",
	.summary = "create the database (schema versioned, migrations forward-only)",
	.help = NULL,
	.fn = cmd_init,
};

int cmd_init(const cli_global *g, int argc, char **argv)
{
	const char *pos[1];
	int npos;
	db_t *db;
	if (cli_parse("init", argc, argv, NULL, pos, 0, &npos) < 0)
		return 2;
	if (!(db = cli_open(g, 1, 1)))
		return 1;
	printf("%s: ready (schema version %d)\n", cli_vis(db_label(db, db_default_path(g->db_path))), DB_SCHEMA_VERSION);
	db_close(db);
	return 0;
}
