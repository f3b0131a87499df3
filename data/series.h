/* series.h: usage buckets finer than the hourly rollups, for the
 * dashboard's graphs: the calls of a window by 10 minutes, read from the
 * call records (cdr_now, the current rating) through the cdr_acct_start
 * index, counted exactly as the rollups count them, so that the six
 * 10-minute buckets of an hour add up to that hour of `billtop usage
 * --window 12h` (report_get_usage_asof). Bounded: at most SERIES_MAX_SPAN
 * seconds; the dashboard asks for 12 hours. */
#ifndef BILLTOP_SERIES_H
#define BILLTOP_SERIES_H

#include <stdint.h>

#include "account.h"
#include "db.h"
#include "report.h"

#define SERIES_STEP_10MIN 600
#define SERIES_MAX_SPAN (3 * 86400)

/* The account's calls in [from, to) as of `asof` (nothing started after
 * it counts; INT64_MAX: everything) in buckets of `step` seconds (from a
 * multiple of step; step divides 3600). Fills out like report_get_usage
 * does (by = BY_HOUR, labels "YYYY-MM-DD HH:MM", total): calls,
 * connected, billsec_ms, billed_secs, cost (call charges) and internal;
 * messages, CNAM and charges by kind are left 0 (the graphs do not use
 * them). Returns DB_OK, DB_EINPUT for a bad window, or a DB_* status;
 * out is the caller's to report_usage_free. */
int series_get_calls(db_t *db, const account_info *a, int64_t from, int64_t to, int64_t step, int64_t asof,
                     report_usage *out);

#endif
