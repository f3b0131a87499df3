/* tz.c: local civil time of a named zone -> UTC seconds.
 *
 * Three kinds of zone:
 *  - "UTC" (also NULL, "", "Z", "GMT"): pure arithmetic, no libc state.
 *  - fixed offsets "+02:00", "-0530", "+02": pure arithmetic.
 *  - IANA names ("America/New_York"): the file /usr/share/zoneinfo/NAME must
 *    exist; conversion uses libc (setenv("TZ") + tzset + localtime_r) and a
 *    direct-mapped cache of the UTC offset per local hour, so a million rows
 *    cost a few hundred libc calls (one miss per distinct local hour).
 *
 * Resolving a local time L (seconds, read as if UTC):
 *   o1 = offset a day before L, o2 = offset a day after L. Candidate instants
 *   L - o1 and L - o2 are kept when localtime maps them back to L.
 *   Two candidates (fall-back overlap): the earlier one (the daylight one).
 *   None (spring-forward gap): L - o1, the offset before the gap, which puts
 *   the time forward by the size of the gap (02:30 -> 03:30 in New York).
 * An hour is cached only when both its first and its last second resolve
 * cleanly (one candidate) to the same offset; gap and overlap hours and the
 * rare mid-hour transitions are computed each time.
 *
 * TZ: the process's TZ variable is changed on a cache miss and is restored to
 * its original value (or unset) when the last open zone is closed. In between,
 * libc's localtime() in this process sees the import zone: billtop formats all
 * times itself in UTC (core/tm.h), so nothing depends on it. Not thread-safe. */
#include "tz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#define TZ_DIR "/usr/share/zoneinfo"
#define TZ_CACHE 4096 /* local hours: ~170 days of distinct hours per zone */

enum { TZ_UTC, TZ_FIXED, TZ_IANA };

typedef struct {
	int64_t hour; /* local hour serial (local seconds / 3600); INT64_MIN empty */
	int32_t off;  /* UTC offset in seconds east */
} tz_slot;

struct tz_zone {
	int kind;
	int fixed_off;
	char name[128];
	tz_slot *cache; /* TZ_CACHE slots, IANA only */
};

/* libc TZ state shared by every IANA zone. */
static char tz_current[128]; /* TZ value we last set ("" = not set by us) */
static int tz_open_count;    /* IANA zones open */
static int tz_saved_valid;   /* original TZ captured */
static int tz_saved_set;     /* original TZ existed */
static char *tz_saved;       /* original TZ value (owned) */

static void why_set(char *why, size_t n, const char *fmt, const char *arg)
{
	if (why && n)
		snprintf(why, n, fmt, arg);
}

/* "+hh", "+hhmm", "+hh:mm" (or '-'). 0 and *off on success. */
static int parse_fixed(const char *s, int *off)
{
	int sign, h, m = 0;
	size_t n = strlen(s);
	if (n < 3 || (s[0] != '+' && s[0] != '-'))
		return -1;
	sign = s[0] == '-' ? -1 : 1;
	if (s[1] < '0' || s[1] > '9' || s[2] < '0' || s[2] > '9')
		return -1;
	h = (s[1] - '0') * 10 + (s[2] - '0');
	s += 3;
	if (*s == ':')
		s++;
	if (*s) {
		if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9' || s[2])
			return -1;
		m = (s[0] - '0') * 10 + (s[1] - '0');
	}
	if (h > 18 || m > 59 || h * 60 + m > 18 * 60)
		return -1;
	*off = sign * (h * 3600 + m * 60);
	return 0;
}

/* A zone name must be a relative path of ordinary characters, no "..". */
static int name_ok(const char *s)
{
	const char *p;
	if (!*s || *s == '/' || strlen(s) >= sizeof ((tz_zone *)0)->name)
		return 0;
	for (p = s; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		      *p == '/' || *p == '_' || *p == '-' || *p == '+' || *p == '.'))
			return 0;
	return strstr(s, "..") == NULL;
}

