/* money.c: exact money arithmetic in nano-units (see money.h).
 *
 * Every quotient is computed on unsigned __int128 magnitudes, so no input
 * (not even INT128_MIN / -1) can overflow; the sign is applied at the end.
 * Nothing here allocates, and no binary floating-point type is used. */
#include <stdio.h>
#include <string.h>

#include "money.h"

typedef unsigned __int128 u128;

static const int64_t pow10_tab[MONEY_MAX_DECIMALS + 1] = {
	1LL, 10LL, 100LL, 1000LL, 10000LL, 100000LL, 1000000LL, 10000000LL,
	100000000LL, 1000000000LL
};

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Parsing runs in two passes: first the shape of the text is checked (so
 * "1.2345678901x" is a syntax error, not a precision error), then the value
 * is accumulated on a u128 that stops growing once it is out of range. */
int money_parse(const char *s, size_t len, money_t *out)
{
	size_t i = 0, end = len;
	int neg = 0, ndig = 0, nfrac = 0, seen_dot = 0;
	u128 mag = 0;
	const u128 limit = (u128)INT64_MAX + 1; /* |INT64_MIN| */

	if (!s)
		return MONEY_EEMPTY;
	while (i < end && is_blank(s[i]))
		i++;
	while (end > i && is_blank(s[end - 1]))
		end--;
	if (i < end && (s[i] == '+' || s[i] == '-')) {
		neg = s[i] == '-';
		i++;
	}
	for (size_t j = i; j < end; j++) {
		char c = s[j];
		if (c >= '0' && c <= '9') {
			ndig++;
			if (seen_dot)
				nfrac++;
		} else if (c == '.' && !seen_dot) {
			seen_dot = 1;
		} else {
			return MONEY_ESYNTAX;
		}
	}
	if (ndig == 0) /* only "", a sign and/or a lone '.' get here */
		return MONEY_EEMPTY;
	if (nfrac > MONEY_MAX_DECIMALS)
		return MONEY_EPRECISION;

	for (size_t j = i; j < end; j++) {
		if (s[j] == '.')
			continue;
		if (mag <= limit)
			mag = mag * 10 + (u128)(s[j] - '0');
	}
	for (int k = nfrac; k < MONEY_MAX_DECIMALS && mag <= limit; k++)
		mag *= 10;
	if (mag > limit || (!neg && mag == limit))
		return MONEY_ERANGE;
	if (out) {
		if (neg)
			*out = mag == limit ? INT64_MIN : -(int64_t)mag;
		else
			*out = (int64_t)mag;
	}
	return MONEY_OK;
}

const char *money_strerror(int status)
{
	switch (status) {
	case MONEY_OK: return "ok";
	case MONEY_EEMPTY: return "no digits in amount";
	case MONEY_ESYNTAX: return "amount is not [+-]digits[.digits]";
	case MONEY_EPRECISION: return "amount has more than 9 decimals";
	case MONEY_ERANGE: return "amount out of range";
	default: return "unknown money error";
	}
}

static u128 mag128(__int128 v)
{
	return v < 0 ? (u128)0 - (u128)v : (u128)v;
}

/* Rounding works on magnitudes: q = |num| / |den|, r = |num| % |den|. "Up"
 * then always means "away from zero", and the parity test of half-even is
 * the same for q and -q. The half comparison is r vs (|den| - r) so that
 * 2 * r can never overflow. */
int money_div_round(__int128 num, __int128 den, round_mode mode, int64_t *out)
{
	u128 an, ad, q, r;
	int neg;

	if (den == 0)
		return -1;
	neg = (num < 0) != (den < 0);
	an = mag128(num);
	ad = mag128(den);
	if ((an >> 64) == 0 && (ad >> 64) == 0) {
		/* the usual case (every per-call cost): one 64-bit division
		 * instead of a call into the 128-bit division routine */
		q = (uint64_t)an / (uint64_t)ad;
		r = (uint64_t)an % (uint64_t)ad;
	} else {
		q = an / ad;
		r = an % ad;
	}
	if (r != 0) {
		u128 rest = ad - r; /* r > rest: above half; r == rest: exact tie */
		switch (mode) {
		case ROUND_UP:
			q++;
			break;
		case ROUND_HALF_UP:
			if (r >= rest)
				q++;
			break;
		case ROUND_HALF_EVEN:
			if (r > rest || (r == rest && (q & 1)))
				q++;
			break;
		case ROUND_DOWN:
			break;
		default:
			return -1;
		}
	} else if ((unsigned)mode > ROUND_DOWN) {
		return -1;
	}
	if (neg) {
		if (q > (u128)INT64_MAX + 1)
			return -1;
		if (out)
			*out = q == (u128)INT64_MAX + 1 ? INT64_MIN : -(int64_t)q;
	} else {
		if (q > (u128)INT64_MAX)
			return -1;
		if (out)
			*out = (int64_t)q;
	}
	return 0;
}

