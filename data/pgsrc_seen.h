/* pgsrc_seen.h: the rows of the re-read window already committed, so that
 * `ingest --from-db` skips them without rating or touching the store (an
 * idle follower then writes nothing and takes no lock). Private to
 * data/pgsrc*.c.
 *
 * A row is known by a 64-bit FNV-1a digest of its key and fields (what
 * the reader gets); a table of digests with their keys, pruned to the
 * window. Two different rows of the window with the same digest would make
 * the second one skipped: at 2^-64 per pair, accepted (a restart, which
 * starts with an empty table, would store it). */
#ifndef BILLTOP_PGSRC_SEEN_H
#define BILLTOP_PGSRC_SEEN_H

#include <stddef.h>
#include <stdint.h>
#include "csvin.h"

typedef struct {
	uint64_t *h;     /* 0: empty slot */
	int64_t *key;
	size_t n, cap;   /* cap: 0 or a power of two */
} pgseen;

uint64_t pgseen_digest(const csvin_row *row, int64_t key);
int pgseen_has(const pgseen *s, uint64_t h);
/* 0, or -1 out of memory (the set is unchanged: the row is only re-checked
 * through the store next time). */
int pgseen_add(pgseen *s, uint64_t h, int64_t key);
/* Keep the digests of keys >= min_key. */
void pgseen_prune(pgseen *s, int64_t min_key);
void pgseen_free(pgseen *s);

#endif
