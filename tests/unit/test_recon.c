/* test_recon.c: the dispute engine (core/recon.h). Pairs of synthetic CDR
 * sets are built here with one known fault each (missing calls in one hour,
 * longer durations on a slice, another rate on one prefix, a clock offset,
 * duplicates, other increments, other decimals) and the verdict, the day,
 * the hour, the missing ids, the single call and the causes are checked
 * exactly. recon_match is compared against a brute-force greedy on random
 * small inputs. T_RECON_DUMP=1 prints each result. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "t.h"
#include "../../core/gen.h"
#include "../../core/money.h"
#include "../../core/number.h"
#include "../../core/rate.h"
#include "../../core/recon.h"
#include "../../core/tm.h"

#define DAY 86400
#define HOUR 3600
#define NDAYS 7
#define PER_DAY 400

/* ---- call sets that own their strings --------------------------------- */

typedef struct {
	char id[24], src[24], dst[24], prefix[8];
} cstr;

typedef struct {
	recon_call *c;
	cstr *s;
	size_t n, cap;
} cset;

static void cs_init(cset *s, size_t cap)
{
	s->c = calloc(cap, sizeof *s->c);
	s->s = calloc(cap, sizeof *s->s);
	s->n = 0;
	s->cap = cap;
	if (!s->c || !s->s)
		abort();
}

static void cs_free(cset *s)
{
	free(s->c);
	free(s->s);
	memset(s, 0, sizeof *s);
}

/* Appends a copy of call i of `from` (strings included). */
static size_t cs_push(cset *s, const cset *from, size_t i)
{
	if (s->n == s->cap)
		abort(); /* a test sized its set too small */
	s->c[s->n] = from->c[i];
	s->s[s->n] = from->s[i];
	return s->n++;
}

/* Points the calls at their strings; call after the last push. */
static void cs_fix(cset *s)
{
	for (size_t i = 0; i < s->n; i++) {
		s->c[i].id = s->s[i].id;
		s->c[i].src = s->s[i].src;
		s->c[i].dst = s->s[i].dst;
		s->c[i].prefix = s->s[i].prefix;
	}
}

/* ---- rating ----------------------------------------------------------- */

static const char *const PFX[3] = { "44", "49", "1206" };

typedef struct {
	money_t rate[3];   /* per minute, by PFX index */
	int min[3], inc[3];
	int decimals;
} rates;

static money_t M(const char *s)
{
	money_t v = 0;
	if (money_parse(s, strlen(s), &v) != MONEY_OK)
		abort();
	return v;
}

static rates std_rates(void)
{
	rates r;
	memset(&r, 0, sizeof r);
	r.rate[0] = M("0.0100");
	r.rate[1] = M("0.0200");
	r.rate[2] = M("0.0050");
	for (int k = 0; k < 3; k++)
		r.min[k] = r.inc[k] = 6;
	r.decimals = 4;
	return r;
}

static int pfx_index(const char *p)
{
	for (int k = 0; k < 3; k++)
		if (strcmp(p, PFX[k]) == 0)
			return k;
	abort();
}

static void rate_all(cset *s, const rates *rt)
{
	for (size_t i = 0; i < s->n; i++) {
		recon_call *c = &s->c[i];
		int k = pfx_index(s->s[i].prefix);
		rate_row row;
		rate_result res;
		memset(&row, 0, sizeof row);
		row.rate_per_min = rt->rate[k];
		row.min_secs = rt->min[k];
		row.inc_secs = rt->inc[k];
		row.eff_to = RATE_FOREVER;
		c->has_cost = 1;
		if (!c->connected) {
			c->billed_secs = 0;
			c->cost = 0;
			continue;
		}
		if (rate_call(&row, c->billsec_ms, rt->decimals, ROUND_HALF_UP, &res) != RATE_OK)
			abort();
		c->billed_secs = res.billed_secs;
		c->cost = res.cost;
	}
}

/* ---- the generator ---------------------------------------------------- */

static int64_t T0(void) { return tm_days_from_civil(2024, 3, 4) * DAY; }

/* Our side: NDAYS x PER_DAY calls, starts uniform in each day but at least
 * 2 minutes from midnight (so a jitter of 2 s never moves a call to another
 * day), ~80 % connected, 1..600 s, ring 1..15 s, 10 customer numbers, dst
 * on three prefixes with 9 random digits (unique in practice). */
static void gen_ours(cset *o, uint64_t seed)
{
	gen_rng g;
	gen_rng_seed(&g, seed);
	cs_init(o, NDAYS * PER_DAY + 64);
	for (int d = 0; d < NDAYS; d++)
		for (int k = 0; k < PER_DAY; k++) {
			recon_call *c = &o->c[o->n];
			cstr *s = &o->s[o->n];
			int p = (int)gen_rng_below(&g, 3);
			snprintf(s->id, sizeof s->id, "O%06zu", o->n);
			snprintf(s->src, sizeof s->src, "212555010%d", (int)gen_rng_below(&g, 10));
			snprintf(s->dst, sizeof s->dst, "%s%09llu", p == 2 ? "206" : PFX[p],
			         (unsigned long long)gen_rng_below(&g, 1000000000ULL));
			if (p == 2)
				s->dst[10] = 0; /* NANP: 206 + 7 digits */
			snprintf(s->prefix, sizeof s->prefix, "%s", PFX[p]);
			c->start = T0() + (int64_t)d * DAY + 120 + (int64_t)gen_rng_below(&g, DAY - 240 - 20);
			c->connected = gen_rng_below(&g, 10) < 8;
			if (c->connected) {
				c->answer = c->start + 1 + (int64_t)gen_rng_below(&g, 15);
				c->billsec_ms = 1000 * (1 + (int64_t)gen_rng_below(&g, 600));
			} else {
				c->answer = TM_NONE;
				c->billsec_ms = 0;
			}
			c->ref = (int64_t)o->n;
			o->n++;
		}
	{
		rates rt = std_rates();
		rate_all(o, &rt);
	}
	cs_fix(o);
}

/* Their side: a copy of ours (ids T...), every call's times moved by the
 * same -2..+2 s jitter, in our order; skip[i] set leaves call i out. */
static void gen_theirs(cset *t, const cset *o, uint64_t seed, const uint8_t *skip)
{
	gen_rng g;
	gen_rng_seed(&g, seed);
	cs_init(t, o->n + 64);
	for (size_t i = 0; i < o->n; i++) {
		int64_t j = (int64_t)gen_rng_below(&g, 5) - 2;
		size_t k;
		if (skip && skip[i])
			continue;
		k = cs_push(t, o, i);
		snprintf(t->s[k].id, sizeof t->s[k].id, "T%06zu", i);
		t->c[k].start += j;
		if (t->c[k].answer != TM_NONE)
			t->c[k].answer += j;
		t->c[k].ref = (int64_t)i; /* which of ours it came from */
	}
	cs_fix(t);
}

static int run(const cset *o, const cset *t, const recon_opts *op, recon_result *r)
{
	int rc = recon_run(o->c, o->n, t->c, t->n, op, r);
	if (rc == RECON_OK && getenv("T_RECON_DUMP")) {
		char day[32];
		fprintf(stderr, "verdict %s, worst_day %d, offset %lld, pairs %zu, causes %d\n",
		        recon_verdict_name(r->verdict), r->worst_day, (long long)r->clock_offset_s,
		        r->npairs, r->ncause);
		for (int k = 0; k < r->nstep; k++)
			fprintf(stderr, "  step %s -> %s%s: %s\n", r->steps[k].question,
			        r->steps[k].answer ? "yes" : "no", r->steps[k].overridden ? " (engineer)" : "",
			        r->steps[k].figures);
		if (r->has_worst_hour) {
			tm_format(r->worst_hour.start, day, sizeof day);
			fprintf(stderr, "  worst hour %s: %zu missing ours, %zu missing theirs\n", day,
			        r->nmissing_ours, r->nmissing_theirs);
		}
		if (r->has_single)
			fprintf(stderr, "  single: ours %d theirs %d, %lld ms, %lld nano\n", r->single.ours,
			        r->single.theirs, (long long)r->single_diff_ms, (long long)r->single_diff_cost);
		for (int k = 0; k < r->ncause; k++)
			fprintf(stderr, "  cause %s [%s] side %d: %s\n", recon_cause_name(r->causes[k].kind),
			        r->causes[k].prefix, r->causes[k].side, r->causes[k].evidence);
	}
	return rc;
}

