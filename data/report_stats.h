/* report_stats.h: messaging and CNAM statistics per UTC day, for the
 * console's messaging and CNAM screens (and any command that wants them).
 *
 * Day totals come from the hourly rollups (rollup_hour: msgs, msg_segments,
 * cost_msg, cnam_lookups, cost_cnam), so they agree with `billtop balance`
 * and `billtop usage`. The split of messages by type and direction comes
 * from the daily message rollup (rollup_msg_day), and is checked against
 * the hourly rollups. CNAM fees posted to the
 * ledger (kind cnam) are reported beside the per-call lookup charges.
 *
 * Windows are whole UTC days: [floor_day(from), to rounded up to a day).
 * Every function returns DB_OK or a DB_E* status with the reason in
 * db_errmsg(db). Results are owned by the caller and released with the
 * matching *_free (which is safe on a zeroed or already freed result). */
#ifndef BILLTOP_REPORT_STATS_H
#define BILLTOP_REPORT_STATS_H

#include <stdint.h>
#include "../core/money.h"
#include "account.h"
#include "db.h"
#include "report.h"

/* ---- messaging ------------------------------------------------------ */

enum { MSG_SMS = 0, MSG_MMS, MSG_NTYPES };
/* Directions as stored: "outbound", "inbound"; anything else (a source
 * that wrote none) is counted as "other", never dropped. */
enum { MSG_OUT = 0, MSG_IN, MSG_OTHER, MSG_NDIRS };

typedef struct {
	int64_t msgs, segments;
	money_t cost;
} report_msg_cell;

typedef struct {
	int64_t start;                              /* UTC day start */
	char label[24];                             /* "2026-11-20 Fri" */
	report_msg_cell all;                        /* from rollup_hour */
	report_msg_cell by[MSG_NTYPES][MSG_NDIRS];  /* from rollup_msg_day */
} report_msg_day;

typedef struct {
	int64_t from, to;              /* the whole days covered */
	int n;
	report_msg_day *d;             /* n days, oldest first; owned */
	report_msg_day total;
	/* 1 when the mdr split does not add up to the rollups: a derived
	 * figure is stale and `billtop verify` will say which. */
	int split_mismatch;
} report_msg_stats;

int report_get_msg_stats(db_t *db, const account_info *a, int64_t from, int64_t to, report_msg_stats *out);
void report_msg_stats_free(report_msg_stats *s);
const char *report_msg_type_name(int type);   /* "sms", "mms" */
const char *report_msg_dir_name(int dir);     /* "outbound", "inbound", "other" */

/* ---- CNAM ----------------------------------------------------------- */

typedef struct {
	int64_t start;                 /* UTC day start */
	char label[24];
	int64_t lookups;               /* calls that carried a CNAM lookup charge */
	money_t lookup_cost;           /* their charges (rollup_hour.cost_cnam) */
	money_t fees;                  /* ledger entries of kind cnam, as a positive debit */
} report_cnam_day;

#define REPORT_CNAM_MAX_FEES 500

typedef struct {
	int64_t from, to;
	int n;
	report_cnam_day *d;            /* n days, oldest first; owned */
	report_cnam_day total;
	int nfees;                     /* the CNAM ledger entries, oldest first; */
	report_entry *fees;            /* owned; at most REPORT_CNAM_MAX_FEES */
	int fees_truncated;            /* 1 when there were more */
} report_cnam_stats;

int report_get_cnam_stats(db_t *db, const account_info *a, int64_t from, int64_t to, report_cnam_stats *out);
void report_cnam_stats_free(report_cnam_stats *s);

#endif
