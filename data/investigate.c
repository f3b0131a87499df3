/* investigate.c: loading the two sides of a dispute, running the engine,
 * and keeping the case (see investigate.h for what is compared). */
#include "investigate.h"

#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../core/number.h"
#include "../core/tm.h"
#include "inv_report.h"
#include "pipeline.h"
#include "store.h"
#include "tz.h"

/* ---- the side's arena ---------------------------------------------------- */

#define BLOCK_BYTES (1u << 20)
#define INTERN_MAX_SLOTS (1u << 16)   /* past 32k distinct strings, copy instead */

struct inv_block {
	inv_block *next;
	size_t used, cap;
	char data[];
};

static char *arena_alloc(inv_side *s, size_t n)
{
	inv_block *b = s->blocks;
	if (!b || b->cap - b->used < n) {
		size_t cap = n > BLOCK_BYTES ? n : BLOCK_BYTES;
		if (!(b = malloc(sizeof *b + cap)))
			return NULL;
		b->next = s->blocks;
		b->used = 0;
		b->cap = cap;
		s->blocks = b;
	}
	b->used += n;
	return b->data + b->used - n;
}

static const char *arena_str(inv_side *s, const char *p, size_t n)
{
	char *d;
	if (n == 0)
		return "";
	if (!(d = arena_alloc(s, n + 1)))
		return NULL;
	memcpy(d, p, n);
	d[n] = '\0';
	return d;
}

static uint64_t fnv(const char *p, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)p[i]) * 1099511628211ULL;
	return h;
}

/* A string many calls share (calling numbers, prefixes): one copy. Past
 * INTERN_MAX_SLOTS / 2 distinct strings, new ones are copied, not kept. */
static const char *intern(inv_side *s, const char *p, size_t n)
{
	size_t i, mask;
	const char *d;
	if (n == 0)
		return "";
	if (!s->intern) {
		s->intern_cap = 1024;
		if (!(s->intern = calloc(s->intern_cap, sizeof *s->intern)))
			return NULL;
	}
	mask = s->intern_cap - 1;
	for (i = fnv(p, n) & mask; s->intern[i]; i = (i + 1) & mask)
		if (memcmp(s->intern[i], p, n) == 0 && s->intern[i][n] == '\0')
			return s->intern[i];
	if ((s->intern_n + 1) * 2 > s->intern_cap) {
		size_t ncap = s->intern_cap * 2;
		const char **t;
		if (ncap > INTERN_MAX_SLOTS)
			return arena_str(s, p, n);
		if (!(t = calloc(ncap, sizeof *t)))
			return NULL;
		for (size_t k = 0; k < s->intern_cap; k++) {
			const char *e = s->intern[k];
			if (!e)
				continue;
			for (i = fnv(e, strlen(e)) & (ncap - 1); t[i]; i = (i + 1) & (ncap - 1))
				;
			t[i] = e;
		}
		free(s->intern);
		s->intern = t;
		s->intern_cap = ncap;
		mask = ncap - 1;
		for (i = fnv(p, n) & mask; s->intern[i]; i = (i + 1) & mask)
			;
	}
	if (!(d = arena_str(s, p, n)))
		return NULL;
	s->intern_n++;
	return s->intern[i] = d;
}

static recon_call *push_call(inv_side *s)
{
	if (s->n == s->cap) {
		/* Doubling: glibc grows big blocks with mremap, so no copy and no
		 * second peak; the array is trimmed when the load ends. */
		size_t ncap = s->cap ? s->cap * 2 : 4096;
		recon_call *c = realloc(s->calls, ncap * sizeof *c);
		if (!c)
			return NULL;
		s->calls = c;
		s->cap = ncap;
	}
	return &s->calls[s->n++];
}

static void trim(inv_side *s)
{
	if (s->compact) {
		recon_side_trim(&s->side);
		s->n = s->side.n;
		return;
	}
	if (s->n && s->n < s->cap) {
		recon_call *c = realloc(s->calls, s->n * sizeof *c);
		if (c) {
			s->calls = c;
			s->cap = s->n;
		}
	}
}

/* Number normalised for matching, interned when asked (calling numbers). */
static const char *number(inv_side *s, const char *text, int shared)
{
	char buf[128];
	int len = text ? number_for_matching(text, buf, sizeof buf) : 0;
	if (len < 0) /* longer than any number: keep it as written */
		return arena_str(s, text, strlen(text));
	return shared ? intern(s, buf, (size_t)len) : arena_str(s, buf, (size_t)len);
}

