/* main.c: `billtop` entry point. Global options, then a command from the
 * table below (the same table drives `billtop help`). */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "tui.h"

const cli_command cli_commands[] = {
	{ "init", cmd_init, "init", "create the database (schema versioned, migrations forward-only)", NULL },
	{ "account", cmd_account,
	  "account add NAME [--currency USD] [--decimals 4] [--rounding up|half-up|half-even|down]"
	  " [--low-balance AMOUNT]\n       billtop account list [--format text|csv|json]\n"
	  "       billtop account set NAME [--deck NAME] [--low-balance AMOUNT]",
	  "add, list and configure prepaid accounts",
	  "Rounding and decimals apply to every rated call of the account: each call's\n"
	  "cost is computed exactly and rounded once, to DECIMALS, by the mode." },
	{ "rates", cmd_rates, "rates import FILE [--deck NAME] [--effective YYYY-MM-DD] [--map field=Column,...]\n"
	  "       [--add-prefix DIGITS] [--rate-column NAME] [--dry-run] [--keep-going] [--format text|json]\n"
	  "       billtop rates list DECK [--prefix DIGITS] [--format text|csv|json]",
	  "import a rate deck CSV (prefix, rate, increments, connect fee, grace)",
	  "Columns are found by name, compared without case, spaces, punctuation or units\n"
	  "(\"Cost / Min (USD)\" is costmin): the names A-Z carrier decks, ASTPP, A2Billing,\n"
	  "MagnusBilling, IvozProvider, Neon and US NPA-NXX decks use. --map field=Column\n"
	  "(a header name, a 1-based number, or - for none) names the others; a file\n"
	  "without a header is read when every --map is a number. Fields: prefix,\n"
	  "description, rate, first_increment, increment, billing_increment (60/60),\n"
	  "connect_fee, grace, free_seconds, effective, end, npa, nxx, npanxx, action.\n"
	  "NPA-NXX decks need --add-prefix 1 and, with several rate columns\n"
	  "(interstate, intrastate, indeterminate), --rate-column NAME.\n"
	  "An increment of 0 is 1 s; a first increment of 0 is the increment (ASTPP).\n"
	  "Warnings (FILE:LINE: warning: ...): a zero rate, a rate more than 20 times\n"
	  "the deck's median, a prefix written with separators, a row repeated. Rows\n"
	  "that cannot be meant (FILE:LINE: reason) refuse the import; --keep-going\n"
	  "stores the others and exits 3. --dry-run prints the column mapping and the\n"
	  "first rows as they would be stored, and writes nothing.\n"
	  "With --effective DATE the file replaces the deck from that date on: older\n"
	  "rows it omits stop at DATE; rated calls before DATE keep their rates." },
	{ "import", cmd_import,
	  "import cdr FILE... [--format auto|asterisk|asterisk-custom|freeswitch|flowroute|generic]\n"
	  "       [--account NAME] [--tz ZONE] [--map field=Column,...] [--keep-going] [--create-accounts]\n"
	  "       billtop import mdr FILE... [--account NAME] [--tz ZONE] [--keep-going]",
	  "rate and store call (cdr) or messaging (mdr) records",
	  "Each file is one transaction: all of it or nothing. A bad row stops the\n"
	  "import with FILE:LINE: reason; with --keep-going the good rows go in and\n"
	  "every bad row is kept (see `billtop rejects`). Re-importing adds nothing twice.\n"
	  "--map fields: call_id start answer end src dst duration billsec disposition\n"
	  "cost account clid billed cnam direction." },
	{ "ingest", cmd_ingest,
	  "ingest [--follow] FILE [--format auto|asterisk|asterisk-custom|freeswitch|flowroute|generic]\n"
	  "       [--account NAME] [--tz ZONE] [--map field=Column,...] [--create-accounts]\n"
	  "       [--batch-ms 200] [--batch-rows 500] [--poll-ms 50] [--quiet] [--verbose]",
	  "rate a CDR file as the switch writes it (Master.csv), resuming where it stopped",
	  "Reads the complete lines after the position saved for FILE (never a half-\n"
	  "written last line), rates and stores them like `import cdr` (same record ids:\n"
	  "nothing is stored twice) and commits in small batches together with the new\n"
	  "position, so a restart resumes exactly after the last committed record.\n"
	  "With --follow it keeps reading as the file grows until SIGINT or SIGTERM\n"
	  "(it commits what it read, then exits 0); without, it stops at the end.\n"
	  "A rotated file (a new file at the path, or the file shrank) is picked up\n"
	  "from its start after the old one is read to its end. Bad rows never stop\n"
	  "the feed: they are kept (see `billtop rejects`)." },
	{ "rejects", cmd_rejects, "rejects [--import ID] [--format text|csv|json]",
	  "list rows refused by --keep-going imports, with file, line and reason", NULL },
	{ "ledger", cmd_ledger,
	  "ledger add ACCOUNT KIND AMOUNT --memo TEXT [--at TIME] [--ref KEY]\n"
	  "       billtop ledger list ACCOUNT [--from TIME] [--to TIME] [--format text|csv|json]",
	  "post or list ledger entries (deposit payment adjustment mrc nrc e911 cnam)",
	  "Amounts are typed positive; the kind gives the sign (deposit and payment\n"
	  "credit, the others debit). An adjustment is signed and needs --memo.\n"
	  "Posted entries never change: a correction is a new entry.\n"
	  "--ref KEY makes a retry safe: KEY (unique per account) is kept with the\n"
	  "entry; the same command again posts nothing, prints the entry KEY names\n"
	  "and exits 0; KEY given with another kind or amount posts nothing and\n"
	  "exits 3. `ledger list` and `audit` show the ref." },
	{ "balance", cmd_balance, "balance [ACCOUNT] [--format text|json]",
	  "balance, status (active / suspended since) and breakdown", NULL },
	{ "statement", cmd_statement,
	  "statement ACCOUNT --month YYYY-MM | --year YYYY [--format text|csv|json] [-o FILE]",
	  "MRC & NRC transaction statement with opening and closing balance", NULL },
	{ "cdrs", cmd_cdrs,
	  "cdrs ACCOUNT [--from TIME] [--to TIME] [--unrated] [--number DIGITS] [--disposition TEXT]\n"
	  "       [--prefix DIGITS] [--limit N] [--format text|csv|json] [-o FILE]",
	  "per-call charges, including CNAM lookup costs, newest first", NULL },
	{ "explain", cmd_explain, "explain CALL-ID [--format text|json]",
	  "how one call was rated: rate row, increments, exact cost, rounding", NULL },
	{ "usage", cmd_usage,
	  "usage ACCOUNT --window 12h|3d|week|month|this-week|this-month [--by hour|day|weekday|destination]\n"
	  "       [--format text|csv|json]",
	  "calls, connected, ASR, ACD, minutes and cost per bucket",
	  "Windows end now: 12h is the last 12 hours by hour; 3d, week, month are the\n"
	  "last 3, 7, 30 UTC days; this-week is the ISO week (Monday on)." },
	{ "investigate", cmd_investigate,
	  "investigate ACCOUNT --theirs FILE [--from TIME --to TIME] [--match-ids]\n"
	  "       [--theirs-format auto|asterisk|asterisk-custom|freeswitch|flowroute|generic]\n"
	  "       [--theirs-map field=Column,...] [--theirs-tz ZONE]\n"
	  "       [--tolerance count=0.5%,seconds=0.5%,cost=0.5%,cost-abs=0.01,time=5s,max-offset=14h]\n"
	  "       [--keep-going] [--report text|json|csv] [-o FILE]",
	  "reconcile their CDR file with our calls, walk the dispute tree, keep it as a case",
	  "Their file is read with the importers of `import cdr` but stored nowhere\n"
	  "but the case. Compares UTC daily totals, finds the worst day; missing calls\n"
	  "are narrowed to the hour and listed; otherwise the single call with the\n"
	  "biggest duration or cost difference is shown with our rating. Call charges\n"
	  "are compared; CNAM fees are totalled apart. The period is [--from, --to)\n"
	  "(start times), by default the UTC days their file covers. A bad row stops\n"
	  "with FILE:LINE: reason; --keep-going skips and lists them in the report.\n"
	  "Calls pair on numbers and start/answer within time= seconds (after any\n"
	  "clock offset found), or on record ids first with --match-ids." },
	{ "cases", cmd_cases, "cases [ACCOUNT] [--format text|csv|json] [-o FILE]",
	  "list dispute investigations (cases), newest first", NULL },
	{ "case", cmd_case, "case ID [--report text|json|csv] [-o FILE] [--note TEXT] [--close]",
	  "reopen a case (its stored report), add a note, or close it",
	  "The report is shown as it was written; the text form leads with the\n"
	  "case's status and notes. Notes are append-only; a closed case stays closed." },
	{ "audit", cmd_audit, "audit [--from TIME] [--to TIME] [--format text|csv|json] [-o FILE]",
	  "who posted, imported, followed, re-priced or investigated what, and when",
	  "Lists ledger entries (by the time they were posted), CDR and MDR imports,\n"
	  "live-feed sessions (ingest), rate deck imports and investigations opened\n"
	  "and closed, newest first, each with its operator ($USER) and SSH client\n"
	  "($SSH_CLIENT). --from/--to select [FROM, TO) on the time of the action." },
	{ "verify", cmd_verify, "verify",
	  "re-derive every balance, rollup, charge and suspension; exit 1 on any difference", NULL },
	{ "demo", cmd_demo, "demo [--db PATH] [--days N] [--seed N] [--scale N] [--quiet] [--no-console]",
	  "build a demo database and open the console on it",
	  "Four accounts, a rate deck and three months of traffic generated by our own\n"
	  "code. The console opens when standard output is a terminal (not with\n"
	  "--quiet or --no-console); otherwise the balances are printed." },
	{ "help", cmd_help, "help [COMMAND]", "this help", NULL },
	{ NULL, NULL, NULL, NULL, NULL }
};

