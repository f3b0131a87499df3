/* cmd_rates.c: rates import, list (rate decks). */
#include <stdlib.h>
#include <string.h>

#include "../core/tm.h"
#include "../data/deck.h"
#include "../data/out.h"
#include "../data/ratesq.h"
#include "cli.h"

/* Decimals to show a deck amount exactly: 4 at least, 9 at most. */
static int deck_decimals(money_t v)
{
	int d = 9;
	if (v < 0)
		v = -v;
	while (d > 4 && v % 10 == 0) {
		v /= 10;
		d--;
	}
	return d;
}

/* FILE:LINE: warning: ... and FILE:LINE: reason, in line order, on stderr. */
static void print_deck_msgs(const char *path, const deckfmt_deck *d)
{
	char vis[300];
	for (size_t i = 0; i < d->nmsgs; i++) {
		out_visible(d->msgs[i].text, vis, sizeof vis, 0);
		fprintf(stderr, "%s:%lld: %s%s\n", cli_vis(path), (long long)d->msgs[i].line,
		        d->msgs[i].reject ? "" : "warning: ", vis);
	}
	if (d->msgs_dropped)
		fprintf(stderr, "%s: %lld more messages not shown\n", cli_vis(path), (long long)d->msgs_dropped);
}

/* --dry-run: the mapping and the first rows as they would be stored. */
static void print_dry_run(const char *path, const deckfmt_deck *d, int nshow)
{
	char vis[200];
	printf("%s: %s, %d columns\n", cli_vis(path), d->has_header ? "header row" : "no header", d->ncols);
	for (int f = 0; f < DF_NFIELDS; f++) {
		int c = d->col[f];
		if (c < 0)
			continue;
		out_visible(d->colname[c], vis, sizeof vis, 0);
		printf("  %-18s <- column %d \"%s\"\n", deckfmt_field_name((deckfmt_field)f), c + 1, vis);
	}
	for (int c = 0; c < d->ncols; c++) {
		int used = 0;
		for (int f = 0; f < DF_NFIELDS; f++)
			used |= d->col[f] == c;
		if (!used) {
			out_visible(d->colname[c], vis, sizeof vis, 0);
			printf("  ignored            column %d \"%s\"\n", c + 1, vis);
		}
	}
	printf("%-8s %-16s %-28s %14s %9s %12s %s\n", "LINE", "PREFIX", "DESCRIPTION", "RATE/MIN", "MIN/INC",
	       "CONNECT", "EFFECTIVE");
	for (size_t i = 0, shown = 0; i < d->nrows && (int)shown < nshow; i++) {
		const rate_row *r = &d->rows[i].r;
		char mi[24];
		if (d->rows[i].repeat)
			continue;
		out_visible(r->description, vis, sizeof vis, 0);
		snprintf(mi, sizeof mi, "%d/%d", r->min_secs, r->inc_secs);
		printf("%-8lld %-16s %-28.28s %14s %9s", (long long)d->rows[i].line, r->prefix, vis,
		       cli_money(r->rate_per_min, deck_decimals(r->rate_per_min)), mi);
		printf(" %12s %s\n", cli_money(r->connect_fee, deck_decimals(r->connect_fee)),
		       r->eff_from ? cli_time_text(r->eff_from) : "since ever");
		shown++;
	}
}

static void print_deck_summary(const char *path, const char *deck, const deck_import_stats *s,
                               const deckfmt_deck *d, int fmt, int dry)
{
	if (fmt == FMT_JSON) {
		out_json j;
		out_json_init(&j, stdout, 1);
		out_json_obj(&j, NULL);
		out_json_str(&j, "deck", deck);
		out_json_int(&j, "dry_run", dry);
		out_json_int(&j, "rows", s->rows);
		out_json_int(&j, "added", s->added);
		out_json_int(&j, "unchanged", s->unchanged);
		out_json_int(&j, "repeats", s->repeats);
		out_json_int(&j, "blank", s->blank);
		out_json_int(&j, "rejected", s->rejected);
		out_json_int(&j, "warnings", s->warnings);
		out_json_int(&j, "closed", s->closed);
		/* the same lines as on stderr: FILE:LINE: [warning: ]text */
		out_json_str(&j, "file", path);
		out_json_arr(&j, "messages");
		for (size_t i = 0; i < d->nmsgs; i++) {
			out_json_obj(&j, NULL);
			out_json_int(&j, "line", d->msgs[i].line);
			out_json_str(&j, "kind", d->msgs[i].reject ? "rejected" : "warning");
			out_json_str(&j, "text", d->msgs[i].text);
			out_json_end(&j);
		}
		out_json_end(&j);
		out_json_int(&j, "messages_not_shown", d->msgs_dropped);
		out_json_end(&j);
		out_json_done(&j);
		return;
	}
	printf("deck %s: %lld rows read: %lld %s, %lld unchanged, %lld repeated in the file, %lld blank, "
	       "%lld rejected; %lld warnings, %lld closed at the effective date\n", cli_vis(deck), (long long)s->rows,
	       (long long)s->added, dry ? "to add" : "added", (long long)s->unchanged, (long long)s->repeats,
	       (long long)s->blank, (long long)s->rejected, (long long)s->warnings, (long long)s->closed);
}

