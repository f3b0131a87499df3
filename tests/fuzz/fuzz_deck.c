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
 *  - the --effective import, when accepted, leaves a loadable deck. */
#include <string.h>

#include "fuzz.h"
#include "../../data/db.h"
#include "../../data/deck.h"

static db_t *db;

static int64_t count(const char *sql)
{
	sqlite3_stmt *st;
	int64_t v = -1;
	FUZZ_CHECK(db_prepare(db, sql, &st) == DB_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
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
		FUZZ_CHECK(s1.rows == s1.added + s1.unchanged && s1.unchanged == 0 && s1.closed == 0);
		FUZZ_CHECK(count("SELECT count(*) FROM rate") == s1.added);
		check_loadable(s1.deck_id, s1.added);

		FUZZ_CHECK(import(data, size, 0, &s2) == DB_OK);
		FUZZ_CHECK(s2.deck_id == s1.deck_id && s2.rows == s1.rows);
		FUZZ_CHECK(s2.added == 0 && s2.unchanged == s1.rows && s2.closed == 0);

		int64_t eff = 1767225600; /* 2026-01-01 */
		if (import(data, size, eff, &s3) == DB_OK)
			check_loadable(s3.deck_id, -1);
	}
	FUZZ_CHECK(db_exec(db, "DELETE FROM rate; DELETE FROM deck; DELETE FROM import") == DB_OK);
	return 0;
}
