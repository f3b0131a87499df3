/* cmd_ingest.c: ingest [--follow] FILE: rate a CDR file as a switch writes it;
 * ingest --from-db CONNINFO --table TABLE: the same from a switch's CDR
 * table in PostgreSQL (data/pgsrc.h). */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../core/tm.h"
#include "../data/ingest.h"
#include "../data/pgsrc.h"
#include "cli.h"

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
}

static void print_note(const char *msg, void *ctx)
{
	char when[32];
	(void)ctx;
	tm_format(db_now(), when, sizeof when);   /* the one clock (--now, $BILLTOP_NOW) */
	fprintf(stderr, "%s billtop ingest: %s\n", when, cli_vis(msg));
}

/* A positive whole number option, or -1 after an error. */
static int int_opt(const char *name, const char *text, int lo, int hi)
{
	char *end;
	long v;
	if (!text)
		return 0;
	v = strtol(text, &end, 10);
	if (*end || v < lo || v > hi) {
		cli_usage_error("ingest", "%s wants a whole number from %d to %d", name, lo, hi);
		return -1;
	}
	return (int)v;
}

const cli_command cmd_ingest_entry = {
	.name = "ingest",
	.usage = "ingest [--follow] FILE [--format @FORMATS@]\n"
	         "       [--account NAME] [--tz ZONE] [--map field=Column,...] [--date-format FMT]\n"
	         "       [--create-accounts] [--batch-ms 200] [--batch-rows 500] [--poll-ms 50] [--quiet] [--verbose]\n"
	         "       billtop ingest --from-db CONNINFO --table TABLE [--layout asterisk|freeswitch] [--follow]\n"
	         "       [--account NAME] [--tz ZONE] [--create-accounts] [--batch-rows 500] [--poll-ms 1000]\n"
	         "       [--lookback N] [--quiet] [--verbose]",
	.summary = "rate a CDR file as the switch writes it (Master.csv), resuming where it stopped",
	.help = "Reads the complete lines after the position saved for FILE (never a half-\n"
	        "written last line), rates and stores them like `import cdr` (same record ids:\n"
	        "nothing is stored twice) and commits in small batches together with the new\n"
	        "position, so a restart resumes exactly after the last committed record.\n"
	        "With --follow it keeps reading as the file grows until SIGINT or SIGTERM\n"
	        "(it commits what it read, then exits 0); without, it stops at the end.\n"
	        "A rotated file (a new file at the path, or the file shrank) is picked up\n"
	        "from its start after the old one is read to its end. Bad rows never stop\n"
	        "the feed: they are kept (see `billtop rejects`).\n"
	        "--from-db reads the switch's own CDR table in PostgreSQL (Asterisk cdr_pgsql,\n"
	        "FreeSWITCH mod_cdr_pg_csv; CONNINFO is any libpq string or URI), recognised\n"
	        "by its columns, with the record ids `import cdr` gives for psql's CSV dump\n"
	        "of the same rows. The position (the highest id, else end time, committed)\n"
	        "is saved with the records; each pass reads again --lookback ids (1000) or\n"
	        "seconds (300) behind it, so rows committed out of order are not missed.",
	.fn = cmd_ingest,
};