static recon_opts defaults(void)
{
	recon_opts op;
	recon_default_opts(&op);
	return op;
}

/* Index of the connected call of ours with the largest billsec on day d of
 * prefix p (ties: earliest start, lowest index); -1 if none. */
static int longest_on(const cset *o, int64_t day, const char *p)
{
	int best = -1;
	for (size_t i = 0; i < o->n; i++) {
		const recon_call *c = &o->c[i];
		if (!c->connected || c->start < day || c->start >= day + DAY || strcmp(o->s[i].prefix, p))
			continue;
		if (best < 0 || c->billed_secs > o->c[best].billed_secs ||
		    (c->billed_secs == o->c[best].billed_secs && c->start < o->c[best].start))
			best = (int)i;
	}
	return best;
}

/* ---- the small functions ---------------------------------------------- */

TEST(tolerances)
{
	T_EQ_I64(recon_counts_match(1000, 1005, 50), 1);   /* 5 * 10000 <= 50 * 1005 */
	T_EQ_I64(recon_counts_match(1000, 1006, 50), 0);   /* 60000 > 50300 */
	T_EQ_I64(recon_counts_match(1006, 1000, 50), 0);
	T_EQ_I64(recon_counts_match(0, 0, 0), 1);
	T_EQ_I64(recon_counts_match(0, 1, 10000), 1);      /* 100 % tolerates anything */
	T_EQ_I64(recon_counts_match(0, 1, 9999), 0);
	T_EQ_I64(recon_counts_match(-100, 100, 10000), 0); /* 200 apart, larger side 100 */
	T_EQ_I64(recon_counts_match(INT64_MAX, INT64_MIN, 10000), 0); /* no overflow */
	T_EQ_I64(recon_counts_match(INT64_MAX, INT64_MAX - 1, 1), 1);
	/* money: 0.5 % or 0.01 */
	T_EQ_I64(recon_cost_match(M("1.00"), M("1.0099"), 50, M("0.01")), 1);
	T_EQ_I64(recon_cost_match(M("1.00"), M("1.0101"), 50, M("0.01")), 0);
	T_EQ_I64(recon_cost_match(M("100.00"), M("100.49"), 50, M("0.01")), 1);
	T_EQ_I64(recon_cost_match(M("100.00"), M("100.51"), 50, M("0.01")), 0);
	T_EQ_I64(recon_cost_match(0, M("0.01"), 0, M("0.01")), 1);
	T_EQ_I64(recon_cost_match(INT64_MIN, INT64_MAX, 50, INT64_MAX), 0);
}

TEST(names_and_defaults)
{
	recon_opts op;
	recon_default_opts(&op);
	T_EQ_I64(op.count_bp, 50);
	T_EQ_I64(op.seconds_bp, 50);
	T_EQ_I64(op.cost_bp, 50);
	T_EQ_I64(op.cost_abs, 10000000);
	T_EQ_I64(op.match_tol_s, 5);
	T_EQ_I64(op.max_offset_s, 14 * 3600);
	T_EQ_I64(op.force_day, -1);
	T_EQ_I64(op.force_connected_match, -1);
	T_EQ_I64(op.force_duration_match, -1);
	T_EQ_STR(recon_verdict_name(RECON_VERDICT_NONE), "none");
	T_EQ_STR(recon_verdict_name(RECON_VERDICT_MISSING_CALLS), "missing_calls");
	T_EQ_STR(recon_verdict_name(RECON_VERDICT_DURATION), "duration");
	T_EQ_STR(recon_verdict_name(RECON_VERDICT_RATING), "rating");
	T_EQ_STR(recon_verdict_name(RECON_VERDICT_TIMEZONE_OFFSET), "timezone_offset");
	T_EQ_STR(recon_cause_name(RECON_CAUSE_CLOCK_OFFSET), "timezone_offset");
	T_EQ_STR(recon_cause_name(RECON_CAUSE_INCREMENT), "billing_increment");
	T_EQ_STR(recon_cause_name(RECON_CAUSE_ROUNDING), "rounding");
	T_EQ_STR(recon_cause_name(RECON_CAUSE_RATE), "rate");
	T_EQ_STR(recon_cause_name(RECON_CAUSE_DUPLICATES), "duplicates");
}

TEST(empty)
{
	recon_result r;
	recon_pair *p = (recon_pair *)&r;
	size_t np = 7;
	T_EQ_I64(recon_run(NULL, 0, NULL, 0, NULL, &r), RECON_EEMPTY);
	T_EQ_I64(r.npairs, 0);
	T_ASSERT(r.days == NULL);
	recon_free(&r);
	T_EQ_I64(recon_match(NULL, 0, NULL, 0, NULL, 0, &p, &np), RECON_OK);
	T_ASSERT(p == NULL);
	T_EQ_I64(np, 0);
}

/* ---- (g) identical sides ---------------------------------------------- */

TEST(identical_sides)
{
	cset o, t;
	recon_result r;
	recon_opts op = defaults();
	gen_ours(&o, 1);
	gen_theirs(&t, &o, 2, NULL); /* the same calls, times jittered by up to 2 s */
	T_EQ_I64(run(&o, &t, &op, &r), RECON_OK);
	T_EQ_I64(r.verdict, RECON_VERDICT_NONE);
	T_EQ_I64(r.worst_day, -1);
	T_EQ_I64(r.ncause, 0);
	T_EQ_I64(r.clock_offset_s, 0);
	T_EQ_I64(r.nday, NDAYS);
	T_EQ_I64(r.nstep, 1);
	T_EQ_I64(r.steps[0].answer, 0);
	T_ASSERT(strstr(r.steps[0].figures, "0 of 7 UTC days differ") != NULL);
	T_EQ_I64(r.has_worst_hour, 0);
	T_EQ_I64(r.has_single, 0);
	/* every call pairs with its own copy */
	T_EQ_I64(r.npairs, o.n);
	for (size_t k = 0; k < r.npairs; k++) {
		T_EQ_I64(r.pairs[k].ours, (int)k);
		T_EQ_I64(r.pairs[k].theirs, (int)k);
		T_ASSERT(llabs(r.pairs[k].dt) <= 2); /* the closest of the four time pairs */
	}
	for (int d = 0; d < r.nday; d++) {
		T_EQ_I64(r.days[d].start, T0() + (int64_t)d * DAY);
		T_EQ_I64(r.days[d].calls[0], PER_DAY);
		T_EQ_I64(r.days[d].calls[1], PER_DAY);
		T_EQ_I64(r.days[d].connected[0], r.days[d].connected[1]);
		T_EQ_I64(r.days[d].cost[0], r.days[d].cost[1]);
	}
	recon_free(&r);
	cs_free(&o);
	cs_free(&t);
}

/* ---- (a) seven calls missing in one hour ------------------------------ */

/* Our calls left out of theirs: the first 7 connected calls (by index) that
 * start in hour 14 of day 2. Fills lost[] with their indexes. */
static int pick_missing(const cset *o, uint8_t *skip, int *lost)
{
	int64_t h0 = T0() + 2 * DAY + 14 * HOUR;
	int n = 0;
	for (size_t i = 0; i < o->n && n < 7; i++)
		if (o->c[i].connected && o->c[i].start >= h0 && o->c[i].start < h0 + HOUR) {
			skip[i] = 1;
			lost[n++] = (int)i;
		}
	return n;
}

