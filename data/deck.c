/* deck.c: rate decks in the store: storing what deckfmt.c read, loading. */
#include "deck.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


typedef struct {
	db_t *db;
	const char *path;
	int64_t deck_id;
	deck_import_stats *stats;
	db_stmt *find, *ins;
	int64_t import_id;     /* this import's row in `import` (kind 'rates'): who, when, what */
} deck_ctx;

/* Store one row read by deckfmt. Same prefix and effective date already
 * present: identical is a no-op (unchanged), different is an error (rates
 * are changed by a new effective date). */
static int store_row(deck_ctx *x, const deckfmt_row *row)
{
	const rate_row *r = &row->r;
	db_bind_int64(x->find, 1, x->deck_id);
	db_bind_text(x->find, 2, r->prefix, -1);
	db_bind_int64(x->find, 3, r->eff_from);
	if (db_step(x->find) == DB_ROW) {
		int same = db_column_int64(x->find, 1) == r->rate_per_min
		           && db_column_int(x->find, 2) == r->min_secs
		           && db_column_int(x->find, 3) == r->inc_secs
		           && db_column_int(x->find, 4) == r->grace_secs
		           && db_column_int64(x->find, 5) == r->connect_fee;
		db_reset(x->find);
		if (!same)
			return db_failf(x->db, DB_EINPUT, "%s:%lld: prefix %s already has different rates from that date: "
			                "import the new deck with --effective DATE", x->path, (long long)row->line,
			                r->prefix);
		x->stats->unchanged++;
		return DB_OK;
	}
	db_reset(x->find);
	db_bind_int64(x->ins, 1, x->deck_id);
	db_bind_text(x->ins, 2, r->prefix, -1);
	db_bind_text(x->ins, 3, r->description, -1);
	db_bind_int64(x->ins, 4, r->rate_per_min);
	db_bind_int(x->ins, 5, r->min_secs);
	db_bind_int(x->ins, 6, r->inc_secs);
	db_bind_int(x->ins, 7, r->grace_secs);
	db_bind_int64(x->ins, 8, r->connect_fee);
	db_bind_int64(x->ins, 9, r->eff_from);
	if (r->eff_to != RATE_FOREVER)
		db_bind_int64(x->ins, 10, r->eff_to);
	else
		db_bind_null(x->ins, 10);
	if (db_step(x->ins) != DB_DONE) {
		db_reset(x->ins);
		return db_fail(x->db, "insert rate");
	}
	db_reset(x->ins);
	x->stats->added++;
	return DB_OK;
}

int deck_find(db_t *db, const char *name, int64_t *id)
{
	db_stmt *st;
	int rc;
	if (db_prepare(db, "SELECT id FROM deck WHERE name = ?1", &st) != DB_OK)
		return db_fail(db, "find deck");
	db_bind_text(st, 1, name, -1);
	rc = db_step(st);
	if (rc == DB_ROW)
		*id = db_column_int64(st, 0);
	db_finalize(st);
	if (rc == DB_ROW)
		return DB_OK;
	return rc == DB_DONE ? db_failf(db, DB_ENOTFOUND, "no rate deck named \"%s\"", name)
	                         : db_fail(db, "find deck");
}

/* The first rejection of d as "FILE:LINE: reason". */
static const char *first_reject(const deckfmt_deck *d, char *buf, size_t cap)
{
	for (size_t i = 0; i < d->nmsgs; i++)
		if (d->msgs[i].reject) {
			snprintf(buf, cap, "%lld: %s", (long long)d->msgs[i].line, d->msgs[i].text);
			return buf;
		}
	return "(reasons not kept)";
}

