/* fuzz_tm.c: the time parser (core/tm.c) and zone conversion (data/tz.c).
 *
 * Input: "TIME" or "TIME\nZONE" (seeds: every time field of the realdata
 * files, and tests/fuzz/seeds/tm/). TIME goes through tm_parse_civil; ZONE,
 * when given, through tz_open, and a zone that opens converts TIME too.
 * Invariants checked:
 *  - a parsed time has every field in range and tm_parse_utc agrees with
 *    tm_parse_civil + tm_civil_to_utc;
 *  - parsed value -> tm_format -> parse gives the same second, and formats
 *    the same again (ISO form too); with no zone and no leap second the
 *    formatted text is the parsed fields themselves;
 *  - days <-> civil round trip; floors of the hour/day/week/month are at or
 *    before the time, within their period, on the right boundary;
 *  - tz_to_utc: a zone in the text wins (same as UTC); UTC, a fixed offset
 *    and America/New_York give t minus an offset of at most 18 hours;
 *    New York in 2008..2037 gives what the US DST rules written out here
 *    give (gap and overlap included), first computed and then cached;
 *  - the first 8 input bytes, read as any int64 second, format to a text
 *    that parses back to it whenever the year is 0000..9999. */
#include <string.h>

#include "fuzz.h"
#include "../../core/tm.h"
#include "../../data/tz.h"

#define DAY 86400LL

static tz_zone *z_utc, *z_fixed, *z_ny;

static void open_zones(void)
{
	char why[200];
	if (z_utc)
		return;
	z_utc = tz_open("UTC", why, sizeof why);
	z_fixed = tz_open("+03:00", why, sizeof why);
	z_ny = tz_open("America/New_York", why, sizeof why); /* NULL without tzdata */
	FUZZ_CHECK(z_utc && z_fixed);
}

static void check_floors(int64_t t)
{
	int64_t h = tm_floor_hour(t), d = tm_floor_day(t), w = tm_floor_week(t), m = tm_floor_month(t);
	int y, mo, dd;
	FUZZ_CHECK(h <= t && t - h < 3600 && h % 3600 == 0);
	FUZZ_CHECK(d <= h && t - d < DAY && d % DAY == 0);
	FUZZ_CHECK(w <= d && t - w < 7 * DAY && tm_weekday(w) == 0);
	FUZZ_CHECK(m <= d && t - m < 31 * DAY);
	tm_civil_from_days(m / DAY, &y, &mo, &dd);
	FUZZ_CHECK(dd == 1 && tm_month_start(y, mo) == m);
}

/* t formats (when its year has four digits) to a text that parses to t. */
static void check_format(int64_t t)
{
	char a[32], b[32], iso[32];
	int64_t back;
	int n = tm_format(t, a, sizeof a);
	if (n < 0) {
		FUZZ_CHECK(a[0] == '\0' && tm_format_iso(t, iso, sizeof iso) < 0);
		return;
	}
	FUZZ_CHECK(n == 19 && strlen(a) == 19);
	FUZZ_CHECK(tm_parse_utc(a, (size_t)n, &back) == TM_OK && back == t);
	FUZZ_CHECK(tm_format(back, b, sizeof b) == n && !strcmp(a, b));
	FUZZ_CHECK(tm_format_iso(t, iso, sizeof iso) == 20);
	FUZZ_CHECK(tm_parse_utc(iso, 20, &back) == TM_OK && back == t);
	FUZZ_CHECK(tm_format(t, b, 19) == -1 && b[0] == '\0'); /* one byte short */
}

static void check_zone(tz_zone *z, const tm_civil *c, int64_t t)
{
	int64_t u;
	if (!z)
		return;
	u = tz_to_utc(z, c);
	if (c->has_zone)
		FUZZ_CHECK(u == t);
	else
		FUZZ_CHECK(u - t <= 18 * 3600 && t - u <= 18 * 3600);
}

/* UTC second of local 02:00 on the n-th Sunday (n >= 1) of month m of year
 * y in New York, whose UTC offset before that moment was off_h hours. */
static int64_t ny_switch(int y, int m, int n, int off_h)
{
	int64_t first = tm_days_from_civil(y, m, 1);
	int wd = tm_weekday(first * DAY); /* 0 = Monday */
	int64_t sunday = first + (6 - wd) + 7 * (n - 1);
	return sunday * DAY + 2 * 3600 + off_h * 3600;
}