TEST(missing_calls_in_one_hour)
{
	cset o, t;
	recon_result r;
	recon_opts op = defaults();
	uint8_t *skip;
	int lost[7];
	gen_ours(&o, 11);
	skip = calloc(o.n, 1);
	T_EQ_I64(pick_missing(&o, skip, lost), 7);
	gen_theirs(&t, &o, 12, skip);
	T_EQ_I64(run(&o, &t, &op, &r), RECON_OK);
	T_EQ_I64(r.verdict, RECON_VERDICT_MISSING_CALLS);
	T_ASSERT(r.worst_day >= 0);
	T_EQ_I64(r.days[r.worst_day].start, T0() + 2 * DAY);
	T_EQ_I64(r.nstep, 2);
	T_EQ_I64(r.steps[0].answer, 1);
	T_EQ_I64(r.steps[1].answer, 0);
	T_EQ_I64(r.steps[1].overridden, 0);
	T_EQ_STR(r.steps[1].question, "Do the connected-call totals roughly match?");
	T_ASSERT(strstr(r.steps[1].figures, "tolerance 0.50 %") != NULL);
	T_EQ_I64(r.has_worst_hour, 1);
	T_EQ_I64(r.worst_hour.start, T0() + 2 * DAY + 14 * HOUR);
	T_EQ_I64(r.nmissing_ours, 0);
	T_EQ_I64(r.nmissing_theirs, 7);
	for (int k = 0; k < 7; k++)
		T_EQ_I64(r.missing_theirs[k], lost[k]);
	T_EQ_I64(r.has_single, 0);
	T_EQ_I64(r.ncause, 0);
	T_EQ_I64(r.npairs, t.n);
	recon_free(&r);
	free(skip);
	cs_free(&o);
	cs_free(&t);
}

/* The mirror image: we lack 3 of their calls (indexes into theirs). */
TEST(missing_on_our_side)
{
	cset full, o, t;
	recon_result r;
	recon_opts op = defaults();
	int64_t h0 = T0() + 5 * DAY + 9 * HOUR;
	int gone[3], ng = 0;
	gen_ours(&full, 21);
	gen_theirs(&t, &full, 22, NULL);
	cs_init(&o, full.n);
	for (size_t i = 0; i < full.n; i++) {
		if (ng < 3 && full.c[i].connected && full.c[i].start >= h0 && full.c[i].start < h0 + HOUR) {
			gone[ng++] = (int)i; /* theirs are in our order, nothing skipped */
			continue;
		}
		cs_push(&o, &full, i);
	}
	cs_fix(&o);
	T_EQ_I64(ng, 3);
	T_EQ_I64(run(&o, &t, &op, &r), RECON_OK);
	T_EQ_I64(r.verdict, RECON_VERDICT_MISSING_CALLS);
	T_EQ_I64(r.days[r.worst_day].start, T0() + 5 * DAY);
	T_EQ_I64(r.worst_hour.start, h0);
	T_EQ_I64(r.worst_hour.connected[1] - r.worst_hour.connected[0], 3);
	T_EQ_I64(r.nmissing_theirs, 0);
	T_EQ_I64(r.nmissing_ours, 3);
	for (int k = 0; k < 3; k++)
		T_EQ_I64(r.missing_ours[k], gone[k]);
	recon_free(&r);
	cs_free(&full);
	cs_free(&o);
	cs_free(&t);
}

/* ---- (b) longer durations on a slice of one day ----------------------- */

TEST(longer_durations_on_one_day)
{
	cset o, t;
	recon_result r;
	recon_opts op = defaults();
	rates rt = std_rates();
	int64_t d4 = T0() + 4 * DAY;
	int special = -1, nslice = 0;
	gen_ours(&o, 31);
	gen_theirs(&t, &o, 32, NULL);
	for (size_t i = 0; i < t.n; i++) {
		recon_call *c = &t.c[i];
		if (!c->connected || o.c[i].start < d4 || o.c[i].start >= d4 + DAY)
			continue;
		if (i % 2 == 0) {
			c->billsec_ms += 6000; /* their durations 6 s longer on half the day */
			nslice++;
		} else if (special < 0 && o.c[i].start >= d4 + 12 * HOUR) {
			c->billsec_ms += 45000; /* one call 45 s longer: the biggest difference */
			special = (int)i;
		}
	}
	rate_all(&t, &rt);
	T_ASSERT(special >= 0 && nslice > 100);
	T_EQ_I64(run(&o, &t, &op, &r), RECON_OK);
	T_EQ_I64(r.verdict, RECON_VERDICT_DURATION);
	T_EQ_I64(r.days[r.worst_day].start, d4);
	T_EQ_I64(r.nstep, 3);
	T_EQ_I64(r.steps[1].answer, 1);
	T_EQ_I64(r.steps[2].answer, 0);
	T_EQ_STR(r.steps[2].question, "Do the duration totals roughly match?");
	T_EQ_I64(r.has_single, 1);
	T_EQ_I64(r.single.ours, special);
	T_EQ_I64(r.single.theirs, special);
	T_EQ_I64(r.single_diff_ms, 45000);
	T_EQ_I64(r.single_diff_cost, t.c[special].cost - o.c[special].cost);
	T_EQ_I64(r.has_worst_hour, 0);
	T_EQ_I64(r.nmissing_ours + r.nmissing_theirs, 0);
	T_EQ_I64(r.ncause, 0);
	recon_free(&r);
	cs_free(&o);
	cs_free(&t);
}

/* ---- (c) a different rate on one prefix ------------------------------- */

TEST(rate_difference_on_one_prefix)
{
	cset o, t;
	recon_result r;
	recon_opts op = defaults();
	rates rt = std_rates();
	int want_day = -1, single;
	__int128 best_d = -1, best_m = 1;
	gen_ours(&o, 41);
	gen_theirs(&t, &o, 42, NULL);
	rt.rate[1] = M("0.0250"); /* 49: 0.0250/min on their side, 0.0200 on ours */
	rate_all(&t, &rt);
	/* The expected worst day, recomputed from the calls: the largest
	 * |Δcost| relative to the larger side. */
	for (int d = 0; d < NDAYS; d++) {
		__int128 a = 0, b = 0;
		for (size_t i = 0; i < o.n; i++)
			if (o.c[i].start >= T0() + (int64_t)d * DAY && o.c[i].start < T0() + (int64_t)(d + 1) * DAY)
				a += o.c[i].cost, b += t.c[i].cost;
		if (best_d < 0 || (b - a) * best_m > best_d * b)
			best_d = b - a, best_m = b, want_day = d;
	}
	T_EQ_I64(run(&o, &t, &op, &r), RECON_OK);
	T_EQ_I64(r.verdict, RECON_VERDICT_RATING);
	T_EQ_I64(r.days[r.worst_day].start, T0() + (int64_t)want_day * DAY);
	T_EQ_I64(r.nstep, 3);
	T_EQ_I64(r.steps[1].answer, 1);
	T_EQ_I64(r.steps[2].answer, 1);
	/* the single call: the longest-billed 49 call of that day */
	single = longest_on(&o, T0() + (int64_t)want_day * DAY, "49");
	T_EQ_I64(r.has_single, 1);
	T_EQ_I64(r.single.ours, single);
	T_EQ_I64(r.single_diff_cost, t.c[single].cost - o.c[single].cost);
	T_EQ_I64(r.single_diff_ms, 0);
	T_EQ_I64(r.ncause, 1);
	T_EQ_I64(r.causes[0].kind, RECON_CAUSE_RATE);
	T_EQ_STR(r.causes[0].prefix, "49");
	T_ASSERT(strstr(r.causes[0].evidence, "ratio 1.2500") != NULL);
	T_ASSERT(strstr(r.causes[0].evidence, "0.0250/min theirs, 0.0200/min ours") != NULL);
	recon_free(&r);
	cs_free(&o);
	cs_free(&t);
}

/* ---- (d) a constant clock offset -------------------------------------- */

static void shift_theirs(cset *t, int64_t s)
{
	for (size_t i = 0; i < t->n; i++) {
		t->c[i].start += s;
		if (t->c[i].answer != TM_NONE)
			t->c[i].answer += s;
	}
}

