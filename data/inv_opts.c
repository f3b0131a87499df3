/* inv_opts.c: tolerance text and the options string of an investigation
 * (see inv_opts.h). Moved here from tui/cmd_investigate.c so the console's
 * prompts read exactly what the command line reads. */
#include "inv_opts.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "0.5%", "0.5" (percent) or "1.25%" -> basis points. 0 or -1. */
static int parse_bp(const char *s, int *bp)
{
	long whole = 0, frac = 0;
	int nd = 0;
	const char *p = s;
	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++)
		if ((whole = whole * 10 + (*p - '0')) > 10000)
			return -1;
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++, nd++) {
			if (nd >= 2)
				return -1; /* finer than a basis point */
			frac = frac * 10 + (*p - '0');
		}
	}
	if (nd == 1)
		frac *= 10;
	if (*p == '%')
		p++;
	if (*p)
		return -1;
	*bp = (int)(whole * 100 + frac);
	return 0;
}

/* "5s", "5", "2m", "3h" -> seconds. 0 or -1. */
static int parse_secs(const char *s, int64_t *out)
{
	char *end;
	long long v;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (end == s || errno || v < 0)
		return -1;
	if (*end == 'm')
		v *= 60, end++;
	else if (*end == 'h')
		v *= 3600, end++;
	else if (*end == 's')
		end++;
	if (*end)
		return -1;
	*out = v;
	return 0;
}

int inv_tolerance_parse(const char *spec, recon_opts *o, char *why, size_t n)
{
	char buf[512], *item, *save = NULL;
	size_t len = strlen(spec);
	if (len >= sizeof buf) {
		snprintf(why, n, "too long");
		return -1;
	}
	memcpy(buf, spec, len + 1);
	for (item = strtok_r(buf, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
		char *v = strchr(item, '=');
		int bad = !v;
		while (*item == ' ')
			item++;
		if (v) {
			*v++ = '\0';
			if (!strcmp(item, "count"))
				bad = parse_bp(v, &o->count_bp);
			else if (!strcmp(item, "seconds"))
				bad = parse_bp(v, &o->seconds_bp);
			else if (!strcmp(item, "cost"))
				bad = parse_bp(v, &o->cost_bp);
			else if (!strcmp(item, "cost-abs"))
				bad = money_parse(v, strlen(v), &o->cost_abs) != MONEY_OK || o->cost_abs < 0;
			else if (!strcmp(item, "time"))
				bad = parse_secs(v, &o->match_tol_s);
			else if (!strcmp(item, "max-offset"))
				bad = parse_secs(v, &o->max_offset_s);
			else {
				snprintf(why, n, "unknown item \"%.100s\" (count, seconds, cost, cost-abs, time, max-offset)",
				         item);
				return -1;
			}
		}
		if (bad) {
			snprintf(why, n, "bad item \"%.100s%s%.100s\" (e.g. count=0.5%%,cost-abs=0.01,time=5s)", item,
			         v ? "=" : "", v ? v : "");
			return -1;
		}
	}
	return 0;
}

/* 50 -> "0.5", 100 -> "1", 125 -> "1.25" */
static void bp_text(int bp, char *buf, size_t n)
{
	if (bp % 100 == 0)
		snprintf(buf, n, "%d", bp / 100);
	else if (bp % 10 == 0)
		snprintf(buf, n, "%d.%d", bp / 100, bp % 100 / 10);
	else
		snprintf(buf, n, "%d.%02d", bp / 100, bp % 100);
}

/* 5 -> "5s", 120 -> "2m", 50400 -> "14h" */
static void secs_text(int64_t s, char *buf, size_t n)
{
	if (s != 0 && s % 3600 == 0)
		snprintf(buf, n, "%lldh", (long long)(s / 3600));
	else if (s != 0 && s % 60 == 0)
		snprintf(buf, n, "%lldm", (long long)(s / 60));
	else
		snprintf(buf, n, "%llds", (long long)s);
}

void inv_tolerance_format(const recon_opts *o, char *buf, size_t n)
{
	char c[16], s[16], k[16], abs[40], t[32], m[32];
	bp_text(o->count_bp, c, sizeof c);
	bp_text(o->seconds_bp, s, sizeof s);
	bp_text(o->cost_bp, k, sizeof k);
	money_format(o->cost_abs, 2, abs, sizeof abs); /* "0.01"; more decimals when it has them */
	secs_text(o->match_tol_s, t, sizeof t);
	secs_text(o->max_offset_s, m, sizeof m);
	snprintf(buf, n, "count=%s%%,seconds=%s%%,cost=%s%%,cost-abs=%s,time=%s,max-offset=%s", c, s, k, abs, t, m);
}

void inv_options_add(char *buf, size_t n, const char *name, const char *val)
{
	size_t k = strlen(buf);
	int q;
	if (!val || k + 1 >= n)
		return;
	q = strpbrk(val, " \t'\"") != NULL;
	snprintf(buf + k, n - k, "%s%s%s%s%s%s", k ? " " : "", name, *val ? " " : "", q ? "'" : "", val, q ? "'" : "");
}