int cmd_ingest(const cli_global *g, int argc, char **argv)
{
	const char *format = NULL, *account = NULL, *tz = NULL, *map = NULL, *date_format = NULL, *batch_ms = NULL,
	           *batch_rows = NULL, *poll_ms = NULL, *pos[1], *from_db = NULL, *table = NULL, *layout = NULL,
	           *lookback = NULL;
	int follow = 0, create = 0, quiet = 0, verbose = 0, npos, st;
	cli_opt opts[] = {
		{ "--follow", 0, NULL, &follow }, { "--format", 1, &format, NULL }, { "--account", 1, &account, NULL },
		{ "--tz", 1, &tz, NULL }, { "--map", 1, &map, NULL }, { "--date-format", 1, &date_format, NULL },
		{ "--create-accounts", 0, NULL, &create },
		{ "--batch-ms", 1, &batch_ms, NULL }, { "--batch-rows", 1, &batch_rows, NULL },
		{ "--poll-ms", 1, &poll_ms, NULL }, { "--quiet", 0, NULL, &quiet }, { "--verbose", 0, NULL, &verbose },
		{ "--from-db", 1, &from_db, NULL }, { "--table", 1, &table, NULL }, { "--layout", 1, &layout, NULL },
		{ "--lookback", 1, &lookback, NULL },
		{ NULL, 0, NULL, NULL } };
	pgsrc_opts po;
	pgsrc_result pr;
	struct sigaction sa;
	ingest_opts o;
	ingest_result r;
	db_t *db;

	if (cli_parse("ingest", argc, argv, opts, pos, 1, &npos) < 0)
		return 2;
	memset(&po, 0, sizeof po);
	po.lookback = -1;
	if (from_db) {
		if (npos != 0 || !table)
			return cli_usage_error("ingest", "say `ingest --from-db CONNINFO --table TABLE [--layout "
			                       "asterisk|freeswitch] [--follow] [--account NAME]`");
		if (format || map || date_format)
			return cli_usage_error("ingest", "--from-db reads the table's columns by name: no --format, --map "
			                       "or --date-format");
		if (batch_ms)
			return cli_usage_error("ingest", "--from-db commits every --batch-rows rows or page read; "
			                       "--batch-ms is for a file");
		if (layout && pgsrc_parse_layout(layout, &po.layout) != 0)
			return cli_usage_error("ingest", "--layout is asterisk or freeswitch, not \"%s\"", layout);
		if (lookback && (po.lookback = int_opt("--lookback", lookback, 0, 100000000)) < 0)
			return 2;
		po.conninfo = from_db;
		po.table = table;
	} else if (table || layout || lookback) {
		return cli_usage_error("ingest", "--table, --layout and --lookback go with --from-db");
	} else if (npos != 1) {
		return cli_usage_error("ingest", "say `ingest [--follow] FILE` or `ingest --from-db CONNINFO --table TABLE`");
	}
	memset(&o, 0, sizeof o);
	o.format = CDRFMT_AUTO;
	if (format && cdrfmt_parse_name(format, &o.format) != 0)
		return cli_usage_error("ingest", "unknown --format \"%s\"", format);
	o.account = account;
	o.tz = tz;
	o.map = map;
	o.date_format = date_format;
	o.create_accounts = create;
	o.follow = follow;
	o.rotate_grace_ms = -1;
	if ((o.batch_ms = int_opt("--batch-ms", batch_ms, 1, 60000)) < 0
	    || (o.batch_rows = int_opt("--batch-rows", batch_rows, 1, 1000000)) < 0
	    || (o.poll_ms = int_opt("--poll-ms", poll_ms, 1, 60000)) < 0)
		return 2;
	o.stop = &stop_flag;
	o.note = quiet ? NULL : print_note;
	o.verbose = verbose;

	/* SIGINT / SIGTERM: finish the record at hand, commit, exit 0. No
	 * SA_RESTART: the idle sleep ends at once. */
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	if (!(db = cli_open(g, 0, 1)))
		return 1;
	if (from_db) {
		st = pgsrc_ingest(db, &po, &o, &r, &pr);
		if (st != DB_OK)
			cli_error("%s", db_errmsg(db));
		if (pr.label[0])
			printf("%s (%s): %lld rows in %lld batches: %lld stored (%lld rated, %lld unrated, %lld not connected, "
			       "%lld extra legs, %lld emergency), %lld duplicates, %lld rejected, %lld re-checked; "
			       "at %s %lld (import %lld)\n",
			       pr.label, pgsrc_layout_name(pr.layout), (long long)r.rows, (long long)r.batches,
			       (long long)r.st.inserted, (long long)r.st.rated, (long long)r.st.unrated,
			       (long long)r.st.not_connected, (long long)r.st.extra_legs, (long long)r.st.emergency,
			       (long long)r.st.duplicates, (long long)r.rejected, (long long)pr.rechecked,
			       pr.key_is_time ? "time (us)" : "id", (long long)pr.watermark, (long long)r.import_id);
		db_close(db);
		return st == DB_OK ? 0 : 1;
	}
	st = ingest_run(db, pos[0], &o, &r);
	if (st != DB_OK)
		cli_error("%s", db_errmsg(db));
	printf("%s (%s): %lld rows in %lld batches: %lld stored (%lld rated, %lld unrated, %lld not connected, "
	       "%lld extra legs, %lld emergency), %lld duplicates, %lld rejected; at byte %lld, line %lld "
	       "(import %lld)\n",
	       pos[0], cdrfmt_name(r.format), (long long)r.rows, (long long)r.batches, (long long)r.st.inserted,
	       (long long)r.st.rated, (long long)r.st.unrated, (long long)r.st.not_connected,
	       (long long)r.st.extra_legs, (long long)r.st.emergency, (long long)r.st.duplicates,
	       (long long)r.rejected, (long long)r.offset, (long long)r.line, (long long)r.import_id);
	if (r.st.dated_later) /* issue 10: shown apart, counted from their own time */
		fprintf(stderr, "billtop: %s: warning: %lld records dated after now when stored (a switch clock "
		        "running ahead?): they count from their own time\n", cli_vis(pos[0]), (long long)r.st.dated_later);
	db_close(db);
	return st == DB_OK ? 0 : 1;
}
