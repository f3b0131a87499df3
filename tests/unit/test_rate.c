/* test_rate.c: increments, per-call rounding, the DESIGN.md worked example,
 * longest-prefix match with effective dates, and a randomised comparison of
 * the trie against a linear scan of the rule as written. */
#include <stdlib.h>

#include "t.h"
#include "../../core/money.h"
#include "../../core/rate.h"

static money_t M(const char *s)
{
	money_t v = 0;
	if (money_parse(s, strlen(s), &v) != MONEY_OK)
		abort(); /* a typo in a test literal */
	return v;
}

static rate_row mkrow(const char *prefix, const char *rate, int min, int inc, int grace,
                      const char *fee, int64_t from, int64_t to)
{
	rate_row r;
	memset(&r, 0, sizeof r);
	snprintf(r.prefix, sizeof r.prefix, "%s", prefix);
	r.rate_per_min = M(rate);
	r.min_secs = min;
	r.inc_secs = inc;
	r.grace_secs = grace;
	r.connect_fee = M(fee);
	r.eff_from = from;
	r.eff_to = to;
	return r;
}

/* Cost of one call in nano-units, or a sentinel on error. */
static money_t cost(const rate_row *r, int64_t ms, int dec, round_mode m)
{
	rate_result res;
	if (rate_call(r, ms, dec, m, &res) != RATE_OK)
		return -424242;
	return res.cost;
}

TEST(increments)
{
	static const struct { int min, inc; int64_t billsec, billed; } c[] = {
		{ 1, 1, 0, 0 }, { 1, 1, 1, 1 }, { 1, 1, 2, 2 }, { 1, 1, 59, 59 }, { 1, 1, 61, 61 },
		{ 6, 6, 1, 6 }, { 6, 6, 6, 6 }, { 6, 6, 7, 12 }, { 6, 6, 12, 12 }, { 6, 6, 13, 18 },
		{ 6, 6, 37, 42 },   /* Flowroute sample: duration 37, billed 42 */
		{ 6, 6, 106, 108 }, /* Flowroute sample: duration 106, billed 108 */
		{ 30, 6, 1, 30 }, { 30, 6, 29, 30 }, { 30, 6, 30, 30 }, { 30, 6, 31, 36 },
		{ 30, 6, 36, 36 }, { 30, 6, 37, 42 }, { 30, 6, 42, 42 }, { 30, 6, 43, 48 },
		{ 60, 60, 1, 60 }, { 60, 60, 60, 60 }, { 60, 60, 61, 120 }, { 60, 60, 120, 120 },
		{ 60, 60, 121, 180 }, { 60, 1, 61, 61 }, { 1, 60, 2, 61 },
	};
	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
		int64_t got = rate_billed_seconds(c[i].billsec, c[i].min, c[i].inc, 0);
		if (got != c[i].billed)
			T_FAIL("%d/%d billsec %lld: billed %lld, expected %lld", c[i].min, c[i].inc,
			       (long long)c[i].billsec, (long long)got, (long long)c[i].billed);
	}
	/* grace: at or under it nothing is billed; over it the whole call is */
	T_EQ_I64(rate_billed_seconds(5, 6, 6, 5), 0);
	T_EQ_I64(rate_billed_seconds(6, 6, 6, 5), 6);
	T_EQ_I64(rate_billed_seconds(6, 1, 1, 5), 6);
	T_EQ_I64(rate_billed_seconds(3, 60, 60, 3), 0);
	T_EQ_I64(rate_billed_seconds(4, 60, 60, 3), 60);
	T_EQ_I64(rate_billed_seconds(-5, 1, 1, 0), 0);
	/* bad arguments are clamped, never a division by zero */
	T_EQ_I64(rate_billed_seconds(7, 0, 0, -1), 7);
	T_EQ_I64(rate_billed_seconds(INT64_MAX, 1, 60, 0), INT64_MAX);
	T_EQ_I64(rate_billed_seconds(INT64_MAX - 1, 2, 2, 0), INT64_MAX - 1);
	T_EQ_I64(rate_billed_seconds(INT64_MAX - 1, 1, 4, 0), INT64_MAX); /* 1 + 2^63 */
}

