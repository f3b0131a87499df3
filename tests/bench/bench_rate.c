/* bench_rate.c: in-memory rating throughput, one core.
 *
 * Builds a deck of 100,000 distinct prefixes shaped like a carrier's
 * (NANP country+NPA and NPA+NXX rows, international country codes with
 * city and mobile ranges, 1 to 9 digits), with effective-date variants on
 * some of them, then rates 20,000,000 calls (11-15 digit destinations,
 * random answered durations, random start times across the variants) and
 * prints calls per second. The same calls are then rated on a 10-row deck:
 * the trie should make the two figures close. Requirement: >= 5 M calls/s
 * with the 100k deck.
 *
 * Destinations are generated before the clock starts into a pool that the
 * timed loop reads in order, so the figure is match + rate, not the PRNG.
 * The cost sum and match count are printed so the work cannot be optimised
 * away. Each deck is timed three times and the best run is reported (the
 * others are printed too). Output lines: "rate_100k_deck: 7.3 M calls/s"
 * (no assertions).
 *
 * Build: cc -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -o bench_rate \
 *          tests/bench/bench_rate.c core/money.c core/rate.c */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../core/money.h"
#include "../../core/rate.h"

#define NPREFIX 100000
#define NCALLS 20000000
#define POOL (1 << 20) /* destinations generated up front, reused in order */
#define T0 1767225600LL  /* 2026-01-01 */
#define SPAN (365LL * 86400)

typedef struct { uint64_t s[4]; } rng;

