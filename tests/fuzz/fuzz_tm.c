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
 *    that parses back to it whenever the year is 0000..9999.
 * Dates in other orders and --date-format (core/datefmt.c):
 *  - TIME (copied to a buffer of exactly its length, so ASan sees any read
 *    past it) through df_parse_ordered in every order, df_parse_epoch,
 *    df_read under each reading, df_uniqueid_epoch: never a crash, parsed
 *    fields in range, an order's reading equal to tm_parse_civil's when
 *    both read it year-first;
 *  - TIME compiled as a --date-format and, when it compiles, matched against
 *    TIME and a few real texts: no crash, results in range;
 *  - the guesser fed TIME (and its halves) decides or refuses with a reason;
 *  - round trips: a second between 1970 and 2069 from the input, written by
 *    the format writer below under one of the formats real files use (the
 *    input picks it, the zone offset and the padding), parses back with
 *    df_format_match to the same second (to the minute for formats without
 *    seconds), and the plain D/M/Y, M/D/Y, Y.M.D forms through
 *    df_parse_ordered likewise. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "../../core/dateguess.h"
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

static void check_civil(const tm_civil *c)
{
	FUZZ_CHECK(c->month >= 1 && c->month <= 12 && c->day >= 1 && c->day <= 31);
	FUZZ_CHECK(c->hour >= 0 && c->hour <= 23 && c->min >= 0 && c->min <= 59 && c->sec >= 0 && c->sec <= 60);
	FUZZ_CHECK(c->frac_ms >= 0 && c->frac_ms <= 999);
	FUZZ_CHECK(!c->has_zone || (c->zone_offset_s > -24 * 3600 && c->zone_offset_s < 24 * 3600));
}

static const char *const real_texts[] = { "1/9/2017 16:33:01", "04/09/17 12:39", "2017-09-04 12:39:26",
	                                      "9/1/2017 4:33:01 PM", "1504525166", "04-Sep-2017 12:39:26+01:00" };

static void check_dates(const char *s0, size_t len)
{
	char *s = malloc(len ? len : 1), fmtext[80], why[200];
	tm_civil c, iso;
	df_spec sp;
	df_guess g;
	int64_t e;
	if (!s)
		return;
	memcpy(s, s0, len);
	int iso_ok = tm_parse_civil(s, len, &iso) == TM_OK;
	for (int k = DF_YMD; k <= DF_MDY; k++) {
		int st = df_parse_ordered(s, len, (df_kind)k, &c);
		FUZZ_CHECK(st == TM_OK || st == TM_ESYNTAX || st == TM_ERANGE);
		if (st == TM_OK) {
			check_civil(&c);
			FUZZ_CHECK(c.year >= 0 && c.year <= 9999);
		}
		if (st == TM_OK && k == DF_YMD && iso_ok)
			FUZZ_CHECK(tm_civil_to_utc(&c) == tm_civil_to_utc(&iso));
	}
	if (df_parse_epoch(s, len, &c)) {
		check_civil(&c);
		FUZZ_CHECK(c.has_zone && c.zone_offset_s == 0);
	}
	memset(&sp, 0, sizeof sp);
	for (int k = DF_AUTO; k <= DF_MDY; k++) {
		sp.kind = (df_kind)k;
		if (df_read(&sp, s, len, 1, &c, why, sizeof why) == TM_OK)
			check_civil(&c);
		else
			FUZZ_CHECK(why[0]);
	}
	(void)df_uniqueid_epoch(s, len, &e);
	/* TIME as a --date-format */
	if (len < sizeof fmtext) {
		memcpy(fmtext, s, len);
		fmtext[len] = '\0';
		sp.kind = DF_FORMAT;
		if (df_format_compile(fmtext, &sp.fmt, why, sizeof why) == 0) {
			if (df_format_match(&sp.fmt, s, len, &c, why, sizeof why) == TM_OK)
				check_civil(&c);
			for (size_t i = 0; i < sizeof real_texts / sizeof real_texts[0]; i++)
				if (df_read(&sp, real_texts[i], strlen(real_texts[i]), 1, &c, why, sizeof why) == TM_OK)
					check_civil(&c);
		} else {
			FUZZ_CHECK(why[0]);
		}
	}
	/* the guesser: decides, or refuses with a reason */
	df_guess_init(&g, NULL);
	df_guess_feed(&g, s, len, 2, len > 3, 1504525166);
	df_guess_feed(&g, s, len / 2, 3, 0, 0);
	df_guess_feed(&g, s + len / 2, len - len / 2, 4, 0, 0);
	why[0] = '\0';
	{
		int d = df_guess_decide(&g, &sp, why, sizeof why);
		FUZZ_CHECK((d == 0 || d == -1) && why[0]);
		FUZZ_CHECK(d != 0 || sp.kind <= DF_MDY);
	}
	free(s);
}

/* ---- the format writer for the round trips ---------------------------- */

static const char *const round_formats[] = {
	"%Y-%m-%d %H:%M:%S", "%d/%m/%Y %H:%M:%S", "%m/%d/%y %I:%M:%S %p", "%d-%b-%Y %T", "%e %b %Y %H:%M",
	"%FT%T%z", "%s", "%Y%m%d%H%M%S", "%d.%m.%Y %H:%M", "%m/%d/%Y %I:%M %p", "%F %T %z", "%d/%m/%y %H:%M",
};
static const char *const mon[12] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
	                                 "Nov", "Dec" };

/* Write t (+ off_s for the wall clock) under f; pad: zero-pad numbers.
 * *has_sec gets 0 when f drops the seconds. */
