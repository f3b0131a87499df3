/* test_money.c: exact parsing, rounding by every mode, formatting. */
#include "t.h"
#include "../../core/money.h"

static int parse(const char *s, money_t *v)
{
	return money_parse(s, strlen(s), v);
}

/* Parses s and expects status OK and value want. */
#define P_OK(s, want) do { money_t v_ = 12345; int st_ = parse(s, &v_); \
	T_EQ_I64(st_, MONEY_OK); T_EQ_I64(v_, want); } while (0)
#define P_ERR(s, err) do { money_t v_ = 12345; T_EQ_I64(parse(s, &v_), err); \
	T_EQ_I64(v_, 12345); } while (0)

TEST(parse_exact)
{
	P_OK("0.0050", 5000000);
	P_OK("-12.3456789", -12345678900LL);
	P_OK("1", 1000000000);
	P_OK("+1.5", 1500000000);
	P_OK("0.000000001", 1);
	P_OK("-0.000000001", -1);
	P_OK("0.123456789", 123456789);
	P_OK("-.5", -500000000);
	P_OK(".25", 250000000);
	P_OK("5.", 5000000000LL);
	P_OK("  7.25\t", 7250000000LL);
	P_OK("0", 0);
	P_OK("-0", 0);
	P_OK("-0.000", 0);
	P_OK("000000000000000000000000001.5", 1500000000);
	P_OK("0.0015000", 1500000);
	/* Flowroute writes 8 decimals */
	P_OK("0.00474784", 4747840);
}

TEST(parse_len_not_nul)
{
	money_t v = 0;
	/* Only s[0..len) counts. */
	T_EQ_I64(money_parse("1.25xyz", 4, &v), MONEY_OK);
	T_EQ_I64(v, 1250000000);
	T_EQ_I64(money_parse("12", 1, &v), MONEY_OK);
	T_EQ_I64(v, 1000000000);
}

TEST(parse_errors)
{
	P_ERR("", MONEY_EEMPTY);
	P_ERR("   ", MONEY_EEMPTY);
	P_ERR("-", MONEY_EEMPTY);
	P_ERR(".", MONEY_EEMPTY);
	P_ERR("+.", MONEY_EEMPTY);
	P_ERR("1e5", MONEY_ESYNTAX);
	P_ERR("1.2.3", MONEY_ESYNTAX);
	P_ERR("--1", MONEY_ESYNTAX);
	P_ERR("+-1", MONEY_ESYNTAX);
	P_ERR("1 000", MONEY_ESYNTAX);
	P_ERR("1,5", MONEY_ESYNTAX);
	P_ERR("$5", MONEY_ESYNTAX);
	P_ERR("5-", MONEY_ESYNTAX);
	P_ERR("abc", MONEY_ESYNTAX);
	P_ERR("0x10", MONEY_ESYNTAX);
	P_ERR("0.1234567890", MONEY_EPRECISION); /* 10 decimals, even a 0 */
	P_ERR("0.0000000001", MONEY_EPRECISION);
	P_ERR("-1.12345678901", MONEY_EPRECISION);
	/* syntax is judged before precision */
	P_ERR("0.1234567890x", MONEY_ESYNTAX);
	T_EQ_I64(money_parse(NULL, 0, NULL), MONEY_EEMPTY);
}

TEST(parse_range)
{
	P_OK("9223372036.854775807", INT64_MAX);
	P_OK("-9223372036.854775808", INT64_MIN);
	P_ERR("9223372036.854775808", MONEY_ERANGE);
	P_ERR("-9223372036.854775809", MONEY_ERANGE);
	P_ERR("9223372037", MONEY_ERANGE);
	P_ERR("99999999999999999999999999999999999999999999", MONEY_ERANGE);
	P_ERR("-99999999999999999999999999999999999999999999.5", MONEY_ERANGE);
}

TEST(strerror_names)
{
	T_ASSERT(strstr(money_strerror(MONEY_EPRECISION), "9 decimals") != NULL);
	T_ASSERT(money_strerror(99) != NULL);
	T_EQ_STR(round_mode_name(ROUND_UP), "up");
	T_EQ_STR(round_mode_name(ROUND_HALF_UP), "half-up");
	T_EQ_STR(round_mode_name(ROUND_HALF_EVEN), "half-even");
	T_EQ_STR(round_mode_name(ROUND_DOWN), "down");
	for (int m = ROUND_UP; m <= ROUND_DOWN; m++) {
		round_mode got = ROUND_DOWN;
		T_EQ_I64(round_mode_parse(round_mode_name((round_mode)m), &got), 0);
		T_EQ_I64(got, m);
	}
	round_mode got = ROUND_UP;
	T_EQ_I64(round_mode_parse("half_up", &got), -1);
	T_EQ_I64(round_mode_parse("", &got), -1);
	T_EQ_I64(round_mode_parse(NULL, &got), -1);
	T_EQ_I64(got, ROUND_UP);
}

