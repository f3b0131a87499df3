/* store_calls.c: the import summary's count of calls written as several
 * rows (store_count_calls): one digest per stored row with a call key,
 * sorted and counted at the end. Part of the writer (store_int.h). */
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

/* Rows of one call (store_count_calls): each stored row with a call key
 * appends a 64-bit digest of (account, call key) to w->keys, a sequential
 * write; store_finish sorts them (radix_u64) and counts the digests seen
 * twice or more.
 * 8 bytes a row; a collision of two digests would merge two calls in this
 * count only, never in what is stored or billed. DB_OK or DB_ENOMEM. */
int store_i_note_call_key(store_writer *w, int64_t account_id, const char *key)
{
	uint64_t h = 1469598103934665603ULL ^ (uint64_t)account_id;
	if (!w->count_calls || !key || !*key)
		return DB_OK;
	for (const unsigned char *p = (const unsigned char *)key; *p; p++)
		h = (h ^ *p) * 1099511628211ULL;
	if (w->nkeys == w->kcap) {
		size_t ncap = w->kcap ? w->kcap * 2 : 4096;
		uint64_t *n = realloc(w->keys, ncap * sizeof *n);
		if (!n)
			return db_failf(w->db, DB_ENOMEM, "out of memory");
		w->keys = n;
		w->kcap = ncap;
	}
	w->keys[w->nkeys++] = h;
	return DB_OK;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* Sort a[0..n) with an LSD radix sort, a byte a pass, through tmp[n]:
 * linear, where qsort of a million digests cost about 3 % of an import
 * (callgrind; issue 9's import stays within 5 % of before). Passes where
 * every key has the same byte are skipped. */
static void radix_u64(uint64_t *a, uint64_t *tmp, size_t n)
{
	size_t count[256];
	for (int shift = 0; shift < 64; shift += 8) {
		size_t i, pos = 0;
		memset(count, 0, sizeof count);
		for (i = 0; i < n; i++)
			count[(a[i] >> shift) & 0xff]++;
		if (count[(a[0] >> shift) & 0xff] == n)
			continue;
		for (i = 0; i < 256; i++) {
			size_t c = count[i];
			count[i] = pos;
			pos += c;
		}
		for (i = 0; i < n; i++)
			tmp[count[(a[i] >> shift) & 0xff]++] = a[i];
		memcpy(a, tmp, n * sizeof *a);
	}
}

void store_i_count_multi_row_calls(store_writer *w)
{
	size_t i = 0, j;
	int64_t n = 0;
	uint64_t *tmp;
	if (!w->count_calls || w->nkeys < 2)
		return; /* (nothing to sort: keys may still be NULL) */
	if ((tmp = malloc(w->nkeys * sizeof *tmp)) != NULL) {
		radix_u64(w->keys, tmp, w->nkeys);
		free(tmp);
	} else {
		qsort(w->keys, w->nkeys, sizeof *w->keys, cmp_u64); /* no room for tmp: in place */
	}
	while (i < w->nkeys) {
		for (j = i + 1; j < w->nkeys && w->keys[j] == w->keys[i]; j++)
			;
		n += j - i >= 2;
		i = j;
	}
	w->stats.multi_row_calls = n;
}

void store_count_calls(store_writer *w)
{
	w->count_calls = 1;
}

