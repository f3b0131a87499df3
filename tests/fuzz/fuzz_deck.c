/* fuzz_deck.c: the rate deck importer (data/deck.c) on an in-memory SQLite
 * database opened through data/db.c (":memory:", whole schema), one per
 * process, emptied of decks after every input.
 *
 * Input: a rate deck CSV file, as is (seeds: decks built from the realdata
 * destinations by tests/fuzz/seeds.sh, and tests/fuzz/seeds/deck/).
 * Each input is imported three times: into deck "f" (no --effective), the
 * same again, then with --effective 2026-01-01.
 * Invariants checked:
 *  - all or nothing: a refused import leaves the rate, deck and import
 *    tables exactly as they were, and says why ("LABEL:LINE: reason");
 *  - an accepted import: rows = added + unchanged, the deck holds `added`
 *    rows, and deck_load builds a rate deck of them (what was stored can be
 *    rated); every stored prefix is 1..32 digits and rates are >= 0;
 *  - an accepted file holds no NUL byte (deck.c reads fields as C strings);
 *  - importing the same text again is a no-op (all rows unchanged);
 *  - the --effective import, when accepted, leaves a loadable deck;
 *  - the reader (data/deckfmt.c) under each of a fixed set of options (a
 *    --map by name, by number and headerless, --map field=-, --add-prefix 1
 *    with an NPA-NXX --rate-column, a --rate-column by number): every record
 *    is kept, blank or rejected (the three add up); every kept row has 1..32
 *    digits, a rate and fee >= 0, increments >= 1, and starts with the added
 *    prefix; messages are in line order and counted; a repeat has the same
 *    prefix and rates as a kept row; and deck_store with keep_going stores
 *    exactly the non-repeated rows, loadable. */
#include <string.h>

#include "fuzz.h"
#include "../../data/db.h"
#include "../../data/deck.h"

static db_t *db;

static int64_t count(const char *sql)
{
	db_stmt *st;
	int64_t v = -1;
	FUZZ_CHECK(db_prepare(db, sql, &st) == DB_OK);
	if (db_step(st) == DB_ROW)
		v = db_column_int64(st, 0);
	db_finalize(st);
	return v;
}

/* Rows of the three tables an import writes, summed with distinct weights
 * so that a change to any of them shows. */
static int64_t footprint(void)
{
	return count("SELECT (SELECT count(*) FROM rate) + 1000000 * (SELECT count(*) FROM deck)"
	             " + 1000000000 * (SELECT count(*) FROM import)");
}

static void check_loadable(int64_t deck_id, int64_t want_rows)
{
	rate_deck *d = NULL;
	FUZZ_CHECK(deck_load(db, deck_id, &d) == DB_OK && d != NULL);
	if (want_rows >= 0)
		FUZZ_CHECK((int64_t)rate_deck_size(d) == want_rows);
	rate_deck_free(d);
	FUZZ_CHECK(count("SELECT count(*) FROM rate WHERE length(prefix) NOT BETWEEN 1 AND 32"
	                 " OR prefix GLOB '*[^0-9]*' OR rate < 0 OR connect_fee < 0") == 0);
}

/* One import; checks the all-or-nothing rule. Returns its status. */
static int import(const uint8_t *data, size_t size, int64_t effective, deck_import_stats *s)
{
	int64_t before = footprint();
	int st = deck_import_buffer(db, "fuzz.csv", (const char *)data, size, "f", effective, s);
	if (st != DB_OK) {
		FUZZ_CHECK(footprint() == before);
		FUZZ_CHECK(db_errmsg(db)[0] != '\0');
		FUZZ_CHECK(st == DB_EINPUT); /* nothing but the input can be wrong here */
	}
	return st;
}

static const deckfmt_opts OPTS[] = {
	{ "prefix=Code,rate=Rate,increment=3", NULL, NULL, 0 },
	{ "prefix=1,rate=2,first_increment=3,increment=4", NULL, NULL, 1767225600 },
	{ "effective=-,description=-", NULL, NULL, 0 },
	{ NULL, "1", "intrastate", 0 },
	{ "npa=1,nxx=2,rate=3", "1", NULL, 0 },
	{ NULL, NULL, "2", 0 },
};

