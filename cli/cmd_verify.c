/* cmd_verify.c: billtop verify. */
#include "../data/verify.h"
#include "cli.h"

static void print_finding(const char *finding, void *ctx)
{
	(void)ctx;
	printf("DIFFERENCE: %s\n", finding);
}

const cli_command cmd_verify_entry = {
	.name = "verify",
	.usage = "verify",
	.summary = "re-derive every balance, rollup, charge and suspension; exit 1 on any difference",
	.help = NULL,
	.fn = cmd_verify,
};

int cmd_verify(const cli_global *g, int argc, char **argv)
{
	const char *pos[1];
	int npos;
	verify_result r;
	db_t *db;
	if (cli_parse("verify", argc, argv, NULL, pos, 0, &npos) < 0)
		return 2;
	if (!(db = cli_open(g, 0, 0)))
		return 1;
	if (verify_all(db, print_finding, NULL, &r) != DB_OK) {
		int rc = cli_error("verify: %s", db_errmsg(db));
		db_close(db);
		return rc;
	}
	db_close(db);
	printf("verify: %lld accounts, %lld charged calls re-rated, rollups and suspensions re-derived: %lld differences\n",
	       (long long)r.accounts, (long long)r.cdrs_checked, (long long)r.differences);
	return r.differences ? 1 : 0;
}
