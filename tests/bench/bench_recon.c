/* bench_recon.c: micro-benchmark of the dispute engine (core/recon.h), for
 * the pandas comparison of `make bench` (issue 4) and for tuning. Build it
 * like the other tools of this directory (from tests/bench):
 *
 *   cc -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
 *      -o out/bench_recon bench_recon.c ../../core/[a-z]*.c -lpthread
 *   out/bench_recon [NOURS [NTHEIRS [DAYS]]]     (default 1000000 600000 30)
 *
 * Builds NOURS calls of ours over DAYS UTC days (200,000 destinations on
 * five prefixes, 5,000 callers, ~75 % connected, rated 6/6), then NTHEIRS
 * of theirs: copies of a random subset of ours, each moved by a clock
 * jitter uniform in -2..+2 s, with their own ids. The calls go straight
 * into the engine's compact sides (recon_side_push), as `billtop
 * investigate` loads them (our ids are not kept, theirs are). Then times
 * recon_run_sides (daily totals, offset search, pairing, tree, causes) and
 * prints wall seconds and peak RSS (getrusage ru_maxrss) after building
 * the input and after the run: the difference is what the engine itself
 * needed at its peak. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "../../core/gen.h"
#include "../../core/recon.h"
#include "../../core/tm.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long peak_kb(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

static char *arena, *arena_end;

static const char *keep(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = arena;
	if (arena + n > arena_end) {
		fprintf(stderr, "arena full\n");
		exit(1);
	}
	memcpy(p, s, n);
	arena += n;
	return p;
}

int main(int argc, char **argv)
{
	size_t nours = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000000;
	size_t ntheirs = argc > 2 ? strtoul(argv[2], NULL, 10) : 600000;
	int days = argc > 3 ? atoi(argv[3]) : 30;
	static const char *const pfx[5] = { "1206", "1212", "44", "49", "52" };
	static const int64_t rate[5] = { 5000000, 6000000, 10000000, 20000000, 40000000 };
	enum { NDST = 200000, NSRC = 5000 };
	const char **dst, **dpfx, **src;
	recon_side so, st;
	uint32_t *pick;
	int64_t t0 = tm_days_from_civil(2024, 3, 1) * 86400;
	gen_rng g;
	double a, b;
	long kb_input, kb_run;
	recon_opts op;
	recon_result r;
	char buf[64];

	if (ntheirs > nours || days < 1 || nours > UINT32_MAX) {
		fprintf(stderr, "usage: bench_recon [NOURS [NTHEIRS <= NOURS [DAYS]]]\n");
		return 2;
	}
	arena = malloc((NDST + NSRC) * 16 + 64);
	arena_end = arena + (NDST + NSRC) * 16 + 64;
	dst = malloc(NDST * sizeof *dst);
	dpfx = malloc(NDST * sizeof *dpfx);
	src = malloc(NSRC * sizeof *src);
	pick = malloc((nours ? nours : 1) * sizeof *pick);
	if (!arena || !dst || !dpfx || !src || !pick)
		return 1;
	recon_side_init(&so, 0);
	recon_side_init(&st, 1);
	gen_rng_seed(&g, 20240301);
	for (int i = 0; i < NDST; i++) {
		int p = (int)gen_rng_below(&g, 5);
		if (p < 2)
			snprintf(buf, sizeof buf, "%s%07llu", pfx[p] + 1, (unsigned long long)gen_rng_below(&g, 10000000));
		else
			snprintf(buf, sizeof buf, "%s%09llu", pfx[p], (unsigned long long)gen_rng_below(&g, 1000000000));
		dst[i] = keep(buf);
		dpfx[i] = pfx[p];
	}
	for (int i = 0; i < NSRC; i++) {
		snprintf(buf, sizeof buf, "303%07d", i);
		src[i] = keep(buf);
	}
	for (size_t i = 0; i < nours; i++) {
		recon_call c;
		int d = (int)gen_rng_below(&g, NDST), p;
		memset(&c, 0, sizeof c);
		c.id = "";
		c.src = src[gen_rng_below(&g, NSRC)];
		c.dst = dst[d];
		c.prefix = dpfx[d];
		c.start = t0 + (int64_t)gen_rng_below(&g, (uint64_t)days * 86400);
		c.connected = gen_rng_below(&g, 4) != 0;
		c.answer = c.connected ? c.start + 1 + (int64_t)gen_rng_below(&g, 20) : TM_NONE;
		c.billsec_ms = c.connected ? 1000 * (1 + (int64_t)gen_rng_below(&g, 900)) : 0;
		c.billed_secs = c.connected ? (c.billsec_ms / 1000 + 5) / 6 * 6 : 0;
		for (p = 0; p < 5 && strcmp(pfx[p], c.prefix); p++)
			;
		c.has_cost = 1;
		c.cost = (rate[p] * c.billed_secs / 60 + 50000) / 100000 * 100000; /* 4 decimals */
		c.ref = (int64_t)i;
		if (recon_side_push(&so, &c) != RECON_OK)
			return 1;
	}
	/* their calls: a random subset of ours (partial Fisher-Yates), jittered */
	for (size_t i = 0; i < nours; i++)
		pick[i] = (uint32_t)i;
	for (size_t k = 0; k < ntheirs; k++) {
		size_t j = k + (size_t)gen_rng_below(&g, nours - k);
		uint32_t tmp = pick[k];
		int64_t jit = (int64_t)gen_rng_below(&g, 5) - 2;
		recon_call c;
		recon_callbuf cb;
		pick[k] = pick[j], pick[j] = tmp;
		recon_side_get(&so, pick[k], &c, &cb);
		snprintf(buf, sizeof buf, "t%zu", k);
		c.id = buf;
		c.start += jit;
		if (c.answer != TM_NONE)
			c.answer += jit;
		if (recon_side_push(&st, &c) != RECON_OK)
			return 1;
	}
	free(pick);
	recon_side_trim(&so);
	recon_side_trim(&st);
	kb_input = peak_kb();
	printf("input: %zu ours, %zu theirs over %d days in compact sides; peak RSS %ld KB\n", nours, ntheirs,
	       days, kb_input);

	recon_default_opts(&op);
	a = now();
	if (recon_run_sides(&so, &st, &op, &r) != RECON_OK)
		return 1;
	b = now();
	kb_run = peak_kb();
	printf("recon_run_sides: verdict %s, %d days, %zu pairs, %d causes, offset %lld s in %.3f s; "
	       "peak RSS %ld KB (+%ld KB over the input)\n",
	       recon_verdict_name(r.verdict), r.nday, r.npairs, r.ncause, (long long)r.clock_offset_s,
	       b - a, kb_run, kb_run - kb_input);
	for (int k = 0; k < r.nstep; k++)
		printf("  %s %s: %s\n", r.steps[k].question, r.steps[k].answer ? "yes" : "no",
		       r.steps[k].figures);
	recon_free(&r);
	recon_side_free(&so);
	recon_side_free(&st);
	return 0;
}
