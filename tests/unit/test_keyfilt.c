/* test_keyfilt.c: the import's key filter (data/keyfilt.c): never a false
 * negative, few false positives at a full segment, bounded memory. */
#include "t.h"
#include "../../data/keyfilt.h"

#include <stdio.h>

static kfilt_hash key(const char *pfx, long i)
{
	char b[64];
	int n = snprintf(b, sizeof b, "%s:%ld.%ld/0", pfx, 1704067206L + i, i);
	return kfilt_hash_of(b, (size_t)n);
}

/* 1.2M record ids (two segments): each one added answers "perhaps"; of 1M
 * ids never added, at most 100 do (a batch of 4,096 keys then meets one
 * less than once in two batches; each costs a look-up on the import's
 * connection, never a wrong answer) */
TEST(no_false_negative)
{
	kfilt *f = kfilt_new((size_t)64 << 20);
	long i, fp = 0;
	T_ASSERT(f != NULL);
	T_EQ_I64(kfilt_maybe(f, kfilt_hash_of("x", 1)), 0);
	for (i = 0; i < 1200000; i++)
		T_EQ_I64(kfilt_add(f, key("asterisk", i)), 0);
	for (i = 0; i < 1200000; i++)
		if (!kfilt_maybe(f, key("asterisk", i)))
			T_FAIL("key %ld added but not found", i);
	for (i = 0; i < 1000000; i++)
		fp += kfilt_maybe(f, key("freeswitch", i));
	printf("  keyfilt: %ld false positives of 1,000,000 at 1.2 M keys\n", fp);
	if (fp > 100)
		T_FAIL("%ld false positives of 1,000,000", fp);
	T_EQ_I64(kfilt_full(f), 0);
	kfilt_free(f);
}

/* one segment's worth of memory: the key after it is refused, and the
 * filter says it is full */
TEST(bounded)
{
	kfilt *f = kfilt_new(KEYFILT_SEG_BYTES);
	long i;
	T_ASSERT(f != NULL);
	for (i = 0; i < KEYFILT_SEG_KEYS; i++)
		T_EQ_I64(kfilt_add(f, key("L1", i)), 0);
	T_EQ_I64(kfilt_full(f), 0);
	T_EQ_I64(kfilt_add(f, kfilt_hash_of("one more", 8)), -1);
	T_EQ_I64(kfilt_full(f), 1);
	T_EQ_I64(kfilt_add(f, kfilt_hash_of("and another", 11)), -1);
	kfilt_free(f);
}

SUITE(keyfilt)
{
	RUN(no_false_negative);
	RUN(bounded);
}