/* ---- our record ids on demand (compact form) ------------------------------ */

/* Call index -> record id, fetched from the store the first time a report
 * (or the engine's evidence) shows it: a compact side of ours does not
 * keep a million ids it never shows. */
struct inv_ids {
	db_t *db;
	uint32_t *key;             /* call index + 1, 0 empty */
	char **val;
	size_t cap, n;
};

static void ids_free(inv_ids *x)
{
	if (!x)
		return;
	for (size_t k = 0; k < x->cap; k++)
		free(x->val[k]);
	free(x->key);
	free(x->val);
	free(x);
}

static int ids_grow(inv_ids *x)
{
	size_t nc = x->cap ? 2 * x->cap : 256;
	uint32_t *nk = calloc(nc, sizeof *nk);
	char **nv = calloc(nc, sizeof *nv);
	if (!nk || !nv) {
		free(nk), free(nv);
		return -1;
	}
	for (size_t k = 0; k < x->cap; k++)
		if (x->key[k]) {
			size_t q = (x->key[k] * 2654435761u) & (nc - 1);
			while (nk[q])
				q = (q + 1) & (nc - 1);
			nk[q] = x->key[k], nv[q] = x->val[k];
		}
	free(x->key), free(x->val);
	x->key = nk, x->val = nv, x->cap = nc;
	return 0;
}

/* recon_id_fn: the record id of our call i (without the store's "source:"
 * namespace), or NULL when it cannot be read. */