TEST(clock_offset_three_hours)
{
	cset o, t;
	recon_result r;
	recon_opts op = defaults();
	gen_ours(&o, 51);
	gen_theirs(&t, &o, 52, NULL);
	shift_theirs(&t, 3 * HOUR);
	T_EQ_I64(run(&o, &t, &op, &r), RECON_OK);
	T_EQ_I64(r.verdict, RECON_VERDICT_TIMEZONE_OFFSET);
	T_EQ_I64(r.clock_offset_s, 10800);
	T_EQ_I64(r.ncause, 1);
	T_EQ_I64(r.causes[0].kind, RECON_CAUSE_CLOCK_OFFSET);
	T_EQ_I64(r.causes[0].offset_s, 10800);
	T_ASSERT(strstr(r.causes[0].evidence, "their clock is 3 h ahead of ours (+10800 s)") != NULL);
	T_ASSERT(strstr(r.causes[0].evidence, "(100.0 %) pair, without it 0 (0.0 %)") != NULL);
	T_ASSERT(strstr(r.causes[0].evidence, "so daily totals shift between adjacent days (2024-") != NULL);
	/* the daily totals still come from each side's own clock */
	T_EQ_I64(r.nday, NDAYS + 1);
	T_ASSERT(r.worst_day >= 0);
	T_EQ_STR(r.steps[r.nstep - 1].question, "Are the two sides' clocks offset by a constant amount?");
	T_EQ_I64(r.steps[r.nstep - 1].answer, 1);
	/* with the offset every call pairs with its own copy */
	T_EQ_I64(r.npairs, o.n);
	for (size_t k = 0; k < r.npairs; k++)
		T_EQ_I64(r.pairs[k].theirs, r.pairs[k].ours);
	recon_free(&r);
	/* without a search (max_offset_s 0) nothing pairs and it is not named */
	op.max_offset_s = 0;
	T_EQ_I64(run(&o, &t, &op, &r), RECON_OK);
	T_EQ_I64(r.clock_offset_s, 0);
	T_ASSERT(r.verdict != RECON_VERDICT_TIMEZONE_OFFSET);
	T_EQ_I64(r.npairs, 0);
	recon_free(&r);
	cs_free(&o);
	cs_free(&t);
}

TEST(clock_offset_behind_half_hour_zone)
{
	cset o, t;
	recon_result r;
	recon_opts op = defaults();
	gen_ours(&o, 61);
	gen_theirs(&t, &o, 62, NULL);
	shift_theirs(&t, -(5 * HOUR + 30 * 60)); /* a +05:30 server read as UTC the other way */
	T_EQ_I64(run(&o, &t, &op, &r), RECON_OK);
	T_EQ_I64(r.verdict, RECON_VERDICT_TIMEZONE_OFFSET);
	T_EQ_I64(r.clock_offset_s, -19800);
	T_EQ_I64(r.causes[0].offset_s, -19800);
	T_ASSERT(strstr(r.causes[0].evidence, "their clock is 5 h 30 min behind ours (-19800 s)") != NULL);
	T_EQ_I64(r.npairs, o.n);
	recon_free(&r);
	cs_free(&o);
	cs_free(&t);
}

/* ---- (e) duplicates on their side ------------------------------------- */

TEST(duplicates_on_their_side)
{
	cset o, t;
	recon_result r;
	recon_opts op = defaults();
	size_t n0;
	int ndup = 0;
	int64_t d3 = T0() + 3 * DAY;
	gen_ours(&o, 71);
	gen_theirs(&t, &o, 72, NULL);
	n0 = t.n;
	for (size_t i = 0; i < n0 && ndup < 5; i++)
		if (t.c[i].connected && o.c[i].start >= d3 && o.c[i].start < d3 + DAY && i % 7 == 0) {
			size_t k = cs_push(&t, &t, i);
			snprintf(t.s[k].id, sizeof t.s[k].id, "D%d", ndup++);
		}
	cs_fix(&t);
	T_EQ_I64(ndup, 5);
	T_EQ_I64(run(&o, &t, &op, &r), RECON_OK);
	T_EQ_I64(r.ncause, 1);
	T_EQ_I64(r.causes[0].kind, RECON_CAUSE_DUPLICATES);
	T_EQ_I64(r.causes[0].side, RECON_THEIRS);
	{
		const char *want = "their side has 5 duplicate records: 5 connected calls recorded more than once";
		T_ASSERT(strncmp(r.causes[0].evidence, want, strlen(want)) == 0);
	}
	/* the five extra records are calls we lack on day 3 */
	T_EQ_I64(r.verdict, RECON_VERDICT_MISSING_CALLS);
	T_EQ_I64(r.days[r.worst_day].start, d3);
	T_EQ_I64(r.nmissing_theirs, 0);
	T_ASSERT(r.nmissing_ours >= 1);
	for (size_t k = 0; k < r.nmissing_ours; k++)
		T_ASSERT(r.missing_ours[k] >= (int)n0);
	T_EQ_I64(r.npairs, o.n);
	recon_free(&r);
	cs_free(&o);
	cs_free(&t);
}

/* ---- (f) 60/60 against 6/6 on one prefix ------------------------------ */

TEST(increment_mismatch_on_one_prefix)
{
	cset o, t;
	recon_result r;
	recon_opts op = defaults();
	rates rt = std_rates();
	gen_ours(&o, 81);
	gen_theirs(&t, &o, 82, NULL);
	rt.min[0] = rt.inc[0] = 60; /* 44: 60/60 on their side */
	rate_all(&t, &rt);
	T_EQ_I64(run(&o, &t, &op, &r), RECON_OK);
	T_EQ_I64(r.verdict, RECON_VERDICT_RATING);
	T_EQ_I64(r.ncause, 1);
	T_EQ_I64(r.causes[0].kind, RECON_CAUSE_INCREMENT);
	T_EQ_STR(r.causes[0].prefix, "44");
	T_ASSERT(strstr(r.causes[0].evidence,
	                "on prefix 44 their billed seconds are all multiples of 60, ours multiples of 6")
	         != NULL);
	recon_free(&r);
	cs_free(&o);
	cs_free(&t);
}

/* ---- rounding: they carry every decimal, we round per call to 4 -------- */

TEST(rounding_decimals)
{
	cset o, t;
	recon_result r;
	recon_opts op = defaults();
	rates rt = std_rates();
	gen_ours(&o, 91);
	/* 1/1 at 0.0070/min: most calls cost a fraction of 0.0001 */
	for (int k = 0; k < 3; k++)
		rt.rate[k] = M("0.0070"), rt.min[k] = rt.inc[k] = 1;
	rate_all(&o, &rt);
	gen_theirs(&t, &o, 92, NULL);
	rt.decimals = 9;
	rate_all(&t, &rt);
	T_EQ_I64(run(&o, &t, &op, &r), RECON_OK);
	T_EQ_I64(r.ncause, 1);
	T_EQ_I64(r.causes[0].kind, RECON_CAUSE_ROUNDING);
	T_EQ_I64(r.causes[0].side, RECON_OURS);
	T_ASSERT(strstr(r.causes[0].evidence, "our per-call costs are rounded to 4 decimals, theirs carry 9")
	         != NULL);
	T_EQ_I64(r.verdict, RECON_VERDICT_NONE); /* a few 0.00005 per call: within 0.01 a day */
	recon_free(&r);
	cs_free(&o);
	cs_free(&t);
}

/* ---- (h) shared ids --------------------------------------------------- */

static recon_call mk(const char *id, const char *src, const char *dst, int64_t start,
                     int64_t answer, int64_t billsec_s)
{
	recon_call c;
	memset(&c, 0, sizeof c);
	c.id = id;
	c.src = src;
	c.dst = dst;
	c.prefix = "";
	c.start = start;
	c.answer = answer;
	c.billsec_ms = billsec_s * 1000;
	c.connected = answer != TM_NONE;
	c.billed_secs = -1;
	return c;
}

TEST(pairs_by_shared_id)
{
	int64_t t0 = T0() + 10 * HOUR;
	recon_call o[3] = { mk("A1", "", "44201", t0, t0 + 5, 60), mk("A2", "", "44202", t0 + 100, t0 + 104, 30),
	                    mk("", "", "44203", t0 + 200, t0 + 201, 10) };
	/* their times are 30 s late and the dst of A2 was written differently;
	 * the id-less third call still pairs on numbers and time */
	recon_call t[3] = { mk("A2", "", "0044202", t0 + 130, t0 + 134, 30), mk("A1", "", "44201", t0 + 30, t0 + 35, 60),
	                    mk("X9", "", "44203", t0 + 203, t0 + 204, 10) };
	recon_opts op = defaults();
	recon_pair *p = NULL;
	size_t np = 0;
	op.match_ids = 1;
	T_EQ_I64(recon_match(o, 3, t, 3, &op, 0, &p, &np), RECON_OK);
	T_EQ_I64(np, 3);
	T_EQ_I64(p[0].ours, 0);
	T_EQ_I64(p[0].theirs, 1);
	T_EQ_I64(p[0].dt, 25); /* the closest times: their start, our answer */
	T_EQ_I64(p[1].ours, 1);
	T_EQ_I64(p[1].theirs, 0);
	T_EQ_I64(p[1].dt, 26);
	T_EQ_I64(p[2].ours, 2);
	T_EQ_I64(p[2].theirs, 2);
	T_EQ_I64(p[2].dt, 2); /* their start 203, our answer 201 */
	free(p);
	/* without ids, 30 s is beyond the 5 s tolerance */
	op.match_ids = 0;
	T_EQ_I64(recon_match(o, 3, t, 3, &op, 0, &p, &np), RECON_OK);
	T_EQ_I64(np, 1);
	T_EQ_I64(p[0].ours, 2);
	free(p);
}