TEST(billsec_full_up)
{
	rate_row r = mkrow("1", "0.06", 1, 1, 0, "0", 0, RATE_FOREVER);
	rate_result res;
	static const struct { int64_t ms, billsec; } c[] = {
		{ 0, 0 }, { -1000, 0 }, { 1, 1 }, { 999, 1 }, { 1000, 1 }, { 1001, 2 },
		{ 9100, 10 }, { 9000, 9 }, { 59999, 60 }, { 86400000, 86400 },
	};
	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
		int st = rate_call(&r, c[i].ms, 4, ROUND_HALF_UP, &res);
		T_ASSERT(st == RATE_OK);
		T_EQ_I64(res.billsec, c[i].billsec);
		T_EQ_I64(res.billed_secs, c[i].billsec);
		/* 0.06/min is 0.001/s: the cost is exactly billed/1000 */
		T_EQ_I64(res.cost, c[i].billsec * 1000000);
	}
}

/* DESIGN.md, "Rating": the example that must hold. */
TEST(worked_example)
{
	rate_row r = mkrow("1", "0.005", 1, 1, 0, "0", 0, RATE_FOREVER);
	rate_result res;
	money_t total = 0, per_total;
	int64_t q, total_ms = 0;
	char buf[64];

	for (int i = 0; i < 100; i++) {
		T_EQ_I64(rate_call(&r, 9100, 4, ROUND_HALF_UP, &res), RATE_OK);
		T_EQ_I64(res.billsec, 10);
		T_EQ_I64(res.billed_secs, 10);
		T_EQ_I64(res.cost, M("0.0008"));
		total += res.cost;
		total_ms += 9100;
	}
	T_EQ_I64(total, M("0.0800"));
	T_EQ_I64(total, 80000000);
	T_EQ_I64(money_format(total, 4, buf, sizeof buf), 6);
	T_EQ_STR(buf, "0.0800");

	/* the exact cost before rounding: 50000000/60 nano = 0.000833... */
	T_ASSERT(res.exact_num == 50000000);
	T_ASSERT(money_format_fraction(res.exact_num, 60, 12, buf, sizeof buf) > 0);
	T_EQ_STR(buf, "0.000833333333...");

	/* "total minutes x rate": 910 s = 15.1667 min x 0.005 = 0.0758 */
	T_EQ_I64(total_ms, 910000);
	T_EQ_I64(money_div_round((__int128)(total_ms / 1000) * r.rate_per_min, 60 * 100000,
	                         ROUND_HALF_UP, &q), 0);
	per_total = q * 100000;
	T_EQ_I64(per_total, M("0.0758"));
	T_ASSERT(per_total != total);
	T_EQ_I64(total - per_total, M("0.0042"));

	/* the per-call figure on the exact 9.1 s, 0.00075833..., rounds to the
	 * same 0.0008 */
	T_EQ_I64(money_div_round((__int128)9100 * r.rate_per_min, 60 * 1000, ROUND_DOWN, &q), 0);
	T_EQ_I64(q, 758333);
	T_EQ_I64(money_div_round((__int128)9100 * r.rate_per_min, (__int128)60 * 1000 * 100000,
	                         ROUND_HALF_UP, &q), 0);
	T_EQ_I64(q * 100000, M("0.0008"));
}

TEST(flowroute_sample)
{
	/* Flowroute's own figures (realdata/flowroute-cdr-export-sdk-sample.csv) */
	rate_row a = mkrow("1206", "0.001500", 6, 6, 0, "0", 0, RATE_FOREVER);
	rate_row b = mkrow("1206", "0.009800", 6, 6, 0, "0", 0, RATE_FOREVER);
	char buf[32];
	rate_result res;

	T_EQ_I64(rate_call(&a, 29000, 8, ROUND_HALF_UP, &res), RATE_OK);
	T_EQ_I64(res.billed_secs, 30);
	T_EQ_I64(res.cost, M("0.00075000"));
	money_format(res.cost, 8, buf, sizeof buf);
	T_EQ_STR(buf, "0.00075000");

	T_EQ_I64(rate_call(&b, 106000, 8, ROUND_HALF_UP, &res), RATE_OK);
	T_EQ_I64(res.billed_secs, 108);
	T_EQ_I64(res.cost, M("0.01764000"));
	money_format(res.cost, 8, buf, sizeof buf);
	T_EQ_STR(buf, "0.01764000");
}

