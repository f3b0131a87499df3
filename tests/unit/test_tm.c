/* test_tm.c: civil parsing, day arithmetic, floors, formatting. */
#include "t.h"
#include "../../core/tm.h"

static int civ(const char *s, tm_civil *c)
{
	memset(c, 0x55, sizeof *c);
	return tm_parse_civil(s, strlen(s), c);
}

static int64_t utc(const char *s)
{
	int64_t t = 42;
	int st = tm_parse_utc(s, strlen(s), &t);
	return st == TM_OK ? t : -1000000 - st;
}

TEST(parse_forms)
{
	tm_civil c;

	T_EQ_I64(civ("2020/2/10 22:41", &c), TM_OK);
	T_EQ_I64(c.year, 2020); T_EQ_I64(c.month, 2); T_EQ_I64(c.day, 10);
	T_EQ_I64(c.hour, 22); T_EQ_I64(c.min, 41); T_EQ_I64(c.sec, 0);
	T_EQ_I64(c.has_time, 1); T_EQ_I64(c.has_zone, 0); T_EQ_I64(c.frac_ms, 0);

	T_EQ_I64(civ("2019-06-25 18:18:54+00", &c), TM_OK);
	T_EQ_I64(c.has_zone, 1); T_EQ_I64(c.zone_offset_s, 0); T_EQ_I64(c.sec, 54);

	T_EQ_I64(civ("2026-01-05T10:00:00Z", &c), TM_OK);
	T_EQ_I64(c.has_zone, 1); T_EQ_I64(c.zone_offset_s, 0); T_EQ_I64(c.hour, 10);

	T_EQ_I64(civ("2026-01-05T10:00:00.250+02:00", &c), TM_OK);
	T_EQ_I64(c.frac_ms, 250); T_EQ_I64(c.zone_offset_s, 7200);

	T_EQ_I64(civ("2026-01-05", &c), TM_OK);
	T_EQ_I64(c.has_time, 0); T_EQ_I64(c.has_zone, 0);
	T_EQ_I64(c.hour, 0); T_EQ_I64(c.min, 0); T_EQ_I64(c.sec, 0);

	T_EQ_I64(civ("  2023-07-26 01:51:32\r\n", &c), TM_OK);
	T_EQ_I64(c.sec, 32);
	T_EQ_I64(civ("2020/12/31 9:05:07", &c), TM_OK);
	T_EQ_I64(c.hour, 9); T_EQ_I64(c.month, 12); T_EQ_I64(c.day, 31);
	T_EQ_I64(civ("2020-01-01T00:00:00.5", &c), TM_OK);
	T_EQ_I64(c.frac_ms, 500);
	T_EQ_I64(civ("2020-01-01 00:00:00.123456789", &c), TM_OK);
	T_EQ_I64(c.frac_ms, 123);
	T_EQ_I64(civ("2020-01-01 00:00:00-0530", &c), TM_OK);
	T_EQ_I64(c.zone_offset_s, -(5 * 3600 + 30 * 60));
	T_EQ_I64(civ("2020-01-01 00:00:00 +0100", &c), TM_OK);
	T_EQ_I64(c.zone_offset_s, 3600);
	T_EQ_I64(civ("2020-01-01 00:00-08", &c), TM_OK);
	T_EQ_I64(c.zone_offset_s, -8 * 3600);
	T_EQ_I64(civ("2016-12-31 23:59:60Z", &c), TM_OK); /* leap second */
}

TEST(parse_errors)
{
	tm_civil c;
	static const char *const syntax[] = {
		"", "   ", "2020", "2020-02", "20-02-10", "2020-2-10", "2020-02-1",
		"2020/02-10", "2020-02/10", "2020/2/10 22", "2020/2/10 22:4",
		"2020/2/10 22:41:5", "2020-02-10  22:41", "2020-02-10X22:41",
		"2020-02-10 22:41:00.", "2020-02-10 22:41:00Q", "2020-02-10 22:41:00+1",
		"2020-02-10 22:41:00+01:0", "2020-02-10 22:41:00+01:00x", "2020-02-10Z",
		"2020-02-10 22:41:00 Z Z", "02/10/2020", "2020-02-10 022:41",
		"1e5", "2020-02-10 22:41:00,5", "+2020-02-10"
	};
	static const char *const range[] = {
		"2019-02-29", "2100-02-29", "2020-02-30", "2020-04-31", "2020-13-01",
		"2020-00-10", "2020-01-00", "2020-01-32", "2020-01-01 24:00",
		"2020-01-01 23:60", "2020-01-01 23:59:61", "2020-01-01 00:00:00+24",
		"2020-01-01 00:00:00+01:60", "2020/0/1", "2020/2/30 1:00"
	};
	for (size_t i = 0; i < sizeof syntax / sizeof syntax[0]; i++)
		if (civ(syntax[i], &c) != TM_ESYNTAX)
			T_FAIL("\"%s\" gave %d, expected syntax error", syntax[i], civ(syntax[i], &c));
	for (size_t i = 0; i < sizeof range / sizeof range[0]; i++)
		if (civ(range[i], &c) != TM_ERANGE)
			T_FAIL("\"%s\" gave %d, expected range error", range[i], civ(range[i], &c));
	/* leap years */
	T_EQ_I64(civ("2020-02-29", &c), TM_OK);
	T_EQ_I64(civ("2000-02-29", &c), TM_OK);
	T_EQ_I64(civ("2024/2/29 0:00", &c), TM_OK);
	T_EQ_I64(tm_parse_civil(NULL, 0, &c), TM_ESYNTAX);
	/* only s[0..len) is read */
	T_EQ_I64(tm_parse_civil("2020-02-10 junk", 10, &c), TM_OK);
	T_ASSERT(tm_strerror(TM_ERANGE) != NULL && tm_strerror(77) != NULL);
}