/* Start/answer choices differ: their start is our answer (20 s of ring,
 * beyond the tolerance), and src must agree when both sides have it. */
TEST(start_answer_and_src)
{
	int64_t t0 = T0() + 8 * HOUR;
	recon_call o[3] = { mk("", "2125550100", "44201", t0, t0 + 20, 60),
	                    mk("", "2125550100", "44202", t0, t0 + 5, 60),
	                    mk("", "", "44203", t0, TM_NONE, 0) };
	recon_call t[3] = { mk("", "2125550100", "44201", t0 + 21, t0 + 21, 60),  /* start = our answer + 1 */
	                    mk("", "2125550199", "44202", t0, t0 + 5, 60),        /* another caller */
	                    mk("", "2125550100", "44203", t0 - 4, TM_NONE, 0) };  /* src empty on ours */
	recon_pair *p = NULL;
	size_t np = 0;
	T_EQ_I64(recon_match(o, 3, t, 3, NULL, 0, &p, &np), RECON_OK);
	T_EQ_I64(np, 2);
	T_EQ_I64(p[0].ours, 0);
	T_EQ_I64(p[0].theirs, 0);
	T_EQ_I64(p[0].dt, 1); /* answer/answer: 21 - 20 */
	T_EQ_I64(p[1].ours, 2);
	T_EQ_I64(p[1].theirs, 2);
	T_EQ_I64(p[1].dt, -4);
	free(p);
	/* an offset is removed from their times before comparing */
	t[1].src = "2125550100";
	for (int k = 0; k < 3; k++) {
		t[k].start += 3600;
		if (t[k].answer != TM_NONE)
			t[k].answer += 3600;
	}
	T_EQ_I64(recon_match(o, 3, t, 3, NULL, 3600, &p, &np), RECON_OK);
	T_EQ_I64(np, 3);
	T_EQ_I64(p[1].theirs, 1);
	T_EQ_I64(p[1].dt, 0);
	free(p);
}

/* Best pair first: a call of theirs that fits two of ours goes to the
 * closer one, even when the farther one comes first. */
TEST(best_pair_first)
{
	int64_t t0 = T0();
	recon_call o[2] = { mk("", "", "5", t0, TM_NONE, 0), mk("", "", "5", t0 + 4, TM_NONE, 0) };
	recon_call t[2] = { mk("", "", "5", t0 + 5, TM_NONE, 0), mk("", "", "5", t0 - 3, TM_NONE, 0) };
	recon_pair *p = NULL;
	size_t np = 0;
	T_EQ_I64(recon_match(o, 2, t, 2, NULL, 0, &p, &np), RECON_OK);
	T_EQ_I64(np, 2);
	T_EQ_I64(p[0].theirs, 1); /* |dt| 3 */
	T_EQ_I64(p[0].dt, -3);
	T_EQ_I64(p[1].theirs, 0); /* |dt| 1 */
	T_EQ_I64(p[1].dt, 1);
	free(p);
}

/* Ties for the single call: the earliest start of ours wins, whatever the
 * order of the records. */
TEST(single_call_ties)
{
	int64_t d = T0() + DAY;
	recon_call o[4], t[4];
	recon_result r;
	static const char *const dst[4] = { "441", "442", "443", "444" };
	static const int64_t at[4] = { 15 * HOUR, 9 * HOUR, 12 * HOUR, 9 * HOUR + 1 };
	for (int i = 0; i < 4; i++) {
		o[i] = mk("", "", dst[i], d + at[i], d + at[i] + 3, 60);
		o[i].has_cost = 1;
		o[i].cost = M("1.00");
		o[i].billed_secs = 60;
		t[i] = o[i];
	}
	t[0].cost = t[1].cost = t[3].cost = M("1.05"); /* three equal differences */
	T_EQ_I64(recon_run(o, 4, t, 4, NULL, &r), RECON_OK);
	T_EQ_I64(r.verdict, RECON_VERDICT_RATING);
	T_EQ_I64(r.has_single, 1);
	T_EQ_I64(r.single.ours, 1); /* 09:00:00, before 09:00:01 and 15:00 */
	T_EQ_I64(r.single_diff_cost, M("0.05"));
	recon_free(&r);
}

/* Daily buckets over many days, in any order (the day table grows), and
 * one side alone: every call of theirs is one we lack. */
TEST(many_days_one_side)
{
	enum { N = 300 };
	recon_call *t = calloc(N, sizeof *t);
	char (*dst)[16] = calloc(N, sizeof *dst);
	recon_result r;
	for (int i = 0; i < N; i++) {
		int day = (i * 37) % N; /* every day once, shuffled */
		int64_t s = T0() + (int64_t)day * DAY + 10 * HOUR;
		snprintf(dst[i], sizeof dst[i], "49%04d", i);
		t[i] = mk("", "", dst[i], s, s + 2, 30);
	}
	/* call 0 (day 0) moves to 11:00 of day 150: day 0 is empty and day 150
	 * has two calls, the most in absolute terms (all days are 100 % apart) */
	t[0].start = T0() + 150 * DAY + 11 * HOUR;
	t[0].answer = t[0].start + 1;
	T_EQ_I64(recon_run(NULL, 0, t, N, NULL, &r), RECON_OK);
	T_EQ_I64(r.nday, N - 1);
	for (int d = 1; d < r.nday; d++)
		T_ASSERT(r.days[d].start > r.days[d - 1].start);
	T_EQ_I64(r.days[0].start, T0() + DAY);
	T_EQ_I64(r.verdict, RECON_VERDICT_MISSING_CALLS);
	T_EQ_I64(r.days[r.worst_day].start, T0() + 150 * DAY);
	T_EQ_I64(r.days[r.worst_day].connected[1], 2);
	/* hours 10 and 11 differ alike: the earlier */
	T_EQ_I64(r.worst_hour.start, T0() + 150 * DAY + 10 * HOUR);
	T_EQ_I64(r.nmissing_theirs, 0);
	T_EQ_I64(r.nmissing_ours, 1);
	T_EQ_I64((r.missing_ours[0] * 37) % N, 150); /* the call that was on day 150 at 10:00 */
	T_EQ_I64(r.npairs, 0);
	recon_free(&r);
	free(t);
	free(dst);
}

/* ---- (i) the engineer's overrides ------------------------------------- */