TEST(rounding_modes)
{
	/* 0.0009/min x 10 s = 0.00015 exactly: a tie at 4 decimals, 1 odd */
	rate_row t1 = mkrow("1", "0.0009", 1, 1, 0, "0", 0, RATE_FOREVER);
	/* 0.0015/min x 10 s = 0.00025 exactly: a tie, 2 even */
	rate_row t2 = mkrow("1", "0.0015", 1, 1, 0, "0", 0, RATE_FOREVER);
	/* 0.005/min x 10 s = 0.000833...: not a tie */
	rate_row nt = mkrow("1", "0.005", 1, 1, 0, "0", 0, RATE_FOREVER);
	/* a negative rate (a credit row built by hand; decks refuse them) */
	rate_row ng = mkrow("1", "-0.0015", 1, 1, 0, "0", 0, RATE_FOREVER);
	rate_row ng2 = mkrow("1", "-0.005", 1, 1, 0, "0", 0, RATE_FOREVER);

	T_EQ_I64(cost(&t1, 10000, 4, ROUND_UP), M("0.0002"));
	T_EQ_I64(cost(&t1, 10000, 4, ROUND_HALF_UP), M("0.0002"));
	T_EQ_I64(cost(&t1, 10000, 4, ROUND_HALF_EVEN), M("0.0002"));
	T_EQ_I64(cost(&t1, 10000, 4, ROUND_DOWN), M("0.0001"));

	T_EQ_I64(cost(&t2, 10000, 4, ROUND_UP), M("0.0003"));
	T_EQ_I64(cost(&t2, 10000, 4, ROUND_HALF_UP), M("0.0003"));
	T_EQ_I64(cost(&t2, 10000, 4, ROUND_HALF_EVEN), M("0.0002"));
	T_EQ_I64(cost(&t2, 10000, 4, ROUND_DOWN), M("0.0002"));

	T_EQ_I64(cost(&nt, 10000, 4, ROUND_UP), M("0.0009"));
	T_EQ_I64(cost(&nt, 10000, 4, ROUND_HALF_UP), M("0.0008"));
	T_EQ_I64(cost(&nt, 10000, 4, ROUND_HALF_EVEN), M("0.0008"));
	T_EQ_I64(cost(&nt, 10000, 4, ROUND_DOWN), M("0.0008"));

	T_EQ_I64(cost(&ng, 10000, 4, ROUND_UP), M("-0.0003"));
	T_EQ_I64(cost(&ng, 10000, 4, ROUND_HALF_UP), M("-0.0003"));
	T_EQ_I64(cost(&ng, 10000, 4, ROUND_HALF_EVEN), M("-0.0002"));
	T_EQ_I64(cost(&ng, 10000, 4, ROUND_DOWN), M("-0.0002"));
	T_EQ_I64(cost(&ng2, 10000, 4, ROUND_UP), M("-0.0009"));
	T_EQ_I64(cost(&ng2, 10000, 4, ROUND_HALF_UP), M("-0.0008"));
	T_EQ_I64(cost(&ng2, 10000, 4, ROUND_DOWN), M("-0.0008"));

	/* just either side of a tie */
	rate_row lo = mkrow("1", "0.000899994", 1, 1, 0, "0", 0, RATE_FOREVER); /* 0.0001499990 */
	rate_row hi = mkrow("1", "0.000900006", 1, 1, 0, "0", 0, RATE_FOREVER); /* 0.0001500010 */
	T_EQ_I64(cost(&lo, 10000, 4, ROUND_HALF_UP), M("0.0001"));
	T_EQ_I64(cost(&hi, 10000, 4, ROUND_HALF_EVEN), M("0.0002"));
	T_EQ_I64(cost(&lo, 10000, 4, ROUND_UP), M("0.0002"));
	T_EQ_I64(cost(&hi, 10000, 4, ROUND_DOWN), M("0.0001"));

	/* decimals: 0 and 9 */
	T_EQ_I64(cost(&nt, 10000, 0, ROUND_UP), M("1"));
	T_EQ_I64(cost(&nt, 10000, 0, ROUND_HALF_UP), 0);
	T_EQ_I64(cost(&nt, 10000, 9, ROUND_HALF_UP), 833333);
	T_EQ_I64(cost(&nt, 10000, 9, ROUND_UP), 833334);
	T_EQ_I64(cost(&nt, 10000, 2, ROUND_UP), M("0.01"));
}