/* The US rules since 2007 (EDT -4 from the second Sunday of March, EST -5
 * from the first Sunday of November, 02:00 local), written out here as a
 * reference for tz.c's libc lookups and per-hour cache. Overlap: the
 * earlier (daylight) instant; gap: shifted forward, as tz.h says. */
static void check_ny(const tm_civil *c, int64_t local)
{
	if (!z_ny || c->has_zone || c->year < 2008 || c->year > 2037)
		return;
	int64_t on = ny_switch(c->year, 3, 2, 5), off = ny_switch(c->year, 11, 1, 4);
	int64_t u_dst = local + 4 * 3600, u_std = local + 5 * 3600, want;
	/* u_dst in daylight time: right, and in an overlap the earlier one;
	 * otherwise standard time is right, or (a gap) the shift forward */
	want = u_dst >= on && u_dst < off ? u_dst : u_std;
	FUZZ_CHECK(tz_to_utc(z_ny, c) == want);
	FUZZ_CHECK(tz_to_utc(z_ny, c) == want); /* again, from the cache */
}

static void check_time(const char *s, size_t len, tz_zone *extra)
{
	tm_civil c;
	int64_t t, t2;
	int st = tm_parse_civil(s, len, &c);
	FUZZ_CHECK(st == TM_OK || st == TM_ESYNTAX || st == TM_ERANGE);
	FUZZ_CHECK(tm_strerror(st) != NULL);
	FUZZ_CHECK(tm_parse_utc(s, len, &t2) == st);
	if (st != TM_OK)
		return;
	FUZZ_CHECK(c.month >= 1 && c.month <= 12 && c.day >= 1 && c.day <= 31);
	FUZZ_CHECK(c.hour >= 0 && c.hour <= 23 && c.min >= 0 && c.min <= 59 && c.sec >= 0 && c.sec <= 60);
	FUZZ_CHECK(c.frac_ms >= 0 && c.frac_ms <= 999);
	FUZZ_CHECK(c.year >= 0 && c.year <= 9999);
	FUZZ_CHECK(!c.has_zone || (c.zone_offset_s > -24 * 3600 && c.zone_offset_s < 24 * 3600));
	FUZZ_CHECK(c.has_time || (c.hour == 0 && c.min == 0 && c.sec == 0));
	t = tm_civil_to_utc(&c);
	FUZZ_CHECK(t == t2);

	int64_t days = tm_days_from_civil(c.year, c.month, c.day);
	int y, m, d;
	tm_civil_from_days(days, &y, &m, &d);
	FUZZ_CHECK(y == c.year && m == c.month && d == c.day);

	check_format(t);
	if (!c.has_zone && c.sec < 60) {
		char want[32], got[32];
		snprintf(want, sizeof want, "%04d-%02d-%02d %02d:%02d:%02d", c.year, c.month, c.day, c.hour,
		         c.min, c.sec);
		FUZZ_CHECK(tm_format(t, got, sizeof got) == 19 && !strcmp(want, got));
	}
	check_floors(t);
	check_zone(z_utc, &c, t);
	FUZZ_CHECK(c.has_zone || tz_to_utc(z_utc, &c) == t);
	check_zone(z_fixed, &c, t);
	FUZZ_CHECK(c.has_zone || tz_to_utc(z_fixed, &c) == t - 3 * 3600);
	check_zone(z_ny, &c, t);
	check_ny(&c, t);
	check_zone(extra, &c, t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	const char *nl = memchr(s, '\n', size);
	size_t tlen = nl ? (size_t)(nl - s) : size;
	tz_zone *extra = NULL;
	open_zones();
	if (nl) {
		/* tz_open takes a C string: the zone text up to its first NUL */
		char name[256], why[200];
		size_t zl = size - tlen - 1;
		if (zl >= sizeof name)
			zl = sizeof name - 1;
		memcpy(name, nl + 1, zl);
		name[zl] = '\0';
		extra = tz_open(name, why, sizeof why);
		FUZZ_CHECK(extra || why[0]);
		FUZZ_CHECK(!extra || tz_name(extra)[0]);
	}
	check_time(s, tlen, extra);
	tz_close(extra);
	if (size >= 8) {
		int64_t t;
		memcpy(&t, data, 8);
		check_format(t);
		/* floors are exact while the year fits an int (tm.h clamps it) */
		if (t > -((int64_t)1 << 55) && t < ((int64_t)1 << 55))
			check_floors(t);
	}
	return 0;
}
