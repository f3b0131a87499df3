/* store_batch.c: the PostgreSQL import's call records a batch at a time
 * (store_defer_rows). One row a round trip made a PostgreSQL import about 20x
 * slower than SQLite's; a batch of BATCH_ROWS rows costs:
 *   1. the batch's record ids already stored (one SELECT ... = ANY(array)),
 *   2. the billed legs already stored for the batch's calls (one SELECT
 *      joining unnest(accounts, call keys)),
 *   3. ids for the rows to store (nextval of cdr's identity, as many),
 *   4. the new billed legs (one COPY cdr_call) and the rows (one COPY cdr
 *      FROM STDIN), left running on the server while the writer reads and
 *      rates the next batch; its result is read by the import's connection's
 *      next statement and in store_finish (store_batch_wait).
 * 1, 2 and 3 go to the writer's second connection (store_i_side) and run beside the batch
 * before's COPY; only rows of the import's own transaction need its own
 * connection, and those the key filters name (look_up, keyfilt.h).
 * Between 2 and 3 each row is decided in file order as store_cdr decides it
 * one at a time (a duplicate: its record id stored before, in the store or
 * earlier in the batch; an extra leg: its call's billed leg stored before),
 * and then counted, rolled up and walked in file order (store_i_account_row:
 * the suspension flag of a row is the walk's status after the rows before).
 * What ON CONFLICT DO NOTHING caught is decided here before the COPY; a row
 * another session commits between 1 and 4 makes the COPY fail on the unique
 * index and the import's transaction with it (all or nothing per file).
 * Message records (store_mdr) queue in the same order with the calls, so
 * that a batch is not cut at each message (the demo interleaves them): their
 * record ids looked up in mdr, ids from mdr's sequence, and a second COPY
 * (mdr) after the calls' one; each counted, rolled up and walked in order
 * with the calls (store_i_mdr_row), flagged with the walk's status before it.
 * Memory: the queued rows' text and the COPY text, a few MB, and the key
 * filters, 4 MiB a million rows each (at most 16 MiB each). */
#include "store_int.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/tm.h"
#include "copytext.h"
#include "keyfilt.h"

#ifdef BILLTOP_PG
#include "pg/db_pg_bulk.h"
#endif

#define BATCH_ROWS 4096

enum { S_KEY, S_CALL, S_SRC, S_DST, S_CLID, S_DISP, S_DIR, S_N };
enum { K_INSERT, K_DUP, K_EXTRA };

typedef struct {
	size_t acct;          /* index into w->accts (the array may move) */
	int msg;              /* 1: a message record (m; off[S_DISP] holds its type), 0: a call (r, rt) */
	cdr_rec r;            /* string fields resolved from off[] at the flush */
	mdr_rec m;
	size_t off[S_N];      /* into the batch's text; SIZE_MAX: NULL */
	rating rt;
	int kind, leg_state;
	unsigned char vrec, vleg; /* its record id / call perhaps stored by this transaction (keyfilt) */
	kfilt_hash hrec, hleg;    /* their hashes (look_up; kept by remember) */
	int64_t id;           /* a message's id and suspension flag, for its COPY line */
	int flag;
} pend;

typedef struct { /* a set of strings with a value (open addressing) */
	char **k;
	int *v;
	size_t cap, n;
} strmap;

struct store_batch {
	pend *p;
	size_t n;
	copytext txt;         /* the queued rows' strings, each with its NUL */
	copytext out;         /* array literals, then the COPY text */
	strmap seen;          /* "R" record key, "L" account:call key -> state */
	db_stmt *q_rec, *q_leg;
	copytext legs;        /* the billed legs' cdr_call rows, COPY text (build_legs) */
	db_stmt *s_rec, *s_leg;  /* the look-ups on side */
	db_stmt *s_ids;          /* ids (calls; q_mids messages) on idb: side, or w->db without one */
	db_t *idb;
	kfilt *frec, *fleg;   /* the record ids and billed calls this transaction stored */
	int own_only;         /* look-ups on the import's connection alone: no side, or a filter full */
	int client_set;       /* billtop.cdr_call = 'client' set in this transaction */
	db_stmt *q_mrec, *q_mids; /* the messages' look-up and ids */
	size_t nmsg;          /* messages among the n rows */
};