int money_round(money_t v, int decimals, round_mode mode, money_t *out)
{
	int64_t unit, q;
	__int128 back;

	if (decimals < 0 || decimals > MONEY_MAX_DECIMALS)
		return -1;
	unit = pow10_tab[MONEY_MAX_DECIMALS - decimals];
	if (money_div_round(v, unit, mode, &q) != 0)
		return -1;
	back = (__int128)q * unit;
	if (back > INT64_MAX || back < INT64_MIN)
		return -1;
	if (out)
		*out = (money_t)back;
	return 0;
}

/* Writes the decimal digits of m (no sign) into tmp, most significant first;
 * returns the count. tmp must hold 40 bytes (u128 has at most 39 digits). */
static int u128_digits(u128 m, char *tmp)
{
	char rev[40];
	int n = 0, k = 0;

	do {
		rev[n++] = (char)('0' + (int)(m % 10));
		m /= 10;
	} while (m);
	while (n)
		tmp[k++] = rev[--n];
	return k;
}

/* A small bounded writer: put() past the end only counts, so a single
 * `len < n` test at the end says whether everything fit. */
typedef struct {
	char *buf;
	size_t n, len;
} wbuf;

static void put(wbuf *w, char c)
{
	if (w->len + 1 < w->n)
		w->buf[w->len] = c;
	w->len++;
}

static int finish(wbuf *w)
{
	if (w->n == 0 || !w->buf)
		return -1;
	if (w->len + 1 > w->n) {
		w->buf[0] = '\0';
		return -1;
	}
	w->buf[w->len] = '\0';
	return (int)w->len;
}

int money_format(money_t v, int decimals, char *buf, size_t n)
{
	wbuf w = { buf, n, 0 };
	u128 m = mag128(v);
	uint64_t ip = (uint64_t)(m / MONEY_SCALE), fp = (uint64_t)(m % MONEY_SCALE);
	char digits[40], frac[MONEY_MAX_DECIMALS];
	int nd, nf = MONEY_MAX_DECIMALS;

	if (decimals < 0 || decimals > MONEY_MAX_DECIMALS)
		return -1;
	for (int k = MONEY_MAX_DECIMALS - 1; k >= 0; k--) {
		frac[k] = (char)('0' + (int)(fp % 10));
		fp /= 10;
	}
	/* Trim trailing zeros, but never below the requested decimals. */
	while (nf > decimals && frac[nf - 1] == '0')
		nf--;
	if (v < 0)
		put(&w, '-');
	nd = u128_digits(ip, digits);
	for (int k = 0; k < nd; k++)
		put(&w, digits[k]);
	if (nf > 0) {
		put(&w, '.');
		for (int k = 0; k < nf; k++)
			put(&w, frac[k]);
	}
	return finish(&w);
}

/* Rule: the value num/den nano-units is shown as a decimal in currency units,
 * truncated toward zero (never rounded, so every digit shown is a true digit
 * of the expansion). Digits stop as soon as the expansion ends (trailing zeros
 * are not printed; an integer has no '.'); when non-zero digits remain after
 * max_decimals decimals, "..." is appended. A value that is non-zero keeps its
 * sign even when every printed digit is 0 ("-0.000..."). max_decimals is
 * clamped to 0..FRAC_MAX. Example: 50000000/60 at 12 -> "0.000833333333...".
 *
 * value = |num| / (|den| * 10^9). The product |den| * 10^9 may not fit, so
 * with q1 = |num| / |den| and r = |num| % |den|: the integer part is
 * q1 / 10^9, the first 9 decimals are q1 % 10^9, and later decimals are the
 * long division of r by |den|. */
#define FRAC_MAX 36