TEST(overrides_change_the_path)
{
	cset o, t;
	recon_result r;
	recon_opts op = defaults();
	uint8_t *skip;
	int lost[7];
	gen_ours(&o, 11);
	skip = calloc(o.n, 1);
	T_EQ_I64(pick_missing(&o, skip, lost), 7);
	gen_theirs(&t, &o, 12, skip);

	/* "the connected totals match": on to durations, which do not (7 calls) */
	op.force_connected_match = 1;
	T_EQ_I64(run(&o, &t, &op, &r), RECON_OK);
	T_EQ_I64(r.days[r.worst_day].start, T0() + 2 * DAY);
	T_EQ_I64(r.nstep, 3);
	T_EQ_I64(r.steps[1].answer, 1);
	T_EQ_I64(r.steps[1].overridden, 1);
	T_ASSERT(strstr(r.steps[1].figures, "the engine says no; the engineer says yes") != NULL);
	T_EQ_I64(r.steps[2].answer, 0);
	T_EQ_I64(r.steps[2].overridden, 0);
	T_EQ_I64(r.verdict, RECON_VERDICT_DURATION);
	T_EQ_I64(r.has_worst_hour, 0);
	T_EQ_I64(r.has_single, 1);
	recon_free(&r);

	/* ... and "the durations match": rating */
	op.force_duration_match = 1;
	T_EQ_I64(run(&o, &t, &op, &r), RECON_OK);
	T_EQ_I64(r.verdict, RECON_VERDICT_RATING);
	T_EQ_I64(r.steps[2].answer, 1);
	T_EQ_I64(r.steps[2].overridden, 1);
	recon_free(&r);

	/* another day, where everything agrees: rating on that day */
	op.force_connected_match = op.force_duration_match = -1;
	op.force_day = T0() + 5 * DAY + 12345; /* any time of the day */
	T_EQ_I64(run(&o, &t, &op, &r), RECON_OK);
	T_EQ_I64(r.days[r.worst_day].start, T0() + 5 * DAY);
	T_EQ_I64(r.steps[0].overridden, 1);
	T_EQ_I64(r.steps[1].answer, 1);
	T_EQ_I64(r.steps[2].answer, 1);
	T_EQ_I64(r.verdict, RECON_VERDICT_RATING);
	T_EQ_I64(r.single_diff_cost, 0);
	recon_free(&r);

	/* that day, "connected totals differ": nobody is missing anything */
	op.force_connected_match = 0;
	T_EQ_I64(run(&o, &t, &op, &r), RECON_OK);
	T_EQ_I64(r.verdict, RECON_VERDICT_MISSING_CALLS);
	T_EQ_I64(r.steps[1].overridden, 1);
	T_EQ_I64(r.nmissing_ours + r.nmissing_theirs, 0);
	recon_free(&r);

	/* a day without calls */
	op.force_day = T0() + 30 * DAY;
	T_EQ_I64(run(&o, &t, &op, &r), RECON_OK);
	T_EQ_I64(r.worst_day, -1);
	T_EQ_I64(r.verdict, RECON_VERDICT_NONE);
	recon_free(&r);
	free(skip);
	cs_free(&o);
	cs_free(&t);
}

/* ---- (j) recon_match against a brute-force greedy --------------------- */

static int64_t ref_dt(const recon_call *a, const recon_call *b, int64_t off)
{
	int ha = a->answer != TM_NONE, hb = b->answer != TM_NONE;
	int64_t d[4] = { b->start - off - a->start, hb && ha ? b->answer - off - a->answer : 0,
	                 hb ? b->answer - off - a->start : 0, ha ? b->start - off - a->answer : 0 };
	int ok[4] = { 1, ha && hb, hb, ha };
	int64_t best = 0, ab = INT64_MAX;
	for (int k = 0; k < 4; k++)
		if (ok[k] && llabs(d[k]) < ab)
			ab = llabs(d[k]), best = d[k];
	return best;
}

static int ref_numbers(const recon_call *a, const recon_call *b)
{
	return strcmp(a->dst, b->dst) == 0 && (!*a->src || !*b->src || strcmp(a->src, b->src) == 0);
}

typedef struct {
	int64_t adt;
	int i, j;
} refcand;

static int refcand_cmp(const void *x, const void *y)
{
	const refcand *a = x, *b = y;
	if (a->adt != b->adt)
		return a->adt < b->adt ? -1 : 1;
	if (a->i != b->i)
		return a->i - b->i;
	return a->j - b->j;
}

/* The rule as written: ids first (ours in order, nearest unused theirs),
 * then every remaining candidate sorted by (|dt|, ours, theirs), greedy.
 * O(n*m): for small inputs only. mo[i] = their index or -1. */
static size_t ref_match(const recon_call *o, int n, const recon_call *t, int m, int ids,
                        int64_t tol, int64_t off, int *mo)
{
	int *used = calloc((size_t)m + 1, sizeof *used);
	refcand *cand = malloc(((size_t)n * (size_t)m + 1) * sizeof *cand);
	size_t np = 0, nc = 0;
	if (!used || !cand)
		abort();
	for (int i = 0; i < n; i++)
		mo[i] = -1;
	if (ids)
		for (int i = 0; i < n; i++) {
			int best = -1;
			int64_t bd = 0;
			if (!*o[i].id)
				continue;
			for (int j = 0; j < m; j++)
				if (!used[j] && strcmp(o[i].id, t[j].id) == 0 &&
				    (best < 0 || llabs(ref_dt(&o[i], &t[j], off)) < bd))
					best = j, bd = llabs(ref_dt(&o[i], &t[j], off));
			if (best >= 0)
				mo[i] = best, used[best] = 1, np++;
		}
	for (int i = 0; i < n; i++)
		for (int j = 0; j < m; j++)
			if (mo[i] < 0 && !used[j] && ref_numbers(&o[i], &t[j]) &&
			    llabs(ref_dt(&o[i], &t[j], off)) <= tol) {
				cand[nc].adt = llabs(ref_dt(&o[i], &t[j], off));
				cand[nc].i = i;
				cand[nc].j = j;
				nc++;
			}
	qsort(cand, nc, sizeof *cand, refcand_cmp);
	for (size_t k = 0; k < nc; k++)
		if (mo[cand[k].i] < 0 && !used[cand[k].j])
			mo[cand[k].i] = cand[k].j, used[cand[k].j] = 1, np++;
	free(used);
	free(cand);
	return np;
}

TEST(match_property_vs_brute_force)
{
	static const char *const dsts[] = { "100", "200", "300" };
	static const char *const srcs[] = { "", "7", "8" };
	static const char *const ids[] = { "", "a", "b", "c", "d" };
	gen_rng g;
	gen_rng_seed(&g, 4242);
	for (int iter = 0; iter < 4000; iter++) {
		recon_call o[12], t[12];
		int n = (int)gen_rng_below(&g, 13), m = (int)gen_rng_below(&g, 13), mo[12];
		int seen[12] = { 0 };
		recon_opts op = defaults();
		int64_t off = gen_rng_below(&g, 3) == 0 ? (int64_t)gen_rng_below(&g, 21) - 10 : 0;
		int64_t base = T0() + (int64_t)gen_rng_below(&g, 3) * DAY - 20;
		recon_pair *p = NULL;
		size_t np = 0, want;
		op.match_tol_s = (int64_t)gen_rng_below(&g, 7);
		op.match_ids = gen_rng_below(&g, 4) == 0;
		for (int side = 0; side < 2; side++) {
			recon_call *c = side ? t : o;
			for (int i = 0; i < (side ? m : n); i++) {
				int64_t s = base + (int64_t)gen_rng_below(&g, 40) + (side ? off : 0);
				int64_t a = gen_rng_below(&g, 3) == 0 ? TM_NONE : s + (int64_t)gen_rng_below(&g, 12);
				c[i] = mk(ids[gen_rng_below(&g, 5)], srcs[gen_rng_below(&g, 3)],
				          dsts[gen_rng_below(&g, 3)], s, a, 10);
			}
		}
		T_EQ_I64(recon_match(o, (size_t)n, t, (size_t)m, &op, off, &p, &np), RECON_OK);
		want = ref_match(o, n, t, m, op.match_ids, op.match_tol_s, off, mo);
		if (np != want)
			T_FAIL("iteration %d: %zu pairs, the reference has %zu", iter, np, want);
		for (size_t k = 0; k < np; k++) {
			int a = p[k].ours, b = p[k].theirs;
			T_ASSERT(a >= 0 && a < n && b >= 0 && b < m);
			T_ASSERT(!seen[b]); /* one-to-one (ours are ascending, so distinct) */
			seen[b] = 1;
			T_ASSERT(k == 0 || p[k - 1].ours < a);
			if (mo[a] != b)
				T_FAIL("iteration %d: ours %d paired with %d, the reference says %d", iter, a, b, mo[a]);
			T_EQ_I64(p[k].dt, ref_dt(&o[a], &t[b], off));
			if (!(op.match_ids && *o[a].id && strcmp(o[a].id, t[b].id) == 0))
				T_ASSERT(llabs(p[k].dt) <= op.match_tol_s && ref_numbers(&o[a], &t[b]));
		}
		free(p);
	}
}

/* Many calls to one destination within seconds of each other (dozens of
 * candidates per call): the same pairs as the reference. */
