/* deck_page.c: keyset pages over a rate deck (see deck_page.h). The row
 * value comparison (prefix, eff_from) > (?, ?) lets SQLite seek the unique
 * index (deck_id, prefix, eff_from) directly. */
#include "deck_page.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/tm.h"

#define COLS "id, prefix, eff_from, description, rate, connect_fee, min_secs, inc_secs, grace_secs, eff_to"
/* ?1 deck, ?4 current_only, ?5 at. In effect: eff_from <= at < eff_to and
 * no newer row of the same prefix also in effect (core/rate.h's rule; the
 * NOT EXISTS is an index seek on (deck_id, prefix, eff_from)). */
#define SCOPE "deck_id = ?1 AND (?4 = 0 OR (eff_from <= ?5 AND (eff_to IS NULL OR eff_to > ?5)" \
	" AND NOT EXISTS (SELECT 1 FROM rate n WHERE n.deck_id = rate.deck_id AND n.prefix = rate.prefix" \
	" AND n.eff_from > rate.eff_from AND n.eff_from <= ?5 AND (n.eff_to IS NULL OR n.eff_to > ?5))))"

static const char *const PAGE_SQL[2][3] = {
	/* ascending: from the start, after key, at or after key */
	{ "SELECT " COLS " FROM rate WHERE " SCOPE " ORDER BY prefix, eff_from LIMIT ?6",
	  "SELECT " COLS " FROM rate WHERE " SCOPE " AND (prefix, eff_from) > (?2, ?3) ORDER BY prefix, eff_from LIMIT ?6",
	  "SELECT " COLS " FROM rate WHERE " SCOPE " AND (prefix, eff_from) >= (?2, ?3) ORDER BY prefix, eff_from LIMIT ?6" },
	/* descending: from the end, before key, at or before key */
	{ "SELECT " COLS " FROM rate WHERE " SCOPE " ORDER BY prefix DESC, eff_from DESC LIMIT ?6",
	  "SELECT " COLS " FROM rate WHERE " SCOPE " AND (prefix, eff_from) < (?2, ?3) ORDER BY prefix DESC, eff_from DESC LIMIT ?6",
	  "SELECT " COLS " FROM rate WHERE " SCOPE " AND (prefix, eff_from) <= (?2, ?3) ORDER BY prefix DESC, eff_from DESC LIMIT ?6" },
};

static void bind_scope(db_stmt *st, const deck_scope *sc, const deck_key *key)
{
	db_bind_int64(st, 1, sc->deck_id);
	if (key) {
		db_bind_text(st, 2, key->prefix, -1);
		db_bind_int64(st, 3, key->eff_from);
	}
	db_bind_int(st, 4, sc->current_only);
	db_bind_int64(st, 5, sc->at);
}

static void read_row(db_stmt *st, deck_row *r)
{
	const char *p = (const char *)db_column_text(st, 1), *d = (const char *)db_column_text(st, 3);
	memset(r, 0, sizeof *r);
	r->id = db_column_int64(st, 0);
	snprintf(r->key.prefix, sizeof r->key.prefix, "%s", p ? p : "");
	r->key.eff_from = db_column_int64(st, 2);
	snprintf(r->desc, sizeof r->desc, "%s", d ? d : "");
	r->rate = db_column_int64(st, 4);
	r->connect_fee = db_column_int64(st, 5);
	r->min_secs = db_column_int(st, 6);
	r->inc_secs = db_column_int(st, 7);
	r->grace_secs = db_column_int(st, 8);
	r->eff_to = db_column_type(st, 9) == DB_NULL ? TM_NONE : db_column_int64(st, 9);
}