int money_format_fraction(__int128 num, __int128 den, int max_decimals, char *buf, size_t n)
{
	wbuf w = { buf, n, 0 };
	u128 an, ad, q1, nano, r;
	char digits[40], fd[FRAC_MAX];
	int nd, nfd, show, more;

	if (den == 0) {
		if (buf && n)
			buf[0] = '\0';
		return -1;
	}
	if (max_decimals < 0)
		max_decimals = 0;
	if (max_decimals > FRAC_MAX)
		max_decimals = FRAC_MAX;
	an = mag128(num);
	ad = mag128(den);
	q1 = an / ad;
	r = an % ad;
	nano = q1 % (u128)MONEY_SCALE;

	for (int j = MONEY_MAX_DECIMALS - 1; j >= 0; j--) {
		fd[j] = (char)('0' + (int)(nano % 10));
		nano /= 10;
	}
	nfd = MONEY_MAX_DECIMALS;
	while (nfd < max_decimals && r != 0) {
		/* Next digit = floor(10 r / ad), new r = 10 r mod ad, found by
		 * adding r ten times modulo ad (10 r itself may overflow u128). */
		int d = 0;
		u128 acc = 0;
		for (int t = 0; t < 10; t++) {
			if (acc >= ad - r) {
				acc -= ad - r;
				d++;
			} else {
				acc += r;
			}
		}
		fd[nfd++] = (char)('0' + d);
		r = acc;
	}
	show = nfd < max_decimals ? nfd : max_decimals;
	more = r != 0;
	for (int j = show; j < nfd; j++)
		if (fd[j] != '0')
			more = 1;
	if (!more)
		while (show > 0 && fd[show - 1] == '0')
			show--;

	if (num != 0 && (num < 0) != (den < 0))
		put(&w, '-');
	nd = u128_digits(q1 / (u128)MONEY_SCALE, digits);
	for (int k = 0; k < nd; k++)
		put(&w, digits[k]);
	if (show > 0)
		put(&w, '.');
	for (int j = 0; j < show; j++)
		put(&w, fd[j]);
	if (more) {
		put(&w, '.');
		put(&w, '.');
		put(&w, '.');
	}
	return finish(&w);
}

int money_decimals(money_t v)
{
	/* the remainder's magnitude: v % 10^9 keeps v's sign, never overflows */
	int64_t frac = v % MONEY_SCALE;
	int d = MONEY_MAX_DECIMALS;

	if (frac < 0)
		frac = -frac;
	if (frac == 0)
		return 0;
	while (frac % 10 == 0) {
		frac /= 10;
		d--;
	}
	return d;
}

int money_fits_decimals(money_t v, int decimals)
{
	if (decimals < 0 || decimals > MONEY_MAX_DECIMALS)
		return 0;
	return money_decimals(v) <= decimals;
}

int money_neighbours(money_t v, int decimals, money_t *nearer, money_t *other)
{
	money_t away, toward, near;

	if (decimals < 0 || decimals > MONEY_MAX_DECIMALS || money_fits_decimals(v, decimals))
		return -1;
	if (money_round(v, decimals, ROUND_UP, &away) != 0 || money_round(v, decimals, ROUND_DOWN, &toward) != 0
	    || money_round(v, decimals, ROUND_HALF_UP, &near) != 0)
		return -1;
	if (nearer)
		*nearer = near;
	if (other)
		*other = near == away ? toward : away;
	return 0;
}

int money_decimals_why(money_t v, int decimals, const char *account, char *buf, size_t n)
{
	char amount[32];
	int d = money_decimals(v), len;

	if (!buf || n == 0)
		return -1;
	if (money_format(v, 0, amount, sizeof amount) < 0)
		amount[0] = '\0';
	if (account)
		len = snprintf(buf, n, "%s has %d decimal%s; account %s keeps %d", amount, d, d == 1 ? "" : "s",
		               account, decimals);
	else
		len = snprintf(buf, n, "%s has %d decimal%s; the account keeps %d", amount, d, d == 1 ? "" : "s",
		               decimals);
	return len < 0 || (size_t)len >= n ? -1 : len;
}

static const char *const round_names[] = { "up", "half-up", "half-even", "down" };

const char *round_mode_name(round_mode m)
{
	if ((unsigned)m > ROUND_DOWN)
		return "?";
	return round_names[m];
}

int round_mode_parse(const char *s, round_mode *out)
{
	if (!s)
		return -1;
	for (int k = 0; k <= ROUND_DOWN; k++) {
		if (strcmp(s, round_names[k]) == 0) {
			if (out)
				*out = (round_mode)k;
			return 0;
		}
	}
	return -1;
}
