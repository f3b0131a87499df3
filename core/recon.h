/* recon.h: reconciling two sides' call records and walking the
 * balance-dispute decision tree. Pure C: the caller loads both sides
 * (data/), this module matches, totals and diagnoses; no I/O.
 *
 * The method carriers use:
 *   1. compare UTC daily totals; isolate the day whose totals differ most;
 *   2. do the connected-call totals roughly match on that day?
 *      no:  missing calls: narrow to the hour, diff that hour's calls,
 *           list the calls each side lacks;
 *      yes: do the duration totals roughly match?
 *           no: a duration issue; yes: a rating issue; either way take the
 *           matched calls and isolate the single call with the biggest
 *           difference (duration, or cost).
 * Beyond the tree the engine names causes the data shows, with evidence:
 * a clock or time-zone offset, a billing-increment mismatch, a rounding
 * difference, a rate difference on one prefix, duplicated records.
 *
 * Ownership: input arrays and their strings belong to the caller and must
 * outlive the result (the result refers to calls by index). recon_run
 * allocates the result's arrays; recon_free releases them. */
#ifndef BILLTOP_RECON_H
#define BILLTOP_RECON_H

#include <stddef.h>
#include <stdint.h>
#include "money.h"

enum { RECON_OURS = 0, RECON_THEIRS = 1 };

typedef struct {
	const char *id;          /* the side's record id (shown, and matched when both sides share ids) */
	const char *src;         /* calling number, normalised with number_for_matching */
	const char *dst;         /* called number, normalised with number_for_matching */
	int64_t start;           /* UTC s */
	int64_t answer;          /* UTC s, or TM_NONE */
	int64_t billsec_ms;      /* answered duration */
	int connected;
	int has_cost;
	money_t cost;            /* the side's charge for the call */
	int64_t billed_secs;     /* billed seconds after increments, -1 if unknown */
	const char *prefix;      /* the rate prefix (ours: as rated), "" if unknown */
	int64_t ref;             /* caller's handle (our cdr row id), not used here */
} recon_call;

typedef struct {
	int count_bp;            /* "roughly match": counts within 50 bp (0.5 %) */
	int seconds_bp;          /* seconds within 50 bp */
	int cost_bp;             /* cost within 50 bp ... */
	money_t cost_abs;        /* ... or within 0.01 currency units */
	int64_t match_tol_s;     /* pairing tolerance on start/answer times: 5 s */
	int64_t max_offset_s;    /* clock offsets searched: up to 14 h either way */
	int match_ids;           /* 1: pair on record id first (both sides share ids) */
	/* Overrides of the tree, for the console's wizard: -1 = the engine's
	 * answer; otherwise the engineer's. */
	int64_t force_day;       /* UTC day start, or -1 */
	int force_connected_match;
	int force_duration_match;
} recon_opts;

void recon_default_opts(recon_opts *o);

/* Totals of one bucket (a UTC day or hour), index 0 ours, 1 theirs. */
typedef struct {
	int64_t start;           /* bucket start, UTC s */
	int64_t calls[2], connected[2], billsec_ms[2];
	money_t cost[2];
} recon_bucket;

typedef struct {
	int ours, theirs;        /* indexes into the two input arrays */
	int64_t dt;              /* their time - our time, after any clock offset */
} recon_pair;

typedef enum {
	RECON_VERDICT_NONE = 0,
	RECON_VERDICT_MISSING_CALLS,
	RECON_VERDICT_DURATION,
	RECON_VERDICT_RATING,
	RECON_VERDICT_TIMEZONE_OFFSET
} recon_verdict;

/* "missing_calls", "duration", "rating", "timezone_offset", "none" */
const char *recon_verdict_name(recon_verdict v);

typedef struct {
	char question[96];       /* "Do the connected-call totals roughly match?" */
	int answer;              /* 1 yes, 0 no */
	int overridden;          /* the engineer's answer, not the engine's */
	char figures[320];       /* the figures that decided it */
} recon_step;

typedef enum {
	RECON_CAUSE_CLOCK_OFFSET = 0,
	RECON_CAUSE_INCREMENT,
	RECON_CAUSE_ROUNDING,
	RECON_CAUSE_RATE,
	RECON_CAUSE_DUPLICATES
} recon_cause_kind;

/* "timezone_offset", "billing_increment", "rounding", "rate", "duplicates" */
const char *recon_cause_name(recon_cause_kind k);

typedef struct {
	recon_cause_kind kind;
	int side;                /* RECON_OURS / RECON_THEIRS where it applies, else -1 */
	char prefix[33];         /* increment / rate causes: the destination prefix */
	int64_t offset_s;        /* clock offset: their time - our time */
	char evidence[400];      /* one sentence with the figures */
} recon_cause;

#define RECON_MAX_STEPS 6
#define RECON_MAX_CAUSES 16

typedef struct {
	recon_opts opts;
	int64_t clock_offset_s;  /* detected constant offset applied when pairing (0 if none) */
	int nday;
	recon_bucket *days;      /* every UTC day with a call on either side, ascending */
	int worst_day;           /* index into days, -1 when nothing differs */
	int nstep;
	recon_step steps[RECON_MAX_STEPS];
	recon_verdict verdict;
	int has_worst_hour;
	recon_bucket worst_hour; /* missing calls: the hour of the worst day that differs most */
	size_t nmissing_ours;    /* calls we lack: indexes into THEIR array */
	int *missing_ours;
	size_t nmissing_theirs;  /* calls they lack: indexes into OUR array */
	int *missing_theirs;
	int has_single;
	recon_pair single;       /* the matched call with the biggest difference */
	int64_t single_diff_ms;  /* their billsec - ours */
	money_t single_diff_cost;/* their cost - ours */
	size_t npairs;           /* every matched pair over the whole period */
	recon_pair *pairs;
	int ncause;
	recon_cause causes[RECON_MAX_CAUSES];
} recon_result;

enum { RECON_OK = 0, RECON_ENOMEM, RECON_EEMPTY };

/* Run the whole tree. Returns RECON_OK (out filled, free with
 * recon_free), RECON_EEMPTY when both sides are empty, or RECON_ENOMEM. */
int recon_run(const recon_call *ours, size_t nours, const recon_call *theirs, size_t ntheirs,
              const recon_opts *o, recon_result *out);
void recon_free(recon_result *r);

/* Pairing alone (also used by recon_run): one-to-one, best pair first, on
 * record id when opts->match_ids and both ids are non-empty and equal,
 * otherwise on dst (and src when both sides have it) with |Δt| <= tol,
 * where Δt is the smallest of start/start, answer/answer, start/answer and
 * answer/start after removing `offset_s`. *pairs is malloc'd (caller frees). */
int recon_match(const recon_call *ours, size_t nours, const recon_call *theirs, size_t ntheirs,
                const recon_opts *o, int64_t offset_s, recon_pair **pairs, size_t *npairs);

/* "Roughly match" with a tolerance in basis points (and an absolute floor
 * for money). */
int recon_counts_match(int64_t a, int64_t b, int bp);
int recon_cost_match(money_t a, money_t b, int bp, money_t abs_floor);

#endif
