/* inv_ours.c: loading our side of a dispute from the store (inv_load_ours*,
 * investigate.h): every record of the account in the period but extra legs,
 * read on two threads for big periods. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/tm.h"
#include "inv_int.h"
#include "store.h"

/* ---- our side ------------------------------------------------------------- */

/* Reading a million rows is SQLite-bound (about 0.5 s of one core), so a
 * big period is split in two at the hour that halves its calls (from the
 * hourly rollup) and the later half is read on a second thread. Each part
 * reads with its own read-only connection (no mutex, a small page cache: a
 * single pass gains nothing from the 24 MB cache of the main connection,
 * which would stay in memory), fills its own side, and the parts are
 * joined in time order. A part that fails leaves its message in err. */
#define OURS_SPLIT_MIN 200000   /* calls below which one thread reads it all */
#define READER_CACHE "PRAGMA cache_size=-1024" /* KiB */

typedef struct {
	db_t *db;                  /* the connection this part reads with */
	int own;                   /* db was opened for this part (db_reopen) */
	int64_t account_id, from, to;
	int flags;                 /* INV_COMPACT, INV_KEEP_IDS */
	inv_side side;
	int st;                    /* DB_OK, DB_ENOMEM, DB_ESQL or DB_EINPUT (cancelled) */
	inv_cancel *cancel;        /* NULL: not cancellable */
	int on_owner;              /* this part is read on the thread that may poll */
	atomic_int done;           /* set when read_part has returned (part 1) */
	char err[300];
	int64_t max_id;            /* newest cdr id in this part's snapshot */
} ours_part;

/* One row of ours into the compact side. Columns as in read_part's SQL. */
static int push_compact(inv_side *out, db_stmt *q, int state, int keep_ids)
{
	recon_call c;
	const char *id = keep_ids ? (const char *)db_column_text(q, 12) : NULL, *colon;
	/* "generic:c001" -> "c001": the store's namespace is ours alone. */
	if (id && (colon = strchr(id, ':')))
		id = colon + 1;
	char idbuf[CDR_RECORD_ID_MAX + 1]; /* without cdrfmt's row digest */
	if (id) {
		size_t n = cdrfmt_call_id_len(id);
		snprintf(idbuf, sizeof idbuf, "%.*s", (int)n, id);
		id = idbuf;
	}
	c.id = id ? id : "";
	c.src = (const char *)db_column_text(q, 1); /* normalised by recon_side_push_raw */
	c.dst = (const char *)db_column_text(q, 2);
	c.start = db_column_int64(q, 3);
	c.answer = db_column_type(q, 4) == DB_NULL ? TM_NONE : db_column_int64(q, 4);
	c.billsec_ms = db_column_int64(q, 5);
	c.connected = db_column_int(q, 6);
	c.has_cost = state != CDR_UNRATED;
	c.cost = db_column_int64(q, 8);
	c.billed_secs = state == CDR_UNRATED ? -1 : db_column_int64(q, 9);
	c.prefix = (const char *)db_column_text(q, 10);
	c.ref = db_column_int64(q, 0);
	out->cnam = money_add_sat(out->cnam, db_column_int64(q, 11));
	return recon_side_push_raw(&out->side, &c) == RECON_OK ? 0 : -1;
}

/* Open p's own connection on the store of db (on the owner's thread, before
 * any part runs); -1 when there is none (":memory:": no file to open again). */
static int open_reader(ours_part *p, db_t *db)
{
	if (db_reopen(db, &p->db) != DB_OK) {
		p->db = NULL;
		return -1;
	}
	p->own = 1;
	if (db_backend_is(p->db, "sqlite"))
		db_exec(p->db, READER_CACHE);
	return 0;
}