TEST(grace_and_connect_fee)
{
	rate_row r = mkrow("1", "0.01", 6, 6, 3, "0.02", 0, RATE_FOREVER);
	rate_result res;

	/* within grace: nothing, and no connect fee either */
	T_EQ_I64(rate_call(&r, 3000, 4, ROUND_HALF_UP, &res), RATE_OK);
	T_EQ_I64(res.billsec, 3);
	T_EQ_I64(res.billed_secs, 0);
	T_ASSERT(res.exact_num == 0);
	T_EQ_I64(res.cost, 0);
	T_EQ_I64(cost(&r, 0, 4, ROUND_UP), 0);
	/* 3.001 s rounds up to 4 s, past the grace: 6 s billed + fee */
	T_EQ_I64(rate_call(&r, 3001, 4, ROUND_HALF_UP, &res), RATE_OK);
	T_EQ_I64(res.billsec, 4);
	T_EQ_I64(res.billed_secs, 6);
	T_ASSERT(res.exact_num == (__int128)M("0.01") * 6 + (__int128)M("0.02") * 60);
	T_EQ_I64(res.cost, M("0.021"));
	/* 30 s at 0.01/min = 0.005, plus 0.02 */
	T_EQ_I64(cost(&r, 30000, 4, ROUND_HALF_UP), M("0.025"));
	/* the fee is rounded with the time, once */
	rate_row f = mkrow("1", "0.0003", 1, 1, 0, "0.00005", 0, RATE_FOREVER);
	/* 10 s at 0.0003 = 0.00005; + 0.00005 = 0.0001 exactly */
	T_EQ_I64(cost(&f, 10000, 4, ROUND_DOWN), M("0.0001"));
	/* fee alone on a free rate: 0.00005 is a tie at 4 decimals */
	rate_row g = mkrow("1", "0", 1, 1, 0, "0.00005", 0, RATE_FOREVER);
	T_EQ_I64(cost(&g, 1000, 4, ROUND_HALF_UP), M("0.0001"));
	T_EQ_I64(cost(&g, 1000, 4, ROUND_HALF_EVEN), 0);
	T_EQ_I64(cost(&g, 0, 4, ROUND_HALF_UP), 0);
}

TEST(rate_call_errors)
{
	rate_row r = mkrow("1", "0.01", 1, 1, 0, "0", 0, RATE_FOREVER);
	rate_result res;

	T_EQ_I64(rate_call(NULL, 1000, 4, ROUND_UP, &res), RATE_ENOMATCH);
	T_EQ_I64(rate_call(&r, 1000, 10, ROUND_UP, &res), RATE_EOVERFLOW);
	T_EQ_I64(rate_call(&r, 1000, -1, ROUND_UP, &res), RATE_EOVERFLOW);
	T_EQ_I64(rate_call(&r, 1000, 4, (round_mode)7, &res), RATE_EOVERFLOW);
	r.rate_per_min = INT64_MAX;
	T_EQ_I64(rate_call(&r, 60000, 4, ROUND_DOWN, &res), RATE_OK);
	T_EQ_I64(res.cost, INT64_MAX / 100000 * 100000);
	T_EQ_I64(rate_call(&r, 61000, 4, ROUND_DOWN, &res), RATE_EOVERFLOW);
	T_EQ_I64(res.cost, 0);
	T_EQ_I64(rate_call(&r, INT64_MAX, 9, ROUND_DOWN, &res), RATE_EOVERFLOW);
	T_EQ_I64(res.billsec, 0); /* *out is zeroed on error */
	r.rate_per_min = M("0.06");
	T_EQ_I64(rate_call(&r, INT64_MAX, 9, ROUND_DOWN, &res), RATE_EOVERFLOW);
	r.rate_per_min = 1; /* 1 nano/min: the longest call still fits */
	T_EQ_I64(rate_call(&r, INT64_MAX, 9, ROUND_DOWN, &res), RATE_OK);
	T_EQ_I64(res.billsec, INT64_MAX / 1000 + 1);
	T_EQ_I64(res.cost, (INT64_MAX / 1000 + 1) / 60);
	r.rate_per_min = INT64_MAX;
	/* 60 s of INT64_MAX rounds up past the limit at 0 decimals */
	T_EQ_I64(rate_call(&r, 60000, 0, ROUND_UP, &res), RATE_EOVERFLOW);
	T_ASSERT(strstr(rate_strerror(RATE_EDUP), "already") != NULL);
	T_ASSERT(rate_strerror(1234) != NULL);
}