int deck_page(db_t *db, const deck_scope *sc, const deck_key *key, int dir, int inclusive,
              deck_row *rows, int max, int *n)
{
	db_stmt *st;
	int rc = DB_DONE, k = 0;
	*n = 0;
	if (max <= 0)
		return DB_OK;
	if (db_prepare(db, PAGE_SQL[dir < 0][key ? (inclusive ? 2 : 1) : 0], &st) != DB_OK)
		return db_fail(db, "rate deck page");
	bind_scope(st, sc, key);
	db_bind_int(st, 6, max);
	while (k < max && (rc = db_step(st)) == DB_ROW)
		read_row(st, &rows[k++]);
	if (k < max && rc != DB_DONE) {
		db_finalize(st);
		return db_fail(db, "rate deck page");
	}
	db_finalize(st);
	if (dir < 0) /* fetched backwards: put in ascending order */
		for (int i = 0; i < k / 2; i++) {
			deck_row tmp = rows[i];
			rows[i] = rows[k - 1 - i];
			rows[k - 1 - i] = tmp;
		}
	*n = k;
	return DB_OK;
}

static int count_sql(db_t *db, const char *sql, const deck_scope *sc, const deck_key *key, int64_t *out)
{
	db_stmt *st;
	int rc;
	*out = 0;
	if (db_prepare(db, sql, &st) != DB_OK)
		return db_fail(db, "count rate rows");
	bind_scope(st, sc, key);
	rc = db_step(st);
	if (rc == DB_ROW)
		*out = db_column_int64(st, 0);
	db_finalize(st);
	return rc == DB_ROW ? DB_OK : db_fail(db, "count rate rows");
}

int deck_count(db_t *db, const deck_scope *sc, int64_t *n)
{
	return count_sql(db, "SELECT COUNT(*) FROM rate WHERE " SCOPE, sc, NULL, n);
}

int deck_rank(db_t *db, const deck_scope *sc, const deck_key *key, int64_t *rank)
{
	return count_sql(db, "SELECT COUNT(*) FROM rate WHERE " SCOPE " AND (prefix, eff_from) < (?2, ?3)", sc, key,
	                 rank);
}

int deck_page_stamp(db_t *db, int64_t *stamp)
{
	db_stmt *st;
	int rc;
	*stamp = 0;
	if (db_prepare(db, "SELECT MAX(id) FROM rate", &st) != DB_OK)
		return db_fail(db, "rate stamp");
	rc = db_step(st);
	if (rc == DB_ROW)
		*stamp = db_column_int64(st, 0);
	db_finalize(st);
	return rc == DB_ROW ? DB_OK : db_fail(db, "rate stamp");
}

int deck_search(db_t *db, const deck_scope *sc, const deck_key *after, const char *text, deck_key *found)
{
	db_stmt *st;
	char like[200];
	size_t k = 0;
	int rc;
	/* LIKE pattern %text% with % _ and \ escaped */
	like[k++] = '%';
	for (const char *p = text; *p && k + 3 < sizeof like; p++) {
		if (*p == '%' || *p == '_' || *p == '\\')
			like[k++] = '\\';
		like[k++] = *p;
	}
	like[k++] = '%';
	like[k] = '\0';
	if (db_prepare(db, after
	        ? "SELECT prefix, eff_from FROM rate WHERE " SCOPE " AND (prefix, eff_from) > (?2, ?3)"
	          " AND (substr(prefix, 1, length(?6)) = ?6 OR lower(description) LIKE lower(?7) ESCAPE '\\')"
	          " ORDER BY prefix, eff_from LIMIT 1"
	        : "SELECT prefix, eff_from FROM rate WHERE " SCOPE
	          " AND (substr(prefix, 1, length(?6)) = ?6 OR lower(description) LIKE lower(?7) ESCAPE '\\')"
	          " ORDER BY prefix, eff_from LIMIT 1", &st) != DB_OK)
		return db_fail(db, "search rate deck");
	bind_scope(st, sc, after);
	db_bind_text(st, 6, text, -1);
	db_bind_text(st, 7, like, -1);
	rc = db_step(st);
	if (rc == DB_ROW) {
		snprintf(found->prefix, sizeof found->prefix, "%s", (const char *)db_column_text(st, 0));
		found->eff_from = db_column_int64(st, 1);
		db_finalize(st);
		return DB_OK;
	}
	db_finalize(st);
	if (rc == DB_DONE)
		return db_failf(db, DB_ENOTFOUND, "no rate matches \"%s\"", text);
	return db_fail(db, "search rate deck");
}
