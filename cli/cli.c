/* cli.c: option parsing and shared helpers for the command line. */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "../core/tm.h"
#include "../data/out.h"

/* Error messages quote record text, file names and account names (an
 * import stopping on a row, an unknown account code): they are made visible
 * like any other text for the terminal (out_visible), so a hostile value
 * in a message cannot act on the terminal either. */
static void print_visible(FILE *f, const char *fmt, va_list ap)
{
	char msg[2048], vis[4096];
	vsnprintf(msg, sizeof msg, fmt, ap);
	out_visible(msg, vis, sizeof vis, 0);
	fputs(vis, f);
}

int cli_error(const char *fmt, ...)
{
	va_list ap;
	fputs("billtop: ", stderr);
	va_start(ap, fmt);
	print_visible(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "billtop %s: ", cmd);
	va_start(ap, fmt);
	print_visible(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n(see `billtop %s --help`)\n", cmd);
	return 2;
}


int cli_parse(const char *cmd, int argc, char **argv, const cli_opt *opts,
              const char **pos, int maxpos, int *npos)
{
	*npos = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (a[0] == '-' && a[1] == '-' && a[2]) {
			const char *eq = strchr(a, '=');
			size_t nl = eq ? (size_t)(eq - a) : strlen(a);
			const cli_opt *o = NULL;
			for (int k = 0; opts && opts[k].name; k++)
				if (strlen(opts[k].name) == nl && strncmp(opts[k].name, a, nl) == 0)
					o = &opts[k];
			if (!o) {
				cli_usage_error(cmd, "unknown option %.*s", (int)nl, a);
				return -1;
			}
			if (o->has_arg) {
				if (eq)
					*o->value = eq + 1;
				else if (i + 1 < argc)
					*o->value = argv[++i];
				else {
					cli_usage_error(cmd, "%s needs a value", o->name);
					return -1;
				}
			} else {
				if (eq) {
					cli_usage_error(cmd, "%s takes no value", o->name);
					return -1;
				}
				*o->flag = 1;
			}
		} else if (strcmp(a, "-o") == 0) {
			const cli_opt *o = NULL;
			for (int k = 0; opts && opts[k].name; k++)
				if (strcmp(opts[k].name, "-o") == 0)
					o = &opts[k];
			if (!o || i + 1 >= argc) {
				cli_usage_error(cmd, o ? "-o needs a file name" : "unknown option -o");
				return -1;
			}
			*o->value = argv[++i];
		} else {
			if (*npos >= maxpos) {
				cli_usage_error(cmd, "unexpected argument \"%s\"", a);
				return -1;
			}
			pos[(*npos)++] = a;
		}
	}
	return 0;
}

db_t *cli_open(const cli_global *g, int create, int write)
{
	db_t *db;
	char msg[600];
	const char *path = db_default_path(g->db_path);
	int flags = (create ? DB_OPEN_CREATE : 0) | (g->read_only ? DB_OPEN_READONLY : 0);
	if (db_open(path, flags, &db, msg, sizeof msg) != DB_OK) {
		cli_error("%s", msg);
		return NULL;
	}
	if (write && db_read_only(db)) {
		cli_error("%s: the database is open read-only (--read-only, or no write permission)", path);
		db_close(db);
		return NULL;
	}
	return db;
}

int cli_account(db_t *db, const char *name, account_info *out)
{
	if (account_find(db, name, out) != DB_OK) {
		cli_error("%s", db_errmsg(db));
		return -1;
	}
	return 0;
}

int cli_time(const char *opt, const char *text, int64_t *out)
{
	int st = tm_parse_utc(text, strlen(text), out);
	if (st != TM_OK) {
		cli_error("%s \"%s\": %s (use YYYY-MM-DD[ HH:MM[:SS]] or ISO 8601)", opt, text, tm_strerror(st));
		return -1;
	}
	return 0;
}



int cli_format(const char *cmd, const char *text, int allow_csv)
{
	if (!text || strcmp(text, "text") == 0)
		return FMT_TEXT;
	if (strcmp(text, "json") == 0)
		return FMT_JSON;
	if (allow_csv && strcmp(text, "csv") == 0)
		return FMT_CSV;
	cli_usage_error(cmd, "unknown --format \"%s\" (text%s or json)", text, allow_csv ? ", csv" : "");
	return -1;
}

FILE *cli_output(const char *path)
{
	FILE *f;
	if (!path || strcmp(path, "-") == 0)
		return stdout;
	if (!(f = fopen(path, "w")))
		cli_error("%s: cannot write: %s", path, strerror(errno));
	return f;
}

int cli_close_output(FILE *f, const char *path)
{
	if (f == stdout)
		return fflush(f) == 0 ? 0 : cli_error("stdout: %s", strerror(errno));
	if (ferror(f) | fclose(f))
		return cli_error("%s: write failed: %s", path, strerror(errno));
	fprintf(stderr, "wrote %s\n", path);
	return 0;
}