const cli_command *cli_find_command(const char *name)
{
	for (const cli_command *c = cli_commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

void cli_print_command_help(const cli_command *c, FILE *f)
{
	fprintf(f, "usage: billtop [--db PATH] %s\n\n%s.\n", c->usage, c->summary);
	if (c->help)
		fprintf(f, "\n%s\n", c->help);
}

static void print_help(FILE *f)
{
	fputs("usage: billtop [--db PATH] [--read-only] [--ascii] [--no-color] [COMMAND [ARGS]]\n\n"
	      "Prepaid billing: exact rating, an append-only ledger, live balances.\n"
	      "Without a command, billtop opens the console on the database.\n"
	      "The database is --db PATH, else $BILLTOP_DB, else ./billtop.db.\n\n"
	      "Commands:\n", f);
	for (const cli_command *c = cli_commands; c->name; c++)
		fprintf(f, "  %-12s %s\n", c->name, c->summary);
	fputs("\nTimes are YYYY-MM-DD[ HH:MM[:SS]] or ISO 8601, UTC unless a zone is given.\n"
	      "`billtop COMMAND --help` describes a command.\n", f);
}

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
	print_help(stdout);
	return 0;
}

int main(int argc, char **argv)
{
	cli_global g = { NULL, 0, 0, 0 };
	int i = 1;
	const cli_command *c;

	setlocale(LC_ALL, "");
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
			g.db_path = argv[++i];
		} else if (strncmp(argv[i], "--db=", 5) == 0) {
			g.db_path = argv[i] + 5;
		} else if (strcmp(argv[i], "--read-only") == 0) {
			g.read_only = 1;
		} else if (strcmp(argv[i], "--ascii") == 0) {
			g.ascii = 1;
		} else if (strcmp(argv[i], "--no-color") == 0) {
			g.no_color = 1;
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			print_help(stdout);
			return 0;
		} else if (strcmp(argv[i], "--version") == 0) {
			puts("billtop 0.1");
			return 0;
		} else {
			fprintf(stderr, "billtop: unknown option %s (see `billtop help`)\n", argv[i]);
			return 2;
		}
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
