/* datefmt.c: ordered dates, --date-format, and the order guesser (see
 * datefmt.h for the rules). Every reader works on (pointer, length) and
 * never reads past the length; nothing allocates. */
#include "datefmt.h"

#include <stdio.h>
#include <string.h>
#include "datechar.h"

typedef struct {
	const char *p, *end, *start;
} cur;

static int peek(const cur *c)
{
	return c->p < c->end ? (unsigned char)*c->p : -1;
}

/* min..max digits into *v; the count read, 0 (cursor unmoved) when fewer
 * than min. */
static int num(cur *c, int min, int max, int *v)
{
	const char *s = c->p;
	int k = 0, x = 0;
	while (k < max && is_digit(peek(c))) {
		x = x * 10 + (*c->p++ - '0');
		k++;
	}
	if (k < min) {
		c->p = s;
		return 0;
	}
	*v = x;
	return k;
}

static void skip_blanks(cur *c)
{
	while (c->p < c->end && is_blank(*c->p))
		c->p++;
}

/* Case-insensitive word at the cursor; advances when it matches. */
static int word(cur *c, const char *w)
{
	size_t n = strlen(w), i;
	if ((size_t)(c->end - c->p) < n)
		return 0;
	for (i = 0; i < n; i++)
		if (lower((unsigned char)c->p[i]) != w[i])
			return 0;
	c->p += n;
	return 1;
}