static const char *our_id(void *ctx, const recon_side *s, size_t i)
{
	inv_ids *x = ctx;
	uint32_t key = (uint32_t)i + 1;
	sqlite3_stmt *q;
	const char *id, *colon;
	char *v = NULL;
	size_t k;
	if (x->cap)
		for (k = (key * 2654435761u) & (x->cap - 1); x->key[k]; k = (k + 1) & (x->cap - 1))
			if (x->key[k] == key)
				return x->val[k];
	if ((x->n + 1) * 2 > x->cap && ids_grow(x) < 0)
		return NULL;
	if (sqlite3_prepare_v2(x->db->sql, "SELECT record_id FROM cdr WHERE id = ?1", -1, &q, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_int64(q, 1, recon_side_ref(s, i));
	if (sqlite3_step(q) == SQLITE_ROW && (id = (const char *)sqlite3_column_text(q, 0))) {
		if ((colon = strchr(id, ':')))
			id = colon + 1;
		v = strdup(id);
	}
	sqlite3_finalize(q);
	if (!v)
		return NULL;
	for (k = (key * 2654435761u) & (x->cap - 1); x->key[k]; k = (k + 1) & (x->cap - 1))
		;
	x->key[k] = key;
	x->n++;
	return x->val[k] = v;
}

void inv_side_free(inv_side *s)
{
	inv_block *b, *next;
	if (!s)
		return;
	for (b = s->blocks; b; b = next) {
		next = b->next;
		free(b);
	}
	free(s->calls);
	free(s->intern);
	free(s->rejects);
	recon_side_free(&s->side);
	ids_free(s->ids);
	memset(s, 0, sizeof *s);
}

void inv_side_call(const inv_side *s, size_t i, recon_call *out, recon_callbuf *buf)
{
	if (s->calls)
		*out = s->calls[i];
	else
		recon_side_get(&s->side, i, out, buf);
}


static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

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
	sqlite3 *sql;              /* the connection this part reads with */
	int own;                   /* sql was opened for this part */
	int64_t account_id, from, to;
	int flags;                 /* INV_COMPACT, INV_KEEP_IDS */
	inv_side side;
	int st;                    /* DB_OK, DB_ENOMEM or DB_ESQL */
	char err[300];
	const char *path;          /* the database to open, NULL: read on sql */
	int64_t max_id;            /* newest cdr id in this part's snapshot */
} ours_part;

/* One row of ours into the compact side. Columns as in read_part's SQL. */
static int push_compact(inv_side *out, sqlite3_stmt *q, int state, int keep_ids)
{
	recon_call c;
	const char *id = keep_ids ? (const char *)sqlite3_column_text(q, 12) : NULL, *colon;
	/* "generic:c001" -> "c001": the store's namespace is ours alone. */
	if (id && (colon = strchr(id, ':')))
		id = colon + 1;
	c.id = id ? id : "";
	c.src = (const char *)sqlite3_column_text(q, 1); /* normalised by recon_side_push_raw */
	c.dst = (const char *)sqlite3_column_text(q, 2);
	c.start = sqlite3_column_int64(q, 3);
	c.answer = sqlite3_column_type(q, 4) == SQLITE_NULL ? TM_NONE : sqlite3_column_int64(q, 4);
	c.billsec_ms = sqlite3_column_int64(q, 5);
	c.connected = sqlite3_column_int(q, 6);
	c.has_cost = state != CDR_UNRATED;
	c.cost = sqlite3_column_int64(q, 8);
	c.billed_secs = state == CDR_UNRATED ? -1 : sqlite3_column_int64(q, 9);
	c.prefix = (const char *)sqlite3_column_text(q, 10);
	c.ref = sqlite3_column_int64(q, 0);
	out->cnam += sqlite3_column_int64(q, 11);
	return recon_side_push_raw(&out->side, &c) == RECON_OK ? 0 : -1;
}

static int open_reader(ours_part *p)
{
	if (!p->path)
		return 0;
	if (sqlite3_open_v2(p->path, &p->sql, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		p->st = DB_ESQL;
		snprintf(p->err, sizeof p->err, "%s: %s", p->path, p->sql ? sqlite3_errmsg(p->sql) : "cannot open");
		sqlite3_close_v2(p->sql);
		p->sql = NULL;
		return -1;
	}
	p->own = 1;
	sqlite3_busy_timeout(p->sql, 5000);
	sqlite3_exec(p->sql, READER_CACHE, NULL, NULL, NULL);
	return 0;
}

static void read_part(ours_part *p)
{
	static const char sql_wide[] = "SELECT id, record_id, src, dst, start, answer, billsec_ms, connected, state,"
		" cost, billed_secs, prefix, cnam_cost FROM cdr WHERE account_id = ?1 AND start >= ?2 AND start < ?3";
	/* compact: the columns push_compact reads, record_id only when kept */
	static const char sql_compact[] = "SELECT id, src, dst, start, answer, billsec_ms, connected, state,"
		" cost, billed_secs, prefix, cnam_cost FROM cdr WHERE account_id = ?1 AND start >= ?2 AND start < ?3";
	static const char sql_compact_ids[] = "SELECT id, src, dst, start, answer, billsec_ms, connected, state,"
		" cost, billed_secs, prefix, cnam_cost, record_id FROM cdr"
		" WHERE account_id = ?1 AND start >= ?2 AND start < ?3";
	int compact = (p->flags & INV_COMPACT) != 0, keep_ids = (p->flags & INV_KEEP_IDS) != 0;
	inv_side *out = &p->side;
	sqlite3_stmt *q;
	int rc;
	if (!p->sql && open_reader(p) < 0)
		return;
	if (compact) {
		out->compact = 1;
		recon_side_init(&out->side, keep_ids);
	}
	/* One read transaction per part, and the newest cdr id it sees: call
	 * records are append-only, so two parts whose snapshots end at the same
	 * id saw the same records (inv_load_ours compares them). */
	sqlite3_exec(p->sql, "BEGIN", NULL, NULL, NULL);
	if (sqlite3_prepare_v2(p->sql, "SELECT COALESCE(MAX(id), 0) FROM cdr", -1, &q, NULL) == SQLITE_OK) {
		if (sqlite3_step(q) == SQLITE_ROW)
			p->max_id = sqlite3_column_int64(q, 0);
		sqlite3_finalize(q);
	}
	if (sqlite3_prepare_v2(p->sql, !compact ? sql_wide : keep_ids ? sql_compact_ids : sql_compact, -1, &q,
	                       NULL) != SQLITE_OK) {
		p->st = DB_ESQL;
		snprintf(p->err, sizeof p->err, "read our calls: %s", sqlite3_errmsg(p->sql));
		sqlite3_exec(p->sql, "COMMIT", NULL, NULL, NULL);
		return;
	}
	sqlite3_bind_int64(q, 1, p->account_id);
	sqlite3_bind_int64(q, 2, p->from);
	sqlite3_bind_int64(q, 3, p->to);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *id, *colon;
		int state = sqlite3_column_int(q, compact ? 7 : 8);
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
		if (!(c = push_call(out)))
			goto oom;
		/* "generic:c001" -> "c001": the store's namespace is ours alone. */
		id = (const char *)sqlite3_column_text(q, 1);
		if (id && (colon = strchr(id, ':')))
			id = colon + 1;
		c->id = id ? arena_str(out, id, strlen(id)) : "";
		c->src = number(out, (const char *)sqlite3_column_text(q, 2), 1);
		c->dst = number(out, (const char *)sqlite3_column_text(q, 3), 0);
		c->prefix = sqlite3_column_type(q, 11) == SQLITE_NULL
		            ? "" : intern(out, (const char *)sqlite3_column_text(q, 11),
		                          (size_t)sqlite3_column_bytes(q, 11));
		if (!c->id || !c->src || !c->dst || !c->prefix)
			goto oom;
		c->start = sqlite3_column_int64(q, 4);
		c->answer = sqlite3_column_type(q, 5) == SQLITE_NULL ? TM_NONE : sqlite3_column_int64(q, 5);
		c->billsec_ms = sqlite3_column_int64(q, 6);
		c->connected = sqlite3_column_int(q, 7);
		c->has_cost = state != CDR_UNRATED;
		c->cost = sqlite3_column_int64(q, 9);
		c->billed_secs = state == CDR_UNRATED ? -1 : sqlite3_column_int64(q, 10);
		c->ref = sqlite3_column_int64(q, 0);
		out->cnam += sqlite3_column_int64(q, 12);
	}
	if (rc != SQLITE_DONE) {
		p->st = DB_ESQL;
		snprintf(p->err, sizeof p->err, "read our calls: %s", sqlite3_errmsg(p->sql));
	}
	sqlite3_finalize(q);
	sqlite3_exec(p->sql, "COMMIT", NULL, NULL, NULL);
	return;
oom:
	sqlite3_finalize(q);
	sqlite3_exec(p->sql, "COMMIT", NULL, NULL, NULL);
	p->st = DB_ENOMEM;
	snprintf(p->err, sizeof p->err, "out of memory loading our calls");
}

static void *part_thread(void *arg)
{
	read_part(arg);
	return NULL;
}

/* The hour that halves the period's records (hourly rollup), or -1 when
 * the period is too small to be worth a second thread. */
static int64_t split_hour(db_t *db, int64_t account_id, int64_t from, int64_t to)
{
	sqlite3_stmt *q;
	int64_t total = 0, run = 0, split = -1;
	static const char sql[] = "SELECT hour, calls FROM rollup_hour WHERE account_id = ?1 AND hour >= ?2"
		" AND hour < ?3 ORDER BY hour";
	if (sqlite3_prepare_v2(db->sql, sql, -1, &q, NULL) != SQLITE_OK)
		return -1;
	for (int pass = 0; pass < 2 && split < 0; pass++) {
		sqlite3_bind_int64(q, 1, account_id);
		sqlite3_bind_int64(q, 2, tm_floor_hour(from));
		sqlite3_bind_int64(q, 3, to);
		while (sqlite3_step(q) == SQLITE_ROW) {
			if (pass == 0) {
				total += sqlite3_column_int64(q, 1);
			} else if ((run += sqlite3_column_int64(q, 1)) * 2 >= total) {
				split = sqlite3_column_int64(q, 0);
				break;
			}
		}
		sqlite3_reset(q);
		if (total < OURS_SPLIT_MIN)
			break;
	}
	sqlite3_finalize(q);
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
	a->cnam += b->cnam;
	inv_side_free(b);
	return 0;
}

int inv_load_ours(db_t *db, const account_info *a, int64_t from, int64_t to, inv_side *out)
{
	return inv_load_ours_ex(db, a, from, to, 0, out);
}

int inv_load_ours_ex(db_t *db, const account_info *a, int64_t from, int64_t to, int flags, inv_side *out)
{
	ours_part part[2];
	const char *path = sqlite3_db_filename(db->sql, "main");
	int64_t split = path && *path ? split_hour(db, a->id, from, to) : -1;
	pthread_t th;
	int threaded = 0, st = DB_OK;

	memset(out, 0, sizeof *out);
	memset(part, 0, sizeof part);
	for (int i = 0; i < 2; i++) {
		part[i].account_id = a->id;
		part[i].from = i == 0 ? from : split;
		part[i].to = i == 0 && split >= 0 ? split : to;
		part[i].flags = flags;
		part[i].path = path && *path ? path : NULL;
	}
	if (!part[0].path)
		part[0].sql = db->sql; /* a database without a file: this connection only */
	if (split >= 0) {
		threaded = pthread_create(&th, NULL, part_thread, &part[1]) == 0;
		if (!threaded) /* no thread: read it all here */
			part[0].to = to;
	}
	read_part(&part[0]);
	if (threaded)
		pthread_join(th, NULL);
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
			sqlite3_close_v2(part[i].sql);
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
			out->side.id_fn = our_id;
			out->side.id_ctx = out->ids;
		}
	}
	if (st != DB_OK) {
		inv_side_free(out);
		return st;
	}
	trim(out);
	return DB_OK;
}