TEST(to_utc)
{
	T_EQ_I64(utc("1970-01-01"), 0);
	T_EQ_I64(utc("1970-01-01 00:00:01"), 1);
	T_EQ_I64(utc("1969-12-31 23:59:59"), -1);
	T_EQ_I64(utc("2026-01-05T10:00:00Z"), 1767607200);
	T_EQ_I64(utc("2026-01-05T10:00:00.250+02:00"), 1767607200 - 7200);
	T_EQ_I64(utc("2026-01-05T10:00:00-05:00"), 1767607200 + 5 * 3600);
	T_EQ_I64(utc("2019-06-25 18:18:54+00"), 1561486734);
	T_EQ_I64(utc("2020/2/10 22:41"), 1581374460);
	T_EQ_I64(utc("2000-03-01"), 951868800);
	T_EQ_I64(utc("2038-01-19 03:14:08"), 2147483648LL);
	T_EQ_I64(utc("1900-01-01"), -2208988800LL);
	T_EQ_I64(utc("0000-03-01"), -62162035200LL);
	T_EQ_I64(utc("9999-12-31 23:59:59"), 253402300799LL);
	T_EQ_I64(utc("2020-13-01"), -1000000 - TM_ERANGE);
	T_EQ_I64(tm_civil_to_utc(NULL), TM_NONE);
}

TEST(days_civil)
{
	int y, m, d;

	T_EQ_I64(tm_days_from_civil(1970, 1, 1), 0);
	T_EQ_I64(tm_days_from_civil(1969, 12, 31), -1);
	T_EQ_I64(tm_days_from_civil(2000, 3, 1), 11017);
	T_EQ_I64(tm_days_from_civil(2020, 2, 29), 18321);
	T_EQ_I64(tm_days_from_civil(1600, 1, 1), -135140);
	tm_civil_from_days(-135140, &y, &m, &d);
	T_EQ_I64(y, 1600); T_EQ_I64(m, 1); T_EQ_I64(d, 1);

	/* Round trip over 800 years around the epoch, day by day, against a
	 * plain calendar walk. */
	{
		int cy = 1600, cm = 1, cd = 1;
		static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
		for (int64_t z = -135140; z < 157000; z++) {
			int leap = (cy % 4 == 0 && cy % 100 != 0) || cy % 400 == 0;
			if (tm_days_from_civil(cy, cm, cd) != z)
				T_FAIL("days_from_civil(%d,%d,%d) != %lld", cy, cm, cd, (long long)z);
			tm_civil_from_days(z, &y, &m, &d);
			if (y != cy || m != cm || d != cd)
				T_FAIL("civil_from_days(%lld) = %d-%d-%d", (long long)z, y, m, d);
			if (++cd > dm[cm - 1] + (cm == 2 && leap)) {
				cd = 1;
				if (++cm > 12) {
					cm = 1;
					cy++;
				}
			}
		}
	}
	/* negative years (proleptic) still round-trip */
	tm_civil_from_days(tm_days_from_civil(-4713, 11, 24), &y, &m, &d);
	T_EQ_I64(y, -4713); T_EQ_I64(m, 11); T_EQ_I64(d, 24);
	/* extremes do not crash */
	tm_civil_from_days(INT64_MIN, &y, &m, &d);
	tm_civil_from_days(INT64_MAX, &y, &m, &d);
	T_ASSERT(m >= 1 && m <= 12);
}

static const char *fmt(int64_t t)
{
	static char b[32];
	if (tm_format(t, b, 20) < 0)
		return "(error)";
	return b;
}