static void read_part(ours_part *p)
{
	static const char sql_wide[] = "SELECT id, record_id, src, dst, start, answer, billsec_ms, connected, state,"
		" cost, billed_secs, prefix, cnam_cost FROM cdr_now WHERE account_id = ?1 AND start >= ?2 AND start < ?3";
	/* compact: the columns push_compact reads, record_id only when kept */
	static const char sql_compact[] = "SELECT id, src, dst, start, answer, billsec_ms, connected, state,"
		" cost, billed_secs, prefix, cnam_cost FROM cdr_now WHERE account_id = ?1 AND start >= ?2 AND start < ?3";
	static const char sql_compact_ids[] = "SELECT id, src, dst, start, answer, billsec_ms, connected, state,"
		" cost, billed_secs, prefix, cnam_cost, record_id FROM cdr_now"
		" WHERE account_id = ?1 AND start >= ?2 AND start < ?3";
	/* PostgreSQL: SQLite's order, which its covering index cdr_acct_start
	 * (account_id, start, src, dst, answer, billsec_ms, connected, ...)
	 * gives and the report's lists follow (missing ids "in the report's
	 * order"). Without it the order was the plan's: a hash join before
	 * autovacuum analyzed the demo's tables, an index scan after, so the CLI
	 * and the console listed one account's missing calls differently. */
#define PG_ORDER " ORDER BY start, src COLLATE \"C\", dst COLLATE \"C\", answer NULLS FIRST, billsec_ms, connected, id"
	static const char pg_wide[] = "SELECT id, record_id, src, dst, start, answer, billsec_ms, connected, state,"
		" cost, billed_secs, prefix, cnam_cost FROM cdr_now WHERE account_id = ?1 AND start >= ?2 AND start < ?3"
		PG_ORDER;
	static const char pg_compact[] = "SELECT id, src, dst, start, answer, billsec_ms, connected, state,"
		" cost, billed_secs, prefix, cnam_cost FROM cdr_now WHERE account_id = ?1 AND start >= ?2 AND start < ?3"
		PG_ORDER;
	static const char pg_compact_ids[] = "SELECT id, src, dst, start, answer, billsec_ms, connected, state,"
		" cost, billed_secs, prefix, cnam_cost, record_id FROM cdr_now"
		" WHERE account_id = ?1 AND start >= ?2 AND start < ?3" PG_ORDER;
#undef PG_ORDER
	int compact = (p->flags & INV_COMPACT) != 0, keep_ids = (p->flags & INV_KEEP_IDS) != 0;
	inv_side *out = &p->side;
	db_stmt *q;
	int rc;
	if (compact) {
		out->compact = 1;
		recon_side_init(&out->side, keep_ids);
	}
	/* One read transaction per part, and the newest cdr id it sees: call
	 * records are append-only, so two parts whose snapshots end at the same
	 * id saw the same records (inv_load_ours compares them). */
	db_exec(p->db, "BEGIN");
	if (db_prepare(p->db, "SELECT COALESCE(MAX(id), 0) FROM cdr", &q) == DB_OK) {
		if (db_step(q) == DB_ROW)
			p->max_id = db_column_int64(q, 0);
		db_finalize(q);
	}
	if (db_prepare(p->db, !compact ? DB_SQL(p->db, sql_wide, pg_wide)
	                      : keep_ids ? DB_SQL(p->db, sql_compact_ids, pg_compact_ids)
	                                 : DB_SQL(p->db, sql_compact, pg_compact), &q) != DB_OK) {
		p->st = DB_ESQL;
		snprintf(p->err, sizeof p->err, "read our calls: %s", db_errmsg(p->db));
		db_exec(p->db, "COMMIT");
		return;
	}
	db_bind_int64(q, 1, p->account_id);
	db_bind_int64(q, 2, p->from);
	db_bind_int64(q, 3, p->to);
	while ((rc = db_step(q)) == DB_ROW) {
		const char *id, *colon;
		if (p->cancel && (out->rows & (INV_CANCEL_EVERY - 1)) == 0 && inv_cancel_check(p->cancel, p->on_owner)) {
			rc = DB_EINTERRUPT;
			break;
		}
		int state = db_column_int(q, compact ? 7 : 8);
		recon_call *c;
		out->rows++;
		if (state == CDR_EXTRA_LEG) {
			out->extra_legs++;
			continue;
		}
		if (compact) {
			if (push_compact(out, q, state, keep_ids) < 0)
				goto oom;
			continue;
		}
		if (!(c = inv_push_call(out)))
			goto oom;
		/* "generic:c001" -> "c001": the store's namespace is ours alone. */
		id = (const char *)db_column_text(q, 1);
		if (id && (colon = strchr(id, ':')))
			id = colon + 1;
		c->id = id ? inv_arena_str(out, id, cdrfmt_call_id_len(id)) : ""; /* without the row digest */
		c->src = inv_number(out, (const char *)db_column_text(q, 2), 1);
		c->dst = inv_number(out, (const char *)db_column_text(q, 3), 0);
		c->prefix = db_column_type(q, 11) == DB_NULL
		            ? "" : inv_intern(out, (const char *)db_column_text(q, 11),
		                          (size_t)db_column_bytes(q, 11));
		if (!c->id || !c->src || !c->dst || !c->prefix)
			goto oom;
		c->start = db_column_int64(q, 4);
		c->answer = db_column_type(q, 5) == DB_NULL ? TM_NONE : db_column_int64(q, 5);
		c->billsec_ms = db_column_int64(q, 6);
		c->connected = db_column_int(q, 7);
		c->has_cost = state != CDR_UNRATED;
		c->cost = db_column_int64(q, 9);
		c->billed_secs = state == CDR_UNRATED ? -1 : db_column_int64(q, 10);
		c->ref = db_column_int64(q, 0);
		out->cnam = money_add_sat(out->cnam, db_column_int64(q, 12));
	}
	if (rc == DB_EINTERRUPT && p->cancel && inv_cancel_check(p->cancel, 0)) {
		p->st = DB_EINPUT;
		snprintf(p->err, sizeof p->err, "cancelled");
	} else if (rc != DB_DONE) {
		p->st = db_fail(p->db, "read our calls");
		snprintf(p->err, sizeof p->err, "%s", db_errmsg(p->db));
	}
	db_finalize(q);
	db_exec(p->db, "COMMIT");
	return;
oom:
	db_finalize(q);
	db_exec(p->db, "COMMIT");
	p->st = DB_ENOMEM;
	snprintf(p->err, sizeof p->err, "out of memory loading our calls");
}