TEST(match_crowded_destination)
{
	enum { N = 1500 };
	recon_call *o = calloc(N, sizeof *o), *t = calloc(N, sizeof *t);
	int *mo = calloc(N, sizeof *mo);
	recon_pair *p = NULL;
	size_t np = 0, want;
	gen_rng g;
	gen_rng_seed(&g, 7);
	for (int i = 0; i < N; i++) {
		int64_t s = T0() + (int64_t)gen_rng_below(&g, 300);
		o[i] = mk("", "", "911", s, s + (int64_t)gen_rng_below(&g, 4), 30);
		s = T0() + (int64_t)gen_rng_below(&g, 300);
		t[i] = mk("", "", "911", s, gen_rng_below(&g, 2) ? TM_NONE : s + 2, 30);
	}
	T_EQ_I64(recon_match(o, N, t, N, NULL, 0, &p, &np), RECON_OK);
	want = ref_match(o, N, t, N, 0, 5, 0, mo);
	T_EQ_I64(np, want);
	T_ASSERT(np > N / 2);
	for (size_t k = 0; k < np; k++) {
		T_EQ_I64(p[k].theirs, mo[p[k].ours]);
		T_ASSERT(llabs(p[k].dt) <= 5);
	}
	free(p);
	free(o);
	free(t);
	free(mo);
}

/* ---- (k) the compact form (recon_side) ------------------------------ */

/* Calls whose values do not fit the 32-bit fields or do not pack: every one
 * must come back exactly. */
static void odd_calls(recon_call *c, int *n)
{
	int64_t t0 = T0() + 5 * HOUR;
	int k = 0;
	c[k++] = mk("n1", "2125550100", "44201", t0, t0 + 5, 60);
	c[k++] = mk("far", "2125550100", "44201", t0 + 276LL * 365 * DAY, TM_NONE, 0); /* start beyond 32 bits */
	c[k++] = mk("ring", "", "44202", t0, t0 + 100LL * 365 * DAY, 1);                /* answer beyond */
	c[k++] = mk("long", "7", "44203", t0 + 10, t0 + 12, 30LL * DAY);                 /* billsec in ms beyond */
	c[k++] = mk("junk", "", "5", INT64_MIN + 5, INT64_MAX, 0);
	c[k++] = mk("", "123456789012345", "1234567890123456", t0 - 3, t0 - 3, 9);    /* 15 digits pack, 16 do not */
	c[k++] = mk("x", NULL, "12ab", t0 - 7, TM_NONE, 0);                             /* not digits */
	c[k++] = mk("z", "0", "0", t0, t0, 0);
	for (int i = 0; i < k; i++) {
		c[i].prefix = i % 3 == 0 ? "44" : i % 3 == 1 ? "" : "1206";
		c[i].ref = 1000 + i;
		c[i].billed_secs = i * 6 - 1;
		c[i].cost = (money_t)i * 1234567 - 5;
		c[i].has_cost = i % 2;
	}
	c[3].billed_secs = 5000000000LL;          /* billed beyond 32 bits */
	c[4].ref = INT64_MAX;                     /* ref beyond */
	c[4].prefix = NULL;
	*n = k;
}

static int same_call(const recon_call *a, const recon_call *b)
{
	return strcmp(a->id, b->id ? b->id : "") == 0 && strcmp(a->src, b->src ? b->src : "") == 0 &&
	       strcmp(a->dst, b->dst) == 0 && a->start == b->start && a->answer == b->answer &&
	       a->billsec_ms == b->billsec_ms && a->connected == (b->connected != 0) &&
	       a->has_cost == (b->has_cost != 0) && a->cost == b->cost && a->billed_secs == b->billed_secs &&
	       strcmp(a->prefix, b->prefix ? b->prefix : "") == 0 && a->ref == b->ref;
}

TEST(side_round_trip)
{
	recon_call c[16], g;
	recon_callbuf buf;
	recon_side s;
	int n;
	odd_calls(c, &n);
	recon_side_init(&s, 1);
	for (int i = 0; i < n; i++)
		T_EQ_I64(recon_side_push(&s, &c[i]), RECON_OK);
	T_EQ_I64(s.n, n);
	for (int i = 0; i < n; i++) {
		recon_side_get(&s, (size_t)i, &g, &buf);
		if (!same_call(&g, &c[i]))
			T_FAIL("call %d (%s) comes back otherwise", i, c[i].id);
		T_EQ_I64(recon_side_start(&s, (size_t)i), c[i].start);
		T_EQ_I64(recon_side_ref(&s, (size_t)i), c[i].ref);
	}
	T_ASSERT(s.nwide >= 6); /* far, ring, long (billsec and billed), junk (start, answer, ref) */
	/* a side without ids: "" unless its loader can fetch them */
	recon_side_free(&s);
	recon_side_init(&s, 0);
	T_EQ_I64(recon_side_push(&s, &c[0]), RECON_OK);
	recon_side_get(&s, 0, &g, &buf);
	T_EQ_STR(g.id, "");
	T_EQ_STR(g.dst, "44201");
	recon_side_free(&s);
}

/* Two halves appended give the side that held them all (the loader joins
 * the halves of our period so). */
TEST(side_append)
{
	recon_call c[16], g, h;
	recon_callbuf b1, b2;
	recon_side all, a, b;
	int n;
	odd_calls(c, &n);
	for (int split = 0; split <= n; split++) {
		recon_side_init(&all, 1);
		recon_side_init(&a, 1);
		recon_side_init(&b, 1);
		for (int i = 0; i < n; i++) {
			T_EQ_I64(recon_side_push(&all, &c[i]), RECON_OK);
			T_EQ_I64(recon_side_push(i < split ? &a : &b, &c[i]), RECON_OK);
		}
		T_EQ_I64(recon_side_append(&a, &b), RECON_OK);
		T_EQ_I64(a.n, n);
		T_EQ_I64(b.n, 0);
		for (int i = 0; i < n; i++) {
			recon_side_get(&a, (size_t)i, &g, &b1);
			recon_side_get(&all, (size_t)i, &h, &b2);
			if (!same_call(&g, &h))
				T_FAIL("split %d: call %d (%s) comes back otherwise", split, i, c[i].id);
		}
		recon_side_free(&all);
		recon_side_free(&a);
		recon_side_free(&b);
	}
}

/* Times decades away on both sides (the index keeps times in 32 bits from
 * a base, clamped): the same pairs as the brute force. */
TEST(match_far_times)
{
	static const char *const dsts[] = { "100", "200" };
	gen_rng g;
	gen_rng_seed(&g, 99);
	for (int iter = 0; iter < 500; iter++) {
		recon_call o[10], t[10];
		int n = 1 + (int)gen_rng_below(&g, 10), m = 1 + (int)gen_rng_below(&g, 10), mo[10];
		recon_pair *p = NULL;
		size_t np = 0, want;
		for (int side = 0; side < 2; side++) {
			recon_call *c = side ? t : o;
			for (int i = 0; i < (side ? m : n); i++) {
				int64_t base = gen_rng_below(&g, 2) ? T0() : T0() + 300LL * 365 * DAY * (gen_rng_below(&g, 2) ? 1 : -1);
				int64_t s = base + (int64_t)gen_rng_below(&g, 20);
				int64_t a = gen_rng_below(&g, 3) == 0 ? TM_NONE : s + (int64_t)gen_rng_below(&g, 8);
				c[i] = mk("", "", dsts[gen_rng_below(&g, 2)], s, a, 10);
			}
		}
		T_EQ_I64(recon_match(o, (size_t)n, t, (size_t)m, NULL, 0, &p, &np), RECON_OK);
		want = ref_match(o, n, t, m, 0, 5, 0, mo);
		if (np != want)
			T_FAIL("iteration %d: %zu pairs, the reference has %zu", iter, np, want);
		for (size_t k = 0; k < np; k++)
			if (mo[p[k].ours] != p[k].theirs)
				T_FAIL("iteration %d: ours %d paired with %d, the reference says %d", iter, p[k].ours,
				       p[k].theirs, mo[p[k].ours]);
		free(p);
	}
}

/* Enough calls of ours for two threads to list the candidates, a half
 * each (split at N/2), with a crowd of calls to one number competing for
 * the same calls of theirs, and across the split the last call of the first
 * half and the first of the second each with one candidate, the same call
 * of theirs, closer to the second: the pairs are those of the crowd alone
 * (checked against the brute force), that call with the second, and every
 * other call with its copy. */
