/* rerate.c: re-rating stored calls as append-only corrections (rerate.h). */
#include "rerate.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/dialplan.h"
#include "../core/number.h"
#include "../core/tm.h"
#include "cdr.h"
#include "deck.h"
#include "rollup.h"
#include "store.h"
#include "walk.h"

/* Calls are read in chunks of about this many (whole seconds of start
 * time: the chunk ends where the start changes), then written: memory stays
 * bounded whatever the number of calls, and no statement reads the call
 * index while its rows are being updated. */
#define RERATE_CHUNK 8192

/* One rating: what the cdr row's charge columns hold. */
typedef struct {
	int state;
	int64_t rate_id;           /* 0 = NULL */
	char prefix[RATE_PREFIX_MAX + 1]; /* "" = NULL */
	int64_t billed_secs;
	money_t cost;
	char reason[200];          /* "" = NULL */
} charge;
_Static_assert(sizeof ((charge *)0)->prefix == sizeof ((rate_row *)0)->prefix, "prefixes copied whole");

typedef struct {
	int64_t id, start, billsec_ms;
	int64_t seq;               /* cdr_now.rating_seq: corrections so far */
	charge old, neu;
} change;

typedef struct {
	int64_t day, calls;
	money_t delta;
} day_cell;

typedef struct {
	db_t *db;
	const account_info *a;
	const rerate_opts *o;
	const rate_deck *deck;
	int64_t deck_id, run_id, min_start;
	rerate_result *res;
	int last_prefix;
	rollup *roll;
	day_cell *days;
	size_t ndays, dcap;
	db_stmt *ins_rating, *ins_now, *upd_now;
	db_stmt *ins_rating_n, *ins_now_n;    /* RERATE_BATCH rows a statement */
	int with_account;                     /* PostgreSQL: rating rows carry account_id */
	char plan_code[DIALPLAN_CODE_MAX];
	dialplan plan;
	int plan_ok;
} run;

/* Same rating: a call whose new rating is this gets no correction. The
 * unrated reason counts ("no rate deck" -> "no rate for 999..." once the
 * account has a deck that lacks the prefix). */
static int same_charge(const charge *x, const charge *y)
{
	return x->state == y->state && x->rate_id == y->rate_id && strcmp(x->prefix, y->prefix) == 0
	       && x->billed_secs == y->billed_secs && x->cost == y->cost && strcmp(x->reason, y->reason) == 0;
}

/* The new rating of one connected call that is rated or unrated now.
 * Returns 0 when the call's number does not lead to the deck (its state
 * comes from the dial plan alone: left as it is), 1 with *c filled, or -1
 * when the cost overflows or passes CDR_AMOUNT_MAX. */
static int rate_again(run *r, db_stmt *q, int64_t start, int64_t billsec_ms, charge *c)
{
	const char *dst = (const char *)db_column_text(q, 3);
	const char *code = (const char *)db_column_text(q, 10);
	char norm[64];
	const rate_row *row;
	rate_result res;
	memset(c, 0, sizeof *c);
	if (!dst)
		dst = "";
	if (code && *code) {
		dial_result d;
		if (strcmp(code, r->plan_code) != 0) {
			snprintf(r->plan_code, sizeof r->plan_code, "%s", code);
			r->plan_ok = dialplan_decode(code, &r->plan) == 0;
		}
		if (!r->plan_ok || store_plan_state(&r->plan, dst, 1, &d) != CDR_RATED)
			return 0;
		snprintf(norm, sizeof norm, "%s", d.digits);
	} else {
		if (number_for_rating(dst, norm, sizeof norm) < 0)
			norm[0] = '\0';
		if (number_is_emergency(norm))
			return 0;
	}
	row = norm[0] ? rate_deck_match(r->deck, norm, start) : NULL;
	if (!row) {
		c->state = CDR_UNRATED;
		if (!norm[0])
			snprintf(c->reason, sizeof c->reason, "no number");
		else
			snprintf(c->reason, sizeof c->reason, "no rate for %s", norm);
		return 1;
	}
	if (rate_call(row, billsec_ms, r->a->decimals, r->a->rounding, &res) != RATE_OK || res.cost > CDR_AMOUNT_MAX)
		return -1;
	c->state = CDR_RATED;
	c->rate_id = row->id;
	memcpy(c->prefix, row->prefix, sizeof c->prefix); /* both RATE_PREFIX_MAX + 1 */
	c->billed_secs = res.billed_secs;
	c->cost = res.cost;
	return 1;
}