static void *part_thread(void *arg)
{
	ours_part *p = arg;
	read_part(p);
	atomic_store_explicit(&p->done, 1, memory_order_release);
	return NULL;
}

/* The hour that halves the period's records (hourly rollup), or -1 when
 * the period is too small to be worth a second thread. */
static int64_t split_hour(db_t *db, int64_t account_id, int64_t from, int64_t to)
{
	db_stmt *q;
	int64_t total = 0, run = 0, split = -1;
	static const char sql[] = "SELECT hour, calls FROM rollup_hour WHERE account_id = ?1 AND hour >= ?2"
		" AND hour < ?3 ORDER BY hour";
	if (db_prepare(db, sql, &q) != DB_OK)
		return -1;
	for (int pass = 0; pass < 2 && split < 0; pass++) {
		db_bind_int64(q, 1, account_id);
		db_bind_int64(q, 2, tm_floor_hour(from));
		db_bind_int64(q, 3, to);
		while (db_step(q) == DB_ROW) {
			if (pass == 0) {
				total += db_column_int64(q, 1);
			} else if ((run += db_column_int64(q, 1)) * 2 >= total) {
				split = db_column_int64(q, 0);
				break;
			}
		}
		db_reset(q);
		if (total < OURS_SPLIT_MIN)
			break;
	}
	db_finalize(q);
	return split > from && split < to ? split : -1;
}

/* Append part b to side a (b's calls copied, its arena blocks moved). */
static int join_sides(inv_side *a, inv_side *b)
{
	inv_block **tail = &a->blocks;
	if (a->compact) {
		if (recon_side_append(&a->side, &b->side) != RECON_OK)
			return -1;
		a->n = a->side.n;
	} else if (b->n) {
		if (a->cap < a->n + b->n) {
			recon_call *c = realloc(a->calls, (a->n + b->n) * sizeof *c);
			if (!c)
				return -1;
			a->calls = c;
			a->cap = a->n + b->n;
		}
		memcpy(a->calls + a->n, b->calls, b->n * sizeof *b->calls);
		a->n += b->n;
	}
	while (*tail)
		tail = &(*tail)->next;
	*tail = b->blocks;
	b->blocks = NULL;
	a->rows += b->rows;
	a->extra_legs += b->extra_legs;
	a->cnam = money_add_sat(a->cnam, b->cnam);
	inv_side_free(b);
	return 0;
}