static uint64_t splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static void rng_seed(rng *r, uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix(&seed);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

/* xoshiro256** */
static uint64_t next(rng *r)
{
	uint64_t *s = r->s, res = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return res;
}

static uint64_t below(rng *r, uint64_t n)
{
	return next(r) % n;
}

/* Real country codes (1 to 3 digits), so international prefixes nest the
 * way they do in carrier decks. */
static const char *const cc[] = {
	"7", "20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41", "43", "44",
	"45", "46", "47", "48", "49", "51", "52", "53", "54", "55", "56", "57", "58", "60",
	"61", "62", "63", "64", "65", "66", "81", "82", "84", "86", "90", "91", "92", "93",
	"94", "95", "98", "212", "213", "216", "218", "220", "221", "233", "234", "254",
	"255", "256", "260", "263", "351", "352", "353", "354", "355", "356", "357", "358",
	"359", "370", "371", "372", "380", "381", "385", "386", "420", "421", "502", "503",
	"504", "505", "506", "507", "509", "591", "593", "595", "598", "852", "853", "855",
	"856", "880", "886", "960", "961", "962", "963", "964", "965", "966", "971", "972",
	"973", "974", "975", "976", "977", "992", "993", "994", "995", "996", "998"
};
#define NCC (sizeof cc / sizeof cc[0])

static void digits(rng *r, char *p, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (char)('0' + below(r, 10));
}

/* A prefix like a deck row: 45% NANP (1 + NPA [+ NXX], or a partial), the
 * rest a country code plus 0..6 more digits; 1..9 digits in all. */
static void make_prefix(rng *r, char *p)
{
	int n;

	if (below(r, 100) < 45) {
		p[0] = '1';
		p[1] = (char)('2' + below(r, 8)); /* NPA starts 2-9 */
		digits(r, p + 2, 2);
		n = 4;
		if (below(r, 100) < 85) {      /* most NANP rows are NPA-NXX */
			p[4] = (char)('2' + below(r, 8));
			digits(r, p + 5, 2);
			n = 7;
		}
		n -= (int)below(r, 2) * (int)below(r, 2); /* a few 3- and 6-digit rows */
		if (below(r, 100) < 5)
			n = 1 + (int)below(r, 9);
	} else {
		const char *c = cc[below(r, NCC)];
		n = (int)strlen(c);
		memcpy(p, c, (size_t)n);
		int extra = (int)below(r, 7);
		if (n + extra > 9)
			extra = 9 - n;
		digits(r, p + n, extra);
		n += extra;
	}
	p[n] = '\0';
}

/* A dialled destination, 11-15 digits: mostly NANP 1+10 digits, the rest
 * international numbers under a country code. */
static void make_dest(rng *r, char *p)
{
	int n;

	if (below(r, 100) < 55) {
		p[0] = '1';
		p[1] = (char)('2' + below(r, 8));
		digits(r, p + 2, 2);
		p[4] = (char)('2' + below(r, 8));
		digits(r, p + 5, 6);
		n = 11;
	} else {
		const char *c = cc[below(r, NCC)];
		int len = 11 + (int)below(r, 5);
		n = (int)strlen(c);
		memcpy(p, c, (size_t)n);
		digits(r, p + n, len - n);
		n = len;
	}
	p[n] = '\0';
}

static int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

typedef struct {
	char dst[16];
} dest;

typedef struct {
	int64_t ms;
	int64_t at;
} callinfo;

static void print_rate(const char *label, int64_t calls, int64_t ns)
{
	/* integer arithmetic: calls per second, shown as M with one decimal */
	int64_t cps = ns > 0 ? (int64_t)((__int128)calls * 1000000000 / ns) : 0;
	printf("%s: %" PRId64 ".%" PRId64 " M calls/s\n", label, cps / 1000000, cps / 100000 % 10);
}

/* Rates the NCALLS calls REPS times and reports the best run: the figure
 * is what the code can do on one core, not what a busy machine let it do
 * (every run is printed too, so noise is visible). */
#define REPS 3

static void run(const char *label, const rate_deck *d, const dest *pool, const callinfo *ci)
{
	int64_t best = INT64_MAX, ns[REPS];
	money_t sum = 0;
	int64_t matched = 0, billed = 0;

	for (int rep = 0; rep < REPS; rep++) {
		int64_t t = now_ns();
		sum = 0;
		matched = 0;
		billed = 0;
		for (int64_t i = 0; i < NCALLS; i++) {
			const dest *ds = &pool[i & (POOL - 1)];
			const callinfo *c = &ci[i & (POOL - 1)];
			const rate_row *row = rate_deck_match(d, ds->dst, c->at);
			rate_result res;
			if (!row)
				continue;
			matched++;
			if (rate_call(row, c->ms, 4, ROUND_HALF_UP, &res) == RATE_OK) {
				sum += res.cost;
				billed += res.billed_secs;
			}
		}
		ns[rep] = now_ns() - t;
		if (ns[rep] < best)
			best = ns[rep];
	}
	print_rate(label, NCALLS, best);
	{
		char buf[32];
		money_format(sum, 4, buf, sizeof buf);
		printf("  %s: best of %d runs of %d calls (ms:", label, REPS, NCALLS);
		for (int rep = 0; rep < REPS; rep++)
			printf(" %" PRId64, ns[rep] / 1000000);
		printf("); %" PRId64 " matched, %" PRId64 " billed s, cost sum %s\n", matched,
		       billed, buf);
	}
}

static int add(rate_deck *d, rng *r, const char *prefix, int64_t from, int64_t to)
{
	rate_row row;
	static const int incs[][2] = { { 1, 1 }, { 6, 6 }, { 30, 6 }, { 60, 60 } };
	int k = (int)below(r, 4);

	memset(&row, 0, sizeof row);
	snprintf(row.prefix, sizeof row.prefix, "%s", prefix);
	row.rate_per_min = (money_t)(100000 + below(r, 300000000)); /* 0.0001 .. 0.3 */
	row.min_secs = incs[k][0];
	row.inc_secs = incs[k][1];
	row.grace_secs = (int32_t)below(r, 3);
	row.connect_fee = below(r, 10) == 0 ? (money_t)below(r, 10000000) : 0;
	row.eff_from = from;
	row.eff_to = to;
	return rate_deck_add(d, &row);
}

int main(void)
{
	rng r;
	rate_deck *big = rate_deck_new(), *small = rate_deck_new();
	dest *pool = malloc(POOL * sizeof *pool);
	callinfo *ci = malloc(POOL * sizeof *ci);
	int nprefix = 0, variants = 0;
	int64_t t;

	if (!big || !small || !pool || !ci) {
		fprintf(stderr, "bench_rate: out of memory\n");
		return 1;
	}
	rng_seed(&r, 20260105);

	t = now_ns();
	while (nprefix < NPREFIX) {
		char p[RATE_PREFIX_MAX + 1];
		make_prefix(&r, p);
		int st = add(big, &r, p, 0, RATE_FOREVER);
		if (st == RATE_EDUP)
			continue; /* prefix already in the deck */
		if (st != RATE_OK) {
			fprintf(stderr, "bench_rate: add %s: %s\n", p, rate_strerror(st));
			return 1;
		}
		nprefix++;
		/* 10 %: a price change during the year; 3 %: also a promo window */
		if (below(&r, 100) < 10) {
			add(big, &r, p, T0 + (int64_t)below(&r, (uint64_t)SPAN), RATE_FOREVER);
			variants++;
			if (below(&r, 100) < 30) {
				int64_t from = T0 + (int64_t)below(&r, (uint64_t)SPAN);
				if (add(big, &r, p, from, from + 30 * 86400) == RATE_OK)
					variants++;
			}
		}
	}
	t = now_ns() - t;
	printf("deck_100k: %d prefixes + %d dated variants = %zu rows, built in %" PRId64 " ms\n",
	       nprefix, variants, rate_deck_size(big), t / 1000000);

	{
		static const char *const ten[] = { "1", "1206", "1212", "1800", "44", "49", "33",
		                                   "52", "86", "91" };
		for (int i = 0; i < 10; i++)
			add(small, &r, ten[i], 0, RATE_FOREVER);
	}

	for (int i = 0; i < POOL; i++) {
		make_dest(&r, pool[i].dst);
		/* long-tailed durations: most calls short, some long, some 0 */
		uint64_t k = below(&r, 100);
		ci[i].ms = k < 5 ? 0 : k < 70 ? (int64_t)below(&r, 120000)
		                  : k < 95 ? (int64_t)below(&r, 900000) : (int64_t)below(&r, 7200000);
		ci[i].at = T0 + (int64_t)below(&r, (uint64_t)SPAN);
	}

	run("rate_100k_deck", big, pool, ci);
	run("rate_10_deck", small, pool, ci);

	rate_deck_free(big);
	rate_deck_free(small);
	free(pool);
	free(ci);
	return 0;
}