static size_t keep(store_batch *b, const char *s)
{
	size_t at = b->txt.len;
	if (!s)
		return SIZE_MAX;
	return ct_put(&b->txt, s, strlen(s) + 1) < 0 ? SIZE_MAX - 1 : at; /* with its NUL */
}

static uint64_t fnv(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static void map_clear(strmap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->k[i]);
	free(m->k);
	free(m->v);
	memset(m, 0, sizeof *m);
}

/* the slot of key (empty when absent) */
static size_t map_slot(const strmap *m, const char *key)
{
	size_t i = (size_t)fnv(key) & (m->cap - 1);
	while (m->k[i] && strcmp(m->k[i], key) != 0)
		i = (i + 1) & (m->cap - 1);
	return i;
}

static int *map_get(const strmap *m, const char *key)
{
	size_t i;
	if (!m->cap)
		return NULL;
	i = map_slot(m, key);
	return m->k[i] ? &m->v[i] : NULL;
}

static int map_put(strmap *m, const char *key, int v)
{
	size_t i;
	if ((m->n + 1) * 2 > m->cap) {
		strmap n = { 0 };
		n.cap = m->cap ? m->cap * 2 : 4 * BATCH_ROWS;
		if (!(n.k = calloc(n.cap, sizeof *n.k)) || !(n.v = calloc(n.cap, sizeof *n.v))) {
			free(n.k);
			return -1;
		}
		for (size_t j = 0; j < m->cap; j++)
			if (m->k[j]) {
				i = map_slot(&n, m->k[j]);
				n.k[i] = m->k[j];
				n.v[i] = m->v[j];
				n.n++;
			}
		free(m->k);
		free(m->v);
		*m = n;
	}
	i = map_slot(m, key);
	if (!m->k[i]) {
		if (!(m->k[i] = strdup(key)))
			return -1;
		m->n++;
	}
	m->v[i] = v;
	return 0;
}

