/* inv_report.h: the report of a dispute investigation, as JSON, as a
 * letter to the carrier (text, inv_letter.c), and as CSV (the daily table
 * and the calls, with each call's id and numbers as its file wrote them).
 *
 * JSON keys (money as decimal strings in the account's decimals, more when a
 * figure has more; seconds as decimal strings with milliseconds; every
 * "diff" is theirs - ours):
 *   case, account, currency, created, operator, period {from, to}, options,
 *   tolerances {count_pct, seconds_pct, cost_pct, cost_abs, time_s,
 *   max_offset_s, match_ids}, ours {...counts}, theirs {path, format, rows,
 *   calls, outside_period, extra_legs, rejected, rejects [{line, reason}]},
 *   totals, daily [{date, calls_ours, calls_theirs, calls_diff, connected_*,
 *   seconds_*, cost_*}], worst_day (a daily row or null), steps [{question,
 *   answer "yes"|"no", figures, overridden}], verdict, summary,
 *   clock_offset_s, worst_hour ({hour, ...} or null), matched (pairs over
 *   the period), unmatched {ours, theirs}, missing_ours (their record ids of
 *   the worst hour's connected calls we lack), missing_ours_lines (their
 *   file lines of those), missing_theirs (our record ids: calls they lack),
 *   single_call ({ours, theirs, dt_s, diff_seconds, diff_cost, our_rating,
 *   their_rate_per_min} or null), causes [{kind, side, prefix, offset_s,
 *   evidence}], cnam {ours, theirs}, version (1: the engine's findings,
 *   2..: the engineer's conclusions), findings [{day, verdict, money,
 *   walked, totals, hour, missing_ours, missing_ours_count, missing_theirs,
 *   missing_theirs_count, missing_ours_calls, missing_theirs_calls,
 *   single_call}] (inv_findings.h; their calls carry as_written {id, src,
 *   dst}).
 *
 * The writers only read the case; the FILE belongs to the caller. */
#ifndef BILLTOP_INV_REPORT_H
#define BILLTOP_INV_REPORT_H

#include <stddef.h>
#include <stdio.h>
#include "investigate.h"

/* Same numbering as the CLI's FMT_TEXT, FMT_CSV, FMT_JSON. */
enum { INV_REPORT_TEXT = 0, INV_REPORT_CSV = 1, INV_REPORT_JSON = 2 };

void inv_report_write(FILE *f, const inv_case *c, int kind);

/* The report in a new malloc'd, NUL-terminated buffer (caller frees);
 * NULL on out of memory. */
char *inv_report_string(const inv_case *c, int kind, size_t *len);

/* The text report: a letter to the carrier (inv_letter.c): at most 80
 * columns; the period, both sides' totals, each finding (by money) with its
 * calls named as each side's file names them (inv_name_of); nothing
 * internal (no local path, no notes, no options); c->sign names the sender
 * when not empty. */
void inv_letter_write(FILE *f, const inv_case *c);

/* One sentence saying what the verdict means with its figures, into buf. */
void inv_report_summary(const inv_case *c, char *buf, size_t n);

#endif