static void bind_charge(db_stmt *s, int base, const charge *c)
{
	db_bind_int(s, base, c->state);
	if (c->rate_id) db_bind_int64(s, base + 1, c->rate_id); else db_bind_null(s, base + 1);
	if (c->prefix[0]) db_bind_text(s, base + 2, c->prefix, -1);
	else db_bind_null(s, base + 2);
	db_bind_int64(s, base + 3, c->billed_secs);
	db_bind_int64(s, base + 4, c->cost);
	if (c->reason[0]) db_bind_text(s, base + 5, c->reason, -1);
	else db_bind_null(s, base + 5);
}

static int insert_rating(run *r, const change *c)
{
	db_stmt *s = r->ins_rating;
	int rc;
	db_bind_int64(s, 1, c->id);
	db_bind_int64(s, 2, c->seq + 1);
	db_bind_int64(s, 3, r->run_id);
	bind_charge(s, 4, &c->neu);
	if (r->with_account)
		db_bind_int64(s, 10, r->a->id);
	rc = db_step(s);
	db_reset(s);
	return rc == DB_DONE ? DB_OK : db_fail(r->db, "append rating");
}

static rerate_prefix *prefix_cell(run *r, const char *prefix)
{
	rerate_result *res = r->res;
	/* few prefixes per run next to calls; the last one hit is tried first */
	if (r->last_prefix < res->nprefix && strcmp(res->prefix[r->last_prefix].prefix, prefix) == 0)
		return &res->prefix[r->last_prefix];
	for (int i = 0; i < res->nprefix; i++)
		if (strcmp(res->prefix[i].prefix, prefix) == 0)
			return &res->prefix[r->last_prefix = i];
	if (rerate_grow((void **)&res->prefix, res->nprefix, sizeof *res->prefix) < 0)
		return NULL;
	memset(&res->prefix[res->nprefix], 0, sizeof *res->prefix);
	snprintf(res->prefix[res->nprefix].prefix, sizeof res->prefix->prefix, "%s", prefix);
	r->last_prefix = res->nprefix;
	return &res->prefix[res->nprefix++];
}

static day_cell *day_for(run *r, int64_t day)
{
	if (r->ndays && r->days[r->ndays - 1].day == day)
		return &r->days[r->ndays - 1];
	for (size_t i = 0; i < r->ndays; i++)
		if (r->days[i].day == day)
			return &r->days[i];
	if (r->ndays == r->dcap) {
		size_t ncap = r->dcap ? r->dcap * 2 : 64;
		day_cell *n = realloc(r->days, ncap * sizeof *n);
		if (!n)
			return NULL;
		r->days = n;
		r->dcap = ncap;
	}
	r->days[r->ndays] = (day_cell){ day, 0, 0 };
	return &r->days[r->ndays++];
}

/* Count one corrected call in the result (dry runs too). The reading
 * side: the result, day and prefix tables are its alone until it ends. */