int deck_store(db_t *db, const char *path, const char *name, int64_t effective, const deckfmt_deck *d,
               int keep_going, deck_import_stats *stats)
{
	deck_ctx x;
	int st, rc;
	db_stmt *mk;
	char why[300];

	memset(stats, 0, sizeof *stats);
	stats->rows = d->records;
	stats->blank = d->blank;
	stats->rejected = d->rejected;
	stats->repeats = d->repeats;
	stats->warnings = d->warnings;
	if (d->rejected && !keep_going)
		return db_failf(db, DB_EINPUT, "%s:%s; %lld of %lld rows rejected, nothing stored "
		                "(--keep-going stores the others)", path, first_reject(d, why, sizeof why),
		                (long long)d->rejected, (long long)d->records);
	if (d->nrows == 0)
		return db_failf(db, DB_EINPUT, "%s: no rates in the file (%lld rows read)", path, (long long)d->records);
	memset(&x, 0, sizeof x);
	x.db = db;
	x.path = path;
	x.stats = stats;
	if ((st = db_begin(db, 1)) != DB_OK)
		return st;
	if (db_prepare(db, "INSERT INTO deck(name, created) VALUES(?1, ?2)"
	                       " ON CONFLICT(name) DO NOTHING", &mk) != DB_OK) {
		st = db_fail(db, "create deck");
		goto fail;
	}
	db_bind_text(mk, 1, name, -1);
	db_bind_int64(mk, 2, db_now());
	rc = db_step(mk);
	db_finalize(mk);
	if (rc != DB_DONE) {
		st = db_fail(db, "create deck");
		goto fail;
	}
	if ((st = deck_find(db, name, &x.deck_id)) != DB_OK)
		goto fail;
	stats->deck_id = x.deck_id;
	/* A new price list changes what calls cost: record who imported it. */
	if (db_prepare(db, "INSERT INTO import(kind, path, format, started, operator, ssh_client)"
	                       " VALUES('rates', ?1, ?2, ?3, ?4, ?5) RETURNING id", &mk) != DB_OK) {
		st = db_fail(db, "record the deck import");
		goto fail;
	}
	db_bind_text(mk, 1, path, -1);
	db_bind_text(mk, 2, name, -1);
	db_bind_int64(mk, 3, db_now());
	db_bind_text(mk, 4, db_operator(), -1);
	db_bind_text(mk, 5, db_ssh_client(), -1);
	rc = db_step(mk);
	if (rc == DB_ROW) /* RETURNING id */
		x.import_id = db_column_int64(mk, 0);
	db_finalize(mk);
	if (rc != DB_ROW) {
		st = db_fail(db, "record the deck import");
		goto fail;
	}
	if ((st = db_prepare(db, "SELECT id, rate, min_secs, inc_secs, grace_secs, connect_fee FROM rate"
	                     " WHERE deck_id = ?1 AND prefix = ?2 AND eff_from = ?3", &x.find)) != DB_OK
	    || (st = db_prepare(db, "INSERT INTO rate(deck_id, prefix, description, rate, min_secs, inc_secs,"
	                        " grace_secs, connect_fee, eff_from, eff_to, import_id)"
	                        " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)", &x.ins)) != DB_OK)
		goto fail;
	db_bind_int64(x.ins, 11, x.import_id);
	for (size_t i = 0; i < d->nrows; i++)
		if (!d->rows[i].repeat && (st = store_row(&x, &d->rows[i])) != DB_OK)
			goto fail;
	if (effective > 0) {
		/* The new file replaces the deck from `effective` on: close older
		 * open rows whose prefix it does not carry. */
		db_stmt *cl;
		if (db_prepare(db, "UPDATE rate SET eff_to = ?2 WHERE deck_id = ?1 AND eff_from < ?2"
		        " AND (eff_to IS NULL OR eff_to > ?2) AND prefix NOT IN"
		        " (SELECT prefix FROM rate WHERE deck_id = ?1 AND eff_from = ?2)", &cl) != DB_OK) {
			st = db_fail(db, "close replaced rates");
			goto fail;
		}
		db_bind_int64(cl, 1, x.deck_id);
		db_bind_int64(cl, 2, effective);
		rc = db_step(cl);
		stats->closed = db_changes(db);
		db_finalize(cl);
		if (rc != DB_DONE) {
			st = db_fail(db, "close replaced rates");
			goto fail;
		}
	}
	if (db_prepare(db, "UPDATE import SET finished = ?2, rows = ?3, inserted = ?4, duplicates = ?5,"
	                       " rejected = ?6 WHERE id = ?1", &mk) != DB_OK) {
		st = db_fail(db, "record the deck import");
		goto fail;
	}
	db_bind_int64(mk, 1, x.import_id);
	db_bind_int64(mk, 2, db_now());
	db_bind_int64(mk, 3, stats->rows);
	db_bind_int64(mk, 4, stats->added);
	db_bind_int64(mk, 5, stats->unchanged + stats->repeats);
	db_bind_int64(mk, 6, stats->rejected);
	rc = db_step(mk);
	db_finalize(mk);
	if (rc != DB_DONE) {
		st = db_fail(db, "record the deck import");
		goto fail;
	}
	db_finalize(x.find);
	db_finalize(x.ins);
	return db_commit(db);
fail:
	db_finalize(x.find);
	db_finalize(x.ins);
	db_rollback(db);
	return st;
}