static int rates_import_cmd(const cli_global *g, int argc, char **argv)
{
	const char *deck = "default", *eff = NULL, *map = NULL, *add = NULL, *ratecol = NULL, *format = NULL;
	const char *pos[1];
	int npos, rc = 0, dry = 0, keep = 0, fmt, st;
	int64_t effective = 0;
	cli_opt opts[] = { { "--deck", 1, &deck, NULL }, { "--effective", 1, &eff, NULL },
		{ "--map", 1, &map, NULL }, { "--add-prefix", 1, &add, NULL }, { "--rate-column", 1, &ratecol, NULL },
		{ "--dry-run", 0, NULL, &dry }, { "--keep-going", 0, NULL, &keep }, { "--format", 1, &format, NULL },
		{ NULL, 0, NULL, NULL } };
	deck_import_stats s;
	deckfmt_opts o;
	deckfmt_deck d;
	db_t *db;
	if (cli_parse("rates", argc, argv, opts, pos, 1, &npos) < 0)
		return 2;
	if (npos != 1)
		return cli_usage_error("rates", "rates import needs a FILE");
	if ((fmt = cli_format("rates", format, 0)) < 0)
		return 2;
	if (fmt == FMT_CSV)
		return cli_usage_error("rates", "rates import --format: text or json");
	if (eff && cli_time("--effective", eff, &effective) < 0)
		return 1;
	memset(&o, 0, sizeof o);
	o.map = map;
	o.add_prefix = add;
	o.rate_column = ratecol;
	o.effective = effective;
	st = deckfmt_read(pos[0], NULL, 0, &o, &d);
	if (st != DECKFMT_OK) {
		rc = cli_error("%s", d.err);
		deckfmt_free(&d);
		return rc;
	}
	print_deck_msgs(pos[0], &d);
	memset(&s, 0, sizeof s);
	if (dry) {
		/* nothing is opened or written: what would be stored, as read */
		s.rows = d.records;
		s.added = (int64_t)d.nrows - d.repeats;
		s.repeats = d.repeats;
		s.blank = d.blank;
		s.rejected = d.rejected;
		s.warnings = d.warnings;
		if (fmt != FMT_JSON)
			print_dry_run(pos[0], &d, 10);
		print_deck_summary(pos[0], deck, &s, &d, fmt, 1);
		rc = d.rejected && !keep ? 1 : 0;
		deckfmt_free(&d);
		return rc;
	}
	if (!(db = cli_open(g, 0, 1))) {
		deckfmt_free(&d);
		return 1;
	}
	if (deck_store(db, pos[0], deck, effective, &d, keep, &s) != DB_OK)
		rc = cli_error("%s", db_errmsg(db));
	else {
		print_deck_summary(pos[0], deck, &s, &d, fmt, 0);
		/* as `import`: 4 some rows rejected (the others stored), 5 every row
		 * rejected; 3 is ledger --ref's conflict */
		rc = !s.rejected ? 0 : s.rejected >= s.rows ? 5 : 4;
	}
	db_close(db);
	deckfmt_free(&d);
	return rc;
}

typedef struct {
	int fmt;
	out_csv csv;
	out_json j;
} rates_list_ctx;

