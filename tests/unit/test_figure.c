/* test_figure.c: figures rounded once, half-up, in integers (core/figure.h),
 * and the totals rule: rows rounded one by one, the total once from the
 * exact sum. */
#include "t.h"
#include "../../core/figure.h"

static const char *fmt(int64_t v, int d)
{
	static char buf[4][32];
	static int k;
	char *b = buf[k++ % 4];
	fig_format(v, d, b, sizeof buf[0]);
	return b;
}

TEST(div_half_up)
{
	T_EQ_I64(fig_div_half_up(5, 10), 1);      /* a tie goes up */
	T_EQ_I64(fig_div_half_up(4, 10), 0);
	T_EQ_I64(fig_div_half_up(15, 10), 2);
	T_EQ_I64(fig_div_half_up(14, 10), 1);
	T_EQ_I64(fig_div_half_up(-5, 10), -1);    /* ties away from zero */
	T_EQ_I64(fig_div_half_up(-4, 10), 0);
	T_EQ_I64(fig_div_half_up(-15, 10), -2);
	T_EQ_I64(fig_div_half_up(-16, 10), -2);
	T_EQ_I64(fig_div_half_up(7, 0), 0);       /* no denominator, no figure */
	T_EQ_I64(fig_div_half_up(INT64_MAX, 1), INT64_MAX);
	T_EQ_I64(fig_div_half_up(INT64_MAX, 2), INT64_MAX / 2 + 1);
}

TEST(percent)
{
	/* the case: 1 of 6 is 16.7 %, not 16.6 */
	T_EQ_I64(fig_pct_tenths(1, 6), 167);
	T_EQ_STR(fmt(fig_pct_tenths(1, 6), 1), "16.7");
	T_EQ_I64(fig_pct_tenths(5, 6), 833);
	T_EQ_I64(fig_pct_tenths(2, 3), 667);
	T_EQ_I64(fig_pct_tenths(1, 8), 125);      /* 12.5 exactly */
	T_EQ_I64(fig_pct_tenths(1, 16), 63);      /* 6.25 -> 6.3: the tie goes up */
	T_EQ_I64(fig_pct_tenths(1, 2000), 1);     /* 0.05 -> 0.1 */
	T_EQ_I64(fig_pct_tenths(1, 2001), 0);     /* 0.0499... -> 0.0 */
	T_EQ_I64(fig_pct_tenths(0, 0), 0);
	T_EQ_I64(fig_pct_tenths(6, 6), 1000);
	T_EQ_I64(fig_pct_tenths(INT64_MAX / 100, INT64_MAX / 100), 1000); /* no overflow */
}

TEST(minutes)
{
	T_EQ_I64(fig_minutes_centi_ms(9000), 15);     /* 0.15 min */
	T_EQ_I64(fig_minutes_centi_ms(299), 0);       /* 0.00498 min */
	T_EQ_I64(fig_minutes_centi_ms(300), 1);       /* 0.005 -> 0.01 */
	T_EQ_I64(fig_minutes_centi_ms(59999), 100);   /* 0.99998 -> 1.00, cutting said 0.99 */
	T_EQ_I64(fig_minutes_centi_ms(-300), -1);
	T_EQ_I64(fig_minutes_centi_s(61), 102);       /* 1.01666 -> 1.02 */
	T_EQ_I64(fig_minutes_centi_s(3), 5);          /* 0.05 exactly */
	T_EQ_I64(fig_minutes_centi_s(1), 2);          /* 0.01666 -> 0.02 */
	T_EQ_STR(fmt(fig_minutes_centi_s(61), 2), "1.02");
}

TEST(average)
{
	T_EQ_I64(fig_avg_secs(21500, 2), 11);         /* 10.75 s */
	T_EQ_I64(fig_avg_secs(21000, 2), 11);         /* 10.5 s: tie up */
	T_EQ_I64(fig_avg_secs(20998, 2), 10);         /* 10.499 s */
	T_EQ_I64(fig_avg_secs(212400, 1), 212);
	T_EQ_I64(fig_avg_secs(5, 0), 0);
	/* one rounding: the mean of 3 calls of 1.5 s each is 1.5 s -> 2 */
	T_EQ_I64(fig_avg_secs(4500, 3), 2);
}

TEST(format)
{
	T_EQ_STR(fmt(167, 1), "16.7");
	T_EQ_STR(fmt(5, 2), "0.05");
	T_EQ_STR(fmt(-5, 2), "-0.05");
	T_EQ_STR(fmt(-105, 1), "-10.5");
	T_EQ_STR(fmt(3, 0), "3");
	T_EQ_STR(fmt(0, 1), "0.0");
	T_EQ_STR(fmt(INT64_MIN, 0), "-9223372036854775808");
}

/* The totals rule: three calls of 0.005 min (300 ms) each. Each row shows
 * 0.01; the total is the exact 900 ms = 0.015 -> 0.02 (rounded once),
 * not 0.03 (the sum of the rounded rows): rows drift by +1 from the total,
 * at most n/2 = 1.5 units for 3 rows. */
TEST(totals_rule)
{
	int64_t ms[3] = { 300, 300, 300 }, rows[3], exact = 0;
	for (int i = 0; i < 3; i++) {
		rows[i] = fig_minutes_centi_ms(ms[i]);
		exact += ms[i];
		T_EQ_I64(rows[i], 1);
	}
	T_EQ_I64(fig_minutes_centi_ms(exact), 2);
	T_EQ_I64(fig_rows_drift(rows, 3, fig_minutes_centi_ms(exact)), 1);
	/* rows that add up: no drift */
	int64_t ok_rows[2] = { fig_minutes_centi_ms(600), fig_minutes_centi_ms(1200) };
	T_EQ_I64(fig_rows_drift(ok_rows, 2, fig_minutes_centi_ms(1800)), 0);
	/* the bound: n rows each off by less than half a unit */
	for (int n = 1; n <= 50; n++) {
		int64_t r[50], sum = 0;
		for (int i = 0; i < n; i++) {
			r[i] = fig_minutes_centi_ms(299 + 2 * i % 7);
			sum += 299 + 2 * i % 7;
		}
		int64_t drift = fig_rows_drift(r, n, fig_minutes_centi_ms(sum));
		T_ASSERT(2 * (drift < 0 ? -drift : drift) <= n + 1);
	}
}

void suite_figure(void); /* t.h's SUITE() has no prototype of its own */

SUITE(figure)
{
	RUN(div_half_up);
	RUN(percent);
	RUN(minutes);
	RUN(average);
	RUN(format);
	RUN(totals_rule);
}