tz_zone *tz_open(const char *name, char *why, size_t whylen)
{
	tz_zone *z;
	int off;
	if (!name)
		name = "";
	z = calloc(1, sizeof *z);
	if (!z) {
		why_set(why, whylen, "out of memory%s", "");
		return NULL;
	}
	if (!*name || !strcasecmp(name, "UTC") || !strcmp(name, "Z") || !strcasecmp(name, "GMT")) {
		z->kind = TZ_UTC;
		strcpy(z->name, "UTC");
		return z;
	}
	if (parse_fixed(name, &off) == 0) {
		z->kind = TZ_FIXED;
		z->fixed_off = off;
		snprintf(z->name, sizeof z->name, "%c%02d:%02d", off < 0 ? '-' : '+',
		         abs(off) / 3600, abs(off) % 3600 / 60);
		return z;
	}
	if (name[0] == '+' || name[0] == '-') {
		why_set(why, whylen, "bad UTC offset \"%s\" (want +hh:mm, at most 18 hours)", name);
		free(z);
		return NULL;
	}
	char path[sizeof TZ_DIR + sizeof z->name + 1];
	struct stat sb;
	if (!name_ok(name)) {
		why_set(why, whylen, "bad time zone name \"%s\"", name);
		free(z);
		return NULL;
	}
	snprintf(path, sizeof path, "%s/%s", TZ_DIR, name);
	if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		why_set(why, whylen, "unknown time zone \"%s\" (not in " TZ_DIR ")", name);
		free(z);
		return NULL;
	}
	z->cache = malloc(TZ_CACHE * sizeof *z->cache);
	if (!z->cache) {
		why_set(why, whylen, "out of memory%s", "");
		free(z);
		return NULL;
	}
	for (int i = 0; i < TZ_CACHE; i++)
		z->cache[i].hour = INT64_MIN;
	z->kind = TZ_IANA;
	strcpy(z->name, name);
	tz_open_count++;
	return z;
}

void tz_close(tz_zone *z)
{
	if (!z)
		return;
	if (z->kind == TZ_IANA && --tz_open_count == 0 && tz_saved_valid) {
		if (tz_saved_set)
			setenv("TZ", tz_saved, 1);
		else
			unsetenv("TZ");
		tzset();
		free(tz_saved);
		tz_saved = NULL;
		tz_saved_valid = 0;
		tz_current[0] = '\0';
	}
	free(z->cache);
	free(z);
}

const char *tz_name(const tz_zone *z)
{
	return z ? z->name : "UTC";
}

/* UTC offset (seconds east) in force at instant t in zone z. */
static int32_t offset_at(tz_zone *z, int64_t t)
{
	struct tm tm;
	time_t tt = (time_t)t;
	if (strcmp(tz_current, z->name) != 0) {
		if (!tz_saved_valid) {
			const char *old = getenv("TZ");
			tz_saved_set = old != NULL;
			tz_saved = old ? strdup(old) : NULL;
			tz_saved_valid = !old || tz_saved; /* on strdup failure: leave TZ as we set it */
		}
		setenv("TZ", z->name, 1);
		tzset();
		strcpy(tz_current, z->name);
	}
	if (!localtime_r(&tt, &tm))
		return 0;
	return (int32_t)tm.tm_gmtoff;
}

/* Resolve local seconds L to an offset per the file comment. *clean is 1
 * when exactly one instant has that local time. */
static int32_t resolve(tz_zone *z, int64_t L, int *clean)
{
	int32_t o1 = offset_at(z, L - 86400), o2 = offset_at(z, L + 86400);
	int ok1 = offset_at(z, L - o1) == o1;
	int ok2 = o2 == o1 ? ok1 : offset_at(z, L - o2) == o2;
	if (o1 == o2) {
		*clean = ok1;
		return o1;
	}
	*clean = ok1 != ok2;
	if (ok1 && ok2)
		return o1 > o2 ? o1 : o2; /* the larger offset is the earlier instant */
	if (ok2)
		return o2;
	return o1; /* only o1, or a gap: shift forward */
}

int64_t tz_to_utc(tz_zone *z, const tm_civil *c)
{
	int64_t L;
	if (c->has_zone || !z || z->kind == TZ_UTC)
		return tm_civil_to_utc(c);
	if (z->kind == TZ_FIXED)
		return tm_civil_to_utc(c) - z->fixed_off;
	L = tm_civil_to_utc(c); /* the civil fields as if they were UTC */
	int64_t hour = L >= 0 ? L / 3600 : -((-L + 3599) / 3600);
	tz_slot *s = &z->cache[(uint64_t)hour & (TZ_CACHE - 1)];
	if (s->hour == hour)
		return L - s->off;
	int clean_a, clean_b;
	int32_t oa = resolve(z, hour * 3600, &clean_a);
	int32_t ob = resolve(z, hour * 3600 + 3599, &clean_b);
	if (clean_a && clean_b && oa == ob) {
		s->hour = hour;
		s->off = oa;
		return L - oa;
	}
	int clean;
	return L - resolve(z, L, &clean);
}
