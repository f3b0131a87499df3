/* fuzz_money.c: core/money.c on arbitrary text.
 *
 * Input: "A" or "A/B", each an amount as money_parse reads it (seeds:
 * amounts from the realdata files and tests/fuzz/seeds/money/).
 * Invariants checked:
 *  - money_parse never reads past its length and returns a known status;
 *  - parse -> money_format(d) -> parse gives the same value for every
 *    d in 0..9 (format never hides a digit), with at least d decimals;
 *  - money_round(v, d, mode) is a multiple of 10^(9-d) within one unit of v,
 *    on the side the mode says (down: toward zero, up: away, half: <= 1/2);
 *  - money_div_round(A, B, mode), and of A*B / 60 (rate_call's division,
 *    past 64 bits), equal a reference computed here with __int128;
 *  - money_format_fraction(A, B) and (A*B, 60) write a sign iff the value
 *    is < 0, and when they show the exact value (no "...") that value
 *    times the divisor is the dividend;
 *  - round_mode_name and round_mode_parse are inverse. */
#include <string.h>

#include "fuzz.h"
#include "../../core/money.h"

static const round_mode MODES[] = { ROUND_UP, ROUND_HALF_UP, ROUND_HALF_EVEN, ROUND_DOWN };

static int64_t pow10i(int k)
{
	int64_t p = 1;
	while (k-- > 0)
		p *= 10;
	return p;
}

/* The reference quotient: truncate, then step away from zero when the
 * mode says so. |num| < 2^126 and den is an int64, so nothing here can
 * overflow int128. */
static __int128 ref_div(__int128 num, int64_t den, round_mode m)
{
	__int128 n = num, d = den, q = n / d, r = n % d;
	__int128 ar = r < 0 ? -r : r, ad = d < 0 ? -d : d;
	int neg = (n < 0) != (d < 0), away = 0;
	if (r != 0) {
		switch (m) {
		case ROUND_UP: away = 1; break;
		case ROUND_HALF_UP: away = 2 * ar >= ad; break;
		case ROUND_HALF_EVEN: away = 2 * ar > ad || (2 * ar == ad && (q & 1)); break;
		case ROUND_DOWN: break;
		}
	}
	return away ? (neg ? q - 1 : q + 1) : q;
}

static void check_value(money_t v)
{
	char buf[32];
	for (int d = 0; d <= MONEY_MAX_DECIMALS; d++) {
		int n = money_format(v, d, buf, sizeof buf);
		money_t back;
		FUZZ_CHECK(n > 0 && (size_t)n < sizeof buf && strlen(buf) == (size_t)n);
		FUZZ_CHECK(money_parse(buf, (size_t)n, &back) == MONEY_OK && back == v);
		const char *dot = strchr(buf, '.');
		FUZZ_CHECK(d == 0 ? 1 : (dot && (int)strlen(dot + 1) >= d));
		/* a buffer one byte short fails cleanly with an empty string */
		FUZZ_CHECK(money_format(v, d, buf, (size_t)n) == -1 && buf[0] == '\0');
	}
	for (int d = 0; d <= MONEY_MAX_DECIMALS; d++) {
		int64_t unit = pow10i(MONEY_MAX_DECIMALS - d);
		for (size_t k = 0; k < sizeof MODES / sizeof MODES[0]; k++) {
			money_t r;
			if (money_round(v, d, MODES[k], &r) != 0)
				continue; /* only near INT64_MIN/MAX */
			__int128 diff = (__int128)r - v, ad = diff < 0 ? -diff : diff;
			FUZZ_CHECK(r % unit == 0);
			FUZZ_CHECK(ad < unit);
			if (MODES[k] == ROUND_DOWN)
				FUZZ_CHECK(v >= 0 ? (r <= v && r >= 0) : (r >= v && r <= 0));
			if (MODES[k] == ROUND_UP)
				FUZZ_CHECK(v >= 0 ? r >= v : r <= v);
			if (MODES[k] == ROUND_HALF_UP || MODES[k] == ROUND_HALF_EVEN)
				FUZZ_CHECK(2 * ad <= unit);
		}
	}
}

static void check_div(__int128 num, int64_t den, round_mode m)
{
	int64_t q;
	__int128 want = ref_div(num, den, m);
	int rc = money_div_round(num, den, m, &q);
	if (want > INT64_MAX || want < INT64_MIN)
		FUZZ_CHECK(rc == -1);
	else
		FUZZ_CHECK(rc == 0 && q == want);
}

static void check_pair(money_t a, money_t b)
{
	char buf[96];
	if (b == 0) {
		int64_t q;
		FUZZ_CHECK(money_div_round(a, b, ROUND_DOWN, &q) == -1);
		FUZZ_CHECK(money_format_fraction(a, b, 12, buf, sizeof buf) == -1);
		return;
	}
	/* A / B, and A * B / 60 as rate_call divides rate * billed seconds
	 * (a product past 64 bits takes the 128-bit division) */
	for (size_t k = 0; k < sizeof MODES / sizeof MODES[0]; k++) {
		check_div(a, b, MODES[k]);
		check_div((__int128)a * b, 60, MODES[k]);
		check_div((__int128)a * b, b, MODES[k]);
	}
	/* A / B, and A * B / 60 (what `billtop explain` shows before rounding) */
	for (int maxd = 0; maxd <= 40; maxd += 5) {
		__int128 num = maxd % 10 ? a : (__int128)a * b;
		int64_t den = maxd % 10 ? b : 60;
		int n = money_format_fraction(num, den, maxd, buf, sizeof buf);
		money_t shown;
		FUZZ_CHECK(n > 0 && (size_t)n < sizeof buf && strlen(buf) == (size_t)n);
		FUZZ_CHECK((buf[0] == '-') == (num != 0 && (num < 0) != (den < 0)));
		if (!strstr(buf, "...") && money_parse(buf, (size_t)n, &shown) == MONEY_OK)
			FUZZ_CHECK((__int128)shown * den == num);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	const char *slash = memchr(s, '/', size);
	size_t alen = slash ? (size_t)(slash - s) : size;
	money_t a = 0, b = 0;
	for (size_t k = 0; k < sizeof MODES / sizeof MODES[0]; k++) {
		round_mode m;
		FUZZ_CHECK(round_mode_parse(round_mode_name(MODES[k]), &m) == 0 && m == MODES[k]);
	}
	int sa = money_parse(s, alen, &a);
	FUZZ_CHECK(sa >= MONEY_OK && sa <= MONEY_ERANGE);
	FUZZ_CHECK(money_strerror(sa) != NULL);
	if (sa == MONEY_OK)
		check_value(a);
	if (slash) {
		int sb = money_parse(slash + 1, size - alen - 1, &b);
		FUZZ_CHECK(sb >= MONEY_OK && sb <= MONEY_ERANGE);
		if (sb == MONEY_OK && sa == MONEY_OK)
			check_pair(a, b);
	}
	return 0;
}
