/* store.c: rate and write records, keep rollups and walks in step. */
#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/number.h"
#include "../core/rate.h"
#include "../core/tm.h"
#include "account.h"
#include "deck.h"
#include "rollup.h"
#include "walk.h"
#include "out.h"
#include "store_int.h"
#ifdef BILLTOP_PG
#include "pg/db_pg_bulk.h"
#endif

#define ROLLUP_FLUSH_AT 20000 /* cells: with the 24 MB page cache, keeps imports under 64 MB */

/* *acc += v, saturating (money_add_sat): per-record amounts are bounded
 * (CDR_AMOUNT_MAX, cdr.h) and durations by the parsers. */
static void sat_add(int64_t *acc, int64_t v)
{
	*acc = money_add_sat(*acc, v);
}

const char *store_cdr_state_name(int state)
{
	static const char *const names[] = { "rated", "unrated", "not connected", "extra leg", "emergency",
	                                     "internal" };
	return state >= 0 && state <= CDR_INTERNAL ? names[state] : "?";
}

/* The store's change counter (db.h: SQLite's PRAGMA data_version, a NOTIFY
 * count on PostgreSQL). */
static int64_t data_version(db_t *db)
{
	return db_data_version(db);
}

store_writer *store_new(db_t *db, const store_opts *opts)
{
	store_writer *w = calloc(1, sizeof *w);
	if (!w)
		return NULL;
	w->db = db;
	w->opts = *opts;
	w->now = db_now();
	if (!w->opts.source)
		w->opts.source = "generic";
	w->roll = rollup_new();
	if (!w->roll
	    || db_prepare(db, "INSERT INTO cdr(account_id, record_id, call_key, start, answer, \"end\","
	                  " duration_ms, billsec_ms, src, dst, clid, disposition, disp_text,"
	                  " connected, state, billed_leg, rate_id, prefix, billed_secs, cost, cnam_cost,"
	                  " their_cost, their_billed, direction, suspended, import_id, dialplan, unrated_reason)"
	                  " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?12,?13,?14,?15,?16,?17,?18,?19,?20,?21,?22,"
	                  "?23,?24,?25,?26,?27,?28,?29) ON CONFLICT DO NOTHING RETURNING id", &w->ins_cdr) != DB_OK
	    || db_prepare(db, "INSERT INTO mdr(account_id, record_id, at, direction, src, dst, type,"
	                  " segments, cost, suspended, import_id) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)"
	                  " ON CONFLICT DO NOTHING RETURNING id",
	                  &w->ins_mdr) != DB_OK
	    || db_prepare(db, "INSERT INTO ledger(account_id, kind, amount, memo, at, posted, operator,"
	                  " ssh_client, ref) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9) RETURNING id", &w->ins_ledger) != DB_OK
	    || db_prepare(db, "SELECT record_id FROM cdr WHERE record_id = ?1", &w->find_rec) != DB_OK
	    || db_prepare(db, "SELECT 1 FROM cdr WHERE record_id = ?1 AND account_id = ?2 AND start = ?3"
	                  " AND dst = ?4 AND billsec_ms = ?5", &w->find_legacy) != DB_OK
	    /* PostgreSQL: cdr_call holds every month's billed legs, archived
	     * ones too (an extra leg of a call billed in an archived month) */
	    || db_prepare(db, DB_SQL(db, "SELECT state FROM cdr WHERE account_id = ?1 AND call_key = ?2 AND billed_leg = 1",
	                             "SELECT state FROM cdr_call WHERE account_id = ?1 AND call_key = ?2"),
	                  &w->find_leg) != DB_OK
	    || (db_backend_is(db, "postgresql")
	        && db_prepare(db, "SELECT lo, hi FROM billtop_cdr_month(?1)", &w->ens_month) != DB_OK)) {
		store_free(w);
		return NULL;
	}
	w->data_version = data_version(db);
	return w;
}

void store_defer_rows(store_writer *w)
{
#ifdef BILLTOP_PG
	if (!w->batch && db_backend_is(w->db, "postgresql"))
		w->batch = store_batch_new(); /* NULL (out of memory): rows one by one, as before */
#else
	(void)w;
#endif
}

void store_set_new_deck(store_writer *w, const char *deck)
{
	w->new_deck = deck;
}

