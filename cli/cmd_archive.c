/* cmd_archive.c: billtop archive --before YYYY-MM [--drop] [--dry-run]
 * (issue 12): the months of call records before YYYY-MM taken out of the
 * PostgreSQL store once they are fully rolled up (data/archive.h). Prints
 * one line a month: archived (detached as TABLE, or dropped), would be, or
 * refused and why. Exit 0 done (or nothing to do), 1 refused or an error
 * (nothing changed), 2 usage. */
#include <stdlib.h>
#include <time.h>

#include "../core/tm.h"
#include "../data/archive.h"
#include "cli.h"

const cli_command cmd_archive_entry = {
	.name = "archive",
	.usage = "archive --before YYYY-MM [--drop] [--dry-run]",
	.summary = "PostgreSQL: detach (or drop) the call records of months before YYYY-MM once rolled up",
	.help = NULL,
	.fn = cmd_archive,
};

typedef struct {
	int flags, n;
} arc_ctx;

static void print_month(const archive_month *m, void *ctx)
{
	arc_ctx *x = ctx;
	x->n++;
	if (m->refused)
		printf("%s: refused: %s\n", m->month, m->refused);
	else if ((x->flags & ARCHIVE_DRY_RUN) || !m->taken) /* a dry run, or another month refused */
		printf("%s: %lld calls, would be %s\n", m->month, (long long)m->calls,
		       x->flags & ARCHIVE_DROP ? "dropped" : "detached");
	else if (x->flags & ARCHIVE_DROP)
		printf("%s: %lld calls, dropped\n", m->month, (long long)m->calls);
	else
		printf("%s: %lld calls, detached as table %s\n", m->month, (long long)m->calls, m->table);
}

int cmd_archive(const cli_global *g, int argc, char **argv)
{
	const char *before = NULL, *pos[1];
	int drop = 0, dry = 0, npos, nref = 0, rc;
	long y, m;
	char *end;
	time_t now;
	struct tm t;
	arc_ctx x = { 0, 0 };
	db_t *db;
	const cli_opt opts[] = {
		{ "--before", 1, &before, NULL },
		{ "--drop", 0, NULL, &drop },
		{ "--dry-run", 0, NULL, &dry },
		{ NULL, 0, NULL, NULL },
	};
	if (cli_parse("archive", argc, argv, opts, pos, 0, &npos) < 0)
		return 2;
	if (!before)
		return cli_usage_error("archive", "give --before YYYY-MM");
	y = strtol(before, &end, 10);
	if (*end != '-' || (m = strtol(end + 1, &end, 10)) < 1 || m > 12 || *end || y < 1970 || y > 9999)
		return cli_error("--before \"%s\": use YYYY-MM", before);
	now = (time_t)db_now();
	gmtime_r(&now, &t);
	if (tm_month_start((int)y, (int)m) > tm_month_start(t.tm_year + 1900, t.tm_mon + 1))
		return cli_error("--before %s: the current month is never archived (at most --before %04d-%02d)",
		                 before, t.tm_year + 1900, t.tm_mon + 1);
	x.flags = (drop ? ARCHIVE_DROP : 0) | (dry ? ARCHIVE_DRY_RUN : 0);
	if (!(db = cli_open(g, 0, !dry)))
		return 1;
	rc = archive_before(db, tm_month_start((int)y, (int)m), x.flags, print_month, &x, &nref);
	if (rc != DB_OK) {
		rc = cli_error("archive: %s", db_errmsg(db));
		db_close(db);
		return rc;
	}
	db_close(db);
	if (nref) {
		printf("archive: %d of %d months refused: nothing archived\n", nref, x.n);
		return 1;
	}
	if (!x.n)
		printf("archive: no month before %s to archive\n", before);
	else if (dry)
		printf("archive: %d months (dry run: nothing changed)\n", x.n);
	return 0;
}
