/* fuzz.h: what every fuzz target in tests/fuzz/ shares.
 *
 * A target is one file that defines LLVMFuzzerTestOneInput. It is linked two
 * ways (tests/fuzz/fuzz.mk): with clang -fsanitize=fuzzer (libFuzzer's main,
 * `make fuzz`) and with replay.c's main (any cc, `make check` replays the
 * kept inputs). The input buffer is owned by the caller, is exactly `size`
 * bytes (not NUL-terminated) and is valid only during the call.
 *
 * FUZZ_CHECK states an invariant beyond "does not crash": when it is false
 * the target prints it and aborts, which both drivers report as a finding.
 * Aborting is for the harness only; the library code under test returns
 * status codes. */
#ifndef BILLTOP_FUZZ_H
#define BILLTOP_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static inline void fuzz_fail(const char *what, const char *file, int line)
{
	fprintf(stderr, "%s:%d: invariant failed: %s\n", file, line, what);
	abort();
}

#define FUZZ_CHECK(c) do { if (!(c)) fuzz_fail(#c, __FILE__, __LINE__); } while (0)

#endif