static void drop_caches(store_writer *w)
{
	for (size_t i = 0; i < w->ndeck; i++)
		rate_deck_free(w->decks[i].deck);
	free(w->decks);
	w->decks = NULL;
	w->ndeck = 0;
	free(w->accts);
	w->accts = NULL;
	w->nacct = w->acap = 0;
	w->last = NULL;
}

int store_next(store_writer *w, int reload)
{
	w->now = db_now(); /* a follower lives long: "after now" is per batch */
	if (w->batch) { /* rows queued in an abandoned transaction go with it */
		store_batch_free(w->batch);
		w->batch = store_batch_new();
	}
	int64_t v = data_version(w->db);
	if (v < 0)
		return db_fail(w->db, "read data_version");
	if (reload || v != w->data_version)
		drop_caches(w);
	w->data_version = v;
	w->tx++;
	/* a month's partition made in a rolled-back transaction went with it:
	 * ensure it again (billtop_cdr_month) at its next call */
	w->month_lo = w->month_hi = 0;
	/* an abandoned transaction may have left cells behind: they were rolled back */
	rollup_free(w->roll);
	if (!(w->roll = rollup_new()))
		return db_failf(w->db, DB_ENOMEM, "out of memory");
	return DB_OK;
}

void store_free(store_writer *w)
{
	if (!w)
		return;
	free(w->keys);
	store_batch_free(w->batch);
	db_finalize(w->ins_cdr);
	db_finalize(w->ins_mdr);
	db_finalize(w->ins_ledger);
	db_finalize(w->find_rec);
	db_finalize(w->find_legacy);
	db_finalize(w->find_leg);
	db_finalize(w->ens_month);
	db_finalize(w->side_month);
	if (w->side) /* after the batch's statements on it */
		db_close(w->side);
	drop_caches(w);
	rollup_free(w->roll);
	free(w);
}

const store_stats *store_get_stats(const store_writer *w)
{
	return &w->stats;
}

static const rate_deck *deck_for(store_writer *w, int64_t deck_id, int *st)
{
	rate_deck *d;
	deck_entry *n;
	*st = DB_OK;
	if (deck_id == 0)
		return NULL;
	for (size_t i = 0; i < w->ndeck; i++)
		if (w->decks[i].deck_id == deck_id)
			return w->decks[i].deck;
	if ((*st = deck_load(w->db, deck_id, &d)) != DB_OK)
		return NULL;
	n = realloc(w->decks, (w->ndeck + 1) * sizeof *n);
	if (!n) {
		rate_deck_free(d);
		*st = db_failf(w->db, DB_ENOMEM, "out of memory");
		return NULL;
	}
	w->decks = n;
	w->decks[w->ndeck].deck_id = deck_id;
	w->decks[w->ndeck].deck = d;
	w->ndeck++;
	return d;
}

/* A kept entry's first touch in a later transaction (a follower's next
 * batch, store_next): lock the account again (pg_advisory_xact_lock; a no-op
 * on SQLite, whose BEGIN IMMEDIATE holds the file) and read it again, as
 * another writer may have committed in between (on PostgreSQL its NOTIFY is
 * not seen inside our transaction, so data_version cannot tell): the
 * account's deck and walk are what that writer left. DB_OK or an error. */
static int relock(store_writer *w, acct_entry *e, int *st)
{
	if (e->tx == w->tx)
		return *st = DB_OK;
	if ((*st = db_lock_account(w->db, e->info.id)) != DB_OK
	    || (*st = account_get(w->db, e->info.id, &e->info)) != DB_OK)
		return *st;
	e->deck = deck_for(w, e->info.deck_id, st);
	if (*st != DB_OK || (*st = walk_load(w->db, e->info.id, &e->walk)) != DB_OK)
		return *st;
	e->tx = w->tx;
	return DB_OK;
}

/* Find (or create, when allowed) the account a record belongs to. Returns
 * NULL with *st == DB_OK and a reason in why when the record must be
 * rejected. Entries live in a growing array: pointers are refreshed by index. */