/* ---- their side ----------------------------------------------------------- */

/* Legs of one call (their file): call key -> the record id of its first
 * connected leg, as "key\0id\0" strings in the arena. */
typedef struct {
	const char **slot;
	size_t cap, n;
} leg_table;

static int leg_seen(inv_side *s, leg_table *t, const char *key, const char *rid, int *other)
{
	size_t kl = strlen(key), rl = strlen(rid), i;
	char *e;
	*other = 0;
	if (t->n * 2 >= t->cap) {
		size_t ncap = t->cap ? t->cap * 2 : 4096;
		const char **ns = calloc(ncap, sizeof *ns);
		if (!ns)
			return -1;
		for (size_t k = 0; k < t->cap; k++)
			if (t->slot[k]) {
				for (i = fnv(t->slot[k], strlen(t->slot[k])) & (ncap - 1); ns[i]; i = (i + 1) & (ncap - 1))
					;
				ns[i] = t->slot[k];
			}
		free(t->slot);
		t->slot = ns;
		t->cap = ncap;
	}
	for (i = fnv(key, kl) & (t->cap - 1); t->slot[i]; i = (i + 1) & (t->cap - 1))
		if (strcmp(t->slot[i], key) == 0) {
			*other = strcmp(t->slot[i] + kl + 1, rid) != 0;
			return 0;
		}
	if (!(e = arena_alloc(s, kl + rl + 2)))
		return -1;
	memcpy(e, key, kl + 1);
	memcpy(e + kl + 1, rid, rl + 1);
	t->slot[i] = e;
	t->n++;
	return 0;
}