static int count_change(run *r, const change *c, db_t *edb)
{
	rerate_result *res = r->res;
	rerate_prefix *p = prefix_cell(r, c->neu.prefix);
	day_cell *d = day_for(r, tm_floor_day(c->start));
	if (!p || !d)
		return db_failf(edb, DB_ENOMEM, "out of memory");
	res->corrected++;
	res->newly_rated += c->old.state == CDR_UNRATED && c->neu.state == CDR_RATED;
	res->now_unrated += c->old.state == CDR_RATED && c->neu.state == CDR_UNRATED;
	res->was = money_add_sat(res->was, c->old.cost);
	res->now = money_add_sat(res->now, c->neu.cost);
	p->calls++;
	p->was = money_add_sat(p->was, c->old.cost);
	p->now = money_add_sat(p->now, c->neu.cost);
	d->calls++;
	d->delta = money_add_sat(d->delta, c->neu.cost - c->old.cost);
	if (c->start < r->min_start)
		r->min_start = c->start;
	return DB_OK;
}

/* Queue a corrected call's rollup difference: its old rating out, the new
 * one in. The writing side. */
static int roll_change(run *r, const change *c)
{
	rollup_hour_v *h = rollup_hour(r->roll, r->a->id, tm_floor_hour(c->start));
	if (!h)
		return db_failf(r->db, DB_ENOMEM, "out of memory");
	h->billed_secs += (c->neu.state == CDR_RATED ? c->neu.billed_secs : 0)
	                  - (c->old.state == CDR_RATED ? c->old.billed_secs : 0);
	h->unrated += (c->neu.state == CDR_UNRATED) - (c->old.state == CDR_UNRATED);
	h->cost_calls += c->neu.cost - c->old.cost;
	for (int side = 0; side < 2; side++) {
		const charge *ch = side ? &c->neu : &c->old;
		int64_t sign = side ? 1 : -1;
		rollup_dest_v *dv = rollup_dest(r->roll, r->a->id, tm_floor_day(c->start), ch->prefix);
		if (!dv)
			return db_failf(r->db, DB_ENOMEM, "out of memory");
		dv->calls += sign;
		dv->connected += sign; /* rated and unrated calls are connected billed legs */
		dv->billsec_ms += sign * c->billsec_ms;
		dv->billed_secs += sign * (ch->state == CDR_RATED ? ch->billed_secs : 0);
		dv->cost += sign * ch->cost;
	}
	return DB_OK;
}

/* Corrections are written RERATE_BATCH rows a statement when they can be
 * (a third less CPU than a statement a row at a million calls). The
 * statements are static text: "(?,...)" repeated by the macros below. */
#define RERATE_BATCH 32
#define ROW9 "(?,?,?,?,?,?,?,?,?)"
#define ROW8 "(?,?,?,?,?,?,?,?)"
#define X2(v) v "," v
#define X4(v) X2(v) "," X2(v)
#define X8(v) X4(v) "," X4(v)
#define X16(v) X8(v) "," X8(v)
#define X32(v) X16(v) "," X16(v)
#define ROW10 "(?,?,?,?,?,?,?,?,?,?)"
#define ROW9_BATCH X32(ROW9)
#define ROW8_BATCH X32(ROW8)
#define ROW10_BATCH X32(ROW10)
_Static_assert(RERATE_BATCH == 32, "X32 writes RERATE_BATCH rows");

static int step_done(db_t *db, db_stmt *s, const char *what)
{
	int rc = db_step(s);
	db_reset(s);
	return rc == DB_DONE ? DB_OK : db_fail(db, what);
}

/* Write the queued corrections of a chunk: the rating rows, then each
 * call's current rating (the first correction adds it, a later one
 * replaces it). */