static int64_t dr(__int128 num, __int128 den, round_mode m)
{
	int64_t q = 777;
	if (money_div_round(num, den, m, &q) != 0)
		return -999999;
	return q;
}

/* Table of num/den and the result per mode: up, half-up, half-even, down. */
TEST(div_round_table)
{
	static const struct { int64_t num, den, up, hu, he, dn; } c[] = {
		{   0,  7,   0,   0,   0,   0 },
		{  10,  5,   2,   2,   2,   2 },   /* exact */
		{ -10,  5,  -2,  -2,  -2,  -2 },
		{  11, 10,   2,   1,   1,   1 },   /* 1.1 */
		{ -11, 10,  -2,  -1,  -1,  -1 },
		{  14, 10,   2,   1,   1,   1 },   /* 1.4 */
		{  15, 10,   2,   2,   2,   1 },   /* 1.5 tie, 1 odd -> 2 */
		{  25, 10,   3,   3,   2,   2 },   /* 2.5 tie, 2 even -> 2 */
		{ -15, 10,  -2,  -2,  -2,  -1 },
		{ -25, 10,  -3,  -3,  -2,  -2 },
		{  35, 10,   4,   4,   4,   3 },
		{ -35, 10,  -4,  -4,  -4,  -3 },
		{  16, 10,   2,   2,   2,   1 },   /* 1.6 */
		{ -16, 10,  -2,  -2,  -2,  -1 },
		{   5, 10,   1,   1,   0,   0 },   /* 0.5 */
		{  -5, 10,  -1,  -1,   0,   0 },
		{   1,  3,   1,   0,   0,   0 },
		{   2,  3,   1,   1,   1,   0 },
		{  -2,  3,  -1,  -1,  -1,   0 },
		{  15, -10, -2,  -2,  -2,  -1 },   /* negative denominator */
		{ -15, -10,  2,   2,   2,   1 },
		{ -25, -10,  3,   3,   2,   2 },
		{ 50000000, 6000000, 9, 8, 8, 8 }, /* 8.33: the worked example */
		{ 45000000, 6000000, 8, 8, 8, 7 }, /* 7.5 tie */
		{ 39000000, 6000000, 7, 7, 6, 6 }, /* 6.5 tie */
	};
	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
		if (dr(c[i].num, c[i].den, ROUND_UP) != c[i].up)
			T_FAIL("case %zu up: %lld", i, (long long)dr(c[i].num, c[i].den, ROUND_UP));
		if (dr(c[i].num, c[i].den, ROUND_HALF_UP) != c[i].hu)
			T_FAIL("case %zu half-up: %lld", i, (long long)dr(c[i].num, c[i].den, ROUND_HALF_UP));
		if (dr(c[i].num, c[i].den, ROUND_HALF_EVEN) != c[i].he)
			T_FAIL("case %zu half-even: %lld", i, (long long)dr(c[i].num, c[i].den, ROUND_HALF_EVEN));
		if (dr(c[i].num, c[i].den, ROUND_DOWN) != c[i].dn)
			T_FAIL("case %zu down: %lld", i, (long long)dr(c[i].num, c[i].den, ROUND_DOWN));
	}
}