static int leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int mdays(int y, int m)
{
	static const int dm[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return m == 2 && leap(y) ? 29 : dm[m - 1];
}

static int year2(int y)
{
	return y < 70 ? 2000 + y : 1900 + y;
}

const char *df_kind_name(df_kind k)
{
	switch (k) {
	case DF_AUTO: return "year-first (ISO)";
	case DF_YMD: return "year-first (YMD)";
	case DF_DMY: return "day-first (DMY)";
	case DF_MDY: return "month-first (MDY)";
	case DF_FORMAT: return "--date-format";
	}
	return "?";
}

/* ---- pieces shared by the ordered parser and the format matcher ------- */

/* Fraction after '.' (cursor on the digits): milliseconds, truncated. */
static int frac(cur *c, int *ms)
{
	int k = 0, v = 0;
	while (is_digit(peek(c))) {
		if (k < 3)
			v = v * 10 + (*c->p - '0');
		c->p++;
		k++;
	}
	if (!k || k > 9)
		return 0;
	while (k < 3)
		v *= 10, k++;
	*ms = v;
	return 1;
}

/* AM/PM at the cursor: 1 AM, 2 PM, 0 none. a.m. / p.m. too. */
static int ampm(cur *c)
{
	if (word(c, "am") || word(c, "a.m."))
		return 1;
	if (word(c, "pm") || word(c, "p.m."))
		return 2;
	return 0;
}

/* Zone: Z | UTC | GMT | [+-]hh[[:]mm]. TM_OK, TM_ESYNTAX or TM_ERANGE. */
static int zone(cur *c, tm_civil *v)
{
	int sign, hh, mm = 0;
	if (word(c, "utc") || word(c, "gmt") || word(c, "z")) {
		v->has_zone = 1;
		v->zone_offset_s = 0;
		return TM_OK;
	}
	if (peek(c) == '+')
		sign = 1;
	else if (peek(c) == '-')
		sign = -1;
	else
		return TM_ESYNTAX;
	c->p++;
	if (!num(c, 2, 2, &hh))
		return TM_ESYNTAX;
	if (peek(c) == ':') {
		c->p++;
		if (!num(c, 2, 2, &mm))
			return TM_ESYNTAX;
	} else if (is_digit(peek(c)) && !num(c, 2, 2, &mm)) {
		return TM_ESYNTAX;
	}
	if (hh > 23 || mm > 59)
		return TM_ERANGE;
	v->has_zone = 1;
	v->zone_offset_s = sign * (hh * 3600 + mm * 60);
	return TM_OK;
}

/* 12-hour clock -> 24: 12 AM = 0, 12 PM = 12. -1 when hour is not 1..12. */
static int to24(int h, int pm)
{
	if (h < 1 || h > 12)
		return -1;
	if (pm == 1)
		return h == 12 ? 0 : h;
	return h == 12 ? 12 : h + 12;
}

static int check_range(const tm_civil *v)
{
	if (v->month < 1 || v->month > 12 || v->day < 1 || v->day > mdays(v->year, v->month) || v->hour > 23 ||
	    v->min > 59 || v->sec > 60 || v->year < 0 || v->year > 9999)
		return TM_ERANGE;
	return TM_OK;
}

/* ---- ordered dates ---------------------------------------------------- */

int df_parse_ordered(const char *s, size_t len, df_kind order, tm_civil *out)
{
	cur c;
	tm_civil v;
	int a = 0, b = 0, y = 0, ny, sep, pm = 0, st;
	if (!s || (order != DF_YMD && order != DF_DMY && order != DF_MDY))
		return TM_ESYNTAX;
	memset(&v, 0, sizeof v);
	c.start = c.p = s;
	c.end = s + len;
	skip_blanks(&c);
	while (c.end > c.p && is_blank(c.end[-1]))
		c.end--;
	if (order == DF_YMD) {
		if (num(&c, 4, 4, &y) == 0)
			return TM_ESYNTAX;
	} else if (num(&c, 1, 2, &a) == 0) {
		return TM_ESYNTAX;
	}
	sep = peek(&c);
	if (sep != '/' && sep != '-' && sep != '.' && sep != ' ')
		return TM_ESYNTAX;
	c.p++;
	if (order == DF_YMD) {
		if (!num(&c, 1, 2, &a) || peek(&c) != sep)
			return TM_ESYNTAX;
		c.p++;
		if (!num(&c, 1, 2, &b))
			return TM_ESYNTAX;
		v.year = y, v.month = a, v.day = b;
	} else {
		if (num(&c, 1, 2, &b) == 0 || peek(&c) != sep)
			return TM_ESYNTAX;
		c.p++;
		ny = num(&c, 2, 4, &y);
		if (ny != 2 && ny != 4)
			return TM_ESYNTAX;
		v.year = ny == 2 ? year2(y) : y;
		v.day = order == DF_DMY ? a : b;
		v.month = order == DF_DMY ? b : a;
	}
	if (c.p < c.end) {
		int blank = is_blank(peek(&c));
		if (peek(&c) == 'T' || peek(&c) == 't')
			c.p++;
		else if (peek(&c) == ',')
			c.p++, skip_blanks(&c);
		else if (blank)
			skip_blanks(&c);
		else
			return TM_ESYNTAX;
		v.has_time = 1;
		if (!num(&c, 1, 2, &v.hour) || peek(&c) != ':')
			return TM_ESYNTAX;
		c.p++;
		if (!num(&c, 2, 2, &v.min))
			return TM_ESYNTAX;
		if (peek(&c) == ':') {
			c.p++;
			if (!num(&c, 2, 2, &v.sec))
				return TM_ESYNTAX;
			if (peek(&c) == '.' || peek(&c) == ',') {
				c.p++;
				if (!frac(&c, &v.frac_ms))
					return TM_ESYNTAX;
			}
		}
		skip_blanks(&c);
		if ((pm = ampm(&c)) != 0)
			skip_blanks(&c);
		if (c.p < c.end) {
			if ((st = zone(&c, &v)) != TM_OK)
				return st;
			if (c.p != c.end)
				return TM_ESYNTAX;
		}
	}
	if (c.p != c.end)
		return TM_ESYNTAX;
	if (pm && (v.hour = to24(v.hour, pm)) < 0)
		return TM_ERANGE;
	if (check_range(&v) != TM_OK)
		return TM_ERANGE;
	if (out)
		*out = v;
	return TM_OK;
}

static void civil_utc(int64_t t, int ms, tm_civil *out)
{
	int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400), sod = t - days * 86400;
	memset(out, 0, sizeof *out);
	tm_civil_from_days(days, &out->year, &out->month, &out->day);
	out->hour = (int)(sod / 3600);
	out->min = (int)(sod / 60 % 60);
	out->sec = (int)(sod % 60);
	out->frac_ms = ms;
	out->has_time = 1;
	out->has_zone = 1;
}

int df_parse_epoch(const char *s, size_t len, tm_civil *out)
{
	size_t i = 0, nd;
	int64_t v = 0;
	int ms = 0;
	while (len && is_blank((unsigned char)*s))
		s++, len--;
	while (len && is_blank((unsigned char)s[len - 1]))
		len--;
	while (i < len && is_digit((unsigned char)s[i])) {
		if (i < 14) /* longer runs are no epoch: count them, never overflow */
			v = v * 10 + (s[i] - '0');
		i++;
	}
	nd = i;
	if (nd == 12 || nd == 13) {
		if (i != len)
			return 0;
		ms = (int)(v % 1000);
		v /= 1000;
	} else if (nd == 9 || nd == 10) {
		if (i < len) {
			cur c = { s + i + 1, s + len, s };
			if (s[i] != '.' || !frac(&c, &ms) || c.p != c.end)
				return 0;
		}
	} else {
		return 0;
	}
	if (out)
		civil_utc(v, ms, out);
	return 1;
}