static int apply(run *r, const change *buf, int nbuf)
{
	int st, i = 0, k;
	for (i = 0; i < nbuf; i++)
		if ((st = roll_change(r, &buf[i])) != DB_OK)
			return st;
	i = 0;
	while (i < nbuf) {
		if (i + RERATE_BATCH <= nbuf) {
			int w = 9 + r->with_account; /* columns a row */
			for (k = 0; k < RERATE_BATCH; k++) {
				const change *c = &buf[i + k];
				db_bind_int64(r->ins_rating_n, k * w + 1, c->id);
				db_bind_int64(r->ins_rating_n, k * w + 2, c->seq + 1);
				db_bind_int64(r->ins_rating_n, k * w + 3, r->run_id);
				bind_charge(r->ins_rating_n, k * w + 4, &c->neu);
				if (r->with_account)
					db_bind_int64(r->ins_rating_n, k * w + 10, r->a->id);
			}
			if ((st = step_done(r->db, r->ins_rating_n, "append rating")) != DB_OK)
				return st;
			i += RERATE_BATCH;
		} else if ((st = insert_rating(r, &buf[i++])) != DB_OK) {
			return st;
		}
	}
	for (i = 0; i < nbuf;) {
		for (k = 0; k < RERATE_BATCH && i + k < nbuf && buf[i + k].seq == 0; k++)
			;
		if (k == RERATE_BATCH) {
			int w = 8 + r->with_account;
			for (k = 0; k < RERATE_BATCH; k++) {
				const change *c = &buf[i + k];
				db_bind_int64(r->ins_now_n, k * w + 1, c->id);
				db_bind_int64(r->ins_now_n, k * w + 2, 1);
				bind_charge(r->ins_now_n, k * w + 3, &c->neu);
				if (r->with_account)
					db_bind_int64(r->ins_now_n, k * w + 9, r->a->id);
			}
			if ((st = step_done(r->db, r->ins_now_n, "set the current rating")) != DB_OK)
				return st;
			i += RERATE_BATCH;
			continue;
		}
		{
			const change *c = &buf[i++];
			db_stmt *now = c->seq == 0 ? r->ins_now : r->upd_now;
			bind_charge(now, 3, &c->neu);
			db_bind_int64(now, 1, c->id);
			db_bind_int64(now, 2, c->seq + 1);
			if (r->with_account)
				db_bind_int64(now, 9, r->a->id);
			if ((st = step_done(r->db, now, "set the current rating")) != DB_OK)
				return st;
		}
	}
	return rollup_entries(r->roll) > 20000 ? rollup_flush(r->roll, r->db) : DB_OK;
}

/* The corrections' statements. On PostgreSQL rating and rating_now also
 * carry the account (last column), as every table distributed by account
 * must for Citus (docs/scale.md); SQLite's tables have no such column. */
#define INS_RATING "INSERT INTO rating(cdr_id, seq, rerate_id, state, rate_id, prefix, billed_secs, cost," \
                   " unrated_reason"
#define INS_NOW "INSERT INTO rating_now(cdr_id, seq, state, rate_id, prefix, billed_secs, cost, unrated_reason"
#define UPD_NOW "UPDATE rating_now SET seq = ?2, state = ?3, rate_id = ?4, prefix = ?5," \
                " billed_secs = ?6, cost = ?7, unrated_reason = ?8 WHERE cdr_id = ?1"

static const char SELECT_CALLS[] =
	"SELECT c.id, c.start, c.billsec_ms, c.dst, c.state, c.rate_id, c.prefix, c.billed_secs, c.cost,"
	" c.unrated_reason, c.dialplan, c.rating_seq"
	" FROM cdr_now c WHERE c.account_id = ?1 AND c.start >= ?2 AND c.start < ?3 AND c.connected = 1"
	" AND c.state IN (0, 1) AND (?4 = 0 OR c.state = 1) ORDER BY c.start";
/* PostgreSQL: ties in start in id order, as SQLite's index scan gives them */
static const char SELECT_CALLS_PG[] =
	"SELECT c.id, c.start, c.billsec_ms, c.dst, c.state, c.rate_id, c.prefix, c.billed_secs, c.cost,"
	" c.unrated_reason, c.dialplan, c.rating_seq"
	" FROM cdr_now c WHERE c.account_id = ?1 AND c.start >= ?2 AND c.start < ?3 AND c.connected = 1"
	" AND c.state IN (0, 1) AND (?4 = 0 OR c.state = 1) ORDER BY c.start, c.id";