int inv_load_ours(db_t *db, const account_info *a, int64_t from, int64_t to, inv_side *out)
{
	return inv_load_ours_cx(db, a, from, to, 0, NULL, 0, out);
}

int inv_load_ours_ex(db_t *db, const account_info *a, int64_t from, int64_t to, int flags, inv_side *out)
{
	return inv_load_ours_cx(db, a, from, to, flags, NULL, 0, out);
}

int inv_load_ours_cx(db_t *db, const account_info *a, int64_t from, int64_t to, int flags, inv_cancel *c,
                     int on_owner, inv_side *out)
{
	ours_part part[2];
	int64_t split = -1;
	pthread_t th;
	int threaded = 0, st = DB_OK;

	memset(out, 0, sizeof *out);
	memset(part, 0, sizeof part);
	for (int i = 0; i < 2; i++) {
		part[i].account_id = a->id;
		part[i].from = i == 0 ? from : split;
		part[i].to = i == 0 && split >= 0 ? split : to;
		part[i].flags = flags;
		part[i].cancel = c;
		part[i].on_owner = i == 0 && on_owner; /* part 0 is read on this thread */
	}
	/* Each part on its own connection, opened here; a store without a file
	 * (or none to spare) is read on db, in one part. */
	if (open_reader(&part[0], db) < 0)
		part[0].db = db;
	else if ((split = split_hour(db, a->id, from, to)) >= 0 && open_reader(&part[1], db) < 0)
		split = -1;
	part[0].to = split >= 0 ? split : to;
	part[1].from = split;
	if (split >= 0) {
		threaded = pthread_create(&th, NULL, part_thread, &part[1]) == 0;
		if (!threaded) /* no thread: read it all here */
			part[0].to = to;
	}
	read_part(&part[0]);
	if (threaded)
		inv_join(th, &part[1].done, c, on_owner);
	if (threaded && part[0].st == DB_OK && part[1].st == DB_OK && part[0].max_id != part[1].max_id) {
		/* an import committed between the two snapshots: read it all again
		 * on one connection, one snapshot */
		inv_side_free(&part[0].side);
		inv_side_free(&part[1].side);
		memset(&part[0].side, 0, sizeof part[0].side);
		part[0].to = to;
		threaded = 0;
		read_part(&part[0]);
	}
	for (int i = 0; i < 2; i++)
		if (part[i].own)
			db_close(part[i].db);
	for (int i = 0; i < 2 && st == DB_OK; i++)
		if (part[i].st != DB_OK)
			st = db_failf(db, part[i].st, "%s", part[i].err);
	if (st == DB_OK) {
		*out = part[0].side;
		memset(&part[0].side, 0, sizeof part[0].side);
		free(out->intern);
		out->intern = NULL;
		out->intern_cap = out->intern_n = 0;
		if (threaded && join_sides(out, &part[1].side) < 0)
			st = db_failf(db, DB_ENOMEM, "out of memory loading our calls");
	}
	inv_side_free(&part[0].side);
	inv_side_free(&part[1].side);
	if (st == DB_OK && (flags & INV_COMPACT) && !(flags & INV_KEEP_IDS)) {
		if (!(out->ids = calloc(1, sizeof *out->ids)))
			st = db_failf(db, DB_ENOMEM, "out of memory loading our calls");
		else {
			out->ids->db = db;
			out->side.id_fn = inv_our_id;
			out->side.id_ctx = out->ids;
		}
	}
	if (st != DB_OK) {
		inv_side_free(out);
		return st;
	}
	inv_trim(out);
	return DB_OK;
}