static int leg_key(char *buf, size_t len, int64_t acct, const char *call)
{
	int n = snprintf(buf, len, "L%lld:%s", (long long)acct, call);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

/* each filter's memory: 4 segments, 4 M keys (keyfilt.h); a transaction
 * storing more looks up on its own connection from then on (own_only) */
#define FILTER_BYTES (4 * KEYFILT_SEG_BYTES)

store_batch *store_batch_new(void)
{
	store_batch *b = calloc(1, sizeof *b);
	if (b && !(b->p = malloc(BATCH_ROWS * sizeof *b->p))) {
		free(b);
		return NULL;
	}
	if (b && (!(b->frec = kfilt_new(FILTER_BYTES)) || !(b->fleg = kfilt_new(FILTER_BYTES))))
		b->own_only = 1;
	return b;
}

void store_batch_free(store_batch *b)
{
	if (!b)
		return;
	db_finalize(b->q_rec);
	db_finalize(b->q_leg);
	db_finalize(b->s_rec);
	db_finalize(b->s_leg);
	db_finalize(b->s_ids);
	db_finalize(b->q_mrec);
	db_finalize(b->q_mids);
	kfilt_free(b->frec);
	kfilt_free(b->fleg);
	map_clear(&b->seen);
	free(b->p);
	ct_free(&b->txt);
	ct_free(&b->out);
	ct_free(&b->legs);
	free(b);
}

int store_batch_add(store_writer *w, size_t acct, const cdr_rec *r, const char *key, const rating *rt)
{
	store_batch *b = w->batch;
	pend *p;
	int st;
	if (b->n == BATCH_ROWS && (st = store_batch_flush(w)) != DB_OK)
		return st;
	/* the COPY needs the row's month partition (PostgreSQL) */
	if (store_ensure_month(w, r->start) != DB_OK)
		return db_fail(w->db, "insert call record");
	p = &b->p[b->n];
	memset(p, 0, sizeof *p);
	p->acct = acct;
	p->r = *r;
	p->rt = *rt;
	p->kind = K_INSERT;
	p->leg_state = CDR_RATED;
	p->off[S_KEY] = keep(b, key);
	p->off[S_CALL] = keep(b, r->call_key);
	p->off[S_SRC] = keep(b, r->src);
	p->off[S_DST] = keep(b, r->dst);
	p->off[S_CLID] = keep(b, r->clid);
	p->off[S_DISP] = keep(b, r->disposition_text);
	p->off[S_DIR] = keep(b, r->direction);
	for (int i = 0; i < S_N; i++)
		if (p->off[i] == SIZE_MAX - 1)
			return db_failf(w->db, DB_ENOMEM, "out of memory");
	b->n++;
	return DB_OK;
}

int store_batch_add_mdr(store_writer *w, size_t acct, const mdr_rec *m, const char *key)
{
	store_batch *b = w->batch;
	pend *p;
	int st;
	if (b->n == BATCH_ROWS && (st = store_batch_flush(w)) != DB_OK)
		return st;
	p = &b->p[b->n];
	memset(p, 0, sizeof *p);
	p->msg = 1;
	p->acct = acct;
	p->m = *m;
	p->kind = K_INSERT;
	for (int i = 0; i < S_N; i++)
		p->off[i] = SIZE_MAX;
	p->off[S_KEY] = keep(b, key);
	p->off[S_SRC] = keep(b, m->src ? m->src : "");
	p->off[S_DST] = keep(b, m->dst ? m->dst : "");
	p->off[S_DISP] = keep(b, m->type ? m->type : "sms");
	p->off[S_DIR] = keep(b, m->direction ? m->direction : "");
	for (int i = 0; i < S_N; i++)
		if (p->off[i] == SIZE_MAX - 1)
			return db_failf(w->db, DB_ENOMEM, "out of memory");
	b->n++;
	b->nmsg++;
	return DB_OK;
}

static const char *str_at(const store_batch *b, size_t off)
{
	return off == SIZE_MAX ? NULL : b->txt.p + off;
}

/* one COPY line: the columns of store.c's INSERT INTO cdr, bound the same */
static int put_row(store_writer *w, store_batch *b, const pend *p, int64_t id, int flag)
{
	const acct_entry *a = &w->accts[p->acct];
	const cdr_rec *r = &p->r;
	const rating *rt = &p->rt;
	int charged = rt->state == CDR_RATED, bad = 0;
#define I(v) (bad |= ct_int(&b->out, (v)) | ct_char(&b->out, '\t'))
#define T(s) (bad |= ct_field(&b->out, (s)) | ct_char(&b->out, '\t'))
#define TN(s) T((s) && *(s) ? (s) : NULL)
#define N() (bad |= ct_put(&b->out, "\\N\t", 3))
	I(id);
	I(a->info.id);
	T(str_at(b, p->off[S_KEY]));
	TN(r->call_key);
	I(r->start);
	if (r->answer != TM_NONE) I(r->answer); else N();
	if (r->end != TM_NONE) I(r->end); else N();
	I(r->duration_ms);
	I(r->billsec_ms);
	T(r->src ? r->src : "");
	T(r->dst ? r->dst : "");
	if (r->clid && *r->clid) { /* bytea, hex: \\x... in COPY text */
		static const char hx[] = "0123456789abcdef";
		bad |= ct_put(&b->out, "\\\\x", 3);
		for (const unsigned char *c = (const unsigned char *)r->clid; *c; c++) {
			char two[2] = { hx[*c >> 4], hx[*c & 15] };
			bad |= ct_put(&b->out, two, 2);
		}
		bad |= ct_char(&b->out, '\t');
	} else {
		N();
	}
	I(r->disposition);
	T(r->disposition_text ? r->disposition_text : "");
	I(r->connected != 0);
	I(rt->state);
	I(rt->billed_leg);
	if (rt->row) {
		I(rt->row->id);
		T(rt->row->prefix);
	} else {
		N();
		N();
	}
	I(charged ? rt->res.billed_secs : 0);
	I(charged ? rt->res.cost : 0);
	I(r->cnam_fee);
	if (r->has_their_cost) I(r->their_cost); else N();
	if (r->their_billed_secs >= 0) I(r->their_billed_secs); else N();
	T(r->direction ? r->direction : "");
	I(flag);
	if (w->opts.import_id) I(w->opts.import_id); else N();
	TN(a->info.plan_code);
	TN(rt->state == CDR_UNRATED ? rt->reason : NULL);
#undef I
#undef T
#undef TN
#undef N
	b->out.p[b->out.len - 1] = '\n'; /* the last tab ends the line */
	return bad ? -1 : 0;
}

/* one COPY line of a message: the columns of store.c's INSERT INTO mdr */
static int put_mrow(store_writer *w, store_batch *b, const pend *p)
{
	const mdr_rec *m = &p->m;
	int bad = 0;
#define I(v) (bad |= ct_int(&b->out, (v)) | ct_char(&b->out, '\t'))
#define T(s) (bad |= ct_field(&b->out, (s)) | ct_char(&b->out, '\t'))
	I(p->id);
	I(w->accts[p->acct].info.id);
	T(str_at(b, p->off[S_KEY]));
	I(m->at);
	T(str_at(b, p->off[S_DIR]));
	T(str_at(b, p->off[S_SRC]));
	T(str_at(b, p->off[S_DST]));
	T(str_at(b, p->off[S_DISP]));
	I(m->segments);
	I(m->cost);
	I(p->flag);
	if (w->opts.import_id) I(w->opts.import_id); else bad |= ct_put(&b->out, "\\N\t", 3);
#undef I
#undef T
	b->out.p[b->out.len - 1] = '\n';
	return bad ? -1 : 0;
}

/* 4: the rows (store_defer_rows batches only on PostgreSQL): calls, or
 * messages when msg */
static int copy_rows(store_writer *w, store_batch *b, int msg)
{
#ifdef BILLTOP_PG
	static const char copy[] =
		"COPY cdr(id, account_id, record_id, call_key, start, answer, \"end\", duration_ms, billsec_ms, src, dst,"
		" clid, disposition, disp_text, connected, state, billed_leg, rate_id, prefix, billed_secs, cost,"
		" cnam_cost, their_cost, their_billed, direction, suspended, import_id, dialplan, unrated_reason)"
		" FROM STDIN";
	static const char mcopy[] =
		"COPY mdr(id, account_id, record_id, at, direction, src, dst, type, segments, cost, suspended,"
		" import_id) FROM STDIN";
	return db_pg_copy_in(w->db, msg ? mcopy : copy, b->out.p, b->out.len);
#else
	(void)b;
	(void)msg;
	return db_failf(w->db, DB_ESQL, "batched rows without PostgreSQL");
#endif
}

/* The look-ups and ids of a batch. The import's transaction is on w->db,
 * where the COPY of the batch before may still run. Rows committed by
 * others are what the look-ups find there, and any connection sees them:
 * they go to the side connection, which answers while the COPY runs. Rows
 * of this transaction only w->db sees: the batches keep their record ids
 * and billed calls in two key filters (keyfilt.h), and a row whose key the
 * filter perhaps holds is looked up on w->db too (a key stored a batch
 * before, or rarely a false positive). Without a side connection, or once
 * a filter is full, everything is looked up on w->db (own_only), as before
 * the filters. Ids come from the sequence on the side connection (nextval
 * is outside transactions): they are the same numbers either way. */

/* what failed on db (side or w->db), as w->db's failure */
static int side_fail(store_writer *w, db_t *db, const char *what)
{
	int st = db_fail(db, what);
	return db == w->db ? st : db_failf(w->db, st, "%s", db_errmsg(db));
}

/* 1 for the messages: their record ids already in mdr, into b->seen ("M").
 * A plain prepared statement: its plan is made for each batch's array
 * (plan_cache_mode), not cached while the transaction's rows are few. */
static int look_up_msgs(store_writer *w, store_batch *b)
{
	size_t i, k = 0;
	int rc, bad;
	if (!b->q_mrec && db_prepare(w->db, "SELECT record_id FROM mdr WHERE record_id = ANY(?1::text[])", &b->q_mrec) != DB_OK)
		return db_fail(w->db, "prepare the batch's look-ups");
	b->out.len = 0;
	bad = ct_put(&b->out, "{", 1);
	for (i = 0; i < b->n; i++)
		if (b->p[i].msg)
			bad |= (k++ ? ct_put(&b->out, ",", 1) : 0) | ct_elem(&b->out, str_at(b, b->p[i].off[S_KEY]));
	bad |= ct_put(&b->out, "}", 1);
	if (bad)
		return db_failf(w->db, DB_ENOMEM, "out of memory");
	if (db_exec(w->db, "SET LOCAL plan_cache_mode = force_custom_plan") != DB_OK)
		return db_fail(w->db, "look up records");
	db_bind_text(b->q_mrec, 1, b->out.p, (int)b->out.len);
	while ((rc = db_step(b->q_mrec)) == DB_ROW) {
		const char *key = (const char *)db_column_text(b->q_mrec, 0);
		char rk[CDR_RECORD_ID_MAX + 600];
		snprintf(rk, sizeof rk, "M%s", key ? key : "");
		if (map_put(&b->seen, rk, 0) < 0) {
			db_reset(b->q_mrec);
			return db_failf(w->db, DB_ENOMEM, "out of memory");
		}
	}
	db_reset(b->q_mrec);
	if (rc != DB_DONE)
		return db_fail(w->db, "look up records");
	return db_exec(w->db, "RESET plan_cache_mode") == DB_OK ? DB_OK : db_fail(w->db, "look up records");
}

/* 1 and 2 for the calls on db: the record ids already stored, and the
 * billed legs stored for the batch's calls, into b->seen. All rows, or
 * (only) those the filters flagged (vrec, vleg). The statements are
 * functions of the schema (pg/schema.sql.h): planned at each call. */
static int look_up_calls(store_writer *w, store_batch *b, db_t *db, db_stmt **qr, db_stmt **ql, int only)
{
	size_t i, nrec = 0, nleg = 0, mid;
	int rc, bad;
	char lk[600];
	if ((!*qr && db_prepare(db, "SELECT * FROM billtop_cdr_seen(?1::text[])", qr) != DB_OK)
	    || (!*ql && db_prepare(db, "SELECT * FROM billtop_cdr_legs(?1::bigint[], ?2::text[])", ql) != DB_OK))
		return db_fail(db, "prepare the batch's look-ups");
	b->out.len = 0;
	bad = ct_put(&b->out, "{", 1);
	for (i = 0; i < b->n; i++)
		if (!b->p[i].msg && (!only || b->p[i].vrec))
			bad |= (nrec++ ? ct_put(&b->out, ",", 1) : 0) | ct_elem(&b->out, str_at(b, b->p[i].off[S_KEY]));
	bad |= ct_put(&b->out, "}", 1);
	if (bad)
		return db_failf(w->db, DB_ENOMEM, "out of memory");
	if (nrec) {
		db_bind_text(*qr, 1, b->out.p, (int)b->out.len);
		while ((rc = db_step(*qr)) == DB_ROW) {
			const char *k = (const char *)db_column_text(*qr, 0);
			char rk[CDR_RECORD_ID_MAX + 600];
			snprintf(rk, sizeof rk, "R%s", k ? k : "");
			if (map_put(&b->seen, rk, 0) < 0) {
				db_reset(*qr);
				return db_failf(w->db, DB_ENOMEM, "out of memory");
			}
		}
		db_reset(*qr);
		if (rc != DB_DONE)
			return db_fail(db, "look up records");
	}

	/* accounts and call keys of the billed legs: two arrays in b->out */
	b->out.len = 0;
	bad = ct_put(&b->out, "{", 1);
	for (i = 0; i < b->n; i++)
		if (!b->p[i].msg && b->p[i].rt.billed_leg && (!only || b->p[i].vleg))
			bad |= (nleg++ ? ct_put(&b->out, ",", 1) : 0) | ct_int(&b->out, w->accts[b->p[i].acct].info.id);
	bad |= ct_put(&b->out, "}", 1) | ct_put(&b->out, "", 1); /* a NUL between the two */
	mid = b->out.len;
	bad |= ct_put(&b->out, "{", 1);
	for (i = 0, nleg = 0; i < b->n; i++)
		if (!b->p[i].msg && b->p[i].rt.billed_leg && (!only || b->p[i].vleg))
			bad |= (nleg++ ? ct_put(&b->out, ",", 1) : 0) | ct_elem(&b->out, str_at(b, b->p[i].off[S_CALL]));
	bad |= ct_put(&b->out, "}", 1);
	if (bad)
		return db_failf(w->db, DB_ENOMEM, "out of memory");
	if (!nleg)
		return DB_OK;
	db_bind_text(*ql, 1, b->out.p, (int)(mid - 1));
	db_bind_text(*ql, 2, b->out.p + mid, (int)(b->out.len - mid));
	while ((rc = db_step(*ql)) == DB_ROW) {
		const char *k = (const char *)db_column_text(*ql, 1);
		if (leg_key(lk, sizeof lk, db_column_int64(*ql, 0), k ? k : "") == 0
		    && map_put(&b->seen, lk, db_column_int(*ql, 2)) < 0) {
			db_reset(*ql);
			return db_failf(w->db, DB_ENOMEM, "out of memory");
		}
	}
	db_reset(*ql);
	return rc == DB_DONE ? DB_OK : db_fail(db, "look up billed legs");
}

/* 1 and 2: what the store holds already, into b->seen */
static int look_up(store_writer *w, store_batch *b)
{
	size_t i, nv = 0;
	int st;
	char lk[600];
	db_t *side = b->own_only ? NULL : store_i_side(w);
	if (b->nmsg && (st = look_up_msgs(w, b)) != DB_OK)
		return st;
	if (b->nmsg == b->n)
		return DB_OK;
	if (!side)
		b->own_only = 1;
	if (b->own_only)
		return look_up_calls(w, b, w->db, &b->q_rec, &b->q_leg, 0);
	for (i = 0; i < b->n; i++) {
		pend *p = &b->p[i];
		const char *k;
		if (p->msg)
			continue;
		k = str_at(b, p->off[S_KEY]);
		p->hrec = kfilt_hash_of(k, strlen(k));
		p->vrec = (unsigned char)kfilt_maybe(b->frec, p->hrec);
		p->vleg = 0;
		if (p->rt.billed_leg) {
			if (leg_key(lk, sizeof lk, w->accts[p->acct].info.id, p->r.call_key ? p->r.call_key : "") < 0)
				return db_failf(w->db, DB_EINPUT, "call key too long");
			p->hleg = kfilt_hash_of(lk, strlen(lk));
			p->vleg = (unsigned char)kfilt_maybe(b->fleg, p->hleg);
		}
		nv += p->vrec || p->vleg;
	}
	if ((st = look_up_calls(w, b, side, &b->s_rec, &b->s_leg, 0)) != DB_OK)
		return st == DB_ENOMEM ? st : db_failf(w->db, st, "%s", db_errmsg(side));
	return nv ? look_up_calls(w, b, w->db, &b->q_rec, &b->q_leg, 1) : DB_OK;
}

/* the rows this batch stores, into the filters (their keys are then in the
 * transaction: the next batches look them up on w->db) */
static void remember(store_batch *b)
{
	for (size_t i = 0; i < b->n && !b->own_only; i++) {
		const pend *p = &b->p[i];
		if (p->msg || p->kind == K_DUP)
			continue;
		if (kfilt_add(b->frec, p->hrec) < 0 || (p->kind == K_INSERT && p->rt.billed_leg && kfilt_add(b->fleg, p->hleg) < 0))
			b->own_only = 1;
	}
}

/* The new billed legs' cdr_call rows as COPY text in b->legs (account,
 * call key, start, state: cdr_call keeps the billed leg's state, read for an
 * extra leg when the leg's month is archived); *n of them. */
static int build_legs(store_writer *w, store_batch *b, size_t *n)
{
	copytext *t = &b->legs;
	int bad = 0;
	t->len = 0;
	*n = 0;
	for (size_t i = 0; i < b->n; i++) {
		const pend *p = &b->p[i];
		if (p->msg || p->kind != K_INSERT || !p->rt.billed_leg)
			continue;
		bad |= ct_int(t, w->accts[p->acct].info.id) | ct_char(t, '\t');
		bad |= ct_field(t, p->r.call_key ? p->r.call_key : "") | ct_char(t, '\t');
		bad |= ct_int(t, p->r.start) | ct_char(t, '\t') | ct_int(t, p->rt.state) | ct_char(t, '\n');
		(*n)++;
	}
	return bad ? db_failf(w->db, DB_ENOMEM, "out of memory") : DB_OK;
}

/* In the transaction, before its first COPY: billtop.cdr_call = 'client'
 * (the COPY of cdr skips its per-row trigger: these rows' cdr_call rows are
 * written here), then the n billed legs build_legs kept (a COPY, its result
 * read by the next statement: the COPY of cdr). A call another session
 * billed since the look-up fails there, and the import with it: never
 * skipped. */
static int write_legs(store_writer *w, store_batch *b, size_t n)
{
	if (!b->client_set) {
		if (db_exec(w->db, "SELECT set_config('billtop.cdr_call', 'client', true)") != DB_OK)
			return db_fail(w->db, "insert call records");
		b->client_set = 1;
	}
	if (!n)
		return DB_OK;
#ifdef BILLTOP_PG
	if (db_pg_copy_in(w->db, "COPY cdr_call(account_id, call_key, start, state) FROM STDIN", b->legs.p, b->legs.len) != DB_OK)
		return db_fail(w->db, "insert call records");
	return DB_OK;
#else
	return db_failf(w->db, DB_ESQL, "batched rows without PostgreSQL");
#endif
}

int store_batch_wait(store_writer *w)
{
#ifdef BILLTOP_PG
	if (w->batch && db_pg_copy_wait(w->db) != DB_OK)
		return db_fail(w->db, "insert call records");
#else
	(void)w;
#endif
	return DB_OK;
}

/* ids for n new rows of cdr (mdr when msg): *q's rows, one a step, from the
 * side connection when there is one. The sequence is looked up once (a CTE
 * kept apart): in the select list pg_get_serial_sequence would run once a
 * row, ten times the cost of the nextval itself. */
static int alloc_ids(store_writer *w, store_batch *b, int msg, size_t n)
{
	db_stmt **q = msg ? &b->q_mids : &b->s_ids;
	if (!b->idb && !(b->idb = store_i_side(w)))
		b->idb = w->db;
	if (!*q && db_prepare(b->idb, msg ? "WITH s AS MATERIALIZED (SELECT pg_get_serial_sequence('mdr', 'id')::regclass AS r)"
	                                    " SELECT nextval(s.r) FROM s, generate_series(1, ?1)"
	                                  : "WITH s AS MATERIALIZED (SELECT pg_get_serial_sequence('cdr', 'id')::regclass AS r)"
	                                    " SELECT nextval(s.r) FROM s, generate_series(1, ?1)", q) != DB_OK)
		return side_fail(w, b->idb, "prepare the batch's ids");
	db_bind_int64(*q, 1, (int64_t)n);
	return DB_OK;
}

/* the next id of *q (stepped), or -1 */
static int64_t next_id(db_stmt *q)
{
	return db_step(q) == DB_ROW ? db_column_int64(q, 0) : -1;
}

int store_batch_flush(store_writer *w)
{
	store_batch *b = w->batch;
	size_t i, nins = 0, nmsg = 0, nlegs = 0;
	int st = DB_OK;
	char lk[600], rk[CDR_RECORD_ID_MAX + 600];
	if (!b || b->n == 0)
		return DB_OK;
	/* the batch before's COPY may still run: w->db's next statement
	 * waits for it (pg_settle) and reports its failure */
	for (i = 0; i < b->n; i++) { /* the text no longer moves */
		pend *p = &b->p[i];
		if (p->msg) {
			p->m.src = str_at(b, p->off[S_SRC]);
			p->m.dst = str_at(b, p->off[S_DST]);
			p->m.type = str_at(b, p->off[S_DISP]);
			p->m.direction = str_at(b, p->off[S_DIR]);
			p->m.record_id = p->m.account = NULL; /* the caller's; not kept */
			continue;
		}
		p->r.call_key = str_at(b, p->off[S_CALL]);
		p->r.src = str_at(b, p->off[S_SRC]);
		p->r.dst = str_at(b, p->off[S_DST]);
		p->r.clid = str_at(b, p->off[S_CLID]);
		p->r.disposition_text = str_at(b, p->off[S_DISP]);
		p->r.direction = str_at(b, p->off[S_DIR]);
		p->r.record_id = p->r.account = NULL; /* the caller's; not kept */
	}
	if ((st = look_up(w, b)) != DB_OK)
		goto out;
	/* decide each row in file order, as store_cdr, store_mdr and their
	 * unique indexes do */
	for (i = 0; i < b->n; i++) {
		pend *p = &b->p[i];
		int *v;
		snprintf(rk, sizeof rk, "%c%s", p->msg ? 'M' : 'R', str_at(b, p->off[S_KEY]));
		if (map_get(&b->seen, rk)) {
			p->kind = K_DUP;
			continue;
		}
		if (!p->msg && p->rt.billed_leg) {
			if (leg_key(lk, sizeof lk, w->accts[p->acct].info.id, p->r.call_key ? p->r.call_key : "") < 0) {
				st = db_failf(w->db, DB_EINPUT, "call key too long");
				goto out;
			}
			if ((v = map_get(&b->seen, lk)) != NULL) {
				p->kind = K_EXTRA;
				p->leg_state = *v;
				p->rt.state = CDR_EXTRA_LEG;
				p->rt.billed_leg = 0;
			} else if (map_put(&b->seen, lk, p->rt.state) < 0) {
				st = db_failf(w->db, DB_ENOMEM, "out of memory");
				goto out;
			}
		}
		if (map_put(&b->seen, rk, 0) < 0) {
			st = db_failf(w->db, DB_ENOMEM, "out of memory");
			goto out;
		}
		if (p->msg)
			nmsg++;
		else
			nins++;
	}
	remember(b);
	if ((nins && ((st = build_legs(w, b, &nlegs)) != DB_OK || (st = alloc_ids(w, b, 0, nins)) != DB_OK))
	    || (nmsg && (st = alloc_ids(w, b, 1, nmsg)) != DB_OK))
		goto out;
	/* each row in order: counted, rolled up, walked; the calls' COPY text */
	b->out.len = 0;
	for (i = 0; i < b->n && st == DB_OK; i++) {
		pend *p = &b->p[i];
		acct_entry *a = &w->accts[p->acct];
		int was_susp, flag, as;
		int64_t id;
		if (p->kind == K_DUP) {
			w->stats.duplicates++;
			continue;
		}
		if ((id = next_id(p->msg ? b->q_mids : b->s_ids)) < 0) {
			st = side_fail(w, b->idb, p->msg ? "insert message records" : "insert call records");
			break;
		}
		/* flagged with the walk's status before this row's own charge;
		 * an extra leg as its call's billed leg (store_cdr) */
		was_susp = a->walk.w.status == LEDGER_SUSPENDED;
		if (p->msg) {
			p->id = id;
			p->flag = was_susp;
			st = store_i_mdr_row(w, a, &p->m, id);
			continue;
		}
		as = p->kind == K_EXTRA ? p->leg_state : p->rt.state;
		flag = was_susp && p->r.connected && as != CDR_EMERGENCY && as != CDR_INTERNAL;
		if (put_row(w, b, p, id, flag) < 0) {
			st = db_failf(w->db, DB_ENOMEM, "out of memory");
			break;
		}
		st = store_i_account_row(w, a, &p->r, &p->rt, id);
	}
	if (nins)
		db_reset(b->s_ids);
	if (nmsg)
		db_reset(b->q_mids);
	if (st == DB_OK && nins && (st = write_legs(w, b, nlegs)) == DB_OK && (st = copy_rows(w, b, 0)) != DB_OK)
		st = db_fail(w->db, "insert call records");
	if (st == DB_OK && nmsg && (st = store_batch_wait(w)) == DB_OK) { /* the calls' COPY done: the messages' */
		b->out.len = 0;
		for (i = 0; i < b->n && st == DB_OK; i++)
			if (b->p[i].msg && b->p[i].kind != K_DUP && put_mrow(w, b, &b->p[i]) < 0)
				st = db_failf(w->db, DB_ENOMEM, "out of memory");
		if (st == DB_OK && (st = copy_rows(w, b, 1)) != DB_OK)
			st = db_fail(w->db, "insert message records");
	}
out:
	b->n = 0;
	b->nmsg = 0;
	b->txt.len = 0;
	map_clear(&b->seen);
	return st;
}
