/* keyfilt.c: a segmented, blocked Bloom filter (keyfilt.h). Each key is
 * hashed once (64-bit FNV-1a, then two splitmix64 finalisers): h1 picks a
 * 64-byte block of the segment (one cache line: one memory miss a key, where
 * probes across 4 MiB missed the cache 7 times), 10 fields of 9 bits of
 * h2 and h1 the bits inside it. A segment takes KEYFILT_SEG_KEYS keys; the next key
 * opens a new one. A look-up probes every segment. */
#include "keyfilt.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define PROBES 10

struct kfilt {
	uint8_t **seg;   /* nseg segments of KEYFILT_SEG_BYTES */
	size_t nseg, maxseg;
	size_t nlast;    /* keys in the last segment */
	int full;
};

static uint64_t mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

kfilt_hash kfilt_hash_of(const char *key, size_t len)
{
	kfilt_hash k;
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)key[i]) * 1099511628211ULL;
	k.h1 = mix(h);
	k.h2 = mix(h ^ 0x5bd1e9955bd1e995ULL);
	return k;
}

/* the key's block of segment s (64 bytes, one cache line) */
static uint8_t *block_of(uint8_t *s, kfilt_hash k)
{
	return s + (size_t)(k.h1 & (KEYFILT_SEG_BYTES / 64 - 1)) * 64;
}

/* the i-th bit of the key in its block: 9 bits of h2 (7 fields), then of
 * h1 above the block number (3 more) */
static unsigned probe(kfilt_hash k, int i)
{
	return (unsigned)(i < 7 ? k.h2 >> (9 * i) : k.h1 >> (16 + 9 * (i - 7))) & 511;
}

kfilt *kfilt_new(size_t max_bytes)
{
	kfilt *f = calloc(1, sizeof *f);
	if (!f)
		return NULL;
	f->maxseg = max_bytes / KEYFILT_SEG_BYTES;
	if (f->maxseg == 0)
		f->maxseg = 1;
	if (!(f->seg = calloc(f->maxseg, sizeof *f->seg))) {
		free(f);
		return NULL;
	}
	return f;
}

void kfilt_free(kfilt *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->nseg; i++)
		free(f->seg[i]);
	free(f->seg);
	free(f);
}

int kfilt_add(kfilt *f, kfilt_hash k)
{
	uint8_t *blk;
	if (f->full)
		return -1;
	if (f->nseg == 0 || f->nlast == KEYFILT_SEG_KEYS) {
		if (f->nseg == f->maxseg || !(f->seg[f->nseg] = aligned_alloc(64, KEYFILT_SEG_BYTES))) {
			f->full = 1;
			return -1;
		}
		memset(f->seg[f->nseg], 0, KEYFILT_SEG_BYTES);
		f->nseg++;
		f->nlast = 0;
	}
	blk = block_of(f->seg[f->nseg - 1], k);
	for (int i = 0; i < PROBES; i++) {
		unsigned bit = probe(k, i);
		blk[bit >> 3] |= (uint8_t)(1u << (bit & 7));
	}
	f->nlast++;
	return 0;
}

int kfilt_maybe(const kfilt *f, kfilt_hash k)
{
	for (size_t s = 0; s < f->nseg; s++) {
		const uint8_t *blk = block_of(f->seg[s], k);
		int i;
		for (i = 0; i < PROBES; i++) {
			unsigned bit = probe(k, i);
			if (!(blk[bit >> 3] & (1u << (bit & 7))))
				break;
		}
		if (i == PROBES)
			return 1;
	}
	return 0;
}

int kfilt_full(const kfilt *f)
{
	return f->full;
}