TEST(div_round_limits)
{
	int64_t q;
	__int128 big = (__int128)INT64_MAX * 1000000007;
	const __int128 i128min = -(__int128)(((unsigned __int128)1 << 127) - 1) - 1;

	T_EQ_I64(money_div_round(1, 0, ROUND_UP, &q), -1);
	T_EQ_I64(money_div_round(big, 1000000007, ROUND_HALF_UP, &q), 0);
	T_EQ_I64(q, INT64_MAX);
	T_EQ_I64(money_div_round(-big, 1000000007, ROUND_DOWN, &q), 0);
	T_EQ_I64(q, -INT64_MAX);
	T_EQ_I64(money_div_round((__int128)INT64_MIN, 1, ROUND_UP, &q), 0);
	T_EQ_I64(q, INT64_MIN);
	T_EQ_I64(money_div_round((__int128)INT64_MAX + 1, 1, ROUND_UP, &q), -1);
	T_EQ_I64(money_div_round((__int128)INT64_MIN - 1, 1, ROUND_UP, &q), -1);
	/* rounding itself can push past the limit */
	T_EQ_I64(money_div_round((__int128)INT64_MAX * 2 + 1, 2, ROUND_DOWN, &q), 0);
	T_EQ_I64(q, INT64_MAX);
	T_EQ_I64(money_div_round((__int128)INT64_MAX * 2 + 1, 2, ROUND_UP, &q), -1);
	/* no undefined behaviour at the int128 edge */
	T_EQ_I64(money_div_round(i128min, -1, ROUND_UP, &q), -1);
	T_EQ_I64(money_div_round(i128min, i128min, ROUND_UP, &q), 0);
	T_EQ_I64(q, 1);
	T_EQ_I64(money_div_round(i128min / 2, i128min, ROUND_HALF_UP, &q), 0);
	T_EQ_I64(q, 1);
	T_EQ_I64(money_div_round(i128min / 2, i128min, ROUND_HALF_EVEN, &q), 0);
	T_EQ_I64(q, 0);
	T_EQ_I64(money_div_round(5, 10, (round_mode)9, &q), -1);
}

static money_t rnd(money_t v, int dec, round_mode m)
{
	money_t out = 777;
	if (money_round(v, dec, m, &out) != 0)
		return -999999;
	return out;
}

TEST(round_decimals)
{
	/* 0.00075833 -> 4 decimals */
	T_EQ_I64(rnd(758330, 4, ROUND_HALF_UP), 800000);
	T_EQ_I64(rnd(758330, 4, ROUND_DOWN), 700000);
	T_EQ_I64(rnd(758330, 4, ROUND_UP), 800000);
	T_EQ_I64(rnd(758330, 4, ROUND_HALF_EVEN), 800000);
	/* exact tie 0.00125 at 4 decimals */
	T_EQ_I64(rnd(1250000, 4, ROUND_HALF_UP), 1300000);
	T_EQ_I64(rnd(1250000, 4, ROUND_HALF_EVEN), 1200000);
	T_EQ_I64(rnd(-1250000, 4, ROUND_HALF_UP), -1300000);
	T_EQ_I64(rnd(-1250000, 4, ROUND_HALF_EVEN), -1200000);
	T_EQ_I64(rnd(-1250000, 4, ROUND_DOWN), -1200000);
	T_EQ_I64(rnd(-1250001, 4, ROUND_UP), -1300000);
	T_EQ_I64(rnd(1, 0, ROUND_UP), 1000000000);
	T_EQ_I64(rnd(-1, 0, ROUND_UP), -1000000000);
	T_EQ_I64(rnd(123456789, 9, ROUND_UP), 123456789);
	T_EQ_I64(rnd(2500000000LL, 0, ROUND_HALF_EVEN), 2000000000LL);
	T_EQ_I64(rnd(3500000000LL, 0, ROUND_HALF_EVEN), 4000000000LL);
	money_t out;
	T_EQ_I64(money_round(INT64_MAX, 0, ROUND_UP, &out), -1);
	T_EQ_I64(money_round(INT64_MIN, 0, ROUND_UP, &out), -1);
	T_EQ_I64(money_round(INT64_MAX, 0, ROUND_DOWN, &out), 0);
	T_EQ_I64(out, 9223372036000000000LL);
	T_EQ_I64(money_round(5, 10, ROUND_UP, &out), -1);
	T_EQ_I64(money_round(5, -1, ROUND_UP, &out), -1);
}

static const char *fmt(money_t v, int dec)
{
	static char buf[4][32];
	static int slot;
	char *b = buf[slot++ % 4];
	if (money_format(v, dec, b, 32) < 0)
		return "(error)";
	return b;
}