static acct_entry *account_for(store_writer *w, const char *name, int *st, char *why, size_t whylen)
{
	acct_entry *e;
	*st = DB_OK;
	if (w->opts.account)
		name = w->opts.account;
	if (!name || !*name) {
		snprintf(why, whylen, "record has no account code (give --account NAME)");
		return NULL;
	}
	if (w->last && w->last->tx == w->tx && strcmp(w->last->info.name, name) == 0)
		return w->last;
	for (size_t i = 0; i < w->nacct; i++)
		if (strcmp(w->accts[i].info.name, name) == 0)
			return relock(w, &w->accts[i], st) == DB_OK ? w->last = &w->accts[i] : NULL;
	if (w->nacct == w->acap) {
		size_t ncap = w->acap ? w->acap * 2 : 8;
		acct_entry *n = realloc(w->accts, ncap * sizeof *n);
		if (!n) {
			*st = db_failf(w->db, DB_ENOMEM, "out of memory");
			return NULL;
		}
		w->accts = n;
		w->acap = ncap;
	}
	e = &w->accts[w->nacct];
	memset(e, 0, sizeof *e);
	*st = account_find(w->db, name, &e->info);
	/* PostgreSQL's writers do not wait for each other: a writer on this
	 * account waits here (pg_advisory_xact_lock, to the end of the
	 * transaction; a no-op on SQLite, whose BEGIN IMMEDIATE holds the file),
	 * and what it reads below is what the other one committed. (A follower
	 * keeps entries across transactions: relock takes them again.) */
	if (*st == DB_OK && (*st = db_lock_account(w->db, e->info.id)) == DB_OK)
		*st = account_find(w->db, name, &e->info);
	if (*st == DB_ENOTFOUND) {
		char shown[80]; /* a reason quotes the code made visible, like every value in one */
		out_visible(name, shown, sizeof shown, 0);
		if (!w->opts.create_accounts) {
			*st = DB_OK;
			snprintf(why, whylen, "unknown account \"%s\" (add it with `billtop account add`, "
			         "or import with --create-accounts)", shown);
			return NULL;
		}
		if (!account_name_ok(name)) {
			*st = DB_OK;
			snprintf(why, whylen, "account code \"%s\" is not a valid account name", shown);
			return NULL;
		}
		account_defaults(&e->info, name);
		*st = account_add(w->db, &e->info);
		if (*st == DB_OK)
			w->stats.accounts_created++;
		if (*st == DB_OK && w->new_deck && *w->new_deck
		    && (*st = account_set_deck(w->db, name, w->new_deck)) == DB_OK)
			*st = account_find(w->db, name, &e->info);
	}
	if (*st != DB_OK)
		return NULL;
	e->deck = deck_for(w, e->info.deck_id, st);
	if (*st != DB_OK)
		return NULL;
	if ((*st = walk_load(w->db, e->info.id, &e->walk)) != DB_OK)
		return NULL;
	e->walk_loaded = 1;
	e->tx = w->tx;
	w->last = NULL; /* the array may have moved */
	w->nacct++;
	return w->last = e;
}

static int bind_text_or_null(db_stmt *st, int i, const char *s)
{
	return s && *s ? db_bind_text(st, i, s, -1) : db_bind_null(st, i);
}

_Static_assert(sizeof ((store_writer *)0)->keybuf > CDR_RECORD_ID_MAX, "keybuf holds any record id");

static const char *record_key(store_writer *w, const char *id)
{
	size_t a = strlen(w->opts.source), b = strlen(id);
	if (a + 1 + b >= sizeof w->keybuf)
		b = sizeof w->keybuf - a - 2; /* never: the importers refuse longer ids (CDR_FIELD_MAX) */
	memcpy(w->keybuf, w->opts.source, a);
	w->keybuf[a] = ':';
	memcpy(w->keybuf + a + 1, id, b);
	w->keybuf[a + 1 + b] = '\0';
	return w->keybuf;
}

/* A generic file's record id was "generic:ID" until issue 9 and is now
 * "generic:ID/fnv:DIGEST" (rows sharing an id are all kept). A row that a
 * database imported before then already holds under the old id must stay a
 * duplicate, or re-importing an old file would store and charge it again:
 * the old id with the same account, start, destination and billsec is this
 * record. Only for ids with a digest after the source's own id; one indexed
 * look-up (record_id is unique). 1 legacy duplicate, 0 not, -1 error. */