/* Read (deckfmt) then store; rows come from `text` (len bytes) when it is
 * not NULL, else from the file `path`. */
static int deck_import_from(db_t *db, const char *path, const char *text, size_t len, const char *name,
                            int64_t effective, deck_import_stats *stats)
{
	deckfmt_opts o;
	deckfmt_deck d;
	int st;
	memset(&o, 0, sizeof o);
	memset(stats, 0, sizeof *stats);
	o.effective = effective;
	st = deckfmt_read(path, text, len, &o, &d);
	if (st == DECKFMT_OK)
		st = deck_store(db, path, name, effective, &d, 0, stats);
	else
		st = db_failf(db, st == DECKFMT_ENOMEM ? DB_ENOMEM : DB_EINPUT, "%s", d.err);
	deckfmt_free(&d);
	return st;
}

int deck_import(db_t *db, const char *path, const char *name, int64_t effective,
                deck_import_stats *stats)
{
	return deck_import_from(db, path, NULL, 0, name, effective, stats);
}

int deck_import_text(db_t *db, const char *label, const char *text, const char *name,
                     int64_t effective, deck_import_stats *stats)
{
	return deck_import_from(db, label, text, strlen(text), name, effective, stats);
}

int deck_import_buffer(db_t *db, const char *label, const char *text, size_t len, const char *name,
                       int64_t effective, deck_import_stats *stats)
{
	/* deck_import_from reads the file when text is NULL: never for a buffer */
	return deck_import_from(db, label, text ? text : "", text ? len : 0, name, effective, stats);
}

int deck_load(db_t *db, int64_t deck_id, rate_deck **out)
{
	db_stmt *st;
	rate_deck *d = rate_deck_new();
	int rc, err;
	*out = NULL;
	if (!d)
		return db_failf(db, DB_ENOMEM, "out of memory");
	if (db_prepare(db, "SELECT id, prefix, description, rate, min_secs, inc_secs,"
	                       " grace_secs, connect_fee, eff_from, eff_to FROM rate WHERE deck_id = ?1", &st) != DB_OK) {
		rate_deck_free(d);
		return db_fail(db, "load deck");
	}
	db_bind_int64(st, 1, deck_id);
	while ((rc = db_step(st)) == DB_ROW) {
		rate_row r;
		memset(&r, 0, sizeof r);
		r.id = db_column_int64(st, 0);
		snprintf(r.prefix, sizeof r.prefix, "%s", (const char *)db_column_text(st, 1));
		r.description = (const char *)db_column_text(st, 2);
		r.rate_per_min = db_column_int64(st, 3);
		r.min_secs = db_column_int(st, 4);
		r.inc_secs = db_column_int(st, 5);
		r.grace_secs = db_column_int(st, 6);
		r.connect_fee = db_column_int64(st, 7);
		r.eff_from = db_column_int64(st, 8);
		r.eff_to = db_column_type(st, 9) == DB_NULL ? RATE_FOREVER : db_column_int64(st, 9);
		if ((err = rate_deck_add(d, &r)) != RATE_OK) {
			db_finalize(st);
			rate_deck_free(d);
			return db_failf(db, DB_EINPUT, "rate row %lld (prefix %s): %s", (long long)r.id, r.prefix,
			                rate_strerror(err));
		}
	}
	db_finalize(st);
	if (rc != DB_DONE) {
		rate_deck_free(d);
		return db_fail(db, "load deck");
	}
	*out = d;
	return DB_OK;
}
