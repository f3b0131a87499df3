/* main.c: `billtop` entry point. Global options, then a command from the
 * list below (the same list drives `billtop help`; cmd_help.c prints it). */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "../console/tui.h"

/* Every command, in the order `billtop help` lists them. Each entry (name,
 * usage, summary, help, function) is defined in the command's own file,
 * next to the function that parses its options (cli/cmd_NAME.c). */
const cli_command *const cli_commands[] = {
	&cmd_init_entry,
	&cmd_account_entry,
	&cmd_rates_entry,
	&cmd_import_entry,
	&cmd_ingest_entry,
	&cmd_rejects_entry,
	&cmd_ledger_entry,
	&cmd_balance_entry,
	&cmd_statement_entry,
	&cmd_cdrs_entry,
	&cmd_mdrs_entry,
	&cmd_cnams_entry,
	&cmd_explain_entry,
	&cmd_rerate_entry,
	&cmd_usage_entry,
	&cmd_investigate_entry,
	&cmd_cases_entry,
	&cmd_case_entry,
	&cmd_audit_entry,
	&cmd_verify_entry,
	&cmd_archive_entry,
	&cmd_watch_entry,
	&cmd_demo_entry,
	&cmd_help_entry,
	NULL
};

const cli_command *cli_find_command(const char *name)
{
	for (const cli_command *const *c = cli_commands; *c; c++)
		if (strcmp((*c)->name, name) == 0)
			return *c;
	return NULL;
}

int main(int argc, char **argv)
{
	cli_global g = { NULL, 0, 0, 0 };
	int i = 1;
	const cli_command *c;

	int now_given = 0;

	setlocale(LC_ALL, "");
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
			g.db_path = argv[++i];
		} else if (strncmp(argv[i], "--db=", 5) == 0) {
			g.db_path = argv[i] + 5;
		} else if (strcmp(argv[i], "--now") == 0 || strncmp(argv[i], "--now=", 6) == 0) {
			const char *t = argv[i][5] == '=' ? argv[i] + 6 : i + 1 < argc ? argv[++i] : NULL;
			if (!t || db_clock_set(t) != 0) {
				fprintf(stderr, "billtop: --now \"%s\": not a time (YYYY-MM-DD[ HH:MM[:SS]], ISO 8601 or epoch"
				        " seconds)\n", t ? t : "");
				return 2;
			}
			now_given = 1;
		} else if (strcmp(argv[i], "--read-only") == 0) {
			g.read_only = 1;
		} else if (strcmp(argv[i], "--ascii") == 0) {
			g.ascii = 1;
		} else if (strcmp(argv[i], "--no-color") == 0) {
			g.no_color = 1;
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			cli_print_help(stdout);
			return 0;
		} else if (strcmp(argv[i], "--version") == 0) {
			puts("billtop 0.1");
			return 0;
		} else {
			fprintf(stderr, "billtop: unknown option %s (see `billtop help`)\n", argv[i]);
			return 2;
		}
	}
	if (!now_given && db_clock_init() != 0) {
		fprintf(stderr, "billtop: BILLTOP_NOW \"%s\": not a time (YYYY-MM-DD[ HH:MM[:SS]], ISO 8601 or epoch"
		        " seconds)\n", getenv("BILLTOP_NOW"));
		return 2;
	}
	if (i >= argc)
		return tui_run(db_default_path(g.db_path), g.read_only, g.ascii, g.no_color);
	if (!(c = cli_find_command(argv[i]))) {
		fprintf(stderr, "billtop: no command \"%s\" (see `billtop help`)\n", argv[i]);
		return 2;
	}
	for (int k = i + 1; k < argc; k++)
		if (strcmp(argv[k], "--help") == 0 || strcmp(argv[k], "-h") == 0) {
			cli_print_command_help(c, stdout);
			return 0;
		}
	return c->fn(&g, argc - i, argv + i);
}