TEST(match_two_halves)
{
	enum { N = 70000, CROWD = 40, C0 = N / 4 - CROWD / 2, A = N / 2 - 1, B = N / 2 };
	recon_call *o = calloc(N, sizeof *o), *t = calloc(N, sizeof *t);
	char (*dst)[16] = calloc(N, sizeof *dst);
	recon_call co[CROWD], ct[CROWD];
	int cmo[CROWD], in_crowd = 0;
	recon_pair *p = NULL;
	size_t np = 0, want;
	gen_rng g;
	T_ASSERT(o && t && dst);
	gen_rng_seed(&g, 5);
	for (int i = 0; i < N; i++) {
		int crowd = i >= C0 && i < C0 + CROWD;
		int64_t s = T0() + i / 4, jt = (int64_t)gen_rng_below(&g, 5) - 2;
		snprintf(dst[i], sizeof dst[i], crowd ? "4477" : "49%08d", i);
		o[i] = mk("", "", dst[i], s, s + 3, 30);
		t[i] = mk("", "", dst[i], s + jt, s + 3 + jt, 30);
		if (crowd) {
			co[in_crowd] = o[i];
			ct[in_crowd++] = t[i];
		}
	}
	/* across the split: ours A at s, B at s + 4, theirs A at s + 3 (dt 3 and
	 * 1, no answers); theirs B elsewhere */
	o[A] = mk("", "", "4488", T0() + 40000, TM_NONE, 0);
	o[B] = mk("", "", "4488", T0() + 40004, TM_NONE, 0);
	t[A] = mk("", "", "4488", T0() + 40003, TM_NONE, 0);
	t[B] = mk("", "", "4499", T0() + 40003, TM_NONE, 0);
	T_EQ_I64(recon_match(o, N, t, N, NULL, 0, &p, &np), RECON_OK);
	want = ref_match(co, CROWD, ct, CROWD, 0, 5, 0, cmo);
	T_EQ_I64(np, N - CROWD - 2 + want + 1);
	for (size_t k = 0; k < np; k++) {
		int a = p[k].ours, b = p[k].theirs;
		if (a >= C0 && a < C0 + CROWD) {
			if (cmo[a - C0] != b - C0)
				T_FAIL("crowd: ours %d paired with %d, the reference says %d", a, b, cmo[a - C0] + C0);
		} else if (a == A) {
			T_FAIL("ours %d (first half) took their %d, which ours %d is closer to", A, b, B);
		} else if (a == B) {
			T_EQ_I64(b, A);
		} else if (a != b) {
			T_FAIL("ours %d paired with %d, not its copy", a, b);
		}
	}
	free(p);
	free(o);
	free(t);
	free(dst);
}

/* Numbers as written, pushed raw, are the numbers number_for_matching
 * gives (as written when it refuses them), pushed normalised. */
TEST(side_push_raw)
{
	static const char al[] = "0123456789+ -()1100";
	static const char *const fixed[] = { "+1 (206) 555-0100", "12065550100", "011 44 20 7946 0958",
	                                     "0044 20 7946 0958", "0111", "00", "011", "", "anonymous",
	                                     "1234567890123456", "0011234567890123456", "911" };
	recon_side a, b;
	gen_rng g;
	char in[200], norm[128];
	gen_rng_seed(&g, 12);
	recon_side_init(&a, 0);
	recon_side_init(&b, 0);
	for (int it = 0; it < 4000; it++) {
		recon_call c = mk("", NULL, NULL, T0(), TM_NONE, 0), d;
		recon_callbuf b1, b2;
		recon_call x, y;
		if (it < (int)(sizeof fixed / sizeof *fixed)) {
			snprintf(in, sizeof in, "%s", fixed[it]);
		} else {
			int n = (int)gen_rng_below(&g, it % 50 == 0 ? 180 : 24);
			for (int k = 0; k < n; k++)
				in[k] = al[gen_rng_below(&g, sizeof al - 1)];
			in[n] = 0;
		}
		c.dst = in;
		c.src = it % 3 ? in : NULL;
		d = c;
		d.dst = number_for_matching(in, norm, sizeof norm) < 0 ? in : norm;
		d.src = c.src ? d.dst : NULL;
		T_EQ_I64(recon_side_push_raw(&a, &c), RECON_OK);
		T_EQ_I64(recon_side_push(&b, &d), RECON_OK);
		recon_side_get(&a, a.n - 1, &x, &b1);
		recon_side_get(&b, b.n - 1, &y, &b2);
		if (strcmp(x.dst, y.dst) || strcmp(x.src, y.src) || a.rec[a.n - 1].dst != b.rec[b.n - 1].dst)
			T_FAIL("\"%s\": raw gives \"%s\", normalised \"%s\"", in, x.dst, y.dst);
	}
	recon_side_free(&a);
	recon_side_free(&b);
}

/* recon_run_sides on sides built call by call (as the loaders do) and
 * recon_run on the arrays find the same. */
TEST(sides_same_as_arrays)
{
	cset o, t;
	recon_result r1, r2;
	recon_side so, s1, s2, st;
	recon_opts op = defaults();
	uint8_t *skip;
	int lost[7];
	gen_ours(&o, 31);
	skip = calloc(o.n, 1);
	T_EQ_I64(pick_missing(&o, skip, lost), 7);
	gen_theirs(&t, &o, 32, skip);
	recon_side_init(&s1, 1);
	recon_side_init(&s2, 1);
	recon_side_init(&st, 1);
	for (size_t i = 0; i < o.n; i++) /* ours in two halves, joined */
		T_EQ_I64(recon_side_push(i < o.n / 2 ? &s1 : &s2, &o.c[i]), RECON_OK);
	T_EQ_I64(recon_side_append(&s1, &s2), RECON_OK);
	so = s1;
	for (size_t i = 0; i < t.n; i++)
		T_EQ_I64(recon_side_push(&st, &t.c[i]), RECON_OK);
	T_EQ_I64(run(&o, &t, &op, &r1), RECON_OK);
	T_EQ_I64(recon_run_sides(&so, &st, &op, &r2), RECON_OK);
	T_EQ_I64(r2.verdict, r1.verdict);
	T_EQ_I64(r2.worst_day, r1.worst_day);
	T_EQ_I64(r2.npairs, r1.npairs);
	T_ASSERT(memcmp(r2.pairs, r1.pairs, r1.npairs * sizeof *r1.pairs) == 0);
	T_EQ_I64(r2.nmissing_ours, r1.nmissing_ours);
	T_EQ_I64(r2.nmissing_theirs, r1.nmissing_theirs);
	T_ASSERT(memcmp(r2.missing_theirs, r1.missing_theirs, r1.nmissing_theirs * sizeof(int)) == 0);
	T_EQ_I64(r2.ncause, r1.ncause);
	T_ASSERT(memcmp(r2.days, r1.days, (size_t)r1.nday * sizeof *r1.days) == 0);
	recon_free(&r1);
	recon_free(&r2);
	recon_side_free(&so);
	recon_side_free(&st);
	free(skip);
	cs_free(&o);
	cs_free(&t);
}

SUITE(recon)
{
	RUN(tolerances);
	RUN(names_and_defaults);
	RUN(empty);
	RUN(identical_sides);
	RUN(missing_calls_in_one_hour);
	RUN(missing_on_our_side);
	RUN(longer_durations_on_one_day);
	RUN(rate_difference_on_one_prefix);
	RUN(clock_offset_three_hours);
	RUN(clock_offset_behind_half_hour_zone);
	RUN(duplicates_on_their_side);
	RUN(increment_mismatch_on_one_prefix);
	RUN(rounding_decimals);
	RUN(pairs_by_shared_id);
	RUN(start_answer_and_src);
	RUN(best_pair_first);
	RUN(single_call_ties);
	RUN(many_days_one_side);
	RUN(overrides_change_the_path);
	RUN(match_property_vs_brute_force);
	RUN(match_crowded_destination);
	RUN(side_round_trip);
	RUN(side_append);
	RUN(side_push_raw);
	RUN(match_far_times);
	RUN(match_two_halves);
	RUN(sides_same_as_arrays);
}
