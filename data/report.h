/* report.h: the figures every screen and command shows, read from the
 * store. Dashboards read rollups and the ledger, never raw CDR scans. */
#ifndef BILLTOP_REPORT_H
#define BILLTOP_REPORT_H

#include <stdint.h>
#include "../core/money.h"
#include "account.h"
#include "db.h"
#include "rerate.h"

/* ---- balance -------------------------------------------------------- */

/* What is dated after the as-of time: it counts from its own time and is
 * shown apart, never in the balance or status as of then. */
typedef struct {
	int64_t entries;                     /* ledger entries dated later (scheduled) */
	money_t amount;                      /* their signed sum */
	int64_t first_at;                    /* the earliest, TM_NONE when none */
	int64_t records;                     /* calls and messages dated later */
	money_t charges;                     /* their charges (positive = debit) */
	int64_t rec_first, rec_last;         /* TM_NONE when none */
	int next_event;                      /* the walk's next transition: 0 none, 1 suspended, 2 restored */
	int64_t next_at;
} report_later;

typedef struct {
	money_t balance;
	money_t deposits, payments;          /* credits (> 0) */
	money_t calls, messaging, cnam, e911, mrc, nrc; /* debits (as positive amounts) */
	money_t adjustments;                 /* signed */
	int suspended;
	int64_t suspended_since;             /* TM_NONE when active */
	int64_t unrated;                     /* connected calls with no rate */
	int64_t internal;                    /* internal calls (dial plans): never charged */
	int low;                             /* balance below the account's low-balance mark */
	int64_t as_of;                       /* the time it is as of (INT64_MAX: everything) */
	report_later later;                  /* report_get_balance_asof only (zeros otherwise) */
} report_balance;

/* Balance and status from everything dated before `before` (exclusive;
 * INT64_MAX for everything, with the walk's final status), exact to the
 * second (whole hours from the rollups, the last partial hour from the
 * records). */
int report_get_balance(db_t *db, const account_info *a, int64_t before, report_balance *out);

/* Balance, status and low-balance flag as of `asof` (inclusive: what is
 * dated at or before it; TM_NONE = db_now()), and in out->later what is
 * dated after it. This is what every screen and command shows. */
int report_get_balance_asof(db_t *db, const account_info *a, int64_t asof, report_balance *out);

/* Everything charged in [from, to): calls, messaging and CNAM plus ledger
 * debits (mrc, nrc, e911, cnam). Positive = spent. `from` is an hour's
 * start; `to` is exact to the second. */
int report_get_spend(db_t *db, const account_info *a, int64_t from, int64_t to, money_t *out);

/* ---- usage ---------------------------------------------------------- */

typedef enum { WIN_12H, WIN_3D, WIN_WEEK, WIN_MONTH, WIN_THIS_WEEK, WIN_THIS_MONTH } report_window;
typedef enum { BY_HOUR, BY_DAY, BY_WEEKDAY, BY_DESTINATION } report_by;

int report_window_parse(const char *s, report_window *w);   /* 0 / -1 */
const char *report_window_name(report_window w);
int report_by_parse(const char *s, report_by *b);
const char *report_by_name(report_by b);
report_by report_window_default_by(report_window w);
/* [from, to) of a window ending at `now`: 12h = the last 12 whole hours plus
 * the current one; 3d/week/month = the last 3/7/30 UTC days including today;
 * this-week = the ISO week (Monday 00:00 UTC on); this-month likewise. */
void report_window_range(report_window w, int64_t now, int64_t *from, int64_t *to);

typedef struct {
	int64_t start;                 /* bucket start (hour/day), or weekday 0..6 */
	char label[48];                /* "2026-11-21 14:00", "Mon", "44 UK" */
	char prefix[33];               /* destination buckets */
	int64_t calls, connected, billsec_ms, billed_secs;
	money_t cost;                  /* call charges */
	money_t cost_msg, cost_cnam;   /* hour/day/weekday buckets only */
	int64_t msgs;
	int64_t internal;              /* internal calls (dial plans); not for destinations */
} report_bucket;

typedef struct {
	int64_t from, to;
	int64_t as_of;                 /* nothing dated after it is counted */
	report_by by;
	int n;
	report_bucket *b;              /* owned; report_usage_free */
	report_bucket total;
	/* charges in the window by kind (positive = debit) */
	money_t k_calls, k_msg, k_cnam, k_e911, k_mrc, k_nrc, k_adj, k_credits;
} report_usage;

/* Usage in [from, to) as of db_now() (report_get_usage) or `asof`
 * (INT64_MAX: everything): what is dated after it is not counted; hours are
 * exact (the as-of hour is read from the records). By destination the
 * rollups are per UTC day: the as-of day is counted whole. */
int report_get_usage(db_t *db, const account_info *a, int64_t from, int64_t to, report_by by,
                     report_usage *out);
int report_get_usage_asof(db_t *db, const account_info *a, int64_t from, int64_t to, report_by by,
                          int64_t asof, report_usage *out);
void report_usage_free(report_usage *u);

/* ASR in basis points (connected * 10000 / calls) and ACD in ms. */
int64_t report_asr_bp(int64_t calls, int64_t connected);
int64_t report_acd_ms(int64_t connected, int64_t billsec_ms);

/* ---- statement ------------------------------------------------------ */

typedef struct {
	int64_t id, at;
	char kind[16];
	money_t amount;                /* signed effect */
	char memo[256];
	char ref[65];                  /* idempotency key (ledger add --ref), "" if none */
} report_entry;

typedef struct {
	int64_t from, to;
	money_t opening, closing;
	int n;
	report_entry *e;               /* non-usage ledger entries in the period */
	money_t mrc, nrc, credits, e911, cnam_fees, adjustments;
	int64_t calls, connected, billsec_ms, billed_secs, msgs, cnam_lookups;
	money_t usage_calls, usage_msg, usage_cnam;
	int recent;                    /* the period has ended, less than 24 h before as_of */
	int64_t as_of;
	int to_date;                   /* the period has not ended at as_of: figures to date, closing
	                                  = the balance as of as_of */
	int64_t scheduled;             /* to_date: ledger entries of the period dated after as_of */
	money_t scheduled_amount;      /* their signed sum (not in the figures) */
	/* Corrections (issue 10): each re-rating run that corrected calls
	 * starting in the period, with its effect there. They are included in
	 * usage_calls (figures follow the current rating, in the calls' own
	 * period) and shown as their own lines. Owned; report_statement_free. */
	int ncorr;
	rerate_correction *corr;
} report_statement;

/* The statement of [from, to) as of db_now() (report_get_statement) or of
 * `asof`: a period not ended at asof is shown to date (entries, sums and
 * closing balance up to asof inclusive; later entries only counted in
 * `scheduled`). */
int report_get_statement(db_t *db, const account_info *a, int64_t from, int64_t to,
                         report_statement *out);
int report_get_statement_asof(db_t *db, const account_info *a, int64_t from, int64_t to, int64_t asof,
                              report_statement *out);
void report_statement_free(report_statement *s);

/* ---- ledger listing ------------------------------------------------- */
typedef int (*report_entry_fn)(const report_entry *e, const char *operator_, const char *ssh,
                               int64_t posted, void *ctx);
int report_each_entry(db_t *db, const account_info *a, int64_t from, int64_t to,
                      report_entry_fn fn, void *ctx);

#endif
