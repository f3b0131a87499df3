/* inv_side.c: one side of a dispute in memory: its arena, interned
 * strings, growing call array and, for ours, record ids fetched on demand
 * (see inv_int.h for the contracts). */
#include <stdlib.h>
#include <string.h>

#include "../core/number.h"
#include "inv_int.h"

/* ---- the side's arena ---------------------------------------------------- */

#define BLOCK_BYTES (1u << 20)
#define INTERN_MAX_SLOTS (1u << 16)   /* past 32k distinct strings, copy instead */

char *inv_arena_alloc(inv_side *s, size_t n)
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

const char *inv_arena_str(inv_side *s, const char *p, size_t n)
{
	char *d;
	if (n == 0)
		return "";
	if (!(d = inv_arena_alloc(s, n + 1)))
		return NULL;
	memcpy(d, p, n);
	d[n] = '\0';
	return d;
}

uint64_t inv_fnv(const char *p, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)p[i]) * 1099511628211ULL;
	return h;
}

/* A string many calls share (calling numbers, prefixes): one copy. Past
 * INTERN_MAX_SLOTS / 2 distinct strings, new ones are copied, not kept. */
const char *inv_intern(inv_side *s, const char *p, size_t n)
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
	for (i = inv_fnv(p, n) & mask; s->intern[i]; i = (i + 1) & mask)
		if (memcmp(s->intern[i], p, n) == 0 && s->intern[i][n] == '\0')
			return s->intern[i];
	if ((s->intern_n + 1) * 2 > s->intern_cap) {
		size_t ncap = s->intern_cap * 2;
		const char **t;
		if (ncap > INTERN_MAX_SLOTS)
			return inv_arena_str(s, p, n);
		if (!(t = calloc(ncap, sizeof *t)))
			return NULL;
		for (size_t k = 0; k < s->intern_cap; k++) {
			const char *e = s->intern[k];
			if (!e)
				continue;
			for (i = inv_fnv(e, strlen(e)) & (ncap - 1); t[i]; i = (i + 1) & (ncap - 1))
				;
			t[i] = e;
		}
		free(s->intern);
		s->intern = t;
		s->intern_cap = ncap;
		mask = ncap - 1;
		for (i = inv_fnv(p, n) & mask; s->intern[i]; i = (i + 1) & mask)
			;
	}
	if (!(d = inv_arena_str(s, p, n)))
		return NULL;
	s->intern_n++;
	return s->intern[i] = d;
}

recon_call *inv_push_call(inv_side *s)
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

void inv_trim(inv_side *s)
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
const char *inv_number(inv_side *s, const char *text, int shared)
{
	char buf[128];
	int len = text ? number_for_matching(text, buf, sizeof buf) : 0;
	if (len < 0) /* longer than any number: keep it as written */
		return inv_arena_str(s, text, strlen(text));
	return shared ? inv_intern(s, buf, (size_t)len) : inv_arena_str(s, buf, (size_t)len);
}

/* ---- our record ids on demand (compact form) ------------------------------ */

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
const char *inv_our_id(void *ctx, const recon_side *s, size_t i)
{
	inv_ids *x = ctx;
	uint32_t key = (uint32_t)i + 1;
	db_stmt *q;
	const char *id, *colon;
	char *v = NULL;
	size_t k;
	if (x->cap)
		for (k = (key * 2654435761u) & (x->cap - 1); x->key[k]; k = (k + 1) & (x->cap - 1))
			if (x->key[k] == key)
				return x->val[k];
	if ((x->n + 1) * 2 > x->cap && ids_grow(x) < 0)
		return NULL;
	if (db_prepare(x->db, "SELECT record_id FROM cdr WHERE id = ?1", &q) != DB_OK)
		return NULL;
	db_bind_int64(q, 1, recon_side_ref(s, i));
	if (db_step(q) == DB_ROW && (id = (const char *)db_column_text(q, 0))) {
		if ((colon = strchr(id, ':')))
			id = colon + 1;
		v = strndup(id, cdrfmt_call_id_len(id)); /* without cdrfmt's row digest */
	}
	db_finalize(q);
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

