/* cmd_help.c: help [COMMAND]: the list of commands (from cli_commands in
 * main.c) and one command's help (from its entry). In a usage text,
 * @FORMATS@ stands for the CDR formats' names (cdrfmt_names_list), so a new
 * format shows in every --format list. */
#include <stdio.h>
#include <string.h>

#include "../data/cdrfmt.h"
#include "cli.h"

/* The usage text with each @FORMATS@ replaced by the format names. */
static void print_usage(const char *u, FILE *f)
{
	static const char mark[] = "@FORMATS@";
	char names[256];
	const char *m;
	cdrfmt_names_list(names, sizeof names);
	while ((m = strstr(u, mark)) != NULL) {
		fwrite(u, 1, (size_t)(m - u), f);
		fputs(names, f);
		u = m + sizeof mark - 1;
	}
	fputs(u, f);
}

void cli_print_command_help(const cli_command *c, FILE *f)
{
	fputs("usage: billtop [--db PATH] [--now TIME] ", f);
	print_usage(c->usage, f);
	fprintf(f, "\n\n%s.\n", c->summary);
	if (c->help)
		fprintf(f, "\n%s\n", c->help);
	if (strstr(c->usage, "@FORMATS@")) { /* the formats, from their descriptors */
		fputs("\nFormats (auto detects them from the first row):\n", f);
		for (int k = CDRFMT_AUTO + 1; k <= CDRFMT_LAST; k++)
			fprintf(f, "  %-16s %s\n  %-16s bills %s\n", cdrfmt_name((cdrfmt_kind)k),
			        cdrfmt_summary((cdrfmt_kind)k), "", cdrfmt_billing((cdrfmt_kind)k));
	}
}

void cli_print_help(FILE *f)
{
	fputs("usage: billtop [--db PATH] [--now TIME] [--read-only] [--ascii] [--no-color] [COMMAND [ARGS]]\n\n"
	      "Prepaid billing: exact rating, an append-only ledger, live balances.\n"
	      "Without a command, billtop opens the console on the database.\n"
	      "The database is --db PATH, else $BILLTOP_DB, else ./billtop.db.\n"
	      "The clock is --now TIME, else $BILLTOP_NOW, else the system's: every figure\n"
	      "is as of now (or --as-of TIME); records dated later are shown apart.\n\n"
	      "Commands:\n", f);
	for (const cli_command *const *c = cli_commands; *c; c++)
		fprintf(f, "  %-12s %s\n", (*c)->name, (*c)->summary);
	fputs("\nTimes are YYYY-MM-DD[ HH:MM[:SS]] or ISO 8601, UTC unless a zone is given.\n"
	      "`billtop COMMAND --help` describes a command.\n", f);
}

const cli_command cmd_help_entry = {
	.name = "help",
	.usage = "help [COMMAND]",
	.summary = "this help",
	.help = NULL,
	.fn = cmd_help,
};

int cmd_help(const cli_global *g, int argc, char **argv)
{
	(void)g;
	if (argc > 1) {
		const cli_command *c = cli_find_command(argv[1]);
		if (!c)
			return cli_error("no command \"%s\" (see `billtop help`)", argv[1]);
		cli_print_command_help(c, stdout);
		return 0;
	}
	cli_print_help(stdout);
	return 0;
}