static int legacy_duplicate(store_writer *w, const cdr_rec *r, int64_t account_id)
{
	const char *cut;
	char old[CDR_RECORD_ID_MAX + 1];
	size_t a, b;
	int rc;
	if (strcmp(w->opts.source, "generic") != 0 || !(cut = strstr(r->record_id, "/fnv:"))
	    || cut == r->record_id)
		return 0;
	a = strlen(w->opts.source);
	b = (size_t)(cut - r->record_id);
	if (a + 1 + b >= sizeof old)
		return 0;
	memcpy(old, w->opts.source, a);
	old[a] = ':';
	memcpy(old + a + 1, r->record_id, b);
	old[a + 1 + b] = '\0';
	db_bind_text(w->find_legacy, 1, old, -1);
	db_bind_int64(w->find_legacy, 2, account_id);
	db_bind_int64(w->find_legacy, 3, r->start);
	db_bind_text(w->find_legacy, 4, r->dst, -1);
	db_bind_int64(w->find_legacy, 5, r->billsec_ms);
	rc = db_step(w->find_legacy);
	db_reset(w->find_legacy);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

/* After a unique-index conflict: was it this record again (duplicate), or
 * another leg of a call already billed? For the latter *leg_state gets the
 * billed leg's state (an extra leg of an emergency call is never flagged). */
static int classify_conflict(store_writer *w, const char *key, int64_t account_id, const char *call_key,
                             int *kind, int *leg_state)
{
	int rc;
	db_bind_text(w->find_rec, 1, key, -1);
	rc = db_step(w->find_rec);
	db_reset(w->find_rec);
	if (rc == DB_ROW) {
		*kind = CONFLICT_DUPLICATE;
		return DB_OK;
	}
	if (rc != DB_DONE)
		return db_fail(w->db, "look up record");
	db_bind_int64(w->find_leg, 1, account_id);
	db_bind_text(w->find_leg, 2, call_key ? call_key : "", -1);
	rc = db_step(w->find_leg);
	if (rc == DB_ROW) {
		*kind = CONFLICT_BILLED_LEG;
		*leg_state = db_column_int(w->find_leg, 0);
		db_reset(w->find_leg);
		return DB_OK;
	}
	db_reset(w->find_leg);
	return db_fail(w->db, "insert call record");
}

int store_plan_state(const dialplan *plan, const char *dst, int connected, dial_result *d)
{
	dialplan_normalise(plan, dst, d);
	if (!connected)
		return CDR_NOT_CONNECTED;
	switch (d->cls) {
	case DIAL_INTERNAL: return CDR_INTERNAL;
	case DIAL_EMERGENCY: return CDR_EMERGENCY;
	case DIAL_INVALID: return CDR_UNRATED;
	default: return CDR_RATED;
	}
}

/* Decide the state and charge of a call. Pure computation, no I/O.
 * Without a dial plan: number_for_rating, as before dial plans. With one:
 * the plan's class decides (store_plan_state) and only an external number
 * is looked up in the deck, on its E.164 digits. */
static int rate_record(const acct_entry *a, const cdr_rec *r, rating *out)
{
	int pstate = CDR_RATED;
	memset(out, 0, sizeof *out);
	if (a->info.plan_code[0]) {
		dial_result d;
		pstate = store_plan_state(&a->info.plan, r->dst, 1, &d);
		if (pstate == CDR_RATED)
			snprintf(out->norm, sizeof out->norm, "%s", d.digits);
		else if (pstate == CDR_UNRATED)
			snprintf(out->reason, sizeof out->reason, "invalid number: %s", d.rule);
	} else if (number_for_rating(r->dst, out->norm, sizeof out->norm) < 0)
		out->norm[0] = '\0';
	if (a->deck && out->norm[0])
		out->row = rate_deck_match(a->deck, out->norm, r->start);
	if (!r->connected) {
		out->state = CDR_NOT_CONNECTED;
		out->reason[0] = '\0';
		return RATE_OK;
	}
	out->billed_leg = r->call_key && *r->call_key;
	if (pstate == CDR_INTERNAL || pstate == CDR_UNRATED) {
		out->state = pstate;
		return RATE_OK;
	}
	if (pstate == CDR_EMERGENCY || (!a->info.plan_code[0] && number_is_emergency(out->norm))) {
		out->state = CDR_EMERGENCY;
		return RATE_OK;
	}
	if (!out->row) {
		out->state = CDR_UNRATED;
		if (!a->deck)
			snprintf(out->reason, sizeof out->reason, "no rate deck");
		else if (!out->norm[0])
			snprintf(out->reason, sizeof out->reason, "no number");
		else
			snprintf(out->reason, sizeof out->reason, "no rate for %s", out->norm);
		return RATE_OK;
	}
	out->state = CDR_RATED;
	return rate_call(out->row, r->billsec_ms, a->info.decimals, a->info.rounding, &out->res);
}

/* DB_DONE with the new row's id in *id, or db_step's status. */
static int insert_cdr(store_writer *w, const acct_entry *a, const cdr_rec *r, const char *key,
                      const rating *rt, int suspended, int64_t *id)
{
	db_stmt *s = w->ins_cdr;
	int rc, charged = rt->state == CDR_RATED;
	if ((rc = store_ensure_month(w, r->start)) != DB_OK)
		return rc;
	db_bind_int64(s, 1, a->info.id);
	db_bind_text(s, 2, key, -1);
	bind_text_or_null(s, 3, r->call_key);
	db_bind_int64(s, 4, r->start);
	if (r->answer != TM_NONE) db_bind_int64(s, 5, r->answer); else db_bind_null(s, 5);
	if (r->end != TM_NONE) db_bind_int64(s, 6, r->end); else db_bind_null(s, 6);
	db_bind_int64(s, 7, r->duration_ms);
	db_bind_int64(s, 8, r->billsec_ms);
	db_bind_text(s, 9, r->src ? r->src : "", -1);
	db_bind_text(s, 10, r->dst ? r->dst : "", -1);
	/* clid may hold any bytes (stored faithfully as a blob) */
	if (r->clid && *r->clid) db_bind_blob(s, 12, r->clid, (int)strlen(r->clid));
	else db_bind_null(s, 12);
	db_bind_int(s, 13, r->disposition);
	db_bind_text(s, 14, r->disposition_text ? r->disposition_text : "", -1);
	db_bind_int(s, 15, r->connected != 0);
	db_bind_int(s, 16, rt->state);
	db_bind_int(s, 17, rt->billed_leg);
	if (rt->row) {
		db_bind_int64(s, 18, rt->row->id);
		db_bind_text(s, 19, rt->row->prefix, -1);
	} else {
		db_bind_null(s, 18);
		db_bind_null(s, 19);
	}
	db_bind_int64(s, 20, charged ? rt->res.billed_secs : 0);
	db_bind_int64(s, 21, charged ? rt->res.cost : 0);
	db_bind_int64(s, 22, r->cnam_fee);
	if (r->has_their_cost) db_bind_int64(s, 23, r->their_cost); else db_bind_null(s, 23);
	if (r->their_billed_secs >= 0) db_bind_int64(s, 24, r->their_billed_secs); else db_bind_null(s, 24);
	db_bind_text(s, 25, r->direction ? r->direction : "", -1);
	db_bind_int(s, 26, suspended);
	if (w->opts.import_id) db_bind_int64(s, 27, w->opts.import_id); else db_bind_null(s, 27);
	bind_text_or_null(s, 28, a->info.plan_code);
	bind_text_or_null(s, 29, rt->state == CDR_UNRATED ? rt->reason : NULL);
	rc = db_step(s);
	if (rc == DB_ROW) {
		*id = db_column_int64(s, 0);
		rc = DB_DONE;
	} else if (rc == DB_DONE) {
		/* ON CONFLICT DO NOTHING: no row is a unique conflict, reported as
		 * one without failing the statement (PostgreSQL would abort the
		 * whole transaction on the error) */
		rc = DB_ECONSTRAINT;
	}
	db_reset(s);
	return rc;
}

int store_cdr(store_writer *w, const cdr_rec *r, int *outcome, char *why, size_t whylen)
{
	int st, rc, conflict = CONFLICT_DUPLICATE, was_susp, leg_state = CDR_RATED;
	int64_t cdr_id = 0;
	acct_entry *a = account_for(w, r->account, &st, why, whylen);
	rating rt;
	const char *key;

	*outcome = STORE_REJECT;
	if (!a)
		return st;
	if (rate_record(a, r, &rt) != RATE_OK) {
		snprintf(why, whylen, "cost overflows (billsec %lld ms)", (long long)r->billsec_ms);
		return DB_OK;
	}
	/* One record's amounts stay within CDR_AMOUNT_MAX (cdr.h), so the
	 * walk's debit, charge + fee, is exact. */
	if (rt.state == CDR_RATED && rt.res.cost > CDR_AMOUNT_MAX) {
		snprintf(why, whylen, "charge above 1000000 for one call (billsec %lld ms)", (long long)r->billsec_ms);
		return DB_OK;
	}
	if (r->cnam_fee < 0 || r->cnam_fee > CDR_AMOUNT_MAX) {
		snprintf(why, whylen, "CNAM fee out of range (0 to 1000000)");
		return DB_OK;
	}
	if (!money_fits_decimals(r->cnam_fee, a->info.decimals)) { /* as a message cost (store_mdr) */
		char m[160];
		money_decimals_why(r->cnam_fee, a->info.decimals, a->info.name, m, sizeof m);
		snprintf(why, whylen, "CNAM fee %s: a carrier's charge is never rounded", m);
		return DB_OK;
	}
	key = record_key(w, r->record_id);
	switch (legacy_duplicate(w, r, a->info.id)) {
	case 1:
		w->stats.duplicates++;
		*outcome = STORE_DUPLICATE;
		return DB_OK;
	case -1:
		return db_fail(w->db, "look up record");
	default:
		break;
	}
	if (w->batch) { /* store_defer_rows: stored (or counted a duplicate) at the next flush */
		*outcome = STORE_INSERTED;
		return store_batch_add(w, (size_t)(a - w->accts), r, key, &rt);
	}
	/* Flag with the walk's status before this call's own charge. */
	was_susp = a->walk.w.status == LEDGER_SUSPENDED;
	int flag = was_susp && r->connected && rt.state != CDR_EMERGENCY && rt.state != CDR_INTERNAL;
	rc = insert_cdr(w, a, r, key, &rt, flag, &cdr_id);
	if (rc == DB_ECONSTRAINT) {
		if ((st = classify_conflict(w, key, a->info.id, r->call_key, &conflict, &leg_state)) != DB_OK)
			return st;
		if (conflict == CONFLICT_DUPLICATE) {
			w->stats.duplicates++;
			*outcome = STORE_DUPLICATE;
			return DB_OK;
		}
		/* Another leg of this call is billed already: keep it, charge nothing,
		 * flag it as the call is flagged (walk.c: an extra leg of an
		 * emergency or internal call never is, whatever its own number). */
		rt.state = CDR_EXTRA_LEG;
		rt.billed_leg = 0;
		flag = was_susp && r->connected && leg_state != CDR_EMERGENCY && leg_state != CDR_INTERNAL;
		rc = insert_cdr(w, a, r, key, &rt, flag, &cdr_id);
	}
	if (rc != DB_DONE)
		return db_fail(w->db, "insert call record");
	*outcome = STORE_INSERTED;
	return store_i_account_row(w, a, r, &rt, cdr_id);
}

/* The rollups' cells to the store: on PostgreSQL an importer's upserts are
 * sent without waiting for each (db_pg_defer), a round trip per few hundred
 * cells instead of one a cell. */
static int flush_rollups(store_writer *w)
{
#ifdef BILLTOP_PG
	if (w->batch) {
		int st, st2;
		db_pg_defer(w->db, 1);
		st = rollup_flush(w->roll, w->db);
		st2 = db_pg_defer(w->db, 0);
		if (st == DB_OK && st2 != DB_OK)
			st = db_fail(w->db, "write rollups");
		return st;
	}
#endif
	return rollup_flush(w->roll, w->db);
}

int store_i_account_row(store_writer *w, acct_entry *a, const cdr_rec *r, const rating *rtp, int64_t cdr_id)
{
	int st, was_susp;
	rollup_hour_v *h;
	rollup_dest_v *d;
	money_t charge;
	const rating *rt = rtp;
	w->stats.inserted++;
	if (r->start > w->now)
		w->stats.dated_later++;
	if ((st = store_i_note_call_key(w, a->info.id, r->call_key)) != DB_OK)
		return st;
	switch (rt->state) {
	case CDR_RATED: w->stats.rated++; break;
	case CDR_UNRATED: w->stats.unrated++; break;
	case CDR_NOT_CONNECTED: w->stats.not_connected++; break;
	case CDR_EXTRA_LEG: w->stats.extra_legs++; break;
	case CDR_INTERNAL: w->stats.internal++; break;
	default: w->stats.emergency++; break;
	}
	charge = (rt->state == CDR_RATED ? rt->res.cost : 0);
	sat_add(&w->stats.charged, charge + r->cnam_fee);

	if (!(h = rollup_hour(w->roll, a->info.id, tm_floor_hour(r->start))))
		return db_failf(w->db, DB_ENOMEM, "out of memory");
	h->calls++;
	sat_add(&h->duration_ms, r->duration_ms);
	if (r->connected && rt->state != CDR_EXTRA_LEG) {
		h->connected++;
		sat_add(&h->billsec_ms, r->billsec_ms);
	}
	sat_add(&h->billed_secs, rt->state == CDR_RATED ? rt->res.billed_secs : 0);
	h->unrated += rt->state == CDR_UNRATED;
	h->internal += rt->state == CDR_INTERNAL;
	sat_add(&h->cost_calls, charge);
	sat_add(&h->cost_cnam, r->cnam_fee);
	h->cnam_lookups += r->cnam_fee != 0;
	if (!(d = rollup_dest(w->roll, a->info.id, tm_floor_day(r->start), rt->row ? rt->row->prefix : "")))
		return db_failf(w->db, DB_ENOMEM, "out of memory");
	d->calls++;
	if (r->connected && rt->state != CDR_EXTRA_LEG) {
		d->connected++;
		sat_add(&d->billsec_ms, r->billsec_ms);
	}
	sat_add(&d->billed_secs, rt->state == CDR_RATED ? rt->res.billed_secs : 0);
	sat_add(&d->cost, charge);
	if (rollup_entries(w->roll) > ROLLUP_FLUSH_AT && (st = flush_rollups(w)) != DB_OK)
		return st;

	if (r->connected || charge || r->cnam_fee)
		return walk_event(w->db, &a->walk, r->start, WALK_CDR, cdr_id,
		                  -(charge + r->cnam_fee), &was_susp);
	return DB_OK;
}

int store_i_mdr_row(store_writer *w, acct_entry *a, const mdr_rec *m, int64_t mdr_id)
{
	rollup_hour_v *h;
	rollup_msg_v *mv;
	int was_susp;
	w->stats.inserted++;
	w->stats.messages++;
	if (m->at > w->now)
		w->stats.dated_later++;
	sat_add(&w->stats.charged, m->cost);
	if (!(h = rollup_hour(w->roll, a->info.id, tm_floor_hour(m->at))))
		return db_failf(w->db, DB_ENOMEM, "out of memory");
	h->msgs++;
	h->msg_segments += m->segments;
	sat_add(&h->cost_msg, m->cost);
	mv = rollup_msg(w->roll, a->info.id, tm_floor_day(m->at), rollup_msg_type(m->type),
	                rollup_msg_dir(m->direction));
	if (!mv)
		return db_failf(w->db, DB_ENOMEM, "out of memory");
	mv->msgs++;
	mv->segments += m->segments;
	sat_add(&mv->cost, m->cost);
	return walk_event(w->db, &a->walk, m->at, WALK_MDR, mdr_id, -m->cost, &was_susp);
}

int store_mdr(store_writer *w, const mdr_rec *m, int *outcome, char *why, size_t whylen)
{
	int st, rc;
	int64_t mdr_id = 0;
	acct_entry *a = account_for(w, m->account, &st, why, whylen);
	db_stmt *s = w->ins_mdr;
	const char *key;

	*outcome = STORE_REJECT;
	if (!a)
		return st;
	if (m->cost < 0 || m->cost > CDR_AMOUNT_MAX) { /* cdr.h */
		snprintf(why, whylen, "message cost out of range (0 to 1000000)");
		return DB_OK;
	}
	if (!money_fits_decimals(m->cost, a->info.decimals)) {
		/* a carrier's charge is stored as given, never rounded (issue 10) */
		char r[160];
		money_decimals_why(m->cost, a->info.decimals, a->info.name, r, sizeof r);
		snprintf(why, whylen, "message cost %s: a carrier's charge is never rounded", r);
		return DB_OK;
	}
	key = record_key(w, m->record_id);
	if (w->batch) { /* store_defer_rows: queued after the calls before it (file order) */
		*outcome = STORE_INSERTED;
		return store_batch_add_mdr(w, (size_t)(a - w->accts), m, key);
	}
	db_bind_int64(s, 1, a->info.id);
	db_bind_text(s, 2, key, -1);
	db_bind_int64(s, 3, m->at);
	db_bind_text(s, 4, m->direction ? m->direction : "", -1);
	db_bind_text(s, 5, m->src ? m->src : "", -1);
	db_bind_text(s, 6, m->dst ? m->dst : "", -1);
	db_bind_text(s, 7, m->type ? m->type : "sms", -1);
	db_bind_int(s, 8, m->segments);
	db_bind_int64(s, 9, m->cost);
	db_bind_int(s, 10, a->walk.w.status == LEDGER_SUSPENDED);
	if (w->opts.import_id) db_bind_int64(s, 11, w->opts.import_id); else db_bind_null(s, 11);
	rc = db_step(s);
	if (rc == DB_ROW) { /* RETURNING id */
		mdr_id = db_column_int64(s, 0);
		rc = DB_DONE;
	} else if (rc == DB_DONE) { /* ON CONFLICT DO NOTHING: a duplicate */
		rc = DB_ECONSTRAINT;
	}
	db_reset(s);
	if (rc == DB_ECONSTRAINT) {
		w->stats.duplicates++;
		*outcome = STORE_DUPLICATE;
		return DB_OK;
	}
	if (rc != DB_DONE)
		return db_fail(w->db, "insert message record");
	*outcome = STORE_INSERTED;
	return store_i_mdr_row(w, a, m, mdr_id);
}

int store_ledger(store_writer *w, int64_t account_id, ledger_kind kind, money_t amount,
                 const char *memo, int64_t at, int64_t *entry_id)
{
	return store_ledger_ref(w, account_id, kind, amount, memo, at, NULL, entry_id);
}

int store_ledger_ref(store_writer *w, int64_t account_id, ledger_kind kind, money_t amount,
                     const char *memo, int64_t at, const char *ref, int64_t *entry_id)
{
	db_stmt *s = w->ins_ledger;
	acct_entry *a = NULL;
	int rc, st, was;
	char why[128];
	account_info info;

	if ((st = store_batch_flush(w)) != DB_OK || (st = account_get(w->db, account_id, &info)) != DB_OK)
		return st;
	if (!(a = account_for(w, info.name, &st, why, sizeof why)))
		return st != DB_OK ? st : db_failf(w->db, DB_ENOTFOUND, "%s", why);
	db_bind_int64(s, 1, account_id);
	db_bind_text(s, 2, ledger_kind_name(kind), -1);
	db_bind_int64(s, 3, amount);
	db_bind_text(s, 4, memo ? memo : "", -1);
	db_bind_int64(s, 5, at);
	db_bind_int64(s, 6, db_now());
	db_bind_text(s, 7, db_operator(), -1);
	db_bind_text(s, 8, db_ssh_client(), -1);
	bind_text_or_null(s, 9, ref);
	rc = db_step(s);
	if (rc == DB_ROW) /* RETURNING id */
		*entry_id = db_column_int64(s, 0);
	db_reset(s);
	if (rc != DB_ROW)
		return db_fail(w->db, "post ledger entry");
	return walk_event(w->db, &a->walk, at, WALK_LEDGER, *entry_id, amount, &was);
}

int store_finish(store_writer *w)
{
	int st = store_batch_flush(w);
	if (st == DB_OK)
		st = store_batch_wait(w);
	if (st == DB_OK)
		st = flush_rollups(w);
	store_i_count_multi_row_calls(w);
	for (size_t i = 0; st == DB_OK && i < w->nacct; i++)
		if (w->accts[i].walk_loaded && w->accts[i].tx == w->tx) /* an older one is not ours to write */
			st = walk_save(w->db, &w->accts[i].walk);
	return st;
}