TEST(format)
{
	char b[32];

	T_EQ_STR(fmt(0), "1970-01-01 00:00:00");
	T_EQ_STR(fmt(-1), "1969-12-31 23:59:59");
	T_EQ_STR(fmt(1561486734), "2019-06-25 18:18:54");
	T_EQ_STR(fmt(253402300799LL), "9999-12-31 23:59:59");
	T_EQ_STR(fmt(253402300800LL), "(error)");
	T_EQ_STR(fmt(-62167219200LL), "0000-01-01 00:00:00");
	T_EQ_STR(fmt(-62167219201LL), "(error)");
	T_EQ_STR(fmt(TM_NONE), "(error)");
	T_EQ_STR(fmt(INT64_MAX), "(error)");
	T_EQ_I64(tm_format_iso(1767607200, b, 21), 20);
	T_EQ_STR(b, "2026-01-05T10:00:00Z");
	T_EQ_I64(tm_format_iso(1767607200, b, 20), -1);
	T_EQ_STR(b, "");
	T_EQ_I64(tm_format(0, b, 19), -1);
	T_EQ_I64(tm_format(0, b, 0), -1);
	/* parse(format(t)) == t */
	for (int64_t t = -5000000000LL; t < 5000000000LL; t += 7777777) {
		int64_t back = 0;
		T_EQ_I64(tm_format(t, b, sizeof b), 19);
		T_EQ_I64(tm_parse_utc(b, 19, &back), TM_OK);
		T_EQ_I64(back, t);
		T_EQ_I64(tm_format_iso(t, b, sizeof b), 20);
		T_EQ_I64(tm_parse_utc(b, 20, &back), TM_OK);
		T_EQ_I64(back, t);
	}
}

TEST(floors)
{
	int64_t t = utc("2026-01-07 13:45:12"); /* a Wednesday */

	T_EQ_I64(tm_floor_hour(t), utc("2026-01-07 13:00"));
	T_EQ_I64(tm_floor_day(t), utc("2026-01-07"));
	T_EQ_I64(tm_weekday(t), 2);
	T_EQ_I64(tm_floor_week(t), utc("2026-01-05"));
	T_EQ_I64(tm_floor_month(t), utc("2026-01-01"));
	T_EQ_I64(tm_month_start(2026, 1), utc("2026-01-01"));
	T_EQ_I64(tm_month_start(2026, 13), utc("2027-01-01"));
	T_EQ_I64(tm_month_start(2026, 0), utc("2025-12-01"));
	T_EQ_I64(tm_month_start(2026, -11), utc("2025-01-01"));
	T_EQ_I64(tm_month_start(2024, 3), utc("2024-03-01"));

	/* 1970-01-01 was a Thursday; 1969-12-29 a Monday */
	T_EQ_I64(tm_weekday(0), 3);
	T_EQ_I64(tm_weekday(-1), 2);
	T_EQ_I64(tm_floor_week(0), utc("1969-12-29"));
	T_EQ_I64(tm_floor_week(utc("2026-01-04 23:59:59")), utc("2025-12-29")); /* Sunday */
	T_EQ_I64(tm_floor_week(utc("2026-01-05")), utc("2026-01-05"));           /* Monday */
	T_EQ_I64(tm_weekday(utc("2026-01-04")), 6);

	/* negative times floor down, not toward zero */
	T_EQ_I64(tm_floor_hour(-1), -3600);
	T_EQ_I64(tm_floor_day(-1), -86400);
	T_EQ_I64(tm_floor_day(-86400), -86400);
	T_EQ_I64(tm_floor_day(-86401), -172800);
	T_EQ_I64(tm_floor_month(-1), utc("1969-12-01"));
	T_EQ_I64(tm_floor_month(utc("1900-03-31 23:59:59")), utc("1900-03-01"));
	T_EQ_I64(tm_floor_month(utc("2024-02-29 12:00")), utc("2024-02-01"));

	/* extremes saturate instead of overflowing */
	T_EQ_I64(tm_floor_day(INT64_MIN), INT64_MIN);
	T_EQ_I64(tm_floor_week(INT64_MIN + 1), INT64_MIN);
	T_EQ_I64(tm_floor_month(INT64_MIN), INT64_MIN);
	T_ASSERT(tm_floor_day(INT64_MAX) <= INT64_MAX);
	T_ASSERT(tm_weekday(INT64_MIN) >= 0 && tm_weekday(INT64_MAX) <= 6);

	/* a year of hours: floors are idempotent and consistent */
	for (int64_t x = utc("2023-12-25"); x < utc("2025-01-08"); x += 3599) {
		int64_t w = tm_floor_week(x), m = tm_floor_month(x), d = tm_floor_day(x);
		T_ASSERT(w <= d && d <= x && x - d < 86400);
		T_EQ_I64(tm_weekday(w), 0);
		T_ASSERT(x - w < 7 * 86400);
		T_EQ_I64(tm_floor_month(m), m);
		{
			int yy, mm, dd;
			tm_civil_from_days(m / 86400, &yy, &mm, &dd);
			T_EQ_I64(dd, 1);
			T_ASSERT(m <= x && x < tm_month_start(yy, mm + 1));
		}
	}
}

void suite_tm(void); /* t.h's SUITE() has no prototype of its own */

SUITE(tm)
{
	RUN(parse_forms);
	RUN(parse_errors);
	RUN(to_utc);
	RUN(days_civil);
	RUN(format);
	RUN(floors);
}
