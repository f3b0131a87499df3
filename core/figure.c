/* figure.c: rounded figures in integers (figure.h). Every quotient is
 * taken once, in __int128, so no product overflows and nothing is
 * rounded twice. */
#include "figure.h"

#include <stdio.h>

/* num / den, den > 0, half-up (ties away from zero). */
static int64_t div_half_up(__int128 num, __int128 den)
{
	__int128 q = num / den, r = num % den;
	if (r < 0 ? -r * 2 >= den : r * 2 >= den)
		q += r < 0 ? -1 : 1;
	return (int64_t)q;
}

int64_t fig_div_half_up(int64_t num, int64_t den)
{
	return den <= 0 ? 0 : div_half_up(num, den);
}

int64_t fig_pct_tenths(int64_t part, int64_t whole)
{
	return whole <= 0 ? 0 : div_half_up((__int128)part * 1000, whole);
}

int64_t fig_minutes_centi_ms(int64_t ms)
{
	return div_half_up(ms, 600);       /* 60000 ms a minute, in 100 parts */
}

int64_t fig_minutes_centi_s(int64_t secs)
{
	return div_half_up((__int128)secs * 100, 60);
}

int64_t fig_avg_secs(int64_t total_ms, int64_t n)
{
	return n <= 0 ? 0 : div_half_up(total_ms, (__int128)n * 1000);
}

int64_t fig_rows_drift(const int64_t *rows, int n, int64_t total)
{
	int64_t s = 0;
	for (int i = 0; i < n; i++)
		s += rows[i];
	return s - total;
}

void fig_format(int64_t v, int decimals, char *buf, unsigned long n)
{
	uint64_t a = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v, p = 1;
	if (decimals <= 0) {
		snprintf(buf, n, "%s%llu", v < 0 ? "-" : "", (unsigned long long)a);
		return;
	}
	for (int i = 0; i < decimals && i < 18; i++)
		p *= 10;
	snprintf(buf, n, "%s%llu.%0*llu", v < 0 ? "-" : "", (unsigned long long)(a / p), decimals,
	         (unsigned long long)(a % p));
}
