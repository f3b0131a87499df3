/* keyfilt.h: a set of keys that answers "never added" or "perhaps added"
 * (a blocked Bloom filter in segments of 4 MiB, each holding up to
 * KEYFILT_SEG_KEYS keys; false positives measured in tests/unit/test_keyfilt.c). The PostgreSQL import's batches
 * (store_batch.c) keep the record ids and billed calls they stored in it:
 * a key it has never seen needs no look-up in the import's own transaction,
 * and the look-ups can go to another connection that runs beside the COPY.
 *
 * Contract: kfilt_maybe never answers 0 for a key added before (no false
 * negatives); it may answer 1 for a key never added (rarely: the caller
 * checks those the slow way). Memory is bounded by the max_bytes given to
 * kfilt_new: once a key would need more, kfilt_add returns -1 and the
 * filter is full for good (the caller stops relying on it). */
#ifndef BILLTOP_KEYFILT_H
#define BILLTOP_KEYFILT_H

#include <stddef.h>
#include <stdint.h>

#define KEYFILT_SEG_BYTES ((size_t)1 << 22) /* 32 Mi bits */
#define KEYFILT_SEG_KEYS 1000000            /* 33.5 bits a key, 7 probes */

typedef struct kfilt kfilt;

/* an empty filter that may grow to max_bytes (at least one segment); NULL:
 * out of memory. Segments are allocated as keys arrive. */
kfilt *kfilt_new(size_t max_bytes);
void kfilt_free(kfilt *f);

/* a key's hash: computed once, for kfilt_maybe and then kfilt_add */
typedef struct { uint64_t h1, h2; } kfilt_hash;
kfilt_hash kfilt_hash_of(const char *key, size_t len);

/* add the key of hash k: 0, or -1 when it would pass max_bytes or memory
 * ran out (the filter is then full: kfilt_full) */
int kfilt_add(kfilt *f, kfilt_hash k);

/* 0: the key of hash k was never added; 1: it perhaps was */
int kfilt_maybe(const kfilt *f, kfilt_hash k);

/* 1 once an add failed: the filter no longer holds every key added */
int kfilt_full(const kfilt *f);

#endif
