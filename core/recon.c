/* recon.c: the shared helpers of the recon module (formatting evidence,
 * causes, big allocations) and its small public functions (recon.h).
 *
 * Pairing is in recon_match.c, the compact side in recon_side.c, totals and
 * the tree in recon_tree.c, the causes in recon_diag.c. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__linux__)
#include <sys/mman.h>
#endif

#include "recon.h"
#include "recon_int.h"
#include "tm.h"

/* ---- small helpers ---------------------------------------------------- */

uint32_t rx_hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	if (s)
		for (; *s; s++) {
			h ^= (unsigned char)*s;
			h *= 1099511628211ULL;
		}
	return (uint32_t)(h ^ (h >> 32));
}

void rx_cat(char *buf, size_t n, const char *fmt, ...)
{
	size_t len = strnlen(buf, n);
	va_list ap;
	if (len + 1 >= n)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + len, n - len, fmt, ap);
	va_end(ap);
}

void rx_fmt_bp(char *buf, size_t n, int64_t bp)
{
	buf[0] = 0;
	rx_cat(buf, n, "%lld.%02lld %%", (long long)(bp / 100), (long long)(bp % 100));
}

void rx_fmt_rel(char *buf, size_t n, int64_t a, int64_t b)
{
	__int128 d = abs128((__int128)a - b), m = abs128(a) > abs128(b) ? abs128(a) : abs128(b);
	int64_t bp = m == 0 ? 0 : (int64_t)((d * 10000 * 2 + m) / (2 * m));
	rx_fmt_bp(buf, n, bp);
}

void rx_fmt_day(char *buf, size_t n, int64_t t)
{
	char tmp[32];
	tm_format(rx_time(t), tmp, sizeof tmp);
	snprintf(buf, n, "%.10s", tmp);
}

void rx_fmt_secs(char *buf, size_t n, int64_t ms)
{
	const char *sign = ms < 0 ? "-" : "";
	uint64_t u = ms < 0 ? (uint64_t)0 - (uint64_t)ms : (uint64_t)ms;
	if (u % 1000 == 0)
		snprintf(buf, n, "%s%llu s", sign, (unsigned long long)(u / 1000));
	else
		snprintf(buf, n, "%s%llu.%03llu s", sign, (unsigned long long)(u / 1000),
		         (unsigned long long)(u % 1000));
}

void rx_fmt_money(char *buf, size_t n, money_t v)
{
	char tmp[40];
	buf[0] = 0;
	rx_cat(buf, n, "%s", money_format(v, 4, tmp, sizeof tmp) < 0 ? "?" : tmp);
}

recon_cause *rx_add_cause(recon_result *r, recon_cause_kind kind, int side, const char *prefix)
{
	recon_cause *c;
	if (r->ncause >= RECON_MAX_CAUSES)
		return NULL;
	c = &r->causes[r->ncause++];
	memset(c, 0, sizeof *c);
	c->kind = kind;
	c->side = side;
	snprintf(c->prefix, sizeof c->prefix, "%s", rx_s(prefix));
	return c;
}

#define HUGE_PAGE ((size_t)2 << 20)

void *rx_alloc_big(size_t bytes)
{
	void *p;
	if (bytes < 2 * HUGE_PAGE)
		return malloc(bytes ? bytes : 1);
	bytes = (bytes + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
	p = aligned_alloc(HUGE_PAGE, bytes);
#if defined(__linux__) && defined(MADV_HUGEPAGE)
	if (p)
		(void)madvise(p, bytes, MADV_HUGEPAGE);
#endif
	return p;
}

/* ---- public small functions ------------------------------------------- */

void recon_default_opts(recon_opts *o)
{
	memset(o, 0, sizeof *o);
	o->count_bp = 50;
	o->seconds_bp = 50;
	o->cost_bp = 50;
	o->cost_abs = MONEY_SCALE / 100;
	o->match_tol_s = 5;
	o->max_offset_s = 14 * 3600;
	o->match_ids = 0; /* the caller sets it when both exports carry the same ids */
	o->force_day = -1;
	o->force_connected_match = -1;
	o->force_duration_match = -1;
}

static int clampi(int v, int lo, int hi) { return v < lo ? lo : v > hi ? hi : v; }

void rx_norm_opts(recon_opts *out, const recon_opts *o)
{
	if (!o)
		recon_default_opts(out);
	else
		*out = *o;
	out->count_bp = clampi(out->count_bp, 0, 10000);
	out->seconds_bp = clampi(out->seconds_bp, 0, 10000);
	out->cost_bp = clampi(out->cost_bp, 0, 10000);
	if (out->cost_abs < 0)
		out->cost_abs = 0;
	out->match_tol_s = rx_clamp64(out->match_tol_s, 0, RX_MAX_TOL);
	out->max_offset_s = rx_clamp64(out->max_offset_s, 0, RX_MAX_OFFSET);
	out->match_ids = out->match_ids != 0;
	if (out->force_connected_match != 0 && out->force_connected_match != 1)
		out->force_connected_match = -1;
	if (out->force_duration_match != 0 && out->force_duration_match != 1)
		out->force_duration_match = -1;
}

const char *recon_verdict_name(recon_verdict v)
{
	switch (v) {
	case RECON_VERDICT_MISSING_CALLS: return "missing_calls";
	case RECON_VERDICT_DURATION: return "duration";
	case RECON_VERDICT_RATING: return "rating";
	case RECON_VERDICT_TIMEZONE_OFFSET: return "timezone_offset";
	case RECON_VERDICT_NONE: break;
	}
	return "none";
}

const char *recon_cause_name(recon_cause_kind k)
{
	switch (k) {
	case RECON_CAUSE_CLOCK_OFFSET: return "timezone_offset";
	case RECON_CAUSE_INCREMENT: return "billing_increment";
	case RECON_CAUSE_ROUNDING: return "rounding";
	case RECON_CAUSE_RATE: return "rate";
	case RECON_CAUSE_DUPLICATES: return "duplicates";
	}
	return "?";
}

int recon_counts_match(int64_t a, int64_t b, int bp)
{
	__int128 d = abs128((__int128)a - b), m = abs128(a) > abs128(b) ? abs128(a) : abs128(b);
	if (bp < 0)
		bp = 0;
	return d * 10000 <= (__int128)bp * m;
}

int recon_cost_match(money_t a, money_t b, int bp, money_t abs_floor)
{
	if (abs128((__int128)a - b) <= (__int128)(abs_floor < 0 ? 0 : abs_floor))
		return 1;
	return recon_counts_match(a, b, bp);
}