TEST(format)
{
	T_EQ_STR(fmt(-12340000000LL, 4), "-12.3400");
	T_EQ_STR(fmt(0, 4), "0.0000");
	T_EQ_STR(fmt(0, 0), "0");
	T_EQ_STR(fmt(5000000000LL, 0), "5");
	T_EQ_STR(fmt(800000, 4), "0.0008");
	T_EQ_STR(fmt(80000000, 4), "0.0800");
	/* never hides non-zero digits */
	T_EQ_STR(fmt(750833, 4), "0.000750833");
	T_EQ_STR(fmt(758330, 4), "0.00075833");
	T_EQ_STR(fmt(-1, 2), "-0.000000001");
	T_EQ_STR(fmt(1500000000, 0), "1.5");
	T_EQ_STR(fmt(750000, 8), "0.00075000");
	T_EQ_STR(fmt(17640000, 8), "0.01764000");
	T_EQ_STR(fmt(123456789, 9), "0.123456789");
	T_EQ_STR(fmt(INT64_MAX, 4), "9223372036.854775807");
	T_EQ_STR(fmt(INT64_MIN, 4), "-9223372036.854775808");
	T_EQ_STR(fmt(5, 10), "(error)");
}

TEST(format_buffer)
{
	char b[8];
	T_EQ_I64(money_format(1234000000, 2, b, sizeof b), 5); /* "1.234" */
	T_EQ_STR(b, "1.234");
	T_EQ_I64(money_format(-1234000000, 4, b, 7), -1);       /* "-1.2340" needs 8 */
	T_EQ_STR(b, "");
	T_EQ_I64(money_format(-1234000000, 4, b, 8), 7);
	T_EQ_STR(b, "-1.2340");
	T_EQ_I64(money_format(1, 4, b, 0), -1);
}

TEST(format_roundtrip)
{
	/* format then parse gives the value back, over a spread of values */
	uint64_t x = 0x9E3779B97F4A7C15ULL;
	for (int i = 0; i < 20000; i++) {
		char b[32];
		money_t v, back = 0;
		x ^= x << 13; x ^= x >> 7; x ^= x << 17;
		v = (money_t)(x >> (i % 64));
		if ((i & 1) && v != INT64_MIN)
			v = -v;
		int n = money_format(v, i % 10, b, sizeof b);
		T_ASSERT(n > 0);
		T_EQ_I64(money_parse(b, (size_t)n, &back), MONEY_OK);
		T_EQ_I64(back, v);
	}
}

static const char *frac(__int128 num, __int128 den, int maxd)
{
	static char buf[4][80];
	static int slot;
	char *b = buf[slot++ % 4];
	if (money_format_fraction(num, den, maxd, b, 80) < 0)
		return "(error)";
	return b;
}

TEST(format_fraction)
{
	/* 0.005/min x 10 s = 50000000/60 nano */
	T_EQ_STR(frac(50000000, 60, 12), "0.000833333333...");
	T_EQ_STR(frac(50000000, 60, 9), "0.000833333...");
	T_EQ_STR(frac(50000000, 60, 4), "0.0008...");
	/* exact expansions end without "..." and without trailing zeros */
	T_EQ_STR(frac(45000000, 60, 12), "0.00075");
	T_EQ_STR(frac(60000000000LL, 60, 12), "1");
	T_EQ_STR(frac(0, 60, 12), "0");
	T_EQ_STR(frac(3, 2, 12), "0.0000000015");
	T_EQ_STR(frac(3, 2, 9), "0.000000001...");
	/* truncation, not rounding: 2/3 nano */
	T_EQ_STR(frac(2, 3, 12), "0.000000000666...");
	/* sign */
	T_EQ_STR(frac(-50000000, 60, 9), "-0.000833333...");
	T_EQ_STR(frac(50000000, -60, 9), "-0.000833333...");
	T_EQ_STR(frac(-50000000, -60, 9), "0.000833333...");
	T_EQ_STR(frac(-1, 60, 9), "-0.000000000...");
	T_EQ_STR(frac(1, 60, 0), "0...");
	T_EQ_STR(frac(90000000000LL, 60, 0), "1...");
	T_EQ_STR(frac(90000000000LL, 60, 1), "1.5");
	T_EQ_STR(frac(1, 0, 9), "(error)");
	/* big numerators and denominators */
	T_EQ_STR(frac((__int128)INT64_MAX * 60, 60, 12), "9223372036.854775807");
	{
		unsigned __int128 top = ((unsigned __int128)1 << 127) - 1;
		/* (2^127-1) / (2^127-1) nano = 0.000000001 */
		T_EQ_STR(frac((__int128)top, (__int128)top, 20), "0.000000001");
		/* (2^127-2) / (2^127-1): just under 1 nano */
		T_EQ_STR(frac((__int128)(top - 1), (__int128)top, 20), "0.00000000099999999999...");
	}
	char small[6];
	T_EQ_I64(money_format_fraction(50000000, 60, 12, small, sizeof small), -1);
	T_EQ_STR(small, "");
	T_EQ_I64(money_format_fraction(1, 1, 12, small, sizeof small), -1); /* 11 chars */
	T_EQ_I64(money_format_fraction(2000000000, 1, 12, small, sizeof small), 1);
	T_EQ_STR(small, "2");
}

