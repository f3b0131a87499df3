/* inv_findings.h: every UTC day of a dispute whose totals differ beyond the
 * tolerances, walked through the carriers' tree one by one (issue 11), not
 * only the day the engine isolates.
 *
 * For each such day: connected-call totals differ -> missing calls (the
 * day's connected calls of both sides paired again as the engine pairs the
 * worst day's, the unpaired ones listed, the hour with the most of them
 * named); else durations differ -> a duration finding; else a rating one;
 * either way the matched call of the day with the biggest difference. A
 * matched call whose seconds differ (by a second or more) is a duration
 * finding, never a rating one. The money a finding explains (theirs -
 * ours): missing calls: their charges of the calls we lack minus ours of
 * the calls they lack; duration: the charge differences of the day's
 * matched calls whose seconds differ; rating: those of the other matched
 * calls. Findings are ordered by |money| (largest first), then by day.
 *
 * With a clock offset (recon_result.clock_offset_s) the days are compared
 * with their times moved back by it, as the calls are paired; a missing-
 * calls day where every call then pairs is no finding.
 *
 * The engineer's answers (recon_opts.force_*) apply to the day the tree
 * walked (recon_result.worst_day): its finding follows them.
 *
 * Ownership: the findings belong to the inv_case (inv_case.findings) and
 * are freed by inv_case_free; indexes refer to the case's sides. */
#ifndef BILLTOP_INV_FINDINGS_H
#define BILLTOP_INV_FINDINGS_H

#include <stddef.h>
#include <stdint.h>
#include "../core/recon.h"

/* Calls listed per direction and day by default (all are counted): the
 * reports (JSON, letter, CSV) show these; inv_request.list_calls asks for
 * more (`investigate --calls N|all`). A day of a million-call dispute can
 * miss thousands: listing them all by default made every report tens of MB. */
#define INV_FINDING_LIST_CALLS 20

typedef struct {
	int64_t day;               /* UTC day start */
	recon_verdict verdict;     /* MISSING_CALLS, DURATION or RATING */
	int day_index;             /* the day's index among the days compared */
	recon_bucket totals;       /* the day's totals (theirs moved back by any clock offset) */
	int walked;                /* the day the engine's tree walked (overrides apply) */
	money_t money;             /* explained, theirs - ours */
	int has_hour;
	int64_t hour;              /* missing calls: the hour holding the most of them */
	size_t nmissing_ours, nmissing_theirs;   /* every one of the day */
	size_t nlist_ours, nlist_theirs;         /* listed (at most the case's list_calls) */
	int *missing_ours;         /* their call indexes: calls we lack */
	int *missing_theirs;       /* our call indexes: calls they lack */
	int has_single;
	recon_pair single;
	int64_t single_diff_ms;    /* theirs - ours */
	money_t single_diff_cost;
} inv_finding;

typedef struct {
	inv_finding *f;
	int n;
} inv_findings;

void inv_findings_free(inv_findings *fs);

/* A matched pair whose seconds differ by this much is a duration difference. */
#define INV_SECONDS_DIFFER_MS 1000

#endif