static uint64_t rng(uint64_t *s);

/* rate_call's cost is money_div_round(exact_num, 60 * unit) * unit, whatever
 * internal path it takes: random rows, durations, modes and decimals,
 * including negative rates and fees (taking the general path). */
TEST(cost_matches_reference)
{
	static const int64_t unit[10] = { 1000000000, 100000000, 10000000, 1000000, 100000,
	                                  10000, 1000, 100, 10, 1 };
	uint64_t s = 99;

	for (int i = 0; i < 200000; i++) {
		rate_row r = mkrow("1", "0", 1, 1, 0, "0", 0, RATE_FOREVER);
		rate_result res;
		int dec = (int)(rng(&s) % 10);
		round_mode m = (round_mode)(rng(&s) % 4);
		int64_t ms = (int64_t)(rng(&s) % 4000000), q;
		int big = rng(&s) % 8 == 0;

		r.rate_per_min = (money_t)(rng(&s) % (big ? 9000000000000000000ULL : 2000000000ULL));
		r.connect_fee = rng(&s) % 4 ? 0 : (money_t)(rng(&s) % 100000000);
		if (rng(&s) % 10 == 0)
			r.rate_per_min = -r.rate_per_min;
		if (rng(&s) % 10 == 0)
			r.connect_fee = -r.connect_fee;
		r.min_secs = 1 + (int32_t)(rng(&s) % 60);
		r.inc_secs = 1 + (int32_t)(rng(&s) % 60);
		r.grace_secs = (int32_t)(rng(&s) % 5);
		int st = rate_call(&r, ms, dec, m, &res);
		int64_t billed = rate_billed_seconds((ms + 999) / 1000, r.min_secs, r.inc_secs,
		                                     r.grace_secs);
		if (billed == 0) {
			T_EQ_I64(st, RATE_OK);
			T_EQ_I64(res.cost, 0);
			continue;
		}
		__int128 exact = (__int128)r.rate_per_min * billed + (__int128)r.connect_fee * 60;
		if (money_div_round(exact, (__int128)60 * unit[dec], m, &q) != 0 ||
		    (__int128)q * unit[dec] > INT64_MAX || (__int128)q * unit[dec] < INT64_MIN) {
			T_EQ_I64(st, RATE_EOVERFLOW);
			continue;
		}
		T_EQ_I64(st, RATE_OK);
		T_EQ_I64(res.billed_secs, billed);
		T_ASSERT(res.exact_num == exact);
		if (res.cost != q * unit[dec])
			T_FAIL("rate %lld fee %lld billed %lld dec %d mode %d: cost %lld, want %lld",
			       (long long)r.rate_per_min, (long long)r.connect_fee,
			       (long long)res.billed_secs, dec, (int)m, (long long)res.cost,
			       (long long)(q * unit[dec]));
	}
}

static const rate_row *match(const rate_deck *d, const char *digits, int64_t at)
{
	return rate_deck_match(d, digits, at);
}

static const char *match_prefix(const rate_deck *d, const char *digits, int64_t at)
{
	const rate_row *r = rate_deck_match(d, digits, at);
	return r ? r->prefix : "(none)";
}