/* The decimals an account keeps (issue 10): the rule and its message. */
TEST(decimals_fit)
{
	money_t a = 0, b = 0;
	char why[128];

	T_EQ_I64(money_decimals(1234560000LL), 5);          /* 1.23456 */
	T_EQ_I64(money_decimals(-1234560000LL), 5);
	T_EQ_I64(money_decimals(1234600000LL), 4);          /* 1.2346 */
	T_EQ_I64(money_decimals(3 * MONEY_SCALE), 0);
	T_EQ_I64(money_decimals(-500000000LL), 1);          /* -0.5 */
	T_EQ_I64(money_decimals(1), 9);
	T_EQ_I64(money_decimals(0), 0);
	T_EQ_I64(money_decimals(INT64_MIN), 9);             /* -9223372036.854775808 */
	T_EQ_I64(money_decimals(INT64_MAX), 9);
	T_EQ_I64(money_fits_decimals(1234560000LL, 4), 0);
	T_EQ_I64(money_fits_decimals(1234560000LL, 5), 1);
	T_EQ_I64(money_fits_decimals(1234600000LL, 4), 1);
	T_EQ_I64(money_fits_decimals(-1234560000LL, 4), 0);
	T_EQ_I64(money_fits_decimals(10000000LL, 2), 1);     /* 0.01 */
	T_EQ_I64(money_fits_decimals(1000000LL, 2), 0);      /* 0.001 */
	T_EQ_I64(money_fits_decimals(1500000000LL, 0), 0);   /* 1.5 */
	T_EQ_I64(money_fits_decimals(2 * MONEY_SCALE, 0), 1);
	T_EQ_I64(money_fits_decimals(1, 9), 1);
	T_EQ_I64(money_fits_decimals(1, 10), 0);             /* out of range */
	T_EQ_I64(money_fits_decimals(0, -1), 0);

	T_EQ_I64(money_neighbours(1234560000LL, 4, &a, &b), 0);
	T_EQ_I64(a, 1234600000LL);
	T_EQ_I64(b, 1234500000LL);
	T_EQ_I64(money_neighbours(1234510000LL, 4, &a, &b), 0);  /* 1.23451: nearer is below */
	T_EQ_I64(a, 1234500000LL);
	T_EQ_I64(b, 1234600000LL);
	T_EQ_I64(money_neighbours(-1234560000LL, 4, &a, &b), 0);
	T_EQ_I64(a, -1234600000LL);
	T_EQ_I64(b, -1234500000LL);
	T_EQ_I64(money_neighbours(1234550000LL, 4, &a, &b), 0);  /* a tie: away from zero first */
	T_EQ_I64(a, 1234600000LL);
	T_EQ_I64(b, 1234500000LL);
	T_EQ_I64(money_neighbours(1234600000LL, 4, &a, &b), -1); /* fits: no neighbours */
	T_EQ_I64(money_neighbours(INT64_MAX, 0, &a, &b), -1);    /* up overflows */

	T_EQ_I64(money_decimals_why(1234560000LL, 4, "x", why, sizeof why), 41);
	T_EQ_STR(why, "1.23456 has 5 decimals; account x keeps 4");
	money_decimals_why(-1500000000LL, 0, NULL, why, sizeof why);
	T_EQ_STR(why, "-1.5 has 1 decimal; the account keeps 0");
	T_EQ_I64(money_decimals_why(1234560000LL, 4, "x", why, 10), -1);
}

void suite_money(void); /* t.h's SUITE() has no prototype of its own */

SUITE(money)
{
	RUN(parse_exact);
	RUN(parse_len_not_nul);
	RUN(parse_errors);
	RUN(parse_range);
	RUN(strerror_names);
	RUN(div_round_table);
	RUN(div_round_limits);
	RUN(round_decimals);
	RUN(format);
	RUN(format_buffer);
	RUN(format_roundtrip);
	RUN(format_fraction);
	RUN(decimals_fit);
}
