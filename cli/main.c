/* main.c: `billtop` entry point. Global options, then a command from the
 * table below (the same table drives `billtop help`). In a usage text,
 * @FORMATS@ stands for the CDR formats' names (cdrfmt_names_list), so a new
 * format shows in every --format list. */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../data/cdrfmt.h"
#include "cli.h"
#include "../console/tui.h"

const cli_command cli_commands[] = {
	{ "init", cmd_init, "init", "create the database (schema versioned, migrations forward-only)", NULL },
	{ "account", cmd_account,
	  "account add NAME [--currency USD] [--decimals 4] [--rounding up|half-up|half-even|down]"
	  " [--low-balance AMOUNT]\n       [--country CC [--national-prefix P|none] [--intl-prefix P[,P]]]\n"
	  "       billtop account list [--format text|csv|json]\n"
	  "       billtop account set NAME [--deck NAME] [--low-balance AMOUNT] [--country CC|none]\n"
	  "       [--national-prefix P|none] [--intl-prefix P[,P]]",
	  "add, list and configure prepaid accounts",
	  "Rounding and decimals apply to every rated call of the account: each call's\n"
	  "cost is computed exactly and rounded once, to DECIMALS, by the mode.\n"
	  "--country CC gives the account a dial plan: the calling code (1, 44, 998...)\n"
	  "brings its trunk prefix, international prefixes and number lengths from a\n"
	  "built-in table. Every destination is then normalised to E.164 before rating;\n"
	  "extensions, feature codes and voicemail are internal calls (never charged,\n"
	  "never unrated); a number that cannot be valid for the plan is unrated with\n"
	  "the reason. Without a plan, numbers are rated on their digits as written." },
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
	  "stores the others and exits 4 (5 when every row was rejected). --dry-run\n"
	  "prints the column mapping and the first rows as they would be stored, and\n"
	  "writes nothing.\n"
	  "With --effective DATE the file replaces the deck from that date on: older\n"
	  "rows it omits stop at DATE; rated calls before DATE keep their rates." },
	{ "import", cmd_import,
	  "import cdr FILE... [--format @FORMATS@]\n"
	  "       [--account NAME] [--tz ZONE] [--map field=Column,...] [--date-format FMT] [--keep-going]\n"
	  "       [--lenient] [--create-accounts [--deck NAME]] [--dry-run] [--report text|json] [--quiet]\n"
	  "       billtop import mdr FILE... [--account NAME] [--tz ZONE] [--date-format FMT] [--keep-going]\n"
	  "       [--lenient] [--report text|json]",
	  "rate and store call (cdr) or messaging (mdr) records",
	  "Each file is one transaction: all of it or nothing. A bad row stops the\n"
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
	  "get a warning naming the offset and a zone (the import goes on as UTC)." },
	{ "ingest", cmd_ingest,
	  "ingest [--follow] FILE [--format @FORMATS@]\n"
	  "       [--account NAME] [--tz ZONE] [--map field=Column,...] [--date-format FMT]\n"
	  "       [--create-accounts] [--batch-ms 200] [--batch-rows 500] [--poll-ms 50] [--quiet] [--verbose]",
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
	  "ledger add ACCOUNT KIND AMOUNT --memo TEXT [--at TIME [--future]] [--ref KEY]\n"
	  "       billtop ledger list ACCOUNT [--from TIME] [--to TIME] [--as-of TIME] [--format text|csv|json]",
	  "post or list ledger entries (deposit payment adjustment mrc nrc e911 cnam)",
	  "Amounts are typed positive; the kind gives the sign (deposit and payment\n"
	  "credit, the others debit). An adjustment is signed and needs --memo.\n"
	  "Posted entries never change: a correction is a new entry.\n"
	  "--ref KEY makes a retry safe: KEY (unique per account) is kept with the\n"
	  "entry; the same command again posts nothing, prints the entry KEY names\n"
	  "and exits 0; KEY given with another kind or amount posts nothing and\n"
	  "exits 3. `ledger list` and `audit` show the ref.\n"
	  "--at TIME after now is refused (a typo for another year?) unless --future\n"
	  "is given: the entry is then scheduled and counts only from TIME (it can\n"
	  "neither restore nor suspend the account before). `ledger list` marks the\n"
	  "entries dated after now (or --as-of TIME) as scheduled." },
	{ "balance", cmd_balance, "balance [ACCOUNT] [--as-of TIME] [--format text|json]",
	  "balance, status (active / suspended since) and breakdown",
	  "As of now (the clock: --now, $BILLTOP_NOW) or --as-of TIME: what is dated\n"
	  "later (a scheduled entry, calls from a switch whose clock runs ahead) is\n"
	  "shown apart, with the next scheduled transition, never in the balance." },
	{ "statement", cmd_statement,
	  "statement ACCOUNT --month YYYY-MM | --year YYYY [--as-of TIME] [--format text|csv|json] [-o FILE]",
	  "MRC & NRC transaction statement with opening and closing balance",
	  "A period not ended (as of now, or --as-of TIME) is shown to date: its\n"
	  "figures and balance up to that time; entries scheduled later in it are\n"
	  "counted apart. A period that ended less than 24 hours before gets a\n"
	  "warning: late CDRs may still arrive." },
	{ "cdrs", cmd_cdrs,
	  "cdrs ACCOUNT [--from TIME] [--to TIME] [--as-of TIME] [--unrated] [--internal] [--number DIGITS]\n"
	  "       [--disposition TEXT] [--prefix DIGITS] [--limit N] [--format text|csv|json] [-o FILE]",
	  "per-call charges, including CNAM lookup costs, newest first",
	  "Calls dated after now (or --as-of TIME) are not listed: a warning counts\n"
	  "them (a switch whose clock runs ahead)." },
	{ "mdrs", cmd_mdrs, "mdrs ACCOUNT [--from TIME] [--to TIME] [--as-of TIME] [--format text|csv|json] [-o FILE]",
	  "every message (MDR) with its charge, oldest first; the total is the statement's messaging line",
	  "Messages dated after now (or --as-of TIME) are not listed: a warning counts\n"
	  "them." },
	{ "cnams", cmd_cnams, "cnams ACCOUNT [--from TIME] [--to TIME] [--as-of TIME] [--format text|csv|json] [-o FILE]",
	  "every CNAM charge with its source, oldest first; the total is the statement's CNAM line",
	  "A charge is a lookup fee on a call (the number looked up, the name the\n"
	  "caller id returned) or a ledger entry of kind cnam (its memo). Charges\n"
	  "dated after now (or --as-of TIME) are not listed: a warning counts them.\n"
	  "--to before --from is refused." },
	{ "explain", cmd_explain, "explain CALL-ID [--format text|json]",
	  "how one call was rated: rate row, increments, exact cost, rounding, every rating", NULL },
	{ "rerate", cmd_rerate,
	  "rerate ACCOUNT|--all --memo TEXT [--from TIME] [--to TIME] [--deck NAME] [--only-unrated]\n"
	  "       [--dry-run] [--format text|json]",
	  "rate stored calls again (a deck added or corrected): append-only corrections",
	  "Rates the connected calls that are rated or unrated (in [--from, --to) of\n"
	  "their start; --only-unrated: the unrated ones) again on the account's deck\n"
	  "or --deck NAME, with the call's own dial plan and the account's rounding.\n"
	  "A call whose charge changes gets a correction: its first rating is kept,\n"
	  "the new one is appended with who, when, --memo and the deck, and balances,\n"
	  "rollups, the suspension history and flags follow it. One transaction per\n"
	  "account: all of its corrections or none (--all: each account in turn).\n"
	  "A call already rated as the deck says is left alone: the same rerate twice\n"
	  "changes nothing. --dry-run prints the difference per account and prefix\n"
	  "and writes nothing. `explain CALL-ID` lists every rating of a call; the\n"
	  "statement of the calls' month shows each run as a correction line." },
	{ "usage", cmd_usage,
	  "usage ACCOUNT --window 12h|3d|week|month|this-week|this-month [--by hour|day|weekday|destination]\n"
	  "       [--as-of TIME] [--format text|csv|json]",
	  "calls, connected, ASR, ACD, minutes and cost per bucket",
	  "Windows end now (or at --as-of TIME; nothing dated later is counted): 12h\n"
	  "is the last 12 hours by hour; 3d, week, month are the last 3, 7, 30 UTC\n"
	  "days; this-week is the ISO week (Monday on)." },
	{ "investigate", cmd_investigate,
	  "investigate ACCOUNT --theirs FILE [--from TIME --to TIME] [--match-ids]\n"
	  "       [--theirs-format @FORMATS@]\n"
	  "       [--theirs-map field=Column,...] [--theirs-tz ZONE] [--theirs-date-format FMT]\n"
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
	{ "watch", cmd_watch, "watch --exec CMD [--once] [--timeout 30] [--max-backoff 300] [--quiet]\n"
	  "       billtop watch --status [--all] [--format text|json]",
	  "run CMD once per account transition: low balance, suspended, restored",
	  "Every transition of an account (its low-balance mark crossed downward,\n"
	  "suspended, restored) is an alert, recorded with the record that caused it\n"
	  "when that record is committed, so none is missed while watch is down.\n"
	  "watch runs /bin/sh -c CMD once per alert, oldest first, with BILLTOP_ACCOUNT,\n"
	  "BILLTOP_EVENT (low_balance|suspended|restored), BILLTOP_BALANCE,\n"
	  "BILLTOP_CURRENCY, BILLTOP_AT (ISO 8601 UTC), BILLTOP_AT_EPOCH, BILLTOP_CAUSE,\n"
	  "BILLTOP_CAUSE_KIND (ledger|cdr|mdr), BILLTOP_CAUSE_ID (entry number or record\n"
	  "id), BILLTOP_LOW_BALANCE, BILLTOP_ALERT_ID, BILLTOP_ATTEMPT and BILLTOP_DB.\n"
	  "Exit 0 marks it sent; anything else (or --timeout) is reported on stderr and\n"
	  "retried after 1, 2, 4 ... s up to --max-backoff; an account's later alerts\n"
	  "wait for its earlier one. It notices a commit within 0.2 s. At least once: a\n"
	  "watch killed while CMD runs sends that alert again. --once sends what is\n"
	  "pending (failed ones once each) and exits 1 if any failed (for cron).\n"
	  "--status lists the alerts not yet sent (--all: every alert)." },
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

static void print_help(FILE *f)
{
	fputs("usage: billtop [--db PATH] [--now TIME] [--read-only] [--ascii] [--no-color] [COMMAND [ARGS]]\n\n"
	      "Prepaid billing: exact rating, an append-only ledger, live balances.\n"
	      "Without a command, billtop opens the console on the database.\n"
	      "The database is --db PATH, else $BILLTOP_DB, else ./billtop.db.\n"
	      "The clock is --now TIME, else $BILLTOP_NOW, else the system's: every figure\n"
	      "is as of now (or --as-of TIME); records dated later are shown apart.\n\n"
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