TEST(longest_prefix)
{
	rate_deck *d = rate_deck_new();
	rate_row r;

	T_ASSERT(d != NULL);
	T_EQ_STR(match_prefix(d, "12065550100", 0), "(none)");
	r = mkrow("1", "0.01", 6, 6, 0, "0", 0, RATE_FOREVER);
	r.id = 1;
	r.description = "USA";
	T_EQ_I64(rate_deck_add(d, &r), RATE_OK);
	r = mkrow("1206", "0.02", 6, 6, 0, "0", 0, RATE_FOREVER);
	r.id = 2;
	r.description = "Seattle";
	T_EQ_I64(rate_deck_add(d, &r), RATE_OK);
	r = mkrow("1206555", "0.03", 6, 6, 0, "0", 0, RATE_FOREVER);
	r.id = 3;
	T_EQ_I64(rate_deck_add(d, &r), RATE_OK);
	r = mkrow("44", "0.04", 1, 1, 0, "0", 0, RATE_FOREVER);
	r.id = 4;
	T_EQ_I64(rate_deck_add(d, &r), RATE_OK);
	T_EQ_I64(rate_deck_size(d), 4);

	T_EQ_STR(match_prefix(d, "12065550100", 0), "1206555");
	T_EQ_STR(match_prefix(d, "12065560100", 0), "1206");
	T_EQ_STR(match_prefix(d, "12125550100", 0), "1");
	T_EQ_STR(match_prefix(d, "1", 0), "1");
	T_EQ_STR(match_prefix(d, "120", 0), "1");
	T_EQ_STR(match_prefix(d, "1206", 0), "1206");
	T_EQ_STR(match_prefix(d, "120655", 0), "1206");
	T_EQ_STR(match_prefix(d, "442079460958", 0), "44");
	T_EQ_STR(match_prefix(d, "4", 0), "(none)");
	T_EQ_STR(match_prefix(d, "33123456789", 0), "(none)");
	T_EQ_STR(match_prefix(d, "", 0), "(none)");
	T_ASSERT(match(d, NULL, 0) == NULL);
	T_ASSERT(rate_deck_match(NULL, "1", 0) == NULL);
	/* a non-digit ends the number */
	T_EQ_STR(match_prefix(d, "1206x555", 0), "1206");
	T_EQ_I64(match(d, "12065550100", 0)->id, 3);
	T_EQ_STR(match(d, "12065560100", 0)->description, "Seattle");
	T_ASSERT(match(d, "12065550100", 0)->description == NULL);
	rate_deck_free(d);
	rate_deck_free(NULL);
}

TEST(effective_dates)
{
	rate_deck *d = rate_deck_new();
	const int64_t jan = 1767225600, feb = 1769904000, mar = 1772323200, apr = 1774998000;
	rate_row r;

	/* 1: always 0.01. 1206: 0.02 from Jan, replaced by 0.025 from Feb.
	 * 1206555: only during [Feb, Mar). 44: 0.04 until Mar, and a promo
	 * [Feb, Apr) that is newer but expires later. */
	r = mkrow("1", "0.01", 1, 1, 0, "0", 0, RATE_FOREVER);
	T_EQ_I64(rate_deck_add(d, &r), RATE_OK);
	r = mkrow("1206", "0.025", 1, 1, 0, "0", feb, RATE_FOREVER); /* newer added first */
	T_EQ_I64(rate_deck_add(d, &r), RATE_OK);
	r = mkrow("1206", "0.02", 1, 1, 0, "0", jan, RATE_FOREVER);
	T_EQ_I64(rate_deck_add(d, &r), RATE_OK);
	r = mkrow("1206555", "0.03", 1, 1, 0, "0", feb, mar);
	T_EQ_I64(rate_deck_add(d, &r), RATE_OK);
	r = mkrow("44", "0.04", 1, 1, 0, "0", jan, RATE_FOREVER);
	T_EQ_I64(rate_deck_add(d, &r), RATE_OK);
	r = mkrow("44", "0.001", 1, 1, 0, "0", feb, mar);
	T_EQ_I64(rate_deck_add(d, &r), RATE_OK);

	/* before Jan only the catch-all 1 */
	T_EQ_I64(match(d, "12065550100", jan - 1)->rate_per_min, M("0.01"));
	T_ASSERT(match(d, "442079460958", jan - 1) == NULL);
	/* Jan: 1206 at 0.02 */
	T_EQ_I64(match(d, "12065550100", jan)->rate_per_min, M("0.02"));
	T_EQ_I64(match(d, "12065550100", feb - 1)->rate_per_min, M("0.02"));
	/* Feb: 1206555 takes over, and 1206 is 0.025 */
	T_EQ_I64(match(d, "12065550100", feb)->rate_per_min, M("0.03"));
	T_EQ_I64(match(d, "12065560100", feb)->rate_per_min, M("0.025"));
	/* Mar: 1206555 has expired (eff_to exclusive), falls back to 1206 */
	T_EQ_I64(match(d, "12065550100", mar - 1)->rate_per_min, M("0.03"));
	T_EQ_I64(match(d, "12065550100", mar)->rate_per_min, M("0.025"));
	T_EQ_STR(match(d, "12065550100", mar)->prefix, "1206");
	/* 44: promo during Feb, then the older row again (still effective) */
	T_EQ_I64(match(d, "442079460958", jan)->rate_per_min, M("0.04"));
	T_EQ_I64(match(d, "442079460958", feb)->rate_per_min, M("0.001"));
	T_EQ_I64(match(d, "442079460958", mar)->rate_per_min, M("0.04"));
	T_EQ_I64(match(d, "442079460958", apr)->rate_per_min, M("0.04"));
	/* duplicate prefix + eff_from */
	r = mkrow("1206", "0.5", 1, 1, 0, "0", feb, RATE_FOREVER);
	T_EQ_I64(rate_deck_add(d, &r), RATE_EDUP);
	T_EQ_I64(rate_deck_size(d), 6);
	T_EQ_I64(match(d, "12065560100", feb)->rate_per_min, M("0.025"));
	/* same eff_from on a different prefix is fine */
	r = mkrow("12", "0.5", 1, 1, 0, "0", feb, RATE_FOREVER);
	T_EQ_I64(rate_deck_add(d, &r), RATE_OK);
	rate_deck_free(d);
}