typedef struct {
	db_t *db;
	const inv_theirs_opts *o;
	inv_side *s;
	leg_table legs;
	int oom;
	char stop[700];
} theirs_ctx;

static int on_their_item(const pipe_item *it, void *vctx)
{
	theirs_ctx *x = vctx;
	inv_side *s = x->s;
	const cdr_rec *r = &it->rec;
	recon_call *c;
	int other;

	if (it->kind == PIPE_BAD) {
		s->rejected++;
		if (!x->o->keep_going) {
			snprintf(x->stop, sizeof x->stop, "%s:%lld: %s", x->o->path, (long long)it->line, it->why);
			return 1;
		}
		if (s->nrejects < INV_MAX_REJECTS) {
			inv_reject *rj = &s->rejects[s->nrejects];
			rj->line = it->line;
			if (!(rj->why = (char *)arena_str(s, it->why, strlen(it->why))))
				goto oom;
			s->nrejects++;
		}
		return 0;
	}
	s->rows++;
	if (r->start < x->o->from || r->start >= x->o->to) {
		s->outside++;
		return 0;
	}
	if (r->connected && r->call_key && *r->call_key) {
		if (leg_seen(s, &x->legs, r->call_key, r->record_id, &other) < 0)
			goto oom;
		if (other) {
			s->extra_legs++;
			return 0;
		}
	}
	if (s->compact) {
		recon_call k;
		k.id = r->record_id;
		k.src = r->src; /* normalised by recon_side_push_raw */
		k.dst = r->dst;
		k.prefix = "";
		k.start = r->start;
		k.answer = r->answer;
		k.billsec_ms = r->billsec_ms;
		k.connected = r->connected;
		k.has_cost = r->has_their_cost;
		k.cost = r->has_their_cost ? r->their_cost : 0;
		k.billed_secs = r->their_billed_secs;
		k.ref = it->line;
		if (recon_side_push_raw(&s->side, &k) != RECON_OK)
			goto oom;
		s->n = s->side.n;
		s->cnam += r->cnam_fee;
		return 0;
	}
	if (!(c = push_call(s)))
		goto oom;
	c->id = arena_str(s, r->record_id, strlen(r->record_id));
	c->src = number(s, r->src, 1);
	c->dst = number(s, r->dst, 0);
	c->prefix = "";
	if (!c->id || !c->src || !c->dst)
		goto oom;
	c->start = r->start;
	c->answer = r->answer;
	c->billsec_ms = r->billsec_ms;
	c->connected = r->connected;
	c->has_cost = r->has_their_cost;
	c->cost = r->has_their_cost ? r->their_cost : 0;
	c->billed_secs = r->their_billed_secs;
	c->ref = it->line;
	s->cnam += r->cnam_fee;
	return 0;
oom:
	x->oom = 1;
	return 1;
}

