/* tm.c: UTC time arithmetic and timestamp parsing (see tm.h).
 *
 * No libc time functions are used (no TZ state, no locale): dates go through
 * the days-from-civil / civil-from-days algorithms described by Howard
 * Hinnant ("chrono-compatible low-level date algorithms"), which count in
 * 400-year eras so they are exact for every proleptic Gregorian date.
 * Division helpers floor toward minus infinity, so times before 1970 floor
 * to the right hour, day, week and month. Nothing here allocates. */
#include <stdio.h>
#include <time.h>

#include "tm.h"

#define DAY 86400LL

/* Floor division and its non-negative remainder (b > 0). */
static int64_t fdiv(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b < 0) ? q - 1 : q;
}

static int64_t fmod_pos(int64_t a, int64_t b)
{
	int64_t r = a % b;
	return r < 0 ? r + b : r;
}

/* t - r for 0 <= r, saturating at INT64_MIN instead of overflowing. */
static int64_t sub_sat(int64_t t, int64_t r)
{
	return t < INT64_MIN + r ? INT64_MIN : t - r;
}

static int is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int64_t y, int m)
{
	static const int dm[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return m == 2 && is_leap(y) ? 29 : dm[m - 1];
}

int64_t tm_days_from_civil(int y, int m, int d)
{
	int64_t yy = (int64_t)y - (m <= 2);
	int64_t era = fdiv(yy, 400);
	int64_t yoe = yy - era * 400;                                /* [0, 399] */
	int64_t mp = (m + 9) % 12;                                   /* March = 0 */
	int64_t doy = (153 * mp + 2) / 5 + (int64_t)d - 1;           /* [0, 365] */
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;         /* [0, 146096] */
	return era * 146097 + doe - 719468;
}

/* The inverse with a 64-bit year, valid for |z| up to 2^52 days (more than
 * any int64 count of seconds can reach); z is clamped to that range. */
static void civil64(int64_t z, int64_t *y, int *m, int *d)
{
	const int64_t lim = (int64_t)1 << 52;
	int64_t era, doe, yoe, doy, mp;

	if (z > lim)
		z = lim;
	if (z < -lim)
		z = -lim;
	z += 719468;
	era = fdiv(z, 146097);
	doe = z - era * 146097;                                      /* [0, 146096] */
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* [0, 399] */
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);               /* [0, 365] */
	mp = (5 * doy + 2) / 153;                                    /* [0, 11] */
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

void tm_civil_from_days(int64_t z, int *y, int *m, int *d)
{
	int64_t yy;
	int mm, dd;

	civil64(z, &yy, &mm, &dd);
	if (yy > INT32_MAX)
		yy = INT32_MAX;
	if (yy < INT32_MIN)
		yy = INT32_MIN;
	if (y)
		*y = (int)yy;
	if (m)
		*m = mm;
	if (d)
		*d = dd;
}

int64_t tm_civil_to_utc(const tm_civil *c)
{
	int64_t t;

	if (!c)
		return TM_NONE;
	t = tm_days_from_civil(c->year, c->month, c->day) * DAY;
	t += (int64_t)c->hour * 3600 + (int64_t)c->min * 60 + c->sec;
	if (c->has_zone)
		t -= c->zone_offset_s;
	return t;
}

/* ---- parsing ---------------------------------------------------------- */

typedef struct {
	const char *p, *end;
} cur;

static int peek(const cur *c)
{
	return c->p < c->end ? (unsigned char)*c->p : -1;
}

static int accept(cur *c, char ch)
{
	if (peek(c) == (unsigned char)ch) {
		c->p++;
		return 1;
	}
	return 0;
}

/* Reads min..max decimal digits; returns the count read (0 on failure, with
 * the cursor unmoved when fewer than min digits were there). */
static int digits(cur *c, int min, int max, int *val)
{
	const char *start = c->p;
	int v = 0, k = 0;

	while (k < max && c->p < c->end && *c->p >= '0' && *c->p <= '9') {
		v = v * 10 + (*c->p - '0');
		c->p++;
		k++;
	}
	if (k < min) {
		c->p = start;
		return 0;
	}
	*val = v;
	return k;
}

static int is_blank(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

/* Zone: Z | z | [+-]hh | [+-]hhmm | [+-]hh:mm, optionally after one blank. */
static int parse_zone(cur *c, tm_civil *out)
{
	int sign, hh, mm = 0;

	if (accept(c, 'Z') || accept(c, 'z')) {
		out->has_zone = 1;
		out->zone_offset_s = 0;
		return TM_OK;
	}
	if (accept(c, '+'))
		sign = 1;
	else if (accept(c, '-'))
		sign = -1;
	else
		return TM_ESYNTAX;
	if (!digits(c, 2, 2, &hh))
		return TM_ESYNTAX;
	if (accept(c, ':')) {
		if (!digits(c, 2, 2, &mm))
			return TM_ESYNTAX;
	} else if (peek(c) >= '0' && peek(c) <= '9') {
		if (!digits(c, 2, 2, &mm))
			return TM_ESYNTAX;
	}
	if (hh > 23 || mm > 59)
		return TM_ERANGE;
	out->has_zone = 1;
	out->zone_offset_s = sign * (hh * 3600 + mm * 60);
	return TM_OK;
}

/* Syntax is checked in full before ranges, so "2020-13-45x" is a syntax
 * error and "2020-13-45" a range error. */
int tm_parse_civil(const char *s, size_t len, tm_civil *out)
{
	cur c;
	tm_civil v = { 0 };
	int sep, ndig, st;

	if (!s)
		return TM_ESYNTAX;
	c.p = s;
	c.end = s + len;
	while (c.p < c.end && is_blank(*c.p))
		c.p++;
	while (c.end > c.p && is_blank(c.end[-1]))
		c.end--;

	if (!digits(&c, 4, 4, &v.year))
		return TM_ESYNTAX;
	if (peek(&c) == '-' || peek(&c) == '/')
		sep = *c.p++;
	else
		return TM_ESYNTAX;
	ndig = sep == '/' ? 1 : 2; /* '-' is ISO: two-digit month and day */
	if (!digits(&c, ndig, 2, &v.month) || !accept(&c, (char)sep) ||
	    !digits(&c, ndig, 2, &v.day))
		return TM_ESYNTAX;

	if (c.p < c.end) {
		if (!accept(&c, ' ') && !accept(&c, 'T') && !accept(&c, 't'))
			return TM_ESYNTAX;
		v.has_time = 1;
		if (!digits(&c, 1, 2, &v.hour) || !accept(&c, ':') || !digits(&c, 2, 2, &v.min))
			return TM_ESYNTAX;
		if (accept(&c, ':')) {
			if (!digits(&c, 2, 2, &v.sec))
				return TM_ESYNTAX;
			if (accept(&c, '.')) {
				int f, nf = digits(&c, 1, 9, &f);
				if (!nf)
					return TM_ESYNTAX;
				while (nf < 3) {
					f *= 10;
					nf++;
				}
				while (nf > 3) { /* keep milliseconds, truncating */
					f /= 10;
					nf--;
				}
				v.frac_ms = f;
			}
		}
		if (c.p < c.end) {
			accept(&c, ' ');
			st = parse_zone(&c, &v);
			if (st == TM_ESYNTAX || c.p != c.end)
				return TM_ESYNTAX;
			if (st != TM_OK)
				return st;
		}
	}
	if (c.p != c.end)
		return TM_ESYNTAX;

	if (v.month < 1 || v.month > 12 || v.day < 1 || v.day > days_in_month(v.year, v.month) ||
	    v.hour > 23 || v.min > 59 || v.sec > 60)
		return TM_ERANGE;
	if (out)
		*out = v;
	return TM_OK;
}

int tm_parse_utc(const char *s, size_t len, int64_t *out)
{
	tm_civil c;
	int st = tm_parse_civil(s, len, &c);

	if (st != TM_OK)
		return st;
	if (out)
		*out = tm_civil_to_utc(&c);
	return TM_OK;
}

/* ---- formatting ------------------------------------------------------- */

/* Both formats need a four-digit year: a time outside years 0000..9999
 * (TM_NONE included) gives -1 and an empty buf, as does a short buffer. */
static int format(int64_t t, char *buf, size_t n, const char *fmt)
{
	int64_t days = fdiv(t, DAY), sod = fmod_pos(t, DAY), y;
	int m, d, len;

	civil64(days, &y, &m, &d);
	if (!buf || n == 0)
		return -1;
	if (y < 0 || y > 9999) {
		buf[0] = '\0';
		return -1;
	}
	len = snprintf(buf, n, fmt, (int)y, m, d, (int)(sod / 3600), (int)(sod / 60 % 60),
	               (int)(sod % 60));
	if (len < 0 || (size_t)len >= n) {
		buf[0] = '\0';
		return -1;
	}
	return len;
}

int tm_format(int64_t t, char *buf, size_t n)
{
	return format(t, buf, n, "%04d-%02d-%02d %02d:%02d:%02d");
}

int tm_format_iso(int64_t t, char *buf, size_t n)
{
	return format(t, buf, n, "%04d-%02d-%02dT%02d:%02d:%02dZ");
}

/* ---- floors ------------------------------------------------------------ */

int64_t tm_floor_hour(int64_t t)
{
	return sub_sat(t, fmod_pos(t, 3600));
}

int64_t tm_floor_day(int64_t t)
{
	return sub_sat(t, fmod_pos(t, DAY));
}

/* 1970-01-01 was a Thursday: weekday 3 counting Monday as 0. */
int tm_weekday(int64_t t)
{
	return (int)fmod_pos(fdiv(t, DAY) + 3, 7);
}

int64_t tm_floor_week(int64_t t)
{
	return sub_sat(tm_floor_day(t), (int64_t)tm_weekday(t) * DAY);
}

int64_t tm_floor_month(int64_t t)
{
	int64_t y;
	int m, d;

	civil64(fdiv(t, DAY), &y, &m, &d);
	return sub_sat(tm_floor_day(t), (int64_t)(d - 1) * DAY);
}

/* m outside 1..12 is carried into the year (m = 13 is January of y + 1), so
 * "the next month" is tm_month_start(y, m + 1). */
int64_t tm_month_start(int y, int m)
{
	int64_t yy = (int64_t)y + fdiv((int64_t)m - 1, 12);
	int mm = (int)fmod_pos((int64_t)m - 1, 12) + 1;

	if (yy > INT32_MAX)
		yy = INT32_MAX;
	if (yy < INT32_MIN)
		yy = INT32_MIN;
	return tm_days_from_civil((int)yy, mm, 1) * DAY;
}

const char *tm_strerror(int status)
{
	switch (status) {
	case TM_OK: return "ok";
	case TM_ESYNTAX: return "not a timestamp (YYYY-MM-DD[ HH:MM[:SS[.fff]]][zone])";
	case TM_ERANGE: return "timestamp field out of range";
	default: return "unknown time error";
	}
}

double tm_mono_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int64_t tm_mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