static int is_digits(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

/* The reader's invariants under options o; stores with keep_going when it read rows. */
static void reader_checks(const uint8_t *data, size_t size, const deckfmt_opts *o)
{
	deckfmt_deck d;
	deck_import_stats s;
	int st = deckfmt_read("fuzz.csv", (const char *)data, size, o, &d);
	if (st != DECKFMT_OK) {
		FUZZ_CHECK(st == DECKFMT_EINPUT && d.err[0]);
		deckfmt_free(&d);
		return;
	}
	FUZZ_CHECK(d.records == (int64_t)d.nrows + d.blank + d.rejected);
	FUZZ_CHECK((int64_t)d.nmsgs + d.msgs_dropped == d.warnings + d.rejected);
	for (size_t i = 1; i < d.nmsgs; i++)
		FUZZ_CHECK(d.msgs[i - 1].line <= d.msgs[i].line);
	int64_t repeats = 0;
	for (size_t i = 0; i < d.nrows; i++) {
		const rate_row *r = &d.rows[i].r;
		FUZZ_CHECK(strlen(r->prefix) >= 1 && strlen(r->prefix) <= RATE_PREFIX_MAX && is_digits(r->prefix));
		FUZZ_CHECK(r->rate_per_min >= 0 && r->connect_fee >= 0 && r->min_secs >= 1 && r->inc_secs >= 1
		           && r->grace_secs >= 0);
		if (o->add_prefix)
			FUZZ_CHECK(strncmp(r->prefix, o->add_prefix, strlen(o->add_prefix)) == 0
			           && strlen(r->prefix) > strlen(o->add_prefix));
		if (d.rows[i].repeat) {
			int found = 0;
			repeats++;
			for (size_t k = 0; k < d.nrows && !found; k++)
				found = !d.rows[k].repeat && strcmp(d.rows[k].r.prefix, r->prefix) == 0
				        && d.rows[k].r.eff_from == r->eff_from && d.rows[k].r.rate_per_min == r->rate_per_min
				        && d.rows[k].line < d.rows[i].line;
			FUZZ_CHECK(found);
		}
	}
	FUZZ_CHECK(repeats == d.repeats);
	if (d.nrows > (size_t)d.repeats) {
		FUZZ_CHECK(deck_store(db, "fuzz.csv", "g", o->effective, &d, 1, &s) == DB_OK);
		FUZZ_CHECK(s.added == (int64_t)d.nrows - d.repeats && s.unchanged == 0);
		FUZZ_CHECK(s.rows == s.added + s.unchanged + s.repeats + s.blank + s.rejected);
		check_loadable(s.deck_id, s.added);
	}
	deckfmt_free(&d);
	FUZZ_CHECK(db_exec(db, "DELETE FROM rate; DELETE FROM deck; DELETE FROM import") == DB_OK);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	deck_import_stats s1, s2, s3;
	char msg[300];
	if (!db) {
		setenv("BILLTOP_NOW", "2026-11-20 12:00:00", 1);
		FUZZ_CHECK(db_open(":memory:", DB_OPEN_CREATE, &db, msg, sizeof msg) == DB_OK);
	}
	if (import(data, size, 0, &s1) == DB_OK) {
		/* every byte of the file is in some field or makes it malformed,
		 * and a deck is text: an accepted file holds no NUL byte */
		FUZZ_CHECK(!memchr(data, 0, size));
		FUZZ_CHECK(s1.rows == s1.added + s1.repeats + s1.blank && s1.unchanged == 0 && s1.closed == 0
		           && s1.rejected == 0);
		FUZZ_CHECK(count("SELECT count(*) FROM rate") == s1.added);
		check_loadable(s1.deck_id, s1.added);

		FUZZ_CHECK(import(data, size, 0, &s2) == DB_OK);
		FUZZ_CHECK(s2.deck_id == s1.deck_id && s2.rows == s1.rows);
		FUZZ_CHECK(s2.added == 0 && s2.unchanged == s1.added && s2.repeats == s1.repeats && s2.closed == 0);

		int64_t eff = 1767225600; /* 2026-01-01 */
		if (import(data, size, eff, &s3) == DB_OK)
			check_loadable(s3.deck_id, -1);
	}
	FUZZ_CHECK(db_exec(db, "DELETE FROM rate; DELETE FROM deck; DELETE FROM import") == DB_OK);
	for (size_t i = 0; i < sizeof OPTS / sizeof OPTS[0]; i++)
		reader_checks(data, size, &OPTS[i]);
	return 0;
}