int inv_load_theirs(db_t *db, const inv_theirs_opts *o, inv_side *out, cdrfmt_kind *format_used)
{
	return inv_load_theirs_ex(db, o, 0, out, format_used);
}

int inv_load_theirs_ex(db_t *db, const inv_theirs_opts *o, int flags, inv_side *out,
                       cdrfmt_kind *format_used)
{
	theirs_ctx x;
	cdrfmt_kind kind = o->format;
	cdrfmt_reader *fmt;
	tz_zone *zone;
	csvin_error err;
	char why[300];
	int rc;

	memset(out, 0, sizeof *out);
	memset(&x, 0, sizeof x);
	if (flags & INV_COMPACT) {
		out->compact = 1;
		recon_side_init(&out->side, 1);
	}
	if (kind == CDRFMT_AUTO && (kind = cdrfmt_detect(o->path, why, sizeof why)) == CDRFMT_AUTO)
		return db_failf(db, DB_EINPUT, "%s: cannot tell the format: %s (give --theirs-format)", o->path, why);
	*format_used = kind;
	if (!(zone = tz_open(o->tz, why, sizeof why)))
		return db_failf(db, DB_EINPUT, "--theirs-tz %s: %s", o->tz ? o->tz : "", why);
	if (!(fmt = cdrfmt_reader_new(kind, o->map, zone, why, sizeof why))) {
		tz_close(zone);
		return db_failf(db, DB_EINPUT, "%s: %s", o->path, why);
	}
	if (o->keep_going && !(out->rejects = calloc(INV_MAX_REJECTS, sizeof *out->rejects))) {
		cdrfmt_reader_free(fmt);
		tz_close(zone);
		return db_failf(db, DB_ENOMEM, "out of memory");
	}
	x.db = db;
	x.o = o;
	x.s = out;
	rc = pipeline_run(o->path, fmt, on_their_item, NULL, &x, &err);
	cdrfmt_reader_free(fmt);
	tz_close(zone);
	free(x.legs.slot);
	if (x.oom)
		return db_failf(db, DB_ENOMEM, "%s: out of memory reading their calls", o->path);
	if (x.stop[0])
		return db_failf(db, DB_EINPUT, "%s", x.stop);
	if (rc != CSVIN_OK) /* an unterminated quote cannot be resynchronised: refused even with keep-going */
		return db_failf(db, DB_EINPUT, "%s:%lld: %s", o->path, (long long)err.line, err.msg);
	trim(out);
	return DB_OK;
}

/* ---- running and keeping a case --------------------------------------------- */

/* Our side read on another thread while the caller reads theirs: its own
 * copy of the handle for error messages (the connection is not used by
 * the caller meanwhile). */
typedef struct {
	db_t dbc;
	const account_info *a;
	int64_t from, to;
	int flags, st;
	inv_side *out;
	double secs;
} ours_job;

static void *ours_job_run(void *arg)
{
	ours_job *j = arg;
	double t = now_s();
	j->st = inv_load_ours_ex(&j->dbc, j->a, j->from, j->to, j->flags, j->out);
	j->secs = now_s() - t;
	return NULL;
}