static int print_rate(const ratesq_row *r, void *vctx)
{
	rates_list_ctx *x = vctx;
	money_t rate = r->rate_per_min, fee = r->connect_fee;
	if (x->fmt == FMT_CSV) {
		out_csv_cell(&x->csv, r->prefix);
		out_csv_cell(&x->csv, r->description);
		out_csv_money(&x->csv, rate, deck_decimals(rate));
		out_csv_int(&x->csv, r->min_secs);
		out_csv_int(&x->csv, r->inc_secs);
		out_csv_money(&x->csv, fee, deck_decimals(fee));
		out_csv_int(&x->csv, r->grace_secs);
		out_csv_time(&x->csv, r->effective);
		out_csv_time(&x->csv, r->until);
		out_csv_end(&x->csv);
	} else if (x->fmt == FMT_JSON) {
		out_json_obj(&x->j, NULL);
		out_json_str(&x->j, "prefix", r->prefix);
		out_json_str(&x->j, "description", r->description);
		out_json_money(&x->j, "rate", rate, deck_decimals(rate));
		out_json_int(&x->j, "min_secs", r->min_secs);
		out_json_int(&x->j, "inc_secs", r->inc_secs);
		out_json_money(&x->j, "connect_fee", fee, deck_decimals(fee));
		out_json_int(&x->j, "grace_secs", r->grace_secs);
		out_json_time(&x->j, "effective", r->effective);
		out_json_time(&x->j, "until", r->until);
		out_json_end(&x->j);
	} else {
		char vis[120], mi[16];
		out_visible(r->description, vis, sizeof vis, 0);
		snprintf(mi, sizeof mi, "%d/%d", r->min_secs, r->inc_secs);
		printf("%-12s %-28.28s %12s %7s %10s %5d %-10.10s %.10s\n", r->prefix, vis,
		       cli_money(rate, deck_decimals(rate)), mi, cli_money(fee, deck_decimals(fee)), r->grace_secs,
		       cli_time_text(r->effective), r->until != TM_NONE ? cli_time_text(r->until) : "-");
	}
	return 0;
}

static int rates_list_cmd(const cli_global *g, int argc, char **argv)
{
	const char *format = NULL, *prefix = NULL, *pos[1];
	int npos, rc;
	int64_t deck_id;
	cli_opt opts[] = { { "--format", 1, &format, NULL }, { "--prefix", 1, &prefix, NULL }, { NULL, 0, NULL, NULL } };
	rates_list_ctx x;
	db_t *db;
	if (cli_parse("rates", argc, argv, opts, pos, 1, &npos) < 0)
		return 2;
	if (npos != 1)
		return cli_usage_error("rates", "rates list needs a DECK name");
	if ((x.fmt = cli_format("rates", format, 1)) < 0)
		return 2;
	if (!(db = cli_open(g, 0, 0)))
		return 1;
	if (deck_find(db, pos[0], &deck_id) != DB_OK) {
		rc = cli_error("%s", db_errmsg(db));
		db_close(db);
		return rc;
	}
	out_csv_init(&x.csv, stdout);
	out_json_init(&x.j, stdout, 1);
	if (x.fmt == FMT_CSV) {
		const char *h[] = { "prefix", "description", "rate", "min", "inc", "connect_fee", "grace", "effective", "until" };
		for (int i = 0; i < 9; i++)
			out_csv_cell(&x.csv, h[i]);
		out_csv_end(&x.csv);
	} else if (x.fmt == FMT_JSON) {
		out_json_arr(&x.j, NULL);
	} else {
		printf("%-12s %-28s %12s %7s %10s %5s %-10s %s\n", "PREFIX", "DESCRIPTION", "RATE/MIN", "MIN/INC",
		       "CONNECT", "GRACE", "FROM", "UNTIL");
	}
	rc = ratesq_each(db, deck_id, prefix, print_rate, &x);
	if (x.fmt == FMT_JSON) {
		out_json_end(&x.j);
		out_json_done(&x.j);
	}
	if (rc != DB_OK)
		rc = cli_error("%s", db_errmsg(db));
	db_close(db);
	return rc;
}

const cli_command cmd_rates_entry = {
	.name = "rates",
	.usage = "rates import FILE [--deck NAME] [--effective YYYY-MM-DD] [--map field=Column,...]\n"
	         "       [--add-prefix DIGITS] [--rate-column NAME] [--dry-run] [--keep-going] [--format text|json]\n"
	         "       billtop rates list DECK [--prefix DIGITS] [--format text|csv|json]",
	.summary = "import a rate deck CSV (prefix, rate, increments, connect fee, grace)",
	.help = "Columns are found by name, compared without case, spaces, punctuation or units\n"
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
	        "rows it omits stop at DATE; rated calls before DATE keep their rates.",
	.fn = cmd_rates,
};

int cmd_rates(const cli_global *g, int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "import") == 0)
		return rates_import_cmd(g, argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "list") == 0)
		return rates_list_cmd(g, argc - 1, argv + 1);
	return cli_usage_error("rates", "say import or list");
}
