/* pgsrc_seen.c: the window's committed rows (pgsrc_seen.h): open
 * addressing with linear probing, grown at half load, rebuilt to prune. */
#include "pgsrc_seen.h"

#include <stdlib.h>
#include <string.h>

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++) {
		h ^= b[i];
		h *= 1099511628211ULL;
	}
	return h;
}

uint64_t pgseen_digest(const csvin_row *row, int64_t key)
{
	uint64_t h = fnv(14695981039346656037ULL, &key, sizeof key);
	for (int i = 0; i < row->nfields; i++) {
		uint64_t len = row->len[i];
		h = fnv(h, &len, sizeof len);   /* lengths keep "a","bc" apart from "ab","c" */
		h = fnv(h, row->field[i], row->len[i]);
	}
	return h ? h : 1;
}

int pgseen_has(const pgseen *s, uint64_t h)
{
	if (!s->cap)
		return 0;
	for (size_t i = h & (s->cap - 1);; i = (i + 1) & (s->cap - 1)) {
		if (s->h[i] == h)
			return 1;
		if (!s->h[i])
			return 0;
	}
}

static void put(uint64_t *hs, int64_t *ks, size_t cap, uint64_t h, int64_t key)
{
	size_t i = h & (cap - 1);
	while (hs[i] && hs[i] != h)
		i = (i + 1) & (cap - 1);
	hs[i] = h;
	ks[i] = key;
}

/* Move the entries with key >= min_key into a table of cap slots. */
static int rebuild(pgseen *s, size_t cap, int64_t min_key)
{
	uint64_t *hs = calloc(cap, sizeof *hs);
	int64_t *ks = malloc(cap * sizeof *ks);
	size_t n = 0;
	if (!hs || !ks) {
		free(hs);
		free(ks);
		return -1;
	}
	for (size_t i = 0; i < s->cap; i++)
		if (s->h[i] && s->key[i] >= min_key) {
			put(hs, ks, cap, s->h[i], s->key[i]);
			n++;
		}
	free(s->h);
	free(s->key);
	s->h = hs;
	s->key = ks;
	s->cap = cap;
	s->n = n;
	return 0;
}

int pgseen_add(pgseen *s, uint64_t h, int64_t key)
{
	if (pgseen_has(s, h))
		return 0;
	if ((s->n + 1) * 2 > s->cap && rebuild(s, s->cap ? s->cap * 2 : 1024, INT64_MIN) != 0)
		return -1;
	put(s->h, s->key, s->cap, h, key);
	s->n++;
	return 0;
}

void pgseen_prune(pgseen *s, int64_t min_key)
{
	size_t cap = s->cap;
	if (!cap)
		return;
	/* shrink while a quarter would still hold them at half load */
	size_t keep = 0;
	for (size_t i = 0; i < s->cap; i++)
		keep += s->h[i] && s->key[i] >= min_key;
	if (keep == s->n)
		return;
	while (cap > 1024 && keep * 8 < cap)
		cap /= 2;
	rebuild(s, cap, min_key); /* out of memory: the old table stays, pruned later */
}

void pgseen_free(pgseen *s)
{
	free(s->h);
	free(s->key);
	memset(s, 0, sizeof *s);
}
