/* cli.h: shared pieces of the `billtop` command line: the command table,
 * option parsing, opening the store, and printing money and times. */
#ifndef BILLTOP_CLI_H
#define BILLTOP_CLI_H

#include <stdint.h>
#include <stdio.h>
#include "../core/money.h"
#include "../data/account.h"
#include "../data/db.h"
#include "../front/text.h"

typedef struct {
	const char *db_path;   /* --db, or NULL for the default */
	int read_only;         /* --read-only */
	int ascii;             /* --ascii: console without UTF-8 drawing */
	int no_color;          /* --no-color (NO_COLOR is honoured too) */
} cli_global;

typedef int (*cli_cmd_fn)(const cli_global *g, int argc, char **argv);

/* One command, as its own file cli/cmd_NAME.c defines it (cmd_NAME_entry,
 * next to cmd_NAME, which parses the options). Every --option the usage text
 * names is one its cli_opt tables parse, and the other way round:
 * tests/cli_usage_audit.py checks it on `make unit`. */
typedef struct {
	const char *name;
	const char *usage;     /* "account add NAME [--currency USD] ..." */
	const char *summary;   /* one line */
	const char *help;      /* further lines, may be NULL */
	cli_cmd_fn fn;
} cli_command;

/* The list in main.c, in `billtop help` order; NULL-terminated. */
extern const cli_command *const cli_commands[];

/* Option spec: value options store a pointer to argv text; flags set 1. */
typedef struct {
	const char *name;      /* "--format" */
	int has_arg;
	const char **value;
	int *flag;
} cli_opt;

/* Parse argv[1..] (argv[0] is the command name). Positional arguments go to
 * pos[] (at most maxpos). Accepts --opt VALUE and --opt=VALUE. On error
 * prints "billtop CMD: reason" and returns -1. */
int cli_parse(const char *cmd, int argc, char **argv, const cli_opt *opts,
              const char **pos, int maxpos, int *npos);

/* Print an error "billtop: ..." to stderr; returns the exit status 1. */
int cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Usage error: message and "see billtop CMD --help"; returns 2. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Both print the message made visible (out_visible): record text, names
 * and paths quoted in it cannot act on the terminal. */


/* Open the store for a command. create: DB_OPEN_CREATE allowed. Returns
 * NULL after printing the reason. */
db_t *cli_open(const cli_global *g, int create, int write);

/* Resolve an account by name or print the error. */
int cli_account(db_t *db, const char *name, account_info *out);

/* Time options: YYYY-MM-DD[ HH:MM[:SS]] or ISO 8601, UTC unless a zone is
 * written. Returns 0 or prints an error naming the option and returns -1. */
int cli_time(const char *opt, const char *text, int64_t *out);

/* Money in an account's decimals into a static rotating buffer. */

/* Output format option: text|csv|json; returns 0..2, or -1 after an error. */
enum { FMT_TEXT = 0, FMT_CSV, FMT_JSON };
int cli_format(const char *cmd, const char *text, int allow_csv);

/* Open -o FILE (or stdout when NULL). Prints and returns NULL on error. */
FILE *cli_output(const char *path);
int cli_close_output(FILE *f, const char *path);

/* Commands: cli/cmd_NAME.c defines cmd_NAME and cmd_NAME_entry
 * (cmd_report.c and cmd_investigate.c still hold three each). */
int cmd_init(const cli_global *g, int argc, char **argv);
int cmd_account(const cli_global *g, int argc, char **argv);
int cmd_rates(const cli_global *g, int argc, char **argv);
int cmd_import(const cli_global *g, int argc, char **argv);
int cmd_rejects(const cli_global *g, int argc, char **argv);
int cmd_ingest(const cli_global *g, int argc, char **argv);
int cmd_audit(const cli_global *g, int argc, char **argv);
int cmd_ledger(const cli_global *g, int argc, char **argv);
int cmd_balance(const cli_global *g, int argc, char **argv);
int cmd_statement(const cli_global *g, int argc, char **argv);
int cmd_usage(const cli_global *g, int argc, char **argv);
int cmd_cdrs(const cli_global *g, int argc, char **argv);
int cmd_explain(const cli_global *g, int argc, char **argv);
int cmd_mdrs(const cli_global *g, int argc, char **argv);
int cmd_cnams(const cli_global *g, int argc, char **argv);
int cmd_rerate(const cli_global *g, int argc, char **argv);
int cmd_verify(const cli_global *g, int argc, char **argv);
int cmd_archive(const cli_global *g, int argc, char **argv);
int cmd_watch(const cli_global *g, int argc, char **argv);
int cmd_demo(const cli_global *g, int argc, char **argv);
int cmd_help(const cli_global *g, int argc, char **argv);
int cmd_investigate(const cli_global *g, int argc, char **argv);
int cmd_cases(const cli_global *g, int argc, char **argv);
int cmd_case(const cli_global *g, int argc, char **argv);

extern const cli_command cmd_init_entry;
extern const cli_command cmd_account_entry;
extern const cli_command cmd_rates_entry;
extern const cli_command cmd_import_entry;
extern const cli_command cmd_rejects_entry;
extern const cli_command cmd_ingest_entry;
extern const cli_command cmd_audit_entry;
extern const cli_command cmd_ledger_entry;
extern const cli_command cmd_balance_entry;
extern const cli_command cmd_statement_entry;
extern const cli_command cmd_usage_entry;
extern const cli_command cmd_cdrs_entry;
extern const cli_command cmd_explain_entry;
extern const cli_command cmd_mdrs_entry;
extern const cli_command cmd_cnams_entry;
extern const cli_command cmd_rerate_entry;
extern const cli_command cmd_verify_entry;
extern const cli_command cmd_archive_entry;
extern const cli_command cmd_watch_entry;
extern const cli_command cmd_demo_entry;
extern const cli_command cmd_help_entry;
extern const cli_command cmd_investigate_entry;
extern const cli_command cmd_cases_entry;
extern const cli_command cmd_case_entry;

/* Print one command's help (usage, summary, help, and the CDR formats when
 * the usage names @FORMATS@); cli_print_help prints `billtop help`. */
void cli_print_command_help(const cli_command *c, FILE *f);
void cli_print_help(FILE *f);
const cli_command *cli_find_command(const char *name);

#endif