/* ---- --date-format ---------------------------------------------------- */

static const char *const months[12] = { "january", "february", "march", "april", "may", "june", "july",
	                                    "august", "september", "october", "november", "december" };

int df_format_compile(const char *fmt, df_format *out, char *why, size_t n)
{
	const char *p;
	int has_y = 0, has_s = 0, has_i = 0, has_p = 0;
	memset(out, 0, sizeof *out);
	if (!fmt || !*fmt) {
		snprintf(why, n, "--date-format is empty");
		return -1;
	}
	snprintf(out->text, sizeof out->text, "%s", fmt);
	for (p = fmt; *p; p++) {
		char k = 0, ch = *p;
		if (out->n > DF_FMT_MAX - 5) { /* room for %T or %F: 5 items */
			snprintf(why, n, "--date-format \"%s\" is too long", out->text);
			return -1;
		}
		if (*p == '%') {
			if (!p[1]) {
				snprintf(why, n, "--date-format \"%s\": a lone %% at the end", out->text);
				return -1;
			}
			ch = *++p;
			if (ch == '%') {
				k = 0;
			} else if (strchr("YymdeHIMSpbzTFs", ch)) {
				k = ch;
			} else {
				snprintf(why, n, "--date-format \"%s\": %%%c at character %d is not supported (%%Y %%y %%m %%d "
				         "%%e %%H %%I %%M %%S %%p %%b %%z %%T %%F %%s %%%%)", out->text, ch, (int)(p - fmt));
				return -1;
			}
		}
		short at = (short)(p - fmt - (k ? 1 : 0));
		if (k == 'T' || k == 'F') { /* expand */
			const char *e = k == 'T' ? "H:M:S" : "Y-m-d";
			for (; *e; e++) {
				out->it[out->n].kind = *e == ':' || *e == '-' ? 0 : *e;
				out->it[out->n].ch = *e;
				out->it[out->n].at = at;
				out->n++;
			}
			if (k == 'F')
				has_y = 1;
			continue;
		}
		has_y |= k == 'Y' || k == 'y';
		has_s |= k == 's';
		has_i |= k == 'I';
		has_p |= k == 'p';
		out->it[out->n].kind = k;
		out->it[out->n].ch = ch;
		out->it[out->n].at = at;
		out->n++;
	}
	if (!has_y && !has_s) {
		snprintf(why, n, "--date-format \"%s\" has no year (%%Y, %%y, %%F) and no %%s", out->text);
		return -1;
	}
	if (has_i != has_p) {
		snprintf(why, n, "--date-format \"%s\": %%I (12-hour clock) and %%p (AM/PM) go together", out->text);
		return -1;
	}
	return 0;
}

static void stop_at(char *why, size_t n, const cur *c, const char *what)
{
	size_t left = (size_t)(c->end - c->p);
	snprintf(why, n, "at character %d (\"%.*s\"): expected %s", (int)(c->p - c->start) + 1,
	         (int)(left > 20 ? 20 : left), c->p, what);
}