TEST(deck_validation)
{
	rate_deck *d = rate_deck_new();
	rate_row r = mkrow("1", "0.01", 1, 1, 0, "0", 0, RATE_FOREVER);

	r.prefix[0] = '\0';
	T_EQ_I64(rate_deck_add(d, &r), RATE_EPREFIX);
	snprintf(r.prefix, sizeof r.prefix, "+1");
	T_EQ_I64(rate_deck_add(d, &r), RATE_EPREFIX);
	snprintf(r.prefix, sizeof r.prefix, "12 06");
	T_EQ_I64(rate_deck_add(d, &r), RATE_EPREFIX);
	memset(r.prefix, '7', sizeof r.prefix); /* 33 digits, no NUL */
	T_EQ_I64(rate_deck_add(d, &r), RATE_EPREFIX);
	memset(r.prefix, '7', RATE_PREFIX_MAX); /* 32 digits: the longest allowed */
	r.prefix[RATE_PREFIX_MAX] = '\0';
	T_EQ_I64(rate_deck_add(d, &r), RATE_OK);
	T_EQ_STR(match_prefix(d, "777777777777777777777777777777777777777", 0), r.prefix);

	r = mkrow("1", "0.01", 0, 1, 0, "0", 0, RATE_FOREVER);
	T_EQ_I64(rate_deck_add(d, &r), RATE_EINCREMENT);
	r = mkrow("1", "0.01", 1, 0, 0, "0", 0, RATE_FOREVER);
	T_EQ_I64(rate_deck_add(d, &r), RATE_EINCREMENT);
	r = mkrow("1", "0.01", 1, 1, -1, "0", 0, RATE_FOREVER);
	T_EQ_I64(rate_deck_add(d, &r), RATE_EINCREMENT);
	r = mkrow("1", "-0.01", 1, 1, 0, "0", 0, RATE_FOREVER);
	T_EQ_I64(rate_deck_add(d, &r), RATE_ENEGATIVE);
	r = mkrow("1", "0.01", 1, 1, 0, "-0.01", 0, RATE_FOREVER);
	T_EQ_I64(rate_deck_add(d, &r), RATE_ENEGATIVE);
	T_EQ_I64(rate_deck_add(d, NULL), RATE_EPREFIX);
	T_EQ_I64(rate_deck_size(d), 1);
	T_EQ_I64(rate_deck_size(NULL), 0);
	/* failed adds left no row behind */
	T_EQ_STR(match_prefix(d, "12065550100", 0), "(none)");
	rate_deck_free(d);
}