int inv_run(db_t *db, const inv_request *rq, inv_case *c)
{
	inv_theirs_opts to = rq->theirs;
	cdrfmt_kind used;
	char abs[PATH_MAX];
	double t;
	int st, flags = 0, threaded = 0;
	ours_job job;
	pthread_t th;

	memset(c, 0, sizeof *c);
	c->account = *rq->account;
	c->created = db_now();
	snprintf(c->operator_, sizeof c->operator_, "%s", db_operator());
	snprintf(c->ssh_client, sizeof c->ssh_client, "%s", db_ssh_client());
	snprintf(c->their_path, sizeof c->their_path, "%s", realpath(to.path, abs) ? abs : to.path);
	snprintf(c->options, sizeof c->options, "%s", rq->options ? rq->options : "");
	if (rq->compact)
		flags = INV_COMPACT | (rq->ro.match_ids ? INV_KEEP_IDS : 0);
	to.from = rq->has_period ? rq->from : INT64_MIN;
	to.to = rq->has_period ? rq->to : INT64_MAX;
	if (rq->has_period) {
		/* both sides at once: ours on other threads, theirs here */
		c->from = rq->from;
		c->to = rq->to;
		memset(&job, 0, sizeof job);
		job.dbc = *db;
		job.a = &c->account;
		job.from = c->from;
		job.to = c->to;
		job.flags = flags;
		job.out = &c->ours;
		threaded = pthread_create(&th, NULL, ours_job_run, &job) == 0;
	}
	t = now_s();
	st = inv_load_theirs_ex(db, &to, flags, &c->theirs, &used);
	c->secs_theirs = now_s() - t;
	if (threaded) {
		pthread_join(th, NULL);
		c->secs_ours = job.secs;
		if (c->ours.ids)
			c->ours.ids->db = db;
		if (st == DB_OK && job.st != DB_OK)
			st = db_failf(db, job.st, "%s", job.dbc.err);
	}
	if (st != DB_OK)
		return st;
	snprintf(c->their_format, sizeof c->their_format, "%s", cdrfmt_name(used));
	if (!rq->has_period) {
		/* The UTC days their file covers. */
		int64_t lo = INT64_MAX, hi = INT64_MIN;
		if (!c->theirs.n)
			return db_failf(db, DB_EINPUT, "%s: no calls in their file: give the period (--from, --to)",
			                to.path);
		for (size_t i = 0; i < c->theirs.n; i++) {
			int64_t s0 = c->theirs.compact ? recon_side_start(&c->theirs.side, i) : c->theirs.calls[i].start;
			if (s0 < lo)
				lo = s0;
			if (s0 > hi)
				hi = s0;
		}
		c->from = tm_floor_day(lo);
		c->to = tm_floor_day(hi) + 86400;
	}
	if (!threaded) {
		t = now_s();
		if ((st = inv_load_ours_ex(db, &c->account, c->from, c->to, flags, &c->ours)) != DB_OK)
			return st;
		c->secs_ours = now_s() - t;
	}
	t = now_s();
	if (rq->compact)
		st = recon_run_sides(&c->ours.side, &c->theirs.side, &rq->ro, &c->res);
	else
		st = recon_run(c->ours.calls, c->ours.n, c->theirs.calls, c->theirs.n, &rq->ro, &c->res);
	c->secs_recon = now_s() - t;
	if (st == RECON_EEMPTY) {
		char a[32], b[32];
		tm_format(c->from, a, sizeof a);
		tm_format(c->to, b, sizeof b);
		return db_failf(db, DB_EINPUT, "no calls on either side from %s to %s UTC", a, b);
	}
	if (st != RECON_OK)
		return db_failf(db, DB_ENOMEM, "out of memory reconciling");
	c->have_result = 1;
	if (c->res.has_single) {
		char ref[32];
		size_t i = (size_t)c->res.single.ours;
		snprintf(ref, sizeof ref, "#%lld",
		         (long long)(c->ours.compact ? recon_side_ref(&c->ours.side, i) : c->ours.calls[i].ref));
		if ((st = cdrq_explain_call(db, ref, &c->explain)) != DB_OK)
			return st;
		c->has_explain = 1;
	}
	return DB_OK;
}

void inv_case_free(inv_case *c)
{
	if (!c)
		return;
	if (c->have_result)
		recon_free(&c->res);
	inv_side_free(&c->ours);
	inv_side_free(&c->theirs);
	c->have_result = 0;
}