static void write_fmt(const char *f, int64_t t, int off_s, int pad, char *out, size_t n, int *has_sec)
{
	int64_t w = t + off_s, days = w / 86400, sod = w % 86400;
	int y, m, d, H = (int)(sod / 3600), M = (int)(sod / 60 % 60), S = (int)(sod % 60);
	size_t k = 0;
	const char *p2 = pad ? "%02d" : "%d";
	tm_civil_from_days(days, &y, &m, &d);
	*has_sec = 0;
	for (; *f && k + 16 < n; f++) {
		if (*f != '%') {
			out[k++] = *f;
			continue;
		}
		switch (*++f) {
		case 'Y': k += (size_t)snprintf(out + k, n - k, "%04d", y); break;
		case 'y': k += (size_t)snprintf(out + k, n - k, "%02d", y % 100); break;
		case 'm': k += (size_t)snprintf(out + k, n - k, f[1] == '%' && f[2] == 'd' ? "%02d" : p2, m); break;
		case 'd': k += (size_t)snprintf(out + k, n - k, f[1] == '%' ? "%02d" : p2, d); break;
		case 'e': k += (size_t)snprintf(out + k, n - k, "%2d", d); break;
		case 'H': k += (size_t)snprintf(out + k, n - k, f[1] == '%' ? "%02d" : p2, H); break;
		case 'I': k += (size_t)snprintf(out + k, n - k, p2, H % 12 ? H % 12 : 12); break;
		case 'M': k += (size_t)snprintf(out + k, n - k, "%02d", M); break;
		case 'S': k += (size_t)snprintf(out + k, n - k, "%02d", S); *has_sec = 1; break;
		case 'p': k += (size_t)snprintf(out + k, n - k, "%s", H < 12 ? "AM" : "PM"); break;
		case 'b': k += (size_t)snprintf(out + k, n - k, "%s", mon[m - 1]); break;
		case 'T': k += (size_t)snprintf(out + k, n - k, "%02d:%02d:%02d", H, M, S); *has_sec = 1; break;
		case 'F': k += (size_t)snprintf(out + k, n - k, "%04d-%02d-%02d", y, m, d); break;
		case 's': k += (size_t)snprintf(out + k, n - k, "%lld", (long long)t); *has_sec = 2; break;
		case 'z': {
			int a = off_s < 0 ? -off_s : off_s;
			k += (size_t)snprintf(out + k, n - k, "%c%02d:%02d", off_s < 0 ? '-' : '+', a / 3600, a / 60 % 60);
			*has_sec |= 4;
			break;
		}
		}
	}
	out[k] = '\0';
}

static void check_round_trip(const uint8_t *data, size_t size)
{
	uint64_t r = 0;
	char text[96], why[200];
	df_format F;
	tm_civil c;
	int has_sec, pad, off;
	for (size_t i = 0; i < 8 && i < size; i++)
		r = r << 8 | data[i];
	int64_t t = (int64_t)(r % 3155760000ULL); /* 1970-01-01 .. 2069-12-31 */
	size_t fi = size > 8 ? data[8] % (sizeof round_formats / sizeof round_formats[0]) : 0;
	off = size > 9 ? (data[9] % 57 - 28) * 1800 : 0;
	pad = size > 10 ? data[10] & 1 : 1;
	const char *f = round_formats[fi];
	if (!strstr(f, "%z") && !strstr(f, "%s"))
		off = 0; /* a format without a zone writes UTC here */
	if (t + off < 0 || t + off >= 3155760000LL)
		off = 0;
	write_fmt(f, t, off, pad, text, sizeof text, &has_sec);
	FUZZ_CHECK(df_format_compile(f, &F, why, sizeof why) == 0);
	if (df_format_match(&F, text, strlen(text), &c, why, sizeof why) != TM_OK) {
		fprintf(stderr, "format %s text \"%s\": %s\n", f, text, why);
		FUZZ_CHECK(!"a written time parses back");
	}
	int64_t back = tm_civil_to_utc(&c), want = (has_sec & 3) ? t : t - (t + off) % 60;
	if (back != want)
		fprintf(stderr, "format %s text \"%s\": %lld, wanted %lld\n", f, text, (long long)back, (long long)want);
	FUZZ_CHECK(back == want);
	/* the plain orders */
	{
		int64_t days = t / 86400, sod = t % 86400;
		int y, m, d;
		static const df_kind ko[3] = { DF_DMY, DF_MDY, DF_YMD };
		df_kind k = ko[size > 11 ? data[11] % 3 : 0];
		tm_civil_from_days(days, &y, &m, &d);
		if (k == DF_DMY)
			snprintf(text, sizeof text, pad ? "%02d/%02d/%04d %02d:%02d:%02d" : "%d/%d/%d %d:%02d:%02d", d, m,
			         y, (int)(sod / 3600), (int)(sod / 60 % 60), (int)(sod % 60));
		else if (k == DF_MDY)
			snprintf(text, sizeof text, "%d-%d-%02d %d:%02d:%02d", m, d, y % 100, (int)(sod / 3600),
			         (int)(sod / 60 % 60), (int)(sod % 60));
		else
			snprintf(text, sizeof text, "%04d.%d.%d %d:%02d:%02d", y, m, d, (int)(sod / 3600),
			         (int)(sod / 60 % 60), (int)(sod % 60));
		FUZZ_CHECK(df_parse_ordered(text, strlen(text), k, &c) == TM_OK);
		FUZZ_CHECK(tm_civil_to_utc(&c) == t);
	}
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
	check_dates(s, tlen);
	check_round_trip(data, size);
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