TEST(deck_owns_rows)
{
	rate_deck *d = rate_deck_new();
	char desc[32];
	const rate_row *first;
	rate_row r = mkrow("1", "0.01", 1, 1, 0, "0", 0, RATE_FOREVER);

	snprintf(desc, sizeof desc, "United States");
	r.description = desc;
	T_EQ_I64(rate_deck_add(d, &r), RATE_OK);
	snprintf(desc, sizeof desc, "overwritten");
	r.rate_per_min = 1;
	first = match(d, "1", 0);
	T_EQ_STR(first->description, "United States");
	T_ASSERT(first->description != desc);
	T_EQ_I64(first->rate_per_min, M("0.01"));
	/* pointers stay valid while the deck grows (rows are never moved) */
	for (int i = 0; i < 40000; i++) { /* more than one 16384-row block */
		char p[16];
		snprintf(p, sizeof p, "2%d", i);
		r = mkrow(p, "0.02", 1, 1, 0, "0", 0, RATE_FOREVER);
		r.description = p;
		T_EQ_I64(rate_deck_add(d, &r), RATE_OK);
	}
	T_EQ_I64(rate_deck_size(d), 40001);
	T_ASSERT(match(d, "1", 0) == first);
	T_EQ_STR(first->description, "United States");
	T_EQ_STR(match(d, "249990000", 0)->description, "24999");
	T_EQ_STR(match(d, "2399990000", 0)->description, "239999");
	T_EQ_STR(match(d, "2499", 0)->description, "2499");
	rate_deck_free(d);
}

/* The rule as written, by linear scan: longest prefix of digits among rows
 * with eff_from <= at < eff_to; same prefix: latest eff_from. */
static const rate_row *naive(const rate_row *rows, int n, const char *digits, int64_t at)
{
	const rate_row *best = NULL;
	size_t bestlen = 0;
	for (int i = 0; i < n; i++) {
		size_t pl = strlen(rows[i].prefix);
		if (strncmp(rows[i].prefix, digits, pl) != 0)
			continue;
		if (!(rows[i].eff_from <= at && at < rows[i].eff_to))
			continue;
		if (!best || pl > bestlen || (pl == bestlen && rows[i].eff_from > best->eff_from)) {
			best = &rows[i];
			bestlen = pl;
		}
	}
	return best;
}

static uint64_t rng(uint64_t *s)
{
	uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

TEST(match_vs_naive)
{
	enum { NROWS = 3000, NQ = 30000 };
	rate_row *rows = calloc(NROWS, sizeof *rows);
	rate_deck *d = rate_deck_new();
	uint64_t s = 12345;
	int n = 0;

	T_ASSERT(rows && d);
	/* few leading digits so prefixes nest and collide often */
	while (n < NROWS) {
		rate_row *r = &rows[n];
		int len = 1 + (int)(rng(&s) % 6);
		for (int k = 0; k < len; k++)
			r->prefix[k] = (char)('0' + rng(&s) % 3);
		r->prefix[len] = '\0';
		r->rate_per_min = (money_t)(rng(&s) % 100000000);
		r->min_secs = r->inc_secs = 1;
		r->eff_from = (int64_t)(rng(&s) % 100);
		r->eff_to = rng(&s) % 4 ? RATE_FOREVER : r->eff_from + 1 + (int64_t)(rng(&s) % 50);
		r->id = n;
		int st = rate_deck_add(d, r);
		if (st == RATE_EDUP)
			continue;
		T_EQ_I64(st, RATE_OK);
		n++;
	}
	for (int q = 0; q < NQ; q++) {
		char digits[16];
		int len = (int)(rng(&s) % 12);
		int64_t at = (int64_t)(rng(&s) % 160) - 5;
		for (int k = 0; k < len; k++)
			digits[k] = (char)('0' + rng(&s) % 4);
		digits[len] = '\0';
		const rate_row *want = naive(rows, n, digits, at), *got = rate_deck_match(d, digits, at);
		if (!want != !got || (want && want->id != got->id))
			T_FAIL("%s at %lld: got %lld, want %lld", digits, (long long)at,
			       got ? (long long)got->id : -1LL, want ? (long long)want->id : -1LL);
	}
	rate_deck_free(d);
	free(rows);
}

void suite_rate(void); /* t.h's SUITE() has no prototype of its own */

SUITE(rate)
{
	RUN(increments);
	RUN(billsec_full_up);
	RUN(worked_example);
	RUN(flowroute_sample);
	RUN(rounding_modes);
	RUN(grace_and_connect_fee);
	RUN(rate_call_errors);
	RUN(cost_matches_reference);
	RUN(longest_prefix);
	RUN(effective_dates);
	RUN(deck_validation);
	RUN(deck_owns_rows);
	RUN(match_vs_naive);
}
