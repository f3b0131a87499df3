/* t.h: the unit-test harness (a small one of our own, tmux/redis style).
 *
 *   TEST(name) { T_EQ_I64(1 + 1, 2); ... }
 *   SUITE(money) { RUN(name); ... }
 *
 * An assertion that fails prints file:line and the two values, marks the test
 * failed and returns from it. runner.c prints "N passed, N failed" and exits
 * non-zero when any test failed. */
#ifndef BILLTOP_T_H
#define BILLTOP_T_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

extern int t_failed_flag;
void t_record(const char *suite, const char *name, int failed);
extern const char *t_suite;
extern const char *t_filter;

#define TEST(name) static void test_##name(void)
#define SUITE(name) void suite_##name(void); void suite_##name(void)
#define RUN(name) do { \
	if (t_filter && !strstr(#name, t_filter) && !strstr(t_suite, t_filter)) break; \
	t_failed_flag = 0; test_##name(); t_record(t_suite, #name, t_failed_flag); \
} while (0)

#define T_FAIL(...) do { fprintf(stderr, "  %s:%d: ", __FILE__, __LINE__); \
	fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); t_failed_flag = 1; return; } while (0)
#define T_ASSERT(c) do { if (!(c)) T_FAIL("assertion failed: %s", #c); } while (0)
#define T_EQ_I64(a, b) do { long long t_a_ = (long long)(a), t_b_ = (long long)(b); \
	if (t_a_ != t_b_) T_FAIL("%s == %lld, expected %s == %lld", #a, t_a_, #b, t_b_); } while (0)
#define T_EQ_STR(a, b) do { const char *t_a_ = (a), *t_b_ = (b); \
	if (!t_a_ || !t_b_ || strcmp(t_a_, t_b_) != 0) \
		T_FAIL("%s == \"%s\", expected \"%s\"", #a, t_a_ ? t_a_ : "(null)", t_b_ ? t_b_ : "(null)"); } while (0)
/* Path of the shared real-data directory (../shared/realdata by default,
 * $BILLTOP_REALDATA to override). */
const char *t_realdata(const char *file);
/* A fresh temporary path under $TMPDIR (removed by the caller). */
const char *t_tmppath(const char *name);

#endif
