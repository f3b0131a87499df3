/* tz.h: converting local civil times of a named zone to UTC.
 * Uses libc's zone database (TZ + mktime) behind a per-hour cache, so it is
 * cheap on millions of rows. Not thread-safe (touches TZ). */
#ifndef BILLTOP_TZ_H
#define BILLTOP_TZ_H

#include <stdint.h>
#include "../core/tm.h"

typedef struct tz_zone tz_zone;

/* "UTC" (or NULL/"") is pure arithmetic; other names must exist under
 * /usr/share/zoneinfo or be a fixed offset "+02:00". NULL if unknown, with a
 * reason in why. */
tz_zone *tz_open(const char *name, char *why, size_t whylen);
void tz_close(tz_zone *z);
const char *tz_name(const tz_zone *z);

/* Civil time -> UTC seconds. A zone written in the text wins over the zone.
 * Ambiguous local times (DST fall-back) take the first (daylight) instant;
 * non-existent ones (spring-forward gap) are shifted forward. */
int64_t tz_to_utc(tz_zone *z, const tm_civil *c);

#endif
