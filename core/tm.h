/* tm.h: UTC time arithmetic and parsing, pure C (no libc time zone state).
 *
 * Contract: inside billtop a time is int64 UTC seconds since the epoch and a
 * duration is int64 milliseconds. Local-zone conversion (Asterisk/FreeSWITCH
 * servers writing local times) is done by data/tz.c, which uses the tm_civil
 * fields parsed here. Nothing here allocates. */
#ifndef BILLTOP_TM_H
#define BILLTOP_TM_H

#include <stddef.h>
#include <stdint.h>

#define TM_NONE INT64_MIN /* "no time" (e.g. an unanswered call's answer time) */

typedef struct {
	int year, month, day;      /* month 1..12, day 1..31 */
	int hour, min, sec;        /* 0..23, 0..59, 0..60 */
	int frac_ms;               /* milliseconds from a fractional second, 0..999 */
	int has_zone;              /* 1 when the text carried Z or +hh[:mm] */
	int zone_offset_s;         /* east of UTC, valid when has_zone */
	int has_time;              /* 0 for a date alone */
} tm_civil;

enum { TM_OK = 0, TM_ESYNTAX, TM_ERANGE };

/* Parse a timestamp. Accepted:
 *   YYYY-MM-DD, YYYY-MM-DD HH:MM, YYYY-MM-DD HH:MM:SS[.fff]
 *   'T' instead of the space (ISO 8601); '/' instead of '-' with 1- or 2-digit
 *   month and day (spreadsheet re-saves: 2020/2/10 22:41); 1-digit hour;
 *   trailing Z, +hh, +hhmm, +hh:mm, -hh... (Flowroute writes "+00").
 * Surrounding blanks are ignored. Fields are range-checked (Feb 30 fails). */
int tm_parse_civil(const char *s, size_t len, tm_civil *out);

/* Days since 1970-01-01 of a proleptic Gregorian date (may be negative). */
int64_t tm_days_from_civil(int y, int m, int d);
/* Inverse of tm_days_from_civil. */
void tm_civil_from_days(int64_t z, int *y, int *m, int *d);

/* Civil fields read as UTC (zone in the text, if any, is applied). */
int64_t tm_civil_to_utc(const tm_civil *c);

/* Convenience: parse and convert, treating zone-less text as UTC.
 * Returns TM_OK and *out, or an error status. */
int tm_parse_utc(const char *s, size_t len, int64_t *out);

/* Format t as "YYYY-MM-DD HH:MM:SS" (UTC). buf >= 20 bytes. Returns length. */
int tm_format(int64_t t, char *buf, size_t n);
/* Format as ISO 8601 "YYYY-MM-DDTHH:MM:SSZ". buf >= 21 bytes. */
int tm_format_iso(int64_t t, char *buf, size_t n);

/* The monotonic clock (CLOCK_MONOTONIC), for measuring durations and
 * pacing: never a UTC time. Seconds as a double, or whole milliseconds. */
double tm_mono_s(void);
int64_t tm_mono_ms(void);

/* Floor helpers (work for negative times too). */
int64_t tm_floor_hour(int64_t t);
int64_t tm_floor_day(int64_t t);
/* 0 = Monday .. 6 = Sunday (ISO weekday - 1). */
int tm_weekday(int64_t t);
/* Start of the ISO week (Monday 00:00 UTC) containing t. */
int64_t tm_floor_week(int64_t t);
/* First second of the month containing t; and of month (y, m). */
int64_t tm_floor_month(int64_t t);
int64_t tm_month_start(int y, int m);

const char *tm_strerror(int status);

#endif