int df_format_match(const df_format *f, const char *s, size_t len, tm_civil *out, char *why, size_t n)
{
	cur c;
	tm_civil v;
	int i, pm = 0, st, y, have_epoch = 0;
	int64_t epoch = 0;
	memset(&v, 0, sizeof v);
	v.month = v.day = 1;
	c.start = c.p = s;
	c.end = s + len;
	skip_blanks(&c);
	while (c.end > c.p && is_blank(c.end[-1]))
		c.end--;
	c.start = c.p;
	for (i = 0; i < f->n; i++) {
		char k = f->it[i].kind;
		const char *at = c.p;
#define FAIL(what) do { c.p = at; stop_at(why, n, &c, what); return TM_ESYNTAX; } while (0)
		switch (k) {
		case 0:
			if (f->it[i].ch == ' ') {
				if (!is_blank(peek(&c)))
					FAIL("a blank");
				skip_blanks(&c);
			} else if (peek(&c) != (unsigned char)f->it[i].ch) {
				char w[24];
				snprintf(w, sizeof w, "'%c'", f->it[i].ch);
				FAIL(w);
			} else {
				c.p++;
			}
			break;
		case 'Y':
			if (!num(&c, 4, 4, &v.year))
				FAIL("a 4-digit year (%Y)");
			break;
		case 'y':
			if (!num(&c, 2, 2, &y))
				FAIL("a 2-digit year (%y)");
			v.year = year2(y);
			break;
		case 'm':
			if (!num(&c, 1, 2, &v.month) || v.month < 1 || v.month > 12)
				FAIL("the month (%m, 1-12)");
			break;
		case 'e':
			if (peek(&c) == ' ')
				c.p++;
			/* fall through */
		case 'd':
			if (!num(&c, 1, 2, &v.day) || v.day < 1)
				FAIL("the day (%d, 1-31)");
			break;
		case 'H':
			if (!num(&c, 1, 2, &v.hour) || v.hour > 23)
				FAIL("the hour (%H, 0-23)");
			v.has_time = 1;
			break;
		case 'I':
			if (!num(&c, 1, 2, &v.hour) || v.hour < 1 || v.hour > 12)
				FAIL("the hour (%I, 1-12)");
			v.has_time = 1;
			break;
		case 'M':
			if (!num(&c, 2, 2, &v.min) || v.min > 59)
				FAIL("the minutes (%M, 00-59)");
			break;
		case 'S':
			if (!num(&c, 2, 2, &v.sec) || v.sec > 60)
				FAIL("the seconds (%S, 00-60)");
			if (peek(&c) == '.' && !(i + 1 < f->n && f->it[i + 1].kind == 0 && f->it[i + 1].ch == '.')) {
				c.p++;
				if (!frac(&c, &v.frac_ms))
					FAIL("a fraction of a second");
			}
			break;
		case 'p':
			if (!(pm = ampm(&c)))
				FAIL("AM or PM (%p)");
			break;
		case 'b': {
			int m;
			for (m = 0; m < 12; m++) {
				char ab[4] = { months[m][0], months[m][1], months[m][2], 0 };
				if (word(&c, months[m]) || word(&c, ab))
					break;
			}
			if (m == 12)
				FAIL("an English month name (%b)");
			v.month = m + 1;
			break;
		}
		case 'z':
			if ((st = zone(&c, &v)) != TM_OK)
				FAIL("a zone (%z: Z, +hh:mm, +hhmm, +hh, UTC)");
			break;
		case 's': {
			int k2 = 0;
			epoch = 0;
			while (k2 < 12 && is_digit(peek(&c)))
				epoch = epoch * 10 + (*c.p++ - '0'), k2++;
			if (k2 < 1 || k2 > 11)
				FAIL("Unix seconds (%s)");
			have_epoch = 1;
			break;
		}
		default:
			FAIL("nothing (bad format)");
		}
#undef FAIL
	}
	if (c.p != c.end) {
		stop_at(why, n, &c, "the end of the time");
		return TM_ESYNTAX;
	}
	if (have_epoch) {
		civil_utc(epoch, v.frac_ms, &v);
	} else {
		if (pm)
			v.hour = to24(v.hour, pm);
		if (check_range(&v) != TM_OK) {
			snprintf(why, n, "out of range (%04d-%02d-%02d %02d:%02d:%02d does not exist)", v.year, v.month,
			         v.day, v.hour, v.min, v.sec);
			return TM_ERANGE;
		}
	}
	if (out)
		*out = v;
	return TM_OK;
}

/* ---- per-field reading ------------------------------------------------ */

int df_read(const df_spec *sp, const char *s, size_t len, int allow_epoch, tm_civil *out, char *why,
            size_t n)
{
	int st;
	df_kind k = sp ? sp->kind : DF_AUTO;
	if (k == DF_FORMAT)
		return df_format_match(&sp->fmt, s, len, out, why, n);
	if (allow_epoch && df_parse_epoch(s, len, out))
		return TM_OK;
	if ((st = tm_parse_civil(s, len, out)) == TM_OK)
		return TM_OK;
	if (st == TM_ERANGE) {
		snprintf(why, n, "out of range");
		return st;
	}
	if (k == DF_AUTO) {
		snprintf(why, n, "not a year-first date (YYYY-MM-DD[ HH:MM[:SS]]); for another order give "
		         "--date-format");
		return st;
	}
	if ((st = df_parse_ordered(s, len, k, out)) == TM_OK)
		return TM_OK;
	snprintf(why, n, st == TM_ERANGE ? "out of range read %s, as the file's dates are"
	                                 : "not %s, as the file's dates are", df_kind_name(k));
	return st;
}