/* Where the reader hands each chunk's corrections (*buf, nbuf; the sink
 * may take the buffer: it sets *buf NULL). DB_OK or a status. */
typedef int (*chunk_sink)(run *r, change **buf, int nbuf, void *ctx);

/* Read every call in scope on connection rdb (the run's own, or the
 * reading thread's), chunk by chunk, rate each again, count those that
 * change and hand them to the sink (NULL: a dry run, nothing kept).
 * Errors are reported in rdb. */
static int read_calls(run *r, db_t *rdb, chunk_sink sink, void *ctx)
{
	db_stmt *q;
	int64_t from = r->o->from;
	int st = DB_OK, rc, more = 1, nbuf = 0, bcap = 0;
	change *buf = NULL;
	if ((st = db_prepare(rdb, DB_SQL(rdb, SELECT_CALLS, SELECT_CALLS_PG), &q)) != DB_OK)
		return st;
	while (more && st == DB_OK) {
		int64_t in_chunk = 0, last_start = INT64_MIN;
		more = 0;
		db_bind_int64(q, 1, r->a->id);
		db_bind_int64(q, 2, from);
		db_bind_int64(q, 3, r->o->to);
		db_bind_int(q, 4, r->o->only_unrated);
		while ((rc = db_step(q)) == DB_ROW) {
			change c;
			int got;
			c.id = db_column_int64(q, 0);
			c.start = db_column_int64(q, 1);
			if (in_chunk >= RERATE_CHUNK && c.start != last_start) {
				from = c.start;
				more = 1;
				break;
			}
			in_chunk++;
			last_start = c.start;
			r->res->examined++;
			c.billsec_ms = db_column_int64(q, 2);
			c.old.state = db_column_int(q, 4);
			c.old.rate_id = db_column_int64(q, 5);
			db_column_copy(c.old.prefix, sizeof c.old.prefix, q, 6);
			c.old.billed_secs = db_column_int64(q, 7);
			c.old.cost = db_column_int64(q, 8);
			db_column_copy(c.old.reason, sizeof c.old.reason, q, 9);
			c.seq = db_column_int64(q, 11);
			got = rate_again(r, q, c.start, c.billsec_ms, &c.neu);
			if (got < 0) {
				st = db_failf(rdb, DB_EINPUT, "call #%lld: the cost on deck %s overflows (billsec %lld ms)",
				              (long long)c.id, r->res->deck, (long long)c.billsec_ms);
				break;
			}
			if (!got || same_charge(&c.old, &c.neu))
				continue;
			if ((st = count_change(r, &c, rdb)) != DB_OK)
				break;
			if (!sink)
				continue;
			if (nbuf == bcap) {
				int ncap = bcap ? bcap * 2 : 1024;
				change *n = realloc(buf, (size_t)ncap * sizeof *n);
				if (!n) {
					st = db_failf(rdb, DB_ENOMEM, "out of memory");
					break;
				}
				buf = n;
				bcap = ncap;
			}
			buf[nbuf++] = c;
		}
		if (st == DB_OK && rc != DB_ROW && rc != DB_DONE)
			st = db_fail(rdb, "read calls");
		db_reset(q);
		if (st == DB_OK && nbuf) {
			st = sink(r, &buf, nbuf, ctx);
			nbuf = 0;
			if (!buf)
				bcap = 0;
		}
	}
	free(buf);
	db_finalize(q);
	return st;
}

/* Single-threaded: write each chunk as it is read. */
static int sink_apply(run *r, change **buf, int nbuf, void *ctx)
{
	(void)ctx;
	return apply(r, *buf, nbuf);
}

/* ---- reading and writing on two threads ------------------------------ */

/* Reading and rating the calls (a second connection, in its own thread)
 * overlaps writing the corrections (the run's connection, in the write
 * transaction it began first, so the reader's snapshot is the state before
 * the run: it never sees the run's own uncommitted rows). Chunks pass
 * through a queue of PIPE_DEPTH; either side stopping stops both. */
#define PIPE_DEPTH 4
typedef struct {
	change *v;
	int n;
} chunk;

typedef struct {
	run *r;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	chunk q[PIPE_DEPTH];
	int head, count, done, abort_;
	int st;                    /* the reader's status */
	db_t *rdb;                 /* the reader's connection and its error text (db_reopen) */
} pipe_t;

static int sink_queue(run *r, change **buf, int nbuf, void *ctx)
{
	pipe_t *p = ctx;
	(void)r;
	pthread_mutex_lock(&p->mu);
	while (p->count == PIPE_DEPTH && !p->abort_)
		pthread_cond_wait(&p->cv, &p->mu);
	if (p->abort_) {
		pthread_mutex_unlock(&p->mu);
		return db_failf(p->rdb, DB_ESQL, "stopped");
	}
	p->q[(p->head + p->count) % PIPE_DEPTH] = (chunk){ *buf, nbuf };
	p->count++;
	*buf = NULL; /* the queue owns it now */
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	return DB_OK;
}

static void *reader_main(void *arg)
{
	pipe_t *p = arg;
	int st;
	if (db_backend_is(p->rdb, "sqlite"))
		db_exec(p->rdb, "PRAGMA mmap_size=4294967296");
	if ((st = db_begin(p->rdb, 0)) == DB_OK)
		st = read_calls(p->r, p->rdb, sink_queue, p);
	db_exec(p->rdb, "COMMIT");
	pthread_mutex_lock(&p->mu);
	p->st = st;
	p->done = 1;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

/* Read on a second thread, write here. */
static int pipelined(run *r, db_t *rdb)
{
	pipe_t p;
	pthread_t th;
	int st = DB_OK;
	memset(&p, 0, sizeof p);
	p.r = r;
	p.rdb = rdb;
	pthread_mutex_init(&p.mu, NULL);
	pthread_cond_init(&p.cv, NULL);
	if (pthread_create(&th, NULL, reader_main, &p) != 0) {
		pthread_mutex_destroy(&p.mu);
		pthread_cond_destroy(&p.cv);
		db_close(rdb);
		return read_calls(r, r->db, sink_apply, NULL);
	}
	for (;;) {
		chunk c;
		pthread_mutex_lock(&p.mu);
		while (p.count == 0 && !p.done)
			pthread_cond_wait(&p.cv, &p.mu);
		if (p.count == 0) {
			pthread_mutex_unlock(&p.mu);
			break;
		}
		c = p.q[p.head];
		p.head = (p.head + 1) % PIPE_DEPTH;
		p.count--;
		pthread_cond_broadcast(&p.cv);
		pthread_mutex_unlock(&p.mu);
		if (st == DB_OK && (st = apply(r, c.v, c.n)) != DB_OK) {
			pthread_mutex_lock(&p.mu);
			p.abort_ = 1;
			pthread_cond_broadcast(&p.cv);
			pthread_mutex_unlock(&p.mu);
		}
		free(c.v);
	}
	pthread_join(th, NULL);

	pthread_mutex_destroy(&p.mu);
	pthread_cond_destroy(&p.cv);
	if (st == DB_OK && p.st != DB_OK)
		st = db_failf(r->db, p.st, "%s", db_errmsg(p.rdb));
	db_close(p.rdb);
	return st;
}

/* Every call in scope read, rated and (unless dry) corrected. */
static int walk_calls(run *r)
{
	db_t *rdb;
	if (r->o->dry_run)
		return read_calls(r, r->db, NULL, NULL);
	if (db_reopen(r->db, &rdb) == DB_OK) /* the reader's own connection: its own snapshot */
		return pipelined(r, rdb);
	return read_calls(r, r->db, sink_apply, NULL); /* an in-memory store */
}

static int write_run(run *r)
{
	db_stmt *s;
	int rc;
	if (db_prepare(r->db, "INSERT INTO rerate_day(rerate_id, account_id, day, calls, delta) VALUES(?1,?2,?3,?4,?5)",
	               &s) != DB_OK)
		return db_fail(r->db, "record run");
	for (size_t i = 0; i < r->ndays; i++) {
		db_bind_int64(s, 1, r->run_id);
		db_bind_int64(s, 2, r->a->id);
		db_bind_int64(s, 3, r->days[i].day);
		db_bind_int64(s, 4, r->days[i].calls);
		db_bind_int64(s, 5, r->days[i].delta);
		rc = db_step(s);
		db_reset(s);
		if (rc != DB_DONE) {
			db_finalize(s);
			return db_fail(r->db, "record run");
		}
	}
	db_finalize(s);
	if (db_prepare(r->db, "INSERT INTO rerate(id, account_id, at, operator, ssh_client, memo, deck_id, deck,"
	               " period_from, period_to, only_unrated, examined, corrected, newly_rated, delta)"
	               " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15)", &s) != DB_OK)
		return db_fail(r->db, "record run");
	db_bind_int64(s, 1, r->run_id);
	db_bind_int64(s, 2, r->a->id);
	db_bind_int64(s, 3, db_now());
	db_bind_text(s, 4, db_operator(), -1);
	db_bind_text(s, 5, db_ssh_client(), -1);
	db_bind_text(s, 6, r->o->memo ? r->o->memo : "", -1);
	db_bind_int64(s, 7, r->deck_id);
	db_bind_text(s, 8, r->res->deck, -1);
	if (r->o->from != INT64_MIN) db_bind_int64(s, 9, r->o->from); else db_bind_null(s, 9);
	if (r->o->to != INT64_MAX) db_bind_int64(s, 10, r->o->to); else db_bind_null(s, 10);
	db_bind_int(s, 11, r->o->only_unrated);
	db_bind_int64(s, 12, r->res->examined);
	db_bind_int64(s, 13, r->res->corrected);
	db_bind_int64(s, 14, r->res->newly_rated);
	db_bind_int64(s, 15, r->res->now - r->res->was);
	rc = db_step(s);
	db_finalize(s);
	return rc == DB_DONE ? DB_OK : db_fail(r->db, "record run");
}

/* Everything derived from the corrected calls: rollups, then the walk from
 * the earliest corrected call's hour (it reads the rollups before it). */
static int rederive(run *r)
{
	walk_acct w;
	int st;
	if ((st = rollup_flush(r->roll, r->db)) != DB_OK || (st = rollup_drop_empty_dest(r->db, r->a->id)) != DB_OK)
		return st;
	if ((st = walk_load(r->db, r->a->id, &w)) != DB_OK)
		return st;
	w.dirty = 1;
	w.dirty_at = r->min_start;
	return walk_save(r->db, &w);
}

static int next_run_id(db_t *db, int64_t *id)
{
	db_stmt *s;
	int rc;
	if (db_prepare(db, "SELECT COALESCE(MAX(id), 0) + 1 FROM rerate", &s) != DB_OK)
		return db_fail(db, "number the run");
	rc = db_step(s);
	*id = db_column_int64(s, 0);
	db_finalize(s);
	return rc == DB_ROW ? DB_OK : db_fail(db, "number the run");
}

static int cmp_prefix(const void *x, const void *y)
{
	return strcmp(((const rerate_prefix *)x)->prefix, ((const rerate_prefix *)y)->prefix);
}

void rerate_result_free(rerate_result *r)
{
	free(r->prefix);
	r->prefix = NULL;
	r->nprefix = 0;
}

int rerate_account(db_t *db, const account_info *a, const rerate_opts *o, rerate_result *out)
{
	run r;
	rate_deck *deck = NULL;
	int st;

	memset(out, 0, sizeof *out);
	memset(&r, 0, sizeof r);
	out->account = *a;
	r.db = db;
	r.a = &out->account;
	r.o = o;
	r.res = out;
	r.min_start = INT64_MAX;
	r.with_account = db_backend_is(db, "postgresql");
	if (o->deck && *o->deck) {
		if ((st = deck_find(db, o->deck, &r.deck_id)) != DB_OK)
			return st == DB_ENOTFOUND ? db_failf(db, DB_ENOTFOUND, "no rate deck named \"%s\"", o->deck) : st;
		snprintf(out->deck, sizeof out->deck, "%s", o->deck);
	} else if (a->deck_id) {
		r.deck_id = a->deck_id;
		snprintf(out->deck, sizeof out->deck, "%s", a->deck);
	} else {
		return db_failf(db, DB_EINPUT, "account %s has no rate deck: give --deck NAME, or `billtop account set %s"
		                " --deck NAME` first", a->name, a->name);
	}
	if (!o->dry_run && (!o->memo || !*o->memo))
		return db_failf(db, DB_EINPUT, "a re-rate needs --memo TEXT: why the calls are rated again");
	if ((st = deck_load(db, r.deck_id, &deck)) != DB_OK)
		return st;
	r.deck = deck;
	if (!(r.roll = rollup_new())) {
		st = db_failf(db, DB_ENOMEM, "out of memory");
		goto done;
	}
	/* Every call of the account is read, many by a seek from the index into
	 * the table: map the file instead of copying each page through the
	 * page cache (the 24 MB cache db_open sets is for imports). */
	if (db_backend_is(db, "sqlite"))
		db_exec(db, "PRAGMA mmap_size=4294967296");
	/* A dry run reads in one read transaction: a consistent snapshot. */
	if ((st = db_begin(db, o->dry_run ? 0 : 1)) != DB_OK)
		goto done;
	if (!o->dry_run
	    && ((st = next_run_id(db, &r.run_id)) != DB_OK
	        || (st = db_prepare(db, DB_SQL(db, INS_RATING ") VALUES" ROW9,
	                                           INS_RATING ", account_id) VALUES" ROW10), &r.ins_rating)) != DB_OK
	        || (st = db_prepare(db, DB_SQL(db, INS_RATING ") VALUES" ROW9_BATCH,
	                                           INS_RATING ", account_id) VALUES" ROW10_BATCH), &r.ins_rating_n)) != DB_OK
	        || (st = db_prepare(db, DB_SQL(db, INS_NOW ") VALUES" ROW8,
	                                           INS_NOW ", account_id) VALUES" ROW9), &r.ins_now)) != DB_OK
	        || (st = db_prepare(db, DB_SQL(db, INS_NOW ") VALUES" ROW8_BATCH,
	                                           INS_NOW ", account_id) VALUES" ROW9_BATCH), &r.ins_now_n)) != DB_OK
	        || (st = db_prepare(db, DB_SQL(db, UPD_NOW, UPD_NOW " AND account_id = ?9"), &r.upd_now)) != DB_OK))
		goto fail;
	if ((st = walk_calls(&r)) != DB_OK)
		goto fail;
	if (o->dry_run || out->corrected == 0) {
		db_rollback(db); /* nothing to write: running it again changes nothing */
		r.run_id = 0;
	} else {
		if ((st = rederive(&r)) != DB_OK || (st = write_run(&r)) != DB_OK || (st = db_commit(db)) != DB_OK)
			goto fail;
		out->run_id = r.run_id;
	}
	goto done;
fail:
	db_rollback(db);
done:
	if (out->nprefix)
		qsort(out->prefix, (size_t)out->nprefix, sizeof *out->prefix, cmp_prefix);
	db_finalize(r.ins_rating);
	db_finalize(r.ins_now);
	db_finalize(r.upd_now);
	db_finalize(r.ins_rating_n);
	db_finalize(r.ins_now_n);
	rollup_free(r.roll);
	free(r.days);
	rate_deck_free(deck);
	return st;
}
